/* The frame-model variant of the network: bonds as 2D beams (axial + bending,
 * optionally shear) rigidly joined at the nodes, with the printed geometry's rigid
 * node discs and half-width necks, so that the joint bending that the pin-jointed
 * bar model cannot represent is in the model. Each effect is switched by an option,
 * so that one can see which of them brings the model closer to the 3D FEM
 * (docs/barmodel.md, "Frame-model variant").
 *
 * DOF layout of the frame model: node i has DOFs 3i (u_x), 3i+1 (u_y), 3i+2 (theta,
 * counter-clockwise rotation, rad). The convenience solve mnn_frame_solve uses the
 * bar model's layout instead (2i, 2i+1: forces and displacements only).
 * With rigid_joints = 0 (pinned), rigid_offsets = necks = 0 and joint_compliance = 0
 * the model is the bar model exactly: k = factor * E w t / L per bond, rotations not
 * used. */
#ifndef MNN_FRAME_MODEL_H
#define MNN_FRAME_MODEL_H

#include "error.h"
#include "network.h"

typedef struct mnn_frame_options {
  int rigid_joints;   /* 1: beams rigidly joined at the nodes (3 DOFs per node);
                         0: pinned joints, axial stiffness only (2 DOFs per node) */
  int rigid_offsets;  /* 1: the node disc (node_radius from each node centre) is rigid;
                         0: the bond is elastic at full width w up to the node centres */
  int necks;          /* 1: width w/2 over neck_length next to each disc; 0: width w */
  int shear;          /* 1: Timoshenko shear compliance, kappa = 5/6, G = E/(2(1+nu));
                         0: Euler-Bernoulli */
  int clamp_supports; /* 1: supported nodes also fix theta (the FEM clamps the disc);
                         0: supports fix u_x/u_y as their mask says, theta free */
  double joint_compliance; /* m/N (the network's own joint_compliance is not used here):
                         axial compliance in series at each bond end that
                         does not scale with the width (the junction of neck and
                         disc); fitted on uniform networks of two or more widths
                         (mnn_frame_calibrate, docs/barmodel.md); 0 = none */
} mnn_frame_options;

#define MNN_FRAME_SHEAR_KAPPA (5.0 / 6.0)

/* All effects on (joint_compliance 0): the closest of these models to the printed
 * part without a fitted parameter. */
void mnn_frame_options_default(mnn_frame_options *o);
/* All effects off: pinned joints, no discs, no necks, no joint compliance (the
 * plain bar model). */
void mnn_frame_options_bar(mnn_frame_options *o);
/* Short label of the variant for tables, e.g. "rigid+discs+necks+shear+clamp" or
 * "pinned" ("+joint" when joint_compliance > 0). Writes at most n bytes into buf;
 * returns buf. */
const char *mnn_frame_options_label(const mnn_frame_options *o, char *buf, int n);

/* The bond's segments along its axis, from node a's centre (s = 0) to node b's
 * (s = L): up to 5 segments (rigid disc, neck, middle, neck, rigid disc). A rigid
 * segment has width 0. Returns the number of segments; fails (-1 and err) when the
 * discs and necks do not fit in the bond (2 (r + neck) >= L) or a width is not
 * positive. */
typedef struct mnn_frame_segment {
  double s0, s1;  /* start and end along the axis, m */
  double width;   /* in-plane width, m; 0 = rigid */
} mnn_frame_segment;
int mnn_frame_bond_segments(const mnn_network *net, const mnn_frame_options *o, int b,
                            mnn_frame_segment seg[5], mnn_error *err);

/* The bond's 6x6 stiffness in global coordinates (row-major), DOFs
 * (u_x, u_y, theta) of node a then node b at the node centres, times the bond's
 * stiffness factor (mnn_bond_stiffness_factor: its length class's, else the
 * network's). Built exactly (no discretisation) from the flexibility of the
 * non-prismatic cantilever between the node centres (rigid segments: no compliance).
 * Pinned joints: only the axial part (theta rows and columns zero).
 * dK_dw (may be NULL): the derivative of K with respect to the bond's width w
 * (the necks scale with w). */
int mnn_frame_bond_stiffness(const mnn_network *net, const mnn_frame_options *o, int b, double K[36],
                             double dK_dw[36], mnn_error *err);

/* The solver: assembles the global stiffness with supports removed, scales it to a
 * unit diagonal and factors it: dense LDL^T up to MNN_FRAME_DENSE_MAX_FREE free
 * DOFs, CHOLMOD above (create_with forces a path). The solver copies what it needs
 * from net: later width changes need a new solver. A singular stiffness fails with
 * one line in the bar solver's style: "the frame model has 3 zero modes
 * (mechanisms): nodes 1, 2 can move without deforming any bond: add bonds or
 * supports" (the sparse path names the nodes in the same way up to
 * MNN_FRAME_REPORT_MAX_FREE free DOFs, above it the node where the factorisation
 * stopped). */
