/* Reads report.xml back into an mnn_report: parsed safely and validated against
 * the compiled-in schema (common/xml_input.h), every number read with strtod so
 * that what mnn_report_write wrote comes back bit-equal. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "report.h"
#include "report_measurements.h"
#include "xml_input.h"

typedef struct {
  const char *path;
  mnn_error *err;
  int failed;
} reader;

static void get_double(reader *rd, xmlNodePtr n, const char *name, double *v) {
  if (mnn_xml_attr_double(n, name, rd->path, v, rd->err) < 0) rd->failed = 1;
}

static void get_long(reader *rd, xmlNodePtr n, const char *name, long *v) {
  char *s = mnn_xml_attr_string(n, name);
  if (!s) return;
  char *end;
  errno = 0;
  long x = strtol(s, &end, 10);
  if (end == s || *end || errno) {
    mnn_fail(rd->err, "%s:%ld: <%s %s=\"%s\">: not an integer", rd->path, xmlGetLineNo(n), (const char *)n->name, name, s);
    rd->failed = 1;
  } else {
    *v = x;
  }
  free(s);
}

static void get_int(reader *rd, xmlNodePtr n, const char *name, int *v) {
  long x = *v;
  get_long(rd, n, name, &x);
  *v = (int)x;
}

static void get_bool(xmlNodePtr n, const char *name, int *v) {
  char *s = mnn_xml_attr_string(n, name);
  if (!s) return;
  *v = !strcmp(s, "true") || !strcmp(s, "1");
  free(s);
}

static void get_string(xmlNodePtr n, const char *name, char *buf, size_t size) {
  char *s = mnn_xml_attr_string(n, name);
  if (!s) return;
  snprintf(buf, size, "%s", s);
  free(s);
}

static int count_children(xmlNodePtr n, const char *name) {
  int k = 0;
  for (xmlNodePtr c = n->children; c; c = c->next) k += mnn_xml_is(c, name);
  return k;
}

static void read_training(reader *rd, xmlNodePtr n, mnn_report *r) {
  r->has_training = 1;
  get_string(n, "task", r->task, sizeof r->task);
  get_string(n, "loss", r->loss_name, sizeof r->loss_name);
  get_int(rd, n, "epochs", &r->epochs);
  get_double(rd, n, "initial-loss", &r->initial_loss);
  get_double(rd, n, "final-loss", &r->final_loss);
  get_double(rd, n, "seconds", &r->training_seconds);
  for (xmlNodePtr c = n->children; c; c = c->next) {
    if (!mnn_xml_is(c, "metric")) continue;
    char name[64] = "";
    double value = NAN;
    get_string(c, "name", name, sizeof name);
    get_double(rd, c, "value", &value);
    if (mnn_report_add_metric(r, name, value, rd->err)) rd->failed = 1;
  }
}

static void read_outputs(reader *rd, xmlNodePtr n, mnn_report *r) {
  for (xmlNodePtr c = n->children; c; c = c->next) {
    if (!mnn_xml_is(c, "output")) continue;
    int node = 0;
    char comp[4] = "x";
    double bar = 0, fem = 0;
    get_int(rd, c, "node", &node);
    get_string(c, "component", comp, sizeof comp);
    get_double(rd, c, "bar", &bar);
    get_double(rd, c, "fem", &fem);
    if (mnn_report_add_output(r, node, comp[0], bar, fem, rd->err)) {
      rd->failed = 1;
      return;
    }
    get_double(rd, c, "relative-difference", &r->outputs[r->n_outputs - 1].relative_difference);
    get_double(rd, c, "scaled-difference", &r->outputs[r->n_outputs - 1].scaled_difference);
  }
}

static void read_bonds(reader *rd, xmlNodePtr n, mnn_report *r) {
  int nb = count_children(n, "bond");
  free(r->bonds);
  r->bonds = calloc(nb > 0 ? (size_t)nb : 1, sizeof *r->bonds);
  if (!r->bonds) {
    mnn_fail(rd->err, "%s: out of memory", rd->path);
    rd->failed = 1;
    return;
  }
  get_string(n, "gradient-variable", r->gradient_variable, sizeof r->gradient_variable);
  int b = 0;
  for (xmlNodePtr c = n->children; c; c = c->next) {
    if (!mnn_xml_is(c, "bond")) continue;
    mnn_report_bond *g = &r->bonds[b++];
    g->sign_agrees = 1;
    get_int(rd, c, "id", &g->id);
    get_double(rd, c, "width", &g->width);
    char *has = mnn_xml_attr_string(c, "bar-gradient");
    g->has_gradients = has != NULL;
    free(has);
    get_double(rd, c, "bar-gradient", &g->bar_gradient);
    get_double(rd, c, "fem-gradient", &g->fem_gradient);
    get_double(rd, c, "relative-difference", &g->relative_difference);
    get_double(rd, c, "scaled-difference", &g->scaled_difference);
    get_bool(c, "sign-agrees", &g->sign_agrees);
  }
  r->n_bonds = nb;
}

static int has_attr(xmlNodePtr n, const char *name) {
  char *s = mnn_xml_attr_string(n, name);
  free(s);
  return s != NULL;
}

static void read_summary(reader *rd, xmlNodePtr n, mnn_report *r) {
  r->has_summary = 1;
  r->has_gradient_summary = has_attr(n, "gradient-sign-agreement") || has_attr(n, "gradient-cosine");
  r->has_displacement_summary = has_attr(n, "displacement-max-relative-difference");
  r->has_accuracy = has_attr(n, "fem-test-accuracy");
  if (r->has_gradient_summary) r->gradient_cosine = r->gradient_relative_l2 = NAN;
  get_double(rd, n, "gradient-cosine", &r->gradient_cosine);
  get_double(rd, n, "gradient-relative-l2", &r->gradient_relative_l2);
  get_double(rd, n, "gradient-max-relative-difference", &r->gradient_max_relative_difference);
  get_double(rd, n, "gradient-max-scaled-difference", &r->gradient_max_scaled_difference);
  get_double(rd, n, "gradient-sign-agreement", &r->gradient_sign_agreement);
  get_double(rd, n, "displacement-max-relative-difference", &r->displacement_max_relative_difference);
  get_double(rd, n, "displacement-relative-l2", &r->displacement_relative_l2);
  get_double(rd, n, "displacement-max-scaled-difference", &r->displacement_max_scaled_difference);
  get_double(rd, n, "bar-test-accuracy", &r->bar_test_accuracy);
  get_double(rd, n, "fem-test-accuracy", &r->fem_test_accuracy);
}

/* "3 0 1" into at most n integers; returns how many were read. */
static int read_counts(xmlNodePtr n, const char *name, int *out, int max) {
  char *s = mnn_xml_attr_string(n, name);
  int k = 0;
  for (char *p = s, *end; p && *p && k < max; p = end) {
    long v = strtol(p, &end, 10);
    if (end == p) break;
    out[k++] = (int)v;
  }
  free(s);
  return k;
}

