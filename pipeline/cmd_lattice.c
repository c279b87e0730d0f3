/* mnn lattice: writes a generated network file (the paper's triangle, a
 * triangle of any size, or a rectangular triangular-lattice patch). */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "network.h"
#include "log.h"
#include "network_file.h"

static void help(void) {
  printf("usage: mnn lattice [paper | triangle TOP ROWS | patch ROWS COLS] -o NETWORK.xml [options]\n"
         "\n"
         "Writes a network file. Shapes:\n"
         "  paper            the paper's 14-node, 28-bond triangle (default)\n"
         "  triangle TOP ROWS  downward triangle, TOP nodes in the top row, ROWS rows\n"
         "  patch ROWS COLS  rectangular patch of a triangular lattice\n"
         "\n"
         "options:\n"
         "  -o, --output FILE     network file to write (required)\n"
         "  --spacing M           bond length in m (default 0.016)\n"
         "  --width M             initial width of every bond in m (default 0.002)\n"
         "  --width-min M, --width-max M   training bounds of the widths in m (default 0.0015,\n"
         "                        0.0025); --width must lie within them\n"
         "  --supports WHICH      top-corners (default), top-row, or a list of node ids: 1,5\n"
         "  --thickness M         out-of-plane thickness in m (default 0.002)\n"
         "  --youngs-modulus PA   Young's modulus in Pa (default 5.5e5)\n"
         "  --poisson-ratio NU    Poisson's ratio (default 0.45)\n"
         "  -q, --quiet           print nothing but errors\n"
         "  -h, --help            this help\n");
}

int mnn_cmd_lattice(int argc, char **argv) {
  static const struct option opts[] = {
      {"output", required_argument, 0, 'o'},      {"spacing", required_argument, 0, 's'},
      {"width", required_argument, 0, 'w'},       {"supports", required_argument, 0, 'S'},
      {"thickness", required_argument, 0, 't'},   {"youngs-modulus", required_argument, 0, 'E'},
      {"poisson-ratio", required_argument, 0, 'n'}, {"quiet", no_argument, 0, 'q'},
      {"width-min", required_argument, 0, 'm'},   {"width-max", required_argument, 0, 'M'},
      {"help", no_argument, 0, 'h'},              {0, 0, 0, 0}};
  const char *out = NULL, *supports = "top-corners";
  double spacing = MNN_PAPER_SPACING, width = MNN_DEFAULT_WIDTH, thickness = MNN_DEFAULT_THICKNESS,
         youngs = MNN_DEFAULT_YOUNGS, poisson = MNN_DEFAULT_POISSON, width_min = NAN, width_max = NAN;
  mnn_error err;
  int c;
  optind = 1;
  while ((c = getopt_long(argc, argv, "o:qh", opts, NULL)) != -1) {
    int bad = 0;
    switch (c) {
      case 'o': out = optarg; break;
      case 's': bad = mnn_cli_double(optarg, "--spacing", &spacing, &err); break;
      case 'w': bad = mnn_cli_double(optarg, "--width", &width, &err); break;
      case 'S': supports = optarg; break;
      case 'm': bad = mnn_cli_double(optarg, "--width-min", &width_min, &err); break;
      case 'M': bad = mnn_cli_double(optarg, "--width-max", &width_max, &err); break;
      case 't': bad = mnn_cli_double(optarg, "--thickness", &thickness, &err); break;
      case 'E': bad = mnn_cli_double(optarg, "--youngs-modulus", &youngs, &err); break;
      case 'n': bad = mnn_cli_double(optarg, "--poisson-ratio", &poisson, &err); break;
      case 'q': mnn_set_verbosity(MNN_QUIET); break;
      case 'h': help(); return 0;
      default: return mnn_cli_bad_option("lattice", argv, opts);
    }
    if (bad) return mnn_cli_usage(&err);
  }
  if (!out) return mnn_cli_usagef("lattice: no output file: add -o NETWORK.xml");
  const char *shape = optind < argc ? argv[optind] : "paper";
  int nargs = optind < argc ? argc - optind - 1 : 0, p1 = 0, p2 = 0;
  mnn_support_choice choice = !strcmp(supports, "top-row") ? MNN_SUPPORT_TOP_ROW
                              : !strcmp(supports, "top-corners") ? MNN_SUPPORT_TOP_CORNERS
                                                                 : MNN_SUPPORT_NONE;
  mnn_network *net = NULL;
  if (!strcmp(shape, "paper") && nargs == 0) {
    net = mnn_lattice_triangle(5, 4, spacing, choice, &err);
  } else if ((!strcmp(shape, "triangle") || !strcmp(shape, "patch")) && nargs == 2) {
    if (mnn_cli_int(argv[optind + 1], shape, &p1, &err) || mnn_cli_int(argv[optind + 2], shape, &p2, &err))
      return mnn_cli_usage(&err);
    net = shape[0] == 't' ? mnn_lattice_triangle(p1, p2, spacing, choice, &err)
                          : mnn_lattice_patch(p1, p2, spacing, choice, &err);
  } else {
    return mnn_cli_usagef("lattice: unknown shape '%s': use paper, triangle TOP ROWS or patch ROWS COLS", shape);
  }
  if (!net) return mnn_cli_fail(&err);
  if (choice == MNN_SUPPORT_NONE) {
    int *ids = NULL, n = mnn_cli_id_list(supports, "--supports", &ids, &err);
    if (n < 0) {
      mnn_network_free(net);
      return mnn_cli_usagef("lattice: --supports '%s': use top-corners, top-row or node ids like 1,5", supports);
    }
    for (int i = 0; i < n; ++i) {
      int k = mnn_network_node_index(net, ids[i]);
      if (k < 0) {
        int id = ids[i], nn = net->n_nodes;
        free(ids);
        mnn_network_free(net);
        return mnn_cli_failf("lattice: --supports: there is no node %d (ids go from 1 to %d)", id, nn);
      }
      net->fixed[k] = MNN_FIX_XY;
    }
    free(ids);
  }
  if (!isnan(width_min)) net->width_min = width_min;
  if (!isnan(width_max)) net->width_max = width_max;
  if (!(net->width_min > 0 && net->width_min < net->width_max) || width < net->width_min || width > net->width_max) {
    double lo = net->width_min, hi = net->width_max;
    mnn_network_free(net);
    return mnn_cli_failf("lattice: --width %g m is not within the width bounds [%g, %g] m: "
                         "set --width-min and --width-max around it", width, lo, hi);
  }
  for (int b = 0; b < net->n_bonds; ++b) net->width[b] = width;
  net->thickness = thickness;
  net->youngs_modulus = youngs;
  net->poisson_ratio = poisson;
  int rc = mnn_network_write(net, out, &err);
  if (!rc) mnn_info("wrote %s: %d nodes, %d bonds", out, net->n_nodes, net->n_bonds);
  mnn_network_free(net);
  return rc ? mnn_cli_fail(&err) : 0;
}
