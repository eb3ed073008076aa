/* progress.c — a progress line on a terminal (see progress.h). */
#include "progress.h"

#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

/* The columns of the terminal p writes to; 0 when not known. */
static int columns(const struct progress *p)
{
	struct winsize ws;
	if (ioctl(fileno(p->out), TIOCGWINSZ, &ws) != 0)
		return 0;
	return ws.ws_col;
}

/* The part of p->name the line shows: all of it, or when the line would be
 * wider than the terminal (a long path) "..." and its end, so that a redraw,
 * which returns to the start of the line, never leaves a wrapped line behind.
 * rest: the widest the line is without the name (counts of ten digits). */
static const char *fit_name(const struct progress *p, int rest, int *cut)
{
	int cols = columns(p), room = cols - 1 - rest;
	size_t n = strlen(p->name);
	const char *s;
	*cut = 0;
	if (cols <= 0 || n <= (size_t)(room > 0 ? room : 0))
		return p->name;
	room = room > 7 ? room - 3 : 4;
	s = p->name + n - (size_t)room;
	while (s < p->name + n && ((unsigned char)*s & 0xC0) == 0x80)
		s++;   /* not inside a UTF-8 sequence */
	*cut = 1;
	return s;
}

int progress_want(FILE *out, unsigned long long size, unsigned long long min)
{
	return out && size >= min && isatty(fileno(out));
}

void progress_show(struct progress *p, unsigned long long done, long count, int final)
{
	time_t now;
	const char *unit = p->unit ? p->unit : "rows", *name;
	int n, cut;
	if (!p->on)
		return;
	now = time(NULL);
	if (!final && now == p->last)
		return;
	p->last = now;
	if (p->size) {
		int pct = (int)((final ? p->size : done) * 100 / p->size), i;
		if (pct > 100)
			pct = 100;
		name = fit_name(p, (int)strlen(" [....................] 100% 1234567890 ") + (int)strlen(unit), &cut);
		n = fprintf(p->out, "\r%s%s [", cut ? "..." : "", name);
		for (i = 0; i < 20; i++)
			fputc(i < pct / 5 ? '#' : '.', p->out);
		n += 20 + fprintf(p->out, "] %3d%% %ld %s", pct, count, unit);
	} else {
		name = fit_name(p, (int)strlen(": 1234567890 ") + (int)strlen(unit), &cut);
		n = fprintf(p->out, "\r%s%s: %ld %s", cut ? "..." : "", name, count, unit);
	}
	/* a count smaller than the last one drawn (a file read again by another reader) leaves
	 * nothing of the longer line behind */
	n = n > 0 ? n - 1 : 0;
	fprintf(p->out, "%*s", p->width > n ? p->width - n : 0, "");
	p->width = p->width > n ? p->width : n;
	if (final)
		fputc('\n', p->out);
	p->open = !final;
	if (final)
		p->width = 0;
	fflush(p->out);
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
