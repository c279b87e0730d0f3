/* One bond of the frame model: its segments (rigid discs, necks, middle) and its
 * exact 6x6 stiffness between the node centres, from the flexibility of the
 * non-prismatic cantilever (node a clamped, end forces at node b's centre):
 *   f_PP = sum int 1/EA,  f_MM = sum int 1/EI,  f_QM = sum int (L-s)/EI,
 *   f_QQ = sum int (L-s)^2/EI (+ sum int 1/(kappa G A) with shear),
 * rigid segments contributing nothing, plus 2 c_j in f_PP for the optional joint
 * compliance c_j at each end. K_bb = f^-1 and K = G^T K_bb G with
 * G = [-R(L), I] (the rigid-body transfer from node a to node b), rotated to
 * global axes. docs/barmodel.md ("Frame-model variant") gives the derivation. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "frame_model.h"

void mnn_frame_options_default(mnn_frame_options *o) {
  o->rigid_joints = o->rigid_offsets = o->necks = o->shear = o->clamp_supports = 1;
  o->joint_compliance = 0;
}

void mnn_frame_options_bar(mnn_frame_options *o) {
  o->rigid_joints = o->rigid_offsets = o->necks = o->shear = o->clamp_supports = 0;
  o->joint_compliance = 0;
}

const char *mnn_frame_options_label(const mnn_frame_options *o, char *buf, int n) {
  snprintf(buf, (size_t)n, "%s%s%s%s%s%s", o->rigid_joints ? "rigid" : "pinned", o->rigid_offsets ? "+discs" : "",
           o->necks ? "+necks" : "", o->shear ? "+shear" : "", o->clamp_supports ? "+clamp" : "",
           o->joint_compliance > 0 ? "+joint" : "");
  return buf;
}

int mnn_frame_bond_segments(const mnn_network *net, const mnn_frame_options *o, int b, mnn_frame_segment seg[5],
                            mnn_error *err) {
  double L = mnn_bond_length(net, b), w = net->width[b];
  double r = net->joint.node_radius, l = net->joint.neck_length;
  if (!(w > 0)) return mnn_fail(err, "frame model: bond %d has width %g m: widths must be positive", net->bond_id[b], w);
  if (!(o->joint_compliance >= 0) || !isfinite(o->joint_compliance))
    return mnn_fail(err, "frame model: joint compliance %g m/N must be finite and not negative", o->joint_compliance);
  if (!(r >= 0) || !(l >= 0))
    return mnn_fail(err, "frame model: node radius %g m and neck length %g m must not be negative", r, l);
  /* the discs' radius places the necks even when the discs are not rigid */
  double l_used = o->necks ? l : 0, r_geom = (o->rigid_offsets || o->necks) ? r : 0;
  if (r_geom + l_used > 0 && 2 * (r_geom + l_used) >= L)
    return mnn_fail(err,
                    "frame model: bond %d (length %g mm) is too short for node discs of radius %g mm and necks "
                    "of %g mm at both ends: shorten the necks or the node radius",
                    net->bond_id[b], L * 1e3, r * 1e3, l_used * 1e3);
  /* breakpoints: disc | neck | middle | neck | disc. Without rigid offsets the disc
   * region is elastic at full width (as the bar model assumes); the necks stay where
   * the print has them, next to the discs. */
  double s[6] = {0, r_geom, r_geom + l_used, L - r_geom - l_used, L - r_geom, L};
  double wd = o->rigid_offsets ? 0 : w;
  double widths[5] = {wd, w / 2, w, w / 2, wd};
  int n = 0;
  for (int i = 0; i < 5; ++i) {
    if (!(s[i + 1] > s[i])) continue;
    if (n > 0 && seg[n - 1].width == widths[i]) { /* merge equal neighbours */
      seg[n - 1].s1 = s[i + 1];
      continue;
    }
    seg[n].s0 = s[i], seg[n].s1 = s[i + 1], seg[n].width = widths[i];
    ++n;
  }
  return n;
}

/* 3x3 inverse of a symmetric positive definite matrix (row-major). */
static int invert3(const double a[9], double inv[9]) {
  double c00 = a[4] * a[8] - a[5] * a[7], c01 = a[5] * a[6] - a[3] * a[8], c02 = a[3] * a[7] - a[4] * a[6];
  double det = a[0] * c00 + a[1] * c01 + a[2] * c02;
  if (!(det > 0) || !isfinite(det)) return -1;
  inv[0] = c00 / det, inv[3] = c01 / det, inv[6] = c02 / det;
  inv[1] = (a[2] * a[7] - a[1] * a[8]) / det, inv[4] = (a[0] * a[8] - a[2] * a[6]) / det;
  inv[7] = (a[1] * a[6] - a[0] * a[7]) / det;
  inv[2] = (a[1] * a[5] - a[2] * a[4]) / det, inv[5] = (a[2] * a[3] - a[0] * a[5]) / det;
  inv[8] = (a[0] * a[4] - a[1] * a[3]) / det;
  return 0;
}

