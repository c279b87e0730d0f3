/* The network: nodes, bonds with widths, supports, material, joint geometry and the bar
 * model's stiffness calibration.
 * Everything in SI units (m, Pa). Arrays are 0-based indices internally; the ids
 * that users see in files and on the terminal are 1-based (node_id, bond_id).
 * This is the one type that meshing, fem and export read from barmodel, and the
 * network library's one public header (the type, its checks, the lattice generators). */
#ifndef MNN_NETWORK_H
#define MNN_NETWORK_H

#include "error.h"

/* Support masks: which displacement components a supported node fixes. */
enum { MNN_FIX_X = 1, MNN_FIX_Y = 2, MNN_FIX_XY = 3 };

/* Documented defaults (docs/formats.md). */
#define MNN_DEFAULT_THICKNESS 0.002      /* m */
#define MNN_DEFAULT_YOUNGS 5.5e5         /* Pa, Agilus30 */
#define MNN_DEFAULT_POISSON 0.45
#define MNN_DEFAULT_WIDTH 0.002          /* m */
#define MNN_DEFAULT_WIDTH_MIN 0.0015     /* m */
#define MNN_DEFAULT_WIDTH_MAX 0.0025     /* m */
#define MNN_DEFAULT_NODE_RADIUS 0.002    /* m, node disc */
#define MNN_DEFAULT_NECK_LENGTH 0.0015   /* m, half-width neck next to each node */

/* Calibration per bond-length class: at most this many classes; a bond belongs to
 * a class when its length is within MNN_LENGTH_CLASS_TOL (relative) of the class's. */
#define MNN_MAX_LENGTH_CLASSES 16
#define MNN_LENGTH_CLASS_TOL 1e-6

/* The joint geometry of the printed part: a disc of node_radius around each node
 * and a neck of half the bond's width over neck_length next to each disc. Meshing,
 * the printability check, the plots and the frame model read it; the bar model
 * does not (its bonds are bars between node centres). */
typedef struct mnn_joint_geometry {
  double node_radius; /* node disc radius, m */
  double neck_length; /* neck length next to each node, m */
} mnn_joint_geometry;

/* The bar model's calibration to the printed part, written by `mnn calibrate` and
 * read by mnn_bond_stiffness: k = factor / (L / (E w t) + 2 joint_compliance), with
 * the factor of the bond's length class when it has one. The defaults (factor 1, no
 * joint compliance, no classes) are the plain bar model k = E w t / L. */
typedef struct mnn_bar_calibration {
  double factor;           /* the network's stiffness factor (1 = plain bar model) */
  double joint_compliance; /* m/N: a compliance in series at each bond end that does not
                              scale with the width (the neck-disc junction); default 0 */
  /* per bond-length class (mnn calibrate --length-classes): a bond whose length
   * matches class_length[c] uses class_factor[c] instead of factor */
  int n_classes;
  double class_length[MNN_MAX_LENGTH_CLASSES]; /* m, distinct */
  double class_factor[MNN_MAX_LENGTH_CLASSES]; /* > 0 */
} mnn_bar_calibration;

typedef struct mnn_network {
  /* nodes */
  int n_nodes;
  int *node_id;          /* user id (1-based, unique, positive) */
  double *x, *y;         /* positions, m */
  unsigned char *fixed;  /* MNN_FIX_* mask per node, 0 if free */

  /* bonds */
  int n_bonds;
  int *bond_id;          /* user id (1-based, unique, positive) */
  int *bond_a, *bond_b;  /* node indices (0-based) */
  double *width;         /* in-plane width, m */

  /* material and geometry */
  double thickness;        /* out-of-plane thickness t, m */
  double youngs_modulus;   /* E, Pa */
  double poisson_ratio;    /* nu (FEM only) */
  double width_min, width_max;   /* bounds on trained widths, m */

  mnn_joint_geometry joint;        /* node discs and necks (meshing) */
  mnn_bar_calibration calibration; /* stiffness calibration (mnn calibrate) */
} mnn_network;

/* Allocates a network with n_nodes and n_bonds, all fields zeroed and material /
 * geometry set to the defaults above. Returns NULL when out of memory. */
mnn_network *mnn_network_create(int n_nodes, int n_bonds);
/* Frees the network and its arrays; NULL is allowed. */
void mnn_network_free(mnn_network *net);
/* A deep copy (arrays, material, joint geometry and calibration), or NULL when out
 * of memory. */
mnn_network *mnn_network_copy(const mnn_network *net);

/* Index of the node / bond with this user id, or -1. O(n). */
int mnn_network_node_index(const mnn_network *net, int node_id);
int mnn_network_bond_index(const mnn_network *net, int bond_id);

/* Id -> index lookups for many queries (file readers): the ids sorted once,
 * then a binary search per query. find returns the index or -1. */
typedef struct mnn_id_index {
  int n;
  int *pairs; /* n (id, index) pairs sorted by id */
} mnn_id_index;
int mnn_id_index_build(const int *ids, int n, mnn_id_index *map);
int mnn_id_index_find(const mnn_id_index *map, int id);
void mnn_id_index_free(mnn_id_index *map);

/* Number of fixed degrees of freedom (sum over the masks). */
int mnn_network_n_fixed_dofs(const mnn_network *net);

/* Bond length and unit vector (from a to b). */
double mnn_bond_length(const mnn_network *net, int b);
void mnn_bond_direction(const mnn_network *net, int b, double *cx, double *cy);

/* Spring constant k_i = factor_i / (L_i / (E w_i t) + 2 c_j) (= factor_i E w_i t / L_i
 * without joint compliance c_j) and its derivative dk/dw; factor_i is the factor of
 * bond i's length class, or the network's calibration factor when no class matches. */
double mnn_bond_stiffness(const mnn_network *net, int b);
double mnn_bond_stiffness_factor(const mnn_network *net, int b);
/* The class whose length matches L (relative MNN_LENGTH_CLASS_TOL), or -1. */
int mnn_network_length_class(const mnn_network *net, double L);
double mnn_bond_dstiffness_dwidth(const mnn_network *net, int b);
void mnn_network_stiffnesses(const mnn_network *net, double *k);

/* Removes bonds (by index) and renumbers nothing: remaining bonds keep their ids.
 * remove[b] != 0 marks bond b for removal. Returns 0 or fails on memory. */
int mnn_network_remove_bonds(mnn_network *net, const unsigned char *remove, mnn_error *err);

/* Consistency checks that every reader and generator runs: ids unique and
 * positive, bond ends valid and distinct, no duplicate bonds, no zero-length
 * bonds, positive widths, thickness, modulus, 0 <= nu < 0.5, width bounds in order.
 * Error messages name the offending ids. */
int mnn_network_check(const mnn_network *net, mnn_error *err);

/* The same checks, also saying which node or bond index failed (-1 if none), so
 * that file readers can point at the offending line. */
typedef struct { int node, bond; } mnn_check_culprit;
int mnn_network_check_detail(const mnn_network *net, mnn_check_culprit *where, mnn_error *err);

/* Lattice generators (lattice.c): the paper's 14-node triangle and triangular-lattice
 * patches of any size. Bonds join every pair of nodes one spacing apart and are
 * numbered by (lower node id, higher node id); node ids follow rows from the top. */
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
