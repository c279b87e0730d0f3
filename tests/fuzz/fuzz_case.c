/* Fuzzing harness: the case file reader and its whole check (mnn_case_read). */
#include "case_file.h"
#include "fuzz_util.h"

int LLVMFuzzerInitialize(int *argc, char ***argv) { return 0; }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  mnn_error err = {{0}};
  mnn_case *c = mnn_case_read(mnn_fuzz_file("case.xml", data, size), &err);
  if (!c) mnn_fuzz_check_error(&err);
  mnn_case_free(c);
  return 0;
}
