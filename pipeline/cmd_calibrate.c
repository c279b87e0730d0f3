/* mnn calibrate: fits the bar model's stiffness factor (k = factor * E w t / L),
 * and optionally one per bond-length class, to the 3D FEM of the meshed network,
 * so that the bar model trains what the printed part does. Both models' response
 * matrices (unit forces on the input nodes -> displacements of every free node)
 * are compared (barmodel/calibration/calibration.h does the fit); the factors are written
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
#include "fem_response.h"
#include "log.h"
#include "material_file.h"
#include "measurement_eval.h"
#include "network_file.h"

static void help(void) {
  printf("usage: mnn calibrate NETWORK MESH [NETWORK2 MESH2 ...] [options] [-- PETSc options]\n"
         "       mnn calibrate --material MEASUREMENT MESH -o MATERIAL.xml [options]\n"
         "\n"
         "Fits the bar model's stiffness factor to the 3D FEM of MESH (from `mnn mesh`):\n"
         "unit forces (x and y) on each input node give the displacements of every free\n"
         "node's disc in both models; the factor minimises the Frobenius norm of\n"
         "R_fem - R_bar(factor 1) / factor. Prints the discrepancy before (with the file's\n"
         "current factors) and after, and writes the factor into the network file.\n"
         "With --length-classes it also fits one factor per distinct bond length\n"
         "(Levenberg-Marquardt with exact derivatives) and writes those too.\n"
         "With --joint-compliance it fits the factor f and a compliance c_j in series at\n"
         "each bond end that does not scale with the width, k = f / (L/(E w t) + 2 c_j),\n"
         "on one or more networks together (they need bonds of different widths: a trained\n"
         "network, or uniform networks of two widths), and writes both into each file.\n"
         "The FEM's material is the network file's E and nu, or the record given with\n"
         "--fem-material (the bar model keeps the network file's E: its effective stiffness).\n"
         "\n"
         "With --material it fits the FEM's Young's modulus instead, to the displacements\n"
         "measured on a printed part (MEASUREMENT: schemas/measurement.xsd; MESH: the mesh\n"
         "of the network it names), weights 1/sd^2; the FEM's response is proportional to\n"
         "1/E, so one solve suffices. Writes the material record (E, nu, what it was fitted\n"
         "on, the residual in standard deviations) to MATERIAL.xml.\n"
         "\n"
         "options:\n"
         "  --inputs IDS          input node ids, e.g. 13,11 (default: every free node)\n"
         "  --order 1|2           FEM element order (default 2)\n"
         "  --solver mumps|cholmod|pmg    FEM solver (default mumps: one factorisation for the\n"
         "                        many right-hand sides; pmg (or gamg): CG + p-multigrid)\n"
         "  -o, --output FILE     network file to write (default: NETWORK itself)\n"
         "  --length-classes      also fit one factor per distinct bond length (at most 16;\n"
         "                        written as <length-class> elements; bonds of other lengths\n"
         "                        keep the single factor)\n"
         "  --joint-compliance    fit the factor and the joint compliance c_j (m/N) together\n"
         "  --material            fit the FEM's Young's modulus to a measured part (above)\n"
         "  --fem-material FILE   the FEM's material record (E, nu), e.g. from --material;\n"
         "                        with --material only its nu is used\n"
         "  --dry-run             fit and print, write nothing\n"
         "  -q, --quiet           print nothing but errors\n"
         "  -h, --help            this help\n"
         "\n"
         "Under mpiexec the FEM runs in parallel (use --solver mumps or pmg).\n");
}


/* What the fit did, on rank 0: the differences before and after, per class. */
static void report(const mnn_calibration *cal, int n_in, int n_out) {
  if (mnn_get_verbosity() < MNN_NORMAL || !mnn_cli_is_rank_zero()) return;
  printf("response matrix: %d outputs x %d inputs\n", n_out, n_in);
  printf("relative Frobenius difference bar - FEM: %.4f with the file's factors, %.4f with the fitted factor %.4f\n",
         cal->diff_before, cal->diff_one_factor, cal->factor);
  printf("worst node displacement difference (nodes moving > 5%% of the largest): %.2f%% before, %.2f%% after\n",
         100 * cal->worst_before, 100 * cal->worst_one_factor);
  if (!cal->n_classes) return;
  printf("per bond-length class (%d classes, %d iterations): relative Frobenius difference %.4f, worst node %.2f%%\n",
         cal->n_classes, cal->iterations, cal->diff_classes, 100 * cal->worst_classes);
  for (int c = 0; c < cal->n_classes; ++c)
    printf("  length %.6g mm: factor %.4f%s\n", 1e3 * cal->class_length[c], cal->class_factor[c],
           cal->class_determined[c] ? "" : " (not determined by these loads: kept the single factor)");
}

