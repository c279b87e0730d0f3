/* The report: summaries and discrepancies computed from per-output and per-bond
 * numbers with the documented thresholds; report.xml validates against
 * schemas/report.xsd (libxml2 here, and the xmllint command); every number reads
 * back bit-equal; a failing write leaves no file and no temporary. Also the
 * printability checks of the paper's network and of broken ones. */
#include <dirent.h>
#include <libxml/parser.h>
#include <math.h>
#include <stdlib.h>
#include <unistd.h>
#include "network.h"
#include "printability.h"
#include "report.h"
#include "report_measurements.h"
#include "export/export_test_util.h"
#include "test_util.h"
#include "xml_input.h"

static int same_double(double a, double b) { return memcmp(&a, &b, sizeof a) == 0 || (isnan(a) && isnan(b)); }

/* A report as the pipeline would fill it for the paper's network. */
static mnn_report *paper_report(const mnn_network *net) {
  mnn_error err;
  mnn_report *r = mnn_report_create();
  snprintf(r->case_name, sizeof r->case_name, "paper-gradient");
  snprintf(r->case_file, sizeof r->case_file, "cases/paper_gradient.xml");
  mnn_report_add_tool(r, "mnn", "0.1.0", &err);
  mnn_report_add_tool(r, "gmsh", "4.8.4", &err);
  mnn_report_add_tool(r, "petsc", "3.18.4", &err);
  mnn_report_set_network(r, net, &err);
  r->has_training = 1;
  snprintf(r->task, sizeof r->task, "iris");
  snprintf(r->loss_name, sizeof r->loss_name, "cross-entropy");
  r->epochs = 100;
  r->initial_loss = 1.3217480015754700;
  r->final_loss = 0.65211111111111111;
  r->training_seconds = 0.1 + 0.2;
  mnn_report_add_metric(r, "train-accuracy", 0.95238095238095233, &err);
  mnn_report_add_metric(r, "test-accuracy", 29.0 / 30.0, &err);
  r->has_mesh = 1;
  r->mesh_nodes = 123456, r->mesh_elements = 654321, r->mesh_order = 2;
  r->mesh_min_quality = 0.1234567890123, r->mesh_mean_quality = 0.7;
  r->mesh_volume = 1.0 / 3.0 * 1e-6;
  r->has_fem = 1;
  r->fem_dofs = 370368, r->fem_ranks = 2, r->fem_iterations = 37;
  snprintf(r->fem_solver, sizeof r->fem_solver, "cg+gamg rtol 1e-10 <&> \"quoted\"");
  r->fem_assembly_seconds = 1.25, r->fem_solve_seconds = 3.0e-1, r->fem_total_seconds = M_PI;
  /* outputs: u_y of 13 and 14, FEM 15% softer on node 14 and 2% on node 13 */
  mnn_report_add_output(r, 13, 'y', -5.24293e-4, -5.24293e-4 * 1.02, &err);
  mnn_report_add_output(r, 14, 'y', -8.0521e-4, -8.0521e-4 * 1.15 / 0.9999999, &err);
  mnn_report_add_output(r, 14, 'x', -2.55e-4, -2.55e-4 * (1 + 1e-9), &err);
  /* gradients: FEM = bar * (1 + small), bond 5 far off, bond 9 of opposite sign */
  for (int b = 0; b < net->n_bonds; ++b) {
    double bar = sin(1.0 + b) * 1e-3 / (1 + b);
    double fem = bar * (1 + 0.01 * cos(b));
    if (net->bond_id[b] == 5) fem = bar + 0.3 * 1e-3 * sin(2.0) / 2;
    if (net->bond_id[b] == 9) fem = -bar;
    mnn_report_set_bond_gradient(r, net->bond_id[b], bar, fem, &err);
  }
  r->has_accuracy = 1;
  r->bar_test_accuracy = 29.0 / 30.0;
  r->fem_test_accuracy = 27.0 / 30.0;
  mnn_stl_stats st;
  memset(&st, 0, sizeof st);
  st.facets = 1234, st.parts = 1, st.volume_mm3 = 2345.678901234567, st.repaired = 1;
  st.max_mm[0] = 74.1, st.max_mm[1] = 58.3, st.max_mm[2] = 2;
  snprintf(st.repairs, sizeof st.repairs, "added 1 facet to fill holes");
  mnn_report_set_stl(r, "out/model.stl", &st);
  return r;
}

