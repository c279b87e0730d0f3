/* Superposition: the FEM response matrix of unit forces on input discs to
 * disc-averaged outputs, from min(inputs, outputs) solves with the one operator
 * (K is symmetric, so a unit "adjoint" load on an output gives a whole row). */
#include <stdio.h>
#include <stdlib.h>
#include "fem_internal.h"

int mnn_fem_response_matrix(mnn_fem *fem, int n_in, const mnn_fem_output *in, int n_out, const mnn_fem_output *out,
                            double *R, int *solves, mnn_error *err) {
  int by_inputs = n_in <= n_out, n_solve = by_inputs ? n_in : n_out;
  const mnn_fem_output *src = by_inputs ? in : out, *dst = by_inputs ? out : in;
  int n_dst = by_inputs ? n_out : n_in;
  double *avg = malloc(sizeof(double) * 3 * (size_t)fem->net->n_nodes);
  Vec rhs = NULL, x = NULL;
  int rc = !avg;
  if (rc) mnn_fail(err, "out of memory");
  if (!rc) rc = mnn_fem_create_vector(fem, &rhs, err) || mnn_fem_create_vector(fem, &x, err);
  for (int s = 0; s < n_solve && !rc; ++s) {
    mnn_fem_load unit = {src[s].node_id, {0, 0, 0}};
    if (src[s].component < 0 || src[s].component > 2) {
      rc = mnn_fail(err, "node %d: component %d is not 0 (x), 1 (y) or 2 (z)", src[s].node_id, src[s].component);
      break;
    }
    unit.f[src[s].component] = 1.0;
    char label[48];
    snprintf(label, sizeof label, "response solve %d of %d", s + 1, n_solve);
    mnn_fem_set_progress_label(fem, label);
    rc = mnn_fem_load_vector(fem, 1, &unit, rhs, err) || mnn_fem_solve(fem, rhs, x, NULL, err) ||
         mnn_fem_node_averages(fem, x, avg, err);
    for (int t = 0; t < n_dst && !rc; ++t) {
      int i = mnn_network_node_index(fem->net, dst[t].node_id);
      if (i < 0 || dst[t].component < 0 || dst[t].component > 2) {
        rc = mnn_fail(err, "response: node %d component %d is not in the network", dst[t].node_id, dst[t].component);
        break;
      }
      double v = avg[3 * i + dst[t].component];
      if (by_inputs) R[(size_t)t * n_in + s] = v;
      else R[(size_t)s * n_in + t] = v;
    }
  }
  if (solves) *solves = n_solve;
  rc = mnn_fem_destroy_vector(&rhs, rc, err);
  rc = mnn_fem_destroy_vector(&x, rc, err);
  free(avg);
  return rc ? -1 : 0;
}
