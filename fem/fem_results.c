/* FEM results file: written with libxml2's xmlTextWriter (temporary file, then
 * rename), read back through the project's safe, schema-validating reader. */
#include "fem_results.h"
#include "xml_output.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/xmlwriter.h>
#include "atomic_file.h"
#include "xml_input.h"

static const char *component_name[3] = {"x", "y", "z"};

mnn_fem_results *mnn_fem_results_create(int n_loads, int n_outputs, int n_bonds, int n_nodes, int n_response) {
  mnn_fem_results *r = calloc(1, sizeof *r);
  if (!r) return NULL;
  r->n_loads = n_loads;
  r->n_outputs = n_outputs;
  r->n_bonds = n_bonds;
  r->n_nodes = n_nodes;
  r->n_response = n_response;
  size_t L = (size_t)n_loads + 1, O = (size_t)n_outputs + 1, B = (size_t)n_bonds + 1, N = (size_t)n_nodes + 1,
         R = (size_t)n_response + 1;
  r->load_node = calloc(L, sizeof(int));
  r->load_f = calloc(3 * L, sizeof(double));
  r->output_node = calloc(O, sizeof(int));
  r->output_component = calloc(O, sizeof(int));
  r->output_value = calloc(O, sizeof(double));
  r->output_target = calloc(O, sizeof(double));
  r->bond_id = calloc(B, sizeof(int));
  r->bond_volume = calloc(B, sizeof(double));
  r->bond_g = calloc(B, sizeof(double));
  r->node_id = calloc(N, sizeof(int));
  r->node_volume = calloc(N, sizeof(double));
  r->node_g = calloc(N, sizeof(double));
  r->node_u = calloc(3 * N, sizeof(double));
  r->response_out_node = calloc(R, sizeof(int));
  r->response_out_component = calloc(R, sizeof(int));
  r->response_in_node = calloc(R, sizeof(int));
  r->response_in_component = calloc(R, sizeof(int));
  r->response_value = calloc(R, sizeof(double));
  if (!r->load_node || !r->load_f || !r->output_node || !r->output_component || !r->output_value ||
      !r->output_target || !r->bond_id || !r->bond_volume || !r->bond_g || !r->node_id || !r->node_volume ||
      !r->node_g || !r->node_u || !r->response_out_node || !r->response_out_component || !r->response_in_node ||
      !r->response_in_component || !r->response_value) {
    mnn_fem_results_free(r);
    return NULL;
  }
  for (int k = 0; k < n_outputs; ++k) r->output_target[k] = NAN;
  return r;
}

void mnn_fem_results_free(mnn_fem_results *r) {
  if (!r) return;
  void *p[] = {r->load_node, r->load_f, r->output_node, r->output_component, r->output_value, r->output_target,
               r->bond_id, r->bond_volume, r->bond_g, r->node_id, r->node_volume, r->node_g, r->node_u,
               r->response_out_node, r->response_out_component, r->response_in_node, r->response_in_component,
               r->response_value};
  for (size_t i = 0; i < sizeof p / sizeof *p; ++i) free(p[i]);
  free(r);
}

#define attr_g mnn_xml_write_double
static int attr_d(xmlTextWriterPtr w, const char *name, long v) {
  return xmlTextWriterWriteFormatAttribute(w, BAD_CAST name, "%ld", v) < 0;
}
static int attr_s(xmlTextWriterPtr w, const char *name, const char *v) {
  return xmlTextWriterWriteAttribute(w, BAD_CAST name, BAD_CAST v) < 0;
}