static void check_equal_reports(const mnn_report *a, const mnn_report *b) {
  CHECK(!strcmp(a->case_name, b->case_name) && !strcmp(a->case_file, b->case_file));
  CHECK(a->n_tools == b->n_tools);
  for (int i = 0; i < a->n_tools && i < b->n_tools; ++i)
    CHECK(!strcmp(a->tools[i].name, b->tools[i].name) && !strcmp(a->tools[i].version, b->tools[i].version));
  CHECK(a->n_nodes == b->n_nodes && a->n_bonds == b->n_bonds);
  CHECK(same_double(a->thickness, b->thickness) && same_double(a->youngs_modulus, b->youngs_modulus) &&
        same_double(a->poisson_ratio, b->poisson_ratio));
  int bonds_equal = a->n_bonds == b->n_bonds;
  for (int i = 0; bonds_equal && i < a->n_bonds; ++i) {
    const mnn_report_bond *x = &a->bonds[i], *y = &b->bonds[i];
    bonds_equal = x->id == y->id && same_double(x->width, y->width) && x->has_gradients == y->has_gradients &&
                  same_double(x->bar_gradient, y->bar_gradient) && same_double(x->fem_gradient, y->fem_gradient) &&
                  same_double(x->relative_difference, y->relative_difference) &&
                  same_double(x->scaled_difference, y->scaled_difference) && x->sign_agrees == y->sign_agrees;
  }
  CHECK(bonds_equal);
  CHECK(a->has_training == b->has_training && a->epochs == b->epochs && !strcmp(a->task, b->task) &&
        !strcmp(a->loss_name, b->loss_name));
  CHECK(same_double(a->initial_loss, b->initial_loss) && same_double(a->final_loss, b->final_loss) &&
        same_double(a->training_seconds, b->training_seconds));
  CHECK(a->n_metrics == b->n_metrics);
  for (int i = 0; i < a->n_metrics && i < b->n_metrics; ++i)
    CHECK(!strcmp(a->metrics[i].name, b->metrics[i].name) && same_double(a->metrics[i].value, b->metrics[i].value));
  CHECK(a->mesh_nodes == b->mesh_nodes && a->mesh_elements == b->mesh_elements && a->mesh_order == b->mesh_order);
  CHECK(same_double(a->mesh_min_quality, b->mesh_min_quality) && same_double(a->mesh_volume, b->mesh_volume));
  CHECK(a->fem_dofs == b->fem_dofs && a->fem_ranks == b->fem_ranks && a->fem_iterations == b->fem_iterations);
  CHECK(!strcmp(a->fem_solver, b->fem_solver));
  CHECK(same_double(a->fem_total_seconds, b->fem_total_seconds) && same_double(a->fem_solve_seconds, b->fem_solve_seconds));
  CHECK(a->n_outputs == b->n_outputs);
  for (int i = 0; i < a->n_outputs && i < b->n_outputs; ++i) {
    const mnn_report_output *x = &a->outputs[i], *y = &b->outputs[i];
    CHECK(x->node == y->node && x->component == y->component && same_double(x->bar, y->bar) &&
          same_double(x->fem, y->fem) && same_double(x->relative_difference, y->relative_difference));
  }
  CHECK(a->has_summary == b->has_summary && a->has_gradient_summary == b->has_gradient_summary &&
        a->has_displacement_summary == b->has_displacement_summary && a->has_accuracy == b->has_accuracy);
  CHECK(same_double(a->gradient_cosine, b->gradient_cosine));
  CHECK(same_double(a->gradient_relative_l2, b->gradient_relative_l2));
  CHECK(same_double(a->gradient_max_relative_difference, b->gradient_max_relative_difference));
  CHECK(same_double(a->gradient_max_scaled_difference, b->gradient_max_scaled_difference));
  CHECK(same_double(a->gradient_sign_agreement, b->gradient_sign_agreement));
  CHECK(same_double(a->displacement_max_relative_difference, b->displacement_max_relative_difference));
  CHECK(same_double(a->displacement_relative_l2, b->displacement_relative_l2));
  CHECK(same_double(a->bar_test_accuracy, b->bar_test_accuracy) && same_double(a->fem_test_accuracy, b->fem_test_accuracy));
  CHECK(a->has_stl == b->has_stl && !strcmp(a->stl_file, b->stl_file) && a->stl_facets == b->stl_facets &&
        a->stl_parts == b->stl_parts && a->stl_repaired == b->stl_repaired && !strcmp(a->stl_repairs, b->stl_repairs));
  CHECK(same_double(a->stl_volume_mm3, b->stl_volume_mm3) && same_double(a->stl_size_mm[0], b->stl_size_mm[0]));
  CHECK(a->has_printability == b->has_printability && a->print_strict == b->print_strict);
  CHECK(!strcmp(a->print.profile.name, b->print.profile.name));
  CHECK(same_double(a->print.thinnest_neck, b->print.thinnest_neck) && same_double(a->print.smallest_gap, b->print.smallest_gap));
  CHECK(a->print.thinnest_neck_bond == b->print.thinnest_neck_bond && a->print.fits_tray == b->print.fits_tray);
  CHECK(same_double(a->print.size[0], b->print.size[0]) && same_double(a->print.profile.tray[1], b->print.profile.tray[1]));
  CHECK(a->verdict.has == b->verdict.has && !strcmp(a->verdict.headline, b->verdict.headline) && a->in_situ == b->in_situ);
  for (int i = 0; i < MNN_VERDICT_LINES; ++i) {
    const mnn_verdict_line *x = &a->verdict.lines[i], *y = &b->verdict.lines[i];
    CHECK(x->status == y->status && !strcmp(x->topic, y->topic) && !strcmp(x->title, y->title) &&
          !strcmp(x->finding, y->finding) && !strcmp(x->todo, y->todo));
  }
  const mnn_report_task *ka = &a->task_check, *kb = &b->task_check;
  CHECK(ka->has == kb->has && !strcmp(ka->kind, kb->kind) && ka->sample == kb->sample &&
        !strcmp(ka->sample_set, kb->sample_set) && ka->n_test == kb->n_test && ka->n_disagree == kb->n_disagree);
  CHECK(same_double(ka->bar_train, kb->bar_train) && same_double(ka->fem_train, kb->fem_train) &&
        same_double(ka->bar_test, kb->bar_test) && same_double(ka->fem_test, kb->fem_test) &&
        same_double(ka->bar_margin, kb->bar_margin) && same_double(ka->fem_margin, kb->fem_margin) &&
        same_double(ka->output_scale, kb->output_scale));
  CHECK(ka->n_inputs == kb->n_inputs && ka->n_classes == kb->n_classes && ka->n_nodes == kb->n_nodes);
  for (int i = 0; i < ka->n_inputs && i < kb->n_inputs; ++i)
    CHECK(ka->inputs[i].node == kb->inputs[i].node && ka->inputs[i].component == kb->inputs[i].component &&
          same_double(ka->inputs[i].force, kb->inputs[i].force));
  for (int c = 0; c < ka->n_classes && c < kb->n_classes; ++c) CHECK(!strcmp(ka->class_names[c], kb->class_names[c]));
  CHECK(memcmp(ka->confusion_bar, kb->confusion_bar, sizeof ka->confusion_bar) == 0 &&
        memcmp(ka->confusion_fem, kb->confusion_fem, sizeof ka->confusion_fem) == 0);
  for (int i = 0; i < ka->n_nodes && i < kb->n_nodes; ++i)
    CHECK(ka->nodes[i].node == kb->nodes[i].node && same_double(ka->nodes[i].bar[0], kb->nodes[i].bar[0]) &&
          same_double(ka->nodes[i].fem[1], kb->nodes[i].fem[1]));
  CHECK(a->n_discrepancies == b->n_discrepancies);
  for (int i = 0; i < a->n_discrepancies && i < b->n_discrepancies; ++i) {
    const mnn_report_discrepancy *x = &a->discrepancies[i], *y = &b->discrepancies[i];
    CHECK(x->severity == y->severity && !strcmp(x->kind, y->kind) && !strcmp(x->subject, y->subject) &&
          same_double(x->value, y->value) && same_double(x->threshold, y->threshold) && !strcmp(x->message, y->message));
  }
}

