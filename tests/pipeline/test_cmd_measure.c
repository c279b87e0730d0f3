/* The measured-part commands end to end on a coarse mesh (P1, MUMPS):
 * - mnn calibrate --material recovers a known Young's modulus to 1e-10 from a
 *   measurement the FEM itself made with that modulus (mnn fem --fem-material);
 * - mnn insitu on synthetic tracked positions (the FEM's disc displacements plus
 *   noise, several repeats) recovers the FEM's gradient to the noise level, and
 *   exactly without noise; its Adam step writes the next network and a state that
 *   the next step continues;
 * - a case with <measurement> elements (tests/pipeline/cases/paper-experiment-coarse.xml)
 *   runs: material.xml, the report's measurements section, reruns skipped; its FEM
 *   stage takes the case's material record (u E equals the measurement stage's);
 * - bad inputs give one line. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli_test_util.h"
#include "fem_results.h"
#include "material_file.h"
#include "network_file.h"
#include "report.h"
#include "report_measurements.h"
#include "test_util.h"

static char dir[] = "/tmp/mnn_test_measure_XXXXXX";
static char net_path[600], mesh[600], args[8192];

static mnn_fem_results *fem_run(const char *load, const char *extra, const char *out) {
  snprintf(args, sizeof args, "fem %s %s --load %s --output-node 14:y --output-node 13:y --order 1 --solver mumps --no-vtu -o %s/%s %s -q",
           net_path, mesh, load, dir, out, extra);
  CHECK_MSG(run_mnn(args) == 0, "%s", output);
  char p[700];
  snprintf(p, sizeof p, "%s/%s/fem-results.xml", dir, out);
  mnn_error err;
  mnn_fem_results *r = mnn_fem_results_read(p, &err);
  CHECK_MSG(r != NULL, "%s", err.message);
  return r;
}

static void test_material_fit(void) {
  const double E_true = 7.123456789e5;
  char mat[700], meas[700], fitted[700];
  snprintf(mat, sizeof mat, "%s/true.xml", dir);
  FILE *fp = fopen(mat, "w");
  if (fp) fprintf(fp, "<material youngs-modulus=\"%.17g\" poisson-ratio=\"0.45\"/>\n", E_true), fclose(fp);
  char extra[800];
  snprintf(extra, sizeof extra, "--fem-material %s", mat);
  mnn_fem_results *r = fem_run("11:0:-0.049", extra, "ftrue");
  if (!r) return;
  CHECK(r->youngs_modulus == E_true); /* the results say which material the FEM used */
  snprintf(meas, sizeof meas, "%s/meas.xml", dir);
  fp = fopen(meas, "w");
  if (fp) {
    fprintf(fp, "<measurement name=\"synthetic\"><network file=\"net.xml\"/><load node=\"11\" fy=\"-0.049\"/>\n");
    for (int k = 0; k < r->n_outputs; ++k)
      fprintf(fp, "<displacement node=\"%d\" component=\"y\" value=\"%.17g\" sd=\"%g\" repeats=\"3\"/>\n",
              r->output_node[k], r->output_value[k], k ? 1e-5 : 4e-5);
    fprintf(fp, "</measurement>\n");
    fclose(fp);
  }
  mnn_fem_results_free(r);
  snprintf(fitted, sizeof fitted, "%s/fitted.xml", dir);
  snprintf(args, sizeof args, "calibrate --material %s %s --order 1 -o %s", meas, mesh, fitted);
  CHECK_MSG(run_mnn(args) == 0, "%s", output);
  printf("%s", output);
  mnn_material m;
  mnn_error err;
  CHECK_MSG(mnn_material_read(fitted, &m, &err) == 0, "%s", err.message);
  printf("fitted E = %.12g Pa, true %.12g Pa, relative error %.2e\n", m.youngs_modulus, E_true,
         fabs(m.youngs_modulus / E_true - 1));
  CHECK_CLOSE(m.youngs_modulus, E_true, 1e-10, 0);
  CHECK(m.has_fit && m.fit_points == 2 && m.fit_reference_modulus == 5.5e5 && m.fit_max_sd < 1e-4);
  CHECK(m.poisson_ratio == 0.45);
  /* bad inputs: one line each */
  snprintf(args, sizeof args, "calibrate --material %s %s --order 1", meas, mesh);
  CHECK(run_mnn(args) == 2); /* a usage error */
  CHECK_CONTAINS(output, "-o MATERIAL.xml");
  CHECK(one_line());
  snprintf(args, sizeof args, "fem %s %s --load 11:0:-1 --output-node 14:y --fem-material %s", net_path, mesh, meas);
  CHECK(run_mnn(args) != 0);
  CHECK(one_line());
  CHECK_CONTAINS(output, "meas.xml");
}

