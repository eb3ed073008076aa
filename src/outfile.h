/*
 * outfile.h — a result file that is written whole or not at all.
 *
 * The data goes to a temporary file beside the target ("TARGET.tmpPID"),
 * which outfile_commit renames over the target: a failed or interrupted run
 * never leaves a half-written result, and a file that was there stays as it
 * was.  A target that exists and is not a regular file (a device such as
 * /dev/null or /dev/stdout, a FIFO, a socket) is written directly: renaming
 * over it would replace the device with a file.  A symbolic link to a
 * regular file keeps the link: the file it points to is replaced.
 *
 * Errors: outfile_begin and outfile_commit return -1 with a message naming
 * the file (KERR_IO); both leave nothing behind on failure.
 */
#ifndef KLASTER_OUTFILE_H
#define KLASTER_OUTFILE_H

#include "err.h"

struct outfile {
	char *target;    /* what the user named (a link resolved to its file) */
	char *name;      /* where to write now: the temporary file, or target when direct */
	int direct;      /* 1: not a regular file, written in place */
};

/* Chooses where to write path's data (path is a file name, not "-"). */
int outfile_begin(struct outfile *o, const char *path, struct kerr *e);
/* Puts the data written to o->name in place (renames it); frees o. */
int outfile_commit(struct outfile *o, struct kerr *e);
/* Removes what was written (not a direct target); frees o.  Safe on a zeroed o. */
void outfile_abort(struct outfile *o);

#endif
