/* Safe XML input for every file a user hands us (network, case, report):
 * parsed with network access and entity expansion off, validated against a
 * schema compiled into the binary, with errors that say file:line. */
#ifndef MNN_XML_INPUT_H
#define MNN_XML_INPUT_H

#include <libxml/tree.h>
#include "error.h"

/* Parses path (XML_PARSE_NONET, never XML_PARSE_NOENT) and, when xsd_text is not
 * NULL, validates it against that schema. On error returns NULL with
 * "path:line: message" in err. Free with xmlFreeDoc. */
xmlDocPtr mnn_xml_read(const char *path, const char *xsd_text, mnn_error *err);

/* Validates an already parsed document (for tests and round trips). */
int mnn_xml_validate(xmlDocPtr doc, const char *path, const char *xsd_text, mnn_error *err);

/* Attribute readers. Return 1 if present and valid, 0 if absent (value left
 * unchanged), -1 on a malformed value (err says path:line, attribute, value).
 * A number must be finite and at most MNN_XML_MAX_MAGNITUDE in magnitude: in SI
 * units nothing in a network, case, results or report file comes near it, and
 * larger values overflow to infinity in the arithmetic that follows. */
#define MNN_XML_MAX_MAGNITUDE 1e30
int mnn_xml_attr_double(xmlNodePtr node, const char *name, const char *path, double *value, mnn_error *err);
int mnn_xml_attr_int(xmlNodePtr node, const char *name, const char *path, int *value, mnn_error *err);
/* Returns a malloc'd copy of the attribute or NULL when absent. */
char *mnn_xml_attr_string(xmlNodePtr node, const char *name);

/* Is this an element node with the given local name? */
int mnn_xml_is(xmlNodePtr node, const char *name);

#endif
