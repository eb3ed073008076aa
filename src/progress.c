/* progress.c — a progress line on a terminal (see progress.h). */
#include "progress.h"

#include <unistd.h>

int progress_want(FILE *out, unsigned long long size, unsigned long long min)
{
	return out && size >= min && isatty(fileno(out));
}

void progress_show(struct progress *p, unsigned long long done, long count, int final)
{
	time_t now;
	const char *unit = p->unit ? p->unit : "rows";
	int n;
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
		n = fprintf(p->out, "\r%s [", p->name);
		for (i = 0; i < 20; i++)
			fputc(i < pct / 5 ? '#' : '.', p->out);
		n += 20 + fprintf(p->out, "] %3d%% %ld %s", pct, count, unit);
	} else {
		n = fprintf(p->out, "\r%s: %ld %s", p->name, count, unit);
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
