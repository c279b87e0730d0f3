/* mnn calibrate: fits the bar model's stiffness factor (k = factor * E w t / L),
 * and optionally one per bond-length class, to the 3D FEM of the meshed network,
 * so that the bar model trains what the printed part does. Both models' response
 * matrices (unit forces on the input nodes -> displacements of every free node)
 * are compared (barmodel/calibration.h does the fit); the factors are written
 * into the network file. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "calibration.h"
#include "cli.h"
#include "cli_petsc.h"
#include "fem.h"
#include "log.h"
#include "network_file.h"

static void help(void) {
  printf("usage: mnn calibrate NETWORK MESH [options] [-- PETSc options]\n"
         "\n"
         "Fits the bar model's stiffness factor to the 3D FEM of MESH (from `mnn mesh`):\n"
         "unit forces (x and y) on each input node give the displacements of every free\n"
         "node's disc in both models; the factor minimises the Frobenius norm of\n"
         "R_fem - R_bar(factor 1) / factor. Prints the discrepancy before (with the file's\n"
         "current factors) and after, and writes the factor into the network file.\n"
         "With --length-classes it also fits one factor per distinct bond length\n"
         "(Levenberg-Marquardt with exact derivatives) and writes those too.\n"
         "\n"
         "options:\n"
         "  --inputs IDS          input node ids, e.g. 13,11 (default: every free node)\n"
         "  --order 1|2           FEM element order (default 2)\n"
         "  --solver gamg|mumps|cholmod  FEM solver (default mumps: many right-hand sides)\n"
         "  -o, --output FILE     network file to write (default: NETWORK itself)\n"
         "  --length-classes      also fit one factor per distinct bond length (at most 16;\n"
         "                        written as <length-class> elements; bonds of other lengths\n"
         "                        keep the single factor)\n"
         "  --dry-run             fit and print, write nothing\n"
         "  -q, --quiet           print nothing but errors\n"
         "  -h, --help            this help\n"
         "\n"
         "Under mpiexec the FEM runs in parallel (use --solver mumps or gamg).\n");
}


static void to_dofs(const mnn_network *net, int n, const mnn_fem_output *v, int *dofs) {
  for (int i = 0; i < n; ++i) dofs[i] = 2 * mnn_network_node_index(net, v[i].node_id) + v[i].component;
}

/* What the fit did, on rank 0: the differences before and after, per class. */
static int report(const mnn_network *net, const mnn_calibration *cal, int n_in, const int *in_dof, int n_out,
                  const int *out_dof, const double *Rf, mnn_error *err) {
  if (mnn_get_verbosity() < MNN_NORMAL || !mnn_cli_is_rank_zero()) return 0;
  size_t n = (size_t)n_in * n_out;
  double *R = malloc(sizeof(double) * n);
  mnn_network *fitted = mnn_network_copy(net);
  int rc = !R || !fitted ? mnn_fail(err, "out of memory") : 0;
  double worst_before = 0, worst_one = 0, worst_classes = 0;
  if (!rc) rc = mnn_bar_response(net, n_in, in_dof, n_out, out_dof, R, err);
  if (!rc) {
    worst_before = mnn_response_worst_node(n_in, n_out, R, Rf);
    mnn_calibration one = *cal;
    one.n_classes = 0;
    mnn_calibration_apply(&one, fitted);
    rc = mnn_bar_response(fitted, n_in, in_dof, n_out, out_dof, R, err);
  }
  if (!rc) worst_one = mnn_response_worst_node(n_in, n_out, R, Rf);
  if (!rc && cal->n_classes) {
    mnn_calibration_apply(cal, fitted);
    rc = mnn_bar_response(fitted, n_in, in_dof, n_out, out_dof, R, err);
    if (!rc) worst_classes = mnn_response_worst_node(n_in, n_out, R, Rf);
  }
  if (!rc) {
    printf("response matrix: %d outputs x %d inputs\n", n_out, n_in);
    printf("relative Frobenius difference bar - FEM: %.4f with the file's factors, %.4f with the fitted factor %.4f\n",
           cal->diff_before, cal->diff_one_factor, cal->factor);
    printf("worst node displacement difference (nodes moving > 5%% of the largest): %.2f%% before, %.2f%% after\n",
           100 * worst_before, 100 * worst_one);
    if (cal->n_classes) {
      printf("per bond-length class (%d classes, %d iterations): relative Frobenius difference %.4f, worst node %.2f%%\n",
             cal->n_classes, cal->iterations, cal->diff_classes, 100 * worst_classes);
      for (int c = 0; c < cal->n_classes; ++c)
        printf("  length %.6g mm: factor %.4f%s\n", 1e3 * cal->class_length[c], cal->class_factor[c],
               cal->class_determined[c] ? "" : " (not determined by these loads: kept the single factor)");
    }
  }
  free(R);
  mnn_network_free(fitted);
  return rc;
}

typedef struct {
  const char *network_path, *mesh_path, *out_path;
  int order, solver, dry_run, n_inputs, length_classes;
  int *inputs;
} cal_args;