#define MAX_PAIRS 8

typedef struct {
  int n_pairs;
  const char *network_path[MAX_PAIRS], *mesh_path[MAX_PAIRS], *out_path;
  int order, solver, dry_run, n_inputs, length_classes, joint, material_fit;
  int *inputs;
  const char *fem_material_path;
  mnn_material fem_material;      /* read from fem_material_path */
} cal_args;

/* One network's comparison: its inputs and outputs (DOFs 2i+c) and the FEM's
 * response matrix of them. */
typedef struct {
  mnn_network *net;
  int n_in, n_out;
  int *in_dof, *out_dof;
  double *R_fem;
} cal_pair;

static void pair_free(cal_pair *p) {
  mnn_network_free(p->net);
  free(p->in_dof);
  free(p->out_dof);
  free(p->R_fem);
}

/* Inputs: x and y of --inputs nodes, else of every free node; outputs: x and y of
 * every free node. Then the FEM response on the mesh. */
static int pair_response(const cal_args *a, cal_pair *p, const char *mesh_path, mnn_error *err) {
  const mnn_network *net = p->net;
  int nn = net->n_nodes;
  mnn_fem_output *in = malloc(sizeof *in * 2 * (size_t)nn), *out = malloc(sizeof *out * 2 * (size_t)nn);
  p->in_dof = malloc(sizeof(int) * 2 * (size_t)nn);
  p->out_dof = malloc(sizeof(int) * 2 * (size_t)nn);
  int rc = !in || !out || !p->in_dof || !p->out_dof ? mnn_fail(err, "out of memory") : 0;
  p->n_in = p->n_out = 0;
  for (int i = 0; i < nn && !rc; ++i)
    if (!net->fixed[i])
      for (int c = 0; c < 2; ++c) out[p->n_out] = (mnn_fem_output){net->node_id[i], c}, p->out_dof[p->n_out++] = 2 * i + c;
  for (int j = 0; j < a->n_inputs && !rc; ++j) {
    int i = mnn_network_node_index(net, a->inputs[j]);
    if (i < 0) rc = mnn_fail(err, "--inputs: the network has no node %d", a->inputs[j]);
    for (int c = 0; c < 2 && !rc; ++c) in[p->n_in] = (mnn_fem_output){a->inputs[j], c}, p->in_dof[p->n_in++] = 2 * i + c;
  }
  if (!rc && !a->n_inputs) {
    memcpy(in, out, sizeof *in * (size_t)p->n_out);
    memcpy(p->in_dof, p->out_dof, sizeof(int) * (size_t)p->n_out);
    p->n_in = p->n_out;
  }
  int solves = 0;
  double t0 = mnn_now();
  mnn_fem_stats st;
  if (!rc && !(p->R_fem = malloc(sizeof(double) * (size_t)p->n_in * p->n_out + 1))) rc = mnn_fail(err, "out of memory");
  if (!rc)
    rc = mnn_fem_network_response(net, a->fem_material_path ? &a->fem_material : NULL, mesh_path, a->order, p->n_in, in,
                                  p->n_out, out, p->R_fem, &st, &solves, err);
  if (!rc)
    mnn_info("calibrate: %s: FEM P%d, %ld DOFs, %d solves (%s/%s), %.1f s", mesh_path, st.order, st.n_dofs, solves,
             st.ksp_type, st.pc_type, mnn_now() - t0);
  free(in);
  free(out);
  return rc;
}

static int write_network(const mnn_network *net, const char *path, mnn_error *err) {
  int rc = 0;
  if (mnn_cli_is_rank_zero()) {
    rc = mnn_network_write(net, path, err);
    if (!rc) mnn_info("calibrate: wrote the calibration into %s", path);
  }
  return mnn_cli_rank_zero_rc(rc, err);
}

