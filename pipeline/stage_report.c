/* Report stage of `mnn run`: gathers the stage records into an mnn_report
 * (export/), checks printability, computes the summaries and discrepancies, and
 * writes report.xml and report.html with its pictures. */
#include <math.h>
#include <stdio.h>
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
#include "stage_records.h"

_Static_assert(MNN_REPORT_MAX_IO >= MNN_TASK_MAX_IO, "the report must hold every input and class of a task");

static double get(const mnn_record *rec, const char *key) {
  double v = NAN;
  mnn_record_get(rec, key, &v);
  return v;
}

static int add_tools(mnn_report *r, mnn_error *err) {
  char petsc[32], gmsh[32];
  snprintf(petsc, sizeof petsc, "%d.%d.%d", PETSC_VERSION_MAJOR, PETSC_VERSION_MINOR, PETSC_VERSION_SUBMINOR);
  snprintf(gmsh, sizeof gmsh, "%s", GMSH_API_VERSION);
  return mnn_report_add_tool(r, "mnn", MNN_VERSION, err) || mnn_report_add_tool(r, "PETSc", petsc, err) ||
         mnn_report_add_tool(r, "Gmsh", gmsh, err) || mnn_report_add_tool(r, "libxml2", LIBXML_DOTTED_VERSION, err) ||
         mnn_report_add_tool(r, "ADMesh", MNN_ADMESH_VERSION, err);
}

