/* Network file reader and writer (libxml2): schema validation first, then the
 * network's own checks, each error naming the file and line of the culprit. */
#include "network_file.h"

#include <stdlib.h>
#include <string.h>
#include "xml_output.h"
#include "xml_input.h"

static int count_children(xmlNodePtr root, const char *name) {
  int n = 0;
  for (xmlNodePtr c = root->children; c; c = c->next) n += mnn_xml_is(c, name);
  return n;
}

mnn_network *mnn_network_read(const char *path, mnn_error *err) {
  xmlDocPtr doc = mnn_xml_read(path, mnn_network_xsd, err);
  if (!doc) return NULL;
  xmlNodePtr root = xmlDocGetRootElement(doc);
  int nn = count_children(root, "node"), nb = count_children(root, "bond");
  mnn_network *net = mnn_network_create(nn, nb);
  long *node_line = calloc((size_t)nn + 1, sizeof(long)), *bond_line = calloc((size_t)nb + 1, sizeof(long));
  int ok = net && node_line && bond_line;
  if (!ok) mnn_fail(err, "%s: out of memory", path);

  /* header attributes (the schema has checked their syntax and sign) */
  struct { const char *name; double *dst; } attrs[] = {
      {"thickness", ok ? &net->thickness : NULL},        {"youngs-modulus", ok ? &net->youngs_modulus : NULL},
      {"poisson-ratio", ok ? &net->poisson_ratio : NULL}, {"width-min", ok ? &net->width_min : NULL},
      {"width-max", ok ? &net->width_max : NULL},
      {"node-radius", ok ? &net->joint.node_radius : NULL},
      {"neck-length", ok ? &net->joint.neck_length : NULL},
      {"stiffness-factor", ok ? &net->calibration.factor : NULL},
      {"joint-compliance", ok ? &net->calibration.joint_compliance : NULL},
  };
  for (size_t i = 0; ok && i < sizeof attrs / sizeof *attrs; ++i)
    if (mnn_xml_attr_double(root, attrs[i].name, path, attrs[i].dst, err) < 0) ok = 0;

  int in = 0, ib = 0, n_classes = count_children(root, "length-class");
  if (ok && n_classes > MNN_MAX_LENGTH_CLASSES)
    ok = 0, mnn_fail(err, "%s: %d <length-class> elements: at most %d are supported", path, n_classes, MNN_MAX_LENGTH_CLASSES);
  for (xmlNodePtr c = root->children; ok && c; c = c->next) {
    if (mnn_xml_is(c, "length-class")) {
      mnn_bar_calibration *cal = &net->calibration;
      int k = cal->n_classes++;
      if (mnn_xml_attr_double(c, "length", path, &cal->class_length[k], err) < 0 ||
          mnn_xml_attr_double(c, "stiffness-factor", path, &cal->class_factor[k], err) < 0)
        ok = 0;
      else if (mnn_network_length_class(net, cal->class_length[k]) != k)
        ok = 0, mnn_fail(err, "%s:%ld: <length-class length=\"%g\">: this length has a class already: keep one", path,
                         xmlGetLineNo(c), cal->class_length[k]);
    } else if (mnn_xml_is(c, "node")) {
      node_line[in] = xmlGetLineNo(c);
      if (mnn_xml_attr_int(c, "id", path, &net->node_id[in], err) < 0 ||
          mnn_xml_attr_double(c, "x", path, &net->x[in], err) < 0 ||
          mnn_xml_attr_double(c, "y", path, &net->y[in], err) < 0)
        ok = 0;
      ++in;
    } else if (mnn_xml_is(c, "bond")) {
      bond_line[ib] = xmlGetLineNo(c);
      if (mnn_xml_attr_int(c, "id", path, &net->bond_id[ib], err) < 0 ||
          mnn_xml_attr_double(c, "width", path, &net->width[ib], err) < 0)
        ok = 0;
      ++ib;
    }
  }
  /* ids are known now: resolve bond ends and supports */
  mnn_id_index nodes = {0};
  if (ok && mnn_id_index_build(net->node_id, nn, &nodes)) ok = 0, mnn_fail(err, "%s: out of memory", path);
  ib = 0;
  for (xmlNodePtr c = root->children; ok && c; c = c->next) {
    int is_bond = mnn_xml_is(c, "bond"), is_support = mnn_xml_is(c, "support");
    if (!is_bond && !is_support) continue;
    const char *keys[2] = {is_bond ? "from" : "node", "to"};
    int ends[2] = {-1, -1};
    for (int e = 0; e < (is_bond ? 2 : 1); ++e) {
      int id = 0;
      if (mnn_xml_attr_int(c, keys[e], path, &id, err) < 0) { ok = 0; break; }
      ends[e] = mnn_id_index_find(&nodes, id);
      if (ends[e] < 0) {
        mnn_fail(err, "%s:%ld: <%s %s=\"%d\">: there is no node %d: use the id of a <node> in this file", path,
                 xmlGetLineNo(c), is_bond ? "bond" : "support", keys[e], id, id);
        ok = 0;
        break;
      }
    }
    if (!ok) break;
    if (is_bond) {
      net->bond_a[ib] = ends[0];
      net->bond_b[ib] = ends[1];
      ++ib;
    } else {
      char *fix = mnn_xml_attr_string(c, "fix");
      net->fixed[ends[0]] |= (!fix || !strcmp(fix, "xy")) ? MNN_FIX_XY : !strcmp(fix, "x") ? MNN_FIX_X : MNN_FIX_Y;
      free(fix);
    }
  }
  mnn_id_index_free(&nodes);
  if (ok) {
    mnn_check_culprit where;
    if (mnn_network_check_detail(net, &where, err)) {
      if (where.bond >= 0) mnn_error_prefix(err, "%s:%ld", path, bond_line[where.bond]);
      else if (where.node >= 0) mnn_error_prefix(err, "%s:%ld", path, node_line[where.node]);
      else mnn_error_prefix(err, "%s", path);
      ok = 0;
    }
  }
  free(node_line);
  free(bond_line);
  xmlFreeDoc(doc);
  if (!ok) {
    mnn_network_free(net);
    return NULL;
  }
  return net;
}

