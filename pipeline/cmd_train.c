/* mnn train: trains a network file's widths on a task (the paper's presets or
 * a task assembled from options) and writes the trained network, the history,
 * the confusion matrix and the predictions. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "atomic_file.h"
#include "cli.h"
#include "fem_reference.h"
#include "log.h"
#include "training.h"
#include "network_file.h"
#include "study_outputs.h"
#include "cli_task.h"
#include "train_step.h"

static void help(void) {
  printf(
      "usage: mnn train NETWORK.xml --task NAME [options]\n"
      "\n"
      "Trains the bond widths of NETWORK.xml on a task with Adam and exact adjoint\n"
      "gradients (superposition: one factorisation and inputs+outputs solves per update).\n"
      "Node ids are the network's (1-based); forces in N, displacements in m.\n"
      "\n"
      "tasks (presets on the paper's node numbering; every setting below overrides them):\n"
      "  fig1          F_y = -0.098 N on node 13, loss (u_y,14 + 0.025 m)^2 (0 epochs: evaluate)\n"
      "  behaviour     F_y = -0.049 N on node 11, outputs u_y of 14 (left) and 13 (right),\n"
      "                cross-entropy p_c = |u_c|/sum|u|, lr 0.005, steepness 10, 1000 epochs\n"
      "  regression    F_y uniform in [-0.196, 0.196] N on node 11, outputs u_x,u_y of 13, 14,\n"
      "                slopes 0, 0.016, 0.004, 0.016 m/N, MSE, lr 0.1, batch 16, 5000 epochs\n"
      "  iris          features/column max * -0.049 N as F_y on nodes 14,12,13,10, outputs\n"
      "                |u_x| of 8,2,3, cross-entropy, lr 0.006, batch 16, 100 epochs, steepness 5\n"
      "  custom        nothing preset: give --inputs, --outputs, --loss and data yourself\n"
      "\n"
      "task options:\n"
      "  --task NAME           fig1, behaviour, regression, iris or custom (required)\n"
      "  --target left|right   behaviour: the node that should move more (default left)\n"
      "  --noisy               regression: add Gaussian noise, sigma 1e-4 m (same as --noise 1e-4)\n"
      "  --loss KIND           ce (p_c = |u_c|/sum|u|), softmax (of |u_c|/length), mse, squared\n"
      "  --softmax-length M    length scale of the softmax in m (default 1e-4)\n"
      "  --inputs LIST         NODE:x|y:SCALE,... force on the node = SCALE (N) * feature i\n"
      "  --outputs LIST        NODE:x|y,... displacement components read (one per class)\n"
      "  --targets LIST        fixed-sample targets in m (behaviour with --loss mse: -8e-4,-5e-4)\n"
      "  --features LIST       the fixed sample's features (default 1 each)\n"
      "  --label C             the fixed sample's class, 0-based output index\n"
      "  --data FILE.csv       CSV data (header; features, then class name or one target per\n"
      "                        output); iris default cases/data/iris.csv (from the working dir)\n"
      "  --scale-columns 0|1   divide each CSV feature column by its maximum (default 1)\n"
      "  --samples N           regression samples (default 100)\n"
      "  --force-min N, --force-max N   regression force range in N (default -0.196, 0.196)\n"
      "  --slopes LIST         regression slopes in m/N, one per output\n"
      "  --noise SIGMA         regression noise standard deviation in m (default 0)\n"
      "  --train-fraction F    share of samples used for training (default 0.7)\n"
      "  --name TEXT           the task's name in progress lines (default: the preset's)\n"
      "\n"
      "optimiser options:\n"
      "  --epochs N            passes over the training set (0: evaluate only)\n"
      "  --batch N             samples per update (default 16)\n"
      "  --lr X                Adam learning rate on the free variable (preset per task)\n"
      "  --beta1 X, --beta2 X, --eps X   Adam constants (default 0.9, 0.999, 1e-8)\n"
      "  --bounds KIND         sigmoid (default): w = wmin + (wmax-wmin) sigma(steepness*theta);\n"
      "                        project: w = wmin + (wmax-wmin) theta, theta clipped to [0,1]\n"
      "  --steepness S         sigmoid steepness (preset per task: 10, iris 5)\n"
      "  --start-margin Z      sigmoid: start at least Z of the width range inside the bounds, so\n"
      "                        that retraining a network with widths on a bound can move them\n"
      "                        (default 1e-3: 1 um for 1.5..2.5 mm)\n"
      "  --seed N              seed of the data noise, the split and the batch order (default 1)\n"
      "  --per-sample          use the per-sample reference path (2 solves per sample)\n"
      "  --fem-response FILE   multi-fidelity training: fem-results.xml of `mnn fem --response`\n"
      "                        on this network's mesh, with the task's inputs as loads and its\n"
      "                        outputs; the bar model's response G(w) becomes G(w) + R_fem - G(w0),\n"
      "                        so training starts from what the printed part does (docs/training.md)\n"
      "\n"
      "outputs:\n"
      "  -o, --output FILE     trained network file\n"
      "  --history FILE        CSV: epoch, loss, test_loss, train and test accuracy or mse\n"
      "  --confusion FILE      CSV confusion matrices (classification): set, true, predicted...\n"
      "  --predictions FILE    CSV: sample, set, label or targets, outputs (m) after training\n"
      "  --baseline            classification: also fit the linear classifier (multinomial\n"
      "                        logistic regression, C by 5-fold cross-validation on the\n"
      "                        training set) on the same split and scaling; print its\n"
      "                        accuracy and the network's as a fraction of it\n"
      "  --baseline-weights FILE  --baseline, and write its weights as CSV: class, w_1..w_n\n"
      "                        (per scaled feature), bias\n"
      "  --baseline-c C        --baseline with this C instead of cross-validation\n"
      "  --report-every N      epochs between progress lines (default epochs/10)\n"
      "  -q, --quiet           print nothing but errors;  -v, --verbose  more detail\n"
      "  -h, --help            this help\n");
}

enum { OPT_HISTORY = 1000, OPT_CONFUSION, OPT_PREDICTIONS, OPT_PER_SAMPLE, OPT_FEM_RESPONSE, OPT_BASELINE, OPT_BASELINE_WEIGHTS, OPT_BASELINE_C };

static int write_predictions(mnn_trainer *tr, const mnn_split *split, const char *path, mnn_error *err) {
  const mnn_dataset *d = tr->data;
  int n_out = tr->n_out;
  double *y = malloc(((size_t)d->n_samples * n_out + 1) * sizeof(double));
  char *set = calloc((size_t)d->n_samples + 1, 1);
  int *all = malloc(((size_t)d->n_samples + 1) * sizeof(int));
  if (!y || !set || !all) {
    free(y), free(set), free(all);
    return mnn_fail(err, "out of memory");
  }
  for (int s = 0; s < d->n_samples; ++s) all[s] = s;
  for (int j = 0; j < split->n_test; ++j) set[split->test[j]] = 1;
  int rc = mnn_trainer_outputs(tr, d->n_samples, all, y, err);
  mnn_atomic_file f;
  if (!rc) rc = mnn_atomic_open(&f, path, err);
  if (!rc) {
    fprintf(f.fp, "sample,set");
    if (d->label) fprintf(f.fp, ",label,predicted");
    for (int o = 0; o < d->n_targets; ++o) fprintf(f.fp, ",target_%d", o + 1);
    for (int o = 0; o < n_out; ++o)
      fprintf(f.fp, ",u%s_%d", tr->task->outputs[o].component ? "y" : "x", tr->task->outputs[o].node_id);
    fprintf(f.fp, "\n");
    for (int s = 0; s < d->n_samples; ++s) {
      fprintf(f.fp, "%d,%s", s + 1, set[s] ? "test" : "train");
      if (d->label)
        fprintf(f.fp, ",%d,%d", d->label[s], mnn_loss_predict(n_out, y + (size_t)s * n_out));
      for (int o = 0; o < d->n_targets; ++o) fprintf(f.fp, ",%.10g", d->target[(size_t)s * d->n_targets + o]);
      for (int o = 0; o < n_out; ++o) fprintf(f.fp, ",%.10g", y[(size_t)s * n_out + o]);
      fprintf(f.fp, "\n");
    }
    rc = mnn_atomic_commit(&f, err);
  }
  free(y), free(set), free(all);
  return rc;
}

/* Multi-fidelity training: the bar model corrected to the FEM's response of this
 * network (mnn fem --response), so that training starts from what the part does. */