static void read_task(reader *rd, xmlNodePtr n, mnn_report *r) {
  mnn_report_task *k = &r->task_check;
  k->has = 1;
  get_string(n, "kind", k->kind, sizeof k->kind);
  get_int(rd, n, "sample", &k->sample);
  get_string(n, "sample-set", k->sample_set, sizeof k->sample_set);
  get_double(rd, n, "bar-train", &k->bar_train);
  get_double(rd, n, "fem-train", &k->fem_train);
  get_double(rd, n, "bar-test", &k->bar_test);
  get_double(rd, n, "fem-test", &k->fem_test);
  get_double(rd, n, "bar-margin", &k->bar_margin);
  get_double(rd, n, "fem-margin", &k->fem_margin);
  get_double(rd, n, "output-scale", &k->output_scale);
  get_int(rd, n, "test-samples", &k->n_test);
  get_int(rd, n, "disagreements", &k->n_disagree);
  int classes = count_children(n, "class"), nodes = count_children(n, "node");
  if (classes > MNN_REPORT_MAX_IO || count_children(n, "input") > MNN_REPORT_MAX_IO) {
    mnn_fail(rd->err, "%s: <task-check>: more than %d inputs or classes", rd->path, MNN_REPORT_MAX_IO);
    rd->failed = 1;
    return;
  }
  if (nodes > 0 && mnn_report_task_set_nodes(r, nodes, rd->err)) {
    rd->failed = 1;
    return;
  }
  int c = 0, i = 0;
  k->n_classes = classes;
  for (xmlNodePtr e = n->children; e; e = e->next) {
    if (mnn_xml_is(e, "input")) {
      mnn_report_input *in = &k->inputs[k->n_inputs++];
      char comp[4] = "y";
      get_int(rd, e, "node", &in->node);
      get_string(e, "component", comp, sizeof comp);
      in->component = comp[0];
      get_double(rd, e, "force", &in->force);
    } else if (mnn_xml_is(e, "class")) {
      get_string(e, "name", k->class_names[c], sizeof k->class_names[c]);
      if (read_counts(e, "bar-predicted", k->confusion_bar + c * classes, classes) != classes ||
          read_counts(e, "fem-predicted", k->confusion_fem + c * classes, classes) != classes) {
        mnn_fail(rd->err, "%s:%ld: <class>: a confusion row needs %d counts", rd->path, xmlGetLineNo(e), classes);
        rd->failed = 1;
      }
      ++c;
    } else if (mnn_xml_is(e, "node")) {
      mnn_report_node_u *u = &k->nodes[i++];
      get_int(rd, e, "id", &u->node);
      get_double(rd, e, "bar-ux", &u->bar[0]);
      get_double(rd, e, "bar-uy", &u->bar[1]);
      get_double(rd, e, "fem-ux", &u->fem[0]);
      get_double(rd, e, "fem-uy", &u->fem[1]);
    }
  }
}

