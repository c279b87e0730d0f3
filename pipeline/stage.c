/* Incremental stages: content keys of inputs and outputs, kept in the stage
 * records; the output folder's lock; mkdir -p. */
#include "stage.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include "stage_record.h"

/* A 128-bit non-cryptographic hash (two 64-bit lanes over 8-byte words, each
 * finalised with splitmix64's mixer). The cache guards against mistakes, not
 * against an attacker: who can write the inputs can write the outputs too. */
typedef struct { uint64_t a, b, n; } hash128;

static uint64_t mix64(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

static void hash_init(hash128 *h) { h->a = 0x6a09e667f3bcc908ULL, h->b = 0xbb67ae8584caa73bULL, h->n = 0; }

static void hash_word(hash128 *h, uint64_t w) {
  h->a = (h->a ^ w) * 0x9e3779b97f4a7c15ULL;
  h->a = (h->a << 31) | (h->a >> 33);
  h->b = (h->b + w) * 0xc2b2ae3d27d4eb4fULL;
  h->b ^= h->b >> 29;
}

/* Adds n bytes: whole words, then the tail word marked with the tail's length, so
 * the hash depends on how the bytes are split into calls (hash_file always feeds
 * whole 64 kB buffers). */
static void hash_bytes(hash128 *h, const unsigned char *p, size_t n) {
  h->n += n;
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    memcpy(&w, p + i, 8);
    hash_word(h, w);
  }
  uint64_t w = 0;
  for (size_t k = 0; i + k < n; ++k) w |= (uint64_t)p[i + k] << (8 * k);
  hash_word(h, w ^ 0x80ULL << (8 * (n - i))); /* the tail, marked with its length */
}

static void hash_final(hash128 *h, uint64_t out[2]) {
  out[0] = mix64(h->a ^ mix64(h->n));
  out[1] = mix64(h->b ^ mix64(h->n + 0x9e3779b97f4a7c15ULL));
}

/* Content hashes of the files met so far in this process, by identity (device,
 * inode, size, modification time): the program and the case are inputs of every
 * stage, and a stage's outputs are the next one's inputs. A rewritten file is a
 * new inode (atomic rename), so a stale entry is never used. */
#define MEMO_SIZE 32
static struct {
  dev_t dev;
  ino_t ino;
  off_t size;
  struct timespec mtime;
  uint64_t hash[2];
} memo[MEMO_SIZE];
static int memo_n = 0;

/* The content hash of a file; -1 when it cannot be read. */
static int hash_file(const char *path, uint64_t out[2]) {
  int fd = open(path, O_RDONLY);
  struct stat st;
  if (fd < 0) return -1;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) return close(fd), -1;
  for (int i = 0; i < memo_n; ++i)
    if (memo[i].dev == st.st_dev && memo[i].ino == st.st_ino && memo[i].size == st.st_size &&
        memo[i].mtime.tv_sec == st.st_mtim.tv_sec && memo[i].mtime.tv_nsec == st.st_mtim.tv_nsec) {
      close(fd);
      memcpy(out, memo[i].hash, sizeof memo[i].hash);
      return 0;
    }
  hash128 h;
  hash_init(&h);
  static unsigned char buf[1 << 16];
  size_t fill = 0;
  ssize_t n;
  for (;;) { /* whole buffers, so that the hash does not depend on how read(2) splits the file */
    n = read(fd, buf + fill, sizeof buf - fill);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    fill += (size_t)n;
    if (fill == sizeof buf) hash_bytes(&h, buf, fill), fill = 0;
  }
  if (n == 0 && fill > 0) hash_bytes(&h, buf, fill);
  close(fd);
  if (n < 0) return -1;
  hash_final(&h, out);
  int slot = memo_n < MEMO_SIZE ? memo_n++ : (int)(st.st_ino % MEMO_SIZE);
  memo[slot].dev = st.st_dev, memo[slot].ino = st.st_ino, memo[slot].size = st.st_size, memo[slot].mtime = st.st_mtim;
  memcpy(memo[slot].hash, out, sizeof memo[slot].hash);
  return 0;
}

