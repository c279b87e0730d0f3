/* Measurement file reader (libxml2): schema validation, the network file it
 * names, then every id and every duplicate checked with file:line. */
#include "measurement_file.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "network_file.h"
#include "xml_input.h"

void mnn_measurement_free(mnn_measurement *m) {
  if (!m) return;
  mnn_network_free(m->net);
  free(m->loads);
  free(m->adjoint_loads);
  free(m->displacements);
  free(m->gradients);
  free(m);
}

/* Room for everything a measurement of m->net can hold: no node is loaded twice
 * in a state, no quantity measured twice (the add functions refuse both). */
static int alloc_arrays(mnn_measurement *m) {
  size_t nn = (size_t)m->net->n_nodes + 1, nb = (size_t)m->net->n_bonds + 1;
  m->loads = calloc(nn, sizeof *m->loads);
  m->adjoint_loads = calloc(nn, sizeof *m->adjoint_loads);
  m->displacements = calloc(2 * nn, sizeof *m->displacements);
  m->gradients = calloc(nb, sizeof *m->gradients);
  return m->loads && m->adjoint_loads && m->displacements && m->gradients ? 0 : -1;
}

mnn_measurement *mnn_measurement_create(const mnn_network *net, const char *name) {
  mnn_measurement *m = calloc(1, sizeof *m);
  if (!m) return NULL;
  snprintf(m->name, sizeof m->name, "%s", name ? name : "measurement");
  snprintf(m->title, sizeof m->title, "%s", m->name);
  if (net && (!(m->net = mnn_network_copy(net)) || alloc_arrays(m))) {
    mnn_measurement_free(m);
    return NULL;
  }
  return m;
}

int mnn_measurement_add_load(mnn_measurement *m, int adjoint, int node_id, double fx, double fy, mnn_error *err) {
  int i = mnn_network_node_index(m->net, node_id);
  if (i < 0) return mnn_fail(err, "load on node %d: the network has no such node: use one of its node ids", node_id);
  if (m->net->fixed[i])
    return mnn_fail(err, "load on node %d: the node is supported, so the load does nothing: load a free node", node_id);
  if (fx == 0 && fy == 0) return mnn_fail(err, "load on node %d: both components are zero: give fx or fy", node_id);
  mnn_measured_load *list = adjoint ? m->adjoint_loads : m->loads;
  int *n = adjoint ? &m->n_adjoint_loads : &m->n_loads;
  for (int k = 0; k < *n; ++k)
    if (list[k].node_id == node_id)
      return mnn_fail(err, "load on node %d: the node is loaded twice in this state: give the total once", node_id);
  list[(*n)++] = (mnn_measured_load){node_id, {fx, fy}};
  return 0;
}

int mnn_measurement_add_value(mnn_measurement *m, int gradient, int id, int component, double value, double sd,
                              int repeats, mnn_error *err) {
  if (gradient ? mnn_network_bond_index(m->net, id) < 0 : mnn_network_node_index(m->net, id) < 0)
    return mnn_fail(err, "%s %d: the network has no such %s: use one of its ids", gradient ? "bond" : "node", id,
                    gradient ? "bond" : "node");
  if (!(sd >= 0)) return mnn_fail(err, "%s %d: standard deviation %g: give a positive sd or none", gradient ? "bond" : "node", id, sd);
  mnn_measured_value *list = gradient ? m->gradients : m->displacements;
  int *count = gradient ? &m->n_gradients : &m->n_displacements, n = *count;
  for (int k = 0; k < n; ++k)
    if (list[k].id == id && (gradient || list[k].component == component))
      return gradient ? mnn_fail(err, "bond %d: its gradient is given twice: keep one (the mean of the repeats)", id)
                      : mnn_fail(err, "node %d %c: its displacement is given twice: keep one (the mean of the repeats)",
                                 id, "xy"[component]);
  list[(*count)++] = (mnn_measured_value){id, gradient ? 0 : component, value, sd, repeats};
  return 0;
}

