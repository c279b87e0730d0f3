/* Stage records: the numbers a pipeline stage hands on to the report stage (mesh
 * counts, FEM outputs and gradients, STL statistics, training results), kept as
 * named values in a small XML file beside the stage's outputs (schemas/record.xsd).
 * One mechanism for every stage; numbers round-trip bit for bit. A stage's record
 * is typed: a struct and its field table (below), with the record's own schema
 * (schemas/record-<stage>.xsd) generated from the table. */
#ifndef MNN_STAGE_RECORD_H
#define MNN_STAGE_RECORD_H

#include <stddef.h>
#include "error.h"

typedef struct mnn_record mnn_record;

/* The two keys every stage's record holds besides its own (stage.c seals them):
 * the hash of the stage's inputs and of its outputs, as mnn_stage_key gives them. */
#define MNN_RECORD_INPUT_KEY "input-key"
#define MNN_RECORD_OUTPUT_KEY "output-key"

/* An empty record of the named stage (the name is copied), or NULL when out of
 * memory. Free it with mnn_record_free. */
mnn_record *mnn_record_create(const char *stage);
/* Frees r and every key and value it holds; NULL is allowed. */
void mnn_record_free(mnn_record *r);

/* Sets (or replaces) a value: a number as "%.17g" (it reads back bit for bit) or
 * a text. Keys are free text such as "output.1.node"; a typed record's keys come
 * from its table (below). 0 on success, -1 when out of memory (r unchanged). */
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

/* Typed records: a stage's record is a struct whose fields are listed once in a
 * table of mnn_record_field, and the same table writes it (mnn_record_put), reads
 * it (mnn_record_take) and gives its schema (mnn_record_schema), so a key cannot
 * drift between the writer and the reader.
 *
 * A field is a scalar, or an array when its key holds one "%d": element i is
 * the key with i (or ids[i], see below) in place of %d, e.g. "output.%d.node".
 * Forms (every reference to another field of the struct is MNN_FIELD_REF(type,
 * member), 0 for none):
 *  - kind: MNN_FIELD_DOUBLE (double), MNN_FIELD_LONG (long), MNN_FIELD_INT (int),
 *    MNN_FIELD_TEXT (char[size]), MNN_FIELD_GROUP (a struct of `size` bytes with
 *    its own table `sub`; its keys are this key, with the index, followed by the
 *    sub-table's keys: "part.%d." + "u.%d." + "id" gives "part.0.u.1.id").
 *  - count: an array held in the struct: its capacity (the array's length when
 *    `length` is 0); ignored for a scalar and a heap array.
 *  - length (and length2): the int fields that hold the array's length (their
 *    product, for a matrix such as outputs x inputs). A length field that is in
 *    the table comes before the array; one that is not (with `ids`) is set by the
 *    caller before mnn_record_take.
 *  - ids: a const int * field: element i has key ids[i] ("gradient-bar.<bond id>"),
 *    for arrays over the network's bonds or nodes.
 *  - heap: the struct holds a pointer to the elements; mnn_record_take allocates
 *    it (the pointer must be NULL before), mnn_record_release frees it.
 *  - optional: a record without the key reads the default (NaN for a double, 0 for
 *    an integer, "" for text; for an array: when its first element is absent, the
 *    whole array); a key that is there must still hold its kind. The writer
 *    writes it all the same, unless it has a presence flag:
 *  - present: an int set to whether an optional key was there; the writer then
 *    writes the field only when it is set. */
typedef enum { MNN_FIELD_DOUBLE, MNN_FIELD_LONG, MNN_FIELD_INT, MNN_FIELD_TEXT, MNN_FIELD_GROUP } mnn_field_kind;
#define MNN_FIELD_REF(type, member) (offsetof(type, member) + 1)
/* A table entry's first designators, the rest (.count, .length, ...) follow:
 * {MNN_FIELD(mnn_x, "outputs", MNN_FIELD_INT, n_outputs)}, {MNN_TEXT(mnn_x, "solver", solver)}. */
