/* The frame-model variant (barmodel/calibration/internal/frame_model.h) against
 * closed forms: a cantilever bond (Euler-Bernoulli and Timoshenko, tip force and tip moment, along
 * x and rotated), an axial bar, necks and rigid discs (series compliances, and
 * the bending flexibility against an independent numerical integration), the
 * pinned variant against mnn_bar_solver on the paper's network (1e-12), symmetry
 * and equilibrium on the paper's network, a two-bar truss, zero modes, the adjoint
 * width gradient against central differences, and input errors. */
#include <stdlib.h>
#include "bar_solver.h"
#include "calibration.h"
#include "network.h"
#include "test_util.h"

static const double E = 5.5e5, T = 0.002, W = 0.002, LEN = 0.016;

static mnn_frame_options opts(int joints, int offsets, int necks, int shear, int clamp) {
  mnn_frame_options o = {joints, offsets, necks, shear, clamp, 0};
  return o;
}

/* One bond of length LEN from node 1 (clamped) at the origin in direction angle. */
static mnn_network *cantilever(double angle) {
  mnn_network *net = mnn_network_create(2, 1);
  net->node_id[0] = 1, net->node_id[1] = 2;
  net->x[1] = LEN * cos(angle), net->y[1] = LEN * sin(angle);
  net->fixed[0] = MNN_FIX_XY;
  net->bond_id[0] = 1, net->bond_a[0] = 0, net->bond_b[0] = 1, net->width[0] = W;
  return net;
}

/* Tip response (local axial, transverse, rotation) to a local load (P, Q, M). */
static void tip(mnn_network *net, mnn_frame_options o, double angle, double P, double Q, double M, double *u,
                double *v, double *th) {
  mnn_error err;
  double c = cos(angle), s = sin(angle);
  double F[6] = {0, 0, 0, P * c - Q * s, P * s + Q * c, M}, U[6];
  mnn_frame_solver *sol = mnn_frame_solver_create(net, &o, &err);
  CHECK_MSG(sol != NULL, "%s", err.message);
  if (!sol) return;
  CHECK(mnn_frame_solver_solve(sol, 1, F, U, &err) == 0);
  CHECK(U[0] == 0 && U[1] == 0 && U[2] == 0);
  *u = U[3] * c + U[4] * s, *v = -U[3] * s + U[4] * c, *th = U[5];
  mnn_frame_solver_free(sol);
}

