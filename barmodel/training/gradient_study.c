/* The Fig. 1 gradient study (gradient_study.h): one factorisation and two solves
 * give the exact gradient; finite differences need one factorisation and solve
 * per bond and step (two for central differences). */
#include "gradient_study.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "bar_solver.h"
#include "log.h"

void mnn_gradient_study_defaults(mnn_gradient_study_options *o) {
  o->load_node_id = 13;
  o->output_node_id = 14;
  o->force_y = -0.01 * 9.8;
  o->target = -0.025;
  o->step_min = 1e-12;
  o->step_max = 1e2;
  o->n_steps = 15;
}

void mnn_gradient_study_free(mnn_gradient_study *r) {
  if (!r) return;
  free(r->adjoint), free(r->steps), free(r->forward_error), free(r->central_error), free(r->forward_best);
  memset(r, 0, sizeof *r);
}

typedef struct {
  mnn_bar_solver *solver;
  double *F, *U;
  int out_dof;
  double target;
} loss_eval;

static int eval_loss(loss_eval *e, const double *k, double *L, mnn_error *err) {
  if (mnn_bar_solver_factor(e->solver, k, err) || mnn_bar_solver_solve(e->solver, 1, e->F, e->U, err)) return -1;
  double r = e->U[e->out_dof] - e->target;
  *L = r * r;
  return 0;
}

static double relative_max_error(int n, const double *a, const double *ref) {
  double num = 0, den = 0;
  for (int i = 0; i < n; ++i) num = fmax(num, fabs(a[i] - ref[i])), den = fmax(den, fabs(ref[i]));
  return den > 0 ? num / den : num;
}

int mnn_gradient_study_check(const mnn_network *net, const mnn_gradient_study_options *o, mnn_error *err) {
  int in = mnn_network_node_index(net, o->load_node_id), out = mnn_network_node_index(net, o->output_node_id);
  if (in < 0) return mnn_fail(err, "load node %d is not in the network: pick one with --load-node", o->load_node_id);
  if (out < 0)
    return mnn_fail(err, "output node %d is not in the network: pick one with --output-node", o->output_node_id);
  if (net->fixed[out] & MNN_FIX_Y)
    return mnn_fail(err, "output node %d is held in y by a support: its u_y is always 0", o->output_node_id);
  if (!isfinite(o->force_y) || !isfinite(o->target))
    return mnn_fail(err, "force %g N and target %g m must be finite numbers", o->force_y, o->target);
  if (o->n_steps < 1 || o->n_steps > MNN_GRADIENT_STUDY_MAX_STEPS)
    return mnn_fail(err, "steps %d: use 1..%d finite-difference steps", o->n_steps, MNN_GRADIENT_STUDY_MAX_STEPS);
  double kmax = 0;
  for (int b = 0; b < net->n_bonds; ++b) kmax = fmax(kmax, mnn_bond_stiffness(net, b));
  if (!(o->step_min > 0) || !(o->step_max >= o->step_min))
    return mnn_fail(err, "finite-difference steps: need 0 < step-min <= step-max (got %g and %g N/m)", o->step_min,
                    o->step_max);
  if (!(o->step_max <= 1e6 * kmax))
    return mnn_fail(err, "step-max %g N/m: a step over 1e6 times the stiffest bond (k = %g N/m) measures no "
                         "derivative and overflows the solve: use at most %g",
                    o->step_max, kmax, 1e6 * kmax);
  return 0;
}

