/* Atomic XML output: libxml2 text writer on an mnn_atomic_file, rename on success. */
#include "xml_output.h"

#include <stdio.h>
#include <stdlib.h>

/* libxml2's output callbacks: the bytes go to the atomic file's stream, whose
 * errors stay sticky (ferror) until mnn_atomic_commit checks them. Reporting a
 * short write here would make libxml2 print its own "I/O error" lines. */
static int write_cb(void *ctx, const char *buf, int len) {
  fwrite(buf, 1, (size_t)len, (FILE *)ctx);
  return len;
}

static int close_cb(void *ctx) {
  (void)ctx; /* the atomic file closes the stream */
  return 0;
}

int mnn_xml_output_open(mnn_xml_output *o, const char *path, mnn_error *err) {
  o->w = NULL;
  if (mnn_atomic_open(&o->file, path, err)) return -1;
  xmlOutputBufferPtr buf = xmlOutputBufferCreateIO(write_cb, close_cb, o->file.fp, NULL);
  o->w = buf ? xmlNewTextWriter(buf) : NULL;
  if (!o->w) {
    if (buf) xmlOutputBufferClose(buf);
    mnn_atomic_abort(&o->file);
    return mnn_fail(err, "%s: out of memory", path);
  }
  xmlTextWriterSetIndent(o->w, 1);
  xmlTextWriterSetIndentString(o->w, BAD_CAST "  ");
  if (xmlTextWriterStartDocument(o->w, NULL, "UTF-8", NULL) < 0) return mnn_xml_output_finish(o, 1, err);
  return 0;
}

int mnn_xml_output_finish(mnn_xml_output *o, int failed, mnn_error *err) {
  if (!failed) failed = xmlTextWriterEndDocument(o->w) < 0 || xmlTextWriterFlush(o->w) < 0;
  xmlFreeTextWriter(o->w); /* flushes into the stream, which stays open */
  o->w = NULL;
  if (failed) {
    int rc = mnn_fail(err, "%s: write failed: the document could not be written", o->file.final_path);
    mnn_atomic_abort(&o->file);
    return rc;
  }
  return mnn_atomic_commit(&o->file, err);
}

int mnn_xml_write_double(xmlTextWriterPtr w, const char *name, double value) {
  return xmlTextWriterWriteFormatAttribute(w, BAD_CAST name, "%.17g", value) < 0;
}
