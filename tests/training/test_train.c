/* Training runs (short): the same seed gives identical history files and
 * widths, another seed does not; the per-sample path follows the same
 * trajectory; widths stay inside their bounds; behaviour learning moves the
 * chosen node more; Iris and regression losses fall; a trained network can be
 * retrained on another task (Fig. 5's task switch); and the numbers the docs quote
 * (Fig. 2 displacements, Fig. 3 bounded optimum, Fig. 4 softmax accuracy). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "network.h"
#include "log.h"
#include "test_util.h"
#include "training.h"

static char iris_path[1024];

static void set_paths(void) {
  const char *src = getenv("MNN_SOURCE_DIR");
  snprintf(iris_path, sizeof iris_path, "%s/cases/data/iris.csv", src ? src : ".");
}

/* Runs a task on net; history into a malloc'd string (if hist), widths stay in net. */
static int run(mnn_network *net, mnn_task *task, int per_sample, char **hist, mnn_train_result *res) {
  mnn_error err;
  if (task->data == MNN_DATA_CSV) snprintf(task->csv_path, sizeof task->csv_path, "%s", iris_path);
  mnn_dataset *d = mnn_task_dataset(task, &err);
  mnn_split split;
  if (!d || mnn_split_make(d->n_samples, task->data == MNN_DATA_FIXED ? 1 : task->train_fraction,
                           mnn_task_seed_split(task), &split, &err)) {
    fprintf(stderr, "%s\n", err.message);
    return -1;
  }
  mnn_trainer *tr = mnn_trainer_create(net, task, d, &err);
  if (!tr) {
    fprintf(stderr, "%s\n", err.message);
    return -1;
  }
  tr->per_sample = per_sample;
  size_t len = 0;
  FILE *fp = hist ? open_memstream(hist, &len) : NULL;
  int rc = mnn_train_run(tr, &split, fp, res, &err);
  if (rc) fprintf(stderr, "%s\n", err.message);
  if (fp) fclose(fp);
  mnn_trainer_free(tr);
  mnn_split_free(&split);
  mnn_dataset_free(d);
  return rc;
}

static mnn_network *paper(void) {
  mnn_error err;
  return mnn_lattice_paper(&err);
}

static void check_reproducible(void) {
  mnn_error err;
  mnn_task task;
  mnn_task_preset(&task, "iris", NULL, &err);
  task.epochs = 4;
  task.seed = 5;
  mnn_network *a = paper(), *b = paper(), *c = paper(), *p = paper();
  char *ha, *hb, *hc, *hp;
  mnn_train_result r;
  CHECK(run(a, &task, 0, &ha, &r) == 0);
  CHECK(r.updates == 4 * 7);
  CHECK(run(b, &task, 0, &hb, &r) == 0);
  CHECK_MSG(!strcmp(ha, hb), "same seed, different histories:\n%s\n%s", ha, hb);
  CHECK(!memcmp(a->width, b->width, sizeof(double) * a->n_bonds));
  task.seed = 6;
  CHECK(run(c, &task, 0, &hc, &r) == 0);
  CHECK(strcmp(ha, hc) != 0);
  CHECK(memcmp(a->width, c->width, sizeof(double) * a->n_bonds) != 0);
  /* the reference path follows the same trajectory (to rounding) */
  task.seed = 5;
  CHECK(run(p, &task, 1, &hp, &r) == 0);
  double worst = 0;
  for (int i = 0; i < a->n_bonds; ++i) worst = fmax(worst, fabs(a->width[i] - p->width[i]) / a->width[i]);
  CHECK_MSG(worst < 1e-9, "per-sample and superposition widths differ by %.3g (relative)", worst);
  free(ha), free(hb), free(hc), free(hp);
  mnn_network_free(a), mnn_network_free(b), mnn_network_free(c), mnn_network_free(p);
}

static int widths_inside(const mnn_network *net) {
  for (int i = 0; i < net->n_bonds; ++i)
    if (!(net->width[i] >= net->width_min && net->width[i] <= net->width_max)) return 0;
  return 1;
}

