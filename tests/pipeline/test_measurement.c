/* Measurement files, material records and the modulus fit, without PETSc: the
 * reader on good and bad files (every bad one a single line naming file:line),
 * the closed-form fit recovering a known modulus to 1e-10, the material record
 * round trip, elongations from tracked positions (a rigid rotation stretches no
 * bond; the linear form equals the bar model's), and the Adam state file. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "bar_solver.h"
#include "insitu.h"
#include "network.h"
#include "material_file.h"
#include "measurement_file.h"
#include "measurement_fit.h"
#include "network_file.h"
#include "test_util.h"

static char dir[] = "/tmp/mnn_test_measurement_XXXXXX";

static const char *write_file(const char *name, const char *text) {
  static char path[8][600];
  static int k = 0;
  char *p = path[k++ % 8];
  snprintf(p, 600, "%s/%s", dir, name);
  FILE *fp = fopen(p, "w");
  if (fp) fputs(text, fp), fclose(fp);
  return p;
}

#define HEAD "<?xml version=\"1.0\"?>\n<measurement name=\"m\">\n  <network file=\"net.xml\"/>\n"

/* A bad measurement file fails with one line that contains want. */
static void bad(const char *text, const char *want) {
  mnn_error err;
  const char *p = write_file("bad.xml", text);
  mnn_measurement *m = mnn_measurement_read(p, &err);
  CHECK_MSG(m == NULL, "accepted: %s", text);
  mnn_measurement_free(m);
  if (m) return;
  CHECK_CONTAINS(err.message, want);
  CHECK(strchr(err.message, '\n') == NULL);
  CHECK_CONTAINS(err.message, "bad.xml");
}

