/* Typed stage records: a struct written into a record, read back from one and
 * released, all through its field table (the forms are described in
 * stage_record.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "stage_record.h"

/* The int that reference ref (MNN_FIELD_REF) names in the struct at s. */
static int ref_int(const void *s, size_t ref) { return *(const int *)((const char *)s + ref - 1); }

static int is_array(const mnn_record_field *f) { return strstr(f->key, "%d") != NULL; }

static size_t element_size(const mnn_record_field *f) {
  switch (f->kind) {
    case MNN_FIELD_DOUBLE: return sizeof(double);
    case MNN_FIELD_LONG: return sizeof(long);
    case MNN_FIELD_INT: return sizeof(int);
    default: return f->size; /* text, group */
  }
}

/* The number of elements of f in the struct at s: 1 for a scalar, else the
 * product of its length fields, else its capacity. */
static long field_length(const mnn_record_field *f, const void *s) {
  if (!is_array(f)) return 1;
  if (!f->length) return f->count;
  long n = ref_int(s, f->length);
  return f->length2 ? n * ref_int(s, f->length2) : n;
}

/* The first element of f: in the struct, or behind its pointer (NULL when not
 * allocated). */
static char *elements(const mnn_record_field *f, const void *s) {
  char *p = (char *)s + f->offset;
  return f->heap ? *(char **)p : p;
}

/* The full key of element i of f: prefix, then f's key with i (or ids[i]) for
 * its %d. -1 when it does not fit. */
static int element_key(const char *prefix, const mnn_record_field *f, const void *s, long i, char *key, size_t n) {
  long index = i;
  if (f->ids) index = (*(const int *const *)((const char *)s + f->ids - 1))[i];
  const char *mark = strstr(f->key, "%d");
  int len = mark ? snprintf(key, n, "%s%.*s%ld%s", prefix, (int)(mark - f->key), f->key, index, mark + 2)
                 : snprintf(key, n, "%s%s", prefix, f->key);
  return len < 0 || (size_t)len >= n ? -1 : 0;
}

/* Checks f's length n against its capacity and its ids: an error naming the key
 * of its length field (or its own). */
static int check_length(const char *stage, const char *prefix, const mnn_record_field *fields, int n_fields,
                        const mnn_record_field *f, const void *s, long n, mnn_error *err) {
  if (!is_array(f)) return 0;
  const char *name = f->key;
  for (int k = 0; k < n_fields && f->length; ++k)
    if (fields[k].offset + 1 == f->length) name = fields[k].key;
  if (n < 0) return mnn_fail(err, "%s record: %s%s: a negative count: rerun the stage with --force", stage, prefix, name);
  if (!f->heap && n > f->count)
    return mnn_fail(err, "%s record: %s%s: %ld values, more than the %d this record holds: rerun the stage with --force",
                    stage, prefix, name, n, f->count);
  if (f->ids && n > 0 && !*(const int *const *)((const char *)s + f->ids - 1))
    return mnn_fail(err, "%s record: %s%s: no ids to index it with", stage, prefix, f->key);
  return 0;
}

static int put_fields(mnn_record *r, const char *prefix, const void *s, const mnn_record_field *fields, int n_fields,
                      mnn_error *err) {
  const char *stage = mnn_record_stage(r);
  for (int k = 0; k < n_fields; ++k) {
    const mnn_record_field *f = &fields[k];
    if (f->optional && f->present && !ref_int(s, f->present)) continue;
    long n = field_length(f, s);
    if (check_length(stage, prefix, fields, n_fields, f, s, n, err)) return -1;
    const char *el = elements(f, s);
    if (n > 0 && !el) return mnn_fail(err, "%s record: %s%s: no values to write", stage, prefix, f->key);
    for (long i = 0; i < n; ++i) {
      char key[256];
      if (element_key(prefix, f, s, i, key, sizeof key))
        return mnn_fail(err, "%s record: %s%s: the key is too long", stage, prefix, f->key);
      const char *p = el + (size_t)i * element_size(f);
      int rc = 0;
      switch (f->kind) {
        case MNN_FIELD_DOUBLE: rc = mnn_record_set(r, key, *(const double *)p); break;
        case MNN_FIELD_LONG: rc = mnn_record_set(r, key, (double)*(const long *)p); break;
        case MNN_FIELD_INT: rc = mnn_record_set(r, key, *(const int *)p); break;
        case MNN_FIELD_TEXT: rc = mnn_record_set_text(r, key, p); break;
        case MNN_FIELD_GROUP:
          if (put_fields(r, key, p, f->sub, f->n_sub, err)) return -1;
          break;
      }
      if (rc) return mnn_fail(err, "%s record: out of memory", stage);
    }
  }
  return 0;
}

int mnn_record_put(mnn_record *r, const void *s, const mnn_record_field *fields, int n_fields, mnn_error *err) {
  return put_fields(r, "", s, fields, n_fields, err);
}