static void check_bounds_and_regression(void) {
  mnn_error err;
  for (int kind = 0; kind < 2; ++kind) {
    mnn_task task;
    mnn_task_preset(&task, "regression", NULL, &err);
    task.epochs = 40;
    task.adam.bound = (mnn_bound_kind)kind;
    task.adam.lr = kind ? 0.2 : 1.0; /* large steps push widths against the bounds */
    mnn_network *net = paper();
    mnn_train_result r;
    CHECK(run(net, &task, 0, NULL, &r) == 0);
    CHECK(widths_inside(net));
    int on_bound = 0;
    for (int i = 0; i < net->n_bonds; ++i)
      on_bound += net->width[i] - net->width_min < 1e-7 || net->width_max - net->width[i] < 1e-7;
    CHECK_MSG(on_bound > 0, "no width reached a bound (bounds %d)", kind);
    CHECK_MSG(r.train.mse < 0.3 * r.train0.mse, "regression mse %.3g -> %.3g", r.train0.mse, r.train.mse);
    CHECK(r.factorisations <= r.updates + 1 + 0); /* one per update, plus the start */
    CHECK(r.solves == (r.updates + 1) * 5);      /* inputs + outputs per factorisation */
    mnn_network_free(net);
  }
}

static void check_behaviour(void) {
  mnn_error err;
  const char *sides[2] = {"left", "right"};
  for (int side = 0; side < 2; ++side)
    for (int mse = 0; mse < 2; ++mse) {
      mnn_task task;
      mnn_task_preset(&task, "behaviour", sides[side], &err);
      if (mse) task.loss = MNN_LOSS_MSE;
      mnn_network *net = paper();
      mnn_train_result r;
      CHECK(run(net, &task, 0, NULL, &r) == 0);
      mnn_dataset *d = mnn_task_dataset(&task, &err);
      mnn_trainer *tr = mnn_trainer_create(net, &task, d, &err);
      int s = 0;
      double y[2]; /* u_y of 14 (left), 13 (right) */
      CHECK(mnn_trainer_outputs(tr, 1, &s, y, &err) == 0);
      int chosen = side, other = 1 - side;
      CHECK_MSG(fabs(y[chosen]) > fabs(y[other]) + 1e-4, "%s%s: u14 %.4g mm, u13 %.4g mm", sides[side],
                mse ? " mse" : "", y[0] * 1e3, y[1] * 1e3);
      /* the MSE targets (-0.8, -0.5) mm lie outside what the width bounds allow
       * (docs/tasks/behaviour.md): the loss falls but does not reach 0 */
      if (mse) CHECK(r.train.loss < 0.5 * r.train0.loss);
      CHECK(r.train.loss < r.train0.loss);
      CHECK(widths_inside(net));
      mnn_trainer_free(tr);
      mnn_dataset_free(d);
      mnn_network_free(net);
    }
}

static void check_iris_and_switch(void) {
  mnn_error err;
  mnn_task iris, reg;
  mnn_task_preset(&iris, "iris", NULL, &err);
  iris.epochs = 30;
  mnn_network *net = paper();
  mnn_train_result r;
  CHECK(run(net, &iris, 0, NULL, &r) == 0);
  CHECK_MSG(r.train.loss < 0.6 * r.train0.loss, "iris loss %.4g -> %.4g", r.train0.loss, r.train.loss);
  /* task switch: regression from the Iris-trained widths */
  mnn_task_preset(&reg, "regression", NULL, &err);
  reg.epochs = 20;
  CHECK(run(net, &reg, 0, NULL, &r) == 0);
  CHECK(r.train.mse < r.train0.mse);
  CHECK(widths_inside(net));
  mnn_network_free(net);
}

/* mnn_trainer_response is the matrix the outputs come from (on both paths, and
 * after the widths change), includes the correction, and mnn_train_run_epochs
 * trains the given epochs instead of the task's. */
