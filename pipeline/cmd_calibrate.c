/* mnn calibrate: fits the bar model's stiffness factor (k = factor * E w t / L)
 * to the 3D FEM of the meshed network, so that the bar model trains what the
 * printed part does. Both models' response matrices (unit forces on the input
 * nodes -> displacements of every free node) are compared; the factor minimises
 * || R_fem - R_bar(1) / factor ||_F and is written into the network file. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bar_solver.h"
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
         "current factor) and after, and writes the factor into the network file.\n"
         "\n"
         "options:\n"
         "  --inputs IDS          input node ids, e.g. 13,11 (default: every free node)\n"
         "  --order 1|2           FEM element order (default 2)\n"
         "  --solver gamg|mumps|cholmod  FEM solver (default mumps: many right-hand sides)\n"
         "  -o, --output FILE     network file to write (default: NETWORK itself)\n"
         "  --dry-run             fit and print, write nothing\n"
         "  -q, --quiet           print nothing but errors\n"
         "  -h, --help            this help\n"
         "\n"
         "Under mpiexec the FEM runs in parallel (use --solver mumps or gamg).\n");
}


/* Bar-model response matrix with factor 1: rows = outputs (node, component),
 * columns = inputs. */
static int bar_response(const mnn_network *net0, int n_in, const mnn_fem_output *in, int n_out,
                        const mnn_fem_output *out, double *R, mnn_error *err) {
  mnn_network *net = mnn_network_copy(net0);
  if (!net) return mnn_fail(err, "out of memory");
  net->stiffness_factor = 1.0;
  int nd = 2 * net->n_nodes, rc = 0;
  double *k = malloc(sizeof(double) * (size_t)net->n_bonds), *F = calloc((size_t)nd * n_in, sizeof(double));
  mnn_bar_solver *s = mnn_bar_solver_create(net, err);
  if (!s || !k || !F) rc = s ? mnn_fail(err, "out of memory") : -1;
  if (!rc) {
    mnn_network_stiffnesses(net, k);
    for (int j = 0; j < n_in; ++j) F[(size_t)j * nd + 2 * mnn_network_node_index(net, in[j].node_id) + in[j].component] = 1;
    rc = mnn_bar_solver_factor(s, k, err) || mnn_bar_solver_solve(s, n_in, F, F, err);
  }
  for (int o = 0; o < n_out && !rc; ++o)
    for (int j = 0; j < n_in; ++j)
      R[(size_t)o * n_in + j] = F[(size_t)j * nd + 2 * mnn_network_node_index(net, out[o].node_id) + out[o].component];
  mnn_bar_solver_free(s);
  free(k);
  free(F);
  mnn_network_free(net);
  return rc;
}

static double rel_frobenius(const double *R_fem, const double *R_bar1, int n, double factor) {
  double num = 0, den = 0;
  for (int i = 0; i < n; ++i) {
    double d = R_bar1[i] / factor - R_fem[i];
    num += d * d;
    den += R_fem[i] * R_fem[i];
  }
  return sqrt(num / den);
}

/* Largest relative difference of a whole node displacement vector, over inputs. */
static double worst_node(const double *R_fem, const double *R_bar1, int n_in, int n_out, double factor) {
  double worst = 0, scale = 0;
  for (int i = 0; i < n_in * n_out; ++i) scale = fmax(scale, fabs(R_fem[i]));
  for (int o = 0; o + 1 < n_out; o += 2)
    for (int j = 0; j < n_in; ++j) {
      double fx = R_fem[(size_t)o * n_in + j], fy = R_fem[(size_t)(o + 1) * n_in + j];
      double dx = R_bar1[(size_t)o * n_in + j] / factor - fx, dy = R_bar1[(size_t)(o + 1) * n_in + j] / factor - fy;
      double nf = hypot(fx, fy);
      if (nf > 0.05 * scale) worst = fmax(worst, hypot(dx, dy) / nf);
    }
  return worst;
}

