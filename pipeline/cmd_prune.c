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
#include "training.h"
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

/* The command line of mnn prune, read and checked. */
typedef struct {
  const char *network, *csv, *out;
  int sweep;
  int have_task;         /* --task given: the network is evaluated on it (--bonds), swept on it (--sweep) */
  mnn_task task;         /* with have_task */
  mnn_prune_settings ps; /* the sweep's thresholds and retraining */
  int *ids, n_ids;       /* --bonds, allocated */
} prune_args;

/* Reads argv into a. Returns -1 when the command goes on (then free a->ids), else
 * the exit status to end with: 0 after --help, 2 after a usage error's line. */
static int read_args(int argc, char **argv, prune_args *a) {
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

  memset(a, 0, sizeof *a);
  const char *bonds = NULL;
  int c;
  mnn_cli_task cli_task = {0};
  mnn_prune_defaults(&a->ps);
  mnn_error err;
  optind = 1;
  while ((c = getopt_long(argc, argv, "o:qh", opts, NULL)) != -1) {
    int bad = 0;
    switch (c) {
      case OPT_BONDS: bonds = optarg; break;
      case OPT_SWEEP: a->sweep = 1; break;
      case OPT_CSV: a->csv = optarg; break;
      case OPT_DROP: bad = mnn_cli_double(optarg, "--critical-drop", &a->ps.critical_drop, &err); break;
      case OPT_FACTOR: bad = mnn_cli_double(optarg, "--critical-factor", &a->ps.critical_factor, &err); break;
      case OPT_RETRAIN: bad = mnn_cli_int(optarg, "--retrain", &a->ps.retrain_epochs, &err); break;
      case 'o': a->out = optarg; break;
      case 'q': mnn_set_verbosity(MNN_QUIET); break;
      case 'h': help(); return 0;
      default:
        if (mnn_cli_task_take(&cli_task, c, optarg) > 0) break;
        return mnn_cli_bad_option("prune", argv, opts);
    }
    if (bad) return mnn_cli_usage(&err);
  }
  if (optind != argc - 1) return mnn_cli_usagef("prune: give exactly one network file: mnn prune NETWORK.xml ...");
  if (a->sweep == (bonds != NULL)) return mnn_cli_usagef("prune: give either --bonds ID,... or --sweep");
  if (a->sweep && !cli_task.name) return mnn_cli_usagef("prune: --sweep needs a task: add --task iris (or another task)");
  if (bonds && !a->out) return mnn_cli_usagef("prune: no output file: add -o PRUNED.xml");
  if (a->ps.retrain_epochs < 0) return mnn_cli_usagef("prune: --retrain %d: give 0 or more epochs", a->ps.retrain_epochs);
  a->network = argv[optind];
  a->have_task = cli_task.name != NULL;
  if ((a->have_task || cli_task.n_set > 0) && mnn_cli_task_build(&cli_task, "prune", &a->task, &err))
    return mnn_cli_usage(&err);
  if (bonds && (a->n_ids = mnn_cli_id_list(bonds, "--bonds", &a->ids, &err)) < 0) return mnn_cli_usage(&err);
  return -1;
}

/* Warns when net has zero modes (mechanisms), naming the nodes that move freely.
 * Returns the number of zero modes, or -1 with err set. */
static int warn_zero_modes(const mnn_network *net, mnn_error *err) {
  double *k = malloc(((size_t)net->n_bonds + 1) * sizeof(double));
  mnn_zero_modes zm = {0};
  if (!k) return mnn_fail(err, "out of memory");
  mnn_network_stiffnesses(net, k);
  int bad = mnn_bar_zero_modes(net, k, &zm, err);
  free(k);
  if (bad) return -1;
  if (zm.n_modes > 0) {
    char list[256] = "";
    int len = 0;
    for (int j = 0; j < zm.n_moving && len < 200; ++j)
      len += snprintf(list + len, sizeof list - (size_t)len, "%s%d", j ? ", " : "", net->node_id[zm.moving_nodes[j]]);
    mnn_warn("the pruned network has %d zero mode%s (mechanisms): nodes %s can move freely; it cannot be "
             "trained or evaluated", zm.n_modes, zm.n_modes > 1 ? "s" : "", list);
  }
  free(zm.moving_nodes);
  return zm.n_modes;
}

