/* The network file (XML, schemas/network.xsd, docs/formats.md): read with
 * checks that point at file:line, written atomically with full precision. */
#ifndef MNN_NETWORK_FILE_H
#define MNN_NETWORK_FILE_H

#include "network.h"

/* Reads and checks a network file. Returns NULL with a one-line error. */
mnn_network *mnn_network_read(const char *path, mnn_error *err);

/* Writes the network (atomically: a temporary file, then rename). */
int mnn_network_write(const mnn_network *net, const char *path, mnn_error *err);

/* The schema text, compiled in. */
extern const char mnn_network_xsd[];

#endif