static int write_body(const mnn_fem_results *r, xmlTextWriterPtr w) {
  int bad = 0;
  bad |= xmlTextWriterWriteComment(w, BAD_CAST " mnn fem results: SI units (m, N, Pa, m^3, s); g = dL/d(ln E) per "
                                              "bond and node disc; see docs/fem.md ") < 0;
  bad |= xmlTextWriterStartElement(w, BAD_CAST "fem-results") < 0;
  bad |= attr_d(w, "order", r->order) | attr_d(w, "ranks", r->n_ranks) | attr_d(w, "dofs", r->n_dofs) |
         attr_d(w, "cells", r->n_cells) | attr_g(w, "youngs-modulus", r->youngs_modulus) |
         attr_g(w, "poisson-ratio", r->poisson_ratio) | attr_g(w, "loss", r->loss) |
         attr_s(w, "loss-kind", r->squared_error ? "squared-error" : "sum");
  bad |= xmlTextWriterStartElement(w, BAD_CAST "solver") < 0;
  bad |= attr_s(w, "ksp", r->ksp_type) | attr_s(w, "pc", r->pc_type) |
         attr_g(w, "assembly-seconds", r->assembly_seconds) | attr_g(w, "setup-seconds", r->setup_seconds) |
         attr_g(w, "forward-seconds", r->forward_seconds) | attr_d(w, "forward-iterations", r->forward_iterations) |
         attr_g(w, "adjoint-seconds", r->adjoint_seconds) | attr_d(w, "adjoint-iterations", r->adjoint_iterations);
  bad |= xmlTextWriterEndElement(w) < 0;
  for (int i = 0; i < r->n_loads && !bad; ++i) {
    bad |= xmlTextWriterStartElement(w, BAD_CAST "load") < 0;
    bad |= attr_d(w, "node", r->load_node[i]) | attr_g(w, "fx", r->load_f[3 * i]) |
           attr_g(w, "fy", r->load_f[3 * i + 1]) | attr_g(w, "fz", r->load_f[3 * i + 2]);
    bad |= xmlTextWriterEndElement(w) < 0;
  }
  for (int k = 0; k < r->n_outputs && !bad; ++k) {
    bad |= xmlTextWriterStartElement(w, BAD_CAST "output") < 0;
    bad |= attr_d(w, "node", r->output_node[k]) | attr_s(w, "component", component_name[r->output_component[k]]) |
           attr_g(w, "value", r->output_value[k]);
    if (!isnan(r->output_target[k])) bad |= attr_g(w, "target", r->output_target[k]);
    bad |= xmlTextWriterEndElement(w) < 0;
  }
  for (int b = 0; b < r->n_bonds && !bad; ++b) {
    bad |= xmlTextWriterStartElement(w, BAD_CAST "bond") < 0;
    bad |= attr_d(w, "id", r->bond_id[b]) | attr_g(w, "volume", r->bond_volume[b]) | attr_g(w, "g", r->bond_g[b]);
    bad |= xmlTextWriterEndElement(w) < 0;
  }
  for (int i = 0; i < r->n_nodes && !bad; ++i) {
    bad |= xmlTextWriterStartElement(w, BAD_CAST "node") < 0;
    bad |= attr_d(w, "id", r->node_id[i]) | attr_g(w, "volume", r->node_volume[i]) | attr_g(w, "g", r->node_g[i]) |
           attr_g(w, "ux", r->node_u[3 * i]) | attr_g(w, "uy", r->node_u[3 * i + 1]) |
           attr_g(w, "uz", r->node_u[3 * i + 2]);
    bad |= xmlTextWriterEndElement(w) < 0;
  }
  for (int e = 0; e < r->n_response && !bad; ++e) {
    bad |= xmlTextWriterStartElement(w, BAD_CAST "response") < 0;
    bad |= attr_d(w, "output-node", r->response_out_node[e]) |
           attr_s(w, "output-component", component_name[r->response_out_component[e]]) |
           attr_d(w, "input-node", r->response_in_node[e]) |
           attr_s(w, "input-component", component_name[r->response_in_component[e]]) |
           attr_g(w, "value", r->response_value[e]);
    bad |= xmlTextWriterEndElement(w) < 0;
  }
  bad |= xmlTextWriterEndElement(w) < 0; /* fem-results */
  return bad;
}

int mnn_fem_results_write(const mnn_fem_results *r, const char *path, mnn_error *err) {
  mnn_xml_output out;
  if (mnn_xml_output_open(&out, path, err)) return -1;
  return mnn_xml_output_finish(&out, write_body(r, out.w), err);
}

static int count(xmlNodePtr root, const char *name) {
  int n = 0;
  for (xmlNodePtr c = root->children; c; c = c->next) n += mnn_xml_is(c, name);
  return n;
}

static int component_of(xmlNodePtr c, const char *attr) {
  char *s = mnn_xml_attr_string(c, attr);
  int k = s ? (s[0] == 'x' ? 0 : s[0] == 'y' ? 1 : 2) : 0;
  free(s);
  return k;
}

static void copy_string(xmlNodePtr c, const char *attr, char *dst, size_t n) {
  char *s = mnn_xml_attr_string(c, attr);
  snprintf(dst, n, "%s", s ? s : "");
  free(s);
}

