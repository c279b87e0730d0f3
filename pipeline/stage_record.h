/* Stage records: the numbers a pipeline stage hands on to the report stage (mesh
 * counts, FEM outputs and gradients, STL statistics, training results), kept as
 * named values in a small XML file beside the stage's outputs (schemas/record.xsd).
 * One mechanism for every stage; numbers round-trip bit for bit. */
#ifndef MNN_STAGE_RECORD_H
#define MNN_STAGE_RECORD_H

#include <stddef.h>
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

/* Typed records: a stage's record is a struct whose fields are listed once, as
 * (key, kind, offset, count), and the same table writes and reads it, so a key
 * cannot drift between the writer and the reader. count > 1 stores an array as
 * "key.0", "key.1", ...; MNN_FIELD_TEXT fields are char arrays of `size` bytes. */
typedef enum { MNN_FIELD_DOUBLE, MNN_FIELD_LONG, MNN_FIELD_INT, MNN_FIELD_TEXT } mnn_field_kind;
typedef struct mnn_record_field {
  const char *key;
  mnn_field_kind kind;
  size_t offset; /* offsetof(struct, field) */
  int count;     /* array length (1 for a scalar) */
  size_t size;   /* MNN_FIELD_TEXT: the char array's size */
} mnn_record_field;

/* Sets every field of the table from the struct at s. Fails only on memory. */
int mnn_record_put(mnn_record *r, const void *s, const mnn_record_field *fields, int n_fields, mnn_error *err);
/* Fills the struct at s from the record: every field of the table must be present
 * and hold its kind (a number, an integer, text that fits), else one message naming
 * the key; what the record holds beyond the table is ignored. */
int mnn_record_take(const mnn_record *r, void *s, const mnn_record_field *fields, int n_fields, mnn_error *err);

int mnn_record_write(const mnn_record *r, const char *path, mnn_error *err);
mnn_record *mnn_record_read(const char *path, mnn_error *err);

extern const char mnn_record_xsd[];

#endif