static const mnn_report_discrepancy *find(const mnn_report *r, const char *kind, const char *subject) {
  for (int i = 0; i < r->n_discrepancies; ++i)
    if (!strcmp(r->discrepancies[i].kind, kind) && !strcmp(r->discrepancies[i].subject, subject)) return &r->discrepancies[i];
  return NULL;
}

static void test_printability(void) {
  mnn_error err;
  mnn_network *net = mnn_lattice_paper(&err);
  mnn_print_check pc;
  CHECK_MSG(mnn_print_check_network(net, NULL, 1, &pc, &err) == 0, "%s", err.message);
  CHECK(pc.n_issues == 0 && pc.fits_tray);
  CHECK_CLOSE(pc.thinnest_neck, 0.001, 1e-12, 0);
  /* the paper's triangle: 4 spacings wide plus a disc radius each side */
  CHECK_CLOSE(pc.size[0], 0.064 + 2 * 0.002, 1e-9, 0);
  CHECK_CLOSE(pc.size[2], 0.002, 1e-12, 0);
  CHECK(pc.smallest_gap > 0.005 && isfinite(pc.smallest_gap));

  /* a bond too thin for the printer: a warning, or an error when strict */
  net->width[3] = 0.0004;
  CHECK(mnn_print_check_network(net, NULL, 0, &pc, &err) == 0);
  CHECK(pc.n_issues == 1 && !strcmp(pc.issues[0].kind, "neck"));
  CHECK(pc.thinnest_neck_bond == net->bond_id[3]);
  CHECK(mnn_print_check_network(net, NULL, 1, &pc, &err) != 0);
  char expect[64];
  snprintf(expect, sizeof expect, "bond %d: its neck is 0.2 mm wide", net->bond_id[3]);
  CHECK_CONTAINS(err.message, expect);
  net->width[3] = 0.002;

  /* two nodes pushed together: bodies overlap where no bond joins them */
  mnn_network *close = mnn_lattice_paper(&err);
  close->x[13] = close->x[12] + 0.003; /* node 14 moved next to node 13: its bonds cross disc 13 */
  CHECK(mnn_print_check_network(close, NULL, 0, &pc, &err) == 0);
  CHECK(pc.smallest_gap < 0);
  CHECK(pc.n_issues > 0);
  mnn_network_free(close);

  /* a lattice patch: bonds on one line far apart do not overlap (a collinear
   * pair once did, through rounding in a crossing test) */
  mnn_network *patch = mnn_lattice_patch(8, 8, 0.016, MNN_SUPPORT_TOP_ROW, &err);
  CHECK(mnn_print_check_network(patch, NULL, 1, &pc, &err) == 0);
  CHECK(pc.n_issues == 0);
  CHECK_CLOSE(pc.smallest_gap, 0.016 * sqrt(3) / 2 - 0.002 - 0.001, 1e-9, 0);
  mnn_network_free(patch);

  /* a part larger than the tray */
  mnn_network *big = mnn_lattice_triangle(5, 4, 0.2, MNN_SUPPORT_TOP_CORNERS, &err);
  CHECK(mnn_print_check_network(big, NULL, 0, &pc, &err) == 0);
  CHECK(!pc.fits_tray);
  CHECK(pc.n_issues == 1 && !strcmp(pc.issues[0].kind, "size"));
  CHECK_CONTAINS(pc.issues[0].message, "larger than the tray");
  mnn_network_free(big);
  mnn_network_free(net);
}

