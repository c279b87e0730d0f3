/* The XSD of a typed stage record, generated from its field table (stage_record.h),
 * so that the schema cannot drift from the writer and the reader either. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "stage_record.h"

/* The kinds of value, as the schema names their keys. */
enum { NUMBER, INTEGER, TEXT, SEAL, N_KINDS };
static const char *const kind_key[N_KINDS] = {"number-key", "integer-key", "text-key", "seal-key"};

static int kind_of(mnn_field_kind k) {
  return k == MNN_FIELD_DOUBLE ? NUMBER : k == MNN_FIELD_TEXT ? TEXT : INTEGER;
}

/* Writes prefix and key as a regular expression: '.' escaped, %d as digits
 * (ids may be negative). */
static void put_pattern(FILE *out, const char *prefix, const mnn_record_field *f) {
  fputs(prefix, out);
  for (const char *c = f->key; *c; ++c) {
    if (c[0] == '%' && c[1] == 'd') {
      fputs(f->ids ? "-?[0-9]+" : "[0-9]+", out);
      ++c;
    } else if (*c == '.') {
      fputs("\\.", out);
    } else {
      fputc(*c, out);
    }
  }
}

/* Writes the facets of table's keys of one kind below prefix (a pattern, "" at
 * the top): enumerations (patterns 0) or patterns (1). Returns how many, -1 when
 * out of memory. */
static int put_keys(FILE *out, const char *prefix, const mnn_record_field *fields, int n_fields, int kind,
                    int patterns) {
  int n = 0;
  for (int k = 0; k < n_fields; ++k) {
    const mnn_record_field *f = &fields[k];
    if (f->kind == MNN_FIELD_GROUP) {
      char *sub = NULL;
      size_t len = 0;
      FILE *s = open_memstream(&sub, &len);
      if (!s) return -1;
      put_pattern(s, prefix, f);
      int m = fclose(s) == 0 ? put_keys(out, sub, f->sub, f->n_sub, kind, patterns) : -1;
      free(sub);
      if (m < 0) return -1;
      n += m;
      continue;
    }
    if (kind_of(f->kind) != kind) continue;
    int is_pattern = prefix[0] || strstr(f->key, "%d");
    if (is_pattern != patterns) continue;
    fputs(patterns ? "          <xs:pattern value=\"" : "          <xs:enumeration value=\"", out);
    if (patterns) put_pattern(out, prefix, f);
    else fputs(f->key, out);
    fputs("\"/>\n", out);
    ++n;
  }
  return n;
}

/* Writes the simple type of one kind's keys (a union of its enumerations and its
 * patterns): 1, or 0 when the table has none, -1 when out of memory. */
static int put_kind(FILE *out, const mnn_record_table *t, int kind) {
  char *body[2] = {NULL, NULL};
  size_t len[2];
  int n[2] = {-1, -1};
  for (int p = 0; p < 2; ++p) {
    FILE *s = open_memstream(&body[p], &len[p]);
    if (!s) continue;
    n[p] = put_keys(s, "", t->fields, t->n_fields, kind, p);
    if (fclose(s) != 0) n[p] = -1;
  }
  int rc = n[0] < 0 || n[1] < 0 ? -1 : n[0] + n[1] > 0;
  if (rc > 0) {
    fprintf(out, "  <xs:simpleType name=\"%s\">\n    <xs:union>\n", kind_key[kind]);
    for (int p = 0; p < 2; ++p)
      if (n[p])
        fprintf(out,
                "      <xs:simpleType>\n        <xs:restriction base=\"xs:string\">\n%s"
                "        </xs:restriction>\n      </xs:simpleType>\n",
                body[p]);
    fputs("    </xs:union>\n  </xs:simpleType>\n", out);
  }
  free(body[0]);
  free(body[1]);
  return rc;
}

