/* Progress of long FEM work on stderr (rank 0): a KSP monitor that reports,
 * every few seconds, the iteration, the residual against the start and the
 * share of the way to the tolerance (on a log scale), and phase lines for
 * large problems (MNN_FEM_LARGE DOFs or more). Silent with -q (mnn_info). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "fem_internal.h"
#include "log.h"


void mnn_fem_set_progress_label(mnn_fem *fem, const char *label) {
  snprintf(fem->progress.label, sizeof fem->progress.label, "%s", label ? label : "solve");
}

int mnn_fem_is_large(const mnn_fem *fem) { return fem->stats.n_dofs >= MNN_FEM_LARGE; }

void mnn_fem_phase(const mnn_fem *fem, const char *what, double seconds) {
  if (fem->rank != 0) return;
  if (mnn_fem_is_large(fem)) mnn_info("fem: %s (%.1f s)", what, seconds);
  else mnn_debug("fem: %s (%.1f s)", what, seconds);
}

PetscErrorCode mnn_fem_progress_monitor(KSP ksp, PetscInt it, PetscReal rnorm, void *ctx) {
  mnn_fem *fem = ctx;
  mnn_fem_progress *p = &fem->progress;
  PetscFunctionBeginUser;
  double now = MPI_Wtime();
  if (it == 0) {
    p->r0 = rnorm;
    p->t0 = p->t_last = now;
    PetscCall(KSPGetTolerances(ksp, &p->rtol, NULL, NULL, NULL));
    PetscFunctionReturn(0);
  }
  if (fem->rank != 0 || now - p->t_last < mnn_progress_interval() || !(p->r0 > 0) || !(rnorm > 0)) PetscFunctionReturn(0);
  p->t_last = now;
  double share = p->rtol > 0 && p->rtol < 1 ? log(p->r0 / rnorm) / log(1 / p->rtol) : 0;
  share = share < 0 ? 0 : share > 1 ? 1 : share;
  mnn_info("fem: %s: iteration %d, residual %.2g of the start (%.0f%% of the way to %.0e), %.1f s", p->label,
           (int)it, rnorm / p->r0, 100 * share, p->rtol, now - p->t0);
  PetscFunctionReturn(0);
}
