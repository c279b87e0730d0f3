/* Report stage of `mnn run`: gathers the stage records into an mnn_report
 * (export/), checks printability, computes the summaries and discrepancies, and
 * writes report.xml and report.html with its pictures. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <admesh/stl.h>
#include <gmshc.h>
#include <libxml/xmlversion.h>
#include <petscversion.h>
#include "log.h"
#include "network_file.h"
#include "report_html.h"
#include "report_measurements.h"
#include "run_internal.h"
#include "stage_fem_record.h"
#include "stage_measure_record.h"
#include "stage_records.h"

_Static_assert(MNN_REPORT_MAX_IO >= MNN_TASK_MAX_IO, "the report must hold every input and class of a task");

static int add_tools(mnn_report *r, mnn_error *err) {
  char petsc[32], gmsh[32];
  snprintf(petsc, sizeof petsc, "%d.%d.%d", PETSC_VERSION_MAJOR, PETSC_VERSION_MINOR, PETSC_VERSION_SUBMINOR);
  snprintf(gmsh, sizeof gmsh, "%s", GMSH_API_VERSION);
  return mnn_report_add_tool(r, "mnn", MNN_VERSION, err) || mnn_report_add_tool(r, "PETSc", petsc, err) ||
         mnn_report_add_tool(r, "Gmsh", gmsh, err) || mnn_report_add_tool(r, "libxml2", LIBXML_DOTTED_VERSION, err) ||
         mnn_report_add_tool(r, "ADMesh", MNN_ADMESH_VERSION, err);
}

/* The train record into the report: the last step's summary and the metrics the
 * stage recorded, by their report names, in the report's order. */
static int fill_training(mnn_report *r, const mnn_record *rec, mnn_error *err) {
  mnn_train_record *t = malloc(sizeof *t);
  if (!t) return mnn_fail(err, "out of memory");
  int rc = mnn_train_record_take(rec, 0, t, err);
  if (rc || t->phases == 0) { /* no training step */
    free(t);
    return rc;
  }
  r->has_training = 1;
  snprintf(r->task, sizeof r->task, "%s", t->task);
  snprintf(r->loss_name, sizeof r->loss_name, "%s", t->loss_name);
  r->epochs = t->epochs;
  r->initial_loss = t->initial_loss;
  r->final_loss = t->final_loss;
  r->training_seconds = t->seconds;
  double phases = t->phases;
  int yes = 1;
  const struct { const char *name; const double *value; const int *has; } metrics[] = {
      {"initial-train-accuracy", &t->accuracy[MNN_TRAIN_INITIAL_TRAIN], &t->has_accuracy[MNN_TRAIN_INITIAL_TRAIN]},
      {"initial-test-accuracy", &t->accuracy[MNN_TRAIN_INITIAL_TEST], &t->has_accuracy[MNN_TRAIN_INITIAL_TEST]},
      {"final-train-accuracy", &t->accuracy[MNN_TRAIN_FINAL_TRAIN], &t->has_accuracy[MNN_TRAIN_FINAL_TRAIN]},
      {"final-test-accuracy", &t->accuracy[MNN_TRAIN_FINAL_TEST], &t->has_accuracy[MNN_TRAIN_FINAL_TEST]},
      {"initial-train-mse", &t->mse[MNN_TRAIN_INITIAL_TRAIN], &t->has_mse[MNN_TRAIN_INITIAL_TRAIN]},
      {"initial-test-mse", &t->mse[MNN_TRAIN_INITIAL_TEST], &t->has_mse[MNN_TRAIN_INITIAL_TEST]},
      {"final-train-mse", &t->mse[MNN_TRAIN_FINAL_TRAIN], &t->has_mse[MNN_TRAIN_FINAL_TRAIN]},
      {"final-test-mse", &t->mse[MNN_TRAIN_FINAL_TEST], &t->has_mse[MNN_TRAIN_FINAL_TEST]},
      {"phases", &phases, &yes},
      {"baseline-train-accuracy", &t->baseline_train_accuracy, &t->has_baseline},
      {"baseline-test-accuracy", &t->baseline_test_accuracy, &t->has_baseline_test},
  };
  for (size_t i = 0; i < sizeof metrics / sizeof *metrics && !rc; ++i)
    if (*metrics[i].has) rc = mnn_report_add_metric(r, metrics[i].name, *metrics[i].value, err);
  /* multi-fidelity rounds: how far the trained model was from the FEM before each */
  if (!rc && t->has_fem_rounds) rc = mnn_report_add_metric(r, "fem-rounds", t->fem_rounds, err);
  for (int k = 1; k <= t->fem_rounds && !rc; ++k) {
    char name[80];
    snprintf(name, sizeof name, "fem-round-%d-model-difference", k);
    rc = mnn_report_add_metric(r, name, t->round[k - 1].model_difference, err);
  }
  free(t);
  return rc;
}

