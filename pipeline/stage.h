/* Incremental stages: a stage is skipped when all its outputs exist and are at
 * least as new as every input (make's rule, with nanosecond timestamps). */
#ifndef MNN_STAGE_H
#define MNN_STAGE_H

/* Returns 1 when every output exists and none is older than any existing input.
 * Inputs that do not exist count as "changed" (returns 0); NULL entries are skipped. */
int mnn_stage_up_to_date(const char *const *inputs, int n_inputs, const char *const *outputs, int n_outputs);

/* Creates a folder and its parents (mkdir -p). Returns 0 or -1 with errno set. */
int mnn_make_dirs(const char *path);

#endif