#define MNN_FRAME_DENSE_MAX_FREE 150
#define MNN_FRAME_REPORT_MAX_FREE 3000
typedef enum { MNN_FRAME_AUTO = 0, MNN_FRAME_DENSE, MNN_FRAME_SPARSE } mnn_frame_method;
typedef struct mnn_frame_solver mnn_frame_solver;
mnn_frame_solver *mnn_frame_solver_create(const mnn_network *net, const mnn_frame_options *o, mnn_error *err);
mnn_frame_solver *mnn_frame_solver_create_with(const mnn_network *net, const mnn_frame_options *o,
                                               mnn_frame_method method, mnn_error *err);
mnn_frame_method mnn_frame_solver_method(const mnn_frame_solver *s); /* DENSE or SPARSE */
void mnn_frame_solver_free(mnn_frame_solver *s);
int mnn_frame_solver_n_free(const mnn_frame_solver *s);

/* Solves K U = F for nrhs load vectors in the frame layout (3 per node: f_x, f_y,
 * moment; U: u_x, u_y, theta), each 3*n_nodes long, stored one after another.
 * Fixed DOFs of F are ignored and those of U set to 0. F and U may alias.
 * With pinned joints, moments are ignored and theta is returned as 0. */
int mnn_frame_solver_solve(mnn_frame_solver *s, int nrhs, const double *F, double *U, mnn_error *err);

/* Convenience: forces in the bar layout (f_x, f_y per node, 2*n_nodes per rhs),
 * displacements out in the bar layout (u); theta (may be NULL) gets the nodes'
 * rotations (n_nodes per rhs). Creates, factors, solves and frees a solver. */
int mnn_frame_solve(const mnn_network *net, const mnn_frame_options *o, int nrhs, const double *F, double *u,
                    double *theta, mnn_error *err);

/* Internal forces K U of the whole (unconstrained) structure for nrhs frame-layout
 * displacement vectors: at a free DOF this equals the applied load, at a fixed DOF
 * it is minus the support reaction. R is 3*n_nodes*nrhs. */
int mnn_frame_internal_forces(const mnn_network *net, const mnn_frame_options *o, int nrhs, const double *U,
                              double *R, mnn_error *err);

/* Gradient of a loss with respect to the widths from forward and adjoint solutions
 * (frame layout, nrhs each; the adjoint solves K U_adj = -dL/dU):
 * g_w,b = sum_s U_adj,s^T (dK_b/dw_b) U_s. Adds into g_w if accumulate, else
 * overwrites. The bar model's counterpart is mnn_bar_gradient_w. */
int mnn_frame_gradient_w(const mnn_network *net, const mnn_frame_options *o, int nrhs, const double *U,
                         const double *U_adj, double *g_w, int accumulate, mnn_error *err);

/* Response matrix R (n_out x n_in, row-major, m/N): displacement component out[i]
 * under a unit force in[j], both in the bar layout (2 * node index + 0 for x, 1 for
 * y), with the network's stiffness factors as they are. */
int mnn_frame_response(const mnn_network *net, const mnn_frame_options *o, int n_in, const int *in, int n_out,
                       const int *out, double *R, mnn_error *err);

/* Calibration against FEM response matrices of one or more networks (R_fem as
 * mnn_frame_response lays it out). Fits the stiffness factor f (the networks' own
 * factors and length classes are ignored) and, with fit_joint, the joint
 * compliance c_j, minimising sum_k ||R_k(f, c_j) - R_fem,k||_F^2 / ||R_fem,k||_F^2.
 * f has a closed form for each c_j; c_j is searched on [0, 2 L/(E w t)] (the mean
 * bond's own compliance), on a grid and then by golden section. c_j is only
 * identifiable from networks of different bond widths (uniform 1.5, 2 and 2.5 mm
 * networks in docs/barmodel.md). Without fit_joint, o->joint_compliance is kept.
 * On return: *factor, o->joint_compliance, *rms_err (root mean square over the
 * networks of ||R - R_fem||_F / ||R_fem||_F; may be NULL). */
typedef struct mnn_frame_cal_set {
  const mnn_network *net;
  int n_in, n_out;
  const int *in, *out; /* bar layout DOFs */
  const double *R_fem; /* n_out x n_in, m/N */
} mnn_frame_cal_set;
int mnn_frame_calibrate(const mnn_frame_cal_set *sets, int n_sets, mnn_frame_options *o, int fit_joint,
                        double *factor, double *rms_err, mnn_error *err);

#endif
