/* Training stage of `mnn run`: the case's steps in order (train, prune, pruning
 * sweep, gradient study) on the start network; writes the start and trained
 * networks, a history CSV per training step and a record of the results. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "atomic_file.h"
#include "fem_response.h"
#include "log.h"
#include "training.h"
#include "meshing.h"
#include "network_file.h"
#include "run_internal.h"
#include "stage_records.h"
#include "study_outputs.h"
#include "train_step.h"

/* Multi-fidelity rounds after a training step: mesh the network as it is, take the
 * FEM's response of the task, correct the bar model to it and train again. The
 * record keeps, per round, how far the model was from the FEM before the
 * correction, and the last correction for the FEM stage. */
static int fem_rounds(const mnn_run_ctx *ctx, const mnn_case_step *st, mnn_network *net, mnn_train_session *s,
                      mnn_train_record *rec, mnn_error *err) {
  int epochs = st->fem_round_epochs >= 0 ? st->fem_round_epochs : st->task.epochs;
  mnn_trainer *tr = s->tr;
  double R[MNN_TASK_MAX_IO * MNN_TASK_MAX_IO];
  for (int r = 1; r <= st->fem_rounds; ++r) {
    char mesh[MNN_RUN_PATH], name[64], history[MNN_RUN_PATH];
    snprintf(name, sizeof name, "fem-round-%d.msh", r);
    mnn_run_path(ctx, name, mesh);
    snprintf(name, sizeof name, "history-fem-round-%d.csv", r);
    mnn_run_path(ctx, name, history);
    mnn_info("train: FEM round %d of %d: meshing, FEM response of %d outputs x %d inputs, %d epochs", r,
             st->fem_rounds, tr->n_out, tr->n_in, epochs);
    mnn_mesh_stats ms;
    int rc = mnn_mesh_write(net, &ctx->c->mesh, mesh, &ms, err) || mnn_fem_task_response(ctx->c, net, mesh, &st->task, R, err);
    remove(mesh); /* an intermediate: the mesh stage meshes the final network */
    if (rc) return -1;
    const char *model = tr->corrected ? "corrected" : "bar";
    double diff;
    if (mnn_train_session_correct(s, R, &diff, err)) return -1;
    mnn_info("train: FEM round %d: the %s model's response is %.2f%% from the FEM's; correcting and retraining", r,
             model, 100 * diff);
    if (mnn_train_session_history(s, history, err) || mnn_train_session_run(s, epochs, err)) return -1;
    rec->round[r - 1] = (mnn_train_round){diff, s->result.train.loss};
    mnn_info("train: FEM round %d: loss %.4g -> %.4g", r, s->result.train0.loss, s->result.train.loss);
  }
  rec->fem_rounds = st->fem_rounds, rec->has_fem_rounds = 1;
  rec->n_correction = tr->n_in * tr->n_out, rec->has_correction = 1;
  memcpy(rec->correction, tr->C, sizeof(double) * (size_t)rec->n_correction);
  return 0;
}

/* One <train> step: the shared training step (train_step.h), the FEM rounds, then
 * the record, the confusion matrix and the linear-classifier baseline. */
static int train_step(const mnn_run_ctx *ctx, mnn_network *net, const mnn_case_step *st, const char *history_path,
                      mnn_train_record *rec, mnn_error *err) {
  int phase = rec->phases + 1;
  const mnn_task *task = &st->task;
  mnn_train_session s;
  if (mnn_train_session_open(&s, net, task, 0, err)) return -1;
  int rc = -1;
  if (mnn_train_session_history(&s, history_path, err)) goto done;
  mnn_info("train: step %d, task %s: %d inputs, %d outputs, loss %s, %d training and %d test samples, %d epochs",
           phase, task->name, task->n_inputs, task->n_outputs, mnn_loss_name(task->loss), s.split.n_train,
           s.split.n_test, task->epochs);
  if (mnn_train_session_run(&s, task->epochs, err)) goto done;
  mnn_train_result res = s.result;
  if (st->fem_rounds > 0) {
    if (fem_rounds(ctx, st, net, &s, rec, err)) goto done;
    /* the metrics after the rounds, against the start */
    if (mnn_trainer_evaluate(s.tr, s.split.n_train, s.split.train, &res.train, NULL, err) ||
        mnn_trainer_evaluate(s.tr, s.split.n_test, s.split.test, &res.test, NULL, err))
      goto done;
  }
  rec->phases = phase, rec->has_summary = 1;
  snprintf(rec->phase[phase - 1], sizeof rec->phase[0], "%s", task->name);
  snprintf(rec->task, sizeof rec->task, "%s", task->name);
  snprintf(rec->loss_name, sizeof rec->loss_name, "%s", mnn_loss_name(task->loss));
  rec->epochs = task->epochs;
  rec->initial_loss = res.train0.loss, rec->final_loss = res.train.loss, rec->seconds = res.seconds;
  rec->updates = res.updates, rec->solves = res.solves;
  int classify = mnn_loss_is_classification(task->loss);
  const mnn_eval *evs[4] = {[MNN_TRAIN_INITIAL_TRAIN] = &res.train0, [MNN_TRAIN_INITIAL_TEST] = &res.test0,
                            [MNN_TRAIN_FINAL_TRAIN] = &res.train, [MNN_TRAIN_FINAL_TEST] = &res.test};
  for (int i = 0; i < 4; ++i) {
    if (evs[i]->n == 0) continue;
    if (classify) rec->accuracy[i] = evs[i]->accuracy, rec->has_accuracy[i] = 1;
    else rec->mse[i] = evs[i]->mse, rec->has_mse[i] = 1;
  }
  mnn_info("train: loss %.4g -> %.4g in %.2f s", res.train0.loss, res.train.loss, res.seconds);
  if (classify && s.data->n_samples > 1) {
    char path[MNN_RUN_PATH];
    mnn_run_path(ctx, "confusion.csv", path);
    if (mnn_confusion_outputs(s.tr, &s.split, path, 0, err)) goto done;
    /* the linear classifier on the same data, split and scaling: the network's ceiling */
    mnn_logreg_baseline b;
    if (mnn_logreg_baseline_fit(s.data, &s.split, 0, &b, NULL, err)) goto done;
    rec->baseline_c = b.c, rec->baseline_train_accuracy = b.train_accuracy, rec->has_baseline = 1;
    if (s.split.n_test > 0) rec->baseline_test_accuracy = b.test_accuracy, rec->has_baseline_test = 1;
    mnn_info("train: linear classifier (logistic regression, C = %g by cross-validation): train %.4f, test %.4f; "
             "the network reaches %.3f of its test accuracy", b.c, b.train_accuracy, b.test_accuracy,
             res.test.accuracy / b.test_accuracy);
  }
  rc = 0;
done:
  mnn_train_session_close(&s);
  return rc;
}