#define MNN_FIELD(type, key_, kind_, member) .key = (key_), .kind = (kind_), .offset = offsetof(type, member)
#define MNN_TEXT(type, key_, member) \
  MNN_FIELD(type, key_, MNN_FIELD_TEXT, member), .size = sizeof(((type *)0)->member)
typedef struct mnn_record_field {
  const char *key;
  mnn_field_kind kind;
  size_t offset; /* offsetof(struct, field) */
  int count;     /* an array's capacity in the struct */
  size_t size;   /* MNN_FIELD_TEXT: the char array's size; MNN_FIELD_GROUP: the struct's */
  int optional;
  size_t present, length, length2, ids; /* MNN_FIELD_REF references, 0 for none */
  int heap;
  const struct mnn_record_field *sub; /* MNN_FIELD_GROUP: the element's table */
  int n_sub;
} mnn_record_field;

/* Sets every field of the table from the struct at s. Fails on memory, or when an
 * array's length is negative or more than its capacity (naming the key). */
int mnn_record_put(mnn_record *r, const void *s, const mnn_record_field *fields, int n_fields, mnn_error *err);
/* Fills the struct at s from the record: every field of the table that is not
 * optional must be present, and every field that is present must hold its kind (a
 * number, an integer, text that fits) and every length must fit its array, else
 * one message naming the key; what the record holds beyond the table is ignored.
 * On failure the struct may be partly filled: release it all the same. */
int mnn_record_take(const mnn_record *r, void *s, const mnn_record_field *fields, int n_fields, mnn_error *err);
/* Frees the heap arrays of the struct at s (also inside groups) and sets their
 * pointers to NULL; safe on a struct that mnn_record_take filled only partly. */
void mnn_record_release(void *s, const mnn_record_field *fields, int n_fields);

/* A stage's typed record: its stage name, field table and schema (the
 * checked-in schemas/record-<stage>.xsd, compiled in; mnn_record_tables in
 * stage_records.h lists every typed record). */
typedef struct mnn_record_table {
  const char *stage;
  const mnn_record_field *fields;
  int n_fields;
  const char *xsd;
} mnn_record_table;
/* Writes the struct at s as a record of t->stage at path, atomically. */
int mnn_record_write_struct(const mnn_record_table *t, const void *s, const char *path, mnn_error *err);
/* Reads a record of t's stage, validated against t's schema: a key the table does
 * not have (a misspelt one), a key given twice, a value of no kind the record uses
 * or another stage's record fail with path:line. */
mnn_record *mnn_record_read_typed(const char *path, const mnn_record_table *t, mnn_error *err);

/* The XSD of t's record, generated from its table (malloc'd; NULL when out of
 * memory): the keys by the kind of their value, scalars as xs:enumeration, array
 * elements as xs:pattern ([0-9]+ for a position, -?[0-9]+ for an id), with the
 * keys every stage's record also holds (MNN_RECORD_INPUT_KEY, _OUTPUT_KEY); each key
 * at most once; the value a number (xs:double, or nan/inf as printf writes them),
 * an integer (xs:long) or text (xs:string), of the kinds the table uses. XSD 1.0
 * cannot tie a value's type to its key: mnn_record_take checks that. */
char *mnn_record_schema(const mnn_record_table *t);

/* Writes r as XML (schemas/record.xsd) at path, atomically: the file is
 * complete or not replaced. 0 on success, -1 with err set. */
int mnn_record_write(const mnn_record *r, const char *path, mnn_error *err);
/* Reads the record at path against the generic record schema (any stage, any
 * key; mnn_record_read_typed checks a stage's own keys). NULL with err set (path
 * and line) when it is missing, malformed or invalid, or when out of memory. */
mnn_record *mnn_record_read(const char *path, mnn_error *err);

extern const char mnn_record_xsd[];

#endif
