/* mnn prune: removes bonds from a network file (then optionally evaluates the
 * pruned network on a task), or runs the pruning sweep that removes each bond in
 * turn and labels it redundant, critical or destabilising (zero modes). */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "atomic_file.h"
#include "bar_solver.h"
#include "cli.h"
#include "log.h"
#include "network_file.h"
#include "study_outputs.h"
#include "cli_task.h"
#include "prune.h"
#include "train.h"
#include "train_step.h"

static void help(void) {
  printf("usage: mnn prune NETWORK.xml --bonds ID,ID,... -o PRUNED.xml [--task NAME ...]\n"
         "       mnn prune NETWORK.xml --sweep --task NAME [--csv SWEEP.csv] [options]\n"
         "\n"
         "Removes bonds (ids are the network's, 1-based; the other bonds keep their ids).\n"
         "With --task, the network is evaluated on the task before and after pruning\n"
         "(loss, train and test accuracy or mse; the split follows --seed as in mnn train).\n"
         "\n"
         "--sweep removes each bond in turn from the network and labels it:\n"
         "  destabilising  the pruned network has zero modes (mechanisms)\n"
         "  critical       accuracy over the whole data set falls by more than --critical-drop\n"
         "                 (regression: mse grows by more than --critical-factor)\n"
         "  redundant      otherwise\n"
         "\n"
         "options:\n"
         "  --bonds LIST          bond ids to remove, e.g. 7,12\n"
         "  -o, --output FILE     pruned network file (with --bonds)\n"
         "  --sweep               the pruning sweep (needs --task)\n"
         "  --csv FILE            sweep results: bond, role, zero_modes, loss, metric, retrained_metric\n"
         "  --critical-drop X     accuracy drop that makes a bond critical (default 0.1)\n"
         "  --critical-factor X   mse growth factor that makes a bond critical (default 10)\n"
         "  --retrain N           sweep: retrain every stable pruned network N epochs and judge\n"
         "                        it by the retrained metric (default 0: no retraining)\n"
         "  --task NAME           fig1, behaviour, regression or iris (as mnn train), plus any\n"
         "                        task option of mnn train (--data, --inputs, --outputs, --loss,\n"
         "                        --seed, --lr, ...; see `mnn train --help`)\n"
         "  --target left|right, --noisy   task variants (as mnn train)\n"
         "  -q, --quiet           print nothing but errors\n"
         "  -h, --help            this help\n");
}

enum { OPT_BONDS = 1000, OPT_SWEEP, OPT_CSV, OPT_DROP, OPT_FACTOR, OPT_RETRAIN };

static int evaluate(mnn_network *net, const mnn_task *task, const mnn_dataset *data, const mnn_split *split,
                    const char *label, mnn_error *err) {
  mnn_trainer *tr = mnn_trainer_create(net, task, data, err);
  if (!tr) return -1;
  mnn_eval a, b;
  int rc = mnn_trainer_evaluate(tr, split->n_train, split->train, &a, NULL, err) ||
           mnn_trainer_evaluate(tr, split->n_test, split->test, &b, NULL, err);
  if (!rc) {
    if (mnn_loss_is_classification(task->loss))
      mnn_info("%s: loss %.6g  train accuracy %.4f  test accuracy %.4f", label, a.loss, a.accuracy, b.accuracy);
    else
      mnn_info("%s: loss %.6g  train mse %.4g m^2  test mse %.4g m^2", label, a.loss, a.mse, b.mse);
  }
  mnn_trainer_free(tr);
  return rc ? -1 : 0;
}

