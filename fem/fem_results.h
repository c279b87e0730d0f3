/* The FEM results file (XML, schemas/fem-results.xsd, docs/fem.md): what
 * `mnn fem` computed, for the report stage. Writing and reading need no PETSc. */
#ifndef MNN_FEM_RESULTS_H
#define MNN_FEM_RESULTS_H

#include "error.h"

typedef struct mnn_fem_results {
  int order, n_ranks;
  long n_dofs, n_cells;
  double youngs_modulus, poisson_ratio;
  /* loss: "sum" (L = sum of outputs) or "squared-error" (L = sum (u - target)^2) */
  double loss;
  int squared_error;
  char ksp_type[32], pc_type[32];
  double assembly_seconds, setup_seconds, forward_seconds, adjoint_seconds;
  int forward_iterations, adjoint_iterations;

  int n_loads;
  int *load_node;          /* node ids */
  double *load_f;          /* n_loads x 3, N */
  int n_outputs;
  int *output_node, *output_component; /* component 0 = x, 1 = y, 2 = z */
  double *output_value, *output_target; /* m; target NAN when none */
  int n_bonds;
  int *bond_id;
  double *bond_volume, *bond_g;         /* m^3; g = dL/d ln E of the bond */
  int n_nodes;
  int *node_id;
  double *node_volume, *node_g, *node_u; /* node_u: n_nodes x 3 disc averages, m */
  int n_response;                        /* entries of the response matrix, m/N */
  int *response_out_node, *response_out_component, *response_in_node, *response_in_component;
  double *response_value;
} mnn_fem_results;

/* Allocates every array for the given counts (zeroed). NULL when out of memory. */
mnn_fem_results *mnn_fem_results_create(int n_loads, int n_outputs, int n_bonds, int n_nodes, int n_response);
void mnn_fem_results_free(mnn_fem_results *res);

int mnn_fem_results_write(const mnn_fem_results *res, const char *path, mnn_error *err);
/* Reads and validates a results file; NULL with "path:line: ..." on error. */
mnn_fem_results *mnn_fem_results_read(const char *path, mnn_error *err);

extern const char mnn_fem_results_xsd[];

#endif
