/* CSV outputs of the studies: confusion matrix, pruning sweep (and the sweep step
 * that writes it), gradient study. */
#include "study_outputs.h"

#include <stdio.h>
#include <stdlib.h>
#include "atomic_file.h"
#include "log.h"
#include "train_step.h"

/* Both confusion matrices: cm[0..n*n) training set, cm[n*n..2n*n) test set. */
static int *confusion_matrices(mnn_trainer *tr, const mnn_split *split, mnn_error *err) {
  int n = tr->n_out;
  int *cm = calloc((size_t)n * n * 2, sizeof(int));
  if (!cm) return (void)mnn_fail(err, "out of memory"), NULL;
  mnn_eval ev;
  if (mnn_trainer_evaluate(tr, split->n_train, split->train, &ev, cm, err) ||
      mnn_trainer_evaluate(tr, split->n_test, split->test, &ev, cm + n * n, err)) {
    free(cm);
    return NULL;
  }
  return cm;
}

static const char *class_name(const mnn_dataset *d, int c) {
  return d->class_names && c < d->n_classes ? d->class_names[c] : "class";
}

static void print_confusion(const mnn_trainer *tr, const mnn_split *split, const int *cm) {
  int n = tr->n_out;
  for (int set = 0; set < 2; ++set) {
    if ((set ? split->n_test : split->n_train) == 0) continue;
    mnn_info("confusion matrix (%s set; rows: true class, columns: predicted):", set ? "test" : "training");
    for (int a = 0; a < n; ++a) {
      char line[512];
      int len = snprintf(line, sizeof line, "  %-12s", class_name(tr->data, a));
      for (int b = 0; b < n; ++b)
        len += snprintf(line + len, sizeof line - (size_t)len, " %4d", cm[set * n * n + a * n + b]);
      mnn_info("%s", line);
    }
  }
}

static int write_confusion(const mnn_trainer *tr, const int *cm, const char *path, mnn_error *err) {
  int n = tr->n_out;
  mnn_atomic_file f;
  if (mnn_atomic_open(&f, path, err)) return -1;
  fprintf(f.fp, "set,true");
  for (int b = 0; b < n; ++b) fprintf(f.fp, ",%s", class_name(tr->data, b));
  fprintf(f.fp, "\n");
  for (int set = 0; set < 2; ++set)
    for (int a = 0; a < n; ++a) {
      fprintf(f.fp, "%s,%s", set ? "test" : "train", class_name(tr->data, a));
      for (int b = 0; b < n; ++b) fprintf(f.fp, ",%d", cm[set * n * n + a * n + b]);
      fprintf(f.fp, "\n");
    }
  return mnn_atomic_commit(&f, err);
}

int mnn_confusion_outputs(mnn_trainer *tr, const mnn_split *split, const char *path, int print, mnn_error *err) {
  int *cm = confusion_matrices(tr, split, err);
  if (!cm) return -1;
  if (print) print_confusion(tr, split, cm);
  int rc = path ? write_confusion(tr, cm, path, err) : 0;
  free(cm);
  return rc;
}

int mnn_write_prune_sweep_csv(const mnn_network *net, const mnn_task *task, const mnn_prune_result *results,
                              const char *path, mnn_error *err) {
  int classify = mnn_loss_is_classification(task->loss);
  const char *metric = classify ? "accuracy" : "mse";
  mnn_atomic_file f;
  if (mnn_atomic_open(&f, path, err)) return -1;
  fprintf(f.fp, "bond,role,zero_modes,loss,%s,retrained_%s\n", metric, metric);
  for (int b = 0; b < net->n_bonds; ++b) {
    const mnn_prune_result *r = &results[b];
    fprintf(f.fp, "%d,%s,%d,%.10g,%.10g,%.10g\n", r->bond_id, mnn_bond_role_name(r->role), r->n_zero_modes, r->loss,
            r->metric, r->retrained_metric);
  }
  return mnn_atomic_commit(&f, err);
}

int mnn_prune_sweep_outputs(const mnn_network *net, const mnn_task *task, const mnn_prune_settings *settings,
                            void (*report)(const mnn_prune_sweep_view *view, void *arg), void *arg,
                            const char *csv, mnn_error *err) {
  mnn_train_session s;
  if (mnn_train_data_open(&s, task, err)) return -1;
  mnn_prune_result *results = calloc((size_t)net->n_bonds + 1, sizeof *results);
  mnn_prune_sweep_view v = {net, task, s.data, 0, results};
  int rc = !results ? mnn_fail(err, "out of memory")
                    : mnn_prune_sweep(net, task, s.data, &s.split, settings, &v.base, results, err) ? -1 : 0;
  if (!rc && report) report(&v, arg);
  if (!rc && csv) rc = mnn_write_prune_sweep_csv(net, task, results, csv, err);
  free(results);
  mnn_train_session_close(&s);
  return rc;
}

int mnn_write_gradient_study_csvs(const char *dir, const mnn_network *net, const mnn_gradient_study *r,
                                  mnn_error *err) {
  char path[4096];
  mnn_atomic_file f;
  snprintf(path, sizeof path, "%s/gradient_steps.csv", dir);
  if (mnn_atomic_open(&f, path, err)) return -1;
  fprintf(f.fp, "step,forward_error,central_error\n");
  for (int q = 0; q < r->n_steps; ++q)
    fprintf(f.fp, "%.6e,%.6e,%.6e\n", r->steps[q], r->forward_error[q], r->central_error[q]);
  if (mnn_atomic_commit(&f, err)) return -1;
  snprintf(path, sizeof path, "%s/gradient_bonds.csv", dir);
  if (mnn_atomic_open(&f, path, err)) return -1;
  fprintf(f.fp, "bond,from,to,adjoint,forward_difference\n");
  for (int b = 0; b < net->n_bonds; ++b)
    fprintf(f.fp, "%d,%d,%d,%.12e,%.12e\n", net->bond_id[b], net->node_id[net->bond_a[b]],
            net->node_id[net->bond_b[b]], r->adjoint[b], r->forward_best[b]);
  return mnn_atomic_commit(&f, err);
}
