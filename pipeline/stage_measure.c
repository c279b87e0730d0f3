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
#include "log.h"
#include "measurement_eval.h"
#include "meshing.h"
#include "report_measurements.h"
#include "run_internal.h"

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
  mnn_record *rec = mnn_record_create("measure");
  if (!rec) return mnn_fail(err, "out of memory");
  mnn_record_set(rec, "fitted", job->fitted);
  mnn_record_set(rec, "youngs-modulus", job->youngs_modulus);
  mnn_record_set(rec, "poisson-ratio", job->poisson_ratio);
  mnn_record_set(rec, "reference-modulus", job->reference_modulus);
  if (job->fitted) {
    mnn_record_set(rec, "fit-rms-sd", job->fit.rms_sd);
    mnn_record_set(rec, "fit-max-sd", job->fit.max_sd);
  }
  mnn_record_set(rec, "parts", job->n_items);
  for (int i = 0; i < job->n_items; ++i) {
    const mnn_measure_item *it = &job->items[i];
    const mnn_measurement *m = it->m;
    char key[96];
#define KEY(...) (snprintf(key, sizeof key, __VA_ARGS__), key)
    mnn_record_set_text(rec, KEY("part.%d.name", i), m->name);
    mnn_record_set_text(rec, KEY("part.%d.title", i), m->title);
    mnn_record_set(rec, KEY("part.%d.fit", i), it->fit);
    mnn_record_set(rec, KEY("part.%d.dofs", i), (double)it->fem_dofs);
    mnn_record_set(rec, KEY("part.%d.cosine-bar", i), it->cos_bar);
    mnn_record_set(rec, KEY("part.%d.cosine-fem", i), it->cos_fem);
    mnn_record_set(rec, KEY("part.%d.cosine-fem-energy", i), it->cos_fem_energy);
    mnn_record_set(rec, KEY("part.%d.displacements", i), m->n_displacements);
    mnn_record_set(rec, KEY("part.%d.gradients", i), m->n_gradients);
    for (int g = 0; g < 2; ++g) {
      int n = g ? m->n_gradients : m->n_displacements;
      const mnn_measured_value *v = g ? m->gradients : m->displacements;
      const double *bar = g ? it->bar_g : it->bar_u, *fem = g ? it->fem_g : it->fem_u;
      const char *kind = g ? "g" : "u";
      for (int j = 0; j < n; ++j) {
        mnn_record_set(rec, KEY("part.%d.%s.%d.id", i, kind, j), v[j].id);
        mnn_record_set(rec, KEY("part.%d.%s.%d.component", i, kind, j), v[j].component);
        mnn_record_set(rec, KEY("part.%d.%s.%d.value", i, kind, j), v[j].value);
        mnn_record_set(rec, KEY("part.%d.%s.%d.sd", i, kind, j), v[j].sd);
        mnn_record_set(rec, KEY("part.%d.%s.%d.repeats", i, kind, j), v[j].repeats);
        mnn_record_set(rec, KEY("part.%d.%s.%d.bar", i, kind, j), bar[j]);
        mnn_record_set(rec, KEY("part.%d.%s.%d.fem", i, kind, j), fem[j]);
      }
    }
#undef KEY
  }
  int rc = mnn_record_write(rec, ctx->measure_rec, err);
  mnn_record_free(rec);
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
  if (!rc && job.fitted) {
    mnn_material mat;
    mnn_measure_material(&job, &mat);
    rc = mnn_material_write(&mat, ctx->material, err);
  }
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
  return rc;
}

int mnn_measure_fill_report(mnn_report *r, const mnn_record *rec, const mnn_case *c, mnn_error *err) {
  mnn_report_measurements *m = mnn_report_measurements_get(r);
  if (!m) return mnn_fail(err, "out of memory");
  double v = NAN;
#define GET(...) (v = NAN, snprintf(key, sizeof key, __VA_ARGS__), mnn_record_get(rec, key, &v), v)
  char key[96];
  m->fitted = GET("fitted") == 1;
  m->fem_youngs_modulus = GET("youngs-modulus");
  m->fem_poisson_ratio = GET("poisson-ratio");
  m->reference_modulus = GET("reference-modulus");
  m->fit_rms_sd = GET("fit-rms-sd");
  m->fit_max_sd = GET("fit-max-sd");
  m->sd_warning = c->measurement_sd_warning;
  m->sd_error = c->measurement_sd_error;
  int parts = (int)GET("parts");
  for (int i = 0; i < parts; ++i) {
    mnn_report_measured_part p = {0};
    snprintf(key, sizeof key, "part.%d.name", i);
    const char *name = mnn_record_get_text(rec, key);
    snprintf(key, sizeof key, "part.%d.title", i);
    const char *title = mnn_record_get_text(rec, key);
    snprintf(p.name, sizeof p.name, "%s", name ? name : "");
    snprintf(p.title, sizeof p.title, "%s", title ? title : "");
    p.fitted = GET("part.%d.fit", i) == 1;
    p.fem_dofs = (long)GET("part.%d.dofs", i);
    p.cosine_bar = GET("part.%d.cosine-bar", i);
    p.cosine_fem = GET("part.%d.cosine-fem", i);
    p.cosine_fem_energy = GET("part.%d.cosine-fem-energy", i);
    if (mnn_report_add_measured_part(r, &p, err)) return -1;
    for (int g = 0; g < 2; ++g) {
      int n = (int)GET(g ? "part.%d.gradients" : "part.%d.displacements", i);
      const char *kind = g ? "g" : "u";
      for (int j = 0; j < n; ++j) {
        mnn_report_measured x = {.gradient = g, .fitted = p.fitted && !g};
        snprintf(x.part, sizeof x.part, "%s", p.name);
        int id = (int)GET("part.%d.%s.%d.id", i, kind, j), comp = (int)GET("part.%d.%s.%d.component", i, kind, j);
        if (g) snprintf(x.quantity, sizeof x.quantity, "bond %d", id);
        else snprintf(x.quantity, sizeof x.quantity, "node %d %c", id, "xy"[comp]);
        x.measured = GET("part.%d.%s.%d.value", i, kind, j);
        x.sd = GET("part.%d.%s.%d.sd", i, kind, j);
        if (!(x.sd > 0)) x.sd = NAN;
        x.repeats = (int)GET("part.%d.%s.%d.repeats", i, kind, j);
        x.bar = GET("part.%d.%s.%d.bar", i, kind, j);
        x.fem = GET("part.%d.%s.%d.fem", i, kind, j);
        if (mnn_report_add_measured(r, &x, err)) return -1;
      }
    }
  }
#undef GET
  return 0;
}
