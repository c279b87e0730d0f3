/* Stage records: the numbers a pipeline stage hands on to the report stage (mesh
 * counts, FEM outputs and gradients, STL statistics, training results), kept as
 * named values in a small XML file beside the stage's outputs (schemas/record.xsd).
 * One mechanism for every stage; numbers round-trip bit for bit. */
#ifndef MNN_STAGE_RECORD_H
#define MNN_STAGE_RECORD_H

#include "error.h"

typedef struct mnn_record mnn_record;

mnn_record *mnn_record_create(const char *stage);
void mnn_record_free(mnn_record *r);

/* Sets (or replaces) a value. Keys are free text such as "fem.output.14.y". */
int mnn_record_set(mnn_record *r, const char *key, double value);
int mnn_record_set_text(mnn_record *r, const char *key, const char *text);
/* Sets key "<prefix>.<index>" (a convenience for per-bond and per-node values). */
int mnn_record_set_indexed(mnn_record *r, const char *prefix, int index, double value);

/* 1 and the value when present and numeric, 0 when absent, -1 when not a number. */
int mnn_record_get(const mnn_record *r, const char *key, double *value);
int mnn_record_get_indexed(const mnn_record *r, const char *prefix, int index, double *value);
/* The text, or NULL when absent. */
const char *mnn_record_get_text(const mnn_record *r, const char *key);
const char *mnn_record_stage(const mnn_record *r);

int mnn_record_write(const mnn_record *r, const char *path, mnn_error *err);
mnn_record *mnn_record_read(const char *path, mnn_error *err);

extern const char mnn_record_xsd[];

#endif
