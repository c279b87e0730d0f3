/* The report's measurements section (report_measurements.h): the structure, its
 * discrepancies and verdict, and its XML and HTML forms. */
#include "report_measurements.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "xml_input.h"

mnn_report_measurements *mnn_report_measurements_get(mnn_report *r) {
  if (!r->measurements) {
    r->measurements = calloc(1, sizeof *r->measurements);
    if (r->measurements) {
      r->measurements->sd_warning = 2;
      r->measurements->sd_error = 3;
      r->measurements->fit_rms_sd = r->measurements->fit_max_sd = NAN;
    }
  }
  return r->measurements;
}

void mnn_report_measurements_free(mnn_report_measurements *m) {
  if (!m) return;
  free(m->parts);
  free(m->values);
  free(m);
}

int mnn_report_add_measured_part(mnn_report *r, const mnn_report_measured_part *p, mnn_error *err) {
  mnn_report_measurements *m = mnn_report_measurements_get(r);
  mnn_report_measured_part *a = m ? realloc(m->parts, sizeof *a * (size_t)(m->n_parts + 1)) : NULL;
  if (!a) return mnn_fail(err, "report: out of memory");
  m->parts = a;
  a[m->n_parts++] = *p;
  return 0;
}

int mnn_report_add_measured(mnn_report *r, const mnn_report_measured *v, mnn_error *err) {
  mnn_report_measurements *m = mnn_report_measurements_get(r);
  mnn_report_measured *a = m ? realloc(m->values, sizeof *a * (size_t)(m->n_values + 1)) : NULL;
  if (!a) return mnn_fail(err, "report: out of memory");
  m->values = a;
  a[m->n_values++] = *v;
  return 0;
}

double mnn_report_measured_sd(const mnn_report_measured *v, int fem) {
  return v->sd > 0 ? fabs((fem ? v->fem : v->bar) - v->measured) / v->sd : NAN;
}

/* "12.3 um" style: mm for displacements, the gradient in m^2. */
static void value_text(const mnn_report_measured *v, double x, char *buf, size_t n) {
  if (!isfinite(x)) snprintf(buf, n, "-");
  else if (v->gradient) snprintf(buf, n, "%.4g m^2", x);
  else snprintf(buf, n, "%.4f mm", 1e3 * x);
}

int mnn_report_measurement_discrepancies(mnn_report *r, mnn_error *err) {
  int keep = 0;
  for (int i = 0; i < r->n_discrepancies; ++i)
    if (strcmp(r->discrepancies[i].kind, "measurement")) r->discrepancies[keep++] = r->discrepancies[i];
  r->n_discrepancies = keep;
  const mnn_report_measurements *m = r->measurements;
  for (int i = 0; m && i < m->n_values; ++i) {
    const mnn_report_measured *v = &m->values[i];
    double d = mnn_report_measured_sd(v, 1);
    if (v->fitted || !(d > m->sd_warning)) continue;
    mnn_severity s = d > m->sd_error ? MNN_SEVERITY_ERROR : MNN_SEVERITY_WARNING;
    char subject[128], meas[48], fem[48], bar[48], msg[MNN_REPORT_TEXT];
    snprintf(subject, sizeof subject, "%s %s", v->part, v->quantity);
    value_text(v, v->measured, meas, sizeof meas);
    value_text(v, v->fem, fem, sizeof fem);
    value_text(v, v->bar, bar, sizeof bar);
    snprintf(msg, sizeof msg, "%s: measured %s, FEM %s (%.2f sd off), bar model %s (%.2f sd off)", subject, meas, fem, d,
             bar, mnn_report_measured_sd(v, 0));
    if (mnn_report_add_discrepancy(r, s, "measurement", subject, d, s == MNN_SEVERITY_ERROR ? m->sd_error : m->sd_warning,
                                   msg, err))
      return -1;
  }
  return 0;
}

