/* The CSV outputs of the studies, written atomically, shared by the subcommands
 * (mnn train, mnn prune, mnn gradient) and by `mnn run`: the confusion matrix,
 * the pruning sweep, and the gradient study's two tables. */
#ifndef MNN_STUDY_OUTPUTS_H
#define MNN_STUDY_OUTPUTS_H

#include "training.h"

/* The confusion matrices of the training and the test set, evaluated once: printed
 * through mnn_info when print, and written to path when not NULL as CSV
 * (set,true,<class names...>, one row per true class). */
int mnn_confusion_outputs(mnn_trainer *tr, const mnn_split *split, const char *path, int print, mnn_error *err);

/* bond,role,zero_modes,loss,<metric>,retrained_<metric> */
int mnn_write_prune_sweep_csv(const mnn_network *net, const mnn_task *task, const mnn_prune_result *results,
                              const char *path, mnn_error *err);

/* What a pruning sweep found, shown to the caller before its CSV is written. */
typedef struct mnn_prune_sweep_view {
  const mnn_network *net;
  const mnn_task *task;
  const mnn_dataset *data;         /* the task's data set, evaluated whole */
  double base;                     /* the unpruned network's accuracy or MSE over data */
  const mnn_prune_result *results; /* one per bond of net, in bond order */
} mnn_prune_sweep_view;

/* The pruning sweep step of `mnn prune --sweep` and the train stage: the task's
 * data set and split (mnn_train_data_open), mnn_prune_sweep of net with
 * settings, then report(view, arg) when not NULL (the caller's lines), then the
 * table written to csv when not NULL (mnn_write_prune_sweep_csv). Returns 0, or
 * -1 with err set; a failure to write csv comes after the report. */
int mnn_prune_sweep_outputs(const mnn_network *net, const mnn_task *task, const mnn_prune_settings *settings,
                            void (*report)(const mnn_prune_sweep_view *view, void *arg), void *arg,
                            const char *csv, mnn_error *err);

/* dir/gradient_steps.csv (step,forward_error,central_error) and
 * dir/gradient_bonds.csv (bond,from,to,adjoint,forward_difference). */
int mnn_write_gradient_study_csvs(const char *dir, const mnn_network *net, const mnn_gradient_study *r,
                                  mnn_error *err);

#endif
