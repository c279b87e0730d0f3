/* Material records (schemas/material.xsd, docs/formats.md): the FEM's material,
 * Young's modulus and Poisson's ratio, usually fitted to a measured part by
 * `mnn calibrate --material`, with what it was fitted on and how well. The bar
 * model does not use it: a network file's youngs-modulus is the bar model's
 * effective stiffness; the FEM (mnn fem, mnn calibrate, the FEM stage of a case)
 * takes its material from this record when one is given. */
#ifndef MNN_MATERIAL_FILE_H
#define MNN_MATERIAL_FILE_H

#include "network.h"

typedef struct mnn_material {
  char name[128];
  double youngs_modulus;   /* Pa */
  double poisson_ratio;
  int has_fit;             /* the <fit> element: what the modulus was fitted on */
  char fit_measurement[1024], fit_network[1024], fit_mesh[1024];
  int fit_order, fit_points;
  long fit_dofs;
  double fit_reference_modulus;      /* the modulus the one FEM solve used, Pa */
  double fit_rms_sd, fit_max_sd;     /* residuals after the fit, in standard deviations (NAN: no sd) */
} mnn_material;

/* Reads and validates a material record. 0, or -1 with "file:line: ..." in err. */
int mnn_material_read(const char *path, mnn_material *m, mnn_error *err);
/* Writes it atomically, every number with 17 digits. */
int mnn_material_write(const mnn_material *m, const char *path, mnn_error *err);

/* A copy of net whose youngs_modulus and poisson_ratio are the material's: the
 * network the FEM is built on (the copy must outlive the FEM object). m NULL:
 * a plain copy (the network file's own E and nu). NULL with err on memory. */
mnn_network *mnn_material_network(const mnn_network *net, const mnn_material *m, mnn_error *err);

extern const char mnn_material_xsd[];

#endif