int mnn_cmd_prune(int argc, char **argv) {
  struct option opts[96];
  int no = 0;
  opts[no++] = (struct option){"bonds", required_argument, 0, OPT_BONDS};
  opts[no++] = (struct option){"sweep", no_argument, 0, OPT_SWEEP};
  opts[no++] = (struct option){"csv", required_argument, 0, OPT_CSV};
  opts[no++] = (struct option){"critical-drop", required_argument, 0, OPT_DROP};
  opts[no++] = (struct option){"critical-factor", required_argument, 0, OPT_FACTOR};
  opts[no++] = (struct option){"retrain", required_argument, 0, OPT_RETRAIN};
  opts[no++] = (struct option){"output", required_argument, 0, 'o'};
  opts[no++] = (struct option){"quiet", no_argument, 0, 'q'};
  opts[no++] = (struct option){"help", no_argument, 0, 'h'};
  no = mnn_cli_task_add_options(opts, no);
  opts[no] = (struct option){0, 0, 0, 0};

  const char *bonds = NULL, *csv = NULL, *out = NULL;
  int sweep = 0, c;
  mnn_cli_task cli_task = {0};
  mnn_prune_settings ps;
  mnn_prune_defaults(&ps);
  mnn_error err;
  optind = 1;
  while ((c = getopt_long(argc, argv, "o:qh", opts, NULL)) != -1) {
    int bad = 0;
    switch (c) {
      case OPT_BONDS: bonds = optarg; break;
      case OPT_SWEEP: sweep = 1; break;
      case OPT_CSV: csv = optarg; break;
      case OPT_DROP: bad = mnn_cli_double(optarg, "--critical-drop", &ps.critical_drop, &err); break;
      case OPT_FACTOR: bad = mnn_cli_double(optarg, "--critical-factor", &ps.critical_factor, &err); break;
      case OPT_RETRAIN: bad = mnn_cli_int(optarg, "--retrain", &ps.retrain_epochs, &err); break;
      case 'o': out = optarg; break;
      case 'q': mnn_set_verbosity(MNN_QUIET); break;
      case 'h': help(); return 0;
      default:
        if (mnn_cli_task_take(&cli_task, c, optarg) > 0) break;
        return mnn_cli_bad_option("prune", argv, opts);
    }
    if (bad) return mnn_cli_usage(&err);
  }
  if (optind != argc - 1) return mnn_cli_usagef("prune: give exactly one network file: mnn prune NETWORK.xml ...");
  if (sweep == (bonds != NULL)) return mnn_cli_usagef("prune: give either --bonds ID,... or --sweep");
  if (sweep && !cli_task.name) return mnn_cli_usagef("prune: --sweep needs a task: add --task iris (or another task)");
  if (bonds && !out) return mnn_cli_usagef("prune: no output file: add -o PRUNED.xml");
  if (ps.retrain_epochs < 0) return mnn_cli_usagef("prune: --retrain %d: give 0 or more epochs", ps.retrain_epochs);

  mnn_task task;
  int have_task = cli_task.name != NULL;
  if ((have_task || cli_task.n_set > 0) && mnn_cli_task_build(&cli_task, "prune", &task, &err)) return mnn_cli_usage(&err);
  int *ids = NULL, n = 0;
  if (bonds && (n = mnn_cli_id_list(bonds, "--bonds", &ids, &err)) < 0) return mnn_cli_usage(&err);

  mnn_network *net = mnn_network_read(argv[optind], &err);
  if (!net) {
    free(ids);
    return mnn_cli_fail(&err);
  }
  mnn_train_session ds = {0}; /* the task's data set and split (no trainer) */
  mnn_prune_result *results = NULL;
  int rc = 1;
  if (have_task) {
    if (mnn_task_check(&task, net, &err)) {
      mnn_error_prefix(&err, "%s", argv[optind]);
      goto fail;
    }
    if (mnn_train_data_open(&ds, &task, &err)) goto fail;
  }
  if (bonds) {
    if (have_task && evaluate(net, &task, ds.data, &ds.split, "before pruning", &err)) goto fail;
    if (mnn_prune_bonds(net, n, ids, &err)) {
      mnn_error_prefix(&err, "%s", argv[optind]);
      goto fail;
    }
    double *k = malloc(((size_t)net->n_bonds + 1) * sizeof(double));
    mnn_zero_modes zm = {0};
    if (!k) {
      mnn_fail(&err, "out of memory");
      goto fail;
    }
    mnn_network_stiffnesses(net, k);
    int bad = mnn_bar_zero_modes(net, k, &zm, &err);
    free(k);
    if (bad) goto fail;
    if (zm.n_modes > 0) {
      char list[256] = "";
      int len = 0;
      for (int j = 0; j < zm.n_moving && len < 200; ++j)
        len += snprintf(list + len, sizeof list - (size_t)len, "%s%d", j ? ", " : "", net->node_id[zm.moving_nodes[j]]);
      mnn_warn("the pruned network has %d zero mode%s (mechanisms): nodes %s can move freely; it cannot be "
               "trained or evaluated", zm.n_modes, zm.n_modes > 1 ? "s" : "", list);
    } else if (have_task && evaluate(net, &task, ds.data, &ds.split, "after pruning", &err)) {
      free(zm.moving_nodes);
      goto fail;
    }
    free(zm.moving_nodes);
    if (mnn_network_write(net, out, &err)) goto fail;
    mnn_info("removed %d bond%s; wrote %s: %d nodes, %d bonds", n, n > 1 ? "s" : "", out, net->n_nodes, net->n_bonds);
  } else {
    results = calloc((size_t)net->n_bonds + 1, sizeof *results);
    if (!results) {
      mnn_fail(&err, "out of memory");
      goto fail;
    }
    double base;
    if (mnn_prune_sweep(net, &task, ds.data, &ds.split, &ps, &base, results, &err)) goto fail;
    int classify = mnn_loss_is_classification(task.loss), counts[3] = {0};
    mnn_info("unpruned network: %s over all %d samples %.4g", classify ? "accuracy" : "mse", ds.data->n_samples, base);
    mnn_info("%6s  %-14s %5s %12s %12s%s", "bond", "role", "modes", "loss", classify ? "accuracy" : "mse",
             ps.retrain_epochs ? "    retrained" : "");
    for (int b = 0; b < net->n_bonds; ++b) {
      const mnn_prune_result *r = &results[b];
      counts[r->role] += 1;
      if (ps.retrain_epochs)
        mnn_info("%6d  %-14s %5d %12.6g %12.6g %12.6g", r->bond_id, mnn_bond_role_name(r->role), r->n_zero_modes,
                 r->loss, r->metric, r->retrained_metric);
      else
        mnn_info("%6d  %-14s %5d %12.6g %12.6g", r->bond_id, mnn_bond_role_name(r->role), r->n_zero_modes, r->loss,
                 r->metric);
    }
    mnn_info("%d redundant, %d critical, %d destabilising", counts[0], counts[1], counts[2]);
    if (csv && mnn_write_prune_sweep_csv(net, &task, results, csv, &err)) goto fail;
  }
  rc = 0;
fail:
  if (rc) mnn_cli_fail(&err);
  free(ids);
  free(results);
  mnn_train_session_close(&ds);
  mnn_network_free(net);
  return rc;
}