static int fill_mesh(mnn_report *r, const mnn_record *rec, int order, mnn_error *err) {
  mnn_mesh_stats st;
  if (mnn_mesh_record_take(rec, &st, err)) return -1;
  r->has_mesh = 1;
  r->mesh_nodes = st.n_nodes;
  r->mesh_elements = st.n_tetrahedra;
  r->mesh_order = order;
  r->mesh_min_quality = st.min_quality;
  r->mesh_mean_quality = st.mean_quality;
  r->mesh_volume = st.volume;
  return 0;
}

static int fill_fem(mnn_report *r, const mnn_fem_record *fr, mnn_error *err) {
  r->has_fem = 1;
  r->fem_dofs = fr->dofs;
  r->fem_ranks = fr->ranks;
  r->fem_iterations = fr->forward_iterations;
  snprintf(r->fem_solver, sizeof r->fem_solver, "%s", fr->solver);
  r->fem_assembly_seconds = fr->assembly_seconds;
  r->fem_solve_seconds = fr->forward_seconds + fr->adjoint_seconds;
  r->fem_total_seconds = r->fem_assembly_seconds + fr->setup_seconds + r->fem_solve_seconds;
  snprintf(r->gradient_variable, sizeof r->gradient_variable, "ln k (bar) / ln E (FEM) of each bond");
  for (int o = 0; o < fr->n_outputs; ++o)
    if (mnn_report_add_output(r, fr->output_node[o], fr->output_component[o] == 0 ? 'x' : 'y', fr->output_bar[o],
                              fr->output_fem[o], err))
      return -1;
  for (int b = 0; b < fr->n_bonds; ++b)
    if (mnn_report_set_bond_gradient(r, fr->bond_id[b], fr->gradient_bar[b], fr->gradient_fem[b], err)) return -1;
  if (fr->has_bar_test_accuracy && fr->has_fem_test_accuracy) {
    r->has_accuracy = 1;
    r->bar_test_accuracy = fr->bar_test_accuracy;
    r->fem_test_accuracy = fr->fem_test_accuracy;
  }
  /* before and after a one-factor calibration of the bar model on this network
   * (with length classes, the multiplier of every class's factor) */
  const char *factor_key = fr->has_stiffness_factor    ? "calibration-stiffness-factor"
                           : fr->has_factor_multiplier ? "calibration-factor-multiplier"
                                                       : NULL;
  if (factor_key) {
    double worst_before = 0, worst_after = 0;
    for (int o = 0; o < fr->n_outputs; ++o) {
      double bar = fr->output_bar[o], fem = fr->output_fem[o], cal = fr->output_bar_calibrated[o];
      double scale = fmax(fabs(bar), fabs(fem)), scale_cal = fmax(fabs(cal), fabs(fem));
      if (scale > 0) worst_before = fmax(worst_before, fabs(fem - bar) / scale);
      if (scale_cal > 0) worst_after = fmax(worst_after, fabs(fem - cal) / scale_cal);
    }
    double factor = fr->has_stiffness_factor ? fr->calibration_stiffness_factor : fr->calibration_factor_multiplier;
    if (mnn_report_add_metric(r, factor_key, factor, err) ||
        mnn_report_add_metric(r, "displacement-max-relative-difference-before-calibration", worst_before, err) ||
        mnn_report_add_metric(r, "displacement-max-relative-difference-after-calibration", worst_after, err))
      return -1;
  }
  /* the task's loss on the validated sample in both models, and the share of the FEM
   * sensitivity that sits in the node discs (which the bar model has no term for) */
  const struct {
    const char *name;
    double value;
    int present;
  } extra[] = {{"bar-loss", fr->bar_loss, 1},
               {"fem-loss", fr->fem_loss, 1},
               {"node-sensitivity-share", fr->node_sensitivity_share, 1},
               {"bar-test-mse", fr->bar_test_mse, fr->has_bar_test_mse},
               {"fem-test-mse", fr->fem_test_mse, fr->has_fem_test_mse},
               {"fem-corrected-model", fr->corrected_model, fr->has_corrected_model},
               {"fem-youngs-modulus", fr->youngs_modulus, 1},
               {"fem-poisson-ratio", fr->poisson_ratio, 1}};
  for (size_t i = 0; i < sizeof extra / sizeof *extra; ++i)
    if (extra[i].present && mnn_report_add_metric(r, extra[i].name, extra[i].value, err)) return -1;
  return 0;
}

