/* Training stage of `mnn run`: the case's steps in order (train, prune, pruning
 * sweep, gradient study) on the start network; writes the start and trained
 * networks, a history CSV per training step and a record of the results. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "atomic_file.h"
#include "log.h"
#include "logreg.h"
#include "meshing.h"
#include "network_file.h"
#include "run_internal.h"
#include "stage_records.h"
#include "study_outputs.h"

/* Multi-fidelity rounds after a training step: mesh the network as it is, take the
 * FEM's response of the task, correct the bar model to it and train again. The
 * record keeps, per round, how far the model was from the FEM before the
 * correction, and the last correction for the FEM stage. */
static int fem_rounds(const mnn_run_ctx *ctx, const mnn_case_step *st, mnn_network *net, mnn_trainer *tr,
                      const mnn_split *split, mnn_record *rec, mnn_error *err) {
  int epochs = st->fem_round_epochs >= 0 ? st->fem_round_epochs : st->task.epochs;
  int n_in = tr->n_in, n_out = tr->n_out, n = n_in * n_out, rc = 0;
  double R[MNN_TASK_MAX_IO * MNN_TASK_MAX_IO], G[MNN_TASK_MAX_IO * MNN_TASK_MAX_IO];
  for (int r = 1; r <= st->fem_rounds && !rc; ++r) {
    char mesh[MNN_RUN_PATH], name[64], history[MNN_RUN_PATH];
    snprintf(name, sizeof name, "fem-round-%d.msh", r);
    mnn_run_path(ctx, name, mesh);
    snprintf(name, sizeof name, "history-fem-round-%d.csv", r);
    mnn_run_path(ctx, name, history);
    mnn_info("train: FEM round %d of %d: meshing, FEM response of %d outputs x %d inputs, %d epochs", r,
             st->fem_rounds, n_out, n_in, epochs);
    mnn_mesh_stats ms;
    if (mnn_mesh_write(net, &ctx->c->mesh, mesh, &ms, err) || mnn_fem_task_response(ctx->c, net, mesh, &st->task, R, err) ||
        mnn_trainer_response(tr, G, err)) {
      rc = -1;
      remove(mesh);
      break;
    }
    remove(mesh); /* an intermediate: the mesh stage meshes the final network */
    double num = 0, den = 0;
    for (int e = 0; e < n; ++e) num += (G[e] - R[e]) * (G[e] - R[e]), den += R[e] * R[e];
    double diff = den > 0 ? sqrt(num / den) : 0;
    mnn_info("train: FEM round %d: the %s model's response is %.2f%% from the FEM's; correcting and retraining", r,
             tr->corrected ? "corrected" : "bar", 100 * diff);
    mnn_atomic_file hist = {0};
    mnn_train_result res;
    if (mnn_trainer_set_reference(tr, R, err) || mnn_atomic_open(&hist, history, err) ||
        mnn_train_run_epochs(tr, split, epochs, hist.fp, &res, err) || mnn_atomic_commit(&hist, err)) {
      if (hist.fp) mnn_atomic_abort(&hist);
      rc = -1;
      break;
    }
    if (mnn_fem_round_put(rec, r, diff, res.train.loss, err)) {
      rc = -1;
      break;
    }
    mnn_info("train: FEM round %d: loss %.4g -> %.4g", r, res.train0.loss, res.train.loss);
  }
  if (!rc) rc = mnn_fem_correction_put(rec, st->fem_rounds, n, tr->C, err);
  return rc;
}

