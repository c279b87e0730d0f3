/* The HTML page of a case, built to be read in 30 seconds: the verdict first
 * (the report's own, with every discrepancy folded under the line it belongs to),
 * what was checked (sample and loads), the pictures (network with inputs and
 * outputs, deformed shape of both models, training curves), the confusion
 * matrices, then the detailed tables (report_html_tables.c). Static HTML with a
 * little CSS, written through an atomic file. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "atomic_file.h"
#include "html_write.h"
#include "plot.h"
#include "report_html.h"
#include "report_measurements.h"
#include "report_html_parts.h"

static const char *const page_style =
    "body{font-family:sans-serif;max-width:76em;margin:1.5em auto;padding:0 1em;color:#222;line-height:1.35}\n"
    "h1{margin-bottom:0.1em}p.sub{color:#666;margin-top:0}\n"
    "table{border-collapse:collapse;margin:0.4em 1em 1em 0}caption{font-weight:bold;text-align:left}\n"
    "th,td{border:1px solid #ccc;padding:0.2em 0.6em;text-align:left;vertical-align:top}\n"
    "td.n{text-align:right;font-variant-numeric:tabular-nums}td.diag{background:#e6f4ea}td.off{background:#fde2e1}\n"
    ".verdict{border:2px solid #999;border-radius:6px;padding:0.3em 1em 0.6em;margin:0.8em 0 1.2em}\n"
    ".verdict.met{border-color:#2e7d32;background:#f3faf3}.verdict.warning{border-color:#b8860b;background:#fffbea}\n"
    ".verdict.not-met{border-color:#c62828;background:#fdf1f1}\n"
    ".verdict h2{margin:0.3em 0 0.5em}.verdict table{width:100%;margin:0}.verdict td,.verdict th{border:none;"
    "border-top:1px solid #ddd}\n"
    ".badge{display:inline-block;min-width:5.5em;text-align:center;border-radius:3px;padding:0.05em 0.4em;"
    "font-weight:bold;font-size:0.9em;color:white}\n"
    ".badge.met{background:#2e7d32}.badge.warning{background:#b8860b}.badge.not-met{background:#c62828}"
    ".badge.not-checked{background:#9e9e9e}\n"
    ".todo{color:#7a1f1f;margin-top:0.2em}details{margin:0.2em 0}summary{cursor:pointer;color:#444}\n"
    "li.error{color:#b71c1c}li.warning{color:#8a6d00}li.info{color:#555}\n"
    ".row{display:flex;flex-wrap:wrap;gap:0.5em;align-items:flex-start}\n"
    "figure{margin:0.3em 0.3em 0.8em 0}img{border:1px solid #ddd;max-width:100%;height:auto}\n"
    "figcaption{font-size:0.9em;color:#444}\n";

static const char *status_label(mnn_verdict_status s) {
  switch (s) {
    case MNN_VERDICT_MET: return "met";
    case MNN_VERDICT_WARNING: return "look";
    case MNN_VERDICT_NOT_MET: return "NOT MET";
    default: return "not checked";
  }
}

/* The discrepancies of one verdict topic, folded: "2 warnings, 1 note". */
static void folded_discrepancies(FILE *fp, const mnn_report *r, const char *topic) {
  int count[3] = {0, 0, 0};
  for (int i = 0; i < r->n_discrepancies; ++i)
    if (!strcmp(mnn_verdict_topic_of_kind(r->discrepancies[i].kind), topic)) ++count[r->discrepancies[i].severity];
  if (count[0] + count[1] + count[2] == 0) return;
  fputs("<details><summary>", fp);
  const char *names[3][2] = {{"note", "notes"}, {"warning", "warnings"}, {"error", "errors"}};
  int first = 1;
  for (int s = 2; s >= 0; --s)
    if (count[s]) {
      fprintf(fp, "%s%d %s", first ? "" : ", ", count[s], names[s][count[s] != 1]);
      first = 0;
    }
  fputs("</summary>\n<ul>\n", fp);
  for (int s = 2; s >= 0; --s)
    for (int i = 0; i < r->n_discrepancies; ++i) {
      const mnn_report_discrepancy *d = &r->discrepancies[i];
      if ((int)d->severity != s || strcmp(mnn_verdict_topic_of_kind(d->kind), topic)) continue;
      fprintf(fp, "<li class=\"%s\">%s: ", mnn_severity_name(d->severity), mnn_severity_name(d->severity));
      mnn_html_esc(fp, d->message);
      fputs("</li>\n", fp);
    }
  fputs("</ul></details>\n", fp);
}

