/* FEM stage of `mnn run`: the trained network's mesh under the final task's
 * validation sample, in the bar model and in the 3D FEM side by side. For each
 * output the two displacements; for each bond the two gradients of the task's own
 * loss with respect to ln k (bar: k_i e_adj,i e_i; FEM: the integral of
 * eps(u_adj):C:eps(u) over the bond); the FEM response matrix, and from it the
 * FEM's predictions for the whole test set without a solve per sample. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "calibration.h"
#include "cli_petsc.h"
#include "fem.h"
#include "fem_response.h"
#include "log.h"
#include "material_file.h"
#include "network_file.h"
#include "run_internal.h"
#include "stage_fem_record.h"
#include "stage_fem_task.h"
#include "stage_records.h"
#include "train_step.h"

/* The final task, its data and split (mnn_train_data_open, as the train stage
 * has them), and the sample the FEM validates: the first test sample, else the
 * first training sample. */
typedef struct {
  mnn_train_session ds; /* the task, its data set and split; no trainer */
  int sample;
} run_task;

static int run_task_open(const mnn_case *c, run_task *rt, mnn_error *err) {
  memset(rt, 0, sizeof *rt);
  int final = mnn_case_final_task(c);
  if (final < 0) return mnn_fail(err, "the case has no <train> step, so there is no task to validate");
  if (mnn_train_data_open(&rt->ds, &c->steps[final].task, err)) return -1;
  const mnn_split *sp = &rt->ds.split;
  rt->sample = sp->n_test > 0 ? sp->test[0] : sp->train[0];
  return 0;
}

