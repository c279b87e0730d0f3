/* The verdict of a report: four lines in a fixed order (printable; does the part
 * do the task; agreement with measurements; gradient agreement, which matters for
 * training the part in situ), each with its finding and what to do when it is not
 * met, and a one-line headline. Computed once from the report's sections and its
 * discrepancies (mnn_report_compute), stored in report.xml, and rendered by the
 * terminal (mnn_verdict_lines) and the HTML page from that one struct. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "log.h"
#include "report.h"
#include "report_measurements.h"

const char *mnn_verdict_status_name(mnn_verdict_status s) {
  switch (s) {
    case MNN_VERDICT_MET: return "met";
    case MNN_VERDICT_WARNING: return "warning";
    case MNN_VERDICT_NOT_MET: return "not-met";
    default: return "not-checked";
  }
}

/* The verdict topic a discrepancy kind belongs to (its line folds it). */
const char *mnn_verdict_topic_of_kind(const char *kind) {
  if (!strcmp(kind, "stl") || !strcmp(kind, "printability")) return "printable";
  if (!strncmp(kind, "gradient", 8)) return "gradient";
  if (!strncmp(kind, "measure", 7)) return "measurements";
  return "task";
}

/* Worst severity among the discrepancies of a topic; -1 when there are none. */
static int worst_of_topic(const mnn_report *r, const char *topic) {
  int worst = -1;
  for (int i = 0; i < r->n_discrepancies; ++i)
    if (!strcmp(mnn_verdict_topic_of_kind(r->discrepancies[i].kind), topic) && (int)r->discrepancies[i].severity > worst)
      worst = (int)r->discrepancies[i].severity;
  return worst;
}

static mnn_verdict_status status_of(int worst) {
  return worst == MNN_SEVERITY_ERROR ? MNN_VERDICT_NOT_MET
         : worst == MNN_SEVERITY_WARNING ? MNN_VERDICT_WARNING
                                         : MNN_VERDICT_MET;
}

static void set(char *buf, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void set(char *buf, size_t n, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, n, fmt, ap);
  va_end(ap);
}

static void line_init(mnn_verdict_line *l, const char *topic, const char *title) {
  memset(l, 0, sizeof *l);
  set(l->topic, sizeof l->topic, "%s", topic);
  set(l->title, sizeof l->title, "%s", title);
  l->status = MNN_VERDICT_NOT_CHECKED;
}

static void verdict_printable(const mnn_report *r, mnn_verdict_line *l) {
  line_init(l, "printable", "printable");
  if (!r->has_printability && !r->has_stl) {
    set(l->finding, sizeof l->finding, "not checked: the case made no STL and no printability check");
    set(l->todo, sizeof l->todo, "enable <stl> in the case file to get the part and its checks");
    return;
  }
  char stl[160] = "no STL (the <stl> stage is off)", print[256] = "";
  if (r->has_stl)
    set(stl, sizeof stl, "%d part%s, %d bad edge%s, repairs %s", r->stl_parts, r->stl_parts == 1 ? "" : "s",
        r->stl_bad_edges, r->stl_bad_edges == 1 ? "" : "s", r->stl_repairs[0] ? r->stl_repairs : "none");
  if (r->has_printability) {
    const mnn_print_check *p = &r->print;
    set(print, sizeof print, "; %d violation%s of the %s profile (thinnest neck %.3g mm, limit %.3g; smallest gap %.3g mm, "
        "limit %.3g; %s the tray)", p->n_issues, p->n_issues == 1 ? "" : "s", p->profile.name, p->thinnest_neck * 1e3,
        p->profile.min_feature * 1e3, p->smallest_gap * 1e3, p->profile.min_gap * 1e3, p->fits_tray ? "fits" : "does NOT fit");
  }
  set(l->finding, sizeof l->finding, "%s%s", stl, print);
  l->status = status_of(worst_of_topic(r, "printable"));
  if (l->status == MNN_VERDICT_NOT_MET) {
    if (r->has_stl && (r->stl_parts != 1 || r->stl_bad_edges > 0))
      set(l->todo, sizeof l->todo, "the part is not one closed solid: check the network for bonds that do not "
          "connect (mnn mesh -v shows Gmsh's messages) and run again");
    else
      set(l->todo, sizeof l->todo, "widen the bonds named below (raise width-min of the network: the neck is half "
          "the bond width) or move bodies apart, then train again; set <printer> limits only if your printer "
          "really resolves finer features");
  } else if (l->status == MNN_VERDICT_WARNING) {
    set(l->todo, sizeof l->todo, "look at the notes below before printing");
  }
}