int mnn_report_measurements_verdict(const mnn_report *r, mnn_measurement_verdict *v) {
  const mnn_report_measurements *m = r->measurements;
  if (!m) return -1;
  memset(v, 0, sizeof *v);
  v->threshold = m->sd_error;
  v->cosine_fem = v->cosine_bar = NAN;
  for (int i = 0; i < m->n_values; ++i) {
    const mnn_report_measured *x = &m->values[i];
    double df = mnn_report_measured_sd(x, 1), db = mnn_report_measured_sd(x, 0);
    int g = x->gradient != 0;
    if (x->fitted || !isfinite(df)) continue;
    ++v->n_predicted[g];
    v->n_within_warning[g] += df <= m->sd_warning;
    if (df >= v->worst_fem_sd[g])
      v->worst_fem_sd[g] = df, snprintf(v->worst_fem[g], sizeof v->worst_fem[g], "%s %s", x->part, x->quantity);
    if (db >= v->worst_bar_sd[g])
      v->worst_bar_sd[g] = db, snprintf(v->worst_bar[g], sizeof v->worst_bar[g], "%s %s", x->part, x->quantity);
  }
  for (int k = 0; k < m->n_parts; ++k) {
    if (isfinite(m->parts[k].cosine_fem)) v->cosine_fem = isnan(v->cosine_fem) ? m->parts[k].cosine_fem : fmin(v->cosine_fem, m->parts[k].cosine_fem);
    if (isfinite(m->parts[k].cosine_bar)) v->cosine_bar = isnan(v->cosine_bar) ? m->parts[k].cosine_bar : fmin(v->cosine_bar, m->parts[k].cosine_bar);
  }
  for (int g = 0; g < 2; ++g) v->pass_kind[g] = v->worst_fem_sd[g] <= v->threshold;
  v->pass = v->pass_kind[0] && v->pass_kind[1];
  return 0;
}

/* XML: attributes through the text writer; non-finite numbers are left out. */
static int wattr(xmlTextWriterPtr w, const char *name, const char *value) {
  return xmlTextWriterWriteAttribute(w, BAD_CAST name, BAD_CAST value) < 0;
}

static int wnum(xmlTextWriterPtr w, const char *name, double x) {
  if (!isfinite(x)) return 0;
  char buf[40];
  for (int digits = 15; digits <= 17; ++digits) {
    snprintf(buf, sizeof buf, "%.*g", digits, x);
    if (strtod(buf, NULL) == x) break;
  }
  return wattr(w, name, buf);
}

int mnn_report_write_measurements(xmlTextWriterPtr w, const mnn_report *r) {
  const mnn_report_measurements *m = r->measurements;
  if (!m) return 0;
  int bad = xmlTextWriterStartElement(w, BAD_CAST "measurements") < 0;
  bad |= wnum(w, "fem-youngs-modulus", m->fem_youngs_modulus) | wnum(w, "fem-poisson-ratio", m->fem_poisson_ratio) |
         wnum(w, "reference-modulus", m->reference_modulus) | wattr(w, "fitted", m->fitted ? "true" : "false") |
         wnum(w, "fit-rms-sd", m->fit_rms_sd) | wnum(w, "fit-max-sd", m->fit_max_sd) |
         wnum(w, "sd-warning", m->sd_warning) | wnum(w, "sd-error", m->sd_error);
  for (int k = 0; k < m->n_parts; ++k) {
    const mnn_report_measured_part *p = &m->parts[k];
    bad |= xmlTextWriterStartElement(w, BAD_CAST "part") < 0;
    bad |= wattr(w, "name", p->name) | wattr(w, "title", p->title) | wattr(w, "fitted", p->fitted ? "true" : "false") |
           wnum(w, "fem-dofs", (double)p->fem_dofs) | wnum(w, "gradient-cosine-bar", p->cosine_bar) |
           wnum(w, "gradient-cosine-fem", p->cosine_fem) | wnum(w, "gradient-cosine-fem-sensitivity", p->cosine_fem_energy);
    bad |= xmlTextWriterEndElement(w) < 0;
  }
  for (int i = 0; i < m->n_values; ++i) {
    const mnn_report_measured *v = &m->values[i];
    bad |= xmlTextWriterStartElement(w, BAD_CAST "measured") < 0;
    bad |= wattr(w, "part", v->part) | wattr(w, "quantity", v->quantity) |
           wattr(w, "kind", v->gradient ? "gradient" : "displacement") | wattr(w, "fitted", v->fitted ? "true" : "false") |
           wnum(w, "value", v->measured) | wnum(w, "sd", v->sd) | (v->repeats > 0 ? wnum(w, "repeats", v->repeats) : 0) |
           wnum(w, "bar", v->bar) | wnum(w, "fem", v->fem);
    if (v->sd > 0)
      bad |= wnum(w, "bar-difference-sd", (v->bar - v->measured) / v->sd) |
             wnum(w, "fem-difference-sd", (v->fem - v->measured) / v->sd);
    bad |= xmlTextWriterEndElement(w) < 0;
  }
  bad |= xmlTextWriterEndElement(w) < 0;
  return bad ? -1 : 0;
}

