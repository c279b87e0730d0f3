/* The report structure: creation, freeing and the small setters the pipeline
 * uses to fill it stage by stage. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "report.h"
#include "report_measurements.h"

mnn_report *mnn_report_create(void) {
  mnn_report *r = calloc(1, sizeof *r);
  if (r) {
    r->print.smallest_gap = INFINITY;
    r->print.thinnest_neck = INFINITY;
    r->print.thinnest_bond = INFINITY;
    mnn_report_task *t = &r->task_check;
    t->bar_train = t->fem_train = t->bar_test = t->fem_test = NAN;
    t->bar_margin = t->fem_margin = t->output_scale = NAN;
  }
  return r;
}

void mnn_report_free(mnn_report *r) {
  if (!r) return;
  free(r->tools);
  free(r->bonds);
  free(r->metrics);
  free(r->outputs);
  free(r->discrepancies);
  mnn_report_measurements_free(r->measurements);
  free(r->task_check.nodes);
  free(r);
}

const char *mnn_severity_name(mnn_severity s) {
  return s == MNN_SEVERITY_ERROR ? "error" : s == MNN_SEVERITY_WARNING ? "warning" : "info";
}

/* Grows an array by one element (zeroed); returns its address or NULL. */
static void *grow(void **array, int *count, size_t size) {
  void *p = realloc(*array, (size_t)(*count + 1) * size);
  if (!p) return NULL;
  *array = p;
  void *slot = (char *)p + (size_t)*count * size;
  memset(slot, 0, size);
  ++*count;
  return slot;
}

int mnn_report_add_tool(mnn_report *r, const char *name, const char *version, mnn_error *err) {
  mnn_report_tool *t = grow((void **)&r->tools, &r->n_tools, sizeof *t);
  if (!t) return mnn_fail(err, "report: out of memory");
  snprintf(t->name, sizeof t->name, "%s", name ? name : "");
  snprintf(t->version, sizeof t->version, "%s", version ? version : "");
  return 0;
}

int mnn_report_add_metric(mnn_report *r, const char *name, double value, mnn_error *err) {
  mnn_report_metric *m = grow((void **)&r->metrics, &r->n_metrics, sizeof *m);
  if (!m) return mnn_fail(err, "report: out of memory");
  snprintf(m->name, sizeof m->name, "%s", name ? name : "");
  m->value = value;
  return 0;
}

int mnn_report_set_network(mnn_report *r, const mnn_network *net, mnn_error *err) {
  mnn_report_bond *bonds = calloc(net->n_bonds > 0 ? (size_t)net->n_bonds : 1, sizeof *bonds);
  if (!bonds) return mnn_fail(err, "report: out of memory");
  for (int b = 0; b < net->n_bonds; ++b) {
    bonds[b].id = net->bond_id[b];
    bonds[b].width = net->width[b];
    bonds[b].sign_agrees = 1;
  }
  free(r->bonds);
  r->bonds = bonds;
  r->has_network = 1;
  r->n_nodes = net->n_nodes;
  r->n_bonds = net->n_bonds;
  r->thickness = net->thickness;
  r->youngs_modulus = net->youngs_modulus;
  r->poisson_ratio = net->poisson_ratio;
  if (!r->gradient_variable[0]) snprintf(r->gradient_variable, sizeof r->gradient_variable, "width");
  return 0;
}

int mnn_report_set_bond_gradient(mnn_report *r, int bond_id, double bar, double fem, mnn_error *err) {
  for (int b = 0; b < r->n_bonds; ++b)
    if (r->bonds[b].id == bond_id) {
      r->bonds[b].has_gradients = 1;
      r->bonds[b].bar_gradient = bar;
      r->bonds[b].fem_gradient = fem;
      return 0;
    }
  return mnn_fail(err, "report: bond %d is not in the network: set the network first", bond_id);
}

int mnn_report_add_output(mnn_report *r, int node_id, char component, double bar, double fem, mnn_error *err) {
  if (component != 'x' && component != 'y')
    return mnn_fail(err, "report: output of node %d: component '%c' is neither x nor y", node_id, component);
  mnn_report_output *o = grow((void **)&r->outputs, &r->n_outputs, sizeof *o);
  if (!o) return mnn_fail(err, "report: out of memory");
  o->node = node_id;
  o->component = component;
  o->bar = bar;
  o->fem = fem;
  return 0;
}

int mnn_report_add_discrepancy(mnn_report *r, mnn_severity severity, const char *kind, const char *subject,
                               double value, double threshold, const char *message, mnn_error *err) {
  mnn_report_discrepancy *d = grow((void **)&r->discrepancies, &r->n_discrepancies, sizeof *d);
  if (!d) return mnn_fail(err, "report: out of memory");
  d->severity = severity;
  snprintf(d->kind, sizeof d->kind, "%s", kind ? kind : "");
  snprintf(d->subject, sizeof d->subject, "%s", subject ? subject : "");
  d->value = value;
  d->threshold = threshold;
  snprintf(d->message, sizeof d->message, "%s", message ? message : "");
  return 0;
}

void mnn_report_set_stl(mnn_report *r, const char *file, const mnn_stl_stats *s) {
  r->has_stl = 1;
  snprintf(r->stl_file, sizeof r->stl_file, "%s", file ? file : "");
  r->stl_facets = s->facets;
  r->stl_parts = s->parts;
  r->stl_bad_edges = s->bad_edges;
  r->stl_repaired = s->repaired || s->reversed_all;
  r->stl_volume_mm3 = s->volume_mm3;
  for (int k = 0; k < 3; ++k) r->stl_size_mm[k] = s->max_mm[k] - s->min_mm[k];
  snprintf(r->stl_repairs, sizeof r->stl_repairs, "%s", s->repairs[0] ? s->repairs : "none");
}

void mnn_report_set_printability(mnn_report *r, const mnn_print_check *check, int strict) {
  r->has_printability = 1;
  r->print_strict = strict;
  r->print = *check;
}

int mnn_report_count(const mnn_report *r, mnn_severity severity) {
  int n = 0;
  for (int i = 0; i < r->n_discrepancies; ++i) n += r->discrepancies[i].severity == severity;
  return n;
}

int mnn_report_task_set_nodes(mnn_report *r, int n, mnn_error *err) {
  mnn_report_node_u *nodes = calloc(n > 0 ? (size_t)n : 1, sizeof *nodes);
  if (!nodes) return mnn_fail(err, "report: out of memory");
  free(r->task_check.nodes);
  r->task_check.nodes = nodes;
  r->task_check.n_nodes = n;
  return 0;
}
