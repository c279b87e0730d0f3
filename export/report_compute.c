/* Summaries and discrepancies of a report, computed from the per-output and
 * per-bond numbers with severities from the case's thresholds. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "report.h"

void mnn_report_thresholds_default(mnn_report_thresholds *t) {
  t->displacement_warning = MNN_REPORT_DISPLACEMENT_WARNING;
  t->displacement_error = MNN_REPORT_DISPLACEMENT_ERROR;
  t->gradient_warning = MNN_REPORT_GRADIENT_WARNING;
  t->gradient_error = MNN_REPORT_GRADIENT_ERROR;
  t->cosine_warning = MNN_REPORT_COSINE_WARNING;
  t->cosine_error = MNN_REPORT_COSINE_ERROR;
  t->accuracy_warning = MNN_REPORT_ACCURACY_WARNING;
  t->accuracy_error = MNN_REPORT_ACCURACY_ERROR;
  t->sign_floor = MNN_REPORT_SIGN_FLOOR;
  t->mse_warning = MNN_REPORT_MSE_WARNING;
  t->mse_error = MNN_REPORT_MSE_ERROR;
  t->difference_warning = MNN_REPORT_DIFFERENCE_WARNING;
  t->difference_error = MNN_REPORT_DIFFERENCE_ERROR;
  t->in_situ = 0;
}

static double relative_difference(double a, double b) {
  double scale = fmax(fabs(a), fabs(b));
  return scale > 0 ? fabs(a - b) / scale : 0.0;
}

/* Kinds this file computes; earlier entries of these kinds are dropped on a re-run. */
static const char *const computed_kinds[] = {"displacement", "gradient", "gradient-sign", "gradient-cosine",
                                             "accuracy",     "mse",      "difference",    "stl",
                                             "printability"};

static int is_computed_kind(const char *kind) {
  for (size_t i = 0; i < sizeof computed_kinds / sizeof *computed_kinds; ++i)
    if (!strcmp(kind, computed_kinds[i])) return 1;
  return 0;
}

static int severity_of(double value, double warning, double error, mnn_severity *s) {
  if (value > error) return *s = MNN_SEVERITY_ERROR, 1;
  if (value > warning) return *s = MNN_SEVERITY_WARNING, 1;
  return 0;
}

/* Output differences are measured against the task's output scale (the largest
 * output of the validated sample), not against each output itself: a near-zero
 * output (a near-cancellation) must not look like a broken part. When the report
 * knows the task metric, that metric decides errors and the outputs give warnings
 * at most; without it the displacement thresholds give errors too. */
static int compute_outputs(mnn_report *r, const mnn_report_thresholds *t, mnn_error *err) {
  if (r->n_outputs == 0) return 0;
  double diff2 = 0, ref2 = 0, worst = 0, worst_scaled = 0, scale = r->task_check.output_scale;
  if (!(isfinite(scale) && scale > 0)) {
    scale = 0;
    for (int i = 0; i < r->n_outputs; ++i) scale = fmax(scale, fmax(fabs(r->outputs[i].bar), fabs(r->outputs[i].fem)));
  }
  int capped = r->task_check.has;
  char subject[64], msg[MNN_REPORT_TEXT];
  for (int i = 0; i < r->n_outputs; ++i) {
    mnn_report_output *o = &r->outputs[i];
    o->relative_difference = relative_difference(o->bar, o->fem);
    o->scaled_difference = scale > 0 ? fabs(o->fem - o->bar) / scale : 0;
    diff2 += (o->fem - o->bar) * (o->fem - o->bar);
    ref2 += o->bar * o->bar;
    worst = fmax(worst, o->relative_difference);
    worst_scaled = fmax(worst_scaled, o->scaled_difference);
    mnn_severity s;
    if (severity_of(o->scaled_difference, t->displacement_warning, t->displacement_error, &s)) {
      if (capped) s = MNN_SEVERITY_WARNING;
      double th = s == MNN_SEVERITY_ERROR ? t->displacement_error : t->displacement_warning;
      snprintf(subject, sizeof subject, "node %d %c", o->node, o->component);
      snprintf(msg, sizeof msg,
               "output u_%c of node %d: trained model %.4g mm, FEM %.4g mm: the difference is %.3g of the "
               "largest output (%.4g mm; threshold %.3g)",
               o->component, o->node, o->bar * 1e3, o->fem * 1e3, o->scaled_difference, scale * 1e3, th);
      if (mnn_report_add_discrepancy(r, s, "displacement", subject, o->scaled_difference, th, msg, err)) return -1;
    }
  }
  r->has_displacement_summary = 1;
  r->displacement_max_relative_difference = worst;
  r->displacement_max_scaled_difference = worst_scaled;
  r->displacement_relative_l2 = ref2 > 0 ? sqrt(diff2 / ref2) : (diff2 > 0 ? INFINITY : 0);
  return 0;
}