/* Flexibility of the cantilever at node b's centre, local axes (P axial, Q
 * transverse, M moment), and its derivative with respect to the bond width w. */
static void cantilever_flexibility(const mnn_network *net, const mnn_frame_options *o, const mnn_frame_segment *seg,
                                   int n_seg, double L, double w, double f[9], double df[9]) {
  double E = net->youngs_modulus, t = net->thickness;
  double G = E / (2 * (1 + net->poisson_ratio));
  memset(f, 0, 9 * sizeof(double));
  memset(df, 0, 9 * sizeof(double));
  for (int i = 0; i < n_seg; ++i) {
    double ws = seg[i].width;
    if (ws == 0) continue; /* rigid */
    double len = seg[i].s1 - seg[i].s0, a0 = L - seg[i].s0, a1 = L - seg[i].s1;
    double EA = E * ws * t, EI = E * t * ws * ws * ws / 12;
    double axial = len / EA, mm = len / EI, qm = (a0 * a0 - a1 * a1) / (2 * EI);
    double qq = (a0 * a0 * a0 - a1 * a1 * a1) / (3 * EI);
    double sh = o->shear ? len / (MNN_FRAME_SHEAR_KAPPA * G * ws * t) : 0;
    f[0] += axial, f[4] += qq + sh, f[5] += qm, f[7] += qm, f[8] += mm;
    /* the segment's width is proportional to w: 1/A ~ 1/w, 1/I ~ 1/w^3 */
    df[0] -= axial / w, df[4] -= (3 * qq + sh) / w, df[5] -= 3 * qm / w, df[7] -= 3 * qm / w, df[8] -= 3 * mm / w;
  }
  f[0] += 2 * o->joint_compliance; /* both ends; independent of w */
}

int mnn_frame_bond_stiffness(const mnn_network *net, const mnn_frame_options *o, int b, double K[36],
                             double dK_dw[36], mnn_error *err) {
  mnn_frame_segment seg[5];
  int n_seg = mnn_frame_bond_segments(net, o, b, seg, err);
  if (n_seg < 0) return -1;
  double L = mnn_bond_length(net, b), w = net->width[b], cx, cy;
  mnn_bond_direction(net, b, &cx, &cy);
  double factor = mnn_bond_stiffness_factor(net, b); /* its length class's, else the network's */
  double f[9], df[9], Kbb[9] = {0}, dKbb[9] = {0};
  cantilever_flexibility(net, o, seg, n_seg, L, w, f, df);
  if (o->rigid_joints) {
    if (invert3(f, Kbb)) return mnn_fail(err, "frame model: bond %d has a singular flexibility", net->bond_id[b]);
    double tmp[9] = {0};
    for (int i = 0; i < 3; ++i) /* dK = -K df K */
      for (int j = 0; j < 3; ++j)
        for (int k = 0; k < 3; ++k) tmp[3 * i + j] += df[3 * i + k] * Kbb[3 * k + j];
    for (int i = 0; i < 3; ++i)
      for (int j = 0; j < 3; ++j)
        for (int k = 0; k < 3; ++k) dKbb[3 * i + j] -= Kbb[3 * i + k] * tmp[3 * k + j];
  } else {
    if (!(f[0] > 0)) return mnn_fail(err, "frame model: bond %d has no axial compliance", net->bond_id[b]);
    Kbb[0] = 1 / f[0];
    dKbb[0] = -df[0] / (f[0] * f[0]);
  }
  /* G (3x6) maps the global end DOFs to the deformation at node b in local axes:
   * local (u, v, theta) = Q d with Q = [[cx, cy, 0], [-cy, cx, 0], [0, 0, 1]];
   * deformation = Q d_b - R(L) Q d_a, R(L) = [[1,0,0],[0,1,L],[0,0,1]]. */
  double Gm[18] = {0};
  double Q[9] = {cx, cy, 0, -cy, cx, 0, 0, 0, 1}, RQ[9];
  for (int j = 0; j < 3; ++j) {
    RQ[j] = Q[j];
    RQ[3 + j] = Q[3 + j] + L * Q[6 + j];
    RQ[6 + j] = Q[6 + j];
  }
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) Gm[6 * i + j] = -RQ[3 * i + j], Gm[6 * i + 3 + j] = Q[3 * i + j];
  for (int pass = 0; pass < 2; ++pass) {
    double *out = pass == 0 ? K : dK_dw;
    const double *kb = pass == 0 ? Kbb : dKbb;
    if (!out) continue;
    double KG[18] = {0};
    for (int i = 0; i < 3; ++i)
      for (int j = 0; j < 6; ++j)
        for (int k = 0; k < 3; ++k) KG[6 * i + j] += kb[3 * i + k] * Gm[6 * k + j];
    for (int i = 0; i < 6; ++i)
      for (int j = 0; j < 6; ++j) {
        double v = 0;
        for (int k = 0; k < 3; ++k) v += Gm[6 * k + i] * KG[6 * k + j];
        out[6 * i + j] = factor * v;
      }
  }
  return 0;
}
