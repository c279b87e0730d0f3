/* Frame-model variants vs the bar model and the 3D FEM (docs/barmodel.md,
 * "Frame-model variant").
 *
 *   bench_frame_model                       timings, and node 14 of the uniform paper
 *                                           network under -0.098 N on node 13 for every
 *                                           variant vs the FEM figures of docs/fem.md
 *   bench_frame_model --cal CAL.xml CAL_FEM.xml [--cal ...] --check IRIS.xml IRIS_FEM.xml
 *                     --csv IRIS.csv
 *       CAL.xml: a network calibrated on (the uniform paper network, at 2 mm first,
 *       then others widths), CAL_FEM.xml: its fem-results.xml with --response for x
 *       and y loads on every free node and x and y outputs of every free node;
 *       IRIS.xml: a trained Iris network; IRIS_FEM.xml: its fem-results.xml with
 *       loads on 14, 12, 13, 10, outputs 8:x, 2:x, 3:x and --response. For every
 *       variant: A. the factor fitted on the first network (min ||R_fem - R(1)/f||_F),
 *       B. the factor and a joint compliance fitted on all of them; each checked on
 *       the Iris 3x4 response, the mean sample's outputs and the share of Iris
 *       samples that the variant classes as the FEM does. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "bar_solver.h"
#include "calibration.h"
#include "network.h"
#include "network_file.h"

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

/* The variants shown: each effect alone on top of its predecessor, and a few
 * single switches off the full model. */
static const mnn_frame_options VARIANTS[] = {
    {0, 0, 0, 0, 0, 0}, /* bar model */
    {0, 1, 1, 0, 0, 0}, /* pinned, series necks and discs */
    {1, 0, 0, 0, 0, 0}, /* rigid joints */
    {1, 0, 0, 0, 1, 0}, /* + clamped supports */
    {1, 0, 1, 0, 1, 0}, /* + necks */
    {1, 1, 0, 0, 1, 0}, /* discs, no necks */
    {1, 1, 1, 0, 1, 0}, /* discs + necks */
    {1, 1, 1, 1, 1, 0}, /* everything (default) */
    {1, 1, 1, 1, 0, 0}, /* everything but the clamp */
    {1, 0, 1, 1, 1, 0}, /* everything but the discs */
};
#define N_VARIANTS ((int)(sizeof VARIANTS / sizeof VARIANTS[0]))

/* Response at factor 1 (the library's mnn_frame_response on a copy). */
static int response(const mnn_network *net0, const mnn_frame_options *o, int n_in, const int *in, int n_out,
                    const int *out, double *R) {
  mnn_error err;
  mnn_network *net = mnn_network_copy(net0);
  net->calibration.factor = 1, net->calibration.n_classes = 0;
  int rc = mnn_frame_response(net, o, n_in, in, n_out, out, R, &err);
  if (rc) fprintf(stderr, "bench_frame_model: %s\n", err.message);
  mnn_network_free(net);
  return rc;
}

/* Entries <response .../> of a fem-results.xml: value for (out node id, comp,
 * in node id, comp), NAN if absent. */
typedef struct { int on, oc, in, ic; double v; } entry;
static entry *read_responses(const char *path, int *n) {
  FILE *f = fopen(path, "r");
  if (!f) return fprintf(stderr, "bench_frame_model: cannot open %s\n", path), NULL;
  int cap = 1024;
  entry *e = malloc(sizeof(entry) * cap);
  *n = 0;
  char line[512];
  while (fgets(line, sizeof line, f)) {
    char *p = strstr(line, "<response ");
    char oc, ic;
    entry x;
    if (p && sscanf(p, "<response output-node=\"%d\" output-component=\"%c\" input-node=\"%d\" input-component=\"%c\" value=\"%lf\"",
                    &x.on, &oc, &x.in, &ic, &x.v) == 5) {
      x.oc = oc - 'x', x.ic = ic - 'x';
      if (*n == cap) e = realloc(e, sizeof(entry) * (cap *= 2));
      e[(*n)++] = x;
    }
  }
  fclose(f);
  return e;
}
static double lookup(const entry *e, int n, int on, int oc, int in, int ic) {
  for (int i = 0; i < n; ++i)
    if (e[i].on == on && e[i].oc == oc && e[i].in == in && e[i].ic == ic) return e[i].v;
  return NAN;
}

