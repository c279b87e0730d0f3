/* Training on the bar model: gradients of a task's loss with respect to the
 * widths, by superposition (the fast path) or per sample (the reference), Adam
 * epochs over mini-batches, evaluation and the history.
 *
 * Superposition: the loads of sample s are f_s,i (input i) on fixed DOFs, so
 * u_s = sum_i f_s,i U_i with U_i = D^-1 (unit load at input i), and every output
 * is y_s,o = sum_i G_oi f_s,i. The adjoint load is -dL/du = -sum_o g_s,o (unit load
 * at output o), so u_adj,s = -sum_o g_s,o V_o with V_o = D^-1 (unit load at output o).
 * Then dL/dk_b = sum_s e_adj,s,b e_s,b = -sum_o sum_i M_oi EV_o,b EU_i,b with
 * M = sum_s g_s f_s^T. One factorisation and (inputs + outputs) solves per update,
 * whatever the number of samples. */
#ifndef MNN_TRAIN_H
#define MNN_TRAIN_H

#include <stdio.h>
#include "bar_solver.h"
#include "dataset.h"
#include "task.h"

typedef struct mnn_trainer {
  mnn_network *net;          /* widths are updated in place */
  const mnn_task *task;
  const mnn_dataset *data;
  mnn_loss loss;
  int n_in, n_out;
  int in_dof[MNN_TASK_MAX_IO], out_dof[MNN_TASK_MAX_IO]; /* full DOF index 2*node + component */
  double in_scale[MNN_TASK_MAX_IO];
  int per_sample;            /* 1: gradients and evaluations solve per sample (the reference path) */
  mnn_bar_solver *solver;
  double *k;                 /* n_bonds spring constants of the current factorisation */
  double *U;                 /* 2n x (n_in + n_out): unit responses (inputs first, then outputs) */
  double *E;                 /* n_bonds x (n_in + n_out): their elongations */
  double G[MNN_TASK_MAX_IO * MNN_TASK_MAX_IO]; /* G[o * n_in + i]: output o per unit input i */
  int fresh;                 /* U, E, G belong to the current widths */
  int corrected;             /* 1: G includes the fixed correction C (mnn_trainer_set_reference) */
  double C[MNN_TASK_MAX_IO * MNN_TASK_MAX_IO]; /* C[o * n_in + i], m/N */
  double *work_u, *work_e, *work_a; /* per-sample scratch: 2n, 2n, 3*n_bonds */
} mnn_trainer;

/* Prepares training of net on task with data (checked). net and data must outlive
 * the trainer; net's topology must not change while it lives. */
mnn_trainer *mnn_trainer_create(mnn_network *net, const mnn_task *task, const mnn_dataset *data, mnn_error *err);
void mnn_trainer_free(mnn_trainer *tr);

/* Multi-fidelity training: from now on the outputs are y = (G(w) + C) f with the
 * correction C = R_ref - G(w0) fixed at the current widths w0, so that the trainer
 * reproduces a reference model's response R_ref (the 3D FEM's, n_out x n_in,
 * m/N, row-major) at w0 exactly and follows the bar model's change of G with the
 * widths from there. The gradient keeps its form (C does not depend on w).
 * Calling it again replaces C. Fails on non-finite entries. */
int mnn_trainer_set_reference(mnn_trainer *tr, const double *R_ref, mnn_error *err);
/* The same with the correction C (n_out x n_in) given directly, e.g. as recorded
 * by an earlier run; NULL removes the correction. */
void mnn_trainer_set_correction(mnn_trainer *tr, const double *C);

/* Tells the trainer that net->width changed behind its back. */
void mnn_trainer_widths_changed(mnn_trainer *tr);

/* The model's response matrix at the current widths into G (n_out x n_in, m/N,
 * row-major: output o per unit force on input i), with the correction C when one
 * is set; factorises and solves the unit loads only when the widths changed. */
int mnn_trainer_response(mnn_trainer *tr, double *G, mnn_error *err);

/* Forces of sample s on the input DOFs: f[i] = scale_i * x_s,i (N). */
void mnn_trainer_forces(const mnn_trainer *tr, int s, double *f);

/* Outputs y[n_out] (m) of the listed samples (n of them): y is n x n_out. */
int mnn_trainer_outputs(mnn_trainer *tr, int n, const int *samples, double *y, mnn_error *err);

/* Mean loss over the listed samples and, if grad_w is not NULL, its exact gradient
 * with respect to the widths (n_bonds; loss units per m) and, for the two explicit
 * variants, with respect to the spring constants if grad_k is not NULL (per N/m).
 * mnn_trainer_gradient uses superposition, or the per-sample path if tr->per_sample;
 * the _superposition / _per_sample variants force one path. */
int mnn_trainer_gradient(mnn_trainer *tr, int n, const int *samples, double *loss, double *grad_w, mnn_error *err);
int mnn_trainer_gradient_superposition(mnn_trainer *tr, int n, const int *samples, double *loss, double *grad_w,
                                       double *grad_k, mnn_error *err);
int mnn_trainer_gradient_per_sample(mnn_trainer *tr, int n, const int *samples, double *loss, double *grad_w,
                                    double *grad_k, mnn_error *err);

/* Evaluation of the listed samples: mean loss, accuracy (classification) or MSE
 * over samples and outputs (regression, m^2), and the confusion matrix
 * confusion[true * n_out + predicted] if confusion is not NULL (classification). */
typedef struct mnn_eval {
  int n;
  double loss;
  double accuracy; /* classification: share of samples whose largest |y_c| is the label; else NAN */
  double mse;      /* regression: mean (y - t)^2 over samples and outputs, m^2; else NAN */
} mnn_eval;
int mnn_trainer_evaluate(mnn_trainer *tr, int n, const int *samples, mnn_eval *ev, int *confusion, mnn_error *err);

/* A training run: Adam from the network's widths with the task's settings, one
 * history row per epoch (epoch 0 is the start), progress through mnn_info every
 * task->report_every epochs. history may be NULL. The final widths are in net. */
typedef struct mnn_train_result {
  mnn_eval train0, test0;  /* before training */
  mnn_eval train, test;    /* after the last epoch */
  long updates;            /* Adam steps */
  long factorisations, solves;
  double seconds;
} mnn_train_result;
int mnn_train_run(mnn_trainer *tr, const mnn_split *split, FILE *history, mnn_train_result *res, mnn_error *err);
/* The same with epochs epochs instead of the task's (e.g. a shorter retraining). */
int mnn_train_run_epochs(mnn_trainer *tr, const mnn_split *split, int epochs, FILE *history, mnn_train_result *res,
                         mnn_error *err);

/* The history header for a task ("epoch,loss,test_loss,train_accuracy,test_accuracy"
 * or "...,train_mse,test_mse") and one row, as mnn_train_run writes them. */
void mnn_train_history_header(const mnn_trainer *tr, FILE *fp);
void mnn_train_history_row(const mnn_trainer *tr, FILE *fp, int epoch, const mnn_eval *train, const mnn_eval *test);

#endif