static void cantilever_closed_forms(void) {
  double I = T * W * W * W / 12, A = W * T, G = E / (2 * (1 + 0.45)), kGA = 5.0 / 6.0 * G * A;
  for (int k = 0; k < 2; ++k) {
    double angle = k ? 0.7 : 0, u, v, th;
    mnn_network *net = cantilever(angle);
    /* Euler-Bernoulli, tip force */
    tip(net, opts(1, 0, 0, 0, 1), angle, 0, 1e-3, 0, &u, &v, &th);
    CHECK_CLOSE(v, 1e-3 * LEN * LEN * LEN / (3 * E * I), 1e-12, 0);
    CHECK_CLOSE(th, 1e-3 * LEN * LEN / (2 * E * I), 1e-12, 0);
    CHECK_CLOSE(u, 0, 0, 1e-12 * fabs(v));
    /* tip moment */
    tip(net, opts(1, 0, 0, 0, 1), angle, 0, 0, 2e-5, &u, &v, &th);
    CHECK_CLOSE(th, 2e-5 * LEN / (E * I), 1e-12, 0);
    CHECK_CLOSE(v, 2e-5 * LEN * LEN / (2 * E * I), 1e-12, 0);
    /* Timoshenko: shear adds Q L / (kappa G A), rotation unchanged */
    tip(net, opts(1, 0, 0, 1, 1), angle, 0, 1e-3, 0, &u, &v, &th);
    CHECK_CLOSE(v, 1e-3 * LEN * LEN * LEN / (3 * E * I) + 1e-3 * LEN / kGA, 1e-12, 0);
    CHECK_CLOSE(th, 1e-3 * LEN * LEN / (2 * E * I), 1e-12, 0);
    /* axial, for rigid and pinned joints (pinned: node 2 held transversely) */
    tip(net, opts(1, 0, 0, 0, 1), angle, 0.05, 0, 0, &u, &v, &th);
    CHECK_CLOSE(u, 0.05 * LEN / (E * A), 1e-12, 0);
    CHECK_CLOSE(v, 0, 0, 1e-12 * u);
    /* the joint compliance is axial only: bending unchanged */
    mnn_frame_options oj = opts(1, 0, 0, 0, 1);
    oj.joint_compliance = 3e-4;
    tip(net, oj, angle, 0.05, 1e-3, 0, &u, &v, &th);
    CHECK_CLOSE(u, 0.05 * (LEN / (E * A) + 6e-4), 1e-12, 0);
    CHECK_CLOSE(v, 1e-3 * LEN * LEN * LEN / (3 * E * I), 1e-12, 0);
    mnn_network_free(net);
  }
  /* pinned joints: a bar along x with node 2 on a roller in y */
  mnn_network *net = cantilever(0);
  net->fixed[1] = MNN_FIX_Y;
  double u, v, th;
  tip(net, opts(0, 0, 0, 0, 0), 0, 0.05, 0, 0, &u, &v, &th);
  CHECK_CLOSE(u, 0.05 * LEN / (E * W * T), 1e-12, 0);
  CHECK(th == 0);
  /* a joint compliance c_j at each end adds 2 c_j to the axial compliance */
  mnn_frame_options oj = opts(0, 0, 0, 0, 0);
  oj.joint_compliance = 4e-4;
  tip(net, oj, 0, 0.05, 0, 0, &u, &v, &th);
  CHECK_CLOSE(u, 0.05 * (LEN / (E * W * T) + 8e-4), 1e-12, 0);
  oj.joint_compliance = -1e-4;
  mnn_error err;
  CHECK(mnn_frame_solver_create(net, &oj, &err) == NULL);
  CHECK_CONTAINS(err.message, "joint compliance");
  /* the stiffness factor scales everything */
  net->calibration.factor = 0.8;
  tip(net, opts(0, 0, 0, 0, 0), 0, 0.05, 0, 0, &u, &v, &th);
  CHECK_CLOSE(u, 0.05 * LEN / (0.8 * E * W * T), 1e-12, 0);
  mnn_network_free(net);
}

/* Necks and discs: axial series compliance exactly; bending flexibility against a
 * numerical integration of (L - s)^2 / EI(s) that does not use the segments. */
static double width_at(double s, double r, double l, int offsets, int necks) {
  double d = fmin(s, LEN - s);
  if (offsets && d < r) return 0;
  if (necks && d >= r && d < r + l) return W / 2;
  return W;
}

static void necks_and_discs(void) {
  double r = 0.002, l = 0.0015;
  for (int variant = 0; variant < 3; ++variant) {
    int offsets = variant != 1, necks = variant != 0;
    mnn_network *net = cantilever(0.3);
    double u, v, th;
    tip(net, opts(1, offsets, necks, 0, 1), 0.3, 0.05, 0, 0, &u, &v, &th);
    double comp = 0; /* series formula */
    if (offsets && necks) comp = (LEN - 2 * r - 2 * l) / (E * W * T) + 2 * l / (E * W / 2 * T);
    if (!offsets && necks) comp = (LEN - 2 * l) / (E * W * T) + 2 * l / (E * W / 2 * T);
    if (offsets && !necks) comp = (LEN - 2 * r) / (E * W * T);
    CHECK_CLOSE(u, 0.05 * comp, 1e-12, 0);
    if (offsets && necks) /* docs/model.md's series formula k = E t w / (L - 2r + 2 l) */
      CHECK_CLOSE(0.05 / u, E * T * W / (LEN - 2 * r + 2 * l), 1e-12, 0);
    int n = 400000;
    double fqq = 0, fqm = 0, fmm = 0, h = LEN / n;
    for (int i = 0; i < n; ++i) {
      double s = (i + 0.5) * h, w = width_at(s, r, l, offsets, necks);
      if (w == 0) continue;
      double EI = E * T * w * w * w / 12;
      fqq += (LEN - s) * (LEN - s) / EI * h, fqm += (LEN - s) / EI * h, fmm += h / EI;
    }
    tip(net, opts(1, offsets, necks, 0, 1), 0.3, 0, 1e-3, 0, &u, &v, &th);
    CHECK_CLOSE(v, 1e-3 * fqq, 1e-6, 0);
    CHECK_CLOSE(th, 1e-3 * fqm, 1e-6, 0);
    tip(net, opts(1, offsets, necks, 0, 1), 0.3, 0, 0, 1e-5, &u, &v, &th);
    CHECK_CLOSE(th, 1e-5 * fmm, 1e-6, 0);
    mnn_network_free(net);
  }
}