static double rel_err(const double *R1, const double *Rf, int n, double factor) {
  double num = 0, den = 0;
  for (int i = 0; i < n; ++i) num += pow(R1[i] / factor - Rf[i], 2), den += Rf[i] * Rf[i];
  return sqrt(num / den);
}
static void paper_node14(void) {
  mnn_error err;
  mnn_network *net = mnn_lattice_paper(&err);
  double F[28] = {0}, U[28], th[14];
  F[2 * 12 + 1] = -0.098;
  const double fem_x = -0.2923e-3, fem_y = -0.9361e-3; /* docs/fem.md, P2, refine 1.2 */
  printf("paper network, uniform 2 mm, F_y = -0.098 N on node 13: u(14) in mm, FEM (-0.2923, -0.9361)\n");
  printf("%-34s %10s %10s %8s %8s\n", "variant", "u14x", "u14y", "FEM/x", "FEM/y");
  for (int v = 0; v < N_VARIANTS; ++v) {
    char label[64];
    if (mnn_frame_solve(net, &VARIANTS[v], 1, F, U, th, &err)) {
      fprintf(stderr, "%s\n", err.message);
      continue;
    }
    printf("%-34s %10.4f %10.4f %8.3f %8.3f\n", mnn_frame_options_label(&VARIANTS[v], label, sizeof label),
           U[26] * 1e3, U[27] * 1e3, fem_x / U[26], fem_y / U[27]);
  }
  /* timing: the default frame model vs the bar solver, factor + solve, same process */
  int reps = 2000;
  double k[28];
  mnn_network_stiffnesses(net, k);
  double t0 = now();
  for (int r = 0; r < reps; ++r) {
    mnn_bar_solver *s = mnn_bar_solver_create(net, &err);
    mnn_bar_solver_factor(s, k, &err);
    mnn_bar_solver_solve(s, 1, F, U, &err);
    mnn_bar_solver_free(s);
  }
  double t_bar = (now() - t0) / reps;
  mnn_frame_options o;
  mnn_frame_options_default(&o);
  t0 = now();
  for (int r = 0; r < reps; ++r) mnn_frame_solve(net, &o, 1, F, U, th, &err);
  double t_frame = (now() - t0) / reps;
  printf("\ntime per create+factor+solve (paper network): bar %.1f us, frame (default) %.1f us, ratio %.2f\n",
         t_bar * 1e6, t_frame * 1e6, t_frame / t_bar);
  /* larger patches: the bar solver vs the frame solver (dense up to
   * MNN_FRAME_DENSE_MAX_FREE free DOFs, CHOLMOD above; both forced on the smallest) */
  const int sizes[3] = {12, 20, 100};
  for (int c = 0; c < 3; ++c) {
    mnn_network *big = mnn_lattice_patch(sizes[c], sizes[c], 0.016, MNN_SUPPORT_TOP_ROW, &err);
    int nd = 2 * big->n_nodes;
    double *Fb = calloc(3 * (size_t)nd, sizeof(double)), *Ub = malloc(sizeof(double) * 3 * nd);
    double *kb = malloc(sizeof(double) * big->n_bonds);
    Fb[nd - 1] = -0.01;
    mnn_network_stiffnesses(big, kb);
    t0 = now();
    mnn_bar_solver *s = mnn_bar_solver_create(big, &err);
    mnn_bar_solver_factor(s, kb, &err);
    mnn_bar_solver_solve(s, 1, Fb, Ub, &err);
    mnn_bar_solver_free(s);
    t_bar = now() - t0;
    memset(Fb, 0, sizeof(double) * 3 * nd);
    Fb[3 * big->n_nodes - 2] = -0.01;
    for (int m = c == 0 ? MNN_FRAME_DENSE : MNN_FRAME_AUTO; m <= (c == 0 ? MNN_FRAME_SPARSE : MNN_FRAME_AUTO); ++m) {
      t0 = now();
      mnn_frame_solver *fs = mnn_frame_solver_create_with(big, &o, (mnn_frame_method)m, &err);
      int rc = fs ? mnn_frame_solver_solve(fs, 1, Fb, Ub, &err) : -1;
      t_frame = now() - t0;
      printf("%d x %d patch (%d nodes, %d bonds, %d free frame DOFs): bar %.2f ms, frame %.2f ms (%s), ratio %.1f\n",
             sizes[c], sizes[c], big->n_nodes, big->n_bonds, fs ? mnn_frame_solver_n_free(fs) : 0, t_bar * 1e3,
             t_frame * 1e3, rc ? err.message : mnn_frame_solver_method(fs) == MNN_FRAME_DENSE ? "dense LDL^T" : "CHOLMOD",
             t_frame / t_bar);
      mnn_frame_solver_free(fs);
    }
    free(Fb), free(Ub), free(kb);
    mnn_network_free(big);
  }
  mnn_network_free(net);
}