static int compute_bonds(mnn_report *r, const mnn_report_thresholds *t, mnn_error *err) {
  double dot = 0, nb = 0, nf = 0, diff2 = 0, bar_max = 0, fem_max = 0;
  int n = 0;
  for (int b = 0; b < r->n_bonds; ++b) {
    const mnn_report_bond *g = &r->bonds[b];
    if (!g->has_gradients) continue;
    ++n;
    dot += g->bar_gradient * g->fem_gradient;
    nb += g->bar_gradient * g->bar_gradient;
    nf += g->fem_gradient * g->fem_gradient;
    diff2 += (g->fem_gradient - g->bar_gradient) * (g->fem_gradient - g->bar_gradient);
    bar_max = fmax(bar_max, fabs(g->bar_gradient));
    fem_max = fmax(fem_max, fabs(g->fem_gradient));
  }
  if (n == 0) return 0;
  double scale = bar_max > 0 ? bar_max : fem_max;
  double floor_value = t->sign_floor * fmax(bar_max, fem_max);
  int checked = 0, agree = 0;
  double worst_rel = 0, worst_scaled = 0;
  char subject[64], msg[MNN_REPORT_TEXT];
  for (int b = 0; b < r->n_bonds; ++b) {
    mnn_report_bond *g = &r->bonds[b];
    if (!g->has_gradients) continue;
    g->relative_difference = relative_difference(g->bar_gradient, g->fem_gradient);
    g->scaled_difference = scale > 0 ? fabs(g->fem_gradient - g->bar_gradient) / scale : 0;
    worst_rel = fmax(worst_rel, g->relative_difference);
    worst_scaled = fmax(worst_scaled, g->scaled_difference);
    g->sign_agrees = 1;
    if (fmax(fabs(g->bar_gradient), fabs(g->fem_gradient)) >= floor_value && floor_value > 0) {
      ++checked;
      g->sign_agrees = (g->bar_gradient > 0) == (g->fem_gradient > 0) && g->bar_gradient != 0 && g->fem_gradient != 0;
      agree += g->sign_agrees;
    }
    if (!t->in_situ) continue; /* the bonds table shows them; they matter for training in situ */
    snprintf(subject, sizeof subject, "bond %d", g->id);
    mnn_severity s;
    if (severity_of(g->scaled_difference, t->gradient_warning, t->gradient_error, &s)) {
      double th = s == MNN_SEVERITY_ERROR ? t->gradient_error : t->gradient_warning;
      snprintf(msg, sizeof msg, "bond %d: bar gradient %.6g, FEM gradient %.6g, difference %.3g of the largest bar gradient (threshold %.3g)",
               g->id, g->bar_gradient, g->fem_gradient, g->scaled_difference, th);
      if (mnn_report_add_discrepancy(r, s, "gradient", subject, g->scaled_difference, th, msg, err)) return -1;
    }
    if (!g->sign_agrees) {
      snprintf(msg, sizeof msg, "bond %d: the bar model and the FEM disagree on the sign of the gradient (%.6g vs %.6g): "
                                "training would move this width the wrong way", g->id, g->bar_gradient, g->fem_gradient);
      if (mnn_report_add_discrepancy(r, MNN_SEVERITY_WARNING, "gradient-sign", subject, g->fem_gradient, g->bar_gradient, msg, err))
        return -1;
    }
  }
  r->has_gradient_summary = 1;
  r->gradient_cosine = (nb > 0 && nf > 0) ? dot / (sqrt(nb) * sqrt(nf)) : NAN;
  r->gradient_relative_l2 = nb > 0 ? sqrt(diff2 / nb) : NAN;
  r->gradient_max_relative_difference = worst_rel;
  r->gradient_max_scaled_difference = worst_scaled;
  r->gradient_sign_agreement = checked > 0 ? (double)agree / checked : 1.0;
  if (isnan(r->gradient_cosine)) {
    if (mnn_report_add_discrepancy(r, t->in_situ ? MNN_SEVERITY_ERROR : MNN_SEVERITY_WARNING, "gradient-cosine", "summary", 0, t->cosine_error,
                                   "the gradient cosine is undefined: one of the gradients is zero everywhere", err))
      return -1;
  } else {
    double gap_warning = 1 - t->cosine_warning, gap_error = 1 - t->cosine_error;
    mnn_severity s;
    if (severity_of(1 - r->gradient_cosine, gap_warning, gap_error, &s)) {
      if (!t->in_situ) s = MNN_SEVERITY_WARNING;
      double th = s == MNN_SEVERITY_ERROR ? t->cosine_error : t->cosine_warning;
      snprintf(msg, sizeof msg,
               "gradient cosine between the trained model and the FEM is %.4g, below %.3g: training the printed "
               "part in situ would not follow the trained model's steps",
               r->gradient_cosine, th);
      if (mnn_report_add_discrepancy(r, s, "gradient-cosine", "summary", r->gradient_cosine, th, msg, err)) return -1;
    }
  }
  return 0;
}