/* The task section: what the FEM stage recorded of the task in both models. */
static int fill_task(mnn_report *r, const mnn_fem_record *fr, mnn_error *err) {
  mnn_report_task *k = &r->task_check;
  k->has = 1;
  snprintf(k->kind, sizeof k->kind, "%s", fr->task_kind);
  snprintf(k->sample_set, sizeof k->sample_set, "%s", fr->sample_set);
  k->sample = fr->sample;
  k->bar_train = fr->bar_train_metric;
  k->fem_train = fr->fem_train_metric;
  k->bar_test = fr->bar_test_metric;
  k->fem_test = fr->fem_test_metric;
  k->bar_margin = fr->bar_margin;
  k->fem_margin = fr->fem_margin;
  k->output_scale = fr->output_scale;
  k->n_test = fr->test_samples;
  k->n_disagree = fr->disagreements;
  for (int i = 0; i < fr->n_inputs; ++i) {
    mnn_report_input *in = &k->inputs[k->n_inputs++];
    in->node = fr->input_node[i];
    in->component = fr->input_component[i] == 0 ? 'x' : 'y';
    in->force = fr->input_force[i];
  }
  if (fr->classes > 0) {
    k->n_classes = fr->classes;
    for (int c = 0; c < k->n_classes; ++c)
      snprintf(k->class_names[c], sizeof k->class_names[c], "%s", fr->class_names[c]);
    for (int e = 0; e < k->n_classes * k->n_classes; ++e) {
      k->confusion_bar[e] = fr->confusion_bar[e];
      k->confusion_fem[e] = fr->confusion_fem[e];
    }
  }
  if (r->has_network && r->n_nodes > 0 && mnn_report_task_set_nodes(r, r->n_nodes, err)) return -1;
  return 0;
}

/* The deformation of every node (ids from the network). */
static void fill_nodes(mnn_report *r, const mnn_fem_record *fr) {
  mnn_report_task *k = &r->task_check;
  if (!k->nodes || k->n_nodes != fr->n_nodes) return;
  for (int i = 0; i < fr->n_nodes; ++i) {
    mnn_report_node_u *u = &k->nodes[i];
    u->node = fr->node_id[i];
    u->bar[0] = fr->node_bar_ux[i];
    u->bar[1] = fr->node_bar_uy[i];
    u->fem[0] = fr->node_fem_ux[i];
    u->fem[1] = fr->node_fem_uy[i];
  }
}

/* Reads the FEM record into fr (ids from the network) and fills the report's FEM
 * and task sections from it. */
static int fill_fem_record(mnn_report *r, const mnn_record *rec, const mnn_network *net, mnn_fem_record *fr,
                           mnn_error *err) {
  if (mnn_fem_record_take(rec, net->n_bonds, net->bond_id, net->n_nodes, net->node_id, fr, err) ||
      fill_fem(r, fr, err) || fill_task(r, fr, err))
    return -1;
  fill_nodes(r, fr);
  return 0;
}

static int fill_stl(mnn_report *r, const mnn_record *rec, const char *file, mnn_error *err) {
  mnn_stl_stats st;
  if (mnn_stl_record_take(rec, &st, err)) return -1;
  mnn_report_set_stl(r, file, &st);
  return 0;
}

/* Reads a record of table t (validated against its schema) when its stage is
 * enabled and the file exists; NULL otherwise (err set only on a real read error,
 * *failed = 1). */
static mnn_record *optional_record(int enabled, const char *path, const mnn_record_table *t, int *failed,
                                   mnn_error *err) {
  if (!enabled || access(path, F_OK) != 0) return NULL;
  mnn_record *rec = mnn_record_read_typed(path, t, err);
  if (!rec) *failed = 1;
  return rec;
}

static const char *base_name(const char *path) {
  const char *s = strrchr(path, '/');
  return s ? s + 1 : path;
}

