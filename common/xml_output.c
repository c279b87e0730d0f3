/* Atomic XML output: temporary file, libxml2 text writer, rename on success. */
#include "xml_output.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "atomic_file.h"

int mnn_xml_output_open(mnn_xml_output *o, const char *path, mnn_error *err) {
  o->path = path;
  o->temp_path = mnn_temp_path_for(path);
  if (!o->temp_path) return mnn_fail(err, "%s: out of memory", path);
  o->w = xmlNewTextWriterFilename(o->temp_path, 0);
  if (!o->w) {
    unlink(o->temp_path);
    free(o->temp_path);
    o->temp_path = NULL;
    return mnn_fail(err, "%s: cannot create output file: check that the folder exists and is writable", path);
  }
  xmlTextWriterSetIndent(o->w, 1);
  xmlTextWriterSetIndentString(o->w, BAD_CAST "  ");
  if (xmlTextWriterStartDocument(o->w, NULL, "UTF-8", NULL) < 0) return mnn_xml_output_finish(o, 1, err);
  return 0;
}

int mnn_xml_output_finish(mnn_xml_output *o, int failed, mnn_error *err) {
  if (!failed) failed = xmlTextWriterEndDocument(o->w) < 0 || xmlTextWriterFlush(o->w) < 0;
  xmlFreeTextWriter(o->w); /* closes the file */
  o->w = NULL;
  int rc;
  if (failed) {
    unlink(o->temp_path);
    rc = mnn_fail(err, "%s: write failed (disk full?)", o->path);
  } else {
    rc = mnn_commit_temp_path(o->temp_path, o->path, err);
  }
  free(o->temp_path);
  o->temp_path = NULL;
  return rc;
}

int mnn_xml_write_double(xmlTextWriterPtr w, const char *name, double value) {
  return xmlTextWriterWriteFormatAttribute(w, BAD_CAST name, "%.17g", value) < 0;
}
