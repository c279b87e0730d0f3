/* Terminal messages: verbosity levels shared by every stage (quiet with -q: errors
 * only; chatty with -v), progress lines on stderr, errors as "mnn: error: ...". */
#ifndef MNN_LOG_H
#define MNN_LOG_H

typedef enum { MNN_QUIET = 0, MNN_NORMAL = 1, MNN_VERBOSE = 2 } mnn_verbosity;

void mnn_set_verbosity(mnn_verbosity v);
mnn_verbosity mnn_get_verbosity(void);

/* Progress and information (stderr), shown at NORMAL and above. */
void mnn_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Details (stderr), shown with -v only. */
void mnn_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Warnings (stderr), shown at NORMAL and above: -q prints nothing but errors. */
void mnn_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The one error line (stderr), always shown. */
void mnn_print_error(const char *message);

/* Seconds between progress lines of long work (meshing, FEM solves, STL): 3,
 * or MNN_PROGRESS_EVERY from the environment (0: a line at every step). */
double mnn_progress_interval(void);

/* Seconds on a monotonic clock, for timings and benchmarks. */
double mnn_now(void);

#endif