/* One factor, or one per length class, on one network. */
static int fit_factors(const cal_args *a, cal_pair *p, mnn_error *err) {
  mnn_calibration cal;
  int rc = mnn_calibrate_bar_model(p->net, p->n_in, p->in_dof, p->n_out, p->out_dof, p->R_fem, a->length_classes, &cal, err);
  if (!rc) report(&cal, p->n_in, p->n_out);
  if (!rc && !a->dry_run) {
    mnn_calibration_apply(&cal, p->net);
    rc = write_network(p->net, a->out_path ? a->out_path : a->network_path[0], err);
  }
  return rc;
}

/* The bar model's response of p's network, at the calibration it holds now,
 * against the FEM's: the relative Frobenius difference and the worst node's. */
static int bar_against_fem(const cal_pair *p, double *difference, double *worst, mnn_error *err) {
  double *R = malloc(sizeof(double) * (size_t)p->n_in * p->n_out + 1);
  int rc = !R ? mnn_fail(err, "out of memory") : mnn_bar_response(p->net, p->n_in, p->in_dof, p->n_out, p->out_dof, R, err);
  if (!rc) {
    *difference = mnn_response_rel_difference(p->n_in * p->n_out, R, p->R_fem);
    *worst = mnn_response_worst_node(p->n_in, p->n_out, R, p->R_fem);
  }
  free(R);
  return rc;
}

/* The factor and the joint compliance, on one or more networks together. */
static int fit_joint(const cal_args *a, cal_pair *pairs, mnn_error *err) {
  mnn_frame_cal_set sets[MAX_PAIRS];
  for (int k = 0; k < a->n_pairs; ++k)
    sets[k] = (mnn_frame_cal_set){pairs[k].net, pairs[k].n_in, pairs[k].n_out, pairs[k].in_dof, pairs[k].out_dof,
                                  pairs[k].R_fem};
  double before[MAX_PAIRS], worst_before[MAX_PAIRS], factor = 1, rms = 0;
  int rc = 0;
  for (int k = 0; k < a->n_pairs && !rc; ++k) /* the networks' own calibration, as their files say */
    rc = bar_against_fem(&pairs[k], &before[k], &worst_before[k], err);
  mnn_frame_options o;
  mnn_frame_options_bar(&o);
  if (!rc) rc = mnn_frame_calibrate(sets, a->n_pairs, &o, 1, &factor, &rms, err);
  for (int k = 0; k < a->n_pairs && !rc; ++k) {
    cal_pair *p = &pairs[k];
    p->net->calibration.factor = factor;
    p->net->calibration.joint_compliance = o.joint_compliance;
    p->net->calibration.n_classes = 0;
    double after, worst_after;
    rc = bar_against_fem(p, &after, &worst_after, err);
    if (!rc && mnn_get_verbosity() >= MNN_NORMAL && mnn_cli_is_rank_zero())
      printf("%s: relative Frobenius difference bar - FEM %.4f before, %.4f after; worst node %.2f%% before, %.2f%% "
             "after\n",
             a->network_path[k], before[k], after, 100 * worst_before[k], 100 * worst_after);
  }
  if (!rc && mnn_get_verbosity() >= MNN_NORMAL && mnn_cli_is_rank_zero())
    printf("fitted stiffness factor %.4f and joint compliance %.4g m/N (k = factor / (L/(E w t) + 2 c_j)); rms "
           "difference %.4f\n",
           factor, o.joint_compliance, rms);
  for (int k = 0; k < a->n_pairs && !rc && !a->dry_run; ++k)
    rc = write_network(pairs[k].net, a->out_path ? a->out_path : a->network_path[k], err);
  return rc;
}

