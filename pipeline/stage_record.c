/* Stage records: named values in memory, written and read as XML. */
#include "stage_record.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "xml_output.h"
#include "xml_input.h"

/* The keys in insertion order (the order they are written), and an open-addressing
 * hash index over them (slot: key index + 1, 0 empty; power-of-two size at least
 * twice the keys), so that setting and getting a key is O(1) and a record of
 * n per-bond and per-node values is read and written in O(n), not O(n^2). */
struct mnn_record {
  char *stage;
  int n, cap;
  char **keys, **values;
  int *slots;
  size_t n_slots;
};

mnn_record *mnn_record_create(const char *stage) {
  mnn_record *r = calloc(1, sizeof *r);
  if (!r) return NULL;
  r->stage = strdup(stage);
  if (!r->stage) {
    free(r);
    return NULL;
  }
  return r;
}

void mnn_record_free(mnn_record *r) {
  if (!r) return;
  for (int i = 0; i < r->n; ++i) {
    free(r->keys[i]);
    free(r->values[i]);
  }
  free(r->keys);
  free(r->values);
  free(r->slots);
  free(r->stage);
  free(r);
}

/* FNV-1a of the key. */
static size_t hash(const char *key) {
  size_t h = 1469598103934665603u;
  for (const unsigned char *c = (const unsigned char *)key; *c; ++c) h = (h ^ *c) * 1099511628211u;
  return h;
}

/* The slot that holds key, or the empty slot where it would go. */
static size_t slot_of(const mnn_record *r, const char *key) {
  size_t mask = r->n_slots - 1, s = hash(key) & mask;
  while (r->slots[s] && strcmp(r->keys[r->slots[s] - 1], key)) s = (s + 1) & mask;
  return s;
}

static int find(const mnn_record *r, const char *key) {
  return r->n_slots ? r->slots[slot_of(r, key)] - 1 : -1;
}

/* Room for one more key: the arrays and the index grow by doubling (the index is
 * rebuilt over the keys). Returns 0, or -1 when out of memory (r unchanged). */
static int grow(mnn_record *r) {
  if (r->n == r->cap) {
    int cap = r->cap ? 2 * r->cap : 32;
    char **k = realloc(r->keys, (size_t)cap * sizeof *k);
    if (!k) return -1;
    r->keys = k;
    char **v = realloc(r->values, (size_t)cap * sizeof *v);
    if (!v) return -1;
    r->values = v;
    r->cap = cap;
  }
  if (2 * (size_t)(r->n + 1) > r->n_slots) {
    size_t n_slots = r->n_slots ? 2 * r->n_slots : 64;
    int *slots = calloc(n_slots, sizeof *slots);
    if (!slots) return -1;
    free(r->slots);
    r->slots = slots;
    r->n_slots = n_slots;
    for (int i = 0; i < r->n; ++i) r->slots[slot_of(r, r->keys[i])] = i + 1;
  }
  return 0;
}

int mnn_record_set_text(mnn_record *r, const char *key, const char *text) {
  char *v = strdup(text);
  if (!v) return -1;
  int i = find(r, key);
  if (i >= 0) {
    free(r->values[i]);
    r->values[i] = v;
    return 0;
  }
  if (grow(r)) return free(v), -1;
  char *k = strdup(key);
  if (!k) return free(v), -1;
  r->slots[slot_of(r, key)] = r->n + 1;
  r->keys[r->n] = k;
  r->values[r->n++] = v;
  return 0;
}

int mnn_record_set(mnn_record *r, const char *key, double value) {
  char buf[40];
  snprintf(buf, sizeof buf, "%.17g", value);
  return mnn_record_set_text(r, key, buf);
}

int mnn_record_set_indexed(mnn_record *r, const char *prefix, int index, double value) {
  char key[256];
  snprintf(key, sizeof key, "%s.%d", prefix, index);
  return mnn_record_set(r, key, value);
}

const char *mnn_record_get_text(const mnn_record *r, const char *key) {
  int i = find(r, key);
  return i >= 0 ? r->values[i] : NULL;
}

const char *mnn_record_stage(const mnn_record *r) { return r->stage; }

int mnn_record_get(const mnn_record *r, const char *key, double *value) {
  const char *s = mnn_record_get_text(r, key);
  if (!s) return 0;
  char *end = NULL;
  errno = 0;
  double v = strtod(s, &end);
  if (end == s || *end != '\0') return -1;
  *value = v;
  return 1;
}

int mnn_record_get_indexed(const mnn_record *r, const char *prefix, int index, double *value) {
  char key[256];
  snprintf(key, sizeof key, "%s.%d", prefix, index);
  return mnn_record_get(r, key, value);
}

int mnn_record_write(const mnn_record *r, const char *path, mnn_error *err) {
  mnn_xml_output out;
  if (mnn_xml_output_open(&out, path, err)) return -1;
  xmlTextWriterPtr w = out.w;
  int bad = 0;
  bad |= xmlTextWriterStartElement(w, BAD_CAST "record") < 0;
  bad |= xmlTextWriterWriteAttribute(w, BAD_CAST "stage", BAD_CAST r->stage) < 0;
  for (int i = 0; i < r->n && !bad; ++i) {
    bad |= xmlTextWriterStartElement(w, BAD_CAST "value") < 0;
    bad |= xmlTextWriterWriteAttribute(w, BAD_CAST "name", BAD_CAST r->keys[i]) < 0;
    bad |= xmlTextWriterWriteAttribute(w, BAD_CAST "value", BAD_CAST r->values[i]) < 0;
    bad |= xmlTextWriterEndElement(w) < 0;
  }
  bad |= xmlTextWriterEndElement(w) < 0; /* record */
  return mnn_xml_output_finish(&out, bad, err);
}

/* Reads the record at path, validated against xsd. */
static mnn_record *read_record(const char *path, const char *xsd, mnn_error *err) {
  xmlDocPtr doc = mnn_xml_read(path, xsd, err);
  if (!doc) return NULL;
  xmlNodePtr root = xmlDocGetRootElement(doc);
  char *stage = mnn_xml_attr_string(root, "stage");
  mnn_record *r = stage ? mnn_record_create(stage) : NULL;
  free(stage);
  int ok = r != NULL;
  for (xmlNodePtr c = root->children; ok && c; c = c->next) {
    if (!mnn_xml_is(c, "value")) continue;
    char *k = mnn_xml_attr_string(c, "name"), *v = mnn_xml_attr_string(c, "value");
    ok = k && v && mnn_record_set_text(r, k, v) == 0;
    free(k);
    free(v);
  }
  xmlFreeDoc(doc);
  if (!ok) {
    mnn_record_free(r);
    mnn_fail(err, "%s: out of memory", path);
    return NULL;
  }
  return r;
}

mnn_record *mnn_record_read(const char *path, mnn_error *err) { return read_record(path, mnn_record_xsd, err); }

mnn_record *mnn_record_read_typed(const char *path, const mnn_record_table *t, mnn_error *err) {
  return read_record(path, t->xsd ? t->xsd : mnn_record_xsd, err);
}