static void read_text(xmlNodePtr n, const char *name, char *dst, size_t size) {
  char *s = mnn_xml_attr_string(n, name);
  if (s) snprintf(dst, size, "%s", s);
  free(s);
}

static int read_flag(xmlNodePtr n, const char *name) {
  char *s = mnn_xml_attr_string(n, name);
  int v = s && (!strcmp(s, "true") || !strcmp(s, "1"));
  free(s);
  return v;
}

int mnn_report_read_measurements(xmlNodePtr n, const char *path, mnn_report *r, mnn_error *err) {
  mnn_report_measurements *m = mnn_report_measurements_get(r);
  if (!m) return mnn_fail(err, "report: out of memory");
  m->fem_youngs_modulus = m->fem_poisson_ratio = m->reference_modulus = NAN;
  m->fitted = read_flag(n, "fitted");
  if (mnn_xml_attr_double(n, "fem-youngs-modulus", path, &m->fem_youngs_modulus, err) < 0 ||
      mnn_xml_attr_double(n, "fem-poisson-ratio", path, &m->fem_poisson_ratio, err) < 0 ||
      mnn_xml_attr_double(n, "reference-modulus", path, &m->reference_modulus, err) < 0 ||
      mnn_xml_attr_double(n, "fit-rms-sd", path, &m->fit_rms_sd, err) < 0 ||
      mnn_xml_attr_double(n, "fit-max-sd", path, &m->fit_max_sd, err) < 0 ||
      mnn_xml_attr_double(n, "sd-warning", path, &m->sd_warning, err) < 0 ||
      mnn_xml_attr_double(n, "sd-error", path, &m->sd_error, err) < 0)
    return -1;
  for (xmlNodePtr c = n->children; c; c = c->next) {
    if (mnn_xml_is(c, "part")) {
      mnn_report_measured_part p = {.cosine_bar = NAN, .cosine_fem = NAN, .cosine_fem_energy = NAN};
      double dofs = 0;
      read_text(c, "name", p.name, sizeof p.name);
      read_text(c, "title", p.title, sizeof p.title);
      p.fitted = read_flag(c, "fitted");
      if (mnn_xml_attr_double(c, "fem-dofs", path, &dofs, err) < 0 ||
          mnn_xml_attr_double(c, "gradient-cosine-bar", path, &p.cosine_bar, err) < 0 ||
          mnn_xml_attr_double(c, "gradient-cosine-fem", path, &p.cosine_fem, err) < 0 ||
          mnn_xml_attr_double(c, "gradient-cosine-fem-sensitivity", path, &p.cosine_fem_energy, err) < 0)
        return -1;
      p.fem_dofs = (long)dofs;
      if (mnn_report_add_measured_part(r, &p, err)) return -1;
    } else if (mnn_xml_is(c, "measured")) {
      mnn_report_measured v = {.sd = NAN, .bar = NAN, .fem = NAN};
      char kind[32] = "";
      read_text(c, "part", v.part, sizeof v.part);
      read_text(c, "quantity", v.quantity, sizeof v.quantity);
      read_text(c, "kind", kind, sizeof kind);
      v.gradient = !strcmp(kind, "gradient");
      v.fitted = read_flag(c, "fitted");
      if (mnn_xml_attr_double(c, "value", path, &v.measured, err) < 0 ||
          mnn_xml_attr_double(c, "sd", path, &v.sd, err) < 0 || mnn_xml_attr_int(c, "repeats", path, &v.repeats, err) < 0 ||
          mnn_xml_attr_double(c, "bar", path, &v.bar, err) < 0 || mnn_xml_attr_double(c, "fem", path, &v.fem, err) < 0)
        return -1;
      if (mnn_report_add_measured(r, &v, err)) return -1;
    }
  }
  return 0;
}

