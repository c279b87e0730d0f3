/* Bond removal by id and the pruning sweep (prune.h). */
#include "prune.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "bar_solver.h"
#include "log.h"
#include "train.h"

int mnn_prune_bonds(mnn_network *net, int n_ids, const int *bond_ids, mnn_error *err) {
  unsigned char *remove = calloc((size_t)net->n_bonds + 1, 1);
  if (!remove) return mnn_fail(err, "out of memory");
  for (int j = 0; j < n_ids; ++j) {
    int b = mnn_network_bond_index(net, bond_ids[j]);
    if (b < 0) {
      free(remove);
      return mnn_fail(err, "there is no bond %d in the network: list bond ids the network has", bond_ids[j]);
    }
    remove[b] = 1;
  }
  int rc = mnn_network_remove_bonds(net, remove, err);
  free(remove);
  return rc;
}

const char *mnn_bond_role_name(mnn_bond_role r) {
  return r == MNN_BOND_REDUNDANT ? "redundant" : r == MNN_BOND_CRITICAL ? "critical" : "destabilising";
}

void mnn_prune_defaults(mnn_prune_settings *s) {
  s->critical_drop = 0.1;
  s->critical_factor = 10;
  s->retrain_epochs = 0;
}

/* Metric over all samples of the data set. */
static int whole_set_metric(mnn_network *net, const mnn_task *task, const mnn_dataset *data, double *loss,
                            double *metric, mnn_error *err) {
  mnn_trainer *tr = mnn_trainer_create(net, task, data, err);
  if (!tr) return -1;
  int *all = malloc(((size_t)data->n_samples + 1) * sizeof(int));
  if (!all) {
    mnn_trainer_free(tr);
    return mnn_fail(err, "out of memory");
  }
  for (int s = 0; s < data->n_samples; ++s) all[s] = s;
  mnn_eval ev;
  int rc = mnn_trainer_evaluate(tr, data->n_samples, all, &ev, NULL, err);
  if (!rc) {
    *loss = ev.loss;
    *metric = mnn_loss_is_classification(task->loss) ? ev.accuracy : ev.mse;
  }
  free(all);
  mnn_trainer_free(tr);
  return rc;
}

static mnn_bond_role judge(const mnn_task *task, const mnn_prune_settings *s, double base, double metric) {
  if (mnn_loss_is_classification(task->loss))
    return base - metric > s->critical_drop ? MNN_BOND_CRITICAL : MNN_BOND_REDUNDANT;
  return metric > s->critical_factor * base ? MNN_BOND_CRITICAL : MNN_BOND_REDUNDANT;
}

int mnn_prune_sweep(const mnn_network *net, const mnn_task *task, const mnn_dataset *data, const mnn_split *split,
                    const mnn_prune_settings *s, double *base_metric, mnn_prune_result *results, mnn_error *err) {
  mnn_network *work = mnn_network_copy(net);
  unsigned char *remove = calloc((size_t)net->n_bonds + 1, 1);
  double *k = malloc(((size_t)net->n_bonds + 1) * sizeof(double));
  int rc = -1;
  if (!work || !remove || !k) {
    mnn_fail(err, "out of memory");
    goto done;
  }
  double base_loss;
  if (whole_set_metric(work, task, data, &base_loss, base_metric, err)) goto done;
  mnn_network_free(work);
  work = NULL;
  mnn_task retrain_task = *task;
  retrain_task.epochs = s->retrain_epochs;
  retrain_task.report_every = s->retrain_epochs + 1; /* quiet apart from the final line */
  for (int b = 0; b < net->n_bonds; ++b) {
    mnn_prune_result *r = &results[b];
    r->bond_id = net->bond_id[b];
    r->loss = r->metric = r->retrained_metric = NAN;
    work = mnn_network_copy(net);
    if (!work) {
      mnn_fail(err, "out of memory");
      goto done;
    }
    memset(remove, 0, (size_t)net->n_bonds);
    remove[b] = 1;
    if (mnn_network_remove_bonds(work, remove, err)) goto done;
    mnn_network_stiffnesses(work, k);
    mnn_zero_modes zm = {0};
    if (mnn_bar_zero_modes(work, k, &zm, err)) goto done;
    r->n_zero_modes = zm.n_modes;
    free(zm.moving_nodes);
    if (zm.n_modes > 0) {
      r->role = MNN_BOND_DESTABILISING;
    } else {
      if (whole_set_metric(work, task, data, &r->loss, &r->metric, err)) goto done;
      double judged = r->metric;
      if (s->retrain_epochs > 0) {
        mnn_trainer *tr = mnn_trainer_create(work, &retrain_task, data, err);
        mnn_train_result res;
        mnn_verbosity v = mnn_get_verbosity();
        mnn_set_verbosity(MNN_QUIET);
        int bad = !tr || mnn_train_run(tr, split, NULL, &res, err);
        mnn_set_verbosity(v);
        mnn_trainer_free(tr);
        if (bad) goto done;
        double loss2;
        if (whole_set_metric(work, task, data, &loss2, &r->retrained_metric, err)) goto done;
        judged = r->retrained_metric;
      }
      r->role = judge(task, s, *base_metric, judged);
    }
    mnn_network_free(work);
    work = NULL;
  }
  rc = 0;
done:
  mnn_network_free(work);
  free(remove);
  free(k);
  return rc;
}
