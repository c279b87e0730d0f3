/* Writes report.xml with libxml2's xmlTextWriter under a temporary name, then
 * renames it into place. Numbers are written in the shortest of %.15g, %.16g and
 * %.17g that reads back bit-equal; non-finite numbers are left out. */
#include <libxml/xmlwriter.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "atomic_file.h"
#include "report.h"
#include "report_measurements.h"
#include "xml_output.h"

typedef struct {
  xmlTextWriterPtr w;
  int failed;
} writer;

static void check(writer *w, int rc) {
  if (rc < 0) w->failed = 1;
}

static void start(writer *w, const char *name) { check(w, xmlTextWriterStartElement(w->w, BAD_CAST name)); }
static void end(writer *w) { check(w, xmlTextWriterEndElement(w->w)); }

static void attr_string(writer *w, const char *name, const char *value) {
  check(w, xmlTextWriterWriteAttribute(w->w, BAD_CAST name, BAD_CAST(value ? value : "")));
}

static void attr_double(writer *w, const char *name, double v) {
  if (!isfinite(v)) return;
  char buf[40];
  for (int digits = 15; digits <= 17; ++digits) {
    snprintf(buf, sizeof buf, "%.*g", digits, v);
    if (strtod(buf, NULL) == v) break;
  }
  attr_string(w, name, buf);
}

static void attr_long(writer *w, const char *name, long v) {
  char buf[32];
  snprintf(buf, sizeof buf, "%ld", v);
  attr_string(w, name, buf);
}

static void attr_bool(writer *w, const char *name, int v) { attr_string(w, name, v ? "true" : "false"); }

static void write_training(writer *w, const mnn_report *r) {
  start(w, "training");
  if (r->task[0]) attr_string(w, "task", r->task);
  if (r->loss_name[0]) attr_string(w, "loss", r->loss_name);
  attr_long(w, "epochs", r->epochs);
  attr_double(w, "initial-loss", r->initial_loss);
  attr_double(w, "final-loss", r->final_loss);
  attr_double(w, "seconds", r->training_seconds);
  for (int i = 0; i < r->n_metrics; ++i) {
    start(w, "metric");
    attr_string(w, "name", r->metrics[i].name);
    attr_double(w, "value", r->metrics[i].value);
    end(w);
  }
  end(w);
}

static void write_mesh_and_fem(writer *w, const mnn_report *r) {
  if (r->has_mesh) {
    start(w, "mesh");
    attr_long(w, "nodes", r->mesh_nodes);
    attr_long(w, "elements", r->mesh_elements);
    attr_long(w, "order", r->mesh_order);
    attr_double(w, "min-quality", r->mesh_min_quality);
    attr_double(w, "mean-quality", r->mesh_mean_quality);
    attr_double(w, "volume", r->mesh_volume);
    end(w);
  }
  if (r->has_fem) {
    start(w, "fem");
    attr_long(w, "dofs", r->fem_dofs);
    attr_long(w, "ranks", r->fem_ranks);
    attr_string(w, "solver", r->fem_solver);
    attr_long(w, "iterations", r->fem_iterations);
    attr_double(w, "assembly-seconds", r->fem_assembly_seconds);
    attr_double(w, "solve-seconds", r->fem_solve_seconds);
    attr_double(w, "total-seconds", r->fem_total_seconds);
    end(w);
  }
}

static void write_outputs_and_bonds(writer *w, const mnn_report *r) {
  if (r->n_outputs > 0) {
    start(w, "outputs");
    for (int i = 0; i < r->n_outputs; ++i) {
      const mnn_report_output *o = &r->outputs[i];
      char comp[2] = {o->component, 0};
      start(w, "output");
      attr_long(w, "node", o->node);
      attr_string(w, "component", comp);
      attr_double(w, "bar", o->bar);
      attr_double(w, "fem", o->fem);
      attr_double(w, "relative-difference", o->relative_difference);
      attr_double(w, "scaled-difference", o->scaled_difference);
      end(w);
    }
    end(w);
  }
  if (r->has_network && r->n_bonds > 0) {
    start(w, "bonds");
    attr_string(w, "gradient-variable", r->gradient_variable[0] ? r->gradient_variable : "width");
    for (int b = 0; b < r->n_bonds; ++b) {
      const mnn_report_bond *g = &r->bonds[b];
      start(w, "bond");
      attr_long(w, "id", g->id);
      attr_double(w, "width", g->width);
      if (g->has_gradients) {
        attr_double(w, "bar-gradient", g->bar_gradient);
        attr_double(w, "fem-gradient", g->fem_gradient);
        attr_double(w, "relative-difference", g->relative_difference);
        attr_double(w, "scaled-difference", g->scaled_difference);
        attr_bool(w, "sign-agrees", g->sign_agrees);
      }
      end(w);
    }
    end(w);
  }
}