/* Text into HTML: the characters that would end an element or attribute are escaped. */
static void html_text(FILE *fp, const char *s) {
  static const char *const names[] = {"&lt;", "&gt;", "&amp;", "&quot;"};
  while (s && *s) {
    size_t run = strcspn(s, "<>&\"");
    fwrite(s, 1, run, fp);
    if (!s[run]) break;
    fputs(names[strchr("<>&\"", s[run]) - "<>&\""], fp);
    s += run + 1;
  }
}

static void html_cell(FILE *fp, const mnn_report_measured *v, double x, int sd_units) {
  char buf[48];
  if (sd_units) snprintf(buf, sizeof buf, isfinite(x) ? "%+.2f" : "-", x);
  else value_text(v, x, buf, sizeof buf);
  fprintf(fp, "<td>%s</td>", buf);
}

void mnn_report_html_measurements(FILE *fp, const mnn_report *r) {
  const mnn_report_measurements *m = r->measurements;
  if (!m) return;
  fputs("<h2>The printed part against measurements</h2>\n<p>", fp);
  fprintf(fp, "FEM material: E = %.6g Pa, &nu; = %.3g", m->fem_youngs_modulus, m->fem_poisson_ratio);
  if (m->fitted)
    fprintf(fp, ", E fitted on the quantities marked <em>fit</em> (residual rms %.2f sd, max %.2f sd); every other row "
                "is a prediction", m->fit_rms_sd, m->fit_max_sd);
  fputs(". Differences are (model &minus; measured) / sd.</p>\n<table>\n<tr><th>part</th><th>quantity</th>"
        "<th>measured</th><th>sd</th><th>bar model</th><th>FEM</th><th>bar (sd)</th><th>FEM (sd)</th></tr>\n", fp);
  for (int i = 0; i < m->n_values; ++i) {
    const mnn_report_measured *v = &m->values[i];
    fputs("<tr><td>", fp);
    html_text(fp, v->part);
    fputs("</td><td>", fp);
    html_text(fp, v->quantity);
    fputs(v->fitted ? " (fit)</td>" : "</td>", fp);
    html_cell(fp, v, v->measured, 0);
    html_cell(fp, v, v->sd, 0);
    html_cell(fp, v, v->bar, 0);
    html_cell(fp, v, v->fem, 0);
    html_cell(fp, v, v->sd > 0 ? (v->bar - v->measured) / v->sd : NAN, 1);
    html_cell(fp, v, v->sd > 0 ? (v->fem - v->measured) / v->sd : NAN, 1);
    fputs("</tr>\n", fp);
  }
  fputs("</table>\n", fp);
  for (int k = 0; k < m->n_parts; ++k)
    if (isfinite(m->parts[k].cosine_bar)) {
      fputs("<p>", fp);
      html_text(fp, m->parts[k].name);
      fprintf(fp, ": cosine of the measured gradients with the bar model's %.4f, with the FEM's %.4f (e_adj e from "
                  "disc-averaged displacements; with the FEM's sensitivity per bond %.4f)</p>\n",
              m->parts[k].cosine_bar, m->parts[k].cosine_fem, m->parts[k].cosine_fem_energy);
    }
}
