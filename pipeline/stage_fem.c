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

/* What the FEM stage holds between its steps (stage_close frees it). */
typedef struct {
  mnn_train_session ds;   /* the final task, its data set and split (mnn_train_data_open); no trainer */
  int sample;             /* the validated sample: the first test sample, else the first training sample */
  mnn_network *net;       /* the trained network */
  mnn_trainer *tr;        /* the bar model of the task, corrected when it was trained against the FEM */
  mnn_network *fnet;      /* the FEM's network: the trained widths with the FEM's material */
  mnn_fem_record *fr;
  /* the bar model on the sample */
  double f[MNN_TASK_MAX_IO], y_bar[MNN_TASK_MAX_IO], loss_bar;
  double *grad_k;         /* dL/dk per bond */
  /* the FEM on the sample */
  mnn_fem_output ins[MNN_TASK_MAX_IO], outs[MNN_TASK_MAX_IO];
  mnn_fem *fem;
  mnn_fem_results *res;
  Vec u, adj;
  double loss_fem, *R; /* R: the FEM's response matrix, outputs x inputs */
  int response_solves;
} fem_stage;

/* Opens the final task, the trained network, its trainer, the FEM's network (the
 * case's material record, else the network's own E and nu) and the record. On
 * failure err says why; st must be closed either way. */
static int stage_open(const mnn_run_ctx *ctx, fem_stage *st, mnn_error *err) {
  const mnn_case *c = ctx->c;
  memset(st, 0, sizeof *st);
  int final = mnn_case_final_task(c);
  if (final < 0) return mnn_fail(err, "the case has no <train> step, so there is no task to validate");
  if (mnn_train_data_open(&st->ds, &c->steps[final].task, err)) return -1;
  const mnn_split *sp = &st->ds.split;
  st->sample = sp->n_test > 0 ? sp->test[0] : sp->train[0];
  if (!(st->net = mnn_network_read(ctx->trained, err)) ||
      !(st->tr = mnn_trainer_create(st->net, st->ds.task, st->ds.data, err)) ||
      !(st->fnet = mnn_material_network(st->net, c->fem_material_file[0] ? &c->fem_material : NULL, err)))
    return -1;
  st->fr = calloc(1, sizeof *st->fr);
  st->grad_k = malloc(sizeof(double) * (size_t)(st->net->n_bonds + 1));
  if (!st->fr || !st->grad_k) return mnn_fail(err, "out of memory");
  return mnn_fem_record_init(st->fr, st->net->n_bonds, st->net->bond_id, st->net->n_nodes, st->net->node_id, err);
}

/* A task trained against the FEM (train fem-rounds): the model that was trained is
 * the corrected one, so that is what the FEM checks; the train record's last
 * correction goes into the trainer and the record says so. */
static int apply_correction(const mnn_run_ctx *ctx, fem_stage *st, mnn_error *err) {
  int rounds = 0;
  double C[MNN_TASK_MAX_IO * MNN_TASK_MAX_IO];
  mnn_record *train_rec = mnn_record_read_typed(ctx->train_rec, &mnn_train_record_table, err);
  if (!train_rec) return -1;
  int rc = mnn_fem_correction_take(train_rec, st->tr->n_in * st->tr->n_out, &rounds, C, err);
  mnn_record_free(train_rec);
  if (rc) return mnn_error_prefix(err, "%s", ctx->train_rec), -1;
  if (rounds > 0) {
    mnn_trainer_set_correction(st->tr, C);
    st->fr->corrected_model = st->fr->has_corrected_model = 1;
  }
  return 0;
}

/* The bar model on the sample: its loads, outputs, loss and dL/dk per bond. */
static int bar_side(fem_stage *st, mnn_error *err) {
  mnn_trainer_forces(st->tr, st->sample, st->f);
  if (mnn_trainer_outputs(st->tr, 1, &st->sample, st->y_bar, err) ||
      mnn_trainer_gradient_superposition(st->tr, 1, &st->sample, &st->loss_bar, NULL, st->grad_k, err))
    return -1;
  return 0;
}

/* The FEM on the sample, as `mnn fem` runs it: the mesh, assembly, the forward
 * solve under the bar model's loads, the task's own loss and its adjoint solve,
 * the response matrix and the VTU file. */
