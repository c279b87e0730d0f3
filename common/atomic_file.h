/* Atomic output files: write to a temporary file beside the target, then rename,
 * so that a failing run never leaves a half-written output behind. */
#ifndef MNN_ATOMIC_FILE_H
#define MNN_ATOMIC_FILE_H

#include <stdio.h>
#include "error.h"

typedef struct mnn_atomic_file {
  FILE *fp;                 /* write here */
  char *final_path;
  char *temp_path;
} mnn_atomic_file;

/* Opens "<path>.tmp.XXXXXX" for writing (binary). */
int mnn_atomic_open(mnn_atomic_file *f, const char *path, mnn_error *err);
/* Flushes, closes and renames onto the final path. On failure removes the temp. */
int mnn_atomic_commit(mnn_atomic_file *f, mnn_error *err);
/* Closes and removes the temporary file; the target is left untouched. */
void mnn_atomic_abort(mnn_atomic_file *f);

/* For libraries that write a file by name themselves (Gmsh, ADMesh, libxml2):
 * returns a malloc'd temporary name "<dir>/.<base>.tmp.<pid>.<n><ext>" beside path
 * (keeping the extension, which some writers use to pick a format). Rename it
 * with mnn_commit_temp_path, or unlink it on failure. */
char *mnn_temp_path_for(const char *path);
int mnn_commit_temp_path(const char *temp_path, const char *final_path, mnn_error *err);

#endif
