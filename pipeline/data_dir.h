/* Where the data sets that ship with mnn are found (cases/data/ in the source
 * tree, PREFIX/share/mnn/cases/data/ after `make install`), so that a task preset
 * such as iris finds its table from any working directory. */
#ifndef MNN_DATA_DIR_H
#define MNN_DATA_DIR_H

#include <stddef.h>
#include "training.h"

/* A preset's data path "cases/data/NAME" (relative to the repository) becomes
 * the shipped file: first beside the program (<bin>/../share/mnn/cases/data/NAME,
 * the installed layout), then in the source tree the program was built from.
 * Any other path, or a file found in neither place, is left as it is (reading
 * it then says which path is missing). Call it right after mnn_task_preset, before
 * the user's own data key. */
void mnn_data_dir_resolve_preset(mnn_task *t);

#endif
