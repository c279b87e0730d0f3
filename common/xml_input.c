/* Safe XML input: parse without network or entity expansion, validate against an
 * embedded XSD, read typed attributes with file:line errors. */
#include "xml_input.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/parser.h>
#include <libxml/SAX2.h>
#include <libxml/xmlschemas.h>

/* Collects the first structured error libxml2 reports. */
typedef struct {
  int have;
  int refused; /* an entity declaration stopped the parse */
  int line;
  char text[512];
} first_error;

static void collect_error(void *ctx, xmlErrorPtr e) {
  first_error *fe = ctx;
  if (fe->have || !e) return;
  fe->have = 1;
  fe->line = e->line;
  snprintf(fe->text, sizeof fe->text, "%s", e->message ? e->message : "invalid XML");
  size_t n = strlen(fe->text);
  while (n > 0 && (fe->text[n - 1] == '\n' || fe->text[n - 1] == ' ')) fe->text[--n] = '\0';
}

/* SAX hook for every <!ENTITY> declaration: the document is refused there, before
 * any entity can be expanded (a few kilobytes of nested entities expand to
 * gigabytes; docs/formats.md promises that entities are not expanded). */
static void refuse_entity(void *ctx, const xmlChar *name, int type, const xmlChar *public_id,
                          const xmlChar *system_id, xmlChar *content) {
  (void)type, (void)public_id, (void)system_id, (void)content;
  xmlParserCtxtPtr ctxt = ctx;
  first_error *fe = ctxt->_private;
  if (!fe->have) {
    fe->have = fe->refused = 1;
    fe->line = xmlSAX2GetLineNumber(ctxt);
    snprintf(fe->text, sizeof fe->text, "%.100s", (const char *)name);
  }
  xmlStopParser(ctxt);
}

xmlDocPtr mnn_xml_read(const char *path, const char *xsd_text, mnn_error *err) {
  FILE *probe = fopen(path, "rb");
  if (!probe) return (void)mnn_fail(err, "%s: cannot open (%s): check the path", path, strerror(errno)), NULL;
  fclose(probe);

  xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
  if (!ctxt) return (void)mnn_fail(err, "%s: out of memory", path), NULL;
  first_error fe = {0};
  ctxt->_private = &fe;
  ctxt->sax->entityDecl = refuse_entity;
  xmlSetStructuredErrorFunc(&fe, collect_error);
  xmlDocPtr doc = xmlCtxtReadFile(ctxt, path, NULL, XML_PARSE_NONET | XML_PARSE_NOBLANKS);
  xmlSetStructuredErrorFunc(NULL, NULL);
  xmlFreeParserCtxt(ctxt);
  if (!doc || fe.have) {
    if (doc) xmlFreeDoc(doc);
    if (fe.refused)
      mnn_fail(err, "%s:%d: the DOCTYPE declares the entity '%s': entities are not accepted: remove the declaration",
               path, fe.line, fe.text);
    else
      mnn_fail(err, "%s:%d: malformed XML: %s: fix the file", path, fe.line, fe.have ? fe.text : "cannot parse");
    return NULL;
  }
  if (xsd_text && mnn_xml_validate(doc, path, xsd_text, err)) {
    xmlFreeDoc(doc);
    return NULL;
  }
  return doc;
}

int mnn_xml_validate(xmlDocPtr doc, const char *path, const char *xsd_text, mnn_error *err) {
  xmlSchemaParserCtxtPtr pctx = xmlSchemaNewMemParserCtxt(xsd_text, (int)strlen(xsd_text));
  xmlSchemaPtr schema = pctx ? xmlSchemaParse(pctx) : NULL;
  if (pctx) xmlSchemaFreeParserCtxt(pctx);
  if (!schema) return mnn_fail(err, "internal error: the embedded schema for %s does not parse", path);
  xmlSchemaValidCtxtPtr vctx = xmlSchemaNewValidCtxt(schema);
  first_error fe = {0};
  xmlSchemaSetValidStructuredErrors(vctx, collect_error, &fe);
  int rc = xmlSchemaValidateDoc(vctx, doc);
  xmlSchemaFreeValidCtxt(vctx);
  xmlSchemaFree(schema);
  if (rc != 0)
    return mnn_fail(err, "%s:%d: does not follow the schema: %s: see docs/formats.md", path, fe.line,
                    fe.have ? fe.text : "invalid document");
  return 0;
}

char *mnn_xml_attr_string(xmlNodePtr node, const char *name) {
  xmlChar *v = xmlGetProp(node, (const xmlChar *)name);
  if (!v) return NULL;
  char *s = strdup((const char *)v);
  xmlFree(v);
  return s;
}

int mnn_xml_attr_double(xmlNodePtr node, const char *name, const char *path, double *value, mnn_error *err) {
  char *s = mnn_xml_attr_string(node, name);
  if (!s) return 0;
  char *end = NULL;
  errno = 0;
  double v = strtod(s, &end);
  while (end && (*end == ' ' || *end == '\t')) ++end;
  int bad = (end == s || !end || *end != '\0' || errno == ERANGE || !isfinite(v));
  if (!bad && fabs(v) > MNN_XML_MAX_MAGNITUDE) {
    mnn_fail(err, "%s:%ld: <%s %s=\"%.60s\">: out of range (more than %g in magnitude): check the value", path,
             xmlGetLineNo(node), (const char *)node->name, name, s, MNN_XML_MAX_MAGNITUDE);
    free(s);
    return -1;
  }
  if (bad) {
    mnn_fail(err, "%s:%ld: <%s %s=\"%.60s\">: not a finite number: write e.g. %s=\"0.002\"", path,
             xmlGetLineNo(node), (const char *)node->name, name, s, name);
    free(s);
    return -1;
  }
  free(s);
  *value = v;
  return 1;
}

int mnn_xml_attr_int(xmlNodePtr node, const char *name, const char *path, int *value, mnn_error *err) {
  char *s = mnn_xml_attr_string(node, name);
  if (!s) return 0;
  char *end = NULL;
  errno = 0;
  long v = strtol(s, &end, 10);
  while (end && (*end == ' ' || *end == '\t')) ++end;
  if (end == s || !end || *end != '\0' || errno == ERANGE || v < INT_MIN || v > INT_MAX) {
    mnn_fail(err, "%s:%ld: <%s %s=\"%s\">: not an integer", path, xmlGetLineNo(node), (const char *)node->name,
             name, s);
    free(s);
    return -1;
  }
  free(s);
  *value = (int)v;
  return 1;
}

int mnn_xml_is(xmlNodePtr node, const char *name) {
  return node && node->type == XML_ELEMENT_NODE && strcmp((const char *)node->name, name) == 0;
}