static void check_response_and_epochs(void) {
  mnn_error err;
  mnn_task task;
  mnn_task_preset(&task, "regression", NULL, &err);
  mnn_network *net = paper();
  mnn_dataset *d = mnn_task_dataset(&task, &err);
  mnn_trainer *tr = d ? mnn_trainer_create(net, &task, d, &err) : NULL;
  CHECK_MSG(tr != NULL, "%s", err.message);
  if (!tr) return;
  int n_in = tr->n_in, n_out = tr->n_out, s = 1;
  double G[MNN_TASK_MAX_IO * MNN_TASK_MAX_IO], G0[MNN_TASK_MAX_IO * MNN_TASK_MAX_IO] = {0}, f[MNN_TASK_MAX_IO],
      y[MNN_TASK_MAX_IO];
  for (int change = 0; change < 2; ++change)
    for (int per_sample = 0; per_sample < 2; ++per_sample) {
      if (change) net->width[3] *= 1.5, mnn_trainer_widths_changed(tr);
      tr->per_sample = per_sample;
      CHECK(mnn_trainer_outputs(tr, 1, &s, y, &err) == 0 && mnn_trainer_response(tr, G, &err) == 0);
      mnn_trainer_forces(tr, s, f);
      for (int o = 0; o < n_out; ++o) {
        double v = 0;
        for (int i = 0; i < n_in; ++i) v += G[o * n_in + i] * f[i];
        CHECK_CLOSE(v, y[o], 1e-9, 0);
      }
      if (!change && !per_sample) memcpy(G0, G, sizeof G);
      if (change) CHECK(G[0] != G0[0]);
    }
  double R[MNN_TASK_MAX_IO * MNN_TASK_MAX_IO];
  for (int e = 0; e < n_in * n_out; ++e) R[e] = 2 * G[e];
  CHECK(mnn_trainer_set_reference(tr, R, &err) == 0 && mnn_trainer_response(tr, G, &err) == 0);
  for (int e = 0; e < n_in * n_out; ++e) CHECK_CLOSE(G[e], R[e], 1e-12, 0);
  mnn_trainer_set_correction(tr, NULL);
  tr->per_sample = 0;
  mnn_split split;
  mnn_train_result r;
  char *hist = NULL;
  size_t len = 0;
  FILE *fp = open_memstream(&hist, &len);
  CHECK(mnn_split_make(d->n_samples, task.train_fraction, mnn_task_seed_split(&task), &split, &err) == 0);
  CHECK(task.epochs > 3 && mnn_train_run_epochs(tr, &split, 3, fp, &r, &err) == 0);
  fclose(fp);
  int rows = 0;
  for (const char *c = hist; c && *c; ++c) rows += *c == '\n';
  CHECK_MSG(rows == 1 + 4, "3 epochs: %d history lines", rows); /* header, epoch 0..3 */
  int batches = (split.n_train + task.batch_size - 1) / task.batch_size;
  CHECK(r.updates == 3L * batches);
  free(hist);
  mnn_split_free(&split);
  mnn_trainer_free(tr);
  mnn_dataset_free(d);
  mnn_network_free(net);
}

/* The documented headline numbers (docs/tasks/): full-length preset runs, seed 1. */
static void check_documented(void) {
  mnn_error err;
  mnn_task task;
  mnn_train_result r;
  /* Fig. 2: -0.625 / -0.480 mm */
  mnn_task_preset(&task, "behaviour", "left", &err);
  mnn_network *net = paper();
  CHECK(run(net, &task, 0, NULL, &r) == 0);
  mnn_dataset *d = mnn_task_dataset(&task, &err);
  mnn_trainer *tr = mnn_trainer_create(net, &task, d, &err);
  int s = 0;
  double y[2];
  CHECK(mnn_trainer_outputs(tr, 1, &s, y, &err) == 0);
  CHECK_CLOSE(y[0], -0.625e-3, 0, 0.002e-3);
  CHECK_CLOSE(y[1], -0.480e-3, 0, 0.002e-3);
  mnn_trainer_free(tr);
  mnn_dataset_free(d);
  mnn_network_free(net);
  /* Fig. 4 with the paper's text's softmax: 0.952 / 0.956 */
  mnn_task_preset(&task, "iris", NULL, &err);
  task.loss = MNN_LOSS_CE_SOFTMAX;
  task.softmax_length = 1.0;
  net = paper();
  CHECK(run(net, &task, 0, NULL, &r) == 0);
  CHECK_MSG(r.train.accuracy >= 0.94 && r.test.accuracy >= 0.95, "iris softmax: %.4f / %.4f", r.train.accuracy,
            r.test.accuracy);
  mnn_network_free(net);
  /* Fig. 3: the bounded optimum, test mse 2.534e-8 m^2 */
  mnn_task_preset(&task, "regression", NULL, &err);
  net = paper();
  CHECK(run(net, &task, 0, NULL, &r) == 0);
  CHECK_CLOSE(r.test.mse, 2.534e-8, 0.01, 0);
  mnn_network_free(net);
}

int main(void) {
  mnn_set_verbosity(MNN_QUIET);
  set_paths();
  check_reproducible();
  check_bounds_and_regression();
  check_behaviour();
  check_iris_and_switch();
  check_response_and_epochs();
  check_documented();
  return mnn_test_finish();
}
