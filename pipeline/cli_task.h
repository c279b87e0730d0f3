/* A task from the command line, shared by the commands that take one (mnn train,
 * mnn prune): --task NAME with --target (behaviour) or --noisy (regression), and
 * every task key of barmodel/training/internal/task.h as --KEY VALUE, applied after
 * the preset in the order given. */
#ifndef MNN_CLI_TASK_H
#define MNN_CLI_TASK_H

#include <getopt.h>
#include "training.h"

#define MNN_CLI_TASK_CODE 2000 /* getopt codes from here on belong to the task */
#define MNN_CLI_TASK_MAX_SET 256

typedef struct mnn_cli_task {
  const char *name, *target;
  int noisy;
  int n_set;
  const char *keys[MNN_CLI_TASK_MAX_SET], *values[MNN_CLI_TASK_MAX_SET];
} mnn_cli_task;

/* Appends the task's options to opts[n..] (room for 3 + the number of task keys)
 * and returns the new count; the caller terminates the table. */
int mnn_cli_task_add_options(struct option *opts, int n);
/* Takes one getopt result: 1 if it was a task option, 0 if not, -1 on too many. */
int mnn_cli_task_take(mnn_cli_task *t, int code, const char *arg);
/* Builds the task: "custom" (defaults) or a preset with its variant, then the keys.
 * command names the command in messages. */
int mnn_cli_task_build(const mnn_cli_task *t, const char *command, mnn_task *task, mnn_error *err);

#endif
