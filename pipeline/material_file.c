/* Material record reader and writer (libxml2, schema compiled in). */
#include "material_file.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "xml_input.h"
#include "xml_output.h"

static void copy_attr(xmlNodePtr e, const char *name, char *dst, size_t n) {
  char *s = mnn_xml_attr_string(e, name);
  if (s) snprintf(dst, n, "%s", s);
  free(s);
}

int mnn_material_read(const char *path, mnn_material *m, mnn_error *err) {
  memset(m, 0, sizeof *m);
  m->fit_rms_sd = m->fit_max_sd = NAN;
  xmlDocPtr doc = mnn_xml_read(path, mnn_material_xsd, err);
  if (!doc) return -1;
  xmlNodePtr root = xmlDocGetRootElement(doc);
  copy_attr(root, "name", m->name, sizeof m->name);
  int bad = mnn_xml_attr_double(root, "youngs-modulus", path, &m->youngs_modulus, err) < 0 ||
            mnn_xml_attr_double(root, "poisson-ratio", path, &m->poisson_ratio, err) < 0;
  for (xmlNodePtr e = root->children; e && !bad; e = e->next) {
    if (!mnn_xml_is(e, "fit")) continue;
    m->has_fit = 1;
    copy_attr(e, "measurement", m->fit_measurement, sizeof m->fit_measurement);
    copy_attr(e, "network", m->fit_network, sizeof m->fit_network);
    copy_attr(e, "mesh", m->fit_mesh, sizeof m->fit_mesh);
    double dofs = 0;
    bad = mnn_xml_attr_int(e, "order", path, &m->fit_order, err) < 0 ||
          mnn_xml_attr_int(e, "points", path, &m->fit_points, err) < 0 ||
          mnn_xml_attr_double(e, "dofs", path, &dofs, err) < 0 ||
          mnn_xml_attr_double(e, "reference-modulus", path, &m->fit_reference_modulus, err) < 0 ||
          mnn_xml_attr_double(e, "residual-rms-sd", path, &m->fit_rms_sd, err) < 0 ||
          mnn_xml_attr_double(e, "residual-max-sd", path, &m->fit_max_sd, err) < 0;
    m->fit_dofs = (long)dofs;
  }
  xmlFreeDoc(doc);
  return bad ? -1 : 0;
}

int mnn_material_write(const mnn_material *m, const char *path, mnn_error *err) {
  mnn_xml_output out;
  if (mnn_xml_output_open(&out, path, err)) return -1;
  xmlTextWriterPtr w = out.w;
  int bad = xmlTextWriterStartElement(w, BAD_CAST "material") < 0;
  if (m->name[0]) bad |= xmlTextWriterWriteAttribute(w, BAD_CAST "name", BAD_CAST m->name) < 0;
  bad |= mnn_xml_write_double(w, "youngs-modulus", m->youngs_modulus) |
         mnn_xml_write_double(w, "poisson-ratio", m->poisson_ratio);
  if (m->has_fit) {
    bad |= xmlTextWriterStartElement(w, BAD_CAST "fit") < 0;
    bad |= xmlTextWriterWriteAttribute(w, BAD_CAST "measurement", BAD_CAST m->fit_measurement) < 0;
    if (m->fit_network[0]) bad |= xmlTextWriterWriteAttribute(w, BAD_CAST "network", BAD_CAST m->fit_network) < 0;
    if (m->fit_mesh[0]) bad |= xmlTextWriterWriteAttribute(w, BAD_CAST "mesh", BAD_CAST m->fit_mesh) < 0;
    if (m->fit_order > 0) bad |= xmlTextWriterWriteFormatAttribute(w, BAD_CAST "order", "%d", m->fit_order) < 0;
    if (m->fit_dofs > 0) bad |= xmlTextWriterWriteFormatAttribute(w, BAD_CAST "dofs", "%ld", m->fit_dofs) < 0;
    bad |= xmlTextWriterWriteFormatAttribute(w, BAD_CAST "points", "%d", m->fit_points) < 0;
    if (m->fit_reference_modulus > 0) bad |= mnn_xml_write_double(w, "reference-modulus", m->fit_reference_modulus);
    if (isfinite(m->fit_rms_sd)) bad |= mnn_xml_write_double(w, "residual-rms-sd", m->fit_rms_sd);
    if (isfinite(m->fit_max_sd)) bad |= mnn_xml_write_double(w, "residual-max-sd", m->fit_max_sd);
    bad |= xmlTextWriterEndElement(w) < 0;
  }
  bad |= xmlTextWriterEndElement(w) < 0;
  return mnn_xml_output_finish(&out, bad, err);
}

mnn_network *mnn_material_network(const mnn_network *net, const mnn_material *m, mnn_error *err) {
  mnn_network *copy = mnn_network_copy(net);
  if (!copy) return (void)mnn_fail(err, "out of memory"), NULL;
  if (m) {
    copy->youngs_modulus = m->youngs_modulus;
    copy->poisson_ratio = m->poisson_ratio;
  }
  return copy;
}
