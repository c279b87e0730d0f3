/* Pruning: bonds removed by id (ids kept, unknown ids rejected); the sweep labels
 * a bond destabilising exactly when the pruned network has zero modes, and its
 * metric equals an independent evaluation (per-sample path) of the pruned
 * network; labels follow the thresholds; retraining in the sweep never lowers
 * the training accuracy below the pruned network's much. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "bar_solver.h"
#include "network.h"
#include "log.h"
#include "training.h"
#include "test_util.h"

static mnn_task iris_task(void) {
  mnn_error err;
  mnn_task t;
  mnn_task_preset(&t, "iris", NULL, &err);
  const char *src = getenv("MNN_SOURCE_DIR");
  snprintf(t.csv_path, sizeof t.csv_path, "%s/cases/data/iris.csv", src ? src : ".");
  return t;
}

int main(void) {
  mnn_set_verbosity(MNN_QUIET);
  mnn_error err;
  mnn_network *net = mnn_lattice_paper(&err);
  /* by id */
  int ids[2] = {7, 12};
  mnn_network *cut = mnn_network_copy(net);
  CHECK(mnn_prune_bonds(cut, 2, ids, &err) == 0);
  CHECK(cut->n_bonds == 26);
  CHECK(mnn_network_bond_index(cut, 7) < 0 && mnn_network_bond_index(cut, 12) < 0);
  CHECK(mnn_network_bond_index(cut, 13) >= 0);
  int bad = 99;
  CHECK(mnn_prune_bonds(cut, 1, &bad, &err) != 0);
  CHECK_CONTAINS(err.message, "no bond 99");
  mnn_network_free(cut);

  /* train a little so that widths differ, then sweep */
  mnn_task task = iris_task();
  task.epochs = 20;
  mnn_dataset *d = mnn_task_dataset(&task, &err);
  mnn_split split;
  mnn_split_make(d->n_samples, 0.7, mnn_task_seed_split(&task), &split, &err);
  mnn_trainer *tr = mnn_trainer_create(net, &task, d, &err);
  mnn_train_result res;
  CHECK(mnn_train_run(tr, &split, NULL, &res, &err) == 0);
  mnn_trainer_free(tr);

  mnn_prune_settings ps;
  mnn_prune_defaults(&ps);
  mnn_prune_result *r = calloc(net->n_bonds, sizeof *r);
  double base;
  CHECK(mnn_prune_sweep(net, &task, d, &split, &ps, &base, r, &err) == 0);
  int n_destab = 0, n_crit = 0, n_red = 0, *all = malloc(d->n_samples * sizeof(int));
  for (int s = 0; s < d->n_samples; ++s) all[s] = s;
  double *k = malloc(net->n_bonds * sizeof(double));
  for (int b = 0; b < net->n_bonds; ++b) {
    CHECK(r[b].bond_id == net->bond_id[b]);
    mnn_network *p = mnn_network_copy(net);
    mnn_prune_bonds(p, 1, &r[b].bond_id, &err);
    mnn_network_stiffnesses(p, k);
    mnn_zero_modes zm = {0};
    CHECK(mnn_bar_zero_modes(p, k, &zm, &err) == 0);
    CHECK((r[b].role == MNN_BOND_DESTABILISING) == (zm.n_modes > 0));
    CHECK(r[b].n_zero_modes == zm.n_modes);
    free(zm.moving_nodes);
    if (zm.n_modes == 0) {
      mnn_trainer *t2 = mnn_trainer_create(p, &task, d, &err);
      t2->per_sample = 1;
      mnn_eval ev;
      CHECK(mnn_trainer_evaluate(t2, d->n_samples, all, &ev, NULL, &err) == 0);
      CHECK_CLOSE(r[b].metric, ev.accuracy, 1e-12, 0);
      CHECK_CLOSE(r[b].loss, ev.loss, 1e-10, 0);
      CHECK((r[b].role == MNN_BOND_CRITICAL) == (base - ev.accuracy > ps.critical_drop));
      mnn_trainer_free(t2);
    }
    n_destab += r[b].role == MNN_BOND_DESTABILISING;
    n_crit += r[b].role == MNN_BOND_CRITICAL;
    n_red += r[b].role == MNN_BOND_REDUNDANT;
    mnn_network_free(p);
  }
  CHECK(n_destab > 0 && n_destab < net->n_bonds);
  CHECK(n_destab + n_crit + n_red == net->n_bonds);
  /* a threshold of 1 makes every stable bond redundant */
  ps.critical_drop = 1.0;
  CHECK(mnn_prune_sweep(net, &task, d, &split, &ps, &base, r, &err) == 0);
  for (int b = 0; b < net->n_bonds; ++b) CHECK(r[b].role != MNN_BOND_CRITICAL);
  /* retraining in the sweep (2 epochs) fills the retrained metric */
  ps.critical_drop = 0.1;
  ps.retrain_epochs = 2;
  CHECK(mnn_prune_sweep(net, &task, d, &split, &ps, &base, r, &err) == 0);
  for (int b = 0; b < net->n_bonds; ++b)
    CHECK((r[b].role == MNN_BOND_DESTABILISING) == isnan(r[b].retrained_metric));
  free(k);
  free(all);
  free(r);
  mnn_split_free(&split);
  mnn_dataset_free(d);
  mnn_network_free(net);
  return mnn_test_finish();
}
