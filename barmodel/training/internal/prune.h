/* Pruning: removing bonds by id, and the pruning sweep that removes each bond in
 * turn from a trained network and labels it, as the paper's SI does:
 *   destabilising  the pruned network has zero modes (mechanisms);
 *   critical       the task's metric degrades by more than a threshold;
 *   redundant      it does not.
 * The metric is the accuracy over the whole data set (classification) or the
 * MSE over the whole data set (regression); optionally each pruned network is
 * also retrained and the label uses the metric after retraining. */
#ifndef MNN_PRUNE_H
#define MNN_PRUNE_H

#include "dataset.h"
#include "task.h"

/* Removes the bonds with these user ids. Unknown ids fail with the id named. */
int mnn_prune_bonds(mnn_network *net, int n_ids, const int *bond_ids, mnn_error *err);

typedef enum { MNN_BOND_REDUNDANT = 0, MNN_BOND_CRITICAL, MNN_BOND_DESTABILISING } mnn_bond_role;
/* "redundant", "critical" or "destabilising": the role's name in tables. */
const char *mnn_bond_role_name(mnn_bond_role r);

typedef struct mnn_prune_settings {
  double critical_drop;   /* classification: critical if accuracy falls by more than this; default 0.1 */
  double critical_factor; /* regression: critical if MSE grows by more than this factor; default 10 */
  int retrain_epochs;     /* > 0: retrain every stable pruned network this many epochs (task's
                             optimiser) and label by the retrained metric; default 0 */
} mnn_prune_settings;
/* Sets the defaults given beside each field above. */
void mnn_prune_defaults(mnn_prune_settings *s);

typedef struct mnn_prune_result {
  int bond_id;
  mnn_bond_role role;
  int n_zero_modes;      /* mechanisms of the pruned network (0 if stable) */
  double loss;           /* mean loss over the data set after pruning (NAN if destabilising) */
  double metric;         /* accuracy or MSE over the data set after pruning (NAN if destabilising) */
  double retrained_metric; /* after retraining, NAN if not retrained */
} mnn_prune_result;

/* The metric of the unpruned network (*base) and one result per bond (results
 * has net->n_bonds entries, in bond order). split is used only for retraining. */
int mnn_prune_sweep(const mnn_network *net, const mnn_task *task, const mnn_dataset *data, const mnn_split *split,
                    const mnn_prune_settings *s, double *base_metric, mnn_prune_result *results, mnn_error *err);

#endif
