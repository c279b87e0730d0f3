/* Fuzzing harness: the CSV data reader (mnn_dataset_read_csv), as classes (the
 * last column a class name) and with two numeric target columns. */
#include "training.h"
#include "fuzz_util.h"

int LLVMFuzzerInitialize(int *argc, char ***argv) { return 0; }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const char *path = mnn_fuzz_file("data.csv", data, size);
  for (int n_targets = 0; n_targets <= 2; n_targets += 2) {
    mnn_error err = {{0}};
    mnn_dataset *d = mnn_dataset_read_csv(path, n_targets, &err);
    if (!d) mnn_fuzz_check_error(&err);
    else if (mnn_dataset_scale_columns(d, &err)) mnn_fuzz_check_error(&err);
    mnn_dataset_free(d);
  }
  return 0;
}