/* --bonds: removes a's bonds from net and writes it to a->out; with a task, the
 * network is evaluated on ds before and (when it has no zero modes) after. */
static int bonds_mode(mnn_network *net, const prune_args *a, const mnn_train_session *ds, mnn_error *err) {
  if (a->have_task && evaluate(net, &a->task, ds->data, &ds->split, "before pruning", err)) return -1;
  if (mnn_prune_bonds(net, a->n_ids, a->ids, err)) return mnn_error_prefix(err, "%s", a->network), -1;
  int modes = warn_zero_modes(net, err);
  if (modes < 0 || (modes == 0 && a->have_task && evaluate(net, &a->task, ds->data, &ds->split, "after pruning", err)))
    return -1;
  if (mnn_network_write(net, a->out, err)) return -1;
  mnn_info("removed %d bond%s; wrote %s: %d nodes, %d bonds", a->n_ids, a->n_ids > 1 ? "s" : "", a->out, net->n_nodes,
           net->n_bonds);
  return 0;
}

/* --sweep's lines: the unpruned network's metric, every bond's role and the
 * counts (arg: the prune_args). */
static void print_sweep(const mnn_prune_sweep_view *v, void *arg) {
  const mnn_prune_settings *ps = &((const prune_args *)arg)->ps;
  int classify = mnn_loss_is_classification(v->task->loss), counts[3] = {0};
  mnn_info("unpruned network: %s over all %d samples %.4g", classify ? "accuracy" : "mse", v->data->n_samples, v->base);
  mnn_info("%6s  %-14s %5s %12s %12s%s", "bond", "role", "modes", "loss", classify ? "accuracy" : "mse",
           ps->retrain_epochs ? "    retrained" : "");
  for (int b = 0; b < v->net->n_bonds; ++b) {
    const mnn_prune_result *r = &v->results[b];
    counts[r->role] += 1;
    if (ps->retrain_epochs)
      mnn_info("%6d  %-14s %5d %12.6g %12.6g %12.6g", r->bond_id, mnn_bond_role_name(r->role), r->n_zero_modes,
               r->loss, r->metric, r->retrained_metric);
    else
      mnn_info("%6d  %-14s %5d %12.6g %12.6g", r->bond_id, mnn_bond_role_name(r->role), r->n_zero_modes, r->loss,
               r->metric);
  }
  mnn_info("%d redundant, %d critical, %d destabilising", counts[0], counts[1], counts[2]);
}

int mnn_cmd_prune(int argc, char **argv) {
  prune_args a;
  int stop = read_args(argc, argv, &a);
  if (stop >= 0) return stop;
  mnn_error err;
  mnn_train_session ds = {0}; /* --bonds: the task's data set and split (no trainer) */
  mnn_network *net = mnn_network_read(a.network, &err);
  int rc = !net;
  if (!rc && a.have_task && mnn_task_check(&a.task, net, &err)) {
    mnn_error_prefix(&err, "%s", a.network);
    rc = 1;
  }
  if (!rc && a.sweep) rc = mnn_prune_sweep_outputs(net, &a.task, &a.ps, print_sweep, &a, a.csv, &err) != 0;
  else if (!rc) rc = (a.have_task && mnn_train_data_open(&ds, &a.task, &err)) || bonds_mode(net, &a, &ds, &err);
  if (rc) mnn_cli_fail(&err);
  free(a.ids);
  mnn_train_session_close(&ds);
  mnn_network_free(net);
  return rc;
}
