/* mnn lattice through the executable: the default shape is the paper's network,
 * the other shapes and supports work, and bad arguments give one error line. */
#include <stdlib.h>
#include <unistd.h>
#include "network_file.h"
#include "cli_test_util.h"
#include "test_util.h"


static mnn_network *read_back(const char *path) {
  mnn_error err;
  mnn_network *net = mnn_network_read(path, &err);
  if (!net) fprintf(stderr, "%s\n", err.message);
  return net;
}

int main(void) {
  if (!getenv("MNN_EXE")) return fprintf(stderr, "MNN_EXE must be set (ctest sets it)\n"), 1;
  char dir[] = "/tmp/mnn_test_lattice_XXXXXX", args[1024], path[512];
  CHECK(mkdtemp(dir) != NULL);
  snprintf(path, sizeof path, "%s/net.xml", dir);

  snprintf(args, sizeof args, "lattice -o %s -q", path); /* no shape: the paper's */
  CHECK_MSG(run_mnn(args) == 0, "%s", output);
  mnn_network *net = read_back(path);
  CHECK(net && net->n_nodes == 14 && net->n_bonds == 28 && mnn_network_n_fixed_dofs(net) == 4);
  mnn_network_free(net);

  snprintf(args, sizeof args, "lattice patch 4 5 --supports 1,2,3 --width 0.0021 -o %s -q", path);
  CHECK_MSG(run_mnn(args) == 0, "%s", output);
  net = read_back(path);
  CHECK(net && net->n_nodes == 20 && net->n_bonds == 3 * 20 - 8 - 10 + 1 && mnn_network_n_fixed_dofs(net) == 6);
  CHECK(net && net->width[0] == 0.0021);
  mnn_network_free(net);

  snprintf(args, sizeof args, "lattice triangle 6 5 -o %s -q", path);
  CHECK(run_mnn(args) == 0);
  net = read_back(path);
  CHECK(net && net->n_nodes == 20 && net->n_bonds == 43);
  mnn_network_free(net);

  /* the flagship's calibration networks: 1 mm bonds, bounds 1-3 mm */
  snprintf(args, sizeof args, "lattice paper --width 0.001 --width-min 0.001 --width-max 0.003 -o %s -q", path);
  CHECK_MSG(run_mnn(args) == 0, "%s", output);
  net = read_back(path);
  CHECK(net && net->width[5] == 0.001 && net->width_min == 0.001 && net->width_max == 0.003);
  mnn_network_free(net);

  const char *bad[][2] = {{"lattice hexagon -o %s", "unknown shape"},
                          {"lattice --width 0.001 -o %s", "not within the width bounds"},
                          {"lattice --width-min 0.003 --width-max 0.001 -o %s", "not within the width bounds"},
                          {"lattice patch 1 5 -o %s", "at least 2 rows"},
                          {"lattice patch 4 x -o %s", "not an integer"},
                          {"lattice --supports 99 -o %s", "no node 99"},
                          {"lattice --spacing abc -o %s", "not a number"},
                          {"lattice", "no output file"}};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; ++i) {
    snprintf(args, sizeof args, bad[i][0], "/tmp/never/written.xml");
    CHECK_MSG(run_mnn(args) != 0, "%s succeeded", args);
    CHECK_CONTAINS(output, bad[i][1]);
    CHECK_MSG(strchr(output, '\n') == output + strlen(output) - 1, "not one line: %s", output);
  }
  CHECK(access("/tmp/never/written.xml", F_OK) != 0);
  unlink(path);
  rmdir(dir);
  return mnn_test_finish();
}
