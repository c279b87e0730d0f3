/* Measurement stage of `mnn run`: the case's measured parts (<measurement>
 * elements) against the bar model and the FEM. Each part's network is meshed with
 * the case's mesh settings (once per network file), then mnn_measure_run (the
 * orchestration `mnn calibrate --material` uses too) solves the FEM once per
 * part, fits the FEM's Young's modulus on the parts marked fit and predicts the
 * rest. Writes material.xml (when fitted) and a record for the report; the report
 * stage turns the record into the report's measurements section. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli_petsc.h"
#include "log.h"
#include "measurement_eval.h"
#include "meshing.h"
#include "report_measurements.h"
#include "run_internal.h"
#include "stage_measure_record.h"

int mnn_measure_inputs(const mnn_case *c, const char **paths, char net_paths[][MNN_CASE_PATH]) {
  int n = 0;
  for (int k = 0; k < c->n_measurements; ++k) {
    paths[n++] = c->measurement_file[k];
    mnn_error err;
    mnn_measurement *m = mnn_measurement_read(c->measurement_file[k], &err); /* checked when the case was read */
    snprintf(net_paths[k], MNN_CASE_PATH, "%s", m ? m->network_path : c->measurement_file[k]);
    paths[n++] = net_paths[k];
    mnn_measurement_free(m);
  }
  return n;
}

/* "<dir>/measure-<k>-<base of the network file>.msh" */
static void mesh_path(const mnn_run_ctx *ctx, int k, const mnn_measurement *m, char *out) {
  const char *base = strrchr(m->network_path, '/');
  base = base ? base + 1 : m->network_path;
  char name[256];
  snprintf(name, sizeof name, "measure-%d-%.*s.msh", k + 1, (int)(strcspn(base, ".")), base);
  mnn_run_path(ctx, name, out);
}

/* The record: the material, and per part and quantity what was measured and predicted. */
static int write_record(const mnn_run_ctx *ctx, const mnn_measure_job *job, mnn_error *err) {
  mnn_measure_record mr = {.fitted = job->fitted, .youngs_modulus = job->youngs_modulus,
                           .poisson_ratio = job->poisson_ratio, .reference_modulus = job->reference_modulus,
                           .fit_rms_sd = job->fitted ? job->fit.rms_sd : NAN,
                           .fit_max_sd = job->fitted ? job->fit.max_sd : NAN, .n_parts = job->n_items};
  int rc = (mr.parts = calloc((size_t)job->n_items + 1, sizeof *mr.parts)) ? 0 : -1;
  for (int i = 0; i < job->n_items && !rc; ++i) {
    const mnn_measure_item *it = &job->items[i];
    const mnn_measurement *m = it->m;
    mnn_measure_record_part *p = &mr.parts[i];
    snprintf(p->name, sizeof p->name, "%s", m->name);
    snprintf(p->title, sizeof p->title, "%s", m->title);
    p->fit = it->fit, p->dofs = it->fem_dofs;
    p->cosine_bar = it->cos_bar, p->cosine_fem = it->cos_fem, p->cosine_fem_energy = it->cos_fem_energy;
    p->n_displacements = m->n_displacements, p->n_gradients = m->n_gradients;
    p->u = calloc((size_t)m->n_displacements + 1, sizeof *p->u);
    p->g = calloc((size_t)m->n_gradients + 1, sizeof *p->g);
    if (!p->u || !p->g) rc = -1;
    for (int g = 0; g < 2 && !rc; ++g) {
      int n = g ? m->n_gradients : m->n_displacements;
      const mnn_measured_value *v = g ? m->gradients : m->displacements;
      const double *bar = g ? it->bar_g : it->bar_u, *fem = g ? it->fem_g : it->fem_u;
      for (int j = 0; j < n; ++j)
        (g ? p->g : p->u)[j] = (mnn_measure_record_value){v[j].id, v[j].component, v[j].value, v[j].sd,
                                                          v[j].repeats, bar[j], fem[j]};
    }
  }
  rc = rc ? mnn_fail(err, "out of memory") : mnn_measure_record_write(&mr, ctx->measure_rec, err);
  mnn_measure_record_clear(&mr);
  return rc;
}

static void print_summary(const mnn_measure_job *job) {
  if (job->fitted)
    mnn_info("measure: FEM Young's modulus fitted: %.6g Pa (%.4f x %.6g Pa), residual rms %.3g sd, max %.3g sd",
             job->youngs_modulus, job->youngs_modulus / job->reference_modulus, job->reference_modulus, job->fit.rms_sd,
             job->fit.max_sd);
  for (int i = 0; i < job->n_items; ++i) {
    const mnn_measure_item *it = &job->items[i];
    for (int j = 0; j < it->m->n_displacements; ++j) {
      const mnn_measured_value *v = &it->m->displacements[j];
      mnn_info("measure: %s node %d %c: measured %.4f mm, bar %.4f mm (%+.2f sd), FEM %.4f mm (%+.2f sd)%s", it->m->name,
               v->id, "xy"[v->component], 1e3 * v->value, 1e3 * it->bar_u[j],
               mnn_difference_in_sd(it->bar_u[j], v->value, v->sd), 1e3 * it->fem_u[j],
               mnn_difference_in_sd(it->fem_u[j], v->value, v->sd), it->fit ? " (fitted)" : "");
    }
    if (it->m->n_gradients)
      mnn_info("measure: %s: %d measured gradients, cosine with the bar model %.4f, with the FEM %.4f (FEM "
               "sensitivity per bond: %.4f)", it->m->name, it->m->n_gradients, it->cos_bar, it->cos_fem, it->cos_fem_energy);
  }
}