static void fmt_length(char *buf, size_t n, double m) {
  if (!isfinite(m)) set(buf, n, "—");
  else if (fabs(m) < 1e-4) set(buf, n, "%.3g µm", m * 1e6);
  else set(buf, n, "%.4g mm", m * 1e3);
}

static void verdict_task(const mnn_report *r, mnn_verdict_line *l, char *headline, size_t hn) {
  line_init(l, "task", "does the part do the task");
  const mnn_report_task *k = &r->task_check;
  if (!r->has_fem) {
    set(l->finding, sizeof l->finding, "not checked: the case ran no FEM of the part");
    set(l->todo, sizeof l->todo, "enable <mesh> and <fem> in the case file to check the printed part");
    set(headline, hn, "the part's task was not checked (no FEM)");
    return;
  }
  int worst = worst_of_topic(r, "task");
  l->status = status_of(worst);
  int bad = l->status == MNN_VERDICT_NOT_MET;
  double outputs = r->has_displacement_summary ? r->displacement_max_scaled_difference : NAN;
  char out_text[96] = "";
  if (isfinite(outputs)) set(out_text, sizeof out_text, "; outputs within %.1f%% of the largest output", 100 * outputs);
  if (k->has && !strcmp(k->kind, "classification")) {
    char mb[32], mf[32];
    fmt_length(mb, sizeof mb, k->bar_margin);
    fmt_length(mf, sizeof mf, k->fem_margin);
    set(l->finding, sizeof l->finding, "test accuracy %.3f in the FEM of the part, %.3f trained (change %+.3f); training "
        "set %.3f / %.3f (change %+.3f); %d of %d test samples classed otherwise; smallest class margin %s (FEM) / %s "
        "(trained)%s", k->fem_test, k->bar_test, k->fem_test - k->bar_test, k->fem_train, k->bar_train,
        k->fem_train - k->bar_train, k->n_disagree, k->n_test, mf, mb, out_text);
    int train_bad = 0;
    for (int i = 0; i < r->n_discrepancies; ++i)
      train_bad |= r->discrepancies[i].severity == MNN_SEVERITY_ERROR && !strcmp(r->discrepancies[i].kind, "accuracy") &&
                   !strcmp(r->discrepancies[i].subject, "training set");
    if (!bad) set(headline, hn, "the part classifies the test set as trained");
    else if (train_bad && k->bar_test - k->fem_test <= 0)
      set(headline, hn, "the part does NOT classify as trained (training set %.3f in the FEM, %.3f trained)", k->fem_train,
          k->bar_train);
    else
      set(headline, hn, "the part does NOT classify the test set as trained (%.3f in the FEM, %.3f trained)", k->fem_test,
          k->bar_test);
  } else if (k->has && !strcmp(k->kind, "regression")) {
    set(l->finding, sizeof l->finding, "test MSE %.3g m² in the FEM of the part, %.3g m² trained (%.2f times); training set "
        "%.3g / %.3g m²%s", k->fem_test, k->bar_test, k->fem_test / k->bar_test, k->fem_train, k->bar_train, out_text);
    set(headline, hn, bad ? "the part does NOT fit the test set as trained (MSE %.3g m², trained %.3g m²)"
                          : "the part fits the test set as trained", k->fem_test, k->bar_test);
  } else if (k->has && !strcmp(k->kind, "behaviour")) {
    if (isfinite(k->bar_margin)) {
      char mb[32], mf[32];
      fmt_length(mb, sizeof mb, k->bar_margin);
      fmt_length(mf, sizeof mf, k->fem_margin);
      set(l->finding, sizeof l->finding, "trained difference (chosen output minus the largest other) %s in the FEM of "
          "the part, %s trained (change %+.1f%%)%s", mf, mb, 100 * (k->fem_margin / k->bar_margin - 1), out_text);
    } else {
      set(l->finding, sizeof l->finding, "MSE to the targets %.3g m² in the FEM of the part, %.3g m² trained (%.2f "
          "times)%s", k->fem_train, k->bar_train, k->fem_train / k->bar_train, out_text);
    }
    set(headline, hn, bad ? "the part does NOT show the trained behaviour" : "the part shows the trained behaviour");
  } else if (r->has_accuracy) {
    set(l->finding, sizeof l->finding, "test accuracy %.3f in the FEM of the part, %.3f trained%s", r->fem_test_accuracy,
        r->bar_test_accuracy, out_text);
    set(headline, hn, bad ? "the part does NOT classify the test set as trained" : "the part classifies the test set as trained");
  } else {
    set(l->finding, sizeof l->finding, "no task metric in this report%s", out_text);
    set(headline, hn, "the part's outputs were compared (no task metric)");
  }
  if (bad)
    set(l->todo, sizeof l->todo, "train on the bar model calibrated against the FEM (stiffness-factor and "
        "joint-compliance from `mnn calibrate --joint-compliance`, as cases/iris.xml does; docs/fem.md) or add "
        "fem-rounds to the last <train> (docs/training.md), then run again");
  else if (l->status == MNN_VERDICT_WARNING)
    set(l->todo, sizeof l->todo, "the part does the task, with differences within the error thresholds (below); if "
        "they matter, calibrate the bar model against the FEM (docs/fem.md) or train with fem-rounds (docs/training.md)");
}

