/* Fuzzing harness: the FEM results reader (mnn_fem_results_read). */
#include "fem_results.h"
#include "fuzz_util.h"

int LLVMFuzzerInitialize(int *argc, char ***argv) { return 0; }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  mnn_error err = {{0}};
  mnn_fem_results *r = mnn_fem_results_read(mnn_fuzz_file("fem-results.xml", data, size), &err);
  if (!r) mnn_fuzz_check_error(&err);
  mnn_fem_results_free(r);
  return 0;
}
