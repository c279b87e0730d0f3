/* Calibration of the bar model against a reference model (the 3D FEM of the
 * printed geometry): response matrices, their difference, and the fit of the
 * stiffness factor, either one for the whole network or one per bond-length class.
 * A response matrix R (n_out x n_in, row-major) holds the displacement of output
 * DOF o under a unit force on input DOF j; a DOF is 2*node_index + component
 * (0 = x, 1 = y), as in bar_solver.h.
 * The calibration library's one public header: it also includes the frame model
 * (internal/frame_model.h: beams with rigid node discs and necks, and
 * mnn_frame_calibrate, the factor and joint-compliance fit of `mnn calibrate
 * --joint-compliance`), which no file outside the library includes directly
 * (tests/architecture's test_dependency_rule fails otherwise). */
#ifndef MNN_CALIBRATION_H
#define MNN_CALIBRATION_H

#include "error.h"
#include "network.h"
#include "internal/frame_model.h"

/* The bar model's response matrix with the network's own stiffness factors. */
int mnn_bar_response(const mnn_network *net, int n_in, const int *in_dof, int n_out, const int *out_dof, double *R,
                     mnn_error *err);

/* ||R - R_ref||_F / ||R_ref||_F over n entries. */
double mnn_response_rel_difference(int n, const double *R, const double *R_ref);

/* Largest relative difference of a node's displacement vector over all inputs,
 * among the nodes that move more than 5% of the largest reference displacement.
 * Needs the outputs in (x, y) pairs of one node, as mnn calibrate lists them. */
double mnn_response_worst_node(int n_in, int n_out, const double *R, const double *R_ref);

/* The distinct bond lengths of the network (relative tolerance
 * MNN_LENGTH_CLASS_TOL), ascending, into lengths[MNN_MAX_LENGTH_CLASSES]; fails
 * with a clear line when there are more classes than that. Returns the count. */
int mnn_network_distinct_lengths(const mnn_network *net, double *lengths, mnn_error *err);

/* The least-squares scale of R_ref ~ s R over n entries: s = <R, R_ref> / <R, R>
 * (0 when R is zero). A bar model with response R at stiffness factor f matches
 * R_ref best with the single factor f / s (R scales with 1/factor). */
double mnn_response_scale(int n, const double *R, const double *R_ref);

typedef struct mnn_calibration {
  double factor;              /* the one factor for the whole network */
  double diff_before;         /* rel. Frobenius difference with the network's factors as given */
  double diff_one_factor;     /* ... with the fitted single factor */
  int n_classes;              /* 0 unless classes were fitted */
  double class_length[MNN_MAX_LENGTH_CLASSES];
  double class_factor[MNN_MAX_LENGTH_CLASSES];
  int class_determined[MNN_MAX_LENGTH_CLASSES]; /* 0: the responses do not depend on this
                                                  class (its bonds carry no load); it keeps
                                                  the single factor */
  double diff_classes;        /* ... with the fitted class factors */
  /* mnn_response_worst_node of the same three responses (outputs must come in
   * (x, y) pairs of a node for these to mean anything) */
  double worst_before, worst_one_factor, worst_classes;
  int iterations;             /* Gauss-Newton iterations of the class fit */
} mnn_calibration;

/* Fits the stiffness factor(s) of the bar model so that its response matrix
 * matches R_ref (least squares in the Frobenius norm). The single factor has a
 * closed form (R scales with 1/factor); with per_length_class, one factor per
 * distinct bond length is fitted by Levenberg-Marquardt on log factors, with
 * exact derivatives dR/d ln f_c = -sum_{b in c} k_b (a_b . U_o)(a_b . U_j) from the
 * solves for unit loads on the inputs and outputs. The network is not changed;
 * mnn_calibration_apply writes the result into it. */
int mnn_calibrate_bar_model(const mnn_network *net, int n_in, const int *in_dof, int n_out, const int *out_dof,
                            const double *R_ref, int per_length_class, mnn_calibration *cal, mnn_error *err);

/* Sets the network's stiffness factor to the single factor and, when classes were
 * fitted, its length classes to the class factors (else removes any classes); the
 * joint compliance to 0 (these fits have none: mnn calibrate --joint-compliance
 * fits it with the factor, through mnn_frame_calibrate). */
void mnn_calibration_apply(const mnn_calibration *cal, mnn_network *net);

#endif