static int train_step(const mnn_run_ctx *ctx, mnn_network *net, const mnn_case_step *st, const char *history_path,
                      mnn_record *rec, int phase, mnn_error *err) {
  const mnn_task *task = &st->task;
  mnn_dataset *data = mnn_task_dataset(task, err);
  if (!data) return -1;
  mnn_split split = {0};
  mnn_trainer *tr = NULL;
  mnn_atomic_file hist = {0};
  int rc = -1;
  double fraction = task->data == MNN_DATA_FIXED ? 1.0 : task->train_fraction;
  if (mnn_split_make(data->n_samples, fraction, mnn_task_seed_split(task), &split, err)) goto done;
  if (!(tr = mnn_trainer_create(net, task, data, err))) goto done;
  if (mnn_atomic_open(&hist, history_path, err)) goto done;
  mnn_info("train: step %d, task %s: %d inputs, %d outputs, loss %s, %d training and %d test samples, %d epochs",
           phase, task->name, task->n_inputs, task->n_outputs, mnn_loss_name(task->loss), split.n_train, split.n_test,
           task->epochs);
  mnn_train_result res;
  if (mnn_train_run(tr, &split, hist.fp, &res, err)) goto done;
  if (mnn_atomic_commit(&hist, err)) goto done;
  if (st->fem_rounds > 0) {
    mnn_train_result first = res;
    if (fem_rounds(ctx, st, net, tr, &split, rec, err)) goto done;
    /* the metrics after the rounds, against the start */
    mnn_eval train, test;
    if (mnn_trainer_evaluate(tr, split.n_train, split.train, &train, NULL, err) ||
        mnn_trainer_evaluate(tr, split.n_test, split.test, &test, NULL, err))
      goto done;
    res = first;
    res.train = train;
    res.test = test;
  }
  char key[64];
  snprintf(key, sizeof key, "phase.%d", phase);
  mnn_record_set_text(rec, key, task->name);
  mnn_record_set(rec, "phases", phase);
  mnn_train_summary sum = {.epochs = task->epochs, .initial_loss = res.train0.loss, .final_loss = res.train.loss,
                           .seconds = res.seconds, .updates = res.updates, .solves = res.solves};
  snprintf(sum.task, sizeof sum.task, "%s", task->name);
  snprintf(sum.loss_name, sizeof sum.loss_name, "%s", mnn_loss_name(task->loss));
  if (mnn_train_summary_put(rec, &sum, err)) goto done;
  int classify = mnn_loss_is_classification(task->loss);
  const char *metric = classify ? "accuracy" : "mse";
  const mnn_eval *evs[4] = {&res.train0, &res.test0, &res.train, &res.test};
  const char *names[4] = {"initial-train", "initial-test", "final-train", "final-test"};
  for (int i = 0; i < 4; ++i) {
    if (evs[i]->n == 0) continue;
    snprintf(key, sizeof key, "%s-%s", names[i], metric);
    mnn_record_set(rec, key, classify ? evs[i]->accuracy : evs[i]->mse);
  }
  mnn_info("train: loss %.4g -> %.4g in %.2f s", res.train0.loss, res.train.loss, res.seconds);
  if (classify && data->n_samples > 1) {
    char path[MNN_RUN_PATH];
    mnn_run_path(ctx, "confusion.csv", path);
    if (mnn_confusion_outputs(tr, &split, path, 0, err)) goto done;
    /* the linear classifier on the same data, split and scaling: the network's ceiling */
    mnn_logreg_baseline b;
    if (mnn_logreg_baseline_fit(data, &split, 0, &b, NULL, err)) goto done;
    mnn_record_set(rec, "baseline-c", b.c);
    mnn_record_set(rec, "baseline-train-accuracy", b.train_accuracy);
    if (split.n_test > 0) mnn_record_set(rec, "baseline-test-accuracy", b.test_accuracy);
    mnn_info("train: linear classifier (logistic regression, C = %g by cross-validation): train %.4f, test %.4f; "
             "the network reaches %.3f of its test accuracy", b.c, b.train_accuracy, b.test_accuracy,
             res.test.accuracy / b.test_accuracy);
  }
  rc = 0;
done:
  if (rc && hist.fp) mnn_atomic_abort(&hist);
  mnn_trainer_free(tr);
  mnn_split_free(&split);
  mnn_dataset_free(data);
  return rc;
}