/* The plain paper Iris part's report as `mnn run cases/iris-paper.xml` wrote it
 * with the FEM at E = 5.5e5 Pa (outputs of sample 109: node 8's u_x is a near-cancellation, 5.7 um in the
 * model and -3.6 um in the FEM, beside class outputs of 50-70 um), with the
 * accuracies given. */
static mnn_report *iris_report(const mnn_network *net, double fem_train, double fem_test) {
  mnn_error err;
  mnn_report *r = mnn_report_create();
  snprintf(r->case_name, sizeof r->case_name, "iris-paper");
  mnn_report_set_network(r, net, &err);
  r->has_training = 1;
  snprintf(r->task, sizeof r->task, "iris");
  r->has_fem = 1;
  mnn_report_add_output(r, 8, 'x', 5.739495009301351e-06, -3.641906877501467e-06, &err);
  mnn_report_add_output(r, 2, 'x', -4.948627398645044e-05, -6.184467763701474e-05, &err);
  mnn_report_add_output(r, 3, 'x', 6.829722723844268e-05, 6.952204760332934e-05, &err);
  mnn_report_task *k = &r->task_check;
  k->has = 1;
  snprintf(k->kind, sizeof k->kind, "classification");
  snprintf(k->sample_set, sizeof k->sample_set, "test");
  k->sample = 109;
  k->bar_train = 100.0 / 105, k->fem_train = fem_train;
  k->bar_test = 43.0 / 45, k->fem_test = fem_test;
  k->bar_margin = 7.7e-8, k->fem_margin = 6.5e-6;
  k->output_scale = 6.829722723844268e-05;
  k->n_test = 45, k->n_disagree = 4;
  k->n_inputs = 2;
  k->inputs[0] = (mnn_report_input){14, 'y', -0.04156};
  k->inputs[1] = (mnn_report_input){12, 'y', -0.02784};
  k->n_classes = 3;
  const char *names[3] = {"setosa", "versicolor", "virginica"};
  const int cm[9] = {15, 0, 0, 0, 14, 2, 0, 0, 14};
  for (int c = 0; c < 3; ++c) snprintf(k->class_names[c], sizeof k->class_names[c], "%s", names[c]);
  memcpy(k->confusion_bar, cm, sizeof cm);
  memcpy(k->confusion_fem, cm, sizeof cm);
  k->confusion_fem[5] = 3, k->confusion_fem[4] = 13;
  mnn_report_task_set_nodes(r, net->n_nodes, &err);
  for (int i = 0; i < net->n_nodes; ++i)
    k->nodes[i] = (mnn_report_node_u){net->node_id[i], {1e-6 * i, -2e-6 * i}, {1.1e-6 * i, -2.2e-6 * i}};
  mnn_print_check pc;
  mnn_print_check_network(net, NULL, 0, &pc, &err);
  mnn_report_set_printability(r, &pc, 0);
  mnn_stl_stats st;
  memset(&st, 0, sizeof st);
  st.facets = 19328, st.parts = 1, st.volume_mm3 = 1508.56;
  mnn_report_set_stl(r, "model.stl", &st);
  return r;
}

static int count_kind(const mnn_report *r, const char *kind, mnn_severity s) {
  int n = 0;
  for (int i = 0; i < r->n_discrepancies; ++i) n += !strcmp(r->discrepancies[i].kind, kind) && r->discrepancies[i].severity == s;
  return n;
}

static void collect(const char *line, void *ctx) {
  strncat((char *)ctx, line, 8000 - strlen((char *)ctx) - 2);
  strcat((char *)ctx, "\n");
}