/* --material: the FEM's modulus fitted to a measured part, printed and written. */
static int fit_material(const cal_args *a, mnn_error *err) {
  mnn_measurement *m = mnn_measurement_read(a->network_path[0], err);
  if (!m) return -1;
  mnn_measure_item item = {.m = m, .mesh = a->mesh_path[0], .fit = 1};
  mnn_measure_job job = {.n_items = 1, .items = &item, .order = a->order,
                         .material = a->fem_material_path ? &a->fem_material : NULL};
  int rc = mnn_measure_run(&job, err);
  if (!rc && mnn_get_verbosity() >= MNN_NORMAL && mnn_cli_is_rank_zero()) {
    printf("%s: %d measured displacements, FEM P%d with %ld DOFs solved at E = %.6g Pa\n", m->name, m->n_displacements,
           a->order, item.fem_dofs, job.reference_modulus);
    printf("node comp  measured mm     sd mm   bar model mm   FEM (fitted E) mm   FEM - measured (sd)\n");
    for (int j = 0; j < m->n_displacements; ++j) {
      const mnn_measured_value *v = &m->displacements[j];
      printf("%4d  %c   %11.6f  %9.6f  %13.6f  %18.6f  %+10.3f\n", v->id, "xy"[v->component], 1e3 * v->value,
             1e3 * v->sd, 1e3 * item.bar_u[j], 1e3 * item.fem_u[j],
             mnn_difference_in_sd(item.fem_u[j], v->value, v->sd));
    }
    printf("fitted Young's modulus %.6g Pa (%.4f x the reference %.6g Pa), nu %.3g; residual rms %.3g sd, max %.3g sd, "
           "max relative %.3g\n",
           job.youngs_modulus, job.youngs_modulus / job.reference_modulus, job.reference_modulus, job.poisson_ratio,
           job.fit.rms_sd, job.fit.max_sd, job.fit.max_relative);
  }
  if (!rc && !a->dry_run && mnn_cli_is_rank_zero()) {
    rc = mnn_measure_write_material(&job, a->out_path, err);
    if (!rc) mnn_info("calibrate: wrote the material record %s", a->out_path);
  }
  rc = mnn_cli_rank_zero_rc(rc, err);
  mnn_measure_item_clear(&item);
  mnn_measurement_free(m);
  return rc;
}

static int run(const cal_args *a, mnn_error *err) {
  if (a->material_fit) return fit_material(a, err);
  cal_pair pairs[MAX_PAIRS];
  memset(pairs, 0, sizeof pairs);
  int rc = 0;
  for (int k = 0; k < a->n_pairs && !rc; ++k) {
    if (!(pairs[k].net = mnn_network_read(a->network_path[k], err))) rc = -1;
    else rc = pair_response(a, &pairs[k], a->mesh_path[k], err);
    if (rc) mnn_error_prefix(err, "%s", a->network_path[k]);
  }
  if (!rc) rc = a->joint ? fit_joint(a, pairs, err) : fit_factors(a, &pairs[0], err);
  for (int k = 0; k < a->n_pairs; ++k) pair_free(&pairs[k]);
  return rc;
}