static int sweep_step(const mnn_run_ctx *ctx, const mnn_network *net, const mnn_task *task,
                      const mnn_prune_settings *s, mnn_error *err) {
  mnn_dataset *data = mnn_task_dataset(task, err);
  if (!data) return -1;
  mnn_split split = {0};
  mnn_prune_result *results = calloc((size_t)net->n_bonds + 1, sizeof *results);
  int rc = -1;
  double base = 0;
  double fraction = task->data == MNN_DATA_FIXED ? 1.0 : task->train_fraction;
  if (!results) {
    mnn_fail(err, "out of memory");
    goto done;
  }
  if (mnn_split_make(data->n_samples, fraction, mnn_task_seed_split(task), &split, err)) goto done;
  mnn_info("prune-sweep: removing each of %d bonds in turn", net->n_bonds);
  if (mnn_prune_sweep(net, task, data, &split, s, &base, results, err)) goto done;
  char path[MNN_RUN_PATH];
  mnn_run_path(ctx, "prune_sweep.csv", path);
  mnn_info("prune-sweep: unpruned %s %.4g; table in %s", mnn_loss_is_classification(task->loss) ? "accuracy" : "mse", base, path);
  rc = mnn_write_prune_sweep_csv(net, task, results, path, err);
done:
  free(results);
  mnn_split_free(&split);
  mnn_dataset_free(data);
  return rc;
}

int mnn_stage_train(const mnn_run_ctx *ctx, mnn_error *err) {
  const mnn_case *c = ctx->c;
  mnn_network *net = mnn_network_copy(c->network);
  mnn_record *rec = mnn_record_create("train");
  int rc = -1, final = mnn_case_final_task(c);
  if (!net || !rec) {
    mnn_fail(err, "out of memory");
    goto done;
  }
  if (mnn_network_write(net, ctx->network, err)) goto done;
  int phase = 0;
  for (int i = 0; i < c->n_steps; ++i) {
    const mnn_case_step *st = &c->steps[i];
    if (st->kind == MNN_STEP_TRAIN) {
      char history[MNN_RUN_PATH], name[64];
      snprintf(name, sizeof name, "history-%d.csv", phase + 1);
      if (i == final) snprintf(history, sizeof history, "%s", ctx->history);
      else mnn_run_path(ctx, name, history);
      if (train_step(ctx, net, st, history, rec, ++phase, err)) goto done;
    } else if (st->kind == MNN_STEP_PRUNE) {
      if (mnn_prune_bonds(net, st->n_prune, st->prune_ids, err)) goto done;
      mnn_info("prune: removed %d bond(s); %d left", st->n_prune, net->n_bonds);
      mnn_record_set(rec, "pruned-bonds", st->n_prune);
    } else if (st->kind == MNN_STEP_PRUNE_SWEEP) {
      const mnn_task *task = NULL;
      for (int j = i - 1; j >= 0 && !task; --j)
        if (c->steps[j].kind == MNN_STEP_TRAIN) task = &c->steps[j].task;
      if (sweep_step(ctx, net, task, &st->sweep, err)) goto done;
    } else {
      mnn_gradient_study r;
      if (mnn_gradient_study_run(net, &st->study, &r, err)) goto done;
      int w = mnn_write_gradient_study_csvs(ctx->dir, net, &r, err);
      mnn_info("gradient-study: best forward-difference error %.2e at step %.1e N/m; adjoint needed %ld solves, "
               "forward differences %ld", r.forward_error[r.best_step], r.steps[r.best_step], r.adjoint_solves,
               r.forward_solves);
      mnn_record_set(rec, "gradient-study-best-forward-error", r.forward_error[r.best_step]);
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
  rc = mnn_record_write(rec, ctx->train_rec, err);
done:
  if (rc) mnn_error_prefix(err, "train stage");
  mnn_record_free(rec);
  mnn_network_free(net);
  return rc;
}