/* Severities that follow the task, and the verdict built from them. */
static void test_verdict(const char *dir) {
  mnn_error err;
  mnn_network *net = mnn_lattice_paper(&err);
  const mnn_report_discrepancy *d;

  /* the paper's plain Iris part, accuracies as trained: the near-zero output is
   * measured against the largest output (13.7%: a warning), never an error */
  mnn_report *r = iris_report(net, 100.0 / 105, 43.0 / 45);
  CHECK(mnn_report_compute(r, NULL, &err) == 0);
  CHECK((d = find(r, "displacement", "node 8 x")) && d->severity == MNN_SEVERITY_WARNING);
  CHECK_CLOSE(r->outputs[0].scaled_difference, (5.739495009301351e-06 + 3.641906877501467e-06) / 6.829722723844268e-05,
              1e-12, 0);
  CHECK(r->outputs[0].relative_difference > 1.6); /* what the old severity judged: 163% */
  CHECK(mnn_report_count(r, MNN_SEVERITY_ERROR) == 0);
  CHECK_CONTAINS(r->verdict.headline, "printable; the part classifies the test set as trained");
  CHECK(!strcmp(r->verdict.lines[0].topic, "printable") && !strcmp(r->verdict.lines[1].topic, "task") &&
        !strcmp(r->verdict.lines[2].topic, "measurements") && !strcmp(r->verdict.lines[3].topic, "gradient"));
  CHECK(r->verdict.lines[0].status == MNN_VERDICT_MET && r->verdict.lines[1].status == MNN_VERDICT_WARNING);
  CHECK(r->verdict.lines[2].status == MNN_VERDICT_NOT_CHECKED && r->verdict.lines[3].status == MNN_VERDICT_NOT_CHECKED);
  CHECK_CONTAINS(r->verdict.lines[1].finding, "4 of 45 test samples classed otherwise");

  /* the same report read back gives the same verdict lines on the terminal (one source) */
  char path[600], before[8000] = "", after[8000] = "";
  snprintf(path, sizeof path, "%s/iris-verdict.xml", dir);
  CHECK(mnn_report_write(r, path, &err) == 0);
  mnn_report *back = mnn_report_read(path, &err);
  CHECK_MSG(back != NULL, "%s", err.message);
  if (back) {
    check_equal_reports(r, back);
    mnn_verdict_lines(&r->verdict, collect, before);
    mnn_verdict_lines(&back->verdict, collect, after);
    CHECK(!strcmp(before, after));
    CHECK_CONTAINS(after, "verdict: printable; the part classifies the test set as trained\n");
    mnn_report_free(back);
  }
  mnn_report_free(r);

  /* its training set in the FEM (0.819 against 0.952): the part does not do what was trained */
  r = iris_report(net, 86.0 / 105, 43.0 / 45);
  CHECK(mnn_report_compute(r, NULL, &err) == 0);
  CHECK((d = find(r, "accuracy", "training set")) && d->severity == MNN_SEVERITY_ERROR);
  CHECK_CONTAINS(r->verdict.headline, "the part does NOT classify as trained (training set 0.819");
  CHECK(r->verdict.lines[1].status == MNN_VERDICT_NOT_MET);
  CHECK_CONTAINS(r->verdict.lines[1].todo, "mnn calibrate --joint-compliance");
  mnn_report_free(r);

  /* a test accuracy drop beyond the case's threshold is an error; within it a warning */
  r = iris_report(net, 100.0 / 105, 39.0 / 45);
  CHECK(mnn_report_compute(r, NULL, &err) == 0);
  CHECK((d = find(r, "accuracy", "test set")) && d->severity == MNN_SEVERITY_ERROR);
  CHECK_CONTAINS(r->verdict.headline, "does NOT classify the test set as trained (0.867 in the FEM, 0.956 trained)");
  mnn_report_thresholds th;
  mnn_report_thresholds_default(&th);
  th.accuracy_error = 0.2;
  CHECK(mnn_report_compute(r, &th, &err) == 0);
  CHECK((d = find(r, "accuracy", "test set")) && d->severity == MNN_SEVERITY_WARNING);
  CHECK(r->verdict.lines[1].status == MNN_VERDICT_WARNING);
  mnn_report_free(r);

  /* a neck the printer cannot print: an error and "NOT printable", with what to do */
  mnn_network *thin = mnn_network_copy(net);
  CHECK(thin != NULL);
  thin->width[6] = 0.0004;
  r = iris_report(thin, 100.0 / 105, 43.0 / 45);
  CHECK(mnn_report_compute(r, NULL, &err) == 0);
  CHECK(count_kind(r, "printability", MNN_SEVERITY_ERROR) == 1);
  CHECK_CONTAINS(r->verdict.headline, "NOT printable; ");
  CHECK(r->verdict.lines[0].status == MNN_VERDICT_NOT_MET);
  CHECK_CONTAINS(r->verdict.lines[0].todo, "widen the bonds");
  mnn_report_free(r);
  mnn_network_free(thin);

  /* the measurements (report_measurements.h): the third line says how the FEM meets
   * the measured parts; a predicted quantity 4 sd off is beyond the 3 sd error */
  r = iris_report(net, 100.0 / 105, 43.0 / 45);
  mnn_report_measured m = {"fig2-uniform", "node 14 y", 0, 0, -8.2e-4, 1e-5, 5, -8.05e-4, -8.6e-4};
  CHECK(mnn_report_add_measured(r, &m, &err) == 0);
  CHECK(mnn_report_measurement_discrepancies(r, &err) == 0 && mnn_report_compute(r, NULL, &err) == 0);
  CHECK(r->verdict.lines[2].status == MNN_VERDICT_NOT_MET);
  CHECK_CONTAINS(r->verdict.lines[2].finding, "displacements: 0 of 1 within 2 sd, worst FEM 4.00 sd (fig2-uniform node 14 y)");
  CHECK_CONTAINS(r->verdict.lines[2].todo, "mnn calibrate --material");
  CHECK(count_kind(r, "measurement", MNN_SEVERITY_ERROR) == 1);
  /* within 1 sd: met */
  r->measurements->values[0].fem = -8.25e-4;
  CHECK(mnn_report_measurement_discrepancies(r, &err) == 0 && mnn_report_compute(r, NULL, &err) == 0);
  CHECK(r->verdict.lines[2].status == MNN_VERDICT_MET);
  mnn_report_free(r);

  /* regression: the FEM's test MSE against the trained one */
  r = iris_report(net, NAN, NAN);
  snprintf(r->task_check.kind, sizeof r->task_check.kind, "regression");
  r->task_check.n_classes = 0;
  r->task_check.bar_test = 2.5e-8, r->task_check.fem_test = 7.6e-9;  /* Fig. 3: the part fits better */
  CHECK(mnn_report_compute(r, NULL, &err) == 0);
  CHECK(count_kind(r, "mse", MNN_SEVERITY_ERROR) == 0 && count_kind(r, "mse", MNN_SEVERITY_WARNING) == 0);
  CHECK_CONTAINS(r->verdict.headline, "the part fits the test set as trained");
  r->task_check.fem_test = 6e-8;  /* 2.4 times the trained MSE */
  CHECK(mnn_report_compute(r, NULL, &err) == 0);
  CHECK(count_kind(r, "mse", MNN_SEVERITY_ERROR) == 1);
  CHECK_CONTAINS(r->verdict.headline, "does NOT fit the test set");

  /* behaviour: the trained difference kept, or lost */
  snprintf(r->task_check.kind, sizeof r->task_check.kind, "behaviour");
  r->task_check.bar_margin = 1.45e-4, r->task_check.fem_margin = 1.45e-4;
  CHECK(mnn_report_compute(r, NULL, &err) == 0);
  CHECK(count_kind(r, "difference", MNN_SEVERITY_ERROR) == 0);
  CHECK_CONTAINS(r->verdict.headline, "the part shows the trained behaviour");
  r->task_check.fem_margin = -1e-5;  /* the other output moves more: the behaviour is gone */
  CHECK(mnn_report_compute(r, NULL, &err) == 0);
  CHECK(count_kind(r, "difference", MNN_SEVERITY_ERROR) == 1);
  mnn_report_free(r);
  mnn_network_free(net);
}