static void test_reader(void) {
  mnn_error err;
  mnn_network *net = mnn_lattice_triangle(5, 4, MNN_PAPER_SPACING, MNN_SUPPORT_TOP_CORNERS, &err);
  char np[600];
  snprintf(np, sizeof np, "%s/net.xml", dir);
  CHECK(net && mnn_network_write(net, np, &err) == 0);
  const char *good = write_file(
      "good.xml", HEAD "  <load node=\"13\" fy=\"-0.098\"/>\n"
                  "  <displacement node=\"14\" component=\"y\" value=\"-8.2e-4\"/>\n"
                  "  <displacement node=\"14\" component=\"x\" value=\"-2.5e-4\" sd=\"1e-5\" repeats=\"3\"/>\n"
                  "  <adjoint-load node=\"14\" fy=\"-0.049\"/>\n"
                  "  <gradient bond=\"2\" value=\"7.42e-8\" sd=\"1.71e-8\" repeats=\"3\"/>\n"
                  "</measurement>\n");
  mnn_measurement *m = mnn_measurement_read(good, &err);
  CHECK_MSG(m != NULL, "%s", err.message);
  if (m) {
    CHECK(m->n_loads == 1 && m->loads[0].node_id == 13 && m->loads[0].f[1] == -0.098 && m->loads[0].f[0] == 0);
    CHECK(m->n_displacements == 2 && m->displacements[0].component == 1 && m->displacements[0].sd == 0);
    CHECK(m->displacements[1].component == 0 && m->displacements[1].sd == 1e-5 && m->displacements[1].repeats == 3);
    CHECK(m->n_adjoint_loads == 1 && m->n_gradients == 1 && m->gradients[0].id == 2);
    CHECK(m->net && m->net->n_bonds == 28);
    CHECK_CONTAINS(m->network_path, dir); /* resolved against the measurement file's folder */
  }
  mnn_measurement_free(m);
  /* the shipped measurements read */
  const char *src = getenv("MNN_SOURCE_DIR");
  const char *files[] = {"fig1-uniform", "fig2-uniform", "fig2-trained-left", "fig2-trained-right"};
  for (int k = 0; src && k < 4; ++k) {
    char p[1200];
    snprintf(p, sizeof p, "%s/cases/data/paper-experiment/%s.xml", src, files[k]);
    m = mnn_measurement_read(p, &err);
    CHECK_MSG(m != NULL, "%s", err.message);
    if (m) CHECK(m->n_displacements >= 1 && (k ? m->n_gradients == 0 : m->n_gradients == 28));
    mnn_measurement_free(m);
  }
  bad(HEAD "</measurement>\n", "bad.xml:");                                             /* schema: no load */
  bad(HEAD "<load node=\"13\" fy=\"-1\"/><frob/></measurement>\n", "frob");               /* unknown element */
  bad(HEAD "<load node=\"13\" fy=\"x\"/></measurement>\n", "fy");                        /* malformed number */
  bad(HEAD "<load node=\"13\" fy=\"-1\"/><displacement node=\"14\" component=\"z\" value=\"1\"/></measurement>\n", "z");
  bad(HEAD "<load node=\"13\" fy=\"-1\"/><displacement node=\"14\" component=\"y\" value=\"1\" sd=\"-1\"/></measurement>\n",
      "sd");
  bad(HEAD "<load node=\"99\" fy=\"-1\"/></measurement>\n", "bad.xml:4: load on node 99");
  bad(HEAD "<load node=\"1\" fy=\"-1\"/></measurement>\n", "supported");
  bad(HEAD "<load node=\"13\"/></measurement>\n", "both components are zero");
  bad(HEAD "<load node=\"13\" fy=\"-1\"/><load node=\"13\" fx=\"1\"/></measurement>\n", "loaded twice");
  bad(HEAD "<load node=\"13\" fy=\"-1\"/><displacement node=\"77\" component=\"y\" value=\"1\"/></measurement>\n",
      "bad.xml:4: node 77");
  bad(HEAD "<load node=\"13\" fy=\"-1\"/><displacement node=\"14\" component=\"y\" value=\"1\"/>"
           "<displacement node=\"14\" component=\"y\" value=\"2\"/></measurement>\n", "given twice");
  bad(HEAD "<load node=\"13\" fy=\"-1\"/><gradient bond=\"3\" value=\"1\"/></measurement>\n", "adjoint-load");
  bad(HEAD "<load node=\"13\" fy=\"-1\"/><adjoint-load node=\"14\" fy=\"-1\"/><gradient bond=\"29\" value=\"1\"/>"
           "</measurement>\n", "bond 29");
  bad("<?xml version=\"1.0\"?>\n<measurement name=\"m\"><network file=\"missing.xml\"/><load node=\"13\" fy=\"-1\"/>"
      "</measurement>\n", "missing.xml");
  bad("<?xml version=\"1.0\"?>\n<measurement name=\"m\"><network file=\"net.xml\"/>", "bad.xml");  /* truncated */
  mnn_network_free(net);
}

/* The fit recovers a known modulus exactly from values the model made at E_true. */
static void test_fit(void) {
  mnn_error err;
  double ref[4] = {-5.24e-4, -5.3e-4, 2e-5, -8.0e-4}, sd[4] = {4e-5, 1.1e-5, 3e-6, 2e-5}, meas[4], none[4] = {0};
  double E_ref = 5.5e5, E_true = 6.4505651998497779e5;
  for (int i = 0; i < 4; ++i) meas[i] = ref[i] * E_ref / E_true;
  mnn_modulus_fit fit;
  CHECK(mnn_fit_modulus(4, meas, sd, ref, E_ref, &fit, &err) == 0);
  CHECK_CLOSE(fit.youngs_modulus, E_true, 1e-10, 0);
  CHECK(fit.weighted && fit.n_points == 4 && fit.max_sd < 1e-8 && fit.rms_sd < 1e-8);
  CHECK(mnn_fit_modulus(4, meas, none, ref, E_ref, &fit, &err) == 0); /* unweighted, same answer */
  CHECK_CLOSE(fit.youngs_modulus, E_true, 1e-10, 0);
  CHECK(!fit.weighted && isnan(fit.rms_sd));
  /* weights matter: one point off, the fit leans to the small-sd points */
  meas[0] *= 1.1;
  CHECK(mnn_fit_modulus(4, meas, sd, ref, E_ref, &fit, &err) == 0);
  CHECK(fabs(fit.youngs_modulus / E_true - 1) < 0.01);
  CHECK_CLOSE(fit.max_sd, fabs(ref[0] * E_ref / fit.youngs_modulus - meas[0]) / sd[0], 1e-12, 0);
  double mixed[4] = {1e-5, 0, 1e-5, 1e-5};
  CHECK(mnn_fit_modulus(4, meas, mixed, ref, E_ref, &fit, &err) != 0);
  CHECK_CONTAINS(err.message, "for all or none");
  for (int i = 0; i < 4; ++i) meas[i] = -ref[i];
  CHECK(mnn_fit_modulus(4, meas, sd, ref, E_ref, &fit, &err) != 0);
  CHECK_CONTAINS(err.message, "signs");
  CHECK(mnn_fit_modulus(0, meas, sd, ref, E_ref, &fit, &err) != 0);
  double a[3] = {1, 2, 3}, b[3] = {2, 4, 6}, z[3] = {0};
  CHECK_CLOSE(mnn_vector_cosine(3, a, b), 1, 1e-15, 0);
  CHECK(isnan(mnn_vector_cosine(3, a, z)));
  CHECK(isnan(mnn_difference_in_sd(1, 2, 0)) && mnn_difference_in_sd(3, 2, 0.5) == 2);
}

