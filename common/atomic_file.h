/* Atomic output files: write to a temporary file beside the target, then rename,
 * so that a failing run never leaves a half-written output behind. Every write is
 * checked before the rename (a full disk is an error, the old file stays); new
 * files follow the umask; a target that is not a regular file (/dev/null, a FIFO)
 * is written through, not replaced; a folder is refused. Temporary names carry
 * the writer's process id, so the leftovers of a killed run can be recognised and
 * removed by the next one (mnn_temp_remove_stale). */
#ifndef MNN_ATOMIC_FILE_H
#define MNN_ATOMIC_FILE_H

#include <stdio.h>
#include "error.h"

typedef struct mnn_atomic_file {
  FILE *fp;                 /* write here */
  char *final_path;
  char *temp_path;          /* NULL when writing through to a device or FIFO */
} mnn_atomic_file;

/* Opens "<dir>/.<base>.tmp.<pid>.XXXXXX" for writing (binary, mode 0666 less the
 * umask), or the target itself when it exists and is not a regular file. */
int mnn_atomic_open(mnn_atomic_file *f, const char *path, mnn_error *err);
/* Flushes, checks every write, closes and renames onto the final path. On failure
 * removes the temp ("path: write failed (...)"), the target is untouched. */
int mnn_atomic_commit(mnn_atomic_file *f, mnn_error *err);
/* Closes and removes the temporary file; the target is left untouched. */
void mnn_atomic_abort(mnn_atomic_file *f);

/* For libraries that write a file by name themselves (Gmsh, ADMesh, gnuplot):
 * returns a malloc'd temporary name "<dir>/.<base>.tmp.<pid>.<n><ext>" beside path
 * (keeping the extension, which some writers use to pick a format; in $TMPDIR
 * when path is a device or FIFO). Rename it with mnn_commit_temp_path, or unlink
 * it on failure. */
char *mnn_temp_path_for(const char *path);
/* Moves temp_path onto final_path (rename; copies into it when final_path is a
 * device or FIFO; refuses a folder). On failure unlinks temp_path. */
int mnn_commit_temp_path(const char *temp_path, const char *final_path, mnn_error *err);

/* 1 when the last non-blank line of the text file at path starts with prefix
 * (after leading blanks), else 0: a check that a library's writer got to the end
 * of a file whose write errors it does not report (a full disk truncates it).
 * Looks at the last 255 bytes only. */
int mnn_file_last_line_starts_with(const char *path, const char *prefix);

/* Removes, in dir, the temporary files of mnn processes that no longer run:
 * ".<name>.tmp.<pid>.*" and "mnn_plot_<pid>_*" owned by this user, where no
 * process <pid> exists. Returns the number removed (0 when dir cannot be read). */
int mnn_temp_remove_stale(const char *dir);

/* The mode new files get: 0666 less the process's umask. */
unsigned mnn_file_mode(void);

#endif