/* The pinned variant without discs or necks is the bar model. */
static void pinned_equals_bar_model(void) {
  mnn_error err;
  mnn_network *net = mnn_lattice_paper(&err);
  srand(7);
  for (int b = 0; b < net->n_bonds; ++b) net->width[b] = 0.0015 + 0.001 * rand() / (double)RAND_MAX;
  int nd = 2 * net->n_nodes, nrhs = 3;
  double *F = calloc((size_t)nd * nrhs, sizeof(double)), *Ub = malloc(sizeof(double) * nd * nrhs);
  double *Uf = malloc(sizeof(double) * nd * nrhs), *th = malloc(sizeof(double) * net->n_nodes * nrhs);
  for (int i = 0; i < nd * nrhs; ++i) F[i] = 0.1 * (rand() / (double)RAND_MAX - 0.5);
  double k[28];
  mnn_network_stiffnesses(net, k);
  mnn_bar_solver *bs = mnn_bar_solver_create(net, &err);
  CHECK(bs && mnn_bar_solver_factor(bs, k, &err) == 0 && mnn_bar_solver_solve(bs, nrhs, F, Ub, &err) == 0);
  mnn_frame_options o;
  mnn_frame_options_bar(&o);
  CHECK(mnn_frame_solve(net, &o, nrhs, F, Uf, th, &err) == 0);
  double umax = 0;
  for (int i = 0; i < nd * nrhs; ++i) umax = fmax(umax, fabs(Ub[i]));
  int same = 1;
  for (int i = 0; i < nd * nrhs; ++i) same &= fabs(Uf[i] - Ub[i]) <= 1e-12 * umax;
  CHECK_MSG(same, "pinned frame model differs from the bar model");
  for (int i = 0; i < net->n_nodes * nrhs; ++i) CHECK(th[i] == 0);
  /* and docs/model.md's number */
  for (int b = 0; b < net->n_bonds; ++b) net->width[b] = 0.002;
  memset(F, 0, sizeof(double) * nd);
  F[2 * 12 + 1] = -0.098;
  CHECK(mnn_frame_solve(net, &o, 1, F, Uf, NULL, &err) == 0);
  CHECK_CLOSE(Uf[2 * 13 + 1] * 1e3, -0.80521, 5e-6, 0);
  mnn_bar_solver_free(bs);
  free(F), free(Ub), free(Uf), free(th);
  mnn_network_free(net);
}

/* Paper's network, every variant: mirror symmetry under a load on node 11 (on the
 * axis x = -32 mm), residual K U = F at free DOFs, and global equilibrium of loads
 * and reactions (forces and moments). */
static void symmetry_and_equilibrium(void) {
  mnn_error err;
  mnn_network *net = mnn_lattice_paper(&err);
  int n = net->n_nodes;
  for (int mask = 0; mask < 32; ++mask) {
    mnn_frame_options o = opts(mask & 1, (mask >> 1) & 1, (mask >> 2) & 1, (mask >> 3) & 1, (mask >> 4) & 1);
    double F[42] = {0}, U[42], R[42];
    F[3 * 10 + 1] = -0.049;
    mnn_frame_solver *s = mnn_frame_solver_create(net, &o, &err);
    CHECK_MSG(s != NULL, "%s", err.message);
    if (!s) continue;
    CHECK(mnn_frame_solver_solve(s, 1, F, U, &err) == 0);
    double scale = fabs(U[3 * 12 + 1]);
    CHECK_CLOSE(U[3 * 12 + 1], U[3 * 13 + 1], 1e-9, 0);
    CHECK_CLOSE(U[3 * 12], -U[3 * 13], 0, 1e-9 * scale);
    CHECK_CLOSE(U[3 * 12 + 2], -U[3 * 13 + 2], 0, 1e-9 * scale / LEN);
    CHECK_CLOSE(U[3 * 10], 0, 0, 1e-9 * scale);
    CHECK(mnn_frame_internal_forces(net, &o, 1, U, R, &err) == 0);
    double fx = 0, fy = 0, m = 0, fref = 0.049, res = 0;
    for (int i = 0; i < n; ++i) {
      for (int c = 0; c < 3; ++c) {
        int fixed = c < 2 ? (net->fixed[i] >> c) & 1 : (!o.rigid_joints || (o.clamp_supports && net->fixed[i]));
        if (!fixed) res = fmax(res, fabs(R[3 * i + c] - F[3 * i + c]) * (c == 2 ? 1 / LEN : 1));
      }
      /* R = K U holds loads at free DOFs and reactions at fixed ones: it balances */
      fx += R[3 * i], fy += R[3 * i + 1];
      m += net->x[i] * R[3 * i + 1] - net->y[i] * R[3 * i] + R[3 * i + 2];
    }
    CHECK_MSG(res < 1e-9 * fref, "variant %d: residual %g", mask, res);
    CHECK_CLOSE(fx, 0, 0, 1e-12 * fref);
    CHECK_CLOSE(fy, 0, 0, 1e-12 * fref);
    CHECK_CLOSE(m, 0, 0, 1e-12 * fref * LEN);
    /* the reactions carry the load: supports 1 and 5 take 0.049 N in y together */
    CHECK_CLOSE(R[1] + R[3 * 4 + 1], 0.049, 1e-9, 0);
    mnn_frame_solver_free(s);
  }
  mnn_network_free(net);
}

