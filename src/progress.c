/* progress.c — a progress line on a terminal (see progress.h). */
#include "progress.h"

#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "buf.h"
#include "esc.h"

/* The columns of the terminal p writes to; 0 when not known. */
static int columns(const struct progress *p)
{
	struct winsize ws;
	if (ioctl(fileno(p->out), TIOCGWINSZ, &ws) != 0)
		return 0;
	return ws.ws_col;
}

/* The part of name (escaped: esc_filename) the line shows: all of it, or when
 * the line would be wider than the terminal (a long path) its end, to follow
 * "...", so that a redraw, which returns to the start of the line, never
 * leaves a wrapped line behind.  Widths are in columns (text_columns), so a
 * name of Polish or wide letters fits as well as an ASCII one.
 * rest: the widest the line is without the name (counts of ten digits). */
static const char *fit_name(const struct progress *p, const char *name, int rest, int *cut)
{
	int cols = columns(p), room = cols - 1 - rest;
	*cut = 0;
	if (cols <= 0 || text_columns(name) <= (size_t)(room > 0 ? room : 0))
		return name;
	*cut = 1;
	return text_tail(name, (size_t)(room > 7 ? room - 3 : 4));
}

/* progress_set_mode's: the command line's --progress or --no-progress, read before any input */
static enum progress_mode mode = PROGRESS_ON_TERMINAL;

void progress_set_mode(enum progress_mode m)
{
	mode = m;
}

int progress_want(FILE *out, unsigned long long size, unsigned long long min)
{
	if (!out || size < min || mode == PROGRESS_NEVER)
		return 0;
	return mode == PROGRESS_ALWAYS || isatty(fileno(out));
}

void progress_show(struct progress *p, unsigned long long done, long count, int final)
{
	time_t now;
	const char *unit = p->unit ? p->unit : "rows", *name;
	struct buf shown = BUF_INIT;   /* the name with its control characters escaped */
	int n, cut;
	if (!p->on)
		return;
	now = time(NULL);
	if (!final && now == p->last)
		return;
	p->last = now;
	esc_filename(&shown, p->name);
	if (p->size) {
		int pct = (int)((final ? p->size : done) * 100 / p->size), i;
		if (pct > 100)
			pct = 100;
		name = fit_name(p, shown.ptr, (int)strlen(" [....................] 100% 1234567890 ") + (int)strlen(unit),
				&cut);
		n = fprintf(p->out, "\r%s%s [", cut ? "..." : "", name);
		for (i = 0; i < 20; i++)
			fputc(i < pct / 5 ? '#' : '.', p->out);
		n += 20 + fprintf(p->out, "] %3d%% %ld %s", pct, count, unit);
	} else {
		name = fit_name(p, shown.ptr, (int)strlen(": 1234567890 ") + (int)strlen(unit), &cut);
		n = fprintf(p->out, "\r%s%s: %ld %s", cut ? "..." : "", name, count, unit);
	}
	/* a count smaller than the last one drawn (a file read again by another reader) leaves
	 * nothing of the longer line behind; n: its columns, without the "\r" */
	n = n > 0 ? n - 1 - (int)strlen(name) + (int)text_columns(name) : 0;
	fprintf(p->out, "%*s", p->width > n ? p->width - n : 0, "");
	p->width = p->width > n ? p->width : n;
	if (final)
		fputc('\n', p->out);
	p->open = !final;
	if (final)
		p->width = 0;
	fflush(p->out);
	buf_release(&shown);
}

void progress_break(struct progress *p)
{
	if (p->on && p->open) {
		fputc('\n', p->out);
		fflush(p->out);
	}
	p->open = 0;
	p->width = 0;
}
