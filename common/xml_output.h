/* Atomic XML output with libxml2's text writer: the document goes to a temporary
 * file beside the target (indented, UTF-8) and is renamed into place only when
 * every write succeeded, so a failed run never leaves a half-written file. */
#ifndef MNN_XML_OUTPUT_H
#define MNN_XML_OUTPUT_H

#include <libxml/xmlwriter.h>
#include "atomic_file.h"
#include "error.h"

typedef struct mnn_xml_output {
  xmlTextWriterPtr w;  /* write the document's elements here */
  mnn_atomic_file file; /* the writer's bytes go here (checked on commit) */
} mnn_xml_output;

/* Opens the writer on a temporary file (mnn_atomic_open) and starts the document.
 * libxml2 never opens or closes the file itself, so a failed write is found by
 * the atomic commit and no libxml2 message reaches the terminal. */
int mnn_xml_output_open(mnn_xml_output *o, const char *path, mnn_error *err);

/* Ends the document; if failed is 0 and every write succeeded, moves the file to
 * its path, otherwise removes it and fails with "path: write failed". */
int mnn_xml_output_finish(mnn_xml_output *o, int failed, mnn_error *err);

/* An attribute with every bit of a double (%.17g); non-zero when writing failed. */
int mnn_xml_write_double(xmlTextWriterPtr w, const char *name, double value);

#endif
