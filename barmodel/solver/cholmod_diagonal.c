/* The diagonal of a CHOLMOD factor (declared in bar_solver.h). */
#include <cholmod.h>
#include "bar_solver.h"

void mnn_cholmod_factor_diagonal(const cholmod_factor *L, double *d) {
  const double *Lx = L->x;
  if (L->is_super) {
    const int *super = L->super, *pi = L->pi, *px = L->px;
    for (size_t sn = 0; sn < L->nsuper; ++sn) {
      int k1 = super[sn], k2 = super[sn + 1], nsrow = pi[sn + 1] - pi[sn];
      for (int j = k1; j < k2; ++j) d[j] = Lx[px[sn] + (size_t)(j - k1) * nsrow + (j - k1)];
    }
  } else {
    const int *Lp = L->p;
    for (size_t j = 0; j < L->n; ++j) d[j] = Lx[Lp[j]];
  }
}