mnn_fem_results *mnn_fem_results_read(const char *path, mnn_error *err) {
  xmlDocPtr doc = mnn_xml_read(path, mnn_fem_results_xsd, err);
  if (!doc) return NULL;
  xmlNodePtr root = xmlDocGetRootElement(doc);
  mnn_fem_results *r = mnn_fem_results_create(count(root, "load"), count(root, "output"), count(root, "bond"),
                                              count(root, "node"), count(root, "response"));
  int bad = !r;
  if (bad) mnn_fail(err, "%s: out of memory", path);
  if (!bad) {
    double d = 0;
    int v = 0;
    bad |= mnn_xml_attr_int(root, "order", path, &r->order, err) < 0;
    bad |= mnn_xml_attr_int(root, "ranks", path, &r->n_ranks, err) < 0;
    bad |= mnn_xml_attr_double(root, "dofs", path, &d, err) < 0;
    r->n_dofs = (long)d;
    bad |= mnn_xml_attr_double(root, "cells", path, &d, err) < 0;
    r->n_cells = (long)d;
    bad |= mnn_xml_attr_double(root, "youngs-modulus", path, &r->youngs_modulus, err) < 0;
    bad |= mnn_xml_attr_double(root, "poisson-ratio", path, &r->poisson_ratio, err) < 0;
    bad |= mnn_xml_attr_double(root, "loss", path, &r->loss, err) < 0;
    char kind[32];
    copy_string(root, "loss-kind", kind, sizeof kind);
    r->squared_error = !strcmp(kind, "squared-error");
    (void)v;
  }
  int il = 0, io = 0, ib = 0, in = 0, ie = 0;
  for (xmlNodePtr c = root->children; c && !bad; c = c->next) {
    if (mnn_xml_is(c, "solver")) {
      copy_string(c, "ksp", r->ksp_type, sizeof r->ksp_type);
      copy_string(c, "pc", r->pc_type, sizeof r->pc_type);
      bad |= mnn_xml_attr_double(c, "assembly-seconds", path, &r->assembly_seconds, err) < 0;
      bad |= mnn_xml_attr_double(c, "setup-seconds", path, &r->setup_seconds, err) < 0;
      bad |= mnn_xml_attr_double(c, "forward-seconds", path, &r->forward_seconds, err) < 0;
      bad |= mnn_xml_attr_int(c, "forward-iterations", path, &r->forward_iterations, err) < 0;
      bad |= mnn_xml_attr_double(c, "adjoint-seconds", path, &r->adjoint_seconds, err) < 0;
      bad |= mnn_xml_attr_int(c, "adjoint-iterations", path, &r->adjoint_iterations, err) < 0;
    } else if (mnn_xml_is(c, "load")) {
      bad |= mnn_xml_attr_int(c, "node", path, &r->load_node[il], err) < 0;
      bad |= mnn_xml_attr_double(c, "fx", path, &r->load_f[3 * il], err) < 0;
      bad |= mnn_xml_attr_double(c, "fy", path, &r->load_f[3 * il + 1], err) < 0;
      bad |= mnn_xml_attr_double(c, "fz", path, &r->load_f[3 * il + 2], err) < 0;
      ++il;
    } else if (mnn_xml_is(c, "output")) {
      bad |= mnn_xml_attr_int(c, "node", path, &r->output_node[io], err) < 0;
      r->output_component[io] = component_of(c, "component");
      bad |= mnn_xml_attr_double(c, "value", path, &r->output_value[io], err) < 0;
      bad |= mnn_xml_attr_double(c, "target", path, &r->output_target[io], err) < 0;
      ++io;
    } else if (mnn_xml_is(c, "bond")) {
      bad |= mnn_xml_attr_int(c, "id", path, &r->bond_id[ib], err) < 0;
      bad |= mnn_xml_attr_double(c, "volume", path, &r->bond_volume[ib], err) < 0;
      bad |= mnn_xml_attr_double(c, "g", path, &r->bond_g[ib], err) < 0;
      ++ib;
    } else if (mnn_xml_is(c, "node")) {
      bad |= mnn_xml_attr_int(c, "id", path, &r->node_id[in], err) < 0;
      bad |= mnn_xml_attr_double(c, "volume", path, &r->node_volume[in], err) < 0;
      bad |= mnn_xml_attr_double(c, "g", path, &r->node_g[in], err) < 0;
      bad |= mnn_xml_attr_double(c, "ux", path, &r->node_u[3 * in], err) < 0;
      bad |= mnn_xml_attr_double(c, "uy", path, &r->node_u[3 * in + 1], err) < 0;
      bad |= mnn_xml_attr_double(c, "uz", path, &r->node_u[3 * in + 2], err) < 0;
      ++in;
    } else if (mnn_xml_is(c, "response")) {
      bad |= mnn_xml_attr_int(c, "output-node", path, &r->response_out_node[ie], err) < 0;
      bad |= mnn_xml_attr_int(c, "input-node", path, &r->response_in_node[ie], err) < 0;
      r->response_out_component[ie] = component_of(c, "output-component");
      r->response_in_component[ie] = component_of(c, "input-component");
      bad |= mnn_xml_attr_double(c, "value", path, &r->response_value[ie], err) < 0;
      ++ie;
    }
  }
  xmlFreeDoc(doc);
  if (bad) {
    mnn_fem_results_free(r);
    return NULL;
  }
  return r;
}