/* The folder of path ("" for none) joined with rel (absolute rel stays). */
static void resolve(const char *path, const char *rel, char *out, size_t n) {
  const char *slash = strrchr(path, '/');
  if (rel[0] == '/' || !slash) snprintf(out, n, "%s", rel);
  else snprintf(out, n, "%.*s/%s", (int)(slash - path), path, rel);
}

static void copy_attr(xmlNodePtr e, const char *name, char *dst, size_t n) {
  char *s = mnn_xml_attr_string(e, name);
  if (s) snprintf(dst, n, "%s", s);
  free(s);
}

/* One element after <network>: a load, an adjoint load, a displacement or a gradient. */
static int read_item(mnn_measurement *m, xmlNodePtr e, mnn_error *err) {
  const char *path = m->path;
  int id = 0, repeats = 0, adjoint = mnn_xml_is(e, "adjoint-load");
  double fx = 0, fy = 0, value = 0, sd = 0;
  if (mnn_xml_is(e, "load") || adjoint) {
    if (mnn_xml_attr_int(e, "node", path, &id, err) < 0 || mnn_xml_attr_double(e, "fx", path, &fx, err) < 0 ||
        mnn_xml_attr_double(e, "fy", path, &fy, err) < 0)
      return -1;
    return mnn_measurement_add_load(m, adjoint, id, fx, fy, err);
  }
  int gradient = mnn_xml_is(e, "gradient");
  if (mnn_xml_attr_int(e, gradient ? "bond" : "node", path, &id, err) < 0 ||
      mnn_xml_attr_double(e, "value", path, &value, err) < 0 || mnn_xml_attr_double(e, "sd", path, &sd, err) < 0 ||
      mnn_xml_attr_int(e, "repeats", path, &repeats, err) < 0)
    return -1;
  if (gradient && m->n_adjoint_loads == 0)
    return mnn_fail(err, "<gradient>: a measured gradient e_adj * e needs the adjoint state's loads: add "
                         "<adjoint-load> elements before the gradients");
  char *comp = gradient ? NULL : mnn_xml_attr_string(e, "component");
  int c = comp && !strcmp(comp, "x") ? 0 : 1;
  free(comp);
  return mnn_measurement_add_value(m, gradient, id, c, value, sd, repeats, err);
}

mnn_measurement *mnn_measurement_read(const char *path, mnn_error *err) {
  xmlDocPtr doc = mnn_xml_read(path, mnn_measurement_xsd, err);
  if (!doc) return NULL;
  mnn_measurement *m = mnn_measurement_create(NULL, NULL);
  if (!m) {
    xmlFreeDoc(doc);
    return (void)mnn_fail(err, "%s: out of memory", path), NULL;
  }
  snprintf(m->path, sizeof m->path, "%s", path);
  xmlNodePtr root = xmlDocGetRootElement(doc);
  copy_attr(root, "name", m->name, sizeof m->name);
  snprintf(m->title, sizeof m->title, "%s", m->name);
  copy_attr(root, "title", m->title, sizeof m->title);
  copy_attr(root, "source", m->source, sizeof m->source);
  int rc = 0;
  for (xmlNodePtr e = root->children; e && !rc; e = e->next) {
    if (e->type != XML_ELEMENT_NODE) continue;
    if (mnn_xml_is(e, "network")) { /* the schema puts it first */
      char *file = mnn_xml_attr_string(e, "file");
      resolve(path, file ? file : "", m->network_path, sizeof m->network_path);
      free(file);
      if (!(m->net = mnn_network_read(m->network_path, err))) rc = -1;
      else if (alloc_arrays(m)) rc = mnn_fail(err, "out of memory");
    } else {
      rc = read_item(m, e, err);
    }
    if (rc) mnn_error_prefix(err, "%s:%ld", path, xmlGetLineNo(e));
  }
  xmlFreeDoc(doc);
  if (rc) {
    mnn_measurement_free(m);
    return NULL;
  }
  return m;
}
