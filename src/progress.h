/*
 * progress.h — a progress line on a terminal for long inputs:
 *   "firms.csv [########............]  40% 1234567 rows"
 * redrawn at most once a second over itself (a shorter redraw blanks the
 * rest; a name too long for the terminal's width shows its end after
 * "..."), ended by a newline; a count alone when the total is unknown.  Nothing is written unless the line is on (the
 * caller decides: a terminal and a big input, progress_want; a command's --progress or
 * --no-progress decides for every reader at once instead of the terminal, progress_set_mode).
 */
#ifndef KLASTER_PROGRESS_H
#define KLASTER_PROGRESS_H

#include <stdio.h>
#include <time.h>

struct progress {
	FILE *out;
	int on;
	unsigned long long size;    /* the total (bytes, points), 0 when unknown */
	time_t last;
	const char *name;           /* what is counted from: a file name, a phase; shown with its
				       control characters escaped (esc_filename), cut to the
				       terminal's columns */
	const char *unit;           /* what the count is of; NULL: "rows" */
	int open;                   /* a line is drawn and not ended */
	int width;                  /* the characters of the line drawn last (a shorter one blanks the rest) */
};

/* Inputs smaller than this finish too fast for a progress line. */
#define PROGRESS_MIN_BYTES (1024u * 1024u)

/* Who decides whether a big input gets its progress line: its output being a terminal (the
 * default), or the user (--progress: whatever the output is; --no-progress: never). */
enum progress_mode {
	PROGRESS_ON_TERMINAL,
	PROGRESS_ALWAYS,
	PROGRESS_NEVER
};

/* Sets the mode of every later progress_want of the program (one command runs per process). */
void progress_set_mode(enum progress_mode mode);
/* 1 when a progress line on out is worth showing: out is not NULL, size is at least min, and
 * out is a terminal (PROGRESS_ON_TERMINAL) or the mode is PROGRESS_ALWAYS; never with
 * PROGRESS_NEVER. */
int progress_want(FILE *out, unsigned long long size, unsigned long long min);
/* Shows done of p->size and count (of p->unit); final: 100% and the newline. */
void progress_show(struct progress *p, unsigned long long done, long count, int final);
/* Ends a line drawn and not ended (before a message), so the message starts on its own line. */
void progress_break(struct progress *p);

#endif