int mnn_cmd_calibrate(int argc, char **argv) {
  static const struct option opts[] = {
      {"inputs", required_argument, 0, 'I'}, {"order", required_argument, 0, 'p'},
      {"solver", required_argument, 0, 'S'}, {"output", required_argument, 0, 'o'},
      {"dry-run", no_argument, 0, 'D'},      {"quiet", no_argument, 0, 'q'},
      {"length-classes", no_argument, 0, 'L'}, {"joint-compliance", no_argument, 0, 'J'},
      {"material", no_argument, 0, 'M'},     {"fem-material", required_argument, 0, 'F'},
      {"help", no_argument, 0, 'h'},         {0, 0, 0, 0}};
  cal_args a = {.order = 2, .solver = 1};
  mnn_error err;
  int our_argc = mnn_cli_petsc_split(argc, argv), c, bad = 0;
  if (!mnn_cli_is_rank_zero()) mnn_set_verbosity(MNN_QUIET);
  optind = 1;
  while (!bad && (c = getopt_long(our_argc, argv, "o:qh", opts, NULL)) != -1) {
    switch (c) {
      case 'I': bad = (a.n_inputs = mnn_cli_id_list(optarg, "--inputs", &a.inputs, &err)) < 0 ? -1 : 0; break;
      case 'p':
        bad = mnn_cli_int(optarg, "--order", &a.order, &err);
        if (!bad && a.order != 1 && a.order != 2) bad = mnn_fail(&err, "--order %d: use 1 or 2", a.order);
        break;
      case 'S':
        a.solver = !strcmp(optarg, "gamg") || !strcmp(optarg, "pmg") ? 0 : !strcmp(optarg, "mumps") ? 1 : !strcmp(optarg, "cholmod") ? 2 : -1;
        if (a.solver < 0) bad = mnn_fail(&err, "--solver '%s': use mumps, cholmod or pmg (gamg)", optarg);
        break;
      case 'o': a.out_path = optarg; break;
      case 'D': a.dry_run = 1; break;
      case 'L': a.length_classes = 1; break;
      case 'J': a.joint = 1; break;
      case 'M': a.material_fit = 1; break;
      case 'F':
        a.fem_material_path = optarg;
        bad = mnn_material_read(optarg, &a.fem_material, &err) ? 1 : 0; /* a file's fault: exit 1 */
        break;
      case 'q': mnn_set_verbosity(MNN_QUIET); break;
      case 'h': help(); bad = 2; break;
      default: bad = mnn_cli_option_error("calibrate", argv, opts, &err);
    }
  }
  if (bad < 0) bad = 3; /* a malformed option: a usage error */
  int n_args = bad ? 0 : our_argc - optind;
  if (!bad && a.material_fit && n_args != 2)
    bad = 3, mnn_fail(&err, "calibrate --material: give MEASUREMENT MESH, e.g. mnn calibrate --material fig2-uniform.xml "
                         "uniform.msh -o material.xml");
  if (!bad && (n_args < 2 || n_args % 2 || n_args > 2 * MAX_PAIRS))
    bad = 3, mnn_fail(&err, "calibrate: give NETWORK MESH (or up to %d such pairs with --joint-compliance), e.g. mnn "
                         "calibrate net.xml net.msh", MAX_PAIRS);
  if (!bad && n_args > 2 && !a.joint)
    bad = 3, mnn_fail(&err, "calibrate: several NETWORK MESH pairs are fitted together only with --joint-compliance");
  if (!bad && a.joint && a.length_classes)
    bad = 3, mnn_fail(&err, "calibrate: --joint-compliance and --length-classes are two different models: choose one");
  if (!bad && n_args > 2 && a.out_path)
    bad = 3, mnn_fail(&err, "calibrate: with several networks the calibration is written into each network file: drop -o");
  if (!bad && a.material_fit && (n_args != 2 || a.joint || a.length_classes || a.n_inputs))
    bad = 3, mnn_fail(&err, "calibrate --material: give one MEASUREMENT MESH pair and no --joint-compliance, "
                         "--length-classes or --inputs");
  if (!bad && a.material_fit && !a.out_path && !a.dry_run)
    bad = 3, mnn_fail(&err, "calibrate --material: give -o MATERIAL.xml for the fitted material record (or --dry-run)");
  a.n_pairs = bad ? 0 : n_args / 2;
  if (a.material_fit && !bad) { /* read now, so that a bad file fails before MPI starts */
    a.network_path[0] = argv[optind];
    a.mesh_path[0] = argv[optind + 1];
    mnn_measurement *m = mnn_measurement_read(a.network_path[0], &err);
    if (!m) bad = 1;
    mnn_measurement_free(m);
    a.n_pairs = 0;
  }
  for (int k = 0; k < a.n_pairs && !bad; ++k) { /* read now, so that a bad file fails before MPI starts */
    a.network_path[k] = argv[optind + 2 * k];
    a.mesh_path[k] = argv[optind + 2 * k + 1];
    mnn_network *net = mnn_network_read(a.network_path[k], &err);
    if (!net) bad = 1;
    mnn_network_free(net);
  }
  int rc = 0;
  if (bad == 2) rc = 0;
  else if (bad == 3) rc = mnn_cli_usage_rank_zero(&err);
  else if (bad) rc = mnn_cli_fail_rank_zero(&err);
  else {
    if (mnn_cli_petsc_start(argc, argv, our_argc, a.solver == 2 ? "cholmod" : a.solver ? "mumps" : NULL, "calibrate",
                            &err))
      rc = mnn_cli_fail_rank_zero(&err);
    else {
      if (mnn_cli_petsc_stop(run(&a, &err), "calibrate", &err)) rc = mnn_cli_fail_rank_zero(&err);
    }
  }
  free(a.inputs);
  return rc;
}
