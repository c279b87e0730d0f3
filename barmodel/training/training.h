/* Training on the bar model: the training library's one public header. Whoever
 * links mnn_training includes this and nothing else of the library; the per-concern
 * headers in internal/ are included here, and only here outside the library
 * (tests/architecture's test_dependency_rule fails otherwise). What each declares:
 *   task.h            the training task: inputs, outputs, loss, data, optimiser,
 *                     schedule; the table-driven key parser of the CLI and case files
 *   dataset.h         data sets: the paper's regression set, CSV tables, splits
 *   loss.h            per-sample losses with exact derivatives
 *   adam.h            Adam on bond widths kept inside their bounds
 *   rng.h             the deterministic random number generator
 *   train.h           the trainer: gradients by superposition, epochs, evaluation
 *   prune.h           removing bonds and the pruning sweep
 *   gradient_study.h  the paper's Fig. 1 gradient study
 *   logreg.h          the linear classifier a network is measured against
 * It includes bar_solver.h (the trainer's solver) and network.h. */
#ifndef MNN_TRAINING_H
#define MNN_TRAINING_H

#include "internal/rng.h"
#include "internal/dataset.h"
#include "internal/loss.h"
#include "internal/adam.h"
#include "internal/task.h"
#include "internal/train.h"
#include "internal/prune.h"
#include "internal/gradient_study.h"
#include "internal/logreg.h"

#endif
