/* Lattice generators: the paper's 14-node triangle and triangular-lattice
 * patches of any size. Bonds join every pair of nodes one spacing apart and are
 * numbered by (lower node id, higher node id); node ids follow rows from the top. */
#ifndef MNN_LATTICE_H
#define MNN_LATTICE_H

#include "network.h"

#define MNN_PAPER_SPACING 0.016 /* a = 16 mm */

/* Which nodes a generated lattice supports (both components fixed). */
typedef enum {
  MNN_SUPPORT_TOP_CORNERS = 0, /* first and last node of the top row (the paper's 1 and 5) */
  MNN_SUPPORT_TOP_ROW,         /* every node of the top row */
  MNN_SUPPORT_NONE             /* none: the caller sets net->fixed */
} mnn_support_choice;

/* Downward triangle: the top row has n_top nodes, each of the n_rows rows one
 * fewer (the paper: n_top = 5, n_rows = 4, 14 nodes, 28 bonds). Node (i, j) sits at
 * p = -j*a1 - i*a2, a1 = (a, 0), a2 = (a/2, a*sqrt(3)/2), numbered row by row. */
mnn_network *mnn_lattice_triangle(int n_top, int n_rows, double spacing, mnn_support_choice supports, mnn_error *err);

/* The paper's network: mnn_lattice_triangle(5, 4, 16 mm, top corners), widths 2 mm. */
mnn_network *mnn_lattice_paper(mnn_error *err);

/* Rectangular patch of a triangular lattice: rows x cols nodes, odd rows shifted
 * by a/2, rows going down (y = -r*a*sqrt(3)/2). Bonds: 3*rows*cols - 2*rows - 2*cols + 1
 * (about 3 per node). */
mnn_network *mnn_lattice_patch(int rows, int cols, double spacing, mnn_support_choice supports, mnn_error *err);

#endif
