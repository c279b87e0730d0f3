/* Measured parts against the models: the one orchestration that `mnn calibrate
 * --material`, the measurement stage of `mnn run` and `mnn insitu` share. For
 * each measurement: the bar model (the network file's E, factor and joint
 * compliance) and the 3D FEM on its mesh predict every measured displacement
 * and every measured gradient e_adj * e (forward and adjoint loads as measured;
 * the FEM's elongations from its disc-averaged node displacements, as marker
 * tracking measures them). The FEM is solved once per mesh at a reference
 * modulus; its response is exactly proportional to 1/E, so the modulus fitted on
 * the measurements marked `fit` (weights 1/sd^2) and every prediction at that
 * modulus follow without another solve. PETSc must be running, with the FEM
 * solver's options set (prefix fem_). */
#ifndef MNN_MEASUREMENT_EVAL_H
#define MNN_MEASUREMENT_EVAL_H

#include "material_file.h"
#include "measurement_file.h"
#include "measurement_fit.h"

typedef struct mnn_measure_item {
  const mnn_measurement *m;
  const char *mesh;        /* the mesh of m->net (NULL: bar model only) */
  int fit;                 /* 1: the modulus is fitted on this item's displacements */
  /* results, filled by mnn_measure_run (malloc'd; mnn_measure_item_clear frees them) */
  double *bar_u, *fem_u;   /* n_displacements, m; fem_u at the job's final modulus */
  double *bar_g, *fem_g;   /* n_gradients, e_adj * e in m^2; fem_g at the final modulus */
  double cos_bar, cos_fem; /* cosine of the model's gradients with the measured ones (NAN without) */
  double cos_fem_energy;   /* the same for the FEM's sensitivity per bond, the integral of
                              eps(u_adj):C:eps(u) over the bond (= k e_adj e in the bar model) */
  long fem_dofs;
} mnn_measure_item;

typedef struct mnn_measure_job {
  int n_items;
  mnn_measure_item *items;
  int order;                     /* FEM element order, 1 or 2 */
  const mnn_material *material;  /* the FEM's material; NULL: each network file's E and nu.
                                    With items to fit, only its nu is used */
  /* results */
  int fitted;                    /* 1: the modulus was fitted */
  mnn_modulus_fit fit;
  double youngs_modulus, poisson_ratio;  /* what the FEM predictions use */
  double reference_modulus;      /* what the FEM was solved with */
} mnn_measure_job;

/* Evaluates every item (FEM objects are shared by consecutive items with the same
 * mesh), fits the modulus when an item is marked fit, and fills the results. */
int mnn_measure_run(mnn_measure_job *job, mnn_error *err);
void mnn_measure_item_clear(mnn_measure_item *it);

/* Writes the material record of a job that ran (E and nu the FEM predictions
 * used, and when it fitted the modulus, what it was fitted on) at path,
 * atomically. 0 on success, -1 with err set. */
int mnn_measure_write_material(const mnn_measure_job *job, const char *path, mnn_error *err);

#endif