static int fem_side(const mnn_run_ctx *ctx, fem_stage *st, mnn_error *err) {
  const mnn_case *c = ctx->c;
  const mnn_dataset *data = st->ds.data;
  int s = st->sample, n_in = st->tr->n_in, n_out = st->tr->n_out;
  mnn_info("fem: order %d on %s, reading it", c->fem_order, ctx->mesh);
  if (mnn_run_petsc_ready(c->fem_direct, c->fem_options, err) ||
      !(st->fem = mnn_fem_create(PETSC_COMM_WORLD, st->fnet, ctx->mesh, c->fem_order, err)))
    return -1;
  mnn_fem_stats st0;
  mnn_fem_get_stats(st->fem, &st0);
  mnn_info("fem: %ld DOFs, %ld cells, %d rank%s: assembling, then the forward, adjoint and response solves", st0.n_dofs,
           st0.n_cells, st0.n_ranks, st0.n_ranks == 1 ? "" : "s");
  if (mnn_fem_assemble(st->fem, err)) return -1;
  mnn_fem_load loads[MNN_TASK_MAX_IO];
  mnn_fem_task_points(st->ds.task, st->ins, st->outs);
  for (int i = 0; i < n_in; ++i) {
    loads[i] = (mnn_fem_load){st->ins[i].node_id, {0, 0, 0}};
    loads[i].f[st->ins[i].component] = st->f[i];
  }
  mnn_fem_problem p = {.n_loads = n_in, .loads = loads, .n_outputs = n_out, .outputs = st->outs};
  if (mnn_fem_create_vector(st->fem, &st->u, err) || mnn_fem_create_vector(st->fem, &st->adj, err) ||
      !(st->res = mnn_fem_run_forward(st->fem, &p, st->u, err)))
    return -1;
  const double *y_fem = st->res->output_value, *target = data->target ? data->target + (size_t)s * data->n_targets : NULL;
  double dldy[MNN_TASK_MAX_IO];
  st->loss_fem = mnn_loss_sample(&st->tr->loss, y_fem, target, data->label ? data->label[s] : 0, dldy);
  if (mnn_fem_run_adjoint(st->fem, &p, dldy, st->u, st->adj, st->res, err)) return -1;
  if (!(st->R = malloc(sizeof(double) * (size_t)(n_in * n_out + 1)))) return mnn_fail(err, "out of memory");
  /* the response matrix: with one input the forward solve is already its column
   * (linearity: R = y / f), otherwise min(inputs, outputs) solves */
  if (n_in == 1 && st->f[0] != 0) {
    for (int o = 0; o < n_out; ++o) st->R[o] = y_fem[o] / st->f[0];
  } else if (mnn_fem_response_matrix(st->fem, n_in, st->ins, n_out, st->outs, st->R, &st->response_solves, err))
    return -1;
  return mnn_fem_write_vtu(st->fem, ctx->vtu, st->u, st->adj, err);
}

/* Calibration on this network's own response: the FEM's R against the bar model's
 * G (both outputs x inputs) fit R ~ s G in the least-squares sense; the bar model
 * with stiffness factor 1/s predicts y_bar * s. No extra solve. */
static int fill_calibration(fem_stage *st, mnn_error *err) {
  const mnn_network *net = st->net;
  mnn_fem_record *fr = st->fr;
  int n_in = st->tr->n_in, n_out = st->tr->n_out;
  double G[MNN_TASK_MAX_IO * MNN_TASK_MAX_IO];
  if (mnn_trainer_response(st->tr, G, err)) return -1;
  double scale = mnn_response_scale(n_out * n_in, G, st->R);
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
    for (int o = 0; o < n_out; ++o) fr->output_bar_calibrated[o] = st->y_bar[o] * scale;
    fr->has_calibrated = 1;
  }
  return 0;
}

/* The record from the two sides: the FEM's size, solver and times, the outputs,
 * the response matrix, the bond gradients of both models and the nodes' share of
 * the FEM's sensitivity, the calibration, and the task in both models. */