static void write_summary(writer *w, const mnn_report *r) {
  start(w, "summary");
  if (r->has_gradient_summary) {
    attr_double(w, "gradient-cosine", r->gradient_cosine);
    attr_double(w, "gradient-relative-l2", r->gradient_relative_l2);
    attr_double(w, "gradient-max-relative-difference", r->gradient_max_relative_difference);
    attr_double(w, "gradient-max-scaled-difference", r->gradient_max_scaled_difference);
    attr_double(w, "gradient-sign-agreement", r->gradient_sign_agreement);
  }
  if (r->has_displacement_summary) {
    attr_double(w, "displacement-max-relative-difference", r->displacement_max_relative_difference);
    attr_double(w, "displacement-relative-l2", r->displacement_relative_l2);
    attr_double(w, "displacement-max-scaled-difference", r->displacement_max_scaled_difference);
  }
  if (r->has_accuracy) {
    attr_double(w, "bar-test-accuracy", r->bar_test_accuracy);
    attr_double(w, "fem-test-accuracy", r->fem_test_accuracy);
  }
  end(w);
}

static void write_task(writer *w, const mnn_report *r) {
  const mnn_report_task *k = &r->task_check;
  start(w, "task-check");
  attr_string(w, "kind", k->kind);
  if (k->sample > 0) attr_long(w, "sample", k->sample);
  if (k->sample_set[0]) attr_string(w, "sample-set", k->sample_set);
  attr_double(w, "bar-train", k->bar_train);
  attr_double(w, "fem-train", k->fem_train);
  attr_double(w, "bar-test", k->bar_test);
  attr_double(w, "fem-test", k->fem_test);
  attr_double(w, "bar-margin", k->bar_margin);
  attr_double(w, "fem-margin", k->fem_margin);
  attr_double(w, "output-scale", k->output_scale);
  attr_long(w, "test-samples", k->n_test);
  attr_long(w, "disagreements", k->n_disagree);
  for (int i = 0; i < k->n_inputs; ++i) {
    char comp[2] = {k->inputs[i].component, 0};
    start(w, "input");
    attr_long(w, "node", k->inputs[i].node);
    attr_string(w, "component", comp);
    attr_double(w, "force", k->inputs[i].force);
    end(w);
  }
  for (int c = 0; c < k->n_classes; ++c) {
    start(w, "class");
    attr_string(w, "name", k->class_names[c]);
    char row[2][MNN_REPORT_MAX_IO * 12];
    for (int m = 0; m < 2; ++m) {
      const int *cm = m ? k->confusion_fem : k->confusion_bar;
      size_t used = 0;
      row[m][0] = 0;
      for (int j = 0; j < k->n_classes; ++j)
        used += (size_t)snprintf(row[m] + used, sizeof row[m] - used, "%s%d", j ? " " : "", cm[c * k->n_classes + j]);
    }
    attr_string(w, "bar-predicted", row[0]);
    attr_string(w, "fem-predicted", row[1]);
    end(w);
  }
  for (int i = 0; i < k->n_nodes; ++i) {
    const mnn_report_node_u *u = &k->nodes[i];
    start(w, "node");
    attr_long(w, "id", u->node);
    attr_double(w, "bar-ux", u->bar[0]);
    attr_double(w, "bar-uy", u->bar[1]);
    attr_double(w, "fem-ux", u->fem[0]);
    attr_double(w, "fem-uy", u->fem[1]);
    end(w);
  }
  end(w);
}

static void write_verdict(writer *w, const mnn_report *r) {
  start(w, "verdict");
  attr_string(w, "headline", r->verdict.headline);
  attr_bool(w, "in-situ-training", r->in_situ);
  for (int i = 0; i < MNN_VERDICT_LINES; ++i) {
    const mnn_verdict_line *l = &r->verdict.lines[i];
    start(w, "line");
    attr_string(w, "topic", l->topic);
    attr_string(w, "title", l->title);
    attr_string(w, "status", mnn_verdict_status_name(l->status));
    attr_string(w, "finding", l->finding);
    if (l->todo[0]) attr_string(w, "todo", l->todo);
    end(w);
  }
  end(w);
}

