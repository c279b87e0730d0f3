/* Bar model and FEM predictions of measured parts, and the modulus fit
 * (measurement_eval.h). */
#include "measurement_eval.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "bar_solver.h"
#include "fem.h"
#include "log.h"

void mnn_measure_item_clear(mnn_measure_item *it) {
  free(it->bar_u);
  free(it->fem_u);
  free(it->bar_g);
  free(it->fem_g);
  it->bar_u = it->fem_u = it->bar_g = it->fem_g = NULL;
}

/* Loads in the bar layout (2 per node). */
static void bar_loads(const mnn_network *net, int n, const mnn_measured_load *l, double *F) {
  memset(F, 0, sizeof(double) * 2 * (size_t)net->n_nodes);
  for (int k = 0; k < n; ++k) {
    int i = mnn_network_node_index(net, l[k].node_id);
    F[2 * i] += l[k].f[0];
    F[2 * i + 1] += l[k].f[1];
  }
}

/* The measured quantities from displacements U (forward) and U_adj (adjoint, may be
 * NULL), both in the bar layout: u[] per measured displacement, g[] = e_adj * e per
 * measured bond. */
static void pick(const mnn_measurement *m, const double *U, const double *U_adj, double *e, double *e_adj, double *u,
                 double *g) {
  const mnn_network *net = m->net;
  for (int k = 0; k < m->n_displacements; ++k)
    u[k] = U[2 * mnn_network_node_index(net, m->displacements[k].id) + m->displacements[k].component];
  if (!U_adj) return;
  mnn_bar_elongations(net, 1, U, e);
  mnn_bar_elongations(net, 1, U_adj, e_adj);
  for (int k = 0; k < m->n_gradients; ++k) {
    int b = mnn_network_bond_index(net, m->gradients[k].id);
    g[k] = e_adj[b] * e[b];
  }
}

/* The bar model of one measurement. */
static int bar_item(mnn_measure_item *it, double *work, mnn_error *err) {
  const mnn_measurement *m = it->m;
  const mnn_network *net = m->net;
  size_t n2 = 2 * (size_t)net->n_nodes;
  double *F = work, *U = work + 2 * n2, *e = work + 4 * n2, *e_adj = e + net->n_bonds, *k = e_adj + net->n_bonds;
  int adj = m->n_gradients > 0;
  mnn_network_stiffnesses(net, k);
  mnn_bar_solver *s = mnn_bar_solver_create(net, err);
  int rc = !s || mnn_bar_solver_factor(s, k, err);
  bar_loads(net, m->n_loads, m->loads, F);
  if (adj) bar_loads(net, m->n_adjoint_loads, m->adjoint_loads, F + n2);
  if (!rc) rc = mnn_bar_solver_solve(s, 1 + adj, F, U, err);
  if (!rc) pick(m, U, adj ? U + n2 : NULL, e, e_adj, it->bar_u, it->bar_g);
  mnn_bar_solver_free(s);
  return rc ? -1 : 0;
}

/* One FEM solve with these loads into u (a new vector): disc-averaged displacements
 * in the bar layout. */
static int fem_solve(mnn_fem *fem, const mnn_network *net, int n, const mnn_measured_load *l, Vec *u, double *U,
                     double *avg, mnn_error *err) {
  mnn_fem_load *loads = malloc(sizeof *loads * (size_t)n);
  Vec rhs = NULL;
  int rc = !loads ? mnn_fail(err, "out of memory") : 0;
  for (int k = 0; k < n && !rc; ++k) loads[k] = (mnn_fem_load){l[k].node_id, {l[k].f[0], l[k].f[1], 0}};
  mnn_fem_solve_info info;
  if (!rc)
    rc = mnn_fem_create_vector(fem, &rhs, err) || mnn_fem_create_vector(fem, u, err) ||
         mnn_fem_load_vector(fem, n, loads, rhs, err) || mnn_fem_solve(fem, rhs, *u, &info, err) ||
         mnn_fem_node_averages(fem, *u, avg, err);
  for (int i = 0; i < net->n_nodes && !rc; ++i) U[2 * i] = avg[3 * i], U[2 * i + 1] = avg[3 * i + 1];
  rc = mnn_fem_destroy_vector(&rhs, rc, err);
  free(loads);
  return rc ? -1 : 0;
}