static void write_verdict(FILE *fp, const mnn_report *r) {
  const mnn_verdict *v = &r->verdict;
  if (!v->has) return;
  mnn_verdict_status worst = MNN_VERDICT_MET;
  for (int i = 0; i < MNN_VERDICT_LINES; ++i)
    if (v->lines[i].status != MNN_VERDICT_NOT_CHECKED && v->lines[i].status > worst) worst = v->lines[i].status;
  fprintf(fp, "<section class=\"verdict %s\">\n<h2>Verdict: ", mnn_verdict_status_name(worst));
  mnn_html_esc(fp, v->headline);
  fputs("</h2>\n<table>\n", fp);
  for (int i = 0; i < MNN_VERDICT_LINES; ++i) {
    const mnn_verdict_line *l = &v->lines[i];
    fprintf(fp, "<tr><td><span class=\"badge %s\">%s</span></td><th>", mnn_verdict_status_name(l->status),
            status_label(l->status));
    mnn_html_esc(fp, l->title);
    fputs("</th><td>", fp);
    mnn_html_esc(fp, l->finding);
    if (l->todo[0] && (l->status == MNN_VERDICT_NOT_MET || l->status == MNN_VERDICT_WARNING)) {
      fputs("<div class=\"todo\"><b>What to do:</b> ", fp);
      mnn_html_esc(fp, l->todo);
      fputs("</div>", fp);
    }
    folded_discrepancies(fp, r, l->topic);
    fputs("</td></tr>\n", fp);
  }
  fputs("</table>\n</section>\n", fp);
}

/* "Outputs, bonds and the deformed shape are those of sample 109 (test set): F_y =
 * -0.036 N on node 14, ..." */
static void write_sample(FILE *fp, const mnn_report *r) {
  const mnn_report_task *k = &r->task_check;
  if (!k->has) return;
  fputs("<p><b>What was checked.</b> ", fp);
  if (r->task[0]) {
    fputs("Task <i>", fp);
    mnn_html_esc(fp, r->task);
    fprintf(fp, "</i> (%s", k->kind);
    if (r->loss_name[0]) {
      fputs(", loss ", fp);
      mnn_html_esc(fp, r->loss_name);
    }
    fputs("). ", fp);
  }
  if (!strcmp(k->sample_set, "fixed")) fputs("The outputs, the bonds' gradients and the deformed shape are for the task's one sample", fp);
  else
    fprintf(fp, "The outputs, the bonds' gradients and the deformed shape are for sample %d of the data (%s set)", k->sample,
            k->sample_set[0] ? k->sample_set : "?");
  if (k->n_inputs > 0) fputs(", loaded with ", fp);
  for (int i = 0; i < k->n_inputs; ++i)
    fprintf(fp, "%sF<sub>%c</sub> = %.4g N on node %d", i ? (i == k->n_inputs - 1 ? " and " : ", ") : "",
            k->inputs[i].component, k->inputs[i].force, k->inputs[i].node);
  fputs(". ", fp);
  if (!strcmp(k->kind, "classification"))
    fputs("Accuracies and confusion matrices use every sample of their set; the FEM's come from its response matrix "
          "(one solve per input).", fp);
  fputs("</p>\n", fp);
}

static void section(FILE *fp, const char *title) {
  fputs("<h2>", fp);
  mnn_html_esc(fp, title);
  fputs("</h2>\n", fp);
}