int main(void) {
  mnn_error err;
  char dir[] = "/tmp/mnn_test_report_XXXXXX";
  CHECK(mkdtemp(dir) != NULL);
  char path[512], cmd[1200];
  mnn_network *net = mnn_lattice_paper(&err);
  CHECK(net != NULL);
  net->width[0] = 0.0015 + 1.0 / 3.0 * 1e-3;  /* a width that needs 17 digits */

  mnn_report *r = paper_report(net);
  mnn_print_check pc;
  CHECK(mnn_print_check_network(net, NULL, 0, &pc, &err) == 0);
  mnn_report_set_printability(r, &pc, 0);
  mnn_report_add_discrepancy(r, MNN_SEVERITY_INFO, "note", "case", 1, 0, "added by the pipeline", &err);
  CHECK_MSG(mnn_report_compute(r, NULL, &err) == 0, "%s", err.message);

  /* summaries against hand computations */
  double dot = 0, nb = 0, nf = 0, d2 = 0;
  for (int b = 0; b < r->n_bonds; ++b) {
    dot += r->bonds[b].bar_gradient * r->bonds[b].fem_gradient;
    nb += r->bonds[b].bar_gradient * r->bonds[b].bar_gradient;
    nf += r->bonds[b].fem_gradient * r->bonds[b].fem_gradient;
    d2 += pow(r->bonds[b].fem_gradient - r->bonds[b].bar_gradient, 2);
  }
  CHECK_CLOSE(r->gradient_cosine, dot / sqrt(nb * nf), 1e-14, 0);
  CHECK_CLOSE(r->gradient_relative_l2, sqrt(d2 / nb), 1e-14, 0);
  CHECK_CLOSE(r->displacement_max_relative_difference, 1 - 0.9999999 / 1.15, 1e-12, 0);
  CHECK_CLOSE(r->outputs[0].relative_difference, 0.02 / 1.02, 1e-12, 0);
  CHECK(r->bonds[8].sign_agrees == 0 && r->bonds[0].sign_agrees == 1);
  CHECK(r->has_summary && r->has_gradient_summary && r->has_displacement_summary);

  /* discrepancies with severities from the default thresholds */
  const mnn_report_discrepancy *d;
  CHECK((d = find(r, "displacement", "node 14 y")) && d->severity == MNN_SEVERITY_WARNING);
  CHECK((d = find(r, "displacement", "node 13 y")) == NULL);   /* 2% < 5% */
  CHECK((d = find(r, "displacement", "node 14 x")) == NULL);
  /* no in situ training declared: the per-bond gradients are only in the table */
  CHECK(find(r, "gradient-sign", "bond 9") == NULL && find(r, "gradient", "bond 9") == NULL);
  /* a test accuracy 0.067 below the trained one: beyond the 0.05 error threshold */
  CHECK((d = find(r, "accuracy", "test set")) && d->severity == MNN_SEVERITY_ERROR);
  CHECK((d = find(r, "stl", "part")) && d->severity == MNN_SEVERITY_INFO);
  CHECK_CONTAINS(d ? d->message : "", "added 1 facet");
  CHECK((d = find(r, "note", "case")) != NULL);

  /* stricter thresholds from the case turn the 2% output into a warning; a
   * second compute replaces the computed entries and keeps the pipeline's own */
  mnn_report_thresholds th;
  mnn_report_thresholds_default(&th);
  int before = r->n_discrepancies;
  CHECK(mnn_report_compute(r, &th, &err) == 0);
  CHECK(r->n_discrepancies == before);
  th.displacement_warning = 0.01;
  th.displacement_error = 0.1;
  CHECK(mnn_report_compute(r, &th, &err) == 0);
  CHECK((d = find(r, "displacement", "node 13 y")) && d->severity == MNN_SEVERITY_WARNING);
  CHECK((d = find(r, "displacement", "node 14 y")) && d->severity == MNN_SEVERITY_ERROR);
  CHECK(find(r, "note", "case") != NULL);
  /* a case that trains the part in situ: the gradient's disagreements count */
  mnn_report_thresholds_default(&th);
  th.in_situ = 1;
  CHECK(mnn_report_compute(r, &th, &err) == 0);
  CHECK((d = find(r, "gradient-sign", "bond 9")) && d->severity == MNN_SEVERITY_WARNING);
  CHECK((d = find(r, "gradient", "bond 9")) && d->severity == MNN_SEVERITY_WARNING); /* 0.11 of the largest */
  CHECK((d = find(r, "gradient", "bond 5")) != NULL);
  CHECK((d = find(r, "gradient", "bond 2")) == NULL);
  CHECK(r->in_situ && strstr(r->verdict.lines[3].finding, "decides errors"));
  CHECK(mnn_report_compute(r, NULL, &err) == 0);
  CHECK(!r->in_situ && find(r, "gradient", "bond 5") == NULL);

  /* write, validate (libxml2 and xmllint), read back bit-equal */
  snprintf(path, sizeof path, "%s/report.xml", dir);
  CHECK_MSG(mnn_report_write(r, path, &err) == 0, "%s", err.message);
  CHECK(temp_files_in(dir) == 0);
  xmlDocPtr doc = xmlReadFile(path, NULL, XML_PARSE_NONET);
  CHECK(doc != NULL);
  if (doc) {
    CHECK_MSG(mnn_xml_validate(doc, path, mnn_report_xsd, &err) == 0, "%s", err.message);
    xmlFreeDoc(doc);
  }
  const char *src = getenv("MNN_SOURCE_DIR");
  CHECK_MSG(src != NULL, "MNN_SOURCE_DIR is not set: run through ctest");
  if (src) {
    snprintf(cmd, sizeof cmd, "xmllint --noout --schema '%s/schemas/report.xsd' '%s' 2>&1", src, path);
    FILE *p = popen(cmd, "r");
    char line[512] = "";
    CHECK(p && fgets(line, sizeof line, p));
    CHECK_CONTAINS(line, "validates");
    CHECK(p && pclose(p) == 0);
  }
  /* the names tools rely on */
  FILE *fp = fopen(path, "r");
  char text[1 << 16] = "";
  size_t got = fp ? fread(text, 1, sizeof text - 1, fp) : 0;
  text[got] = 0;
  if (fp) fclose(fp);
  CHECK_CONTAINS(text, "<output node=\"14\" component=\"y\" bar=\"");
  CHECK_CONTAINS(text, "<bond id=\"1\" width=\"0.0018333333333333333\" bar-gradient=\"");
  CHECK_CONTAINS(text, "<summary gradient-cosine=\"");
  CHECK_CONTAINS(text, "displacement-max-relative-difference=\"");
  CHECK_CONTAINS(text, "<stl file=\"out/model.stl\" facets=\"1234\" volume-mm3=\"2345.678901234567\" parts=\"1\"");
  CHECK_CONTAINS(text, "<discrepancy severity=\"warning\" kind=\"displacement\"");
  CHECK_CONTAINS(text, "&lt;&amp;&gt;");

  mnn_report *back = mnn_report_read(path, &err);
  CHECK_MSG(back != NULL, "%s", err.message);
  if (back) {
    CHECK(back->created[0] != 0);
    check_equal_reports(r, back);
    /* a second write of what was read gives the same file */
    char path2[600];
    snprintf(path2, sizeof path2, "%s/again.xml", dir);
    CHECK(mnn_report_write(back, path2, &err) == 0);
    snprintf(cmd, sizeof cmd, "cmp -s '%s' '%s'", path, path2);
    CHECK(system(cmd) == 0);
    mnn_report_free(back);
  }

  /* a report with only the case: every optional section absent, still valid */
  mnn_report *bare = mnn_report_create();
  snprintf(bare->case_name, sizeof bare->case_name, "bare");
  CHECK(mnn_report_compute(bare, NULL, &err) == 0);
  snprintf(path, sizeof path, "%s/bare.xml", dir);
  CHECK(mnn_report_write(bare, path, &err) == 0);
  mnn_report *bare_back = mnn_report_read(path, &err);
  CHECK_MSG(bare_back != NULL, "%s", err.message);
  if (bare_back) {
    CHECK(!bare_back->has_network && !bare_back->has_stl && !bare_back->has_summary && bare_back->n_discrepancies == 0);
    mnn_report_free(bare_back);
  }
  mnn_report_free(bare);

  /* a bar gradient that is zero everywhere: the cosine is undefined (an error),
   * left out of the file, and reads back as undefined */
  mnn_report *flat = mnn_report_create();
  snprintf(flat->case_name, sizeof flat->case_name, "flat");
  mnn_report_set_network(flat, net, &err);
  for (int b = 0; b < net->n_bonds; ++b) mnn_report_set_bond_gradient(flat, net->bond_id[b], 0.0, 1e-3 * b, &err);
  CHECK(mnn_report_compute(flat, NULL, &err) == 0);
  CHECK(isnan(flat->gradient_cosine));
  CHECK((d = find(flat, "gradient-cosine", "summary")) && d->severity == MNN_SEVERITY_WARNING);
  mnn_report_thresholds in_situ;
  mnn_report_thresholds_default(&in_situ);
  in_situ.in_situ = 1;
  CHECK(mnn_report_compute(flat, &in_situ, &err) == 0);
  CHECK((d = find(flat, "gradient-cosine", "summary")) && d->severity == MNN_SEVERITY_ERROR);
  CHECK(flat->verdict.lines[3].status == MNN_VERDICT_NOT_MET && flat->verdict.lines[3].todo[0]);
  snprintf(path, sizeof path, "%s/flat.xml", dir);
  CHECK(mnn_report_write(flat, path, &err) == 0);
  mnn_report *flat_back = mnn_report_read(path, &err);
  CHECK_MSG(flat_back != NULL, "%s", err.message);
  if (flat_back) {
    CHECK(flat_back->has_gradient_summary && isnan(flat_back->gradient_cosine));
    check_equal_reports(flat, flat_back);
    mnn_report_free(flat_back);
  }
  mnn_report_free(flat);

  /* a failing write (missing folder): error, no file, no temporary */
  snprintf(path, sizeof path, "%s/missing/report.xml", dir);
  CHECK(mnn_report_write(r, path, &err) != 0);
  CHECK_CONTAINS(err.message, "cannot create output file");
  CHECK(!file_exists(path));
  CHECK(temp_files_in(dir) == 0);

  /* reading a broken or invalid report: one clear line with file:line */
  snprintf(path, sizeof path, "%s/invalid.xml", dir);
  fp = fopen(path, "w");
  fputs("<report version=\"1\">\n<case name=\"x\"/>\n<tools/>\n<outputs><output node=\"0\" component=\"z\"/></outputs>\n"
        "<discrepancies/></report>\n", fp);
  fclose(fp);
  CHECK(mnn_report_read(path, &err) == NULL);
  CHECK_CONTAINS(err.message, "invalid.xml:4:");
  CHECK_CONTAINS(err.message, "schema");

  test_printability();
  test_verdict(dir);
  mnn_report_free(r);
  mnn_network_free(net);
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  CHECK(system(cmd) == 0);
  return mnn_test_finish();
}