/* The measured parts against the FEM (report_measurements.h): how many predicted
 * quantities lie within the warning threshold, the worst in measured standard
 * deviations, and the lowest cosine of the measured gradients. */
static void verdict_measurements(const mnn_report *r, mnn_verdict_line *l) {
  line_init(l, "measurements", "agreement with measurements");
  mnn_measurement_verdict mv;
  if (mnn_report_measurements_verdict(r, &mv) != 0) {
    set(l->finding, sizeof l->finding, "not checked: this case has no measurements");
    return;
  }
  char part[2][200] = {"", ""};
  const char *name[2] = {"displacements", "gradients"};
  for (int g = 0; g < 2; ++g)
    if (mv.n_predicted[g] > 0)
      set(part[g], sizeof part[g], "%s%s: %d of %d within %.3g sd, worst FEM %.2f sd (%s), bar model %.2f sd",
          g && part[0][0] ? "; " : "", name[g], mv.n_within_warning[g], mv.n_predicted[g], r->measurements->sd_warning,
          mv.worst_fem_sd[g], mv.worst_fem[g], mv.worst_bar_sd[g]);
  char cosine[96] = "";
  if (isfinite(mv.cosine_fem)) set(cosine, sizeof cosine, "; measured gradients' cosine with the FEM %.3f", mv.cosine_fem);
  if (!part[0][0] && !part[1][0]) set(part[0], sizeof part[0], "no predicted quantity with a standard deviation");
  set(l->finding, sizeof l->finding, "%s%s%s", part[0], part[1], cosine);
  l->status = status_of(worst_of_topic(r, "measurements"));
  if (!mv.pass) l->status = MNN_VERDICT_NOT_MET;
  if (l->status == MNN_VERDICT_NOT_MET)
    set(l->todo, sizeof l->todo, "the FEM disagrees with the measured parts beyond %.3g sd: check the measurement file "
        "(units, signs, nodes) and the FEM's material (fit it on a measured part: mnn calibrate --material), then "
        "run again", mv.threshold);
  else if (l->status == MNN_VERDICT_WARNING)
    set(l->todo, sizeof l->todo, "some measured quantities lie beyond the warning threshold (below): look at them before "
        "trusting the FEM's predictions for this part");
}