static int run(const cal_args *a, mnn_network *net, mnn_error *err) {
  int n_in_nodes = 0, n_out = 0;
  mnn_fem_output *in = malloc(sizeof *in * 2 * (size_t)net->n_nodes), *out = malloc(sizeof *out * 2 * (size_t)net->n_nodes);
  for (int i = 0; i < net->n_nodes; ++i)
    if (!net->fixed[i]) {
      out[n_out++] = (mnn_fem_output){net->node_id[i], 0};
      out[n_out++] = (mnn_fem_output){net->node_id[i], 1};
    }
  if (a->n_inputs) {
    for (int j = 0; j < a->n_inputs; ++j) {
      int i = mnn_network_node_index(net, a->inputs[j]);
      if (i < 0) {
        free(in), free(out);
        return mnn_fail(err, "--inputs: the network has no node %d", a->inputs[j]);
      }
      in[2 * j] = (mnn_fem_output){a->inputs[j], 0};
      in[2 * j + 1] = (mnn_fem_output){a->inputs[j], 1};
    }
    n_in_nodes = a->n_inputs;
  } else {
    for (int o = 0; o < n_out; ++o) in[o] = out[o];
    n_in_nodes = n_out / 2;
  }
  int n_in = 2 * n_in_nodes, solves = 0;
  double *Rf = malloc(sizeof(double) * (size_t)n_in * n_out);
  int *in_dof = malloc(sizeof(int) * (size_t)n_in), *out_dof = malloc(sizeof(int) * (size_t)n_out);
  mnn_fem *fem = NULL;
  int rc = !Rf || !in_dof || !out_dof ? mnn_fail(err, "out of memory") : 0;
  double t0 = mnn_now();
  if (!rc) rc = !(fem = mnn_fem_create(PETSC_COMM_WORLD, net, a->mesh_path, a->order, err));
  if (!rc) rc = mnn_fem_assemble(fem, err) || mnn_fem_response_matrix(fem, n_in, in, n_out, out, Rf, &solves, err);
  mnn_calibration cal;
  if (!rc) {
    to_dofs(net, n_in, in, in_dof);
    to_dofs(net, n_out, out, out_dof);
    rc = mnn_calibrate_bar_model(net, n_in, in_dof, n_out, out_dof, Rf, a->length_classes, &cal, err);
  }
  if (!rc) {
    mnn_fem_stats st;
    mnn_fem_get_stats(fem, &st);
    mnn_info("calibrate: FEM P%d, %ld DOFs, %d solves (%s/%s), %.1f s", st.order, st.n_dofs, solves, st.ksp_type,
             st.pc_type, mnn_now() - t0);
    rc = report(net, &cal, n_in, in_dof, n_out, out_dof, Rf, err);
  }
  if (!rc && !a->dry_run) {
    mnn_calibration_apply(&cal, net);
    const char *path = a->out_path ? a->out_path : a->network_path;
    if (mnn_cli_is_rank_zero()) {
      rc = mnn_network_write(net, path, err);
      if (!rc) mnn_info("calibrate: wrote the stiffness factor%s into %s", cal.n_classes ? "s" : "", path);
    }
    MPI_Bcast(&rc, 1, MPI_INT, 0, PETSC_COMM_WORLD);
  }
  mnn_fem_destroy(fem);
  free(in);
  free(out);
  free(Rf);
  free(in_dof);
  free(out_dof);
  return rc;
}

int mnn_cmd_calibrate(int argc, char **argv) {
  static const struct option opts[] = {
      {"inputs", required_argument, 0, 'I'}, {"order", required_argument, 0, 'p'},
      {"solver", required_argument, 0, 'S'}, {"output", required_argument, 0, 'o'},
      {"dry-run", no_argument, 0, 'D'},      {"quiet", no_argument, 0, 'q'},
      {"length-classes", no_argument, 0, 'L'},
      {"help", no_argument, 0, 'h'},         {0, 0, 0, 0}};
  cal_args a = {.order = 2, .solver = 1};
  mnn_error err;
  int our_argc = mnn_cli_petsc_split(argc, argv), c, bad = 0;
  if (!mnn_cli_is_rank_zero()) mnn_set_verbosity(MNN_QUIET);
  optind = 1;
  while (!bad && (c = getopt_long(our_argc, argv, "o:qh", opts, NULL)) != -1) {
    switch (c) {
      case 'I': bad = (a.n_inputs = mnn_cli_id_list(optarg, "--inputs", &a.inputs, &err)) < 0; break;
      case 'p':
        bad = mnn_cli_int(optarg, "--order", &a.order, &err);
        if (!bad && a.order != 1 && a.order != 2) bad = mnn_fail(&err, "--order %d: use 1 or 2", a.order);
        break;
      case 'S':
        a.solver = !strcmp(optarg, "gamg") ? 0 : !strcmp(optarg, "mumps") ? 1 : !strcmp(optarg, "cholmod") ? 2 : -1;
        if (a.solver < 0) bad = mnn_fail(&err, "--solver '%s': use gamg, mumps or cholmod", optarg);
        break;
      case 'o': a.out_path = optarg; break;
      case 'D': a.dry_run = 1; break;
      case 'L': a.length_classes = 1; break;
      case 'q': mnn_set_verbosity(MNN_QUIET); break;
      case 'h': help(); bad = 2; break;
      default: bad = mnn_fail(&err, "calibrate: unknown option: run `mnn calibrate --help`");
    }
  }
  if (!bad && our_argc - optind != 2) bad = mnn_fail(&err, "calibrate: give NETWORK and MESH, e.g. mnn calibrate net.xml net.msh");
  mnn_network *net = NULL;
  if (!bad) {
    a.network_path = argv[optind];
    a.mesh_path = argv[optind + 1];
    if (!(net = mnn_network_read(a.network_path, &err))) bad = 1;
  }
  int rc = 0;
  if (bad == 2) rc = 0;
  else if (bad) rc = mnn_cli_fail_rank_zero(&err);
  else {
    if (mnn_cli_petsc_start(argc, argv, our_argc, a.solver == 2 ? "cholmod" : a.solver ? "mumps" : NULL, "calibrate",
                            &err))
      rc = mnn_cli_fail_rank_zero(&err);
    else {
      if (run(&a, net, &err)) rc = mnn_cli_fail_rank_zero(&err);
      PetscFinalize();
    }
  }
  mnn_network_free(net);
  free(a.inputs);
  return rc;
}