/* Two bars from supports (-a, 0) and (a, 0) to (0, -h): pinned = the closed form
 * u_y = F / (2 k sin^2 alpha); rigid joints with clamped supports are stiffer,
 * and symmetric (u_x = 0, theta = 0 at the apex). */
static void two_bar_truss(void) {
  mnn_error err;
  double a = 0.012, h = 0.009, Lb = hypot(a, h), sa = h / Lb;
  mnn_network *net = mnn_network_create(3, 2);
  double x[3] = {-a, a, 0}, y[3] = {0, 0, -h};
  for (int i = 0; i < 3; ++i) net->node_id[i] = i + 1, net->x[i] = x[i], net->y[i] = y[i];
  net->fixed[0] = net->fixed[1] = MNN_FIX_XY;
  net->bond_id[0] = 1, net->bond_a[0] = 0, net->bond_b[0] = 2, net->width[0] = W;
  net->bond_id[1] = 2, net->bond_a[1] = 1, net->bond_b[1] = 2, net->width[1] = W;
  double F[6] = {0, 0, 0, 0, 0, -0.01}, U[6], th[3];
  mnn_frame_options o;
  mnn_frame_options_bar(&o);
  CHECK(mnn_frame_solve(net, &o, 1, F, U, th, &err) == 0);
  double k = E * W * T / Lb;
  CHECK_CLOSE(U[5], -0.01 / (2 * k * sa * sa), 1e-12, 0);
  CHECK_CLOSE(U[4], 0, 0, 1e-15);
  double u_pinned = U[5];
  o = opts(1, 0, 0, 0, 1);
  CHECK(mnn_frame_solve(net, &o, 1, F, U, th, &err) == 0);
  CHECK(U[5] < 0 && U[5] > u_pinned);
  CHECK_CLOSE(U[4], 0, 0, 1e-12 * fabs(U[5]));
  CHECK_CLOSE(th[2], 0, 0, 1e-12 * fabs(U[5]) / Lb);
  /* rigid joints without clamps: the supports are pins, still stiffer than pinned */
  o = opts(1, 0, 0, 0, 0);
  double Uc = U[5];
  CHECK(mnn_frame_solve(net, &o, 1, F, U, th, &err) == 0);
  CHECK(U[5] > u_pinned && U[5] < Uc);
  mnn_network_free(net);
}