static const int IRIS_IN[4] = {14, 12, 13, 10}, IRIS_OUT[3] = {8, 2, 3};

/* Iris samples (features / column max * -0.049 N) from the csv; returns count. */
static int read_iris(const char *path, double (*X)[4]) {
  FILE *f = fopen(path, "r");
  if (!f) return 0;
  char line[256];
  int n = 0;
  if (!fgets(line, sizeof line, f)) n = 0;
  while (n < 200 && fgets(line, sizeof line, f))
    if (sscanf(line, "%lf,%lf,%lf,%lf", &X[n][0], &X[n][1], &X[n][2], &X[n][3]) == 4) ++n;
  fclose(f);
  double mx[4] = {0};
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < 4; ++j) mx[j] = fmax(mx[j], X[i][j]);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < 4; ++j) X[i][j] = X[i][j] / mx[j] * -0.005 * 9.8;
  return n;
}
static int classify(const double *R, const double *F) {
  int best = 0;
  double bv = -1;
  for (int o = 0; o < 3; ++o) {
    double u = 0;
    for (int j = 0; j < 4; ++j) u += R[o * 4 + j] * F[j];
    if (fabs(u) > bv) bv = fabs(u), best = o;
  }
  return best;
}

/* A calibration network: its full free-node response (x and y in and out), FEM
 * and model (factor 1), and the response block the Iris task reads. */
typedef struct {
  mnn_network *net;
  int n;             /* response entries */
  int n_in, n_out, *in, *out;
  double *R_fem, *R; /* n_out x n_in */
} cal_set;

static int load_full(cal_set *c, const char *net_path, const char *fem_path) {
  mnn_error err;
  memset(c, 0, sizeof *c);
  c->net = mnn_network_read(net_path, &err);
  if (!c->net) return fprintf(stderr, "bench_frame_model: %s\n", err.message), 1;
  int ne, nf = 0;
  entry *e = read_responses(fem_path, &ne);
  if (!e) return 1;
  mnn_network *net = c->net;
  c->in = malloc(sizeof(int) * 2 * net->n_nodes), c->out = c->in;
  for (int i = 0; i < net->n_nodes; ++i)
    if (!net->fixed[i])
      for (int k = 0; k < 2; ++k) c->in[nf++] = 2 * i + k;
  c->n_in = c->n_out = nf, c->n = nf * nf;
  c->R_fem = malloc(sizeof(double) * c->n), c->R = malloc(sizeof(double) * c->n);
  for (int i = 0; i < nf; ++i)
    for (int j = 0; j < nf; ++j) {
      int oi = c->out[i], ij = c->in[j];
      double v = lookup(e, ne, net->node_id[oi / 2], oi % 2, net->node_id[ij / 2], ij % 2);
      if (isnan(v)) {
        fprintf(stderr, "bench_frame_model: %s lacks the response of node %d %c to node %d %c\n", fem_path,
                net->node_id[oi / 2], 'x' + oi % 2, net->node_id[ij / 2], 'y' + ij % 2 - 1);
        free(e);
        return 1;
      }
      c->R_fem[i * nf + j] = v;
    }
  free(e);
  return 0;
}

