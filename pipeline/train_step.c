/* One training step for `mnn train` and the train stage (train_step.h). */
#include "train_step.h"

#include <string.h>
#include "calibration.h"

int mnn_train_data_open(mnn_train_session *s, const mnn_task *task, mnn_error *err) {
  memset(s, 0, sizeof *s);
  s->task = task;
  if (!(s->data = mnn_task_dataset(task, err))) return -1;
  double fraction = task->data == MNN_DATA_FIXED ? 1.0 : task->train_fraction;
  if (mnn_split_make(s->data->n_samples, fraction, mnn_task_seed_split(task), &s->split, err)) {
    mnn_train_session_close(s);
    return -1;
  }
  return 0;
}

int mnn_train_session_open(mnn_train_session *s, mnn_network *net, const mnn_task *task, int per_sample,
                           mnn_error *err) {
  if (mnn_train_data_open(s, task, err)) return -1;
  if (!(s->tr = mnn_trainer_create(net, task, s->data, err))) {
    mnn_train_session_close(s);
    return -1;
  }
  s->tr->per_sample = per_sample;
  return 0;
}

int mnn_train_session_correct(mnn_train_session *s, const double *R_ref, double *difference, mnn_error *err) {
  double G[MNN_TASK_MAX_IO * MNN_TASK_MAX_IO];
  if (mnn_trainer_response(s->tr, G, err)) return -1;
  *difference = mnn_response_rel_difference(s->tr->n_in * s->tr->n_out, G, R_ref);
  return mnn_trainer_set_reference(s->tr, R_ref, err);
}

int mnn_train_session_history(mnn_train_session *s, const char *path, mnn_error *err) {
  mnn_atomic_abort(&s->history); /* one opened before and not run */
  return mnn_atomic_open(&s->history, path, err);
}

int mnn_train_session_run(mnn_train_session *s, int epochs, mnn_error *err) {
  FILE *fp = s->history.fp;
  if (mnn_train_run_epochs(s->tr, &s->split, epochs, fp, &s->result, err)) return -1;
  return fp ? mnn_atomic_commit(&s->history, err) : 0; /* commit leaves s->history empty */
}

void mnn_train_session_close(mnn_train_session *s) {
  mnn_atomic_abort(&s->history); /* nothing when committed or never opened */
  mnn_trainer_free(s->tr);
  mnn_split_free(&s->split);
  mnn_dataset_free(s->data);
  s->tr = NULL;
  s->data = NULL;
}
