/* Shared by the fuzzing harnesses (one per file reader, fuzz_<reader>.c): the
 * readers take a path, so each input is written to one scratch file per process;
 * and a reader that refuses an input must say so in one non-empty line, so a
 * multi-line or empty message is a finding (abort) like a crash. */
#ifndef MNN_FUZZ_UTIL_H
#define MNN_FUZZ_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include "error.h"

/* Writes data to <scratch folder>/name and returns that path (static storage);
 * the folder is /tmp/mnn_fuzz_<pid>, made on first use and removed at exit. */
const char *mnn_fuzz_file(const char *name, const uint8_t *data, size_t size);

/* Aborts unless err holds one non-empty line: the product's one-line promise. */
void mnn_fuzz_check_error(const mnn_error *err);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#endif