static int fill_record(fem_stage *st, mnn_error *err) {
  const mnn_network *net = st->net;
  const mnn_fem_results *res = st->res;
  mnn_fem_record *fr = st->fr;
  int n_in = st->tr->n_in, n_out = st->tr->n_out, nb = net->n_bonds, nn = net->n_nodes;
  mnn_fem_stats fs;
  mnn_fem_get_stats(st->fem, &fs);
  fr->sample = st->sample + 1;
  fr->dofs = fs.n_dofs, fr->cells = fs.n_cells, fr->ranks = fs.n_ranks, fr->order = fs.order;
  snprintf(fr->solver, sizeof fr->solver, "%s+%s", fs.ksp_type, fs.pc_type);
  fr->assembly_seconds = fs.assembly_seconds, fr->setup_seconds = fs.setup_seconds;
  fr->forward_seconds = res->forward_seconds, fr->adjoint_seconds = res->adjoint_seconds;
  fr->forward_iterations = res->forward_iterations, fr->adjoint_iterations = res->adjoint_iterations;
  fr->response_solves = st->response_solves;
  fr->youngs_modulus = st->fnet->youngs_modulus, fr->poisson_ratio = st->fnet->poisson_ratio;
  fr->bar_loss = st->loss_bar, fr->fem_loss = st->loss_fem;
  fr->n_outputs = n_out, fr->n_inputs = n_in;
  for (int o = 0; o < n_out; ++o) {
    fr->output_node[o] = st->outs[o].node_id, fr->output_component[o] = st->outs[o].component;
    fr->output_bar[o] = st->y_bar[o], fr->output_fem[o] = res->output_value[o];
  }
  /* the FEM's response matrix (outputs x inputs, m/N, row-major) */
  memcpy(fr->response, st->R, sizeof(double) * (size_t)(n_out * n_in));
  for (int b = 0; b < nb; ++b) {
    fr->gradient_bar[b] = mnn_bond_stiffness(net, b) * st->grad_k[b];
    fr->gradient_fem[b] = res->bond_g[b];
  }
  if (fill_calibration(st, err)) return -1;
  double node_share = 0, total = 0;
  for (int b = 0; b < nb; ++b) total += fabs(res->bond_g[b]);
  for (int i = 0; i < nn; ++i) {
    total += fabs(res->node_g[i]);
    fr->gradient_fem_node[i] = res->node_g[i];
    node_share += fabs(res->node_g[i]);
  }
  fr->node_sensitivity_share = total > 0 ? node_share / total : 0;
  return mnn_fem_task_record(st->tr, &st->ds.split, st->sample, st->R, st->y_bar, res->output_value, res->node_u, fr,
                             err);
}

/* Every rank computed the same record; rank 0 writes it. */
static int write_record(const mnn_run_ctx *ctx, const fem_stage *st, mnn_error *err) {
  PetscMPIInt rank = 0;
  if (MPI_Comm_rank(PETSC_COMM_WORLD, &rank) != MPI_SUCCESS) return mnn_fail(err, "MPI could not tell this rank");
  if (rank == 0 && mnn_fem_record_write(st->fr, ctx->fem_rec, err)) return -1;
  mnn_info("fem: %ld DOFs, forward %d and adjoint %d iterations (%s), %d response solves", st->fr->dofs,
           st->res->forward_iterations, st->res->adjoint_iterations, st->fr->solver, st->response_solves);
  return 0;
}

/* Frees what stage_open and the steps made; st may be partly filled. */
static void stage_close(fem_stage *st) {
  if (st->u) VecDestroy(&st->u);
  if (st->adj) VecDestroy(&st->adj);
  mnn_fem_destroy(st->fem);
  mnn_fem_results_free(st->res);
  free(st->R);
  free(st->grad_k);
  if (st->fr) mnn_fem_record_clear(st->fr);
  free(st->fr);
  mnn_trainer_free(st->tr);
  mnn_network_free(st->fnet);
  mnn_network_free(st->net);
  mnn_train_session_close(&st->ds);
}

int mnn_stage_fem(const mnn_run_ctx *ctx, mnn_error *err) {
  fem_stage st;
  int rc = stage_open(ctx, &st, err) || apply_correction(ctx, &st, err) || bar_side(&st, err) ||
           fem_side(ctx, &st, err) || fill_record(&st, err) || write_record(ctx, &st, err);
  if (rc) mnn_error_prefix(err, "fem stage");
  stage_close(&st);
  return rc ? -1 : 0;
}
