/* Fuzzing harness: the network file reader (mnn_network_read). */
#include "fuzz_util.h"
#include "network_file.h"

int LLVMFuzzerInitialize(int *argc, char ***argv) { return 0; }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  mnn_error err = {{0}};
  mnn_network *net = mnn_network_read(mnn_fuzz_file("network.xml", data, size), &err);
  if (!net) mnn_fuzz_check_error(&err);
  mnn_network_free(net);
  return 0;
}
