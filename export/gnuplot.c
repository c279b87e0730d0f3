/* Running gnuplot: find the program, write the script to a temporary file, run
 * it with posix_spawn (stdin from /dev/null, messages into a log), report its
 * first error line, and move the picture into place only when it is complete. */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "atomic_file.h"
#include "log.h"
#include "plot.h"

extern char **environ;

char *mnn_gnuplot_find(mnn_error *err) {
  const char *env = getenv("MNN_GNUPLOT");
  if (env && *env) {
    if (access(env, X_OK) == 0) return strdup(env);
    mnn_fail(err, "MNN_GNUPLOT=%s is not an executable program: point it at gnuplot or unset it", env);
    return NULL;
  }
  const char *path = getenv("PATH");
  if (!path || !*path) path = "/usr/local/bin:/usr/bin:/bin";
  char *copy = strdup(path);
  if (!copy) return (void)mnn_fail(err, "out of memory"), NULL;
  char *save = NULL, *found = NULL;
  for (char *dir = strtok_r(copy, ":", &save); dir && !found; dir = strtok_r(NULL, ":", &save)) {
    size_t n = strlen(dir) + 16;
    char *candidate = malloc(n);
    if (!candidate) break;
    snprintf(candidate, n, "%s/gnuplot", *dir ? dir : ".");
    if (access(candidate, X_OK) == 0) found = candidate;
    else free(candidate);
  }
  free(copy);
  if (!found)
    mnn_fail(err, "gnuplot not found on the PATH: install the Debian package gnuplot-nox (or set MNN_GNUPLOT to the program)");
  return found;
}

/* Replaces every @OUTPUT@ in text by out (with ' doubled for gnuplot's quotes). */
static char *substitute_output(const char *text, const char *out) {
  size_t quoted_len = 0;
  for (const char *p = out; *p; ++p) quoted_len += *p == '\'' ? 2 : 1;
  size_t count = 0;
  for (const char *p = strstr(text, "@OUTPUT@"); p; p = strstr(p + 8, "@OUTPUT@")) ++count;
  char *result = malloc(strlen(text) + count * quoted_len + 1);
  if (!result) return NULL;
  char *w = result;
  for (const char *p = text; *p;) {
    if (!strncmp(p, "@OUTPUT@", 8)) {
      for (const char *q = out; *q; ++q) {
        if (*q == '\'') *w++ = '\'';
        *w++ = *q;
      }
      p += 8;
    } else {
      *w++ = *p++;
    }
  }
  *w = '\0';
  return result;
}

/* First line of the log that looks like an error, else its first line. */
static void first_error_line(const char *log_path, char *buf, size_t size) {
  buf[0] = '\0';
  FILE *fp = fopen(log_path, "r");
  if (!fp) return;
  char line[512];
  while (fgets(line, sizeof line, fp)) {
    line[strcspn(line, "\r\n")] = '\0';
    if (!line[0] || strspn(line, " ^") == strlen(line)) continue;
    if (!buf[0] || strstr(line, "line ") || strstr(line, "rror")) {
      snprintf(buf, size, "%.300s", line);
      if (strstr(line, "line ") || strstr(line, "rror")) break;
    }
  }
  fclose(fp);
}

/* A temporary file "mnn_plot_<pid>_XXXXXX<suffix>" in TMPDIR (mode 0666 less the
 * umask). The first call removes what killed runs left there (their pid is gone). */
static int make_temp(char *templ, size_t size, const char *suffix) {
  static int cleaned = 0;
  const char *dir = getenv("TMPDIR");
  if (!dir || !*dir) dir = "/tmp";
  if (!cleaned) {
    cleaned = 1;
    mnn_temp_remove_stale(dir);
  }
  snprintf(templ, size, "%s/mnn_plot_%ld_XXXXXX%s", dir, (long)getpid(), suffix);
  int fd = mkstemps(templ, (int)strlen(suffix));
  if (fd >= 0 && fchmod(fd, (mode_t)mnn_file_mode()) != 0) {
    close(fd);
    unlink(templ);
    return -1;
  }
  return fd;
}

/* Why gnuplot's picture is not usable, or NULL when it is complete. gnuplot does
 * not report a failed write (a full disk), so an SVG must end with its closing tag. */
static const char *picture_problem(const char *out_path, const char *tmp_out) {
  struct stat sb;
  if (stat(tmp_out, &sb) != 0 || sb.st_size == 0) return "no picture was written";
  size_t n = strlen(out_path);
  if (n >= 4 && !strcmp(out_path + n - 4, ".svg") && !mnn_file_last_line_starts_with(tmp_out, "</svg>"))
    return "the picture is incomplete (disk full?)";
  return NULL;
}

/* Fails early, with a clear message, when out_path's folder is not writable;
 * removes the temporary files killed runs left in it. */
static int check_output_folder(const char *out_path, mnn_error *err) {
  const char *slash = strrchr(out_path, '/');
  char dir[1024];
  if (!slash) snprintf(dir, sizeof dir, ".");
  else snprintf(dir, sizeof dir, "%.*s", slash == out_path ? 1 : (int)(slash - out_path), out_path);
  if (access(dir, W_OK) != 0)
    return mnn_fail(err, "%s: cannot write into the folder %s (%s): create it or choose another place", out_path, dir,
                    strerror(errno));
  mnn_temp_remove_stale(dir); /* pictures half-made by a killed run */
  return 0;
}

