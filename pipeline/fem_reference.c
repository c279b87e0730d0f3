/* The FEM's response matrix for a training task from a results file
 * (fem_reference.h). */
#include "fem_reference.h"

#include <string.h>

static const char comp_name[3] = {'x', 'y', 'z'};

int mnn_fem_reference_response(const mnn_fem_results *res, const mnn_trainer *tr, double *R, mnn_error *err) {
  const mnn_network *net = tr->net;
  const mnn_task *task = tr->task;
  int same = res->n_bonds == net->n_bonds;
  for (int b = 0; same && b < net->n_bonds; ++b) same = res->bond_id[b] == net->bond_id[b];
  if (!same)
    return mnn_fail(err, "the FEM results are of another network (%d bonds, the network has %d, or other ids): run "
                         "mnn fem on this network's mesh",
                    res->n_bonds, net->n_bonds);
  for (int o = 0; o < task->n_outputs; ++o)
    for (int i = 0; i < task->n_inputs; ++i) {
      const mnn_task_output *out = &task->outputs[o];
      const mnn_task_input *in = &task->inputs[i];
      int found = -1;
      for (int e = 0; e < res->n_response; ++e)
        if (res->response_out_node[e] == out->node_id && res->response_out_component[e] == out->component &&
            res->response_in_node[e] == in->node_id && res->response_in_component[e] == in->component) {
          if (found >= 0)
            return mnn_fail(err, "the FEM results give the response of output %d:%c to a force %d:%c twice: a "
                                 "results file has one <response> per pair; write it anew with mnn fem --response",
                            out->node_id, comp_name[out->component], in->node_id, comp_name[in->component]);
          found = e;
        }
      if (found < 0)
        return mnn_fail(err, "the FEM results have no response of output %d:%c to a force %d:%c: run mnn fem with "
                             "--load %d:... --output-node %d:%c --response",
                        out->node_id, comp_name[out->component], in->node_id, comp_name[in->component], in->node_id,
                        out->node_id, comp_name[out->component]);
      R[o * task->n_inputs + i] = res->response_value[found];
    }
  return 0;
}
