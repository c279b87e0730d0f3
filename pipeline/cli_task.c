/* A task from the command line: option table, option codes, preset + keys. */
#include "cli_task.h"

#include <stdio.h>
#include <string.h>
#include "data_dir.h"

enum { CODE_TASK = MNN_CLI_TASK_CODE, CODE_TARGET, CODE_NOISY, CODE_KEY };

int mnn_cli_task_add_options(struct option *opts, int n) {
  opts[n++] = (struct option){"task", required_argument, 0, CODE_TASK};
  opts[n++] = (struct option){"target", required_argument, 0, CODE_TARGET};
  opts[n++] = (struct option){"noisy", no_argument, 0, CODE_NOISY};
  for (int i = 0; i < mnn_task_n_keys; ++i)
    opts[n++] = (struct option){mnn_task_key_table[i].key, required_argument, 0, CODE_KEY + i};
  return n;
}

int mnn_cli_task_take(mnn_cli_task *t, int code, const char *arg) {
  if (code == CODE_TASK) t->name = arg;
  else if (code == CODE_TARGET) t->target = arg;
  else if (code == CODE_NOISY) t->noisy = 1;
  else if (code >= CODE_KEY && code < CODE_KEY + mnn_task_n_keys) {
    if (t->n_set == MNN_CLI_TASK_MAX_SET) return -1;
    t->keys[t->n_set] = mnn_task_key_table[code - CODE_KEY].key;
    t->values[t->n_set++] = arg;
  } else
    return 0;
  return 1;
}

int mnn_cli_task_build(const mnn_cli_task *t, const char *command, mnn_task *task, mnn_error *err) {
  if (!t->name) {
    if (t->n_set > 0) return mnn_fail(err, "%s: --%s is a task option: add --task NAME", command, t->keys[0]);
    return mnn_fail(err, "%s: no task: add --task fig1|behaviour|regression|iris|custom", command);
  }
  if (!strcmp(t->name, "custom")) {
    mnn_task_defaults(task);
    snprintf(task->name, sizeof task->name, "custom");
  } else {
    if ((t->target && strcmp(t->name, "behaviour") && strcmp(t->name, "behavior")) ||
        (t->noisy && strcmp(t->name, "regression")))
      return mnn_fail(err, "%s: %s applies to another task than '%s'", command, t->target ? "--target" : "--noisy",
                      t->name);
    const char *variant = t->target ? t->target : t->noisy ? "noisy" : NULL;
    if (mnn_task_preset(task, t->name, variant, err)) return mnn_error_prefix(err, "%s", command), -1;
    mnn_data_dir_resolve_preset(task);
  }
  for (int i = 0; i < t->n_set; ++i)
    if (mnn_task_set(task, t->keys[i], t->values[i], err)) return mnn_error_prefix(err, "%s: --%s", command, t->keys[i]), -1;
  return 0;
}