char *mnn_record_schema(const mnn_record_table *t) {
  char *text = NULL;
  size_t len = 0;
  FILE *out = open_memstream(&text, &len);
  if (!out) return NULL;
  fprintf(out,
          "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
          "<!-- The record of the \"%s\" stage of mnn run (%s.record.xml): generated from its field\n"
          "     table by mnn_record_schema (pipeline/stage_record_schema.c); test_record_schemas\n"
          "     fails when this file and the table differ. Each key at most once, of the keys\n"
          "     below by the kind of their value (XSD 1.0 cannot tie a value's type to its key:\n"
          "     the reader, mnn_record_take, checks that). -->\n"
          "<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\">\n",
          t->stage, t->stage);
  int has[N_KINDS], bad = 0;
  for (int k = 0; k < SEAL; ++k) bad |= (has[k] = put_kind(out, t, k)) < 0;
  /* the keys the stage machinery adds to every record: 128-bit hashes in hex */
  has[SEAL] = 1;
  fputs("  <xs:simpleType name=\"seal-key\">\n    <xs:restriction base=\"xs:string\">\n"
        "      <xs:enumeration value=\"" MNN_RECORD_INPUT_KEY "\"/>\n"
        "      <xs:enumeration value=\"" MNN_RECORD_OUTPUT_KEY "\"/>\n"
        "    </xs:restriction>\n  </xs:simpleType>\n",
        out);
  fputs("  <xs:simpleType name=\"key\">\n    <xs:union memberTypes=\"", out);
  for (int k = 0, first = 1; k < N_KINDS; ++k)
    if (has[k]) fprintf(out, "%s%s", first ? "" : " ", kind_key[k]), first = 0;
  fputs("\"/>\n  </xs:simpleType>\n", out);
  fputs("  <xs:simpleType name=\"number\">\n    <xs:union memberTypes=\"xs:double\">\n"
        "      <xs:simpleType>\n        <xs:restriction base=\"xs:string\">\n"
        "          <xs:pattern value=\"-?(nan|inf)\"/>\n        </xs:restriction>\n      </xs:simpleType>\n"
        "    </xs:union>\n  </xs:simpleType>\n"
        "  <xs:simpleType name=\"hash\">\n    <xs:restriction base=\"xs:string\">\n"
        "      <xs:pattern value=\"[0-9a-f]{32}\"/>\n    </xs:restriction>\n  </xs:simpleType>\n",
        out);
  static const char *const value_type[N_KINDS] = {"number", "xs:long", "xs:string", "hash"};
  fputs("  <xs:simpleType name=\"value\">\n    <xs:union memberTypes=\"", out);
  for (int k = 0, first = 1; k < N_KINDS; ++k)
    if (has[k]) fprintf(out, "%s%s", first ? "" : " ", value_type[k]), first = 0;
  fputs("\"/>\n  </xs:simpleType>\n", out);
  fprintf(out,
          "  <xs:element name=\"record\">\n    <xs:complexType>\n      <xs:sequence>\n"
          "        <xs:element name=\"value\" minOccurs=\"0\" maxOccurs=\"unbounded\">\n"
          "          <xs:complexType>\n"
          "            <xs:attribute name=\"name\" type=\"key\" use=\"required\"/>\n"
          "            <xs:attribute name=\"value\" type=\"value\" use=\"required\"/>\n"
          "          </xs:complexType>\n        </xs:element>\n      </xs:sequence>\n"
          "      <xs:attribute name=\"stage\" type=\"xs:string\" use=\"required\" fixed=\"%s\"/>\n"
          "    </xs:complexType>\n"
          "    <xs:unique name=\"one-value-per-key\">\n      <xs:selector xpath=\"value\"/>\n"
          "      <xs:field xpath=\"@name\"/>\n    </xs:unique>\n  </xs:element>\n</xs:schema>\n",
          t->stage);
  if (fclose(out) != 0 || bad) {
    free(text);
    return NULL;
  }
  return text;
}