/* The sweep step's closing line (arg: the CSV's path). */
static void print_sweep(const mnn_prune_sweep_view *v, void *arg) {
  mnn_info("prune-sweep: unpruned %s %.4g; table in %s", mnn_loss_is_classification(v->task->loss) ? "accuracy" : "mse",
           v->base, (const char *)arg);
}

int mnn_stage_train(const mnn_run_ctx *ctx, mnn_error *err) {
  const mnn_case *c = ctx->c;
  mnn_network *net = mnn_network_copy(c->network);
  mnn_train_record *rec = malloc(sizeof *rec);
  int rc = -1, final = mnn_case_final_task(c);
  if (!net || !rec) {
    mnn_fail(err, "out of memory");
    goto done;
  }
  mnn_train_record_init(rec);
  if (mnn_network_write(net, ctx->network, err)) goto done;
  for (int i = 0; i < c->n_steps; ++i) {
    const mnn_case_step *st = &c->steps[i];
    if (st->kind == MNN_STEP_TRAIN) {
      char history[MNN_RUN_PATH], name[64];
      snprintf(name, sizeof name, "history-%d.csv", rec->phases + 1);
      if (i == final) snprintf(history, sizeof history, "%s", ctx->history);
      else mnn_run_path(ctx, name, history);
      if (train_step(ctx, net, st, history, rec, err)) goto done;
    } else if (st->kind == MNN_STEP_PRUNE) {
      if (mnn_prune_bonds(net, st->n_prune, st->prune_ids, err)) goto done;
      mnn_info("prune: removed %d bond(s); %d left", st->n_prune, net->n_bonds);
      rec->pruned_bonds = st->n_prune, rec->has_pruned_bonds = 1;
    } else if (st->kind == MNN_STEP_PRUNE_SWEEP) {
      const mnn_task *task = NULL;
      for (int j = i - 1; j >= 0 && !task; --j)
        if (c->steps[j].kind == MNN_STEP_TRAIN) task = &c->steps[j].task;
      char path[MNN_RUN_PATH];
      mnn_run_path(ctx, "prune_sweep.csv", path);
      mnn_info("prune-sweep: removing each of %d bonds in turn", net->n_bonds);
      if (mnn_prune_sweep_outputs(net, task, &st->sweep, print_sweep, path, path, err)) goto done;
    } else {
      mnn_gradient_study r;
      if (mnn_gradient_study_run(net, &st->study, &r, err)) goto done;
      int w = mnn_write_gradient_study_csvs(ctx->dir, net, &r, err);
      mnn_info("gradient-study: best forward-difference error %.2e at step %.1e N/m; adjoint needed %ld solves, "
               "forward differences %ld", r.forward_error[r.best_step], r.steps[r.best_step], r.adjoint_solves,
               r.forward_solves);
      rec->gradient_study_best_forward_error = r.forward_error[r.best_step], rec->has_gradient_study = 1;
      mnn_gradient_study_free(&r);
      if (w) goto done;
    }
  }
  if (mnn_network_write(net, ctx->trained, err)) goto done;
  if (final < 0) { /* no training: an empty history keeps the stage's outputs complete */
    mnn_atomic_file f;
    if (mnn_atomic_open(&f, ctx->history, err)) goto done;
    fputs("epoch,loss\n", f.fp);
    if (mnn_atomic_commit(&f, err)) goto done;
  }
  rc = mnn_train_record_write(rec, ctx->train_rec, err);
done:
  if (rc) mnn_error_prefix(err, "train stage");
  free(rec);
  mnn_network_free(net);
  return rc;
}