static void zero_modes_and_errors(void) {
  mnn_error err;
  mnn_frame_options o;
  mnn_frame_options_default(&o);
  mnn_network *net = mnn_lattice_paper(&err);
  for (int i = 0; i < net->n_nodes; ++i) net->fixed[i] = 0;
  CHECK(mnn_frame_solver_create(net, &o, &err) == NULL);
  CHECK_CONTAINS(err.message, "3 zero modes");
  CHECK_CONTAINS(err.message, "nodes 1, 2, 3");
  mnn_network_free(net);
  /* a bond pinned at its fixed node, rigid joints, no clamp: one rotation mode */
  net = cantilever(0);
  o = opts(1, 0, 0, 0, 0);
  CHECK(mnn_frame_solver_create(net, &o, &err) == NULL);
  CHECK_CONTAINS(err.message, "1 zero mode ");
  CHECK_CONTAINS(err.message, "nodes 1, 2 can move");
  o.clamp_supports = 1;
  mnn_frame_solver *s = mnn_frame_solver_create(net, &o, &err);
  CHECK(s != NULL && mnn_frame_solver_n_free(s) == 3);
  mnn_frame_solver_free(s);
  /* pinned: the bar on its own rotates about node 1 */
  o = opts(0, 0, 0, 0, 1);
  CHECK(mnn_frame_solver_create(net, &o, &err) == NULL);
  CHECK_CONTAINS(err.message, "node 2 can move");
  /* discs and necks longer than the bond */
  net->joint.node_radius = 0.007;
  o = opts(1, 1, 1, 0, 1);
  CHECK(mnn_frame_solver_create(net, &o, &err) == NULL);
  CHECK_CONTAINS(err.message, "bond 1 (length 16 mm) is too short");
  net->joint.node_radius = 0.002;
  net->width[0] = 0;
  CHECK(mnn_frame_solver_create(net, &o, &err) == NULL);
  CHECK_CONTAINS(err.message, "bond 1 has width 0");
  mnn_network_free(net);
}

/* Quadratic loss L = sum_s sum_j (U_s[out_j] - target_j)^2 over 2 samples. */
static double loss_of(mnn_network *net, const mnn_frame_options *o, const double *F, const int *out,
                      const double *target, double *U, double *U_adj) {
  mnn_error err;
  int nd = 3 * net->n_nodes;
  mnn_frame_solver *s = mnn_frame_solver_create(net, o, &err);
  CHECK_MSG(s != NULL, "%s", err.message);
  CHECK(mnn_frame_solver_solve(s, 2, F, U, &err) == 0);
  double L = 0;
  if (U_adj) memset(U_adj, 0, sizeof(double) * 2 * nd);
  for (int r = 0; r < 2; ++r)
    for (int j = 0; j < 3; ++j) {
      double d = U[r * nd + out[j]] - target[j];
      L += d * d;
      if (U_adj) U_adj[r * nd + out[j]] -= 2 * d;
    }
  if (U_adj) CHECK(mnn_frame_solver_solve(s, 2, U_adj, U_adj, &err) == 0);
  mnn_frame_solver_free(s);
  return L;
}

static void width_gradient(void) {
  mnn_error err;
  mnn_network *net = mnn_lattice_paper(&err);
  srand(3);
  for (int b = 0; b < net->n_bonds; ++b) net->width[b] = 0.0015 + 0.001 * rand() / (double)RAND_MAX;
  double F[84] = {0}, U[84], Ua[84], g[28], Up[84];
  F[3 * 13 + 1] = -0.03, F[3 * 11 + 1] = -0.02, F[42 + 3 * 12 + 1] = -0.04, F[42 + 3 * 9] = 0.01;
  int out[3] = {3 * 7, 3 * 1, 3 * 2}; /* u_x of nodes 8, 2, 3 */
  double target[3] = {-5e-5, 2e-5, 1e-5};
  for (int v = 0; v < 4; ++v) {
    mnn_frame_options o;
    if (v == 0) mnn_frame_options_default(&o);
    else if (v == 1) o = opts(1, 0, 1, 0, 0);
    else mnn_frame_options_bar(&o);
    if (v == 3) o.joint_compliance = 6e-4;
    loss_of(net, &o, F, out, target, U, Ua);
    CHECK(mnn_frame_gradient_w(net, &o, 2, U, Ua, g, 0, &err) == 0);
    double worst = 0, gmax = 0;
    for (int b = 0; b < net->n_bonds; ++b) gmax = fmax(gmax, fabs(g[b]));
    for (int b = 0; b < net->n_bonds; ++b) {
      double w0 = net->width[b], h = 1e-6 * w0;
      net->width[b] = w0 + h;
      double lp = loss_of(net, &o, F, out, target, Up, NULL);
      net->width[b] = w0 - h;
      double lm = loss_of(net, &o, F, out, target, Up, NULL);
      net->width[b] = w0;
      worst = fmax(worst, fabs((lp - lm) / (2 * h) - g[b]) / gmax);
    }
    CHECK_MSG(worst < 1e-6, "variant %d: adjoint vs central differences %g", v, worst);
    printf("width gradient, variant %d: max |adjoint - FD| / max |g| = %.2e\n", v, worst);
    /* accumulation */
    double g2[28];
    for (int b = 0; b < 28; ++b) g2[b] = 1;
    CHECK(mnn_frame_gradient_w(net, &o, 2, U, Ua, g2, 1, &err) == 0);
    CHECK_CLOSE(g2[5], 1 + g[5], 1e-14, 0);
  }
  /* the pinned variant's gradient is the bar model's dk/dw * e_adj * e */
  mnn_frame_options o;
  mnn_frame_options_bar(&o);
  loss_of(net, &o, F, out, target, U, Ua);
  CHECK(mnn_frame_gradient_w(net, &o, 2, U, Ua, g, 0, &err) == 0);
  double E2[56], Ea2[56], U2[56], Ua2[56], gk[28], gw[28];
  for (int r = 0; r < 2; ++r)
    for (int i = 0; i < 14; ++i)
      for (int c = 0; c < 2; ++c) U2[r * 28 + 2 * i + c] = U[r * 42 + 3 * i + c], Ua2[r * 28 + 2 * i + c] = Ua[r * 42 + 3 * i + c];
  mnn_bar_elongations(net, 2, U2, E2);
  mnn_bar_elongations(net, 2, Ua2, Ea2);
  mnn_bar_gradient_k(28, 2, E2, Ea2, gk, 0);
  mnn_bar_gradient_w(net, gk, gw);
  double worst = 0, gmax = 0;
  for (int b = 0; b < 28; ++b) gmax = fmax(gmax, fabs(gw[b])), worst = fmax(worst, fabs(gw[b] - g[b]));
  CHECK_MSG(worst <= 1e-10 * gmax, "pinned gradient vs the bar model's: %g of %g", worst, gmax);
  mnn_network_free(net);
}

