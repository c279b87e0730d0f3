/* Subcommand helpers: error exit and strict parsing of numbers and load specs. */
#include "cli.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "log.h"

int mnn_cli_fail(const mnn_error *err) {
  mnn_print_error(err->message);
  return 1;
}

int mnn_cli_failf(const char *fmt, ...) {
  mnn_error err;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err.message, sizeof err.message, fmt, ap);
  va_end(ap);
  return mnn_cli_fail(&err);
}

int mnn_cli_is_rank_zero(void) {
  const char *r = getenv("OMPI_COMM_WORLD_RANK");
  if (!r) r = getenv("PMI_RANK");
  return !r || atoi(r) == 0;
}

int mnn_cli_fail_rank_zero(const mnn_error *err) { return mnn_cli_is_rank_zero() ? mnn_cli_fail(err) : 1; }

int mnn_cli_double(const char *s, const char *option, double *v, mnn_error *err) {
  char *end = NULL;
  errno = 0;
  double d = strtod(s, &end);
  if (end == s || *end != '\0' || errno == ERANGE || !isfinite(d))
    return mnn_fail(err, "%s '%s': not a number", option, s);
  *v = d;
  return 0;
}

int mnn_cli_int(const char *s, const char *option, int *v, mnn_error *err) {
  char *end = NULL;
  errno = 0;
  long d = strtol(s, &end, 10);
  if (end == s || *end != '\0' || errno == ERANGE || d < INT_MIN || d > INT_MAX)
    return mnn_fail(err, "%s '%s': not an integer", option, s);
  *v = (int)d;
  return 0;
}

int mnn_cli_load(const char *s, mnn_load_spec *load, mnn_error *err) {
  char *copy = strdup(s);
  if (!copy) return mnn_fail(err, "out of memory");
  char *parts[3] = {0};
  int n = 0;
  for (char *p = copy, *tok; n < 3 && (tok = strsep(&p, ":")) != NULL;) parts[n++] = tok;
  int rc = 0;
  if (n != 3 || strchr(s, ':') == strrchr(s, ':'))
    rc = mnn_fail(err, "--load '%s': write NODE:FX:FY, e.g. --load 13:0:-0.098 (newtons)", s);
  else if (mnn_cli_int(parts[0], "--load node", &load->node_id, err) ||
           mnn_cli_double(parts[1], "--load FX", &load->fx, err) ||
           mnn_cli_double(parts[2], "--load FY", &load->fy, err))
    rc = -1;
  free(copy);
  return rc;
}

int mnn_cli_id_list(const char *s, const char *option, int **ids, mnn_error *err) {
  int cap = 8, n = 0;
  int *out = malloc((size_t)cap * sizeof(int));
  char *copy = strdup(s);
  if (!out || !copy) {
    free(out);
    free(copy);
    return mnn_fail(err, "out of memory");
  }
  for (char *p = copy, *tok; (tok = strsep(&p, ",")) != NULL;) {
    if (n == cap) {
      int *grown = realloc(out, (size_t)(cap *= 2) * sizeof(int));
      if (!grown) { free(out); free(copy); return mnn_fail(err, "out of memory"); }
      out = grown;
    }
    if (mnn_cli_int(tok, option, &out[n], err)) {
      free(out);
      free(copy);
      return -1;
    }
    ++n;
  }
  free(copy);
  *ids = out;
  return n;
}
