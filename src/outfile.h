/*
 * outfile.h — a result file that is written whole or not at all.
 *
 * The data goes to a temporary file beside the target ("TARGET.tmpPID"),
 * which outfile_commit renames over the target: a failed or interrupted run
 * never leaves a half-written result, and a file that was there stays as it
 * was until the new one is complete.  The new file keeps the permissions of
 * the one it replaces; a file the user may not write is not replaced.  A
 * symbolic link to a regular file keeps the link: the file it points to is
 * replaced.  Written in place instead, never renamed over: a target that
 * exists and is not a regular file (a device such as /dev/null, a FIFO, a
 * socket), and anything under /dev/ or /proc/ (/dev/stderr redirected to a
 * file is that file).  Standard output is the caller's (outfile_is_stdout).
 * The temporary file is created by outfile_begin with O_EXCL and
 * O_NOFOLLOW: a link or a file planted at its predictable name is removed,
 * never written through.
 *
 * A run stopped by SIGINT, SIGTERM, SIGHUP or SIGPIPE (when the program leaves them
 * at their default) removes the temporary files it was writing.
 *
 * Errors: the calls return -1 (NULL) with a message naming the target and
 * the reason (KERR_IO); none leaves a temporary file behind.
 */
#ifndef KLASTER_OUTFILE_H
#define KLASTER_OUTFILE_H

#include <stdio.h>
#include <sys/types.h>

#include "err.h"

struct outfile {
	char *target;    /* what the user named (a link resolved to its file) */
	char *name;      /* where to write now: the temporary file, or target when direct */
	int direct;      /* 1: written in place */
	int keep_mode;   /* 1: the file replaced had mode (applied to the new one) */
	mode_t mode;
	int fd;          /* the temporary file, created by outfile_begin, until outfile_fopen takes it; -1 */
	size_t guard;    /* its entry in the guard (outfile_guard); SIZE_MAX: none */
};

/* 1 for the names of standard output: NULL, "-", /dev/stdout, /dev/fd/1, /proc/self/fd/1. */
int outfile_is_stdout(const char *path);
/* The ending of a file name, which names its format: what follows the last
 * dot of its last component (not a leading dot); "" when there is none and
 * for standard output (outfile_is_stdout). */
const char *outfile_ending(const char *path);
/* 1 when outfile_begin writes path in place (a device, a FIFO, a name under
 * /dev/ or /proc/): what needs to seek (XLSX) cannot be written there. */
int outfile_in_place(const char *path);
/* Chooses where to write path's data (not standard output). */
int outfile_begin(struct outfile *o, const char *path, struct kerr *e);
/* Opens o->name for writing ("wb"); NULL with a message naming the target. */
FILE *outfile_fopen(struct outfile *o, struct kerr *e);
/* Puts the data written to o->name in place (renames it); frees o. */
int outfile_commit(struct outfile *o, struct kerr *e);
/* Removes what was written (not a direct target); frees o.  Safe on a zeroed o. */
void outfile_abort(struct outfile *o);

/*
 * The guard of a command's files: once outfile_guard has been called, a
 * result may not replace a file the same process reads (outfile_input),
 * nor may two results of the process name one file ("-o map.svg --map
 * map.svg").  outfile_begin and outfile_commit then refuse such a target
 * with KERR_USAGE naming both uses, before anything is replaced.  Files
 * are told apart by device and inode (links and other spellings of a
 * name included), a result not yet written by its resolved name.  For the
 * command-line programs, which run once; not for the server, whose
 * downloads pass through temporary files (not thread-safe).
 */
void outfile_guard(void);
/* Notes that the open file fd (named name in messages) is read by this
 * run; anything but a regular file (a pipe, a terminal) is left alone.
 * Does nothing before outfile_guard. */
void outfile_input(int fd, const char *name);
/* The guard's rules told from the command line, before anything is read or
 * written: -1 (KERR_USAGE, the guard's messages) when result out names one
 * of the n inputs (NULL entries and standard input skipped) or other, a
 * result too (may be NULL); names compared as the guard compares them.
 * Then -1 (KERR_IO, outfile_begin's messages) when out cannot be written at
 * all — a directory, a file that may not be written, a name in a directory
 * that is not there or may not be written — so that a long run does not
 * end in that. */
int outfile_clash(const char *out, const char *other, const char *const *inputs, size_t n, struct kerr *e);

#endif
