/* One forward + adjoint evaluation with its numbers gathered into a results
 * record, in two halves so that the caller owns the loss: the forward half (loads,
 * solve, disc-averaged outputs), then the adjoint half for the caller's dL/dy
 * (adjoint load, solve, per-bond and per-node sensitivities). mnn_fem_run joins
 * them with the caller's loss function (`mnn fem`'s is mnn_fem_targets_loss) and
 * (optionally) the response matrix. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "fem_internal.h"

/* The solver statistics so far (setup and assembly times, solver names). */
static void fill_stats(const mnn_fem *fem, mnn_fem_results *r) {
  r->order = fem->order;
  r->n_ranks = fem->size;
  r->n_dofs = fem->stats.n_dofs;
  r->n_cells = fem->stats.n_cells;
  snprintf(r->ksp_type, sizeof r->ksp_type, "%s", fem->stats.ksp_type);
  snprintf(r->pc_type, sizeof r->pc_type, "%s", fem->stats.pc_type);
  r->assembly_seconds = fem->stats.assembly_seconds;
  r->setup_seconds = fem->stats.setup_seconds;
}

mnn_fem_results *mnn_fem_run_forward(mnn_fem *fem, const mnn_fem_problem *p, Vec u, mnn_error *err) {
  const mnn_network *net = fem->net;
  int nb = net->n_bonds, nn = net->n_nodes;
  for (int k = 0; k < p->n_outputs; ++k)
    if (mnn_network_node_index(net, p->outputs[k].node_id) < 0) {
      mnn_fail(err, "output on node %d: the network has no such node", p->outputs[k].node_id);
      return NULL;
    }
  int n_in = p->response ? 2 * p->n_loads : 0;
  mnn_fem_results *r = mnn_fem_results_create(p->n_loads, p->n_outputs, nb, nn, n_in * p->n_outputs);
  double *avg = malloc(sizeof(double) * 3 * (size_t)nn);
  Vec rhs = NULL;
  mnn_fem_solve_info fwd = {0};
  int rc = !r || !avg;
  if (rc) mnn_fail(err, "out of memory");
  if (!rc) rc = mnn_fem_create_vector(fem, &rhs, err);
  mnn_fem_set_progress_label(fem, "forward solve");
  if (!rc)
    rc = mnn_fem_load_vector(fem, p->n_loads, p->loads, rhs, err) || mnn_fem_solve(fem, rhs, u, &fwd, err) ||
         mnn_fem_node_averages(fem, u, avg, err);
  if (!rc) {
    for (int k = 0; k < p->n_outputs; ++k) {
      int i = mnn_network_node_index(net, p->outputs[k].node_id);
      r->output_node[k] = p->outputs[k].node_id;
      r->output_component[k] = p->outputs[k].component;
      r->output_value[k] = avg[3 * i + p->outputs[k].component];
    }
    fill_stats(fem, r);
    r->youngs_modulus = net->youngs_modulus;
    r->poisson_ratio = net->poisson_ratio;
    r->forward_seconds = fwd.seconds;
    r->forward_iterations = fwd.iterations;
    for (int l = 0; l < p->n_loads; ++l) {
      r->load_node[l] = p->loads[l].node_id;
      memcpy(r->load_f + 3 * l, p->loads[l].f, 3 * sizeof(double));
    }
    for (int b = 0; b < nb; ++b) {
      r->bond_id[b] = net->bond_id[b];
      r->bond_volume[b] = fem->region_volume[b];
    }
    for (int i = 0; i < nn; ++i) {
      r->node_id[i] = net->node_id[i];
      r->node_volume[i] = fem->region_volume[nb + i];
      memcpy(r->node_u + 3 * i, avg + 3 * i, 3 * sizeof(double));
    }
  }
  rc = mnn_fem_destroy_vector(&rhs, rc, err);
  free(avg);
  if (rc) {
    mnn_fem_results_free(r);
    return NULL;
  }
  return r;
}