int mnn_gnuplot_render(const char *script_text, const char *out_path, mnn_error *err) {
  if (check_output_folder(out_path, err)) return -1;
  char *gnuplot = mnn_gnuplot_find(err);
  if (!gnuplot) return -1;
  char *tmp_out = mnn_temp_path_for(out_path);
  char script_path[512] = "", log_path[512] = "";
  int sfd = make_temp(script_path, sizeof script_path, ".gp");
  int lfd = sfd >= 0 ? make_temp(log_path, sizeof log_path, ".log") : -1;
  char *script = tmp_out ? substitute_output(script_text, tmp_out) : NULL;
  int rc = -1;
  if (sfd < 0 || lfd < 0 || !script || !tmp_out) {
    mnn_fail(err, "%s: cannot create temporary files for gnuplot (%s)", out_path, strerror(errno));
    goto done;
  }
  FILE *fp = fdopen(sfd, "w");
  if (!fp) {
    mnn_fail(err, "%s: cannot write the gnuplot script", out_path);
    goto done;
  }
  sfd = -1;
  fputs(script, fp);
  if (fclose(fp) != 0) {
    mnn_fail(err, "%s: cannot write the gnuplot script (disk full?)", out_path);
    goto done;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, lfd, 1);
  posix_spawn_file_actions_adddup2(&actions, lfd, 2);
  char *argv[] = {gnuplot, script_path, NULL};
  pid_t pid;
  int spawn_rc = posix_spawn(&pid, gnuplot, &actions, NULL, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawn_rc != 0) {
    mnn_fail(err, "%s: cannot run %s (%s): install gnuplot-nox or set MNN_GNUPLOT", out_path, gnuplot, strerror(spawn_rc));
    goto done;
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  const char *problem = picture_problem(out_path, tmp_out);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || problem) {
    char line[400];
    first_error_line(log_path, line, sizeof line);
    mnn_fail(err, "%s: gnuplot failed: %s", out_path, line[0] ? line : problem ? problem : "no picture was written");
    goto done;
  }
  rc = mnn_commit_temp_path(tmp_out, out_path, err);
done:
  if (sfd >= 0) close(sfd);
  if (lfd >= 0) close(lfd);
  if (script_path[0]) unlink(script_path);
  if (log_path[0]) unlink(log_path);
  if (rc != 0 && tmp_out) unlink(tmp_out);
  free(tmp_out);
  free(script);
  free(gnuplot);
  return rc;
}

int mnn_csv_header(const char *csv, char **names, int max_columns, mnn_error *err) {
  FILE *fp = fopen(csv, "r");
  if (!fp) return mnn_fail(err, "%s: cannot open (%s): check the path", csv, strerror(errno));
  char line[4096];
  if (!fgets(line, sizeof line, fp)) {
    fclose(fp);
    return mnn_fail(err, "%s:1: empty file: expected a header line such as \"epoch,loss\"", csv);
  }
  fclose(fp);
  line[strcspn(line, "\r\n")] = '\0';
  int n = 0;
  char *save = NULL;
  for (char *tok = strtok_r(line, ",", &save); tok && n < max_columns; tok = strtok_r(NULL, ",", &save)) {
    while (*tok == ' ' || *tok == '"') ++tok;
    size_t len = strlen(tok);
    while (len > 0 && (tok[len - 1] == ' ' || tok[len - 1] == '"')) tok[--len] = '\0';
    names[n++] = strdup(tok);
  }
  if (n < 2) {
    for (int i = 0; i < n; ++i) free(names[i]);
    return mnn_fail(err, "%s:1: the header names fewer than 2 columns: expected e.g. \"epoch,loss\"", csv);
  }
  return n;
}

FILE *mnn_plot_data_file(char *path, size_t size, mnn_error *err) {
  int fd = make_temp(path, size, ".dat");
  FILE *fp = fd >= 0 ? fdopen(fd, "w") : NULL;
  if (!fp) {
    if (fd >= 0) {
      close(fd);
      unlink(path);
    }
    path[0] = '\0';
    mnn_fail(err, "cannot create a temporary data file for gnuplot (%s): check TMPDIR", strerror(errno));
  }
  return fp;
}

char *mnn_gnuplot_quote(const char *text) {
  size_t n = 3;
  for (const char *p = text; *p; ++p) n += *p == '\'' ? 2 : 1;
  char *q = malloc(n), *w = q;
  if (!q) return NULL;
  *w++ = '\'';
  for (const char *p = text; *p; ++p) {
    if (*p == '\'') *w++ = '\'';
    *w++ = *p == '\n' ? ' ' : *p;
  }
  *w++ = '\'';
  *w = '\0';
  return q;
}

void mnn_script_add(mnn_script *s, const char *fmt, ...) {
  if (s->failed) return;
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0 || s->len + (size_t)n + 1 > s->cap) {
    size_t cap = (s->cap ? 2 * s->cap : 1024) + (size_t)(n > 0 ? n : 0);
    char *t = realloc(s->text, cap);
    if (!t || n < 0) {
      s->failed = 1;
      return;
    }
    s->text = t, s->cap = cap;
  }
  va_start(ap, fmt);
  vsnprintf(s->text + s->len, s->cap - s->len, fmt, ap);
  va_end(ap);
  s->len += (size_t)n;
}