/* Positions files for one repeat: reference, forward, adjoint, each with noise sigma. */
static void write_positions(const mnn_network *net, const mnn_fem_results *f, const mnn_fem_results *a, int rep,
                            double sigma, unsigned *seed) {
  const char *names[3] = {"ref", "fwd", "adj"};
  for (int s = 0; s < 3; ++s) {
    char p[700];
    snprintf(p, sizeof p, "%s/%s%d.csv", dir, names[s], rep);
    FILE *fp = fopen(p, "w");
    if (!fp) continue;
    fprintf(fp, "node,x,y\n");
    for (int i = 0; i < net->n_nodes; ++i) {
      const mnn_fem_results *r = s == 1 ? f : s == 2 ? a : NULL;
      double pos[2] = {net->x[i], net->y[i]};
      for (int c = 0; c < 2; ++c) {
        double g = 0; /* Box-Muller from rand_r */
        if (sigma > 0) {
          double u1 = (rand_r(seed) + 1.0) / (RAND_MAX + 2.0), u2 = (rand_r(seed) + 1.0) / (RAND_MAX + 2.0);
          g = sqrt(-2 * log(u1)) * cos(2 * M_PI * u2);
        }
        pos[c] += (r ? r->node_u[3 * i + c] : 0) + sigma * g;
      }
      fprintf(fp, "%d,%.17g,%.17g\n", net->node_id[i], pos[0], pos[1]);
    }
    fclose(fp);
  }
}

/* Runs insitu over n_rep repeats; returns the table's measured and FEM gradients. */
static int insitu(int n_rep, const char *extra, double *g, double *g_fem, int nb) {
  char files[4096] = "";
  for (int r = 0; r < n_rep; ++r) {
    size_t l = strlen(files);
    snprintf(files + l, sizeof files - l, " --reference %s/ref%d.csv --forward %s/fwd%d.csv --adjoint %s/adj%d.csv", dir,
             r, dir, r, dir, r);
  }
  snprintf(args, sizeof args,
           "insitu %s --load 13:0:-0.098 --output-node 14:y --target -0.025 --adjoint-load 14:0:-0.049 --linear --mesh %s "
           "--order 1 --table %s/table.csv %s %s",
           net_path, mesh, dir, files, extra);
  int rc = run_mnn(args);
  CHECK_MSG(rc == 0, "%s", output);
  char p[700], line[512];
  snprintf(p, sizeof p, "%s/table.csv", dir);
  FILE *fp = fopen(p, "r");
  int n = 0;
  if (fp && fgets(line, sizeof line, fp))
    while (n < nb && fgets(line, sizeof line, fp)) {
      double v[9];
      if (sscanf(line, "%lf,%lf,%lf,%lf,%lf,%lf,%lf,%lf,%lf", v, v + 1, v + 2, v + 3, v + 4, v + 5, v + 6, v + 7, v + 8) == 9)
        g[n] = v[5], g_fem[n] = v[8], ++n;
    }
  if (fp) fclose(fp);
  CHECK(n == nb);
  return rc;
}