int mnn_network_write(const mnn_network *net, const char *path, mnn_error *err) {
  mnn_check_culprit where;
  if (mnn_network_check_detail(net, &where, err)) {
    mnn_error_prefix(err, "%s: refusing to write an invalid network", path);
    return -1;
  }
  mnn_xml_output out;
  if (mnn_xml_output_open(&out, path, err)) return -1;
  xmlTextWriterPtr w = out.w;
  const mnn_bar_calibration *cal = &net->calibration;
  int bad = 0;
  bad |= xmlTextWriterWriteComment(w, BAD_CAST " mnn network: SI units (m, Pa), ids start at 1; see docs/formats.md ") < 0;
  bad |= xmlTextWriterStartElement(w, BAD_CAST "network") < 0;
  bad |= mnn_xml_write_double(w, "thickness", net->thickness) | mnn_xml_write_double(w, "youngs-modulus", net->youngs_modulus) |
         mnn_xml_write_double(w, "poisson-ratio", net->poisson_ratio) | mnn_xml_write_double(w, "width-min", net->width_min) |
         mnn_xml_write_double(w, "width-max", net->width_max) |
         mnn_xml_write_double(w, "node-radius", net->joint.node_radius) |
         mnn_xml_write_double(w, "neck-length", net->joint.neck_length) |
         mnn_xml_write_double(w, "stiffness-factor", cal->factor);
  if (cal->joint_compliance != 0) bad |= mnn_xml_write_double(w, "joint-compliance", cal->joint_compliance);
  for (int c = 0; c < cal->n_classes && !bad; ++c) {
    bad |= xmlTextWriterStartElement(w, BAD_CAST "length-class") < 0;
    bad |= mnn_xml_write_double(w, "length", cal->class_length[c]) |
           mnn_xml_write_double(w, "stiffness-factor", cal->class_factor[c]);
    bad |= xmlTextWriterEndElement(w) < 0;
  }
  for (int i = 0; i < net->n_nodes && !bad; ++i) {
    bad |= xmlTextWriterStartElement(w, BAD_CAST "node") < 0;
    bad |= xmlTextWriterWriteFormatAttribute(w, BAD_CAST "id", "%d", net->node_id[i]) < 0;
    bad |= mnn_xml_write_double(w, "x", net->x[i]) | mnn_xml_write_double(w, "y", net->y[i]);
    bad |= xmlTextWriterEndElement(w) < 0;
  }
  for (int b = 0; b < net->n_bonds && !bad; ++b) {
    bad |= xmlTextWriterStartElement(w, BAD_CAST "bond") < 0;
    bad |= xmlTextWriterWriteFormatAttribute(w, BAD_CAST "id", "%d", net->bond_id[b]) < 0;
    bad |= xmlTextWriterWriteFormatAttribute(w, BAD_CAST "from", "%d", net->node_id[net->bond_a[b]]) < 0;
    bad |= xmlTextWriterWriteFormatAttribute(w, BAD_CAST "to", "%d", net->node_id[net->bond_b[b]]) < 0;
    bad |= mnn_xml_write_double(w, "width", net->width[b]);
    bad |= xmlTextWriterEndElement(w) < 0;
  }
  for (int i = 0; i < net->n_nodes && !bad; ++i) {
    if (!net->fixed[i]) continue;
    bad |= xmlTextWriterStartElement(w, BAD_CAST "support") < 0;
    bad |= xmlTextWriterWriteFormatAttribute(w, BAD_CAST "node", "%d", net->node_id[i]) < 0;
    const char *fix = net->fixed[i] == MNN_FIX_XY ? "xy" : net->fixed[i] == MNN_FIX_X ? "x" : "y";
    bad |= xmlTextWriterWriteAttribute(w, BAD_CAST "fix", BAD_CAST fix) < 0;
    bad |= xmlTextWriterEndElement(w) < 0;
  }
  bad |= xmlTextWriterEndElement(w) < 0; /* network */
  return mnn_xml_output_finish(&out, bad, err);
}