static void test_material_record(void) {
  mnn_error err;
  mnn_material m = {.youngs_modulus = 6.4505651998497779e5, .poisson_ratio = 0.45, .has_fit = 1, .fit_points = 2,
                    .fit_order = 2, .fit_dofs = 189096, .fit_reference_modulus = 5.5e5, .fit_rms_sd = 0.0319,
                    .fit_max_sd = 0.0435};
  snprintf(m.name, sizeof m.name, "Agilus30");
  snprintf(m.fit_measurement, sizeof m.fit_measurement, "fig2-uniform.xml");
  char p[600];
  snprintf(p, sizeof p, "%s/material.xml", dir);
  CHECK(mnn_material_write(&m, p, &err) == 0);
  mnn_material r;
  CHECK_MSG(mnn_material_read(p, &r, &err) == 0, "%s", err.message);
  CHECK(r.youngs_modulus == m.youngs_modulus && r.poisson_ratio == m.poisson_ratio && r.has_fit);
  CHECK(r.fit_points == 2 && r.fit_dofs == 189096 && r.fit_rms_sd == m.fit_rms_sd && !strcmp(r.name, "Agilus30"));
  const char *badm = write_file("badm.xml", "<?xml version=\"1.0\"?>\n<material youngs-modulus=\"-1\" poisson-ratio=\"0.45\"/>\n");
  CHECK(mnn_material_read(badm, &r, &err) != 0);
  CHECK_CONTAINS(err.message, "badm.xml:2");
  badm = write_file("badm.xml", "<?xml version=\"1.0\"?>\n<material youngs-modulus=\"1e6\" poisson-ratio=\"0.5\"/>\n");
  CHECK(mnn_material_read(badm, &r, &err) != 0);
  mnn_network *net = mnn_lattice_triangle(5, 4, MNN_PAPER_SPACING, MNN_SUPPORT_TOP_CORNERS, &err);
  mnn_network *f = mnn_material_network(net, &m, &err);
  CHECK(f && f->youngs_modulus == m.youngs_modulus && net->youngs_modulus == 5.5e5 && f->n_bonds == net->n_bonds);
  mnn_network_free(f);
  mnn_network_free(net);
}