static int fill_training(mnn_report *r, const mnn_record *rec, mnn_error *err) {
  if (!mnn_record_get_text(rec, "task")) return 0; /* no training step */
  mnn_train_summary sum;
  if (mnn_train_summary_take(rec, &sum, err)) return -1;
  r->has_training = 1;
  snprintf(r->task, sizeof r->task, "%s", sum.task);
  snprintf(r->loss_name, sizeof r->loss_name, "%s", sum.loss_name);
  r->epochs = sum.epochs;
  r->initial_loss = sum.initial_loss;
  r->final_loss = sum.final_loss;
  r->training_seconds = sum.seconds;
  const char *metrics[] = {"initial-train-accuracy", "initial-test-accuracy", "final-train-accuracy",
                           "final-test-accuracy",    "initial-train-mse",     "initial-test-mse",
                           "final-train-mse",        "final-test-mse",        "phases",
                           "baseline-train-accuracy", "baseline-test-accuracy"};
  for (size_t i = 0; i < sizeof metrics / sizeof *metrics; ++i) {
    double v;
    if (mnn_record_get(rec, metrics[i], &v) == 1 && mnn_report_add_metric(r, metrics[i], v, err)) return -1;
  }
  /* multi-fidelity rounds: how far the trained model was from the FEM before each */
  double rounds = 0;
  if (mnn_record_get(rec, "fem-rounds", &rounds) == 1) {
    if (mnn_report_add_metric(r, "fem-rounds", rounds, err)) return -1;
    for (int k = 1; k <= (int)rounds; ++k) {
      char name[80];
      double diff, loss;
      snprintf(name, sizeof name, "fem-round-%d-model-difference", k);
      if (mnn_fem_round_take(rec, k, &diff, &loss, err) || mnn_report_add_metric(r, name, diff, err)) return -1;
    }
  }
  return 0;
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

static int fill_fem(mnn_report *r, const mnn_record *rec, const mnn_network *net, mnn_error *err) {
  r->has_fem = 1;
  r->fem_dofs = (long)get(rec, "dofs");
  r->fem_ranks = (int)get(rec, "ranks");
  r->fem_iterations = (int)get(rec, "forward-iterations");
  const char *solver = mnn_record_get_text(rec, "solver");
  snprintf(r->fem_solver, sizeof r->fem_solver, "%s", solver ? solver : "");
  r->fem_assembly_seconds = get(rec, "assembly-seconds");
  r->fem_solve_seconds = get(rec, "forward-seconds") + get(rec, "adjoint-seconds");
  r->fem_total_seconds = r->fem_assembly_seconds + get(rec, "setup-seconds") + r->fem_solve_seconds;
  snprintf(r->gradient_variable, sizeof r->gradient_variable, "ln k (bar) / ln E (FEM) of each bond");
  int n_out = (int)get(rec, "outputs");
  for (int o = 0; o < n_out; ++o) {
    char key[64];
    snprintf(key, sizeof key, "output.%d.node", o);
    int node = (int)get(rec, key);
    snprintf(key, sizeof key, "output.%d.component", o);
    char comp = get(rec, key) == 0 ? 'x' : 'y';
    double bar = NAN, fem = NAN;
    mnn_record_get_indexed(rec, "output-bar", o, &bar);
    mnn_record_get_indexed(rec, "output-fem", o, &fem);
    if (mnn_report_add_output(r, node, comp, bar, fem, err)) return -1;
  }
  for (int b = 0; b < net->n_bonds; ++b) {
    double bar, fem;
    if (mnn_record_get_indexed(rec, "gradient-bar", net->bond_id[b], &bar) == 1 &&
        mnn_record_get_indexed(rec, "gradient-fem", net->bond_id[b], &fem) == 1 &&
        mnn_report_set_bond_gradient(r, net->bond_id[b], bar, fem, err))
      return -1;
  }
  double bar_acc, fem_acc;
  if (mnn_record_get(rec, "bar-test-accuracy", &bar_acc) == 1 && mnn_record_get(rec, "fem-test-accuracy", &fem_acc) == 1) {
    r->has_accuracy = 1;
    r->bar_test_accuracy = bar_acc;
    r->fem_test_accuracy = fem_acc;
  }
  /* before and after a one-factor calibration of the bar model on this network */
  double factor, worst_before = 0, worst_after = 0;
  const char *factor_key = "calibration-stiffness-factor"; /* or, with length classes, the multiplier */
  if (mnn_record_get(rec, factor_key, &factor) != 1) factor_key = "calibration-factor-multiplier";
  if (mnn_record_get(rec, factor_key, &factor) == 1) {
    for (int o = 0; o < n_out; ++o) {
      double bar = NAN, fem = NAN, cal = NAN;
      mnn_record_get_indexed(rec, "output-bar", o, &bar);
      mnn_record_get_indexed(rec, "output-fem", o, &fem);
      mnn_record_get_indexed(rec, "output-bar-calibrated", o, &cal);
      double scale = fmax(fabs(bar), fabs(fem)), scale_cal = fmax(fabs(cal), fabs(fem));
      if (scale > 0) worst_before = fmax(worst_before, fabs(fem - bar) / scale);
      if (scale_cal > 0) worst_after = fmax(worst_after, fabs(fem - cal) / scale_cal);
    }
    if (mnn_report_add_metric(r, factor_key, factor, err) ||
        mnn_report_add_metric(r, "displacement-max-relative-difference-before-calibration", worst_before, err) ||
        mnn_report_add_metric(r, "displacement-max-relative-difference-after-calibration", worst_after, err))
      return -1;
  }
  double v;
  /* the task's loss on the validated sample in both models, and the share of the FEM
   * sensitivity that sits in the node discs (which the bar model has no term for) */
  const char *extra[] = {"bar-loss",     "fem-loss",     "node-sensitivity-share", "bar-test-mse",
                         "fem-test-mse", "fem-corrected-model", "fem-youngs-modulus", "fem-poisson-ratio"};
  for (size_t i = 0; i < sizeof extra / sizeof *extra; ++i)
    if (mnn_record_get(rec, extra[i], &v) == 1 && mnn_report_add_metric(r, extra[i], v, err)) return -1;
  return 0;
}

/* The task section: what the FEM stage recorded of the task in both models. */
static int fill_task(mnn_report *r, const mnn_record *rec, mnn_error *err) {
  const char *kind = mnn_record_get_text(rec, "task-kind");
  if (!kind) return 0; /* a record from before the task section */
  mnn_report_task *k = &r->task_check;
  k->has = 1;
  snprintf(k->kind, sizeof k->kind, "%s", kind);
  const char *set = mnn_record_get_text(rec, "sample-set");
  snprintf(k->sample_set, sizeof k->sample_set, "%s", set ? set : "");
  k->sample = (int)get(rec, "sample");
  mnn_record_get(rec, "bar-train-metric", &k->bar_train);
  mnn_record_get(rec, "fem-train-metric", &k->fem_train);
  mnn_record_get(rec, "bar-test-metric", &k->bar_test);
  mnn_record_get(rec, "fem-test-metric", &k->fem_test);
  mnn_record_get(rec, "bar-margin", &k->bar_margin);
  mnn_record_get(rec, "fem-margin", &k->fem_margin);
  mnn_record_get(rec, "output-scale", &k->output_scale);
  double v = 0;
  if (mnn_record_get(rec, "test-samples", &v) == 1) k->n_test = (int)v;
  if (mnn_record_get(rec, "disagreements", &v) == 1) k->n_disagree = (int)v;
  int n_in = 0;
  if (mnn_record_get(rec, "inputs", &v) == 1) n_in = (int)v;
  for (int i = 0; i < n_in && i < MNN_REPORT_MAX_IO; ++i) {
    char key[64];
    mnn_report_input *in = &k->inputs[k->n_inputs++];
    snprintf(key, sizeof key, "input.%d.node", i);
    in->node = (int)get(rec, key);
    snprintf(key, sizeof key, "input.%d.component", i);
    in->component = get(rec, key) == 0 ? 'x' : 'y';
    mnn_record_get_indexed(rec, "input-force", i, &in->force);
  }
  if (mnn_record_get(rec, "classes", &v) == 1 && v > 0 && v <= MNN_REPORT_MAX_IO) {
    k->n_classes = (int)v;
    for (int c = 0; c < k->n_classes; ++c) {
      char key[64];
      snprintf(key, sizeof key, "class-name.%d", c);
      const char *name = mnn_record_get_text(rec, key);
      snprintf(k->class_names[c], sizeof k->class_names[c], "%s", name ? name : "");
    }
    for (int e = 0; e < k->n_classes * k->n_classes; ++e) {
      double b = 0, f = 0;
      mnn_record_get_indexed(rec, "confusion-bar", e, &b);
      mnn_record_get_indexed(rec, "confusion-fem", e, &f);
      k->confusion_bar[e] = (int)b;
      k->confusion_fem[e] = (int)f;
    }
  }
  if (r->has_network && r->n_nodes > 0) {
    if (mnn_report_task_set_nodes(r, r->n_nodes, err)) return -1;
    return 0;
  }
  return 0;
}

/* The deformation of every node (ids from the network). */
static void fill_nodes(mnn_report *r, const mnn_record *rec, const mnn_network *net) {
  mnn_report_task *k = &r->task_check;
  if (!k->nodes || k->n_nodes != net->n_nodes) return;
  for (int i = 0; i < net->n_nodes; ++i) {
    mnn_report_node_u *u = &k->nodes[i];
    int id = net->node_id[i];
    u->node = id;
    u->bar[0] = u->bar[1] = u->fem[0] = u->fem[1] = NAN;
    mnn_record_get_indexed(rec, "node-bar-ux", id, &u->bar[0]);
    mnn_record_get_indexed(rec, "node-bar-uy", id, &u->bar[1]);
    mnn_record_get_indexed(rec, "node-fem-ux", id, &u->fem[0]);
    mnn_record_get_indexed(rec, "node-fem-uy", id, &u->fem[1]);
  }
}

static int fill_stl(mnn_report *r, const mnn_record *rec, const char *file, mnn_error *err) {
  mnn_stl_stats st;
  if (mnn_stl_record_take(rec, &st, err)) return -1;
  mnn_report_set_stl(r, file, &st);
  return 0;
}

/* Reads a record when its stage is enabled and the file exists; NULL otherwise
 * (err set only on a real read error, *failed = 1). */
static mnn_record *optional_record(int enabled, const char *path, int *failed, mnn_error *err) {
  if (!enabled || access(path, F_OK) != 0) return NULL;
  mnn_record *rec = mnn_record_read(path, err);
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
  mnn_record *train = net ? mnn_record_read(ctx->train_rec, err) : NULL;
  mnn_record *mesh = train ? optional_record(c->mesh_enabled, ctx->mesh_rec, &failed, err) : NULL;
  mnn_record *fem = train && !failed ? optional_record(c->fem_enabled, ctx->fem_rec, &failed, err) : NULL;
  mnn_record *stl = train && !failed ? optional_record(c->stl_enabled, ctx->stl_rec, &failed, err) : NULL;
  mnn_record *measure = train && !failed ? optional_record(c->n_measurements > 0, ctx->measure_rec, &failed, err) : NULL;
  if (!net || !r || !train || failed) {
    if (!r) mnn_fail(err, "out of memory");
    goto done;
  }
  snprintf(r->case_name, sizeof r->case_name, "%s", c->name);
  snprintf(r->case_file, sizeof r->case_file, "%s", c->path);
  if (add_tools(r, err) || mnn_report_set_network(r, net, err) || fill_training(r, train, err)) goto done;
  if (mesh && fill_mesh(r, mesh, c->fem_order, err)) {
    mnn_error_prefix(err, "%s", ctx->mesh_rec);
    goto done;
  }
  if (fem && (fill_fem(r, fem, net, err) || fill_task(r, fem, err))) goto done;
  if (fem) fill_nodes(r, fem, net);
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
  mnn_report_free(r);
  mnn_network_free(net);
  return rc;
}
