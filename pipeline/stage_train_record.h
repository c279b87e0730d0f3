/* The train stage's record (train.record.xml) as a struct: what the train stage
 * of `mnn run` did (stage_train.c) and what the report stage (fill_training in
 * stage_report.c) and the FEM stage (the FEM rounds' correction) read, written
 * and read through one field table (mnn_train_record_table, stage_record.h), so
 * that the writer and the readers cannot disagree on a key. */
#ifndef MNN_STAGE_TRAIN_RECORD_H
#define MNN_STAGE_TRAIN_RECORD_H

#include "case_file.h"
#include "stage_record.h"
#include "training.h"

#define MNN_TRAIN_RECORD_PHASES MNN_CASE_MAX_STEPS
#define MNN_TRAIN_RECORD_ROUNDS MNN_CASE_MAX_FEM_ROUNDS

/* The sets a training step is evaluated on, in the order of the metric arrays. */
enum { MNN_TRAIN_INITIAL_TRAIN, MNN_TRAIN_INITIAL_TEST, MNN_TRAIN_FINAL_TRAIN, MNN_TRAIN_FINAL_TEST };

typedef struct mnn_train_round {
  double model_difference; /* the model's response from the FEM's before the round's correction (relative) */
  double final_loss;       /* the training loss after the round's retraining */
} mnn_train_round;

typedef struct mnn_train_record {
  /* the case's training steps in order (0: it trains nothing), each one's task */
  int phases;
  char phase[MNN_TRAIN_RECORD_PHASES][64]; /* keys phase.1, phase.2, ... */
  /* the last training step: written when phases > 0, then every key must be there */
  int has_summary;
  char task[64], loss_name[64];
  int epochs;
  double initial_loss, final_loss, seconds;
  long updates, solves;
  /* accuracy (classification) or MSE (regression, m^2) on the training and test
   * sets before and after, by MNN_TRAIN_INITIAL_TRAIN...; each written when its
   * step evaluated that set, and kept from an earlier step otherwise */
  double accuracy[4], mse[4];
  int has_accuracy[4], has_mse[4];
  /* the linear classifier on the same data and split (classification steps) */
  double baseline_c, baseline_train_accuracy, baseline_test_accuracy;
  int has_baseline, has_baseline_test;
  /* the last <prune> step's bond count and the last gradient study's best
   * forward-difference error; each written when the case has one */
  int pruned_bonds, has_pruned_bonds;
  double gradient_study_best_forward_error;
  int has_gradient_study;
  /* the multi-fidelity rounds after the last training step (keys fem-round.1. ...)
   * and the bar model's last correction C (outputs x inputs, m/N) */
  int fem_rounds, has_fem_rounds;
  mnn_train_round round[MNN_TRAIN_RECORD_ROUNDS];
  int n_correction; /* not recorded: the task's outputs x inputs, set by writer and reader */
  double correction[MNN_TASK_MAX_IO * MNN_TASK_MAX_IO];
  int has_correction;
  const int *number; /* 1, 2, 3, ...: the numbers in the phase and round keys (mnn_train_record_init) */
} mnn_train_record;

extern const mnn_record_table mnn_train_record_table;

/* Zeroes t for a writer: no training, no optional value. */
void mnn_train_record_init(mnn_train_record *t);
/* Writes t as the record of stage "train" at path, atomically. Fails on memory,
 * a write, or more phases or rounds than the record holds. */
int mnn_train_record_write(const mnn_train_record *t, const char *path, mnn_error *err);
/* Fills t from a train record. n_correction is the task's outputs x inputs when
 * the caller needs the correction (the FEM stage), else 0. Fails naming the key
 * when a value is malformed, when a record that trained lacks a key of its
 * summary or a phase, when a round lacks a value, or when rounds come without
 * the n_correction values of their correction. */
int mnn_train_record_take(const mnn_record *rec, int n_correction, mnn_train_record *t, mnn_error *err);

/* For the FEM stage: the number of FEM rounds (0 when there were none) and then
 * the last correction C (n values, outputs x inputs); C is left alone without
 * rounds. Fails as mnn_train_record_take. */
int mnn_fem_correction_take(const mnn_record *rec, int n, int *rounds, double *C, mnn_error *err);

#endif