int mnn_stage_report(const mnn_run_ctx *ctx, mnn_error *err) {
  const mnn_case *c = ctx->c;
  int failed = 0, rc = -1;
  mnn_network *net = mnn_network_read(ctx->trained, err);
  mnn_report *r = mnn_report_create();
  mnn_record *train = net ? mnn_record_read_typed(ctx->train_rec, &mnn_train_record_table, err) : NULL;
  mnn_record *mesh = train ? optional_record(c->mesh_enabled, ctx->mesh_rec, &mnn_mesh_record_table, &failed, err) : NULL;
  mnn_record *fem =
      train && !failed ? optional_record(c->fem_enabled, ctx->fem_rec, &mnn_fem_record_table, &failed, err) : NULL;
  mnn_record *stl =
      train && !failed ? optional_record(c->stl_enabled, ctx->stl_rec, &mnn_stl_record_table, &failed, err) : NULL;
  mnn_record *measure = train && !failed ? optional_record(c->n_measurements > 0, ctx->measure_rec,
                                                           &mnn_measure_record_table, &failed, err)
                                         : NULL;
  mnn_fem_record *fr = calloc(1, sizeof *fr);
  if (!net || !r || !fr || !train || failed) {
    if (!r || !fr) mnn_fail(err, "out of memory");
    goto done;
  }
  snprintf(r->case_name, sizeof r->case_name, "%s", c->name);
  snprintf(r->case_file, sizeof r->case_file, "%s", c->path);
  if (add_tools(r, err) || mnn_report_set_network(r, net, err) || fill_training(r, train, err)) goto done;
  if (mesh && fill_mesh(r, mesh, c->fem_order, err)) {
    mnn_error_prefix(err, "%s", ctx->mesh_rec);
    goto done;
  }
  if (fem && fill_fem_record(r, fem, net, fr, err)) {
    mnn_error_prefix(err, "%s", ctx->fem_rec);
    goto done;
  }
  if (stl && fill_stl(r, stl, base_name(ctx->stl), err)) {
    mnn_error_prefix(err, "%s", ctx->stl_rec);
    goto done;
  }
  mnn_print_check check;
  if (mnn_print_check_network(net, &c->printer, c->print_strict, &check, err)) goto done;
  mnn_report_set_printability(r, &check, c->print_strict);
  if (measure && mnn_measure_fill_report(r, measure, c, err)) goto done;
  /* the measurements' discrepancies first: the verdict, computed with the others, reads them */
  if (mnn_report_measurement_discrepancies(r, err) || mnn_report_compute(r, &c->thresholds, err)) goto done;
  /* the time the file and the page both show */
  time_t now = time(NULL);
  struct tm tm;
  gmtime_r(&now, &tm);
  strftime(r->created, sizeof r->created, "%Y-%m-%dT%H:%M:%SZ", &tm);
  if (mnn_report_write(r, ctx->report, err)) goto done;
  char steps_csv[MNN_RUN_PATH];
  mnn_run_path(ctx, "gradient_steps.csv", steps_csv);
  int has_study = 0;
  for (int i = 0; i < c->n_steps; ++i) has_study |= c->steps[i].kind == MNN_STEP_GRADIENT_STUDY;
  mnn_html_sources src = {net, mnn_case_final_task(c) >= 0 ? ctx->history : NULL, has_study ? steps_csv : NULL};
  if (mnn_report_html_with_pictures(r, &src, ctx->html, err)) goto done;
  ctx->summary->n_warnings = mnn_report_count(r, MNN_SEVERITY_WARNING);
  ctx->summary->n_errors = mnn_report_count(r, MNN_SEVERITY_ERROR);
  /* the terminal gets the verdict from `mnn run` (read back from report.xml);
   * every discrepancy with -v here, all of them on the page */
  for (int i = 0; i < r->n_discrepancies; ++i) {
    const mnn_report_discrepancy *d = &r->discrepancies[i];
    if (d->severity != MNN_SEVERITY_INFO) mnn_debug("report: %s: %s", mnn_severity_name(d->severity), d->message);
  }
  rc = 0;
done:
  if (rc) mnn_error_prefix(err, "report stage");
  mnn_record_free(train);
  mnn_record_free(mesh);
  mnn_record_free(fem);
  mnn_record_free(stl);
  mnn_record_free(measure);
  if (fr) mnn_fem_record_clear(fr);
  free(fr);
  mnn_report_free(r);
  mnn_network_free(net);
  return rc;
}
