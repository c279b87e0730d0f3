/* The CSV outputs of the studies, written atomically, shared by the subcommands
 * (mnn train, mnn prune, mnn gradient) and by `mnn run`: the confusion matrix,
 * the pruning sweep, and the gradient study's two tables. */
#ifndef MNN_STUDY_OUTPUTS_H
#define MNN_STUDY_OUTPUTS_H

#include "gradient_study.h"
#include "prune.h"
#include "train.h"

/* The confusion matrices of the training and the test set, evaluated once: printed
 * through mnn_info when print, and written to path when not NULL as CSV
 * (set,true,<class names...>, one row per true class). */
int mnn_confusion_outputs(mnn_trainer *tr, const mnn_split *split, const char *path, int print, mnn_error *err);

/* bond,role,zero_modes,loss,<metric>,retrained_<metric> */
int mnn_write_prune_sweep_csv(const mnn_network *net, const mnn_task *task, const mnn_prune_result *results,
                              const char *path, mnn_error *err);

/* dir/gradient_steps.csv (step,forward_error,central_error) and
 * dir/gradient_bonds.csv (bond,from,to,adjoint,forward_difference). */
int mnn_write_gradient_study_csvs(const char *dir, const mnn_network *net, const mnn_gradient_study *r,
                                  mnn_error *err);

#endif
