/* The FEM's response matrix of a network on its mesh (fem_response.h). */
#include "fem_response.h"

#include "cli_petsc.h"
#include "run_internal.h"

int mnn_fem_network_response(const mnn_network *net, const mnn_material *material, const char *mesh, int order,
                             int n_in, const mnn_fem_output *in, int n_out, const mnn_fem_output *out, double *R,
                             mnn_fem_stats *stats, int *solves, mnn_error *err) {
  mnn_network *fnet = mnn_material_network(net, material, err);
  mnn_fem *fem = fnet ? mnn_fem_create(PETSC_COMM_WORLD, fnet, mesh, order, err) : NULL;
  int n_solves = 0, rc = !fem || mnn_fem_assemble(fem, err) ||
                         mnn_fem_response_matrix(fem, n_in, in, n_out, out, R, &n_solves, err);
  if (!rc && stats) mnn_fem_get_stats(fem, stats);
  if (solves) *solves = n_solves;
  mnn_fem_destroy(fem);
  mnn_network_free(fnet);
  return rc ? -1 : 0;
}

void mnn_fem_task_points(const mnn_task *task, mnn_fem_output *in, mnn_fem_output *out) {
  for (int i = 0; i < task->n_inputs; ++i) in[i] = (mnn_fem_output){task->inputs[i].node_id, task->inputs[i].component};
  for (int o = 0; o < task->n_outputs; ++o)
    out[o] = (mnn_fem_output){task->outputs[o].node_id, task->outputs[o].component};
}

int mnn_fem_task_response(const mnn_case *c, const mnn_network *net, const char *mesh, const mnn_task *task,
                          double *R, mnn_error *err) {
  mnn_fem_output ins[MNN_TASK_MAX_IO], outs[MNN_TASK_MAX_IO];
  mnn_fem_task_points(task, ins, outs);
  if (mnn_run_petsc_ready(c->fem_direct, c->fem_options, err)) return -1;
  return mnn_fem_network_response(net, c->fem_material_file[0] ? &c->fem_material : NULL, mesh, c->fem_order,
                                  task->n_inputs, ins, task->n_outputs, outs, R, NULL, NULL, err);
}
