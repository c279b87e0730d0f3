/* The gradient study of the paper's Fig. 1: loss (u_y(out) - target)^2 under one
 * vertical force; the adjoint gradient dL/dk against forward and central finite
 * differences over log-spaced steps, with the count of solves each method needs. */
#ifndef MNN_GRADIENT_STUDY_H
#define MNN_GRADIENT_STUDY_H

#include "error.h"
#include "network.h"

typedef struct mnn_gradient_study_options {
  int load_node_id;   /* node carrying the force (default 13) */
  int output_node_id; /* node whose u_y enters the loss (default 14) */
  double force_y;     /* N (default -0.01 * 9.8) */
  double target;      /* m: loss (u_y + 0.025)^2 by default, i.e. target -0.025 */
  double step_min, step_max; /* N/m (defaults 1e-12, 1e2) */
  int n_steps;        /* log-spaced, both ends included (default 15) */
} mnn_gradient_study_options;

typedef struct mnn_gradient_study {
  int n_bonds, n_steps;
  double u_out;             /* u_y of the output node, m */
  double loss;              /* m^2 */
  double *adjoint;          /* n_bonds: dL/dk, m^2/(N/m) */
  double *steps;            /* n_steps, N/m */
  double *forward_error;    /* n_steps: max_i |FD_i - adj_i| / max_i |adj_i| */
  double *central_error;    /* n_steps */
  int best_step;            /* index of the smallest forward error */
  double *forward_best;     /* n_bonds: forward difference at the best step */
  long adjoint_factorisations, adjoint_solves;
  long forward_factorisations, forward_solves;
  long central_factorisations, central_solves;
  double adjoint_seconds, forward_seconds, central_seconds;
} mnn_gradient_study;

#define MNN_GRADIENT_STUDY_MAX_STEPS 1000

/* Sets the study's defaults (docs/formats.md, <gradient-study>). */
void mnn_gradient_study_defaults(mnn_gradient_study_options *o);
/* Fails unless both nodes exist, the output node is free in y, force and target
 * are finite, 1 <= n_steps <= MNN_GRADIENT_STUDY_MAX_STEPS and 0 < step_min <=
 * step_max <= 1e6 * the stiffest bond's k. mnn_gradient_study_run checks too. */
int mnn_gradient_study_check(const mnn_network *net, const mnn_gradient_study_options *o, mnn_error *err);
/* Runs the study: the adjoint gradient once, then forward and central differences
 * at every step size, counting factorisations, solves and seconds of each method.
 * Fills *r (free it with mnn_gradient_study_free), or fails on a check or memory
 * with *r holding nothing to free. */
int mnn_gradient_study_run(const mnn_network *net, const mnn_gradient_study_options *o, mnn_gradient_study *r,
                           mnn_error *err);
/* Frees the arrays of *r; safe on a zeroed struct. */
void mnn_gradient_study_free(mnn_gradient_study *r);

#endif
