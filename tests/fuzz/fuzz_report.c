/* Fuzzing harness: the report reader (mnn_report_read). */
#include "fuzz_util.h"
#include "report.h"

int LLVMFuzzerInitialize(int *argc, char ***argv) { return 0; }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  mnn_error err = {{0}};
  mnn_report *r = mnn_report_read(mnn_fuzz_file("report.xml", data, size), &err);
  if (!r) mnn_fuzz_check_error(&err);
  mnn_report_free(r);
  return 0;
}
