/* The measurement stage's record as field tables over mnn_measure_record, its
 * parts and their values (keys "part.<i>.u.<j>.value" and so on, as the record
 * has always had them). */
#include "stage_measure_record.h"

#include <string.h>

#define N_FIELDS(t) ((int)(sizeof(t) / sizeof *(t)))

#define V mnn_measure_record_value
static const mnn_record_field value_fields[] = {
    {MNN_FIELD(V, "id", MNN_FIELD_INT, id)},          {MNN_FIELD(V, "component", MNN_FIELD_INT, component)},
    {MNN_FIELD(V, "value", MNN_FIELD_DOUBLE, value)}, {MNN_FIELD(V, "sd", MNN_FIELD_DOUBLE, sd)},
    {MNN_FIELD(V, "repeats", MNN_FIELD_INT, repeats)}, {MNN_FIELD(V, "bar", MNN_FIELD_DOUBLE, bar)},
    {MNN_FIELD(V, "fem", MNN_FIELD_DOUBLE, fem)},
};

#define P mnn_measure_record_part
static const mnn_record_field part_fields[] = {
    {MNN_TEXT(P, "name", name)},
    {MNN_TEXT(P, "title", title)},
    {MNN_FIELD(P, "fit", MNN_FIELD_INT, fit)},
    {MNN_FIELD(P, "dofs", MNN_FIELD_LONG, dofs)},
    {MNN_FIELD(P, "cosine-bar", MNN_FIELD_DOUBLE, cosine_bar)},
    {MNN_FIELD(P, "cosine-fem", MNN_FIELD_DOUBLE, cosine_fem)},
    {MNN_FIELD(P, "cosine-fem-energy", MNN_FIELD_DOUBLE, cosine_fem_energy)},
    {MNN_FIELD(P, "displacements", MNN_FIELD_INT, n_displacements)},
    {MNN_FIELD(P, "gradients", MNN_FIELD_INT, n_gradients)},
    {MNN_FIELD(P, "u.%d.", MNN_FIELD_GROUP, u), .size = sizeof(V), .length = MNN_FIELD_REF(P, n_displacements),
     .heap = 1, .sub = value_fields, .n_sub = N_FIELDS(value_fields)},
    {MNN_FIELD(P, "g.%d.", MNN_FIELD_GROUP, g), .size = sizeof(V), .length = MNN_FIELD_REF(P, n_gradients),
     .heap = 1, .sub = value_fields, .n_sub = N_FIELDS(value_fields)},
};

#define R mnn_measure_record
static const mnn_record_field measure_fields[] = {
    {MNN_FIELD(R, "fitted", MNN_FIELD_INT, fitted)},
    {MNN_FIELD(R, "youngs-modulus", MNN_FIELD_DOUBLE, youngs_modulus)},
    {MNN_FIELD(R, "poisson-ratio", MNN_FIELD_DOUBLE, poisson_ratio)},
    {MNN_FIELD(R, "reference-modulus", MNN_FIELD_DOUBLE, reference_modulus)},
    {MNN_FIELD(R, "fit-rms-sd", MNN_FIELD_DOUBLE, fit_rms_sd), .optional = 1},
    {MNN_FIELD(R, "fit-max-sd", MNN_FIELD_DOUBLE, fit_max_sd), .optional = 1},
    {MNN_FIELD(R, "parts", MNN_FIELD_INT, n_parts)},
    {MNN_FIELD(R, "part.%d.", MNN_FIELD_GROUP, parts), .size = sizeof(P), .length = MNN_FIELD_REF(R, n_parts),
     .heap = 1, .sub = part_fields, .n_sub = N_FIELDS(part_fields)},
};

extern const char mnn_record_measure_xsd[];
const mnn_record_table mnn_measure_record_table = {"measure", measure_fields, N_FIELDS(measure_fields),
                                                   mnn_record_measure_xsd};

int mnn_measure_record_write(const mnn_measure_record *mr, const char *path, mnn_error *err) {
  return mnn_record_write_struct(&mnn_measure_record_table, mr, path, err);
}

int mnn_measure_record_take(const mnn_record *rec, mnn_measure_record *mr, mnn_error *err) {
  memset(mr, 0, sizeof *mr);
  return mnn_record_take(rec, mr, measure_fields, N_FIELDS(measure_fields), err);
}

void mnn_measure_record_clear(mnn_measure_record *mr) {
  mnn_record_release(mr, measure_fields, N_FIELDS(measure_fields));
}
