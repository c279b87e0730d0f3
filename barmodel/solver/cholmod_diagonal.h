/* The diagonal of a CHOLMOD factor, which both sparse paths of the bar model and
 * the frame model read to tell a tiny rounding pivot (a zero mode) from a real one. */
#ifndef MNN_CHOLMOD_DIAGONAL_H
#define MNN_CHOLMOD_DIAGONAL_H

#include <cholmod.h>

/* d[j] = the j-th diagonal entry of L (supernodal LL', or simplicial LL' or LDL'),
 * in factor order; d has L->n entries. */
void mnn_cholmod_factor_diagonal(const cholmod_factor *L, double *d);

#endif
