/* mnn gradient: the gradient study of the paper's Fig. 1 (barmodel/
 * gradient_study.h): adjoint dL/dk against forward and central differences over
 * log-spaced steps; writes gradient_steps.csv and gradient_bonds.csv. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "atomic_file.h"
#include "cli.h"
#include "training.h"
#include "network.h"
#include "log.h"
#include "network_file.h"
#include "stage.h"
#include "study_outputs.h"

static void help(void) {
  printf("usage: mnn gradient [NETWORK.xml] [-o DIR] [options]\n"
         "\n"
         "The gradient study of Fig. 1: loss L = (u_y(OUT) - TARGET)^2 with a vertical\n"
         "force on node LOAD; the exact adjoint gradient dL/dk (1 factorisation, 2 solves)\n"
         "against forward and central finite differences in every bond's k over\n"
         "log-spaced steps. Without NETWORK, the paper's network (widths 2 mm).\n"
         "Writes DIR/gradient_steps.csv (step,forward_error,central_error: step in N/m,\n"
         "errors relative, max norm over the bonds) and DIR/gradient_bonds.csv\n"
         "(bond,from,to,adjoint,forward_difference at the best step, in m^2/(N/m)),\n"
         "and prints the loss, the best step and the solves each method needed.\n"
         "\n"
         "options:\n"
         "  -o, --output DIR       folder for the CSV files (default: .; created if missing)\n"
         "  --load-node ID         node carrying the force (default 13)\n"
         "  --output-node ID       node whose u_y enters the loss (default 14)\n"
         "  --force N              vertical force in N (default -0.098 = -0.01*9.8)\n"
         "  --target M             target u_y in m (default -0.025)\n"
         "  --step-min K           smallest step in N/m (default 1e-12)\n"
         "  --step-max K           largest step in N/m (default 1e2)\n"
         "  --steps N              number of log-spaced steps (default 15)\n"
         "  -q, --quiet            print nothing but errors\n"
         "  -h, --help             this help\n");
}

int mnn_cmd_gradient(int argc, char **argv) {
  static const struct option opts[] = {
      {"output", required_argument, 0, 'o'},      {"load-node", required_argument, 0, 'L'},
      {"output-node", required_argument, 0, 'O'}, {"force", required_argument, 0, 'F'},
      {"target", required_argument, 0, 'T'},      {"step-min", required_argument, 0, 'a'},
      {"step-max", required_argument, 0, 'b'},    {"steps", required_argument, 0, 'n'},
      {"quiet", no_argument, 0, 'q'},             {"help", no_argument, 0, 'h'},
      {0, 0, 0, 0}};
  mnn_gradient_study_options o;
  mnn_gradient_study_defaults(&o);
  const char *dir = ".";
  mnn_error err;
  int c;
  optind = 1;
  while ((c = getopt_long(argc, argv, "o:qh", opts, NULL)) != -1) {
    int bad = 0;
    switch (c) {
      case 'o': dir = optarg; break;
      case 'L': bad = mnn_cli_int(optarg, "--load-node", &o.load_node_id, &err); break;
      case 'O': bad = mnn_cli_int(optarg, "--output-node", &o.output_node_id, &err); break;
      case 'F': bad = mnn_cli_double(optarg, "--force", &o.force_y, &err); break;
      case 'T': bad = mnn_cli_double(optarg, "--target", &o.target, &err); break;
      case 'a': bad = mnn_cli_double(optarg, "--step-min", &o.step_min, &err); break;
      case 'b': bad = mnn_cli_double(optarg, "--step-max", &o.step_max, &err); break;
      case 'n': bad = mnn_cli_int(optarg, "--steps", &o.n_steps, &err); break;
      case 'q': mnn_set_verbosity(MNN_QUIET); break;
      case 'h': help(); return 0;
      default: return mnn_cli_bad_option("gradient", argv, opts);
    }
    if (bad) return mnn_cli_usage(&err);
  }
  if (argc - optind > 1) return mnn_cli_usagef("gradient: give at most one network file");
  const char *source = optind < argc ? argv[optind] : "the paper's network";
  mnn_network *net = optind < argc ? mnn_network_read(argv[optind], &err) : mnn_lattice_paper(&err);
  if (!net) return mnn_cli_fail(&err);
  mnn_gradient_study r;
  if (mnn_gradient_study_run(net, &o, &r, &err)) {
    mnn_error_prefix(&err, "gradient: %s", source);
    mnn_network_free(net);
    return mnn_cli_fail(&err);
  }
  int rc = 0;
  if (mnn_make_dirs(dir)) {
    rc = mnn_cli_failf("gradient: cannot create the folder %s: check the path and permissions", dir);
  } else if (mnn_write_gradient_study_csvs(dir, net, &r, &err)) {
    rc = mnn_cli_fail(&err);
  } else if (mnn_get_verbosity() >= MNN_NORMAL) {
    printf("network: %s (%d nodes, %d bonds)\n", source, net->n_nodes, net->n_bonds);
    printf("u_y(node %d) = %.6f mm, loss (u_y - (%g m))^2 = %.6e m^2\n", o.output_node_id, r.u_out * 1e3, o.target,
           r.loss);
    printf("best forward-difference step %.1e N/m: relative error %.2e (central: %.2e)\n", r.steps[r.best_step],
           r.forward_error[r.best_step], r.central_error[r.best_step]);
    printf("solves needed: adjoint %ld factorisation(s) + %ld solves (%.3g ms); forward differences %ld "
           "factorisations + %ld solves (%.3g ms); central differences %ld factorisations + %ld solves (%.3g ms)\n",
           r.adjoint_factorisations, r.adjoint_solves, r.adjoint_seconds * 1e3, r.forward_factorisations,
           r.forward_solves, r.forward_seconds * 1e3, r.central_factorisations, r.central_solves,
           r.central_seconds * 1e3);
    printf("wrote %s/gradient_steps.csv and %s/gradient_bonds.csv\n", dir, dir);
  }
  mnn_gradient_study_free(&r);
  mnn_network_free(net);
  return rc;
}