typedef struct {
  const char *network_path, *mesh_path, *out_path;
  int order, solver, dry_run, n_inputs;
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
      if (i < 0) return mnn_fail(err, "--inputs: the network has no node %d", a->inputs[j]);
      in[2 * j] = (mnn_fem_output){a->inputs[j], 0};
      in[2 * j + 1] = (mnn_fem_output){a->inputs[j], 1};
    }
    n_in_nodes = a->n_inputs;
  } else {
    for (int o = 0; o < n_out; ++o) in[o] = out[o];
    n_in_nodes = n_out / 2;
  }
  int n_in = 2 * n_in_nodes, solves = 0;
  double *Rf = malloc(sizeof(double) * (size_t)n_in * n_out), *Rb = malloc(sizeof(double) * (size_t)n_in * n_out);
  mnn_fem *fem = mnn_fem_create(PETSC_COMM_WORLD, net, a->mesh_path, a->order, err);
  int rc = !fem;
  double t0 = mnn_now();
  if (!rc) rc = mnn_fem_assemble(fem, err) || mnn_fem_response_matrix(fem, n_in, in, n_out, out, Rf, &solves, err);
  if (!rc) rc = bar_response(net, n_in, in, n_out, out, Rb, err);
  if (!rc) {
    double dot = 0, nb = 0;
    for (int i = 0; i < n_in * n_out; ++i) {
      dot += Rf[i] * Rb[i];
      nb += Rb[i] * Rb[i];
    }
    double factor = nb / dot, old = net->stiffness_factor;
    mnn_fem_stats st;
    mnn_fem_get_stats(fem, &st);
    mnn_info("calibrate: FEM P%d, %ld DOFs, %d solves (%s/%s), %.1f s", st.order, st.n_dofs, solves, st.ksp_type,
             st.pc_type, mnn_now() - t0);
    if (mnn_get_verbosity() >= MNN_NORMAL && mnn_cli_is_rank_zero()) {
      printf("response matrix: %d outputs x %d inputs\n", n_out, n_in);
      printf("relative Frobenius difference bar - FEM: %.4f with factor %.4f (file), %.4f with factor 1, "
             "%.4f with the fitted factor %.4f\n",
             rel_frobenius(Rf, Rb, n_in * n_out, old), old, rel_frobenius(Rf, Rb, n_in * n_out, 1.0),
             rel_frobenius(Rf, Rb, n_in * n_out, factor), factor);
      printf("worst node displacement difference (nodes moving > 5%% of the largest): %.2f%% before, %.2f%% after\n",
             100 * worst_node(Rf, Rb, n_in, n_out, old), 100 * worst_node(Rf, Rb, n_in, n_out, factor));
    }
    if (!(factor > 0) || !isfinite(factor)) rc = mnn_fail(err, "calibrate: the fitted factor %g is not positive", factor);
    else if (!a->dry_run) {
      net->stiffness_factor = factor;
      const char *path = a->out_path ? a->out_path : a->network_path;
      if (mnn_cli_is_rank_zero()) {
        rc = mnn_network_write(net, path, err);
        if (!rc) mnn_info("calibrate: wrote stiffness-factor %.6g into %s", factor, path);
      }
      MPI_Bcast(&rc, 1, MPI_INT, 0, PETSC_COMM_WORLD);
    }
  }
  mnn_fem_destroy(fem);
  free(in);
  free(out);
  free(Rf);
  free(Rb);
  return rc;
}

int mnn_cmd_calibrate(int argc, char **argv) {
  static const struct option opts[] = {
      {"inputs", required_argument, 0, 'I'}, {"order", required_argument, 0, 'p'},
      {"solver", required_argument, 0, 'S'}, {"output", required_argument, 0, 'o'},
      {"dry-run", no_argument, 0, 'D'},      {"quiet", no_argument, 0, 'q'},
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