static void read_verdict(reader *rd, xmlNodePtr n, mnn_report *r) {
  mnn_verdict *v = &r->verdict;
  v->has = 1;
  get_string(n, "headline", v->headline, sizeof v->headline);
  get_bool(n, "in-situ-training", &r->in_situ);
  int i = 0;
  for (xmlNodePtr e = n->children; e && i < MNN_VERDICT_LINES; e = e->next) {
    if (!mnn_xml_is(e, "line")) continue;
    mnn_verdict_line *l = &v->lines[i++];
    char status[16] = "";
    get_string(e, "topic", l->topic, sizeof l->topic);
    get_string(e, "title", l->title, sizeof l->title);
    get_string(e, "status", status, sizeof status);
    get_string(e, "finding", l->finding, sizeof l->finding);
    get_string(e, "todo", l->todo, sizeof l->todo);
    l->status = MNN_VERDICT_NOT_CHECKED;
    for (int s = MNN_VERDICT_MET; s <= MNN_VERDICT_NOT_CHECKED; ++s)
      if (!strcmp(status, mnn_verdict_status_name((mnn_verdict_status)s))) l->status = (mnn_verdict_status)s;
  }
  (void)rd;
}

static void read_stl(reader *rd, xmlNodePtr n, mnn_report *r) {
  r->has_stl = 1;
  get_string(n, "file", r->stl_file, sizeof r->stl_file);
  get_int(rd, n, "facets", &r->stl_facets);
  get_double(rd, n, "volume-mm3", &r->stl_volume_mm3);
  get_int(rd, n, "parts", &r->stl_parts);
  get_int(rd, n, "bad-edges", &r->stl_bad_edges);
  get_bool(n, "repaired", &r->stl_repaired);
  get_string(n, "repairs", r->stl_repairs, sizeof r->stl_repairs);
  get_double(rd, n, "size-x-mm", &r->stl_size_mm[0]);
  get_double(rd, n, "size-y-mm", &r->stl_size_mm[1]);
  get_double(rd, n, "size-z-mm", &r->stl_size_mm[2]);
}

static void read_printability(reader *rd, xmlNodePtr n, mnn_report *r) {
  mnn_print_check *p = &r->print;
  r->has_printability = 1;
  get_string(n, "printer", p->profile.name, sizeof p->profile.name);
  get_double(rd, n, "min-feature", &p->profile.min_feature);
  get_double(rd, n, "min-gap", &p->profile.min_gap);
  get_double(rd, n, "tray-x", &p->profile.tray[0]);
  get_double(rd, n, "tray-y", &p->profile.tray[1]);
  get_double(rd, n, "tray-z", &p->profile.tray[2]);
  get_double(rd, n, "thinnest-neck", &p->thinnest_neck);
  get_int(rd, n, "thinnest-neck-bond", &p->thinnest_neck_bond);
  get_double(rd, n, "thinnest-bond", &p->thinnest_bond);
  get_double(rd, n, "smallest-gap", &p->smallest_gap);
  get_string(n, "smallest-gap-between", p->smallest_gap_between, sizeof p->smallest_gap_between);
  get_double(rd, n, "size-x", &p->size[0]);
  get_double(rd, n, "size-y", &p->size[1]);
  get_double(rd, n, "size-z", &p->size[2]);
  get_bool(n, "fits-tray", &p->fits_tray);
  get_int(rd, n, "violations", &p->n_issues);
  get_bool(n, "strict", &r->print_strict);
}

static void read_discrepancies(reader *rd, xmlNodePtr n, mnn_report *r) {
  int printability_issues = 0;
  for (xmlNodePtr c = n->children; c; c = c->next) {
    if (!mnn_xml_is(c, "discrepancy")) continue;
    char sev[16] = "info", kind[32] = "", subject[64] = "";
    double value = 0, threshold = 0;
    get_string(c, "severity", sev, sizeof sev);
    get_string(c, "kind", kind, sizeof kind);
    get_string(c, "subject", subject, sizeof subject);
    get_double(rd, c, "value", &value);
    get_double(rd, c, "threshold", &threshold);
    xmlChar *text = xmlNodeGetContent(c);
    mnn_severity s = !strcmp(sev, "error") ? MNN_SEVERITY_ERROR : !strcmp(sev, "warning") ? MNN_SEVERITY_WARNING
                                                                                          : MNN_SEVERITY_INFO;
    if (mnn_report_add_discrepancy(r, s, kind, subject, value, threshold, text ? (const char *)text : "", rd->err))
      rd->failed = 1;
    /* printability issues live in the discrepancy list; rebuild the check's copy */
    if (!strcmp(kind, "printability") && printability_issues < MNN_PRINT_MAX_ISSUES) {
      mnn_print_issue *i = &r->print.issues[printability_issues++];
      snprintf(i->subject, sizeof i->subject, "%s", subject);
      i->value = value, i->limit = threshold;
      snprintf(i->message, sizeof i->message, "%s", text ? (const char *)text : "");
    }
    xmlFree(text);
  }
}