static void write_stl_and_print(writer *w, const mnn_report *r) {
  if (r->has_stl) {
    start(w, "stl");
    attr_string(w, "file", r->stl_file);
    attr_long(w, "facets", r->stl_facets);
    attr_double(w, "volume-mm3", r->stl_volume_mm3);
    attr_long(w, "parts", r->stl_parts);
    attr_long(w, "bad-edges", r->stl_bad_edges);
    attr_bool(w, "repaired", r->stl_repaired);
    attr_string(w, "repairs", r->stl_repairs[0] ? r->stl_repairs : "none");
    attr_double(w, "size-x-mm", r->stl_size_mm[0]);
    attr_double(w, "size-y-mm", r->stl_size_mm[1]);
    attr_double(w, "size-z-mm", r->stl_size_mm[2]);
    end(w);
  }
  if (r->has_printability) {
    const mnn_print_check *p = &r->print;
    start(w, "printability");
    attr_string(w, "printer", p->profile.name);
    attr_double(w, "min-feature", p->profile.min_feature);
    attr_double(w, "min-gap", p->profile.min_gap);
    attr_double(w, "tray-x", p->profile.tray[0]);
    attr_double(w, "tray-y", p->profile.tray[1]);
    attr_double(w, "tray-z", p->profile.tray[2]);
    attr_double(w, "thinnest-neck", p->thinnest_neck);
    if (p->thinnest_neck_bond > 0) attr_long(w, "thinnest-neck-bond", p->thinnest_neck_bond);
    attr_double(w, "thinnest-bond", p->thinnest_bond);
    attr_double(w, "smallest-gap", p->smallest_gap);
    if (p->smallest_gap_between[0]) attr_string(w, "smallest-gap-between", p->smallest_gap_between);
    attr_double(w, "size-x", p->size[0]);
    attr_double(w, "size-y", p->size[1]);
    attr_double(w, "size-z", p->size[2]);
    attr_bool(w, "fits-tray", p->fits_tray);
    attr_long(w, "violations", p->n_issues);
    attr_bool(w, "strict", r->print_strict);
    end(w);
  }
}

static void write_discrepancies(writer *w, const mnn_report *r) {
  start(w, "discrepancies");
  attr_long(w, "errors", mnn_report_count(r, MNN_SEVERITY_ERROR));
  attr_long(w, "warnings", mnn_report_count(r, MNN_SEVERITY_WARNING));
  attr_long(w, "infos", mnn_report_count(r, MNN_SEVERITY_INFO));
  for (int i = 0; i < r->n_discrepancies; ++i) {
    const mnn_report_discrepancy *d = &r->discrepancies[i];
    start(w, "discrepancy");
    attr_string(w, "severity", mnn_severity_name(d->severity));
    attr_string(w, "kind", d->kind);
    attr_string(w, "subject", d->subject);
    attr_double(w, "value", d->value);
    attr_double(w, "threshold", d->threshold);
    check(w, xmlTextWriterWriteString(w->w, BAD_CAST d->message));
    end(w);
  }
  end(w);
}

static void write_document(writer *w, const mnn_report *r) {
  start(w, "report");
  attr_string(w, "version", "1");
  char created[32];
  if (r->created[0]) snprintf(created, sizeof created, "%s", r->created);
  else {
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(created, sizeof created, "%Y-%m-%dT%H:%M:%SZ", &tm);
  }
  attr_string(w, "created", created);
  if (r->verdict.has) write_verdict(w, r);
  start(w, "case");
  attr_string(w, "name", r->case_name);
  if (r->case_file[0]) attr_string(w, "file", r->case_file);
  end(w);
  start(w, "tools");
  for (int i = 0; i < r->n_tools; ++i) {
    start(w, "tool");
    attr_string(w, "name", r->tools[i].name);
    attr_string(w, "version", r->tools[i].version);
    end(w);
  }
  end(w);
  if (r->has_network) {
    start(w, "network");
    attr_long(w, "nodes", r->n_nodes);
    attr_long(w, "bonds", r->n_bonds);
    attr_double(w, "thickness", r->thickness);
    attr_double(w, "youngs-modulus", r->youngs_modulus);
    attr_double(w, "poisson-ratio", r->poisson_ratio);
    end(w);
  }
  if (r->has_training) write_training(w, r);
  write_mesh_and_fem(w, r);
  write_outputs_and_bonds(w, r);
  if (r->has_summary) write_summary(w, r);
  check(w, mnn_report_write_measurements(w->w, r));
  if (r->task_check.has) write_task(w, r);
  write_stl_and_print(w, r);
  write_discrepancies(w, r);
  end(w);
}

int mnn_report_write(const mnn_report *r, const char *path, mnn_error *err) {
  mnn_xml_output out;
  if (mnn_xml_output_open(&out, path, err)) return -1;
  writer w = {out.w, 0};
  write_document(&w, r);
  return mnn_xml_output_finish(&out, w.failed, err);
}
