/* Benchmark of the printability check's gap search: the spatial grid on lattice
 * patches up to about 50k bonds, against the baseline of measuring every pair
 * (mnn_print_measure_gaps_all_pairs, the O(n^2) loop the grid replaced) on the
 * sizes where that still finishes in seconds; both in this process. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "network.h"
#include "log.h"
#include "printability.h"

static double grid_seconds(const mnn_network *net, mnn_print_check *pc) {
  mnn_error err;
  double t0 = mnn_now();
  if (mnn_print_check_network(net, NULL, 0, pc, &err)) printf("error: %s\n", err.message);
  return mnn_now() - t0;
}

static double all_pairs_seconds(const mnn_network *net, mnn_print_check *pc) {
  memset(pc, 0, sizeof *pc);
  mnn_printer_profile_default(&pc->profile);
  pc->smallest_gap = INFINITY;
  double t0 = mnn_now();
  mnn_print_measure_gaps_all_pairs(net, pc);
  return mnn_now() - t0;
}

int main(void) {
  mnn_set_verbosity(MNN_QUIET);
  mnn_error err;
  const int sizes[][2] = {{20, 25}, {40, 45}, {60, 60}, {120, 140}};
  printf("%8s %8s %12s %12s %8s %s\n", "nodes", "bonds", "grid s", "all-pairs s", "ratio", "smallest gap (mm)");
  for (size_t k = 0; k < sizeof sizes / sizeof *sizes; ++k) {
    mnn_network *net = mnn_lattice_patch(sizes[k][0], sizes[k][1], 0.016, MNN_SUPPORT_TOP_ROW, &err);
    if (!net) {
      printf("lattice: %s\n", err.message);
      return 1;
    }
    mnn_print_check g, a;
    double tg = grid_seconds(net, &g);
    if (net->n_bonds <= 12000) {
      double ta = all_pairs_seconds(net, &a);
      printf("%8d %8d %12.4f %12.4f %8.1f %.6f%s\n", net->n_nodes, net->n_bonds, tg, ta, ta / tg, 1e3 * g.smallest_gap,
             g.smallest_gap == a.smallest_gap ? "" : " (differs from all pairs!)");
    } else {
      printf("%8d %8d %12.4f %12s %8s %.6f\n", net->n_nodes, net->n_bonds, tg, "(skipped)", "", 1e3 * g.smallest_gap);
    }
    mnn_network_free(net);
  }
  return 0;
}