static void test_insitu(void) {
  mnn_error err;
  mnn_network *net = mnn_network_read(net_path, &err);
  mnn_fem_results *f = fem_run("13:0:-0.098", "", "ffwd"), *a = fem_run("14:0:-0.049", "", "fadj");
  if (!net || !f || !a) return;
  int nb = net->n_bonds;
  double g[64], g_fem[64], gmax = 0;
  unsigned seed = 7;
  /* without noise the measured gradient is the FEM's */
  write_positions(net, f, a, 0, 0, &seed);
  insitu(1, "", g, g_fem, nb);
  printf("%s", output);
  for (int b = 0; b < nb; ++b) gmax = fmax(gmax, fabs(g_fem[b]));
  for (int b = 0; b < nb; ++b) CHECK_CLOSE(g[b], g_fem[b], 0, 1e-6 * gmax);
  CHECK_CONTAINS(output, "adjoint load to apply: node 14 F_y = -0.04");
  CHECK_CONTAINS(output, "g weight hanging");
  /* with noise sigma on every tracked coordinate: the residual of each bond's mean
   * against the FEM, in units of its expected sd, is of order one */
  const double sigma = 2e-6;
  const int n_rep = 6;
  for (int r = 0; r < n_rep; ++r) write_positions(net, f, a, r, sigma, &seed);
  char extra[800];
  snprintf(extra, sizeof extra, "-o %s/next.xml --state %s/state.csv", dir, dir);
  insitu(n_rep, extra, g, g_fem, nb);
  printf("%s", output);
  double z2 = 0, zmax = 0;
  for (int b = 0; b < nb; ++b) {
    /* e from positions of two states at both ends: var(e) = 4 sigma^2 (projected) */
    int ia = net->bond_a[b], ib = net->bond_b[b];
    double cx = net->x[ib] - net->x[ia], cy = net->y[ib] - net->y[ia], L = hypot(cx, cy);
    cx /= L, cy /= L;
    double e = cx * (f->node_u[3 * ib] - f->node_u[3 * ia]) + cy * (f->node_u[3 * ib + 1] - f->node_u[3 * ia + 1]);
    double ea = cx * (a->node_u[3 * ib] - a->node_u[3 * ia]) + cy * (a->node_u[3 * ib + 1] - a->node_u[3 * ia + 1]);
    double sd = sqrt(4 * sigma * sigma * (e * e + ea * ea) + 16 * pow(sigma, 4)) / sqrt(n_rep);
    double z = (g[b] - g_fem[b]) / sd;
    z2 += z * z;
    zmax = fmax(zmax, fabs(z));
  }
  double rms = sqrt(z2 / nb);
  printf("noisy in situ gradient against the FEM's: rms %.3f, max %.3f expected standard deviations\n", rms, zmax);
  CHECK(rms < 2 && zmax < 5);
  /* the update: widths moved, the state continues */
  char next[700], state[700];
  snprintf(next, sizeof next, "%s/next.xml", dir);
  snprintf(state, sizeof state, "%s/state.csv", dir);
  mnn_network *nx = mnn_network_read(next, &err);
  CHECK_MSG(nx != NULL, "%s", err.message);
  int moved = 0;
  for (int b = 0; nx && b < nb; ++b) moved += nx->width[b] != net->width[b];
  CHECK(moved > nb / 2);
  CHECK_CONTAINS(output, "Adam step 1");
  snprintf(args, sizeof args, "insitu %s --load 13:0:-0.098 --output-node 14:y --target -0.025 --reference %s/ref0.csv "
           "--forward %s/fwd0.csv --adjoint %s/adj0.csv --state %s", next, dir, dir, dir, state);
  CHECK(run_mnn(args) == 0);
  CHECK_CONTAINS(output, "Adam step 2");
  /* the state refuses a network that is not the last update's */
  snprintf(args, sizeof args, "insitu %s --load 13:0:-0.098 --output-node 14:y --target -0.025 --reference %s/ref0.csv "
           "--forward %s/fwd0.csv --adjoint %s/adj0.csv --state %s", net_path, dir, dir, dir, state);
  CHECK(run_mnn(args) == 1);
  CHECK(one_line());
  CHECK_CONTAINS(output, "state");
  snprintf(args, sizeof args, "insitu %s --load 13:0:-0.098 --output-node 14:y --target -0.025 --reference %s/nothere.csv "
           "--forward %s/fwd0.csv", net_path, dir, dir);
  CHECK(run_mnn(args) == 1);
  CHECK(one_line());
  mnn_network_free(nx);
  mnn_network_free(net);
  mnn_fem_results_free(f);
  mnn_fem_results_free(a);
}

