/* One training step, the same for `mnn train` and the train stage of `mnn run`:
 * the task's data set and split, the trainer, the multi-fidelity correction to a
 * reference response, and Adam epochs with the history written atomically. The
 * callers inspect the session afterwards: the command writes its outputs
 * (predictions, confusion, baseline) from it, the stage only its record. */
#ifndef MNN_TRAIN_STEP_H
#define MNN_TRAIN_STEP_H

#include "atomic_file.h"
#include "training.h"

typedef struct mnn_train_session {
  const mnn_task *task;
  mnn_dataset *data;
  mnn_split split;
  mnn_trainer *tr;          /* NULL after mnn_train_data_open alone */
  mnn_train_result result;  /* of the last mnn_train_session_run */
  mnn_atomic_file history;  /* open between mnn_train_session_history and the run */
} mnn_train_session;

/* The task's data set and its split into *s (trainer NULL): all samples train a
 * fixed sample, else the task's train fraction, with the task's split seed. On
 * failure *s holds nothing to free. */
int mnn_train_data_open(mnn_train_session *s, const mnn_task *task, mnn_error *err);

/* The data set, the split and a trainer of net's widths (updated in place; net
 * must outlive the session) on the task; per_sample selects the per-sample
 * reference path. On failure *s holds nothing to free. */
int mnn_train_session_open(mnn_train_session *s, mnn_network *net, const mnn_task *task, int per_sample,
                           mnn_error *err);

/* Multi-fidelity training: corrects the model to the reference response R_ref
 * (n_out x n_in, m/N, row-major; the FEM's) at the current widths
 * (mnn_trainer_set_reference). *difference gets how far the model was from R_ref
 * before, G the response with any earlier correction:
 * mnn_response_rel_difference(G, R_ref) = |G - R_ref|_F / |R_ref|_F. */
int mnn_train_session_correct(mnn_train_session *s, const double *R_ref, double *difference, mnn_error *err);

/* Opens the history CSV of the next run at path, atomically (a temporary file
 * until the run commits it). Opened before the run so that a path that cannot be
 * written fails before any training. */
int mnn_train_session_history(mnn_train_session *s, const char *path, mnn_error *err);

/* Trains epochs epochs (the task's own: s->task->epochs) into s->result, writing
 * the history opened by mnn_train_session_history if any, and commits it: the
 * file is complete, or not there at all. */
int mnn_train_session_run(mnn_train_session *s, int epochs, mnn_error *err);

/* Frees what the session holds (not the network), removing a history that was
 * opened and not committed; *s may be zeroed or closed. */
void mnn_train_session_close(mnn_train_session *s);

#endif