int mnn_stage_measure(const mnn_run_ctx *ctx, mnn_error *err) {
  const mnn_case *c = ctx->c;
  int n = c->n_measurements, rc = 0;
  mnn_measurement **ms = calloc((size_t)n + 1, sizeof *ms);
  mnn_measure_item *items = calloc((size_t)n + 1, sizeof *items);
  char(*meshes)[MNN_RUN_PATH] = calloc((size_t)n + 1, sizeof *meshes);
  if (!ms || !items || !meshes) rc = mnn_fail(err, "out of memory");
  for (int k = 0; k < n && !rc; ++k) {
    if (!(ms[k] = mnn_measurement_read(c->measurement_file[k], err))) {
      rc = -1;
      break;
    }
    int first = k; /* one mesh per network file */
    for (int j = k - 1; j >= 0; --j)
      if (!strcmp(ms[j]->network_path, ms[k]->network_path)) first = j;
    mesh_path(ctx, first, ms[k], meshes[k]);
    if (first == k) {
      mnn_mesh_stats st;
      rc = mnn_mesh_write(ms[k]->net, &c->mesh, meshes[k], &st, err);
      if (!rc) mnn_info("measure: meshed %s: %ld tetrahedra, %.1f s", ms[k]->network_path, st.n_tetrahedra, st.seconds);
    }
    items[k] = (mnn_measure_item){.m = ms[k], .mesh = meshes[k], .fit = c->measurement_fit[k]};
  }
  mnn_measure_job job = {.n_items = n, .items = items, .order = c->fem_order,
                         .material = c->fem_material_file[0] ? &c->fem_material : NULL};
  if (!rc) rc = mnn_run_petsc_ready(c->fem_direct, c->fem_options, err) || mnn_measure_run(&job, err);
  if (!rc && job.fitted) rc = mnn_measure_write_material(&job, ctx->material, err);
  if (!rc) rc = write_record(ctx, &job, err);
  if (!rc) print_summary(&job);
  for (int k = 0; k < n; ++k) {
    if (items) mnn_measure_item_clear(&items[k]);
    if (ms) mnn_measurement_free(ms[k]);
  }
  free(ms);
  free(items);
  free(meshes);
  if (rc) mnn_error_prefix(err, "measure stage");
  return rc ? -1 : 0; /* the || of PETSc and the run above gives 1 */
}

int mnn_measure_fill_report(mnn_report *r, const mnn_record *rec, const mnn_case *c, mnn_error *err) {
  mnn_report_measurements *m = mnn_report_measurements_get(r);
  if (!m) return mnn_fail(err, "out of memory");
  mnn_measure_record mr;
  int rc = mnn_measure_record_take(rec, &mr, err);
  m->fitted = mr.fitted == 1;
  m->fem_youngs_modulus = mr.youngs_modulus;
  m->fem_poisson_ratio = mr.poisson_ratio;
  m->reference_modulus = mr.reference_modulus;
  m->fit_rms_sd = mr.fit_rms_sd;
  m->fit_max_sd = mr.fit_max_sd;
  m->sd_warning = c->measurement_sd_warning;
  m->sd_error = c->measurement_sd_error;
  for (int i = 0; i < mr.n_parts && !rc; ++i) {
    const mnn_measure_record_part *q = &mr.parts[i];
    mnn_report_measured_part p = {.fitted = q->fit == 1, .fem_dofs = q->dofs, .cosine_bar = q->cosine_bar,
                                  .cosine_fem = q->cosine_fem, .cosine_fem_energy = q->cosine_fem_energy};
    snprintf(p.name, sizeof p.name, "%s", q->name);
    snprintf(p.title, sizeof p.title, "%s", q->title);
    rc = mnn_report_add_measured_part(r, &p, err);
    for (int g = 0; g < 2 && !rc; ++g) {
      int n = g ? q->n_gradients : q->n_displacements;
      for (int j = 0; j < n && !rc; ++j) {
        const mnn_measure_record_value *v = g ? &q->g[j] : &q->u[j];
        mnn_report_measured x = {.gradient = g, .fitted = p.fitted && !g, .measured = v->value,
                                 .sd = v->sd > 0 ? v->sd : NAN, .repeats = v->repeats, .bar = v->bar, .fem = v->fem};
        snprintf(x.part, sizeof x.part, "%s", p.name);
        if (g) snprintf(x.quantity, sizeof x.quantity, "bond %d", v->id);
        else snprintf(x.quantity, sizeof x.quantity, "node %d %c", v->id, "xy"[v->component]);
        rc = mnn_report_add_measured(r, &x, err);
      }
    }
  }
  mnn_measure_record_clear(&mr);
  return rc;
}