static void test_case(void) {
  const char *src = getenv("MNN_SOURCE_DIR");
  if (!src) return;
  char out[700];
  snprintf(out, sizeof out, "%s/case", dir);
  snprintf(args, sizeof args, "run %s/tests/pipeline/cases/paper-experiment-coarse.xml -o %s", src, out);
  CHECK_MSG(run_mnn(args) == 0, "%s", output);
  printf("%s", output);
  CHECK_CONTAINS(output, "measure: FEM Young's modulus fitted");
  char p[800];
  snprintf(p, sizeof p, "%s/material.xml", out);
  mnn_material m;
  mnn_error err;
  CHECK_MSG(mnn_material_read(p, &m, &err) == 0, "%s", err.message);
  CHECK(m.has_fit && m.youngs_modulus > 4e5 && m.youngs_modulus < 1e6);
  snprintf(p, sizeof p, "%s/report.xml", out);
  mnn_report *r = mnn_report_read(p, &err);
  CHECK_MSG(r != NULL, "%s", err.message);
  if (r) {
    const mnn_report_measurements *ms = r->measurements;
    CHECK(ms != NULL);
    if (ms) {
      CHECK(ms->fitted && ms->fem_youngs_modulus == m.youngs_modulus && ms->n_parts == 2);
      CHECK(ms->n_values == 2 + 1 + 28);
      int fitted = 0;
      for (int i = 0; i < ms->n_values; ++i) {
        fitted += ms->values[i].fitted;
        CHECK(isfinite(ms->values[i].bar) && isfinite(ms->values[i].fem));
      }
      CHECK(fitted == 2); /* only the uniform Fig. 2 displacements */
      CHECK(ms->parts[1].cosine_bar > 0.99 && ms->parts[1].cosine_fem > 0.95);
      /* the FEM stage used the case's material record, the measurement stage the fitted
       * modulus, on the same mesh and load: u E agrees */
      double E_case = NAN, u_stage = NAN, u_measure = NAN;
      for (int i = 0; i < r->n_metrics; ++i)
        if (!strcmp(r->metrics[i].name, "fem-youngs-modulus")) E_case = r->metrics[i].value;
      for (int i = 0; i < r->n_outputs; ++i)
        if (r->outputs[i].node == 14 && r->outputs[i].component == 'y') u_stage = r->outputs[i].fem;
      for (int i = 0; i < ms->n_values; ++i)
        if (!strcmp(ms->values[i].part, "fig1-uniform") && !strcmp(ms->values[i].quantity, "node 14 y"))
          u_measure = ms->values[i].fem;
      printf("FEM stage: E = %.9g Pa, u_y(14) = %.9g m; measurement stage: E = %.9g Pa, u_y(14) = %.9g m\n", E_case,
             u_stage, ms->fem_youngs_modulus, u_measure);
      CHECK(E_case == 645056.51998497779 && E_case != ms->fem_youngs_modulus);
      CHECK_CLOSE(u_stage * E_case, u_measure * ms->fem_youngs_modulus, 1e-7, 0);
      mnn_measurement_verdict v;
      CHECK(mnn_report_measurements_verdict(r, &v) == 0);
      CHECK(v.n_predicted[0] == 0 && v.n_predicted[1] == 28 && v.worst_fem_sd[1] > 0); /* Fig. 1's u_y has no sd */
      CHECK(v.n_within_warning[1] > 10 && v.n_within_warning[1] < 28 && !v.pass_kind[1] && v.pass_kind[0]);
    }
  }
  mnn_report_free(r);
  snprintf(args, sizeof args, "run %s/tests/pipeline/cases/paper-experiment-coarse.xml -o %s", src, out);
  CHECK(run_mnn(args) == 0);
  CHECK_CONTAINS(output, "measure: up to date, skipped");
}

int main(void) {
  if (!getenv("MNN_EXE")) return fprintf(stderr, "MNN_EXE must be set (ctest sets it)\n"), 1;
  CHECK(mkdtemp(dir) != NULL);
  snprintf(net_path, sizeof net_path, "%s/net.xml", dir);
  snprintf(mesh, sizeof mesh, "%s/net.msh", dir);
  snprintf(args, sizeof args, "lattice paper -o %s -q", net_path);
  CHECK(run_mnn(args) == 0);
  snprintf(args, sizeof args, "mesh %s -o %s --refine 0.1 --across-neck 2 --layers 2 -q", net_path, mesh);
  CHECK_MSG(run_mnn(args) == 0, "%s", output);
  test_material_fit();
  test_insitu();
  test_case();
  return mnn_test_finish();
}
