/* The report page's tables: the task in both models (confusion matrices, outputs),
 * training, gradients and bonds, STL and printability, mesh, FEM run and tools,
 * with names a person reads and lengths in mm. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "html_write.h"
#include "report_html_parts.h"

static const struct { const char *key, *name; } metric_names[] = {
    {"initial-train-accuracy", "training accuracy before training"},
    {"initial-test-accuracy", "test accuracy before training"},
    {"final-train-accuracy", "training accuracy after training"},
    {"final-test-accuracy", "test accuracy after training"},
    {"initial-train-mse", "training MSE before training (m²)"},
    {"initial-test-mse", "test MSE before training (m²)"},
    {"final-train-mse", "training MSE after training (m²)"},
    {"final-test-mse", "test MSE after training (m²)"},
    {"phases", "training phases (steps of the case)"},
    {"fem-rounds", "multi-fidelity rounds against the FEM"},
    {"calibration-stiffness-factor", "stiffness factor that fits this part's FEM best (one factor)"},
    {"calibration-factor-multiplier", "multiplier of every length class's factor that fits this part's FEM best"},
    {"displacement-max-relative-difference-before-calibration", "largest output difference, model as trained"},
    {"displacement-max-relative-difference-after-calibration", "largest output difference with that one factor"},
    {"bar-loss", "loss on the checked sample, trained model"},
    {"fem-loss", "loss on the checked sample, FEM of the part"},
    {"node-sensitivity-share", "share of the FEM's sensitivity in the node discs (the bar model has none)"},
    {"bar-test-mse", "test MSE, trained model (m²)"},
    {"fem-test-mse", "test MSE, FEM of the part (m²)"},
    {"fem-corrected-model", "the trained model includes the FEM correction (1 = yes)"},
};

const char *mnn_html_metric_name(const char *key) {
  for (size_t i = 0; i < sizeof metric_names / sizeof *metric_names; ++i)
    if (!strcmp(key, metric_names[i].key)) return metric_names[i].name;
  return key;
}

void mnn_html_output_name(const mnn_report *r, int index, char *out, size_t n) {
  const mnn_report_output *o = &r->outputs[index];
  const mnn_report_task *k = &r->task_check;
  if (k->has && index < k->n_classes && k->class_names[index][0])
    snprintf(out, n, "node %d u_%c (%s)", o->node, o->component, k->class_names[index]);
  else
    snprintf(out, n, "node %d u_%c", o->node, o->component);
}

static void confusion(FILE *fp, const mnn_report_task *k, const int *cm, const char *caption) {
  fputs("<table class=\"cm\">\n<caption>", fp);
  mnn_html_esc(fp, caption);
  fputs("</caption>\n<tr><th>true \\ predicted</th>", fp);
  for (int c = 0; c < k->n_classes; ++c) {
    fputs("<th>", fp);
    mnn_html_esc(fp, k->class_names[c]);
    fputs("</th>", fp);
  }
  fputs("</tr>\n", fp);
  for (int t = 0; t < k->n_classes; ++t) {
    fputs("<tr><th>", fp);
    mnn_html_esc(fp, k->class_names[t]);
    fputs("</th>", fp);
    for (int p = 0; p < k->n_classes; ++p)
      fprintf(fp, "<td class=\"n%s\">%d</td>", p == t ? " diag" : cm[t * k->n_classes + p] ? " off" : "",
              cm[t * k->n_classes + p]);
    fputs("</tr>\n", fp);
  }
  fputs("</table>\n", fp);
}

void mnn_html_task_tables(FILE *fp, const mnn_report *r) {
  const mnn_report_task *k = &r->task_check;
  if (k->has && k->n_classes > 0) {
    fprintf(fp, "<p>Test set (%d samples), rows the true class, columns the class each model predicts:</p>\n"
                "<div class=\"row\">\n", k->n_test);
    confusion(fp, k, k->confusion_bar, "trained model");
    confusion(fp, k, k->confusion_fem, "FEM of the printed part");
    fputs("</div>\n", fp);
  }
  if (r->n_outputs == 0) return;
  fputs("<table>\n<tr><th>output</th><th>trained model (mm)</th><th>FEM of the part (mm)</th>"
        "<th>difference / largest output</th><th>difference / this output</th></tr>\n", fp);
  for (int i = 0; i < r->n_outputs; ++i) {
    const mnn_report_output *o = &r->outputs[i];
    char name[128];
    mnn_html_output_name(r, i, name, sizeof name);
    fputs("<tr><th>", fp);
    mnn_html_esc(fp, name);
    fprintf(fp, "</th><td class=\"n\">%.5g</td><td class=\"n\">%.5g</td><td class=\"n\">%.1f%%</td><td class=\"n\">%.1f%%</td></tr>\n",
            o->bar * 1e3, o->fem * 1e3, 100 * o->scaled_difference, 100 * o->relative_difference);
  }
  fputs("</table>\n", fp);
}

void mnn_html_training_table(FILE *fp, const mnn_report *r) {
  if (!r->has_training) return;
  fputs("<table>\n", fp);
  if (r->task[0]) mnn_html_row_text(fp, "task", r->task);
  if (r->loss_name[0]) mnn_html_row_text(fp, "loss", r->loss_name);
  mnn_html_row_long(fp, "epochs", r->epochs);
  mnn_html_row_num(fp, "loss before training", r->initial_loss, "");
  mnn_html_row_num(fp, "loss after training", r->final_loss, "");
  mnn_html_row_num(fp, "training time", r->training_seconds, "s");
  for (int i = 0; i < r->n_metrics; ++i) {
    const char *key = r->metrics[i].name;
    char name[160];
    if (!strncmp(key, "fem-round-", 10) && strstr(key, "-model-difference"))
      snprintf(name, sizeof name, "model vs FEM response before round %d", atoi(key + 10));
    else
      snprintf(name, sizeof name, "%s", mnn_html_metric_name(key));
    mnn_html_row_num(fp, name, r->metrics[i].value, "");
  }
  fputs("</table>\n", fp);
}

void mnn_html_gradient_tables(FILE *fp, const mnn_report *r) {
  if (r->has_gradient_summary) {
    fputs("<table>\n", fp);
    mnn_html_row_num(fp, "cosine between the two gradients", r->gradient_cosine, "");
    mnn_html_row_num(fp, "relative L2 difference", r->gradient_relative_l2, "");
    mnn_html_row_num(fp, "largest difference / largest trained-model gradient", r->gradient_max_scaled_difference, "");
    mnn_html_row_num(fp, "share of bonds whose signs agree", r->gradient_sign_agreement, "");
    fputs("</table>\n", fp);
  }
  if (!r->has_network || r->n_bonds == 0) return;
  int grads = 0;
  for (int b = 0; b < r->n_bonds; ++b) grads |= r->bonds[b].has_gradients;
  fprintf(fp, "<details%s><summary>every bond: width%s</summary>\n<table>\n<tr><th>bond</th><th>width (mm)</th>",
          grads ? "" : " open", grads ? " and the gradient of the task's loss in both models" : "");
  if (grads)
    fputs("<th>trained model</th><th>FEM</th><th>difference / largest</th><th>signs agree</th>", fp);
  fputs("</tr>\n", fp);
  for (int b = 0; b < r->n_bonds; ++b) {
    const mnn_report_bond *g = &r->bonds[b];
    fprintf(fp, "<tr><td class=\"n\">%d</td><td class=\"n\">%.3f</td>", g->id, g->width * 1e3);
    if (g->has_gradients)
      fprintf(fp, "<td class=\"n\">%.4g</td><td class=\"n\">%.4g</td><td class=\"n\">%.3g</td><td>%s</td>", g->bar_gradient,
              g->fem_gradient, g->scaled_difference, g->sign_agrees ? "yes" : "NO");
    else if (grads)
      fputs("<td colspan=\"4\">—</td>", fp);
    fputs("</tr>\n", fp);
  }
  fputs("</table>\n", fp);
  if (grads) {
    fputs("<p>Gradients are taken with respect to ", fp);
    mnn_html_esc(fp, r->gradient_variable[0] ? r->gradient_variable : "width");
    fputs(".</p>\n", fp);
  }
  fputs("</details>\n", fp);
}

void mnn_html_product_tables(FILE *fp, const mnn_report *r) {
  if (r->has_printability) {
    const mnn_print_check *p = &r->print;
    char buf[200];
    fputs("<table>\n", fp);
    mnn_html_row_text(fp, "printer profile", p->profile.name);
    snprintf(buf, sizeof buf, "%.3g mm (bond %d; limit %.3g mm)", p->thinnest_neck * 1e3, p->thinnest_neck_bond,
             p->profile.min_feature * 1e3);
    mnn_html_row_text(fp, "thinnest neck", buf);
    if (isfinite(p->smallest_gap)) {
      snprintf(buf, sizeof buf, "%.3g mm (%s; limit %.3g mm)", p->smallest_gap * 1e3, p->smallest_gap_between,
               p->profile.min_gap * 1e3);
      mnn_html_row_text(fp, "smallest gap", buf);
    }
    snprintf(buf, sizeof buf, "%.1f × %.1f × %.1f mm (tray %.0f × %.0f × %.0f mm): %s", p->size[0] * 1e3,
             p->size[1] * 1e3, p->size[2] * 1e3, p->profile.tray[0] * 1e3, p->profile.tray[1] * 1e3,
             p->profile.tray[2] * 1e3, p->fits_tray ? "fits" : "does NOT fit");
    mnn_html_row_text(fp, "size", buf);
    mnn_html_row_long(fp, "violations", p->n_issues);
    fputs("</table>\n", fp);
  }
  if (r->has_stl) {
    char size[96];
    fputs("<table>\n", fp);
    mnn_html_row_text(fp, "STL file", r->stl_file);
    mnn_html_row_long(fp, "facets", r->stl_facets);
    mnn_html_row_num(fp, "volume", r->stl_volume_mm3, "mm³");
    mnn_html_row_long(fp, "separate parts", r->stl_parts);
    mnn_html_row_long(fp, "bad edges", r->stl_bad_edges);
    snprintf(size, sizeof size, "%.2f × %.2f × %.2f mm", r->stl_size_mm[0], r->stl_size_mm[1], r->stl_size_mm[2]);
    mnn_html_row_text(fp, "size", size);
    mnn_html_row_text(fp, "repairs by ADMesh", r->stl_repairs[0] ? r->stl_repairs : "none");
    fputs("</table>\n", fp);
  }
}

void mnn_html_run_tables(FILE *fp, const mnn_report *r) {
  fputs("<div class=\"row\">\n", fp);
  if (r->has_network) {
    fputs("<table>\n<caption>network</caption>\n", fp);
    mnn_html_row_long(fp, "nodes", r->n_nodes);
    mnn_html_row_long(fp, "bonds", r->n_bonds);
    mnn_html_row_num(fp, "thickness", r->thickness * 1e3, "mm");
    mnn_html_row_num(fp, "Young's modulus", r->youngs_modulus, "Pa");
    mnn_html_row_num(fp, "Poisson's ratio", r->poisson_ratio, "");
    fputs("</table>\n", fp);
  }
  if (r->has_mesh) {
    fputs("<table>\n<caption>mesh</caption>\n", fp);
    mnn_html_row_long(fp, "nodes", r->mesh_nodes);
    mnn_html_row_long(fp, "tetrahedra", r->mesh_elements);
    mnn_html_row_long(fp, "element order", r->mesh_order);
    mnn_html_row_num(fp, "smallest quality (SICN)", r->mesh_min_quality, "");
    mnn_html_row_num(fp, "mean quality (SICN)", r->mesh_mean_quality, "");
    mnn_html_row_num(fp, "volume", r->mesh_volume * 1e9, "mm³");
    fputs("</table>\n", fp);
  }
  if (r->has_fem) {
    fputs("<table>\n<caption>FEM run</caption>\n", fp);
    mnn_html_row_long(fp, "degrees of freedom", r->fem_dofs);
    mnn_html_row_long(fp, "MPI ranks", r->fem_ranks);
    mnn_html_row_text(fp, "solver", r->fem_solver);
    mnn_html_row_long(fp, "iterations", r->fem_iterations);
    mnn_html_row_num(fp, "assembly", r->fem_assembly_seconds, "s");
    mnn_html_row_num(fp, "solves", r->fem_solve_seconds, "s");
    mnn_html_row_num(fp, "total", r->fem_total_seconds, "s");
    fputs("</table>\n", fp);
  }
  fputs("<table>\n<caption>case and tools</caption>\n", fp);
  if (r->case_file[0]) mnn_html_row_text(fp, "case file", r->case_file);
  if (r->created[0]) mnn_html_row_text(fp, "report written", r->created);
  for (int i = 0; i < r->n_tools; ++i) mnn_html_row_text(fp, r->tools[i].name, r->tools[i].version);
  fputs("</table>\n</div>\n", fp);
}