static void bond_stiffness_properties(void) {
  mnn_error err;
  mnn_network *net = mnn_lattice_paper(&err);
  mnn_frame_options o;
  mnn_frame_options_default(&o);
  for (int b = 0; b < net->n_bonds; ++b) {
    double K[36], dK[36];
    CHECK(mnn_frame_bond_stiffness(net, &o, b, K, dK, &err) == 0);
    int a = net->bond_a[b], c = net->bond_b[b];
    /* rigid-body modes: two translations and a rotation about the origin */
    double modes[3][6] = {{1, 0, 0, 1, 0, 0},
                          {0, 1, 0, 0, 1, 0},
                          {-net->y[a], net->x[a], 1, -net->y[c], net->x[c], 1}};
    double worst = 0, kmax = 0;
    for (int i = 0; i < 36; ++i) kmax = fmax(kmax, fabs(K[i]));
    for (int m = 0; m < 3; ++m)
      for (int i = 0; i < 6; ++i) {
        double r = 0;
        for (int j = 0; j < 6; ++j) r += K[6 * i + j] * modes[m][j];
        worst = fmax(worst, fabs(r));
      }
    CHECK_MSG(worst < 1e-10 * kmax, "bond %d: rigid-body residual %g", b + 1, worst);
    int sym = 1;
    for (int i = 0; i < 6; ++i)
      for (int j = 0; j < 6; ++j) sym &= fabs(K[6 * i + j] - K[6 * j + i]) <= 1e-12 * kmax;
    CHECK(sym);
  }
  mnn_frame_segment seg[5];
  CHECK(mnn_frame_bond_segments(net, &o, 0, seg, &err) == 5);
  CHECK_CLOSE(seg[1].s1 - seg[1].s0, 0.0015, 1e-12, 0);
  CHECK(seg[0].width == 0 && seg[1].width == 0.001 && seg[2].width == 0.002);
  mnn_frame_options_bar(&o);
  CHECK(mnn_frame_bond_segments(net, &o, 0, seg, &err) == 1);
  char label[64];
  mnn_frame_options_default(&o);
  CHECK_CONTAINS(mnn_frame_options_label(&o, label, sizeof label), "rigid+discs+necks+shear+clamp");
  o.joint_compliance = 1e-4;
  CHECK_CONTAINS(mnn_frame_options_label(&o, label, sizeof label), "+clamp+joint");
  mnn_network_free(net);
}