/* One task metric of the FEM against the trained model's: a discrepancy of kind on
 * subject when value (the change, e.g. an accuracy drop) passes the warning
 * threshold, an error past the error threshold. what names the metric, unit follows
 * the numbers (scaled by unit_scale), change says what value is. */
typedef struct {
  const char *kind, *subject, *what, *unit, *change;
  double unit_scale;
} task_metric;

static int judge(mnn_report *r, const task_metric *m, double bar, double fem, double value, double warning, double error,
                 mnn_error *err) {
  mnn_severity s;
  if (!isfinite(value) || !severity_of(value, warning, error, &s)) return 0;
  double th = s == MNN_SEVERITY_ERROR ? error : warning;
  char msg[MNN_REPORT_TEXT];
  snprintf(msg, sizeof msg, "%s: trained model %.4g%s, FEM of the part %.4g%s (%s %.3g; threshold %.3g)", m->what,
           bar * m->unit_scale, m->unit, fem * m->unit_scale, m->unit, m->change, value, th);
  return mnn_report_add_discrepancy(r, s, m->kind, m->subject, value, th, msg, err);
}

/* The task metric of the FEM against the trained model's: an error when it falls
 * beyond the case's threshold (accuracy drop; MSE growth; loss of the trained
 * difference of a behaviour), a warning beyond the milder one. For classification
 * both sets count: a part that classes the training set worse than the model it
 * was trained as does not do what was trained, whatever the test set says. */