static void test_positions(void) {
  mnn_error err;
  mnn_network *net = mnn_lattice_triangle(5, 4, MNN_PAPER_SPACING, MNN_SUPPORT_TOP_CORNERS, &err);
  int n = net->n_nodes, nb = net->n_bonds;
  double ref[64], rot[64], lin[64], e[64], e_bar[64], u[64];
  for (int i = 0; i < n; ++i) { /* a rigid rotation by 0.2 rad and a shift */
    double c = cos(0.2), s = sin(0.2);
    ref[2 * i] = net->x[i], ref[2 * i + 1] = net->y[i];
    rot[2 * i] = c * net->x[i] - s * net->y[i] + 0.003, rot[2 * i + 1] = s * net->x[i] + c * net->y[i] - 0.001;
  }
  mnn_elongations_from_positions(net, ref, rot, 0, e);
  double worst = 0;
  for (int b = 0; b < nb; ++b) worst = fmax(worst, fabs(e[b]));
  CHECK_MSG(worst < 1e-15, "a rigid rotation stretched a bond by %g m", worst);
  for (int k = 0; k < 2 * n; ++k) u[k] = 1e-4 * sin(1.7 * k), lin[k] = ref[k] + u[k];
  mnn_elongations_from_positions(net, ref, lin, 1, e);
  mnn_bar_elongations(net, 1, u, e_bar);
  for (int b = 0; b < nb; ++b) CHECK_CLOSE(e[b], e_bar[b], 1e-9, 1e-18);
  mnn_elongations_from_positions(net, ref, lin, 0, e); /* second-order apart: u^2/L */
  for (int b = 0; b < nb; ++b) CHECK(fabs(e[b] - e_bar[b]) < 4e-6);
  /* a positions file and its errors */
  char text[4096] = "node,x,y\n";
  for (int i = n - 1; i >= 0; --i) {
    size_t l = strlen(text);
    snprintf(text + l, sizeof text - l, "%d,%.17g,%.17g\n", net->node_id[i], lin[2 * i], lin[2 * i + 1]);
  }
  double xy[64];
  CHECK(mnn_positions_read(write_file("p.csv", text), net, xy, &err) == 0);
  for (int k = 0; k < 2 * n; ++k) CHECK(xy[k] == lin[k]);
  CHECK(mnn_positions_read(write_file("p.csv", "node,x,y\n1,0,0\n"), net, xy, &err) != 0);
  CHECK_CONTAINS(err.message, "node 2 has no position");
  CHECK(mnn_positions_read(write_file("p.csv", "node,x,y\n1,0,0\n1,0,0\n"), net, xy, &err) != 0);
  CHECK_CONTAINS(err.message, "p.csv:3: node 1 is given twice");
  CHECK(mnn_positions_read(write_file("p.csv", "node,x,y\n1,0,abc\n"), net, xy, &err) != 0);
  CHECK_CONTAINS(err.message, "p.csv:2");
  CHECK(mnn_positions_read(write_file("p.csv", "id,x,y\n"), net, xy, &err) != 0);
  CHECK(strchr(err.message, '\n') == NULL);
  /* the Adam state: written, read back into a fresh optimiser, refused for other widths */
  mnn_adam_settings set;
  mnn_adam_defaults(&set);
  mnn_adam *a = mnn_adam_create(&set, nb, net->width, net->width_min, net->width_max, &err);
  double g[64], scratch[64];
  for (int b = 0; b < nb; ++b) g[b] = sin(b + 1.0);
  mnn_adam_step(a, g, scratch);
  mnn_adam_widths(a, net->width);
  char sp[600];
  snprintf(sp, sizeof sp, "%s/state.csv", dir);
  CHECK(mnn_adam_state_write(sp, net, a, &err) == 0);
  mnn_adam *b2 = mnn_adam_create(&set, nb, net->width, net->width_min, net->width_max, &err);
  CHECK_MSG(mnn_adam_state_read(sp, net, b2, &err) == 0, "%s", err.message);
  CHECK(b2->t == 1 && b2->beta1_t == a->beta1_t);
  for (int b = 0; b < nb; ++b) CHECK(b2->theta[b] == a->theta[b] && b2->m[b] == a->m[b] && b2->v[b] == a->v[b]);
  net->width[3] += 1e-5;
  CHECK(mnn_adam_state_read(sp, net, b2, &err) != 0);
  CHECK_CONTAINS(err.message, "bond 4");
  mnn_adam_free(a);
  mnn_adam_free(b2);
  mnn_network_free(net);
}

int main(void) {
  CHECK(mkdtemp(dir) != NULL);
  test_reader();
  test_fit();
  test_material_record();
  test_positions();
  return mnn_test_finish();
}