static int set_fem_reference(mnn_train_session *s, const char *path, mnn_error *err) {
  mnn_fem_results *res = mnn_fem_results_read(path, err);
  if (!res) return -1;
  double R[MNN_TASK_MAX_IO * MNN_TASK_MAX_IO], difference = 0;
  int rc = mnn_fem_reference_response(res, s->tr, R, err);
  if (rc) mnn_error_prefix(err, "--fem-response %s", path);
  else rc = mnn_train_session_correct(s, R, &difference, err);
  if (!rc)
    mnn_info("--fem-response %s: the bar model is corrected to the FEM's response (correction %.1f%% of it)", path,
             100 * difference);
  mnn_fem_results_free(res);
  return rc;
}

/* --baseline-weights: one row per class: class name, W_c (one per feature, of the
 * scaled features), b_c. */
static int write_weights(const mnn_logreg *m, const mnn_dataset *d, const char *path, mnn_error *err) {
  mnn_atomic_file f;
  if (mnn_atomic_open(&f, path, err)) return -1;
  fprintf(f.fp, "class");
  for (int j = 0; j < m->n_features; ++j) fprintf(f.fp, ",w_%d", j + 1);
  fprintf(f.fp, ",bias\n");
  for (int c = 0; c < m->n_classes; ++c) {
    fprintf(f.fp, "%s", d->class_names ? d->class_names[c] : "");
    for (int j = 0; j <= m->n_features; ++j) fprintf(f.fp, ",%.10g", m->w[(size_t)c * (m->n_features + 1) + j]);
    fprintf(f.fp, "\n");
  }
  return mnn_atomic_commit(&f, err);
}