int mnn_fem_run_adjoint(mnn_fem *fem, const mnn_fem_problem *p, const double *dldy, Vec u, Vec adj,
                        mnn_fem_results *r, mnn_error *err) {
  int nb = fem->net->n_bonds, nn = fem->net->n_nodes;
  double *g = malloc(sizeof(double) * (size_t)fem->n_regions);
  Vec rhs = NULL;
  mnn_fem_solve_info adj_info = {0};
  int rc = !g;
  if (rc) mnn_fail(err, "out of memory");
  if (!rc) rc = mnn_fem_create_vector(fem, &rhs, err);
  mnn_fem_set_progress_label(fem, "adjoint solve");
  if (!rc)
    rc = mnn_fem_adjoint_load(fem, p->n_outputs, p->outputs, dldy, rhs, err) ||
         mnn_fem_solve(fem, rhs, adj, &adj_info, err) || mnn_fem_region_sensitivity(fem, u, adj, g, err);
  if (!rc) {
    fill_stats(fem, r);
    r->adjoint_seconds = adj_info.seconds;
    r->adjoint_iterations = adj_info.iterations;
    for (int b = 0; b < nb; ++b) r->bond_g[b] = g[b];
    for (int i = 0; i < nn; ++i) r->node_g[i] = g[nb + i];
  }
  rc = mnn_fem_destroy_vector(&rhs, rc, err);
  free(g);
  return rc ? -1 : 0;
}

void mnn_fem_targets_loss(const mnn_fem_problem *p, mnn_fem_results *r, double *dldy) {
  r->squared_error = p->targets != NULL;
  r->loss = 0;
  for (int k = 0; k < p->n_outputs; ++k) {
    double v = r->output_value[k];
    if (p->targets) {
      r->output_target[k] = p->targets[k];
      r->loss += (v - p->targets[k]) * (v - p->targets[k]);
      dldy[k] = 2 * (v - p->targets[k]);
    } else {
      r->loss += v;
      dldy[k] = 1;
    }
  }
}

/* The response matrix from the x and y forces of every loaded node to every
 * output into r. */
static int run_response(mnn_fem *fem, const mnn_fem_problem *p, mnn_fem_results *r, mnn_error *err) {
  int n_in = 2 * p->n_loads;
  mnn_fem_output *in = malloc(sizeof *in * (size_t)n_in);
  double *R = malloc(sizeof(double) * (size_t)n_in * (size_t)p->n_outputs);
  int rc = !in || !R;
  if (rc) mnn_fail(err, "out of memory");
  for (int l = 0; l < p->n_loads && !rc; ++l)
    for (int c = 0; c < 2; ++c) in[2 * l + c] = (mnn_fem_output){p->loads[l].node_id, c};
  if (!rc) rc = mnn_fem_response_matrix(fem, n_in, in, p->n_outputs, p->outputs, R, NULL, err);
  for (int k = 0; k < p->n_outputs && !rc; ++k)
    for (int j = 0; j < n_in; ++j) {
      int e = k * n_in + j;
      r->response_out_node[e] = p->outputs[k].node_id;
      r->response_out_component[e] = p->outputs[k].component;
      r->response_in_node[e] = in[j].node_id;
      r->response_in_component[e] = in[j].component;
      r->response_value[e] = R[e];
    }
  free(in);
  free(R);
  return rc ? -1 : 0;
}

mnn_fem_results *mnn_fem_run(mnn_fem *fem, const mnn_fem_problem *p, mnn_fem_loss *loss, Vec u, Vec adj,
                             mnn_error *err) {
  mnn_fem_results *r = mnn_fem_run_forward(fem, p, u, err);
  double *dldy = r ? calloc((size_t)p->n_outputs + 1, sizeof(double)) : NULL;
  int rc = !r || !dldy;
  if (r && !dldy) mnn_fail(err, "out of memory");
  if (!rc) {
    loss(p, r, dldy);
    rc = mnn_fem_run_adjoint(fem, p, dldy, u, adj, r, err);
  }
  if (!rc && p->response) rc = run_response(fem, p, r, err);
  if (!rc) fill_stats(fem, r);
  free(dldy);
  if (rc) {
    mnn_fem_results_free(r);
    return NULL;
  }
  return r;
}
