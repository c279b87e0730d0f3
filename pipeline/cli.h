/* Helpers shared by the subcommands: error exit, number and load-spec parsing,
 * the common -q/-v flags. */
#ifndef MNN_CLI_H
#define MNN_CLI_H

#include "error.h"
#include "network.h"

/* Prints "mnn: error: <message>" and returns the exit code 1. */
int mnn_cli_fail(const mnn_error *err);
/* Same with a formatted message. */
int mnn_cli_failf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Under mpiexec every rank meets the same error: only rank 0 prints it. The rank
 * comes from the launcher's environment (Open MPI, MPICH), so this works before
 * MPI starts; without a launcher the process is rank 0. */
int mnn_cli_is_rank_zero(void);
int mnn_cli_fail_rank_zero(const mnn_error *err);

/* Parses a whole string as a finite double / an int; option names the flag for
 * the message. Return 0 or -1 with err filled. */
int mnn_cli_double(const char *s, const char *option, double *v, mnn_error *err);
int mnn_cli_int(const char *s, const char *option, int *v, mnn_error *err);

/* A load "NODE:FX:FY" (node id, forces in N). */
typedef struct { int node_id; double fx, fy; } mnn_load_spec;
int mnn_cli_load(const char *s, mnn_load_spec *load, mnn_error *err);

/* A list of ids "3,7,12" into a malloc'd array; returns the count or -1. */
int mnn_cli_id_list(const char *s, const char *option, int **ids, mnn_error *err);

#endif