/* Calibration recovers a known factor and joint compliance from responses that the
 * model itself made (uniform 1.5 and 2.5 mm paper networks, full free response). */
static void calibration(void) {
  mnn_error err;
  mnn_network *nets[2];
  int dofs[24], nf = 0;
  double *R_fem[2];
  mnn_frame_options truth;
  mnn_frame_options_default(&truth);
  truth.joint_compliance = 4e-4;
  for (int k = 0; k < 2; ++k) {
    nets[k] = mnn_lattice_paper(&err);
    for (int b = 0; b < nets[k]->n_bonds; ++b) nets[k]->width[b] = k ? 0.0025 : 0.0015;
    nets[k]->calibration.factor = 0.9;
  }
  for (int i = 0; i < 14; ++i)
    if (!nets[0]->fixed[i]) dofs[nf++] = 2 * i, dofs[nf++] = 2 * i + 1;
  CHECK(nf == 24);
  mnn_frame_cal_set sets[2];
  for (int k = 0; k < 2; ++k) {
    R_fem[k] = malloc(sizeof(double) * 24 * 24);
    CHECK(mnn_frame_response(nets[k], &truth, 24, dofs, 24, dofs, R_fem[k], &err) == 0);
    sets[k] = (mnn_frame_cal_set){nets[k], 24, 24, dofs, dofs, R_fem[k]};
  }
  /* symmetric (Maxwell-Betti) and the factor divides */
  CHECK_CLOSE(R_fem[0][3 * 24 + 17], R_fem[0][17 * 24 + 3], 1e-10, 0);
  mnn_frame_options o = truth;
  double f, e;
  nets[0]->calibration.factor = 3; /* ignored by the calibration */
  CHECK(mnn_frame_calibrate(sets, 2, &o, 1, &f, &e, &err) == 0);
  CHECK_CLOSE(f, 0.9, 1e-6, 0);
  CHECK_CLOSE(o.joint_compliance, 4e-4, 1e-5, 0);
  CHECK(e < 1e-6);
  printf("calibration: factor %.8f, joint compliance %.6e m/N, rms %.2e\n", f, o.joint_compliance, e);
  /* factor only, joint compliance kept */
  o.joint_compliance = 4e-4;
  CHECK(mnn_frame_calibrate(sets, 1, &o, 0, &f, &e, &err) == 0);
  CHECK_CLOSE(f, 0.9, 1e-12, 0);
  CHECK(o.joint_compliance == 4e-4);
  /* a wrong joint model leaves a residual, and the fit of c_j removes it */
  o.joint_compliance = 0;
  CHECK(mnn_frame_calibrate(sets, 2, &o, 0, &f, &e, &err) == 0);
  CHECK(e > 1e-3);
  /* errors */
  CHECK(mnn_frame_calibrate(sets, 0, &o, 0, &f, &e, &err) != 0);
  CHECK_CONTAINS(err.message, "no response matrices");
  memset(R_fem[1], 0, sizeof(double) * 24 * 24);
  CHECK(mnn_frame_calibrate(sets, 2, &o, 0, &f, &e, &err) != 0);
  CHECK_CONTAINS(err.message, "zero");
  int bad = 28;
  CHECK(mnn_frame_response(nets[0], &o, 1, &bad, 1, dofs, &f, &err) != 0);
  CHECK_CONTAINS(err.message, "input DOF 28");
  for (int k = 0; k < 2; ++k) free(R_fem[k]), mnn_network_free(nets[k]);
}

/* The pinned variant follows the bar model's length classes too. */
static void length_classes(void) {
  mnn_error err;
  mnn_network *net = mnn_lattice_paper(&err);
  net->calibration.n_classes = 1, net->calibration.class_length[0] = 0.016, net->calibration.class_factor[0] = 0.8;
  double F[28] = {0}, Ub[28], Uf[28], k[28];
  F[2 * 12 + 1] = -0.098;
  mnn_network_stiffnesses(net, k);
  mnn_bar_solver *bs = mnn_bar_solver_create(net, &err);
  CHECK(bs && mnn_bar_solver_factor(bs, k, &err) == 0 && mnn_bar_solver_solve(bs, 1, F, Ub, &err) == 0);
  mnn_frame_options o;
  mnn_frame_options_bar(&o);
  CHECK(mnn_frame_solve(net, &o, 1, F, Uf, NULL, &err) == 0);
  CHECK_CLOSE(Uf[27], Ub[27], 1e-12, 0);
  CHECK_CLOSE(Uf[27] * 1e3, -0.80521 / 0.8, 5e-6, 0);
  mnn_bar_solver_free(bs);
  mnn_network_free(net);
}