/* The FEM of one measurement (fem built on a network with the reference modulus). */
static int fem_item(mnn_fem *fem, mnn_measure_item *it, double *work, mnn_error *err) {
  const mnn_measurement *m = it->m;
  const mnn_network *net = m->net;
  size_t n2 = 2 * (size_t)net->n_nodes;
  double *U = work, *avg = work + 2 * n2, *e = avg + 3 * (size_t)net->n_nodes, *e_adj = e + net->n_bonds;
  int adj = m->n_gradients > 0;
  Vec u = NULL, u_adj = NULL;
  double *g = NULL;
  int rc = fem_solve(fem, net, m->n_loads, m->loads, &u, U, avg, err);
  if (!rc && adj) rc = fem_solve(fem, net, m->n_adjoint_loads, m->adjoint_loads, &u_adj, U + n2, avg, err);
  if (!rc) pick(m, U, adj ? U + n2 : NULL, e, e_adj, it->fem_u, it->fem_g);
  it->cos_fem_energy = NAN;
  if (!rc && adj) { /* the FEM's own sensitivity, bonds only: a check on the disc-average route */
    if (!(g = malloc(sizeof(double) * (size_t)mnn_fem_n_regions(fem)))) rc = mnn_fail(err, "out of memory");
    if (!rc) rc = mnn_fem_region_sensitivity(fem, u, u_adj, g, err);
    for (int k = 0; k < m->n_gradients && !rc; ++k) e[k] = g[mnn_network_bond_index(net, m->gradients[k].id)];
    for (int k = 0; k < m->n_gradients && !rc; ++k) e_adj[k] = m->gradients[k].value;
    if (!rc) it->cos_fem_energy = mnn_vector_cosine(m->n_gradients, e_adj, e);
  }
  free(g);
  rc = mnn_fem_destroy_vector(&u, rc, err);
  rc = mnn_fem_destroy_vector(&u_adj, rc, err);
  if (rc) return -1;
  mnn_fem_stats st;
  mnn_fem_get_stats(fem, &st);
  it->fem_dofs = st.n_dofs;
  return 0;
}

static int alloc_item(mnn_measure_item *it) {
  size_t nd = (size_t)it->m->n_displacements + 1, ng = (size_t)it->m->n_gradients + 1;
  it->bar_u = calloc(nd, sizeof(double));
  it->fem_u = calloc(nd, sizeof(double));
  it->bar_g = calloc(ng, sizeof(double));
  it->fem_g = calloc(ng, sizeof(double));
  return it->bar_u && it->fem_u && it->bar_g && it->fem_g ? 0 : -1;
}

static int same_part(const mnn_measure_item *a, const mnn_measure_item *b) {
  return a->mesh && b->mesh && !strcmp(a->mesh, b->mesh) && a->m->network_path[0] &&
         !strcmp(a->m->network_path, b->m->network_path);
}

/* Solves every item at its reference modulus; E_ref[i] says which. */
static int solve_all(mnn_measure_job *job, double *E_ref, mnn_error *err) {
  mnn_fem *fem = NULL;
  mnn_network *fnet = NULL;
  int rc = 0;
  for (int i = 0; i < job->n_items && !rc; ++i) {
    mnn_measure_item *it = &job->items[i];
    const mnn_network *net = it->m->net;
    size_t work_n = 10 * (size_t)net->n_nodes + 4 * (size_t)net->n_bonds + 8;
    double *work = malloc(sizeof(double) * work_n);
    if (!work || alloc_item(it)) rc = mnn_fail(err, "out of memory");
    if (!rc) rc = bar_item(it, work, err);
    if (!rc && it->mesh) {
      if (!(i > 0 && fem && same_part(&job->items[i - 1], it))) {
        mnn_fem_destroy(fem);
        mnn_network_free(fnet);
        fem = NULL;
        fnet = mnn_material_network(net, job->material, err);
        mnn_info("measure: %s: FEM P%d on %s (E = %.6g Pa, nu = %.3g)", it->m->name, job->order, it->mesh,
                 fnet ? fnet->youngs_modulus : 0, fnet ? fnet->poisson_ratio : 0);
        rc = !fnet || !(fem = mnn_fem_create(PETSC_COMM_WORLD, fnet, it->mesh, job->order, err)) ||
             mnn_fem_assemble(fem, err);
      }
      if (!rc) rc = fem_item(fem, it, work, err);
      E_ref[i] = fnet ? fnet->youngs_modulus : 0;
    }
    free(work);
    if (rc) mnn_error_prefix(err, "%s", it->m->path[0] ? it->m->path : it->m->name);
  }
  mnn_fem_destroy(fem);
  mnn_network_free(fnet);
  return rc;
}

/* The modulus fit over the items marked fit (their FEM values at E_common). */
static int fit_modulus(mnn_measure_job *job, const double *E_ref, double E_common, mnn_error *err) {
  int n = 0;
  for (int i = 0; i < job->n_items; ++i)
    if (job->items[i].fit) n += job->items[i].m->n_displacements;
  double *buf = malloc(sizeof(double) * 3 * (size_t)(n + 1));
  if (!buf) return mnn_fail(err, "out of memory");
  double *meas = buf, *sd = buf + n + 1, *ref = buf + 2 * (n + 1);
  int k = 0;
  for (int i = 0; i < job->n_items; ++i) {
    const mnn_measure_item *it = &job->items[i];
    if (!it->fit) continue;
    if (!it->mesh) {
      free(buf);
      return mnn_fail(err, "%s: the modulus is fitted to the FEM: give the part's mesh", it->m->name);
    }
    for (int j = 0; j < it->m->n_displacements; ++j, ++k) {
      meas[k] = it->m->displacements[j].value;
      sd[k] = it->m->displacements[j].sd;
      ref[k] = it->fem_u[j] * E_ref[i] / E_common;
    }
  }
  int rc = mnn_fit_modulus(n, meas, sd, ref, E_common, &job->fit, err);
  free(buf);
  return rc;
}