static int load_iris(cal_set *c, const char *net_path, const char *fem_path) {
  mnn_error err;
  memset(c, 0, sizeof *c);
  c->net = mnn_network_read(net_path, &err);
  if (!c->net) return fprintf(stderr, "bench_frame_model: %s\n", err.message), 1;
  int ne;
  entry *e = read_responses(fem_path, &ne);
  if (!e) return 1;
  c->n_in = 4, c->n_out = 3, c->n = 12;
  c->in = malloc(sizeof(int) * 4), c->out = malloc(sizeof(int) * 3);
  c->R_fem = malloc(sizeof(double) * 12), c->R = malloc(sizeof(double) * 12);
  for (int j = 0; j < 4; ++j) c->in[j] = 2 * mnn_network_node_index(c->net, IRIS_IN[j]) + 1;
  for (int o = 0; o < 3; ++o) c->out[o] = 2 * mnn_network_node_index(c->net, IRIS_OUT[o]);
  for (int o = 0; o < 3; ++o)
    for (int j = 0; j < 4; ++j) c->R_fem[o * 4 + j] = lookup(e, ne, IRIS_OUT[o], 0, IRIS_IN[j], 1);
  free(e);
  if (isnan(c->R_fem[0])) return fprintf(stderr, "bench_frame_model: %s lacks the Iris responses\n", fem_path), 1;
  return 0;
}

static void free_set(cal_set *c) {
  if (c->out != c->in) free(c->out);
  free(c->in), free(c->R_fem), free(c->R);
  mnn_network_free(c->net);
}

/* mnn_frame_calibrate on the bench's sets. */
static double calibrate(cal_set *sets, int n_sets, mnn_frame_options *o, int fit_joint, double *factor) {
  mnn_frame_cal_set cs[4];
  for (int k = 0; k < n_sets; ++k)
    cs[k] = (mnn_frame_cal_set){sets[k].net, sets[k].n_in, sets[k].n_out, sets[k].in, sets[k].out, sets[k].R_fem};
  mnn_error err;
  double e;
  if (mnn_frame_calibrate(cs, n_sets, o, fit_joint, factor, &e, &err))
    return fprintf(stderr, "bench_frame_model: %s\n", err.message), INFINITY;
  return e;
}

/* One row: the Iris check with the model at this factor. */
static void iris_row(const char *label, const mnn_frame_options *o, double factor, double cal_err, cal_set *iris,
                     const double *Fm, const double *uf, double (*X)[4], int ns) {
  if (response(iris->net, o, 4, iris->in, 3, iris->out, iris->R)) return;
  double u[3], worst = 0;
  for (int k = 0; k < 3; ++k) {
    u[k] = 0;
    for (int j = 0; j < 4; ++j) u[k] += iris->R[k * 4 + j] * Fm[j] / factor;
    worst = fmax(worst, fabs(u[k] / uf[k] - 1));
  }
  double Rs[12], num = 0, den = 0, dnum = 0, dden = 0;
  for (int i = 0; i < 12; ++i) Rs[i] = iris->R[i] / factor;
  for (int k = 0; k < 3; ++k) num += pow(u[k] - uf[k], 2), den += uf[k] * uf[k];
  int same = 0;
  for (int s = 0; s < ns; ++s) {
    same += classify(Rs, X[s]) == classify(iris->R_fem, X[s]);
    for (int k = 0; k < 3; ++k) {
      double a = 0, b = 0;
      for (int j = 0; j < 4; ++j) a += Rs[k * 4 + j] * X[s][j], b += iris->R_fem[k * 4 + j] * X[s][j];
      dnum += (a - b) * (a - b), dden += b * b;
    }
  }
  printf("%-36s %7.4f %8.2e %7.4f %8.4f   %+6.3f %+6.3f %+6.3f %7.1f%% %7.1f%% %7.1f%%  %3d/%d\n", label, factor,
         o->joint_compliance, cal_err, rel_err(iris->R, iris->R_fem, 12, factor), u[0] / uf[0] - 1, u[1] / uf[1] - 1,
         u[2] / uf[2] - 1, 100 * worst, 100 * sqrt(num / den), 100 * sqrt(dnum / dden), same, ns);
}

