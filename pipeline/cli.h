/* Helpers shared by the subcommands: error exit, number and load-spec parsing,
 * the common -q/-v flags. */
#ifndef MNN_CLI_H
#define MNN_CLI_H

#include <getopt.h>
#include "error.h"
#include "network.h"

/* Prints "mnn: error: <message>" and returns the exit code 1. */
int mnn_cli_fail(const mnn_error *err);
/* Same with a formatted message. */
int mnn_cli_failf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Usage errors (an unknown option, a missing or malformed value, wrong operands):
 * the same line, exit code 2 (GNU convention; 1 is for failures of the work). */
int mnn_cli_usage(const mnn_error *err);
int mnn_cli_usagef(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* For getopt_long's '?' (main sets opterr = 0, so getopt prints nothing): one line
 * "COMMAND: unknown option 'X'" or "COMMAND: option 'X' needs a value", with the
 * help command; returns 2. opts is the command's option table. */
int mnn_cli_bad_option(const char *command, char **argv, const struct option *opts);
/* The same message into err (for the MPI commands, where rank 0 prints); -1. */
int mnn_cli_option_error(const char *command, char **argv, const struct option *opts, mnn_error *err);

/* Under mpiexec every rank meets the same error: only rank 0 prints it. The rank
 * comes from the launcher's environment (Open MPI, MPICH), so this works before
 * MPI starts; without a launcher the process is rank 0. */
int mnn_cli_is_rank_zero(void);
int mnn_cli_fail_rank_zero(const mnn_error *err);
int mnn_cli_usage_rank_zero(const mnn_error *err); /* the same for usage errors: 2 */

/* Parses a whole string as a finite double / an int; option names the flag for
 * the message. Return 0 or -1 with err filled. */
int mnn_cli_double(const char *s, const char *option, double *v, mnn_error *err);
int mnn_cli_int(const char *s, const char *option, int *v, mnn_error *err);

/* A load "NODE:FX:FY" (node id, forces in N). */
typedef struct { int node_id; double fx, fy; } mnn_load_spec;
int mnn_cli_load(const char *s, mnn_load_spec *load, mnn_error *err);

/* A list of ids "3,7,12" into a malloc'd array; returns the count or -1 (also
 * when an id is listed twice). */
int mnn_cli_id_list(const char *s, const char *option, int **ids, mnn_error *err);

#endif
