/* Subcommand helpers: error exit and strict parsing of numbers and load specs. */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
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

int mnn_cli_usage(const mnn_error *err) {
  mnn_print_error(err->message);
  return 2;
}

/* Prints the formatted one-line error and returns code. */
static int print_formatted(int code, const char *fmt, va_list ap) {
  mnn_error err;
  vsnprintf(err.message, sizeof err.message, fmt, ap);
  mnn_print_error(err.message);
  return code;
}

int mnn_cli_failf(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int code = print_formatted(1, fmt, ap);
  va_end(ap);
  return code;
}

int mnn_cli_usagef(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int code = print_formatted(2, fmt, ap);
  va_end(ap);
  return code;
}

int mnn_cli_option_error(const char *command, char **argv, const struct option *opts, mnn_error *err) {
  /* after '?', argv[optind - 1] is the offending word for long options and for a
   * short option at the end of its cluster; optopt is the short option's letter
   * (or a long option's code when its value is missing; 0 for an unknown one) */
  const char *word = optind > 0 ? argv[optind - 1] : "?";
  char shown[64];
  if (optopt && strncmp(word, "--", 2)) snprintf(shown, sizeof shown, "-%c", optopt);
  else snprintf(shown, sizeof shown, "%.*s", (int)strcspn(word, "="), word);
  int needs_value = 0, matches = 0;
  for (const struct option *o = opts; o->name; ++o) {
    if (optopt && o->val == optopt && o->has_arg == required_argument) needs_value = 1;
    if (!strncmp(word, "--", 2) && !strncmp(o->name, shown + 2, strlen(shown + 2))) ++matches;
  }
  if (optopt && !strncmp(word, "--", 2) && strchr(word, '='))
    return mnn_fail(err, "%s: option '%s' takes no value: run `mnn help %s`", command, shown, command);
  if (needs_value)
    return mnn_fail(err, "%s: option '%s' needs a value: run `mnn help %s`", command, shown, command);
  if (!optopt && matches > 1)
    return mnn_fail(err, "%s: option '%s' is ambiguous: write it in full (`mnn help %s` lists them)", command, shown,
                          command);
  return mnn_fail(err, "%s: unknown option '%s': run `mnn help %s`", command, shown, command);
}

int mnn_cli_bad_option(const char *command, char **argv, const struct option *opts) {
  mnn_error err;
  mnn_cli_option_error(command, argv, opts, &err);
  return mnn_cli_usage(&err);
}

int mnn_cli_is_rank_zero(void) {
  const char *r = getenv("OMPI_COMM_WORLD_RANK");
  if (!r) r = getenv("PMI_RANK");
  return !r || atoi(r) == 0;
}

int mnn_cli_fail_rank_zero(const mnn_error *err) { return mnn_cli_is_rank_zero() ? mnn_cli_fail(err) : 1; }
int mnn_cli_usage_rank_zero(const mnn_error *err) { return mnn_cli_is_rank_zero() ? mnn_cli_usage(err) : 2; }

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
    int rc = mnn_cli_int(tok, option, &out[n], err);
    for (int i = 0; i < n && !rc; ++i)
      if (out[i] == out[n]) rc = mnn_fail(err, "%s: %d is listed twice: give each id once", option, out[n]);
    if (rc) {
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