static int transfer(int n_cal, char **cal, const char *iris_net, const char *iris_fem, const char *csv) {
  cal_set sets[4], iris;
  for (int k = 0; k < n_cal; ++k)
    if (load_full(&sets[k], cal[2 * k], cal[2 * k + 1])) return 1;
  if (load_iris(&iris, iris_net, iris_fem)) return 1;
  double Fm[4] = {0}, X[200][4], uf[3];
  int ns = csv ? read_iris(csv, X) : 0;
  if (!ns) return fprintf(stderr, "bench_frame_model: cannot read the Iris data %s\n", csv ? csv : "(none)"), 1;
  for (int s = 0; s < ns; ++s)
    for (int j = 0; j < 4; ++j) Fm[j] += X[s][j] / ns;
  for (int k = 0; k < 3; ++k) {
    uf[k] = 0;
    for (int j = 0; j < 4; ++j) uf[k] += iris.R_fem[k * 4 + j] * Fm[j];
  }
  printf("\nmean Iris sample F_y = (%.4f, %.4f, %.4f, %.4f) N on nodes 14, 12, 13, 10\n", Fm[0], Fm[1], Fm[2], Fm[3]);
  printf("FEM: u_x(8, 2, 3) = (%.4e, %.4e, %.4e) m; FEM response (m/N), rows u_x 8, 2, 3, columns F_y 14, 12, 13, 10:\n",
         uf[0], uf[1], uf[2]);
  for (int o = 0; o < 3; ++o)
    printf("  %10.3e %10.3e %10.3e %10.3e\n", iris.R_fem[o * 4], iris.R_fem[o * 4 + 1], iris.R_fem[o * 4 + 2],
           iris.R_fem[o * 4 + 3]);
  const char *head = "%-36s %7s %8s %7s %8s   %6s %6s %6s %8s %8s %8s  %s\n";
  printf("\nA. one factor fitted on the first calibration network (%s, %d responses); Iris check\n", cal[0], sets[0].n);
  printf(head, "variant", "factor", "c_j m/N", "cal err", "Iris err", "u8", "u2", "u3", "worst", "vector", "data", "same class");
  for (int v = 0; v < N_VARIANTS; ++v) {
    char label[64];
    mnn_frame_options o = VARIANTS[v];
    double f, e = calibrate(sets, 1, &o, 0, &f);
    iris_row(mnn_frame_options_label(&o, label, sizeof label), &o, f, e, &iris, Fm, uf, X, ns);
  }
  if (n_cal >= 2) {
    printf("\nB. factor and joint compliance fitted on all %d calibration networks; Iris check\n", n_cal);
    printf(head, "variant", "factor", "c_j m/N", "cal err", "Iris err", "u8", "u2", "u3", "worst", "vector", "data", "same class");
    for (int v = 0; v < N_VARIANTS; ++v) {
      char label[64];
      mnn_frame_options o = VARIANTS[v];
      double f, e = calibrate(sets, n_cal, &o, 1, &f);
      iris_row(mnn_frame_options_label(&o, label, sizeof label), &o, f, e, &iris, Fm, uf, X, ns);
    }
  }
  printf("(cal err: ||R - R_fem||_F / ||R_fem||_F on the calibration network(s) (rms over them); Iris err: the\n"
         " same on the Iris 3 x 4 response; u8 u2 u3: u/u_fem - 1 of the mean sample's u_x of nodes 8, 2, 3;\n"
         " worst: the largest of those; vector: ||u - u_fem|| / ||u_fem|| of the mean sample's 3 outputs;\n"
         " data: the same over all samples' outputs; same class: samples the model classes as the FEM does)\n");
  for (int k = 0; k < n_cal; ++k) free_set(&sets[k]);
  free_set(&iris);
  return 0;
}

int main(int argc, char **argv) {
  paper_node14();
  char *cal[8];
  const char *iris_net = NULL, *iris_fem = NULL, *csv = NULL;
  int n_cal = 0;
  for (int i = 1; i < argc; ++i) {
    if (!strcmp(argv[i], "--cal") && i + 2 < argc && n_cal < 4) cal[2 * n_cal] = argv[i + 1], cal[2 * n_cal + 1] = argv[i + 2], ++n_cal, i += 2;
    else if (!strcmp(argv[i], "--check") && i + 2 < argc) iris_net = argv[i + 1], iris_fem = argv[i + 2], i += 2;
    else if (!strcmp(argv[i], "--csv") && i + 1 < argc) csv = argv[++i];
    else return fprintf(stderr, "usage: bench_frame_model [--cal NET FEM_RESULTS ...] [--check IRIS_NET FEM_RESULTS] [--csv IRIS.csv]\n"), 2;
  }
  if (n_cal && iris_net) return transfer(n_cal, cal, iris_net, iris_fem, csv);
  printf("(--cal NET FEM_RESULTS [--cal ...] --check IRIS_NET FEM_RESULTS --csv IRIS.csv for the calibration transfer)\n");
  return 0;
}