static int compute_task(mnn_report *r, const mnn_report_thresholds *t, mnn_error *err) {
  const mnn_report_task *k = &r->task_check;
  if (k->has && !strcmp(k->kind, "classification") && isfinite(k->fem_test)) {
    const task_metric test = {"accuracy", "test set", "test accuracy", "", "a drop of", 1};
    const task_metric train = {"accuracy", "training set", "training-set accuracy", "", "a drop of", 1};
    return judge(r, &test, k->bar_test, k->fem_test, k->bar_test - k->fem_test, t->accuracy_warning, t->accuracy_error,
                 err) ||
           judge(r, &train, k->bar_train, k->fem_train, k->bar_train - k->fem_train, t->accuracy_warning,
                 t->accuracy_error, err);
  }
  if (k->has && !strcmp(k->kind, "regression") && k->bar_test > 0) {
    const task_metric m = {"mse", "test set", "test MSE", " m^2", "relative growth", 1};
    return judge(r, &m, k->bar_test, k->fem_test, k->fem_test / k->bar_test - 1, t->mse_warning, t->mse_error, err);
  }
  if (k->has && !strcmp(k->kind, "behaviour")) {
    if (isfinite(k->bar_margin) && k->bar_margin > 0) {
      const task_metric m = {"difference", "sample", "trained difference (chosen output minus the largest other)",
                             " mm", "share lost", 1e3};
      return judge(r, &m, k->bar_margin, k->fem_margin, 1 - k->fem_margin / k->bar_margin, t->difference_warning,
                   t->difference_error, err);
    }
    if (k->bar_train > 0) {
      const task_metric m = {"mse", "sample", "MSE to the targets", " m^2", "relative growth", 1};
      return judge(r, &m, k->bar_train, k->fem_train, k->fem_train / k->bar_train - 1, t->mse_warning, t->mse_error,
                   err);
    }
    return 0;
  }
  if (r->has_accuracy) { /* a report without the task section: the test accuracies alone */
    const task_metric m = {"accuracy", "test set", "test accuracy", "", "a drop of", 1};
    return judge(r, &m, r->bar_test_accuracy, r->fem_test_accuracy, r->bar_test_accuracy - r->fem_test_accuracy,
                 t->accuracy_warning, t->accuracy_error, err);
  }
  return 0;
}

static int compute_others(mnn_report *r, const mnn_report_thresholds *t, mnn_error *err) {
  char msg[MNN_REPORT_TEXT];
  if (compute_task(r, t, err)) return -1;
  if (r->has_stl) {
    if (r->stl_bad_edges > 0 || r->stl_parts != 1) {
      snprintf(msg, sizeof msg, "the STL is not one closed solid: %d bad edges, %d parts", r->stl_bad_edges, r->stl_parts);
      if (mnn_report_add_discrepancy(r, MNN_SEVERITY_ERROR, "stl", "part", r->stl_bad_edges, 0, msg, err)) return -1;
    }
    if (r->stl_repaired) {
      snprintf(msg, sizeof msg, "ADMesh repaired the surface from the meshing: %.200s", r->stl_repairs);
      if (mnn_report_add_discrepancy(r, MNN_SEVERITY_INFO, "stl", "part", 0, 0, msg, err)) return -1;
    }
  }
  if (r->has_printability) {
    int shown = r->print.n_issues < MNN_PRINT_MAX_ISSUES ? r->print.n_issues : MNN_PRINT_MAX_ISSUES;
    for (int i = 0; i < shown; ++i) {
      const mnn_print_issue *p = &r->print.issues[i];
      if (mnn_report_add_discrepancy(r, MNN_SEVERITY_ERROR, "printability",
                                     p->subject, p->value, p->limit, p->message, err))
        return -1;
    }
  }
  return 0;
}

int mnn_report_compute(mnn_report *r, const mnn_report_thresholds *thresholds, mnn_error *err) {
  mnn_report_thresholds t;
  if (thresholds) t = *thresholds;
  else mnn_report_thresholds_default(&t);
  /* drop what an earlier run computed; keep what the pipeline added */
  int kept = 0;
  for (int i = 0; i < r->n_discrepancies; ++i)
    if (!is_computed_kind(r->discrepancies[i].kind)) r->discrepancies[kept++] = r->discrepancies[i];
  r->n_discrepancies = kept;
  r->has_gradient_summary = r->has_displacement_summary = 0;
  r->in_situ = t.in_situ;
  if (compute_outputs(r, &t, err) || compute_bonds(r, &t, err) || compute_others(r, &t, err)) return -1;
  r->has_summary = r->has_gradient_summary || r->has_displacement_summary || r->has_accuracy;
  mnn_report_verdict(r, &t);
  return 0;
}