void mnn_stage_key(const char *label, const char *const *files, int n_files, char key[MNN_STAGE_KEY_LEN]) {
  hash128 h;
  hash_init(&h);
  hash_bytes(&h, (const unsigned char *)label, strlen(label) + 1);
  for (int i = 0; i < n_files; ++i) {
    if (!files[i]) continue;
    uint64_t fh[2] = {0, 0};
    unsigned char tag = hash_file(files[i], fh) == 0 ? 'F' : 'A'; /* file, or absent */
    hash_bytes(&h, &tag, 1);
    hash_bytes(&h, (const unsigned char *)fh, sizeof fh);
  }
  uint64_t out[2];
  hash_final(&h, out);
  snprintf(key, MNN_STAGE_KEY_LEN, "%016llx%016llx", (unsigned long long)out[0], (unsigned long long)out[1]);
}

int mnn_stage_up_to_date(const char *in_key, const char *const *outputs, int n_outputs, const char *rec_path) {
  for (int i = 0; i < n_outputs; ++i)
    if (outputs[i] && access(outputs[i], F_OK) != 0) return 0;
  if (access(rec_path, F_OK) != 0) return 0;
  mnn_error err;
  mnn_record *rec = mnn_record_read(rec_path, &err);
  if (!rec) return 0;
  const char *stored_in = mnn_record_get_text(rec, MNN_RECORD_INPUT_KEY), *stored_out = mnn_record_get_text(rec, MNN_RECORD_OUTPUT_KEY);
  char out_key[MNN_STAGE_KEY_LEN];
  int ok = stored_in && stored_out && !strcmp(stored_in, in_key);
  if (ok) {
    mnn_stage_key("outputs", outputs, n_outputs, out_key);
    ok = !strcmp(stored_out, out_key);
  }
  mnn_record_free(rec);
  return ok;
}

int mnn_stage_seal(const char *stage, const char *in_key, const char *const *outputs, int n_outputs,
                   const char *rec_path, mnn_error *err) {
  mnn_record *rec = NULL;
  if (access(rec_path, F_OK) == 0 && !(rec = mnn_record_read(rec_path, err))) return -1;
  if (!rec && !(rec = mnn_record_create(stage))) return mnn_fail(err, "%s: out of memory", rec_path);
  char out_key[MNN_STAGE_KEY_LEN];
  mnn_stage_key("outputs", outputs, n_outputs, out_key);
  int rc = mnn_record_set_text(rec, MNN_RECORD_INPUT_KEY, in_key) || mnn_record_set_text(rec, MNN_RECORD_OUTPUT_KEY, out_key)
               ? mnn_fail(err, "%s: out of memory", rec_path)
               : mnn_record_write(rec, rec_path, err);
  mnn_record_free(rec);
  return rc;
}

int mnn_stage_lock_folder(const char *dir, mnn_error *err) {
  int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return mnn_fail(err, "%s: cannot open the output folder (%s)", dir, strerror(errno));
  if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    int e = errno;
    close(fd);
    if (e == EWOULDBLOCK)
      return mnn_fail(err, "%s: another mnn run is writing into this folder: wait for it to end or choose another -o",
                      dir);
    return mnn_fail(err, "%s: cannot lock the output folder (%s)", dir, strerror(e));
  }
  return fd;
}

int mnn_make_dirs(const char *path) {
  char buf[4096];
  size_t n = strlen(path);
  if (n == 0 || n >= sizeof buf) {
    errno = ENAMETOOLONG;
    return -1;
  }
  memcpy(buf, path, n + 1);
  for (char *p = buf + 1; *p; ++p) {
    if (*p != '/') continue;
    *p = '\0';
    if (mkdir(buf, 0777) != 0 && errno != EEXIST) return -1;
    *p = '/';
  }
  if (mkdir(buf, 0777) != 0 && errno != EEXIST) return -1;
  return 0;
}
