/* mnn respond: the bar model's static response of a network to point loads:
 * every node's displacement (CSV node,ux,uy in m) and, on request, every
 * bond's elongation (CSV bond,elongation in m). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include "bar_solver.h"
#include "cli.h"
#include "log.h"
#include "network_file.h"

static void help(void) {
  printf("usage: mnn respond NETWORK.xml --load NODE:FX:FY [--load ...] [options]\n"
         "\n"
         "Solves the bar model D u = F for the given point loads and prints every node's\n"
         "displacement as CSV on standard output: node,ux,uy (node ids as in the file,\n"
         "displacements in m). Supported components are 0.\n"
         "\n"
         "options:\n"
         "  -l, --load NODE:FX:FY  force on node NODE (id), FX and FY in N; repeatable,\n"
         "                         loads on the same node add up (at least one)\n"
         "  -e, --elongations      also print a second table bond,elongation (m, positive\n"
         "                         = stretched), after an empty line\n"
         "  -q, --quiet            print nothing but the tables and errors\n"
         "  -h, --help             this help\n"
         "\n"
         "example: mnn respond net.xml --load 13:0:-0.098 --elongations\n");
}

int mnn_cmd_respond(int argc, char **argv) {
  static const struct option opts[] = {{"load", required_argument, 0, 'l'},
                                       {"elongations", no_argument, 0, 'e'},
                                       {"quiet", no_argument, 0, 'q'},
                                       {"help", no_argument, 0, 'h'},
                                       {0, 0, 0, 0}};
  mnn_error err;
  mnn_load_spec *loads = NULL;
  int n_loads = 0, elongations = 0, c;
  optind = 1;
  while ((c = getopt_long(argc, argv, "l:eqh", opts, NULL)) != -1) {
    switch (c) {
      case 'l': {
        mnn_load_spec *grown = realloc(loads, (size_t)(n_loads + 1) * sizeof *loads);
        if (!grown) {
          free(loads);
          return mnn_cli_failf("respond: out of memory");
        }
        loads = grown;
        if (mnn_cli_load(optarg, &loads[n_loads], &err)) {
          free(loads);
          return mnn_cli_usage(&err);
        }
        ++n_loads;
        break;
      }
      case 'e': elongations = 1; break;
      case 'q': mnn_set_verbosity(MNN_QUIET); break;
      case 'h': free(loads); help(); return 0;
      default: free(loads); return mnn_cli_bad_option("respond", argv, opts);
    }
  }
  if (optind != argc - 1) {
    free(loads);
    return mnn_cli_usagef("respond: give exactly one network file: mnn respond NETWORK.xml --load NODE:FX:FY");
  }
  if (n_loads == 0) {
    free(loads);
    return mnn_cli_usagef("respond: no load: add --load NODE:FX:FY (forces in N)");
  }
  mnn_network *net = mnn_network_read(argv[optind], &err);
  if (!net) {
    free(loads);
    return mnn_cli_fail(&err);
  }
  int nd = 2 * net->n_nodes, rc = 0;
  double *F = calloc((size_t)nd, sizeof(double)), *U = malloc((size_t)nd * sizeof(double));
  double *k = malloc((size_t)net->n_bonds * sizeof(double) + 1), *E = malloc((size_t)net->n_bonds * sizeof(double) + 1);
  mnn_bar_solver *s = NULL;
  if (!F || !U || !k || !E) {
    rc = mnn_cli_failf("respond: out of memory");
    goto done;
  }
  for (int i = 0; i < n_loads; ++i) {
    int v = mnn_network_node_index(net, loads[i].node_id);
    if (v < 0) {
      rc = mnn_cli_failf("respond: --load: %s has no node %d", argv[optind], loads[i].node_id);
      goto done;
    }
    if (net->fixed[v] == MNN_FIX_XY) mnn_warn("respond: node %d is a support: its load goes into the support", loads[i].node_id);
    F[2 * v] += loads[i].fx;
    F[2 * v + 1] += loads[i].fy;
  }
  mnn_network_stiffnesses(net, k);
  s = mnn_bar_solver_create(net, &err);
  if (!s || mnn_bar_solver_factor(s, k, &err) || mnn_bar_solver_solve(s, 1, F, U, &err)) {
    mnn_error_prefix(&err, "%s", argv[optind]);
    rc = mnn_cli_fail(&err);
    goto done;
  }
  printf("node,ux,uy\n");
  for (int i = 0; i < net->n_nodes; ++i) printf("%d,%.9e,%.9e\n", net->node_id[i], U[2 * i], U[2 * i + 1]);
  if (elongations) {
    mnn_bar_elongations(net, 1, U, E);
    printf("\nbond,elongation\n");
    for (int b = 0; b < net->n_bonds; ++b) printf("%d,%.9e\n", net->bond_id[b], E[b]);
  }
  if (fflush(stdout) != 0) rc = mnn_cli_failf("respond: could not write the results to standard output");
done:
  mnn_bar_solver_free(s);
  mnn_network_free(net);
  free(loads), free(F), free(U), free(k), free(E);
  return rc;
}
