/* The measurement stage's record (measure.record.xml) as a struct: the FEM's
 * material and, per measured part and quantity, what was measured and what both
 * models predict. Written by stage_measure.c, read by it for the report, through
 * one field table (mnn_measure_record_table, stage_record.h). */
#ifndef MNN_STAGE_MEASURE_RECORD_H
#define MNN_STAGE_MEASURE_RECORD_H

#include "stage_record.h"

/* One measured quantity: a node's displacement (m) or a bond's gradient e_adj e (m^2). */
typedef struct mnn_measure_record_value {
  int id;        /* node id (displacement) or bond id (gradient) */
  int component; /* displacement: 0 = x, 1 = y */
  double value, sd;
  int repeats;
  double bar, fem; /* the models' values (fem at the record's modulus) */
} mnn_measure_record_value;

typedef struct mnn_measure_record_part {
  char name[128], title[256];
  int fit; /* the modulus was fitted on this part */
  long dofs;
  double cosine_bar, cosine_fem, cosine_fem_energy; /* of the measured gradients (NaN without) */
  int n_displacements, n_gradients;
  mnn_measure_record_value *u, *g; /* n_displacements, n_gradients */
} mnn_measure_record_part;

typedef struct mnn_measure_record {
  int fitted; /* 1: youngs_modulus was fitted on the parts marked fit */
  double youngs_modulus, poisson_ratio, reference_modulus;
  double fit_rms_sd, fit_max_sd; /* the fit's residuals in sd; NaN when not fitted */
  int n_parts;
  mnn_measure_record_part *parts;
} mnn_measure_record;

extern const mnn_record_table mnn_measure_record_table;

/* Writes mr as the record of stage "measure" at path, atomically. */
int mnn_measure_record_write(const mnn_measure_record *mr, const char *path, mnn_error *err);
/* Fills mr from a measure record, failing naming a missing or malformed key;
 * clear mr afterwards, also on failure. */
int mnn_measure_record_take(const mnn_record *rec, mnn_measure_record *mr, mnn_error *err);
/* Frees mr's parts and their values (heap arrays allocated by take, or by the
 * writer with calloc) and sets them to NULL. */
void mnn_measure_record_clear(mnn_measure_record *mr);

#endif
