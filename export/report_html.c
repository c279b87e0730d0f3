/* The HTML page of a case: tables of the report (numbers in the units people
 * read: mm for lengths and displacements) and the pictures, static HTML with a
 * little CSS, written through an atomic file. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "atomic_file.h"
#include "plot.h"
#include "report_html.h"
#include "report_measurements.h"

static void esc(FILE *fp, const char *s) {
  for (; s && *s; ++s) {
    switch (*s) {
      case '<': fputs("&lt;", fp); break;
      case '>': fputs("&gt;", fp); break;
      case '&': fputs("&amp;", fp); break;
      case '"': fputs("&quot;", fp); break;
      default: fputc(*s, fp);
    }
  }
}

static void row_text(FILE *fp, const char *name, const char *value) {
  fputs("<tr><th>", fp);
  esc(fp, name);
  fputs("</th><td>", fp);
  esc(fp, value);
  fputs("</td></tr>\n", fp);
}

static void row_num(FILE *fp, const char *name, double value, const char *unit) {
  char buf[64];
  if (isfinite(value)) snprintf(buf, sizeof buf, "%.6g%s%s", value, unit && *unit ? " " : "", unit ? unit : "");
  else snprintf(buf, sizeof buf, "—");
  row_text(fp, name, buf);
}

static void row_long(FILE *fp, const char *name, long value) {
  char buf[32];
  snprintf(buf, sizeof buf, "%ld", value);
  row_text(fp, name, buf);
}

static void picture(FILE *fp, const char *src, const char *caption) {
  if (!src) return;
  fputs("<figure><img src=\"", fp);
  esc(fp, src);
  fputs("\" alt=\"", fp);
  esc(fp, caption);
  fputs("\"><figcaption>", fp);
  esc(fp, caption);
  fputs("</figcaption></figure>\n", fp);
}

static void write_head(FILE *fp, const mnn_report *r) {
  fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>mnn report: ", fp);
  esc(fp, r->case_name);
  fputs("</title>\n<style>\n"
        "body{font-family:sans-serif;max-width:70em;margin:2em auto;padding:0 1em;color:#222}\n"
        "table{border-collapse:collapse;margin:0.5em 0 1.5em}\n"
        "th,td{border:1px solid #ccc;padding:0.2em 0.6em;text-align:left}\n"
        "td.n{text-align:right;font-variant-numeric:tabular-nums}\n"
        "tr.error td{background:#f8d7da}tr.warning td{background:#fff3cd}tr.info td{background:#e7f1ff}\n"
        "figure{display:inline-block;margin:0.5em;vertical-align:top}img{max-width:100%;border:1px solid #ddd}\n"
        "</style>\n</head>\n<body>\n<h1>Case ",
        fp);
  esc(fp, r->case_name);
  fputs("</h1>\n", fp);
}

static void write_overview(FILE *fp, const mnn_report *r) {
  fputs("<h2>Case and tools</h2>\n<table>\n", fp);
  row_text(fp, "case", r->case_name);
  if (r->case_file[0]) row_text(fp, "case file", r->case_file);
  if (r->created[0]) row_text(fp, "report written", r->created);
  for (int i = 0; i < r->n_tools; ++i) row_text(fp, r->tools[i].name, r->tools[i].version);
  fputs("</table>\n", fp);
  if (r->has_network) {
    fputs("<h2>Network</h2>\n<table>\n", fp);
    row_long(fp, "nodes", r->n_nodes);
    row_long(fp, "bonds", r->n_bonds);
    row_num(fp, "thickness", r->thickness * 1e3, "mm");
    row_num(fp, "Young's modulus", r->youngs_modulus, "Pa");
    row_num(fp, "Poisson's ratio", r->poisson_ratio, "");
    fputs("</table>\n", fp);
  }
  if (r->has_training) {
    fputs("<h2>Training</h2>\n<table>\n", fp);
    if (r->task[0]) row_text(fp, "task", r->task);
    if (r->loss_name[0]) row_text(fp, "loss", r->loss_name);
    row_long(fp, "epochs", r->epochs);
    row_num(fp, "initial loss", r->initial_loss, "");
    row_num(fp, "final loss", r->final_loss, "");
    row_num(fp, "time", r->training_seconds, "s");
    for (int i = 0; i < r->n_metrics; ++i) row_num(fp, r->metrics[i].name, r->metrics[i].value, "");
    fputs("</table>\n", fp);
  }
  if (r->has_mesh) {
    fputs("<h2>Mesh</h2>\n<table>\n", fp);
    row_long(fp, "nodes", r->mesh_nodes);
    row_long(fp, "elements", r->mesh_elements);
    row_long(fp, "order", r->mesh_order);
    row_num(fp, "minimum quality", r->mesh_min_quality, "");
    row_num(fp, "mean quality", r->mesh_mean_quality, "");
    row_num(fp, "volume", r->mesh_volume * 1e9, "mm³");
    fputs("</table>\n", fp);
  }
  if (r->has_fem) {
    fputs("<h2>FEM run</h2>\n<table>\n", fp);
    row_long(fp, "degrees of freedom", r->fem_dofs);
    row_long(fp, "MPI ranks", r->fem_ranks);
    row_text(fp, "solver", r->fem_solver);
    row_long(fp, "iterations", r->fem_iterations);
    row_num(fp, "assembly", r->fem_assembly_seconds, "s");
    row_num(fp, "solve", r->fem_solve_seconds, "s");
    row_num(fp, "total", r->fem_total_seconds, "s");
    fputs("</table>\n", fp);
  }
}

static void write_comparison(FILE *fp, const mnn_report *r) {
  if (r->has_summary) {
    fputs("<h2>Summary: bar model against FEM</h2>\n<table>\n", fp);
    if (r->has_gradient_summary) {
      row_num(fp, "gradient cosine similarity", r->gradient_cosine, "");
      row_num(fp, "gradient relative L2 difference", r->gradient_relative_l2, "");
      row_num(fp, "largest gradient difference / largest bar gradient", r->gradient_max_scaled_difference, "");
      row_num(fp, "bonds whose gradient signs agree", r->gradient_sign_agreement, "");
    }
    if (r->has_displacement_summary) {
      row_num(fp, "largest output relative difference", r->displacement_max_relative_difference, "");
      row_num(fp, "output relative L2 difference", r->displacement_relative_l2, "");
    }
    if (r->has_accuracy) {
      row_num(fp, "test accuracy, bar model", r->bar_test_accuracy, "");
      row_num(fp, "test accuracy, FEM", r->fem_test_accuracy, "");
    }
    fputs("</table>\n", fp);
  }
  if (r->n_outputs > 0) {
    fputs("<h2>Outputs</h2>\n<table>\n<tr><th>node</th><th>component</th><th>bar model (mm)</th><th>FEM (mm)</th>"
          "<th>relative difference</th></tr>\n", fp);
    for (int i = 0; i < r->n_outputs; ++i) {
      const mnn_report_output *o = &r->outputs[i];
      fprintf(fp, "<tr><td class=\"n\">%d</td><td>%c</td><td class=\"n\">%.6g</td><td class=\"n\">%.6g</td><td class=\"n\">%.3g</td></tr>\n",
              o->node, o->component, o->bar * 1e3, o->fem * 1e3, o->relative_difference);
    }
    fputs("</table>\n", fp);
  }
  if (r->has_network && r->n_bonds > 0) {
    int grads = 0;
    for (int b = 0; b < r->n_bonds; ++b) grads |= r->bonds[b].has_gradients;
    fputs("<h2>Bonds</h2>\n<table>\n<tr><th>bond</th><th>width (mm)</th>", fp);
    if (grads) {
      fputs("<th>bar gradient</th><th>FEM gradient</th><th>relative difference</th><th>difference / largest</th><th>signs agree</th>", fp);
    }
    fputs("</tr>\n", fp);
    for (int b = 0; b < r->n_bonds; ++b) {
      const mnn_report_bond *g = &r->bonds[b];
      fprintf(fp, "<tr><td class=\"n\">%d</td><td class=\"n\">%.4f</td>", g->id, g->width * 1e3);
      if (g->has_gradients)
        fprintf(fp, "<td class=\"n\">%.6g</td><td class=\"n\">%.6g</td><td class=\"n\">%.3g</td><td class=\"n\">%.3g</td><td>%s</td>",
                g->bar_gradient, g->fem_gradient, g->relative_difference, g->scaled_difference, g->sign_agrees ? "yes" : "NO");
      else if (grads)
        fputs("<td colspan=\"5\">—</td>", fp);
      fputs("</tr>\n", fp);
    }
    fputs("</table>\n", fp);
    if (grads) {
      fputs("<p>Gradients are taken with respect to ", fp);
      esc(fp, r->gradient_variable[0] ? r->gradient_variable : "width");
      fputs(".</p>\n", fp);
    }
  }
}

static void write_products(FILE *fp, const mnn_report *r) {
  if (r->has_stl) {
    fputs("<h2>STL</h2>\n<table>\n", fp);
    row_text(fp, "file", r->stl_file);
    row_long(fp, "facets", r->stl_facets);
    row_num(fp, "volume", r->stl_volume_mm3, "mm³");
    row_long(fp, "parts", r->stl_parts);
    row_long(fp, "bad edges", r->stl_bad_edges);
    char size[96];
    snprintf(size, sizeof size, "%.2f x %.2f x %.2f mm", r->stl_size_mm[0], r->stl_size_mm[1], r->stl_size_mm[2]);
    row_text(fp, "size", size);
    row_text(fp, "repairs", r->stl_repairs[0] ? r->stl_repairs : "none");
    fputs("</table>\n", fp);
  }
  if (r->has_printability) {
    const mnn_print_check *p = &r->print;
    char buf[160];
    fputs("<h2>Printability</h2>\n<table>\n", fp);
    row_text(fp, "printer", p->profile.name);
    snprintf(buf, sizeof buf, "%.3g mm (bond %d; limit %.3g mm)", p->thinnest_neck * 1e3, p->thinnest_neck_bond,
             p->profile.min_feature * 1e3);
    row_text(fp, "thinnest neck", buf);
    if (isfinite(p->smallest_gap)) {
      snprintf(buf, sizeof buf, "%.3g mm (%s; limit %.3g mm)", p->smallest_gap * 1e3, p->smallest_gap_between,
               p->profile.min_gap * 1e3);
      row_text(fp, "smallest gap", buf);
    }
    snprintf(buf, sizeof buf, "%.1f x %.1f x %.1f mm (tray %.0f x %.0f x %.0f mm): %s", p->size[0] * 1e3, p->size[1] * 1e3,
             p->size[2] * 1e3, p->profile.tray[0] * 1e3, p->profile.tray[1] * 1e3, p->profile.tray[2] * 1e3,
             p->fits_tray ? "fits" : "does NOT fit");
    row_text(fp, "size", buf);
    row_long(fp, "violations", p->n_issues);
    fputs("</table>\n", fp);
  }
  fprintf(fp, "<h2>Discrepancies</h2>\n<p>%d errors, %d warnings, %d notes.</p>\n", mnn_report_count(r, MNN_SEVERITY_ERROR),
          mnn_report_count(r, MNN_SEVERITY_WARNING), mnn_report_count(r, MNN_SEVERITY_INFO));
  if (r->n_discrepancies > 0) {
    fputs("<table>\n<tr><th>severity</th><th>kind</th><th>subject</th><th>what</th></tr>\n", fp);
    for (int i = 0; i < r->n_discrepancies; ++i) {
      const mnn_report_discrepancy *d = &r->discrepancies[i];
      fprintf(fp, "<tr class=\"%s\"><td>%s</td><td>", mnn_severity_name(d->severity), mnn_severity_name(d->severity));
      esc(fp, d->kind);
      fputs("</td><td>", fp);
      esc(fp, d->subject);
      fputs("</td><td>", fp);
      esc(fp, d->message);
      fputs("</td></tr>\n", fp);
    }
    fputs("</table>\n", fp);
  }
}

int mnn_report_write_html(const mnn_report *r, const mnn_html_pictures *pics, const char *html_path, mnn_error *err) {
  mnn_atomic_file f;
  if (mnn_atomic_open(&f, html_path, err)) return -1;
  FILE *fp = f.fp;
  write_head(fp, r);
  if (pics && (pics->network || pics->gradient_difference || pics->training || pics->error_vs_step)) {
    fputs("<h2>Pictures</h2>\n", fp);
    picture(fp, pics->network, "the trained network, bonds at their widths (to scale)");
    picture(fp, pics->gradient_difference, "bonds coloured by (FEM − bar) gradient / largest bar gradient");
    picture(fp, pics->training, "training curves");
    picture(fp, pics->error_vs_step, "gradient error against finite-difference step (Fig. 1)");
  }
  write_overview(fp, r);
  write_comparison(fp, r);
  mnn_report_html_measurements(fp, r);
  write_products(fp, r);
  fputs("<p><small>Written by mnn from report.xml (schemas/report.xsd, docs/formats.md).</small></p>\n</body>\n</html>\n", fp);
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

int mnn_report_html_with_pictures(const mnn_report *r, const mnn_html_sources *src, const char *html_path, mnn_error *err) {
  mnn_html_pictures pics = {0};
  char file[4][1024], rel[4][512];
  const char *suffix[4] = {"network.svg", "gradient.svg", "training.svg", "error_vs_step.svg"};
  for (int i = 0; i < 4; ++i) picture_names(html_path, suffix[i], file[i], sizeof file[i], rel[i], sizeof rel[i]);
  char title[192];
  if (src && src->network) {
    snprintf(title, sizeof title, "%s: trained network", r->case_name);
    if (mnn_plot_network(src->network, NULL, NULL, title, file[0], err)) return -1;
    pics.network = rel[0];
    /* gradient difference per bond, scaled by the largest bar gradient */
    int grads = 0;
    double *values = calloc(src->network->n_bonds > 0 ? (size_t)src->network->n_bonds : 1, sizeof *values);
    if (!values) return mnn_fail(err, "out of memory");
    for (int b = 0; b < src->network->n_bonds; ++b)
      for (int k = 0; k < r->n_bonds; ++k)
        if (r->bonds[k].id == src->network->bond_id[b] && r->bonds[k].has_gradients) {
          grads = 1;
          double scale = 0;
          for (int j = 0; j < r->n_bonds; ++j)
            if (r->bonds[j].has_gradients) scale = fmax(scale, fabs(r->bonds[j].bar_gradient));
          values[b] = scale > 0 ? (r->bonds[k].fem_gradient - r->bonds[k].bar_gradient) / scale : 0;
        }
    int rc = 0;
    if (grads) {
      snprintf(title, sizeof title, "%s: FEM minus bar gradient", r->case_name);
      rc = mnn_plot_network(src->network, values, "(FEM - bar) / max |bar| gradient", title, file[1], err);
      if (!rc) pics.gradient_difference = rel[1];
    }
    free(values);
    if (rc) return -1;
  }
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