static void verdict_gradient(const mnn_report *r, const mnn_report_thresholds *t, mnn_verdict_line *l) {
  line_init(l, "gradient", "gradient agreement (for training the part in situ)");
  if (!r->has_gradient_summary) {
    set(l->finding, sizeof l->finding, "not checked: the case ran no FEM gradient");
    return;
  }
  set(l->finding, sizeof l->finding, "cosine %.4f between the trained model's and the FEM's per-bond gradients "
      "(%.0f%% of bonds agree in sign); %s", r->gradient_cosine, 100 * r->gradient_sign_agreement,
      r->in_situ ? "this case trains the part in situ, so this decides errors"
                 : "it matters only when the printed part is trained in situ");
  l->status = status_of(worst_of_topic(r, "gradient"));
  if (l->status == MNN_VERDICT_NOT_MET || l->status == MNN_VERDICT_WARNING)
    set(l->todo, sizeof l->todo, "before training the printed part in situ, train on the bar model calibrated against "
        "the FEM (`mnn calibrate --joint-compliance`, docs/fem.md): its gradients follow the part's (cosine ≥ %.2f)",
        t ? t->cosine_warning : MNN_REPORT_COSINE_WARNING);
}

void mnn_report_verdict(mnn_report *r, const mnn_report_thresholds *t) {
  mnn_verdict *v = &r->verdict;
  memset(v, 0, sizeof *v);
  v->has = 1;
  char task_head[160] = "";
  verdict_printable(r, &v->lines[0]);
  verdict_task(r, &v->lines[1], task_head, sizeof task_head);
  verdict_measurements(r, &v->lines[2]);
  verdict_gradient(r, t, &v->lines[3]);
  const mnn_verdict_line *p = &v->lines[0];
  const char *print_head = p->status == MNN_VERDICT_NOT_MET     ? "NOT printable"
                           : p->status == MNN_VERDICT_NOT_CHECKED ? "printability not checked"
                                                                  : "printable";
  set(v->headline, sizeof v->headline, "%s; %s", print_head, task_head);
}

void mnn_verdict_lines(const mnn_verdict *v, void (*emit)(const char *line, void *ctx), void *ctx) {
  char buf[1024];
  set(buf, sizeof buf, "verdict: %s", v->headline);
  emit(buf, ctx);
  for (int i = 0; i < MNN_VERDICT_LINES; ++i) {
    const mnn_verdict_line *l = &v->lines[i];
    const char *mark = l->status == MNN_VERDICT_MET       ? "ok     "
                       : l->status == MNN_VERDICT_WARNING ? "note   "
                       : l->status == MNN_VERDICT_NOT_MET ? "ERROR  "
                                                          : "-      ";
    set(buf, sizeof buf, "  %s %s: %s", mark, l->title, l->finding);
    emit(buf, ctx);
    if (l->todo[0] && l->status != MNN_VERDICT_MET && l->status != MNN_VERDICT_NOT_CHECKED) {
      set(buf, sizeof buf, "          what to do: %s", l->todo);
      emit(buf, ctx);
    }
  }
}

static void emit_info(const char *line, void *ctx) {
  (void)ctx;
  mnn_info("%s", line);
}

void mnn_report_print_verdict(const mnn_report *r) {
  if (!r->verdict.has) return;
  mnn_verdict_lines(&r->verdict, emit_info, NULL);
  int e = mnn_report_count(r, MNN_SEVERITY_ERROR), w = mnn_report_count(r, MNN_SEVERITY_WARNING);
  if (e || w) mnn_info("  (%d error(s) and %d warning(s) in detail under the verdict in report.html; -v lists them)", e, w);
}