int mnn_measure_run(mnn_measure_job *job, mnn_error *err) {
  double *E_ref = calloc((size_t)job->n_items + 1, sizeof(double));
  if (!E_ref) return mnn_fail(err, "out of memory");
  int rc = solve_all(job, E_ref, err), any_fit = 0, any_fem = 0;
  double E_common = 0;
  for (int i = 0; i < job->n_items; ++i) {
    any_fit |= job->items[i].fit;
    if (job->items[i].mesh && !any_fem) any_fem = 1, E_common = E_ref[i];
  }
  job->fitted = 0;
  job->reference_modulus = E_common;
  job->youngs_modulus = job->material ? job->material->youngs_modulus : E_common;
  job->poisson_ratio = job->material ? job->material->poisson_ratio
                                     : job->n_items ? job->items[0].m->net->poisson_ratio : 0;
  if (!rc && any_fit) {
    rc = fit_modulus(job, E_ref, E_common, err);
    if (!rc) job->fitted = 1, job->youngs_modulus = job->fit.youngs_modulus;
  }
  /* every FEM value at the final modulus: u ~ 1/E, e_adj e ~ 1/E^2 */
  for (int i = 0; i < job->n_items && !rc; ++i) {
    mnn_measure_item *it = &job->items[i];
    const mnn_measurement *m = it->m;
    double s = it->mesh ? E_ref[i] / job->youngs_modulus : NAN;
    for (int j = 0; j < m->n_displacements; ++j) it->fem_u[j] *= s;
    for (int j = 0; j < m->n_gradients; ++j) it->fem_g[j] *= s * s;
    it->cos_bar = it->cos_fem = NAN;
    if (!it->mesh) it->cos_fem_energy = NAN;
    if (m->n_gradients) {
      double *g = malloc(sizeof(double) * ((size_t)m->n_gradients + 1));
      if (!g) {
        rc = mnn_fail(err, "out of memory");
        break;
      }
      for (int j = 0; j < m->n_gradients; ++j) g[j] = m->gradients[j].value;
      it->cos_bar = mnn_vector_cosine(m->n_gradients, g, it->bar_g);
      if (it->mesh) it->cos_fem = mnn_vector_cosine(m->n_gradients, g, it->fem_g);
      free(g);
    }
  }
  free(E_ref);
  return rc;
}

/* The modulus record of a job: E, nu and, when it fitted one, what it was fitted on. */
static void measure_material(const mnn_measure_job *job, mnn_material *out) {
  memset(out, 0, sizeof *out);
  snprintf(out->name, sizeof out->name, "%s", job->material && job->material->name[0] ? job->material->name : "");
  for (int i = 0; i < job->n_items && job->fitted; ++i)
    if (job->items[i].fit) {
      snprintf(out->name, sizeof out->name, "fitted to the measured part %s", job->items[i].m->name);
      break;
    }
  out->youngs_modulus = job->youngs_modulus;
  out->poisson_ratio = job->poisson_ratio;
  out->fit_rms_sd = out->fit_max_sd = NAN;
  if (!job->fitted) return;
  out->has_fit = 1;
  out->fit_order = job->order;
  out->fit_points = job->fit.n_points;
  out->fit_reference_modulus = job->reference_modulus;
  out->fit_rms_sd = job->fit.rms_sd;
  out->fit_max_sd = job->fit.max_sd;
  for (int i = 0; i < job->n_items; ++i) {
    const mnn_measure_item *it = &job->items[i];
    if (!it->fit) continue;
    size_t n = strlen(out->fit_measurement);
    snprintf(out->fit_measurement + n, sizeof out->fit_measurement - n, "%s%s", n ? "," : "",
             it->m->path[0] ? it->m->path : it->m->name);
    if (!out->fit_network[0]) snprintf(out->fit_network, sizeof out->fit_network, "%s", it->m->network_path);
    if (!out->fit_mesh[0] && it->mesh) snprintf(out->fit_mesh, sizeof out->fit_mesh, "%s", it->mesh);
    if (!out->fit_dofs) out->fit_dofs = it->fem_dofs;
  }
}

int mnn_measure_write_material(const mnn_measure_job *job, const char *path, mnn_error *err) {
  mnn_material mat;
  measure_material(job, &mat);
  return mnn_material_write(&mat, path, err);
}