int mnn_report_write_html(const mnn_report *r, const mnn_html_pictures *pics, const char *html_path, mnn_error *err) {
  mnn_atomic_file f;
  if (mnn_atomic_open(&f, html_path, err)) return -1;
  FILE *fp = f.fp;
  mnn_html_pictures none = {0};
  if (!pics) pics = &none;
  fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>mnn report: ", fp);
  mnn_html_esc(fp, r->case_name);
  fprintf(fp, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<h1>mnn report: ", page_style);
  mnn_html_esc(fp, r->case_name);
  fputs("</h1>\n<p class=\"sub\">", fp);
  if (r->case_file[0]) {
    fputs("case file ", fp);
    mnn_html_esc(fp, r->case_file);
  }
  if (r->created[0]) {
    fputs(" · written ", fp);
    mnn_html_esc(fp, r->created);
  }
  fputs("</p>\n", fp);
  write_verdict(fp, r);
  write_sample(fp, r);
  if (pics->network || pics->deformed) {
    char caption[256];
    snprintf(caption, sizeof caption, "the deformed shape under that sample: trained model (blue) and FEM of the part "
             "(red, dashed), displacements magnified %g times", pics->magnification);
    fputs("<div class=\"row\">\n", fp);
    mnn_html_figure(fp, pics->network, 570, 428, "the trained part to scale: bonds at their widths, input forces "
                    "(orange arrows), outputs (purple rings, with the class they stand for)");
    mnn_html_figure(fp, pics->deformed, 570, 428, caption);
    fputs("</div>\n", fp);
  }
  if (r->has_fem) {
    section(fp, "Does the part do the task");
    mnn_html_task_tables(fp, r);
  }
  mnn_report_html_measurements(fp, r);
  if (r->has_training) {
    section(fp, "Training");
    mnn_html_figure(fp, pics->training, 1000, 420, "training curves: the loss (left) and the accuracy or MSE (right) "
                    "after every epoch, training and test sets");
    mnn_html_figure(fp, pics->error_vs_step, 800, 520, "gradient error against finite-difference step (Fig. 1)");
    fputs("<details><summary>training numbers</summary>\n", fp);
    mnn_html_training_table(fp, r);
    fputs("</details>\n", fp);
  }
  if (r->has_printability || r->has_stl) {
    section(fp, "Printability and STL");
    fputs("<div class=\"row\">\n", fp);
    mnn_html_product_tables(fp, r);
    fputs("</div>\n", fp);
  }
  section(fp, r->has_gradient_summary ? "Gradient agreement (for training the part in situ)" : "Bonds");
  mnn_html_figure(fp, pics->gradient_difference, 600, 450, "bonds coloured by (FEM − trained model) gradient / "
                  "largest trained-model gradient, for the sample above");
  mnn_html_gradient_tables(fp, r);
  section(fp, "Network, mesh, FEM run, tools");
  mnn_html_run_tables(fp, r);
  fputs("<p><small>Written by mnn from report.xml (schemas/report.xsd, docs/formats.md); the verdict is the "
        "report's own, the same lines `mnn run` prints.</small></p>\n</body>\n</html>\n", fp);
  return mnn_atomic_commit(&f, err);
}

/* "<dir>/<base>_<suffix>" for the picture file and "<base>_<suffix>" for the page. */
static void picture_names(const char *html_path, const char *suffix, char *file, size_t fsize, char *rel, size_t rsize) {
  const char *slash = strrchr(html_path, '/');
  const char *base = slash ? slash + 1 : html_path;
  size_t baselen = strlen(base);
  const char *dot = strrchr(base, '.');
  if (dot) baselen = (size_t)(dot - base);
  snprintf(rel, rsize, "%.*s_%s", (int)baselen, base, suffix);
  snprintf(file, fsize, "%.*s%s", slash ? (int)(slash - html_path + 1) : 0, html_path, rel);
}

/* The task's marks for the network picture, from the report. */
static void task_marks(const mnn_report *r, mnn_plot_input *in, mnn_plot_output *out, mnn_plot_marks *m) {
  const mnn_report_task *k = &r->task_check;
  m->n_inputs = k->n_inputs < MNN_REPORT_MAX_IO ? k->n_inputs : MNN_REPORT_MAX_IO;
  for (int i = 0; i < m->n_inputs; ++i) in[i] = (mnn_plot_input){k->inputs[i].node, k->inputs[i].component, k->inputs[i].force};
  m->n_outputs = r->n_outputs < MNN_REPORT_MAX_IO ? r->n_outputs : MNN_REPORT_MAX_IO;
  for (int o = 0; o < m->n_outputs; ++o) {
    out[o].node = r->outputs[o].node;
    if (o < k->n_classes && k->class_names[o][0])
      snprintf(out[o].name, sizeof out[o].name, "%s", k->class_names[o]);
    else
      snprintf(out[o].name, sizeof out[o].name, "u_%c", r->outputs[o].component);
  }
  m->inputs = in;
  m->outputs = out;
}

/* Deformation of the network's nodes (network order) from the report; 0 when the
 * report does not have every node. */
static int task_deformation(const mnn_report *r, const mnn_network *net, double *ub, double *uf) {
  const mnn_report_task *k = &r->task_check;
  if (!k->has || k->n_nodes != net->n_nodes) return 0;
  for (int i = 0; i < net->n_nodes; ++i) {
    int found = 0;
    for (int j = 0; j < k->n_nodes && !found; ++j)
      if (k->nodes[j].node == net->node_id[i]) {
        ub[2 * i] = k->nodes[j].bar[0], ub[2 * i + 1] = k->nodes[j].bar[1];
        uf[2 * i] = k->nodes[j].fem[0], uf[2 * i + 1] = k->nodes[j].fem[1];
        found = 1;
      }
    if (!found) return 0;
  }
  return 1;
}

static int draw_network_pictures(const mnn_report *r, const mnn_network *net, mnn_html_pictures *pics, char file[][1024],
                                 char rel[][512], mnn_error *err) {
  char title[192];
  mnn_plot_input in[MNN_REPORT_MAX_IO];
  mnn_plot_output out[MNN_REPORT_MAX_IO];
  mnn_plot_marks marks = {0};
  task_marks(r, in, out, &marks);
  snprintf(title, sizeof title, "%s: the trained part", r->case_name);
  if (mnn_plot_network_marked(net, NULL, NULL, r->task_check.has ? &marks : NULL, title, file[0], err)) return -1;
  pics->network = rel[0];
  size_t nb = net->n_bonds > 0 ? (size_t)net->n_bonds : 1, nn = 2 * (size_t)net->n_nodes + 1;
  double *values = calloc(nb, sizeof *values), *ub = calloc(nn, sizeof *ub), *uf = calloc(nn, sizeof *uf);
  int rc = 0, grads = 0;
  if (!values || !ub || !uf) rc = mnn_fail(err, "out of memory");
  double scale = 0;
  for (int j = 0; j < r->n_bonds; ++j)
    if (r->bonds[j].has_gradients) scale = fmax(scale, fabs(r->bonds[j].bar_gradient));
  for (int b = 0; !rc && b < net->n_bonds; ++b)
    for (int k = 0; k < r->n_bonds; ++k)
      if (r->bonds[k].id == net->bond_id[b] && r->bonds[k].has_gradients) {
        grads = 1;
        values[b] = scale > 0 ? (r->bonds[k].fem_gradient - r->bonds[k].bar_gradient) / scale : 0;
      }
  if (!rc && grads) {
    snprintf(title, sizeof title, "%s: FEM minus trained-model gradient", r->case_name);
    rc = mnn_plot_network(net, values, "(FEM - model) / max |model| gradient", title, file[1], err);
    if (!rc) pics->gradient_difference = rel[1];
  }
  if (!rc && task_deformation(r, net, ub, uf)) {
    snprintf(title, sizeof title, "%s: deformed shape", r->case_name);
    rc = mnn_plot_deformed(net, ub, "trained model", uf, "FEM of the part", title, file[4], &pics->magnification, err);
    if (!rc) pics->deformed = rel[4];
  }
  free(values);
  free(ub);
  free(uf);
  return rc;
}

int mnn_report_html_with_pictures(const mnn_report *r, const mnn_html_sources *src, const char *html_path, mnn_error *err) {
  mnn_html_pictures pics = {0};
  char file[5][1024], rel[5][512];
  const char *suffix[5] = {"network.svg", "gradient.svg", "training.svg", "error_vs_step.svg", "deformed.svg"};
  for (int i = 0; i < 5; ++i) picture_names(html_path, suffix[i], file[i], sizeof file[i], rel[i], sizeof rel[i]);
  char title[192];
  if (src && src->network && draw_network_pictures(r, src->network, &pics, file, rel, err)) return -1;
  if (src && src->history_csv) {
    snprintf(title, sizeof title, "%s: training", r->case_name);
    if (mnn_plot_training_curves(src->history_csv, title, file[2], err)) return -1;
    pics.training = rel[2];
  }
  if (src && src->error_step_csv) {
    snprintf(title, sizeof title, "%s: gradient error against step size", r->case_name);
    if (mnn_plot_error_vs_step(src->error_step_csv, title, file[3], err)) return -1;
    pics.error_vs_step = rel[3];
  }
  return mnn_report_write_html(r, &pics, html_path, err);
}
