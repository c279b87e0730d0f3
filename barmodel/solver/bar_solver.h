/* The bar model's linear solver: D = C^T diag(k) C with fixed DOFs removed,
 * factored once per k (Cholesky; symbolic analysis done once per network and
 * reused), then forward and adjoint solves for many right-hand sides at once.
 * DOF layout everywhere: node i has DOFs 2i (x) and 2i+1 (y); vectors are full
 * length 2*n_nodes, several vectors stored one after another (column-major). */
#ifndef MNN_BAR_SOLVER_H
#define MNN_BAR_SOLVER_H

#include "error.h"
#include "network.h"

typedef struct mnn_bar_solver mnn_bar_solver;

/* Analyses the network (free DOFs, sparsity, ordering, symbolic factorisation).
 * The solver keeps a pointer to net: the network's topology and supports must not
 * change while the solver lives (widths may: they enter through k). */
mnn_bar_solver *mnn_bar_solver_create(const mnn_network *net, mnn_error *err);
void mnn_bar_solver_free(mnn_bar_solver *s);

/* The factorisation path. AUTO picks the dense Cholesky below
 * MNN_BAR_DENSE_MAX_FREE free DOFs and CHOLMOD (supernodal) above; the others
 * force a path (tests compare them). */
typedef enum { MNN_BAR_AUTO = 0, MNN_BAR_DENSE, MNN_BAR_SPARSE } mnn_bar_method;
#define MNN_BAR_DENSE_MAX_FREE 300
mnn_bar_solver *mnn_bar_solver_create_with(const mnn_network *net, mnn_bar_method method, mnn_error *err);
mnn_bar_method mnn_bar_solver_method(const mnn_bar_solver *s); /* DENSE or SPARSE */
int mnn_bar_solver_n_free(const mnn_bar_solver *s);            /* free DOFs */

/* Assembles D(k) (k: n_bonds spring constants, N/m) and factors it numerically.
 * A singular D (zero modes) fails with one line that says how many zero modes
 * and which nodes move, e.g. "the network has 2 zero modes (mechanisms): nodes
 * 7, 12 can move without stretching any bond: add bonds or supports". */
int mnn_bar_solver_factor(mnn_bar_solver *s, const double *k, mnn_error *err);

/* Solves D U = F for nrhs load vectors with the current factorisation. F and U
 * are 2*n_nodes*nrhs; the fixed DOFs of F are ignored and those of U set to 0.
 * F and U may be the same array. */
int mnn_bar_solver_solve(mnn_bar_solver *s, int nrhs, const double *F, double *U, mnn_error *err);

/* Counters, for the reports of solves that a method needed. */
long mnn_bar_solver_n_factorisations(const mnn_bar_solver *s);
long mnn_bar_solver_n_solves(const mnn_bar_solver *s); /* right-hand sides solved */

/* Elongations e = C u of every bond for nrhs displacement vectors:
 * E is n_bonds*nrhs (column-major). */
void mnn_bar_elongations(const mnn_network *net, int nrhs, const double *U, double *E);

/* Gradient of a loss with respect to k from forward and adjoint elongations
 * summed over nrhs samples: g_i = sum_s e_adj,i,s * e_i,s (adds into g if
 * accumulate, else overwrites). The adjoint solve is D U_adj = -dL/dU. */
void mnn_bar_gradient_k(int n_bonds, int nrhs, const double *E, const double *E_adj, double *g, int accumulate);

/* Chain rule to widths: g_w,i = dk_i/dw_i * g_k,i. */
void mnn_bar_gradient_w(const mnn_network *net, const double *g_k, double *g_w);

/* Zero-mode analysis without solving: the number of independent mechanisms of
 * D(k) and the nodes that move in them (node indices, 0-based; malloc'd, free()
 * by the caller). Returns 0 on success (n_modes may be 0). */
typedef struct mnn_zero_modes {
  int n_modes;
  int n_moving;
  int *moving_nodes;
} mnn_zero_modes;
int mnn_bar_zero_modes(const mnn_network *net, const double *k, mnn_zero_modes *zm, mnn_error *err);
/* The same with the analysis forced: DENSE = Jacobi eigen-decomposition of
 * the scaled D, SPARSE = shift-invert subspace iteration with CHOLMOD (AUTO:
 * dense up to 150 DOFs). docs/barmodel.md describes both. */
int mnn_bar_zero_modes_with(const mnn_network *net, const double *k, mnn_bar_method method, mnn_zero_modes *zm,
                            mnn_error *err);

/* The diagonal of a CHOLMOD factor, which the sparse paths of the bar model and the
 * frame model (barmodel/calibration) read to tell a tiny rounding pivot (a zero mode)
 * from a real one: d[j] = the j-th diagonal entry of L (supernodal LL', or simplicial
 * LL' or LDL'), in factor order; d has L->n entries. Declared with CHOLMOD's own
 * struct tag (cholmod_factor), so that this header does not pull in cholmod.h. */
struct cholmod_factor_struct;
void mnn_cholmod_factor_diagonal(const struct cholmod_factor_struct *L, double *d);

#endif