int mnn_gradient_study_run(const mnn_network *net, const mnn_gradient_study_options *o, mnn_gradient_study *r,
                           mnn_error *err) {
  memset(r, 0, sizeof *r);
  if (mnn_gradient_study_check(net, o, err)) return -1;
  int in = mnn_network_node_index(net, o->load_node_id), out = mnn_network_node_index(net, o->output_node_id);
  int nb = net->n_bonds, nd = 2 * net->n_nodes, ns = o->n_steps;
  r->n_bonds = nb;
  r->n_steps = ns;
  r->best_step = 0;
  r->adjoint = malloc((size_t)nb * sizeof(double));
  r->forward_best = malloc((size_t)nb * sizeof(double));
  r->steps = malloc((size_t)ns * sizeof(double));
  r->forward_error = malloc((size_t)ns * sizeof(double));
  r->central_error = malloc((size_t)ns * sizeof(double));
  double *k = malloc((size_t)nb * sizeof(double)), *kk = malloc((size_t)nb * sizeof(double));
  double *fd = malloc((size_t)nb * sizeof(double)), *cd = malloc((size_t)nb * sizeof(double));
  double *E = malloc((size_t)nb * sizeof(double)), *Ea = malloc((size_t)nb * sizeof(double));
  double *F = calloc((size_t)nd, sizeof(double)), *U = malloc((size_t)nd * sizeof(double)),
         *Ua = malloc((size_t)nd * sizeof(double)), *rhs = calloc((size_t)nd, sizeof(double));
  loss_eval ev = {NULL, F, U, 2 * out + 1, o->target};
  int rc = -1;
  if (!r->adjoint || !r->forward_best || !r->steps || !r->forward_error || !r->central_error || !k || !kk || !fd ||
      !cd || !E || !Ea || !F || !U || !Ua || !rhs) {
    mnn_fail(err, "out of memory in the gradient study");
    goto done;
  }
  mnn_network_stiffnesses(net, k);
  F[2 * in + 1] = o->force_y;

  /* adjoint: factor once, forward solve, adjoint solve D u_adj = -dL/du */
  double t0 = mnn_now();
  mnn_bar_solver *adj = mnn_bar_solver_create(net, err);
  if (!adj) goto done;
  if (mnn_bar_solver_factor(adj, k, err) || mnn_bar_solver_solve(adj, 1, F, U, err)) {
    mnn_bar_solver_free(adj);
    goto done;
  }
  r->u_out = U[2 * out + 1];
  r->loss = (r->u_out - o->target) * (r->u_out - o->target);
  rhs[2 * out + 1] = -2 * (r->u_out - o->target);
  if (mnn_bar_solver_solve(adj, 1, rhs, Ua, err)) {
    mnn_bar_solver_free(adj);
    goto done;
  }
  mnn_bar_elongations(net, 1, U, E);
  mnn_bar_elongations(net, 1, Ua, Ea);
  mnn_bar_gradient_k(nb, 1, E, Ea, r->adjoint, 0);
  r->adjoint_factorisations = mnn_bar_solver_n_factorisations(adj);
  r->adjoint_solves = mnn_bar_solver_n_solves(adj);
  mnn_bar_solver_free(adj);
  r->adjoint_seconds = mnn_now() - t0;

  /* finite differences: every evaluation is one factorisation and one solve */
  ev.solver = mnn_bar_solver_create(net, err);
  if (!ev.solver) goto done;
  double L0;
  if (eval_loss(&ev, k, &L0, err)) goto fd_done;
  long base_f = mnn_bar_solver_n_factorisations(ev.solver), base_s = mnn_bar_solver_n_solves(ev.solver);
  double tf = 0, tc = 0, best = INFINITY;
  for (int q = 0; q < ns; ++q) {
    double h = ns == 1 ? o->step_min : exp(log(o->step_min) + (log(o->step_max) - log(o->step_min)) * q / (ns - 1));
    r->steps[q] = h;
    double t1 = mnn_now();
    for (int b = 0; b < nb; ++b) {
      double Lp;
      memcpy(kk, k, (size_t)nb * sizeof(double));
      kk[b] = k[b] + h;
      if (eval_loss(&ev, kk, &Lp, err)) goto fd_done;
      fd[b] = (Lp - L0) / h;
      cd[b] = Lp; /* finished below */
    }
    double t2 = mnn_now();
    for (int b = 0; b < nb; ++b) {
      double Lm;
      memcpy(kk, k, (size_t)nb * sizeof(double));
      kk[b] = k[b] - h;
      if (!(kk[b] > 0)) { /* a step larger than k itself: no central difference */
        cd[b] = NAN;
        continue;
      }
      if (eval_loss(&ev, kk, &Lm, err)) goto fd_done;
      cd[b] = (cd[b] - Lm) / (2 * h);
    }
    double t3 = mnn_now();
    tf += t2 - t1;
    tc += (t3 - t2) + (t2 - t1); /* central differences need the k + h solves too */
    r->forward_error[q] = relative_max_error(nb, fd, r->adjoint);
    r->central_error[q] = relative_max_error(nb, cd, r->adjoint);
    if (r->forward_error[q] < best) {
      best = r->forward_error[q];
      r->best_step = q;
      memcpy(r->forward_best, fd, (size_t)nb * sizeof(double));
    }
  }
  /* forward: the base evaluation (shared by all steps) + nb per step; central: 2 nb per step */
  long evals = mnn_bar_solver_n_factorisations(ev.solver) - base_f;
  r->forward_factorisations = 1 + (long)nb * ns;
  r->forward_solves = r->forward_factorisations;
  r->central_factorisations = 2L * nb * ns;
  r->central_solves = r->central_factorisations;
  if (evals != 2L * nb * ns || mnn_bar_solver_n_solves(ev.solver) - base_s != evals) {
    /* some k - h were not positive (those bonds are left out of the central
     * error, see the loop): count what really ran */
    r->central_factorisations = evals;
    r->central_solves = mnn_bar_solver_n_solves(ev.solver) - base_s;
  }
  r->forward_seconds = tf;
  r->central_seconds = tc;
  rc = 0;
fd_done:
  mnn_bar_solver_free(ev.solver);
done:
  free(k), free(kk), free(fd), free(cd), free(E), free(Ea), free(F), free(U), free(Ua), free(rhs);
  if (rc) mnn_gradient_study_free(r);
  return rc;
}