/* Sets the n elements at el of an absent optional field to its default. */
static void set_default(const mnn_record_field *f, char *el, long n) {
  for (long i = 0; i < n; ++i) {
    char *p = el + (size_t)i * element_size(f);
    if (f->kind == MNN_FIELD_DOUBLE) *(double *)p = NAN;
    else if (f->kind == MNN_FIELD_LONG) *(long *)p = 0;
    else if (f->kind == MNN_FIELD_INT) *(int *)p = 0;
    else if (f->kind == MNN_FIELD_TEXT) p[0] = '\0';
  }
}

/* Reads element key of f into p. */
static int take_value(const mnn_record *r, const char *key, const mnn_record_field *f, char *p, mnn_error *err) {
  const char *stage = mnn_record_stage(r);
  if (f->kind == MNN_FIELD_TEXT) {
    const char *text = mnn_record_get_text(r, key);
    if (!text || strlen(text) >= f->size)
      return mnn_fail(err, "%s record: %s '%s': rerun the stage with --force", stage, key,
                      text ? "longer than its field" : "missing");
    memcpy(p, text, strlen(text) + 1);
    return 0;
  }
  double v;
  int got = mnn_record_get(r, key, &v);
  int whole = got == 1 && v == floor(v) && fabs(v) <= (f->kind == MNN_FIELD_INT ? 2147483647.0 : 9.007199254740992e15);
  if (got != 1 || (f->kind != MNN_FIELD_DOUBLE && !whole))
    return mnn_fail(err, "%s record: %s %s: rerun the stage with --force", stage, key,
                    got == 0 ? "missing" : f->kind == MNN_FIELD_DOUBLE ? "not a number" : "not an integer");
  if (f->kind == MNN_FIELD_DOUBLE) *(double *)p = v;
  else if (f->kind == MNN_FIELD_LONG) *(long *)p = (long)v;
  else *(int *)p = (int)v;
  return 0;
}

static int take_fields(const mnn_record *r, const char *prefix, void *s, const mnn_record_field *fields, int n_fields,
                       mnn_error *err) {
  const char *stage = mnn_record_stage(r);
  for (int k = 0; k < n_fields; ++k) {
    const mnn_record_field *f = &fields[k];
    long n = field_length(f, s);
    if (check_length(stage, prefix, fields, n_fields, f, s, n, err)) return -1;
    char *el = (char *)s + f->offset;
    if (f->heap) {
      if (!(el = calloc(n > 0 ? (size_t)n : 1, element_size(f)))) return mnn_fail(err, "%s record: out of memory", stage);
      *(char **)((char *)s + f->offset) = el;
    }
    char key[256];
    if (n > 0 && element_key(prefix, f, s, 0, key, sizeof key))
      return mnn_fail(err, "%s record: %s%s: the key is too long", stage, prefix, f->key);
    int there = n > 0 && mnn_record_get_text(r, key) != NULL;
    if (f->present) *(int *)((char *)s + f->present - 1) = there;
    if (f->optional && !there) {
      set_default(f, el, n);
      continue;
    }
    for (long i = 0; i < n; ++i) {
      char *p = el + (size_t)i * element_size(f);
      if (element_key(prefix, f, s, i, key, sizeof key))
        return mnn_fail(err, "%s record: %s%s: the key is too long", stage, prefix, f->key);
      if (f->kind == MNN_FIELD_GROUP ? take_fields(r, key, p, f->sub, f->n_sub, err) : take_value(r, key, f, p, err))
        return -1;
    }
  }
  return 0;
}

int mnn_record_take(const mnn_record *r, void *s, const mnn_record_field *fields, int n_fields, mnn_error *err) {
  return take_fields(r, "", s, fields, n_fields, err);
}

void mnn_record_release(void *s, const mnn_record_field *fields, int n_fields) {
  for (int k = 0; k < n_fields; ++k) {
    const mnn_record_field *f = &fields[k];
    char *el = elements(f, s);
    if (!el) continue;
    if (f->kind == MNN_FIELD_GROUP) {
      long n = f->heap ? field_length(f, s) : is_array(f) ? f->count : 1;
      for (long i = 0; i < n; ++i) mnn_record_release(el + (size_t)i * f->size, f->sub, f->n_sub);
    }
    if (f->heap) {
      free(el);
      *(char **)((char *)s + f->offset) = NULL;
    }
  }
}

int mnn_record_write_struct(const mnn_record_table *t, const void *s, const char *path, mnn_error *err) {
  mnn_record *rec = mnn_record_create(t->stage);
  if (!rec) return mnn_fail(err, "%s record: out of memory", t->stage);
  int rc = mnn_record_put(rec, s, t->fields, t->n_fields, err) || mnn_record_write(rec, path, err);
  mnn_record_free(rec);
  return rc ? -1 : 0;
}
