/* The shipped data sets' folder: installed beside the program, or the source
 * tree's (data_dir.h). */
#include "data_dir.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define PRESET_PREFIX "cases/data/"

/* Does path name a readable file? */
static int readable(const char *path) { return access(path, R_OK) == 0; }

void mnn_data_dir_resolve_preset(mnn_task *t) {
  if (t->data != MNN_DATA_CSV || strncmp(t->csv_path, PRESET_PREFIX, strlen(PRESET_PREFIX))) return;
  const char *name = t->csv_path + strlen(PRESET_PREFIX);
  char exe[4096], found[sizeof t->csv_path] = "";
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n > 0) {
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (slash) *slash = '\0';
    int len = snprintf(found, sizeof found, "%s/../share/mnn/" PRESET_PREFIX "%s", exe, name);
    if (len < 0 || (size_t)len >= sizeof found || !readable(found)) found[0] = '\0';
  }
  if (!found[0]) {
    int len = snprintf(found, sizeof found, "%s/" PRESET_PREFIX "%s", MNN_SOURCE_DIR, name);
    if (len < 0 || (size_t)len >= sizeof found || !readable(found)) found[0] = '\0';
  }
  if (found[0]) memcpy(t->csv_path, found, strlen(found) + 1);
}