/* The CHOLMOD path against the dense one, AUTO's choice, and its zero-mode reports. */
static void sparse_path(void) {
  mnn_error err;
  mnn_network *nets[2] = {mnn_lattice_paper(&err), mnn_lattice_patch(20, 20, 0.016, MNN_SUPPORT_TOP_ROW, &err)};
  srand(11);
  for (int k = 0; k < 2; ++k) {
    mnn_network *net = nets[k];
    for (int b = 0; b < net->n_bonds; ++b) net->width[b] = 0.0015 + 0.001 * rand() / (double)RAND_MAX;
    int nd = 3 * net->n_nodes;
    double *F = malloc(sizeof(double) * nd * 2), *Ud = malloc(sizeof(double) * nd * 2), *Us = malloc(sizeof(double) * nd * 2);
    for (int i = 0; i < 2 * nd; ++i) F[i] = 0.01 * (rand() / (double)RAND_MAX - 0.5);
    for (int v = 0; v < 3; ++v) {
      mnn_frame_options o;
      mnn_frame_options_default(&o);
      if (v == 1) mnn_frame_options_bar(&o);
      if (v == 2) o.clamp_supports = 0, o.joint_compliance = 3e-4;
      mnn_frame_solver *sd = mnn_frame_solver_create_with(net, &o, MNN_FRAME_DENSE, &err);
      mnn_frame_solver *ss = mnn_frame_solver_create_with(net, &o, MNN_FRAME_SPARSE, &err);
      mnn_frame_solver *sa = mnn_frame_solver_create(net, &o, &err);
      CHECK(sd && ss && sa);
      if (!sd || !ss || !sa) continue;
      CHECK(mnn_frame_solver_method(sd) == MNN_FRAME_DENSE && mnn_frame_solver_method(ss) == MNN_FRAME_SPARSE);
      CHECK(mnn_frame_solver_method(sa) ==
            (mnn_frame_solver_n_free(sa) > MNN_FRAME_DENSE_MAX_FREE ? MNN_FRAME_SPARSE : MNN_FRAME_DENSE));
      CHECK(mnn_frame_solver_solve(sd, 2, F, Ud, &err) == 0 && mnn_frame_solver_solve(ss, 2, F, Us, &err) == 0);
      double umax = 0, dmax = 0;
      for (int i = 0; i < 2 * nd; ++i) umax = fmax(umax, fabs(Ud[i])), dmax = fmax(dmax, fabs(Ud[i] - Us[i]));
      CHECK_MSG(dmax <= 1e-9 * umax, "network %d variant %d: dense vs sparse %g of %g", k, v, dmax, umax);
      mnn_frame_solver_free(sd), mnn_frame_solver_free(ss), mnn_frame_solver_free(sa);
    }
    free(F), free(Ud), free(Us);
  }
  /* the 20 x 20 patch without supports: the sparse path reports like the dense one */
  for (int i = 0; i < nets[1]->n_nodes; ++i) nets[1]->fixed[i] = 0;
  mnn_frame_options o;
  mnn_frame_options_default(&o);
  CHECK(mnn_frame_solver_create(nets[1], &o, &err) == NULL);
  CHECK_CONTAINS(err.message, "3 zero modes");
  /* above the report limit: the node where the factorisation stopped */
  mnn_network *big = mnn_lattice_patch(40, 30, 0.016, MNN_SUPPORT_NONE, &err);
  CHECK(mnn_frame_solver_create(big, &o, &err) == NULL);
  CHECK_CONTAINS(err.message, "zero mode (mechanism) at node");
  CHECK_CONTAINS(err.message, "add bonds or supports");
  mnn_network_free(big);
  for (int k = 0; k < 2; ++k) mnn_network_free(nets[k]);
}

int main(void) {
  cantilever_closed_forms();
  necks_and_discs();
  pinned_equals_bar_model();
  symmetry_and_equilibrium();
  two_bar_truss();
  zero_modes_and_errors();
  width_gradient();
  bond_stiffness_properties();
  calibration();
  length_classes();
  sparse_path();
  return mnn_test_finish();
}