/* --baseline: the linear classifier on the same data, split and scaling, and the
 * network's accuracies as fractions of its. */
static int print_baseline(const mnn_dataset *data, const mnn_split *split, const mnn_train_result *res,
                          double c, const char *weights, mnn_error *err) {
  mnn_logreg_baseline b;
  mnn_logreg m;
  if (mnn_logreg_baseline_fit(data, split, c, &b, &m, err)) return mnn_error_prefix(err, "--baseline"), -1;
  int rc = weights ? write_weights(&m, data, weights, err) : 0;
  mnn_logreg_free(&m);
  if (rc) return -1;
  mnn_info("linear classifier (multinomial logistic regression, C = %g%s, %d iterations%s): train %.4f, test %.4f", b.c,
           c > 0 ? " as given" : " by 5-fold cross-validation on the training set", b.iterations,
           b.converged ? "" : ", not converged", b.train_accuracy, b.test_accuracy);
  mnn_info("network / linear classifier: train %.3f, test %.3f", res->train.accuracy / b.train_accuracy,
           res->test.accuracy / b.test_accuracy);
  return 0;
}

int mnn_cmd_train(int argc, char **argv) {
  struct option opts[96];
  int no = 0;
  opts[no++] = (struct option){"history", required_argument, 0, OPT_HISTORY};
  opts[no++] = (struct option){"confusion", required_argument, 0, OPT_CONFUSION};
  opts[no++] = (struct option){"predictions", required_argument, 0, OPT_PREDICTIONS};
  opts[no++] = (struct option){"per-sample", no_argument, 0, OPT_PER_SAMPLE};
  opts[no++] = (struct option){"fem-response", required_argument, 0, OPT_FEM_RESPONSE};
  opts[no++] = (struct option){"baseline", no_argument, 0, OPT_BASELINE};
  opts[no++] = (struct option){"baseline-weights", required_argument, 0, OPT_BASELINE_WEIGHTS};
  opts[no++] = (struct option){"baseline-c", required_argument, 0, OPT_BASELINE_C};
  opts[no++] = (struct option){"output", required_argument, 0, 'o'};
  opts[no++] = (struct option){"quiet", no_argument, 0, 'q'};
  opts[no++] = (struct option){"verbose", no_argument, 0, 'v'};
  opts[no++] = (struct option){"help", no_argument, 0, 'h'};
  no = mnn_cli_task_add_options(opts, no);
  opts[no] = (struct option){0, 0, 0, 0};

  const char *out = NULL, *history = NULL, *confusion = NULL, *predictions = NULL, *fem_response = NULL;
  const char *baseline_weights = NULL;
  double baseline_c = 0;
  int per_sample = 0, baseline = 0, c;
  mnn_cli_task cli_task = {0};
  mnn_error err;
  optind = 1;
  while ((c = getopt_long(argc, argv, "o:qvh", opts, NULL)) != -1) {
    switch (c) {
      case OPT_HISTORY: history = optarg; break;
      case OPT_CONFUSION: confusion = optarg; break;
      case OPT_PREDICTIONS: predictions = optarg; break;
      case OPT_PER_SAMPLE: per_sample = 1; break;
      case OPT_FEM_RESPONSE: fem_response = optarg; break;
      case OPT_BASELINE: baseline = 1; break;
      case OPT_BASELINE_WEIGHTS: baseline = 1, baseline_weights = optarg; break;
      case OPT_BASELINE_C: {
        char *end = NULL;
        baseline = 1, baseline_c = strtod(optarg, &end);
        if (end == optarg || *end || !(baseline_c > 0) || !isfinite(baseline_c))
          return mnn_cli_usagef("train: --baseline-c '%s': give a positive number", optarg);
        break;
      }
      case 'o': out = optarg; break;
      case 'q': mnn_set_verbosity(MNN_QUIET); break;
      case 'v': mnn_set_verbosity(MNN_VERBOSE); break;
      case 'h': help(); return 0;
      default:
        if (mnn_cli_task_take(&cli_task, c, optarg) > 0) break;
        return mnn_cli_bad_option("train", argv, opts);
    }
  }
  if (optind != argc - 1) return mnn_cli_usagef("train: give exactly one network file: mnn train NETWORK.xml --task NAME");
  mnn_task task;
  if (mnn_cli_task_build(&cli_task, "train", &task, &err)) return mnn_cli_usage(&err);
  if (baseline && !mnn_loss_is_classification(task.loss))
    return mnn_cli_usagef("train: --baseline: task %s is not a classification: use a ce or softmax loss, or drop --baseline",
                          task.name);

  mnn_network *net = mnn_network_read(argv[optind], &err);
  if (!net) return mnn_cli_fail(&err);
  mnn_train_session s = {0};
  int rc = 1;
  if (mnn_task_check(&task, net, &err)) {
    mnn_error_prefix(&err, "%s", argv[optind]);
    goto fail;
  }
  if (mnn_train_session_open(&s, net, &task, per_sample, &err)) goto fail;
  if (fem_response && set_fem_reference(&s, fem_response, &err)) goto fail;
  if (history && mnn_train_session_history(&s, history, &err)) goto fail;
  mnn_info("%s: %d nodes, %d bonds; task %s: %d inputs, %d outputs, loss %s; %d training and %d test samples",
           argv[optind], net->n_nodes, net->n_bonds, task.name, task.n_inputs, task.n_outputs, mnn_loss_name(task.loss),
           s.split.n_train, s.split.n_test);
  if (mnn_train_session_run(&s, task.epochs, &err)) goto fail;
  const mnn_train_result *res = &s.result;
  mnn_info("%ld updates, %ld factorisations, %ld solves in %.3f s (%s path)", res->updates, res->factorisations,
           res->solves, res->seconds, per_sample ? "per-sample" : "superposition");
  if (s.data->n_samples == 1) {
    int one = 0;
    double y[MNN_TASK_MAX_IO];
    if (mnn_trainer_outputs(s.tr, 1, &one, y, &err)) goto fail;
    for (int o = 0; o < task.n_outputs; ++o)
      mnn_info("u_%s of node %d: %.6g mm", task.outputs[o].component ? "y" : "x", task.outputs[o].node_id, y[o] * 1e3);
  }
  if (mnn_loss_is_classification(task.loss) && s.data->n_samples > 1 &&
      mnn_confusion_outputs(s.tr, &s.split, confusion, 1, &err))
    goto fail;
  if (predictions && write_predictions(s.tr, &s.split, predictions, &err)) goto fail;
  if (baseline && print_baseline(s.data, &s.split, res, baseline_c, baseline_weights, &err)) goto fail;
  if (out) {
    if (mnn_network_write(net, out, &err)) goto fail;
    mnn_info("wrote %s", out);
  }
  rc = 0;
fail:
  if (rc) mnn_cli_fail(&err);
  mnn_train_session_close(&s);
  mnn_network_free(net);
  return rc;
}