int mnn_stage_fem(const mnn_run_ctx *ctx, mnn_error *err) {
  const mnn_case *c = ctx->c;
  run_task rt;
  if (run_task_open(c, &rt, err)) return mnn_error_prefix(err, "fem stage"), -1;
  const mnn_task *task = rt.ds.task;
  mnn_network *net = mnn_network_read(ctx->trained, err);
  mnn_trainer *tr = net ? mnn_trainer_create(net, task, rt.ds.data, err) : NULL;
  /* the FEM's network: the trained widths with the FEM's material (the case's
   * material record, else the network's own E and nu) */
  mnn_network *fnet = tr ? mnn_material_network(net, c->fem_material_file[0] ? &c->fem_material : NULL, err) : NULL;
  mnn_fem_record *fr = calloc(1, sizeof *fr);
  mnn_fem *fem = NULL;
  mnn_fem_results *res = NULL;
  Vec u = NULL, adj = NULL;
  int nb = net ? net->n_bonds : 0, nn = net ? net->n_nodes : 0, rc = -1;
  double *grad_k = malloc(sizeof(double) * (size_t)(nb + 1)), *R = NULL;
  if (!tr || !fnet || !fr || !grad_k) {
    if (fnet) mnn_fail(err, "out of memory");
    goto done;
  }
  if (mnn_fem_record_init(fr, nb, net->bond_id, nn, net->node_id, err)) goto done;
  int s = rt.sample, n_in = tr->n_in, n_out = tr->n_out;
  /* a task trained against the FEM (train fem-rounds): the model that was trained
   * is the corrected one, so that is what the FEM checks */
  int rounds = 0;
  double C[MNN_TASK_MAX_IO * MNN_TASK_MAX_IO];
  mnn_record *train_rec = mnn_record_read_typed(ctx->train_rec, &mnn_train_record_table, err);
  if (!train_rec) goto done;
  if (mnn_fem_correction_take(train_rec, n_in * n_out, &rounds, C, err)) {
    mnn_record_free(train_rec);
    mnn_error_prefix(err, "%s", ctx->train_rec);
    goto done;
  }
  if (rounds > 0) {
    mnn_trainer_set_correction(tr, C);
    fr->corrected_model = fr->has_corrected_model = 1;
  }
  mnn_record_free(train_rec);
  const mnn_dataset *data = rt.ds.data;
  const double *target = data->target ? data->target + (size_t)s * data->n_targets : NULL;
  int label = data->label ? data->label[s] : 0;

  /* the bar model */
  double f[MNN_TASK_MAX_IO], y_bar[MNN_TASK_MAX_IO], dldy[MNN_TASK_MAX_IO], loss_bar = 0;
  mnn_trainer_forces(tr, s, f);
  if (mnn_trainer_outputs(tr, 1, &s, y_bar, err) ||
      mnn_trainer_gradient_superposition(tr, 1, &s, &loss_bar, NULL, grad_k, err))
    goto done;

  /* the FEM */
  mnn_info("fem: order %d on %s, reading it", c->fem_order, ctx->mesh);
  if (mnn_run_petsc_ready(c->fem_direct, c->fem_options, err)) goto done;
  if (!(fem = mnn_fem_create(PETSC_COMM_WORLD, fnet, ctx->mesh, c->fem_order, err))) goto done;
  mnn_fem_stats st0;
  mnn_fem_get_stats(fem, &st0);
  mnn_info("fem: %ld DOFs, %ld cells, %d rank%s: assembling, then the forward, adjoint and response solves", st0.n_dofs,
           st0.n_cells, st0.n_ranks, st0.n_ranks == 1 ? "" : "s");
  if (mnn_fem_assemble(fem, err)) goto done;
  mnn_fem_load loads[MNN_TASK_MAX_IO];
  mnn_fem_output ins[MNN_TASK_MAX_IO], outs[MNN_TASK_MAX_IO];
  mnn_fem_task_points(task, ins, outs);
  for (int i = 0; i < n_in; ++i) {
    loads[i] = (mnn_fem_load){ins[i].node_id, {0, 0, 0}};
    loads[i].f[ins[i].component] = f[i];
  }
  /* forward and adjoint as `mnn fem` runs them, with the task's own loss */
  mnn_fem_problem p = {.n_loads = n_in, .loads = loads, .n_outputs = n_out, .outputs = outs};
  if (mnn_fem_create_vector(fem, &u, err) || mnn_fem_create_vector(fem, &adj, err) ||
      !(res = mnn_fem_run_forward(fem, &p, u, err)))
    goto done;
  const double *y_fem = res->output_value, *avg = res->node_u;
  double loss_fem = mnn_loss_sample(&tr->loss, y_fem, target, label, dldy);
  if (mnn_fem_run_adjoint(fem, &p, dldy, u, adj, res, err)) goto done;
  R = malloc(sizeof(double) * (size_t)(n_in * n_out + 1));
  int response_solves = 0;
  if (!R) {
    mnn_fail(err, "out of memory");
    goto done;
  }
  /* the response matrix: with one input the forward solve is already its column
   * (linearity: R = y / f), otherwise min(inputs, outputs) solves */
  if (n_in == 1 && f[0] != 0) {
    for (int o = 0; o < n_out; ++o) R[o] = y_fem[o] / f[0];
  } else if (mnn_fem_response_matrix(fem, n_in, ins, n_out, outs, R, &response_solves, err))
    goto done;
  if (mnn_fem_write_vtu(fem, ctx->vtu, u, adj, err)) goto done;

  /* the record */
  mnn_fem_stats st;
  mnn_fem_get_stats(fem, &st);
  fr->sample = s + 1;
  fr->dofs = st.n_dofs, fr->cells = st.n_cells, fr->ranks = st.n_ranks, fr->order = st.order;
  snprintf(fr->solver, sizeof fr->solver, "%s+%s", st.ksp_type, st.pc_type);
  fr->assembly_seconds = st.assembly_seconds, fr->setup_seconds = st.setup_seconds;
  fr->forward_seconds = res->forward_seconds, fr->adjoint_seconds = res->adjoint_seconds;
  fr->forward_iterations = res->forward_iterations, fr->adjoint_iterations = res->adjoint_iterations;
  fr->response_solves = response_solves;
  fr->youngs_modulus = fnet->youngs_modulus, fr->poisson_ratio = fnet->poisson_ratio;
  fr->bar_loss = loss_bar, fr->fem_loss = loss_fem;
  fr->n_outputs = n_out, fr->n_inputs = n_in;
  for (int o = 0; o < n_out; ++o) {
    fr->output_node[o] = outs[o].node_id, fr->output_component[o] = outs[o].component;
    fr->output_bar[o] = y_bar[o], fr->output_fem[o] = y_fem[o];
  }
  /* the FEM's response matrix (outputs x inputs, m/N, row-major) */
  memcpy(fr->response, R, sizeof(double) * (size_t)(n_out * n_in));
  for (int b = 0; b < nb; ++b) {
    fr->gradient_bar[b] = mnn_bond_stiffness(net, b) * grad_k[b];
    fr->gradient_fem[b] = res->bond_g[b];
  }
  /* calibration on this network's own response: the FEM's R against the bar model's
   * G (both outputs x inputs) fit R ~ s G in the least-squares sense; the bar model
   * with stiffness factor 1/s predicts y_bar * s. No extra solve. */
  double G[MNN_TASK_MAX_IO * MNN_TASK_MAX_IO];
  if (mnn_trainer_response(tr, G, err)) goto done;
  double scale = mnn_response_scale(n_out * n_in, G, R);
  if (scale > 0) {
    /* with length classes there is no one factor of the network: the fit then
     * multiplies every class's factor by 1/scale, which the record says */
    if (net->calibration.n_classes == 0) {
      fr->calibration_stiffness_factor = net->calibration.factor / scale;
      fr->has_stiffness_factor = 1;
    } else {
      fr->calibration_factor_multiplier = 1 / scale;
      fr->has_factor_multiplier = 1;
    }
    for (int o = 0; o < n_out; ++o) fr->output_bar_calibrated[o] = y_bar[o] * scale;
    fr->has_calibrated = 1;
  }
  double node_share = 0, total = 0;
  for (int b = 0; b < nb; ++b) total += fabs(res->bond_g[b]);
  for (int i = 0; i < nn; ++i) {
    total += fabs(res->node_g[i]);
    fr->gradient_fem_node[i] = res->node_g[i];
    node_share += fabs(res->node_g[i]);
  }
  fr->node_sensitivity_share = total > 0 ? node_share / total : 0;
  if (mnn_fem_task_record(tr, &rt.ds.split, s, R, y_bar, y_fem, avg, fr, err)) goto done;
  /* every rank computed the same record; rank 0 writes it */
  PetscMPIInt rank = 0;
  MPI_Comm_rank(PETSC_COMM_WORLD, &rank);
  rc = rank == 0 ? mnn_fem_record_write(fr, ctx->fem_rec, err) : 0;
  mnn_info("fem: %ld DOFs, forward %d and adjoint %d iterations (%s), %d response solves", st.n_dofs,
           res->forward_iterations, res->adjoint_iterations, fr->solver, response_solves);
done:
  if (rc) mnn_error_prefix(err, "fem stage");
  if (u) VecDestroy(&u);
  if (adj) VecDestroy(&adj);
  mnn_fem_destroy(fem);
  mnn_fem_results_free(res);
  free(R);
  free(grad_k);
  if (fr) mnn_fem_record_clear(fr);
  free(fr);
  mnn_trainer_free(tr);
  mnn_network_free(fnet);
  mnn_network_free(net);
  mnn_train_session_close(&rt.ds);
  return rc;
}