mnn_report *mnn_report_read(const char *path, mnn_error *err) {
  xmlDocPtr doc = mnn_xml_read(path, mnn_report_xsd, err);
  if (!doc) return NULL;
  mnn_report *r = mnn_report_create();
  if (!r) {
    xmlFreeDoc(doc);
    mnn_fail(err, "%s: out of memory", path);
    return NULL;
  }
  reader rd = {path, err, 0};
  xmlNodePtr root = xmlDocGetRootElement(doc);
  get_string(root, "created", r->created, sizeof r->created);
  for (xmlNodePtr n = root->children; n && !rd.failed; n = n->next) {
    if (mnn_xml_is(n, "verdict")) {
      read_verdict(&rd, n, r);
    } else if (mnn_xml_is(n, "task-check")) {
      read_task(&rd, n, r);
    } else if (mnn_xml_is(n, "case")) {
      get_string(n, "name", r->case_name, sizeof r->case_name);
      get_string(n, "file", r->case_file, sizeof r->case_file);
    } else if (mnn_xml_is(n, "tools")) {
      for (xmlNodePtr c = n->children; c; c = c->next) {
        if (!mnn_xml_is(c, "tool")) continue;
        char name[64] = "", version[64] = "";
        get_string(c, "name", name, sizeof name);
        get_string(c, "version", version, sizeof version);
        if (mnn_report_add_tool(r, name, version, err)) rd.failed = 1;
      }
    } else if (mnn_xml_is(n, "network")) {
      r->has_network = 1;
      get_int(&rd, n, "nodes", &r->n_nodes);
      get_int(&rd, n, "bonds", &r->n_bonds);
      get_double(&rd, n, "thickness", &r->thickness);
      get_double(&rd, n, "youngs-modulus", &r->youngs_modulus);
      get_double(&rd, n, "poisson-ratio", &r->poisson_ratio);
    } else if (mnn_xml_is(n, "training")) {
      read_training(&rd, n, r);
    } else if (mnn_xml_is(n, "mesh")) {
      r->has_mesh = 1;
      get_long(&rd, n, "nodes", &r->mesh_nodes);
      get_long(&rd, n, "elements", &r->mesh_elements);
      get_int(&rd, n, "order", &r->mesh_order);
      get_double(&rd, n, "min-quality", &r->mesh_min_quality);
      get_double(&rd, n, "mean-quality", &r->mesh_mean_quality);
      get_double(&rd, n, "volume", &r->mesh_volume);
    } else if (mnn_xml_is(n, "fem")) {
      r->has_fem = 1;
      get_long(&rd, n, "dofs", &r->fem_dofs);
      get_int(&rd, n, "ranks", &r->fem_ranks);
      get_string(n, "solver", r->fem_solver, sizeof r->fem_solver);
      get_int(&rd, n, "iterations", &r->fem_iterations);
      get_double(&rd, n, "assembly-seconds", &r->fem_assembly_seconds);
      get_double(&rd, n, "solve-seconds", &r->fem_solve_seconds);
      get_double(&rd, n, "total-seconds", &r->fem_total_seconds);
    } else if (mnn_xml_is(n, "outputs")) {
      read_outputs(&rd, n, r);
    } else if (mnn_xml_is(n, "bonds")) {
      read_bonds(&rd, n, r);
    } else if (mnn_xml_is(n, "summary")) {
      read_summary(&rd, n, r);
    } else if (mnn_xml_is(n, "measurements")) {
      if (mnn_report_read_measurements(n, path, r, err)) rd.failed = 1;
    } else if (mnn_xml_is(n, "stl")) {
      read_stl(&rd, n, r);
    } else if (mnn_xml_is(n, "printability")) {
      read_printability(&rd, n, r);
    } else if (mnn_xml_is(n, "discrepancies")) {
      read_discrepancies(&rd, n, r);
    }
  }
  xmlFreeDoc(doc);
  if (rd.failed) {
    mnn_report_free(r);
    return NULL;
  }
  return r;
}
