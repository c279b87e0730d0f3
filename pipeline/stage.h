/* Incremental stages of `mnn run`, keyed on content: a stage's input key is a hash
 * of the contents of its inputs (the program, the case, its data files, the
 * previous stages' outputs), its output key a hash of its outputs' contents. Both
 * are kept in the stage's record after it ran; the stage is skipped only when the
 * record holds the same input key and the outputs still hash to its output key.
 * Modification times play no part: a copied folder of another case, a touched
 * file or a rebuilt but identical program change nothing, a changed byte reruns.
 * An output folder is locked (flock) for the duration of a run. */
#ifndef MNN_STAGE_H
#define MNN_STAGE_H

#include "error.h"

/* A 128-bit content hash as 32 hex digits. */
#define MNN_STAGE_KEY_LEN 33

/* The key of a list of files: a hash of the label and of each file's content in
 * order (NULL entries skipped; a file that cannot be read counts as absent, which
 * differs from every content). Never fails: the key of an unreadable file is
 * stable and matches no stored key of a readable one. */
void mnn_stage_key(const char *label, const char *const *files, int n_files, char key[MNN_STAGE_KEY_LEN]);

/* Returns 1 when every output exists and the record at rec_path holds
 * input-key == in_key and output-key == the key of the outputs as they are now. */
int mnn_stage_up_to_date(const char *in_key, const char *const *outputs, int n_outputs, const char *rec_path);

/* After a stage ran: stores in_key and the outputs' key in the record at rec_path
 * (a new record of the stage when there is none), atomically. */
int mnn_stage_seal(const char *stage, const char *in_key, const char *const *outputs, int n_outputs,
                   const char *rec_path, mnn_error *err);

/* Takes an exclusive lock on the folder (flock on the folder itself) so that two
 * runs cannot write into it at once. Returns the descriptor that holds the lock
 * (close it to release), or -1 with err filled when another run holds it. */
int mnn_stage_lock_folder(const char *dir, mnn_error *err);

/* Creates a folder and its parents (mkdir -p). Returns 0 or -1 with errno set. */
int mnn_make_dirs(const char *path);

#endif
