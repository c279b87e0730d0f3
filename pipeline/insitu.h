/* In situ training with the printed part in the loop (the paper's Fig. 1 method):
 * node positions tracked by markers in the reference, forward and adjoint states
 * (CSV files "node,x,y", m), the bond elongations they give, and the optimiser
 * state that carries Adam from one printed part to the next (a small CSV file).
 * The gradient is e_adj * e (barmodel's definition, dL/dk); the width update is
 * barmodel's Adam (adam.h) with its bounds. */
#ifndef MNN_INSITU_H
#define MNN_INSITU_H

#include "training.h"
#include "network.h"

/* Reads a positions file: header "node,x,y", then one row per node of the network
 * (each exactly once, any order), positions in m. xy gets 2 per node in the
 * network's node order. One-line errors name file:line. */
int mnn_positions_read(const char *path, const mnn_network *net, double *xy, mnn_error *err);

/* Bond elongations between two states of tracked positions (2 per node). linear 0:
 * the change of each bond's length, as the paper measures it (exact for any
 * rotation); linear 1: the relative displacement projected on the reference
 * bond direction, c . (u_b - u_a), the linear models' definition (barmodel's
 * mnn_bar_elongations), which differs from the first by second-order terms. */
void mnn_elongations_from_positions(const mnn_network *net, const double *ref, const double *cur, int linear, double *e);

/* The Adam state between prints: settings, step count, and per bond theta, m, v.
 * read: fills a (created for net with the same bond count) from path; fails when
 * the file's bonds are not the network's, or when the widths it implies differ
 * from the network's (the network is not the part the last update wrote).
 * write: atomically. */
int mnn_adam_state_read(const char *path, const mnn_network *net, mnn_adam *a, mnn_error *err);
int mnn_adam_state_write(const char *path, const mnn_network *net, const mnn_adam *a, mnn_error *err);

#endif
