/* test_progress.c — the progress line (progress.h): what it writes, redrawn over itself. */
#include "progress.h"

#include <stdlib.h>

#include "t.h"

/* What the calls wrote to p->out, from its start (static storage). */
static const char *written(struct progress *p)
{
	static char text[512];
	size_t n;
	fflush(p->out);
	rewind(p->out);
	n = fread(text, 1, sizeof(text) - 1, p->out);
	text[n] = '\0';
	fseek(p->out, 0, SEEK_END);
	return text;
}

/* A line is redrawn with "\r" over the last one, which a shorter line
 * would leave partly visible: a count that falls (the general reader
 * reading a file again after the fast path gave up) is padded with blanks
 * to the width drawn before.  p->last is reset: every call draws. */
T_TEST(shorter_line_blanks_the_rest)
{
	struct progress p = { tmpfile(), 1, 1000, 0, "f.csv", NULL, 0, 0 };
	progress_show(&p, 400, 12000000, 0);
	p.last = 0;
	progress_show(&p, 100, 4096, 0);
	T_EQ_STR(written(&p), "\rf.csv [########............]  40% 12000000 rows"
			      "\rf.csv [##..................]  10% 4096 rows    ");
	p.last = 0;
	progress_show(&p, 1000, 5000000, 1);   /* the end: as wide, then the newline */
	T_EQ_STR(written(&p), "\rf.csv [########............]  40% 12000000 rows"
			      "\rf.csv [##..................]  10% 4096 rows    "
			      "\rf.csv [####################] 100% 5000000 rows \n");
	fclose(p.out);
}

/* A count alone (no total), and a new line after progress_break starts narrow. */
T_TEST(count_alone_and_break)
{
	struct progress p = { tmpfile(), 1, 0, 0, "DBSCAN", "points", 0, 0 };
	progress_show(&p, 0, 123456, 0);
	progress_break(&p);
	p.last = 0;
	progress_show(&p, 0, 7, 0);
	T_EQ_STR(written(&p), "\rDBSCAN: 123456 points\n\rDBSCAN: 7 points");
	fclose(p.out);
}

/* A name holding control characters (a file may be named so) is drawn escaped: it cannot
 * move the cursor, clear the screen or end the line; its Polish letters are kept.  The
 * blanks after a shorter redraw count columns, not bytes. */
T_TEST(name_escaped)
{
	struct progress p = { tmpfile(), 1, 1000, 0, "ł\x1b[2J\n\r\x07.csv", NULL, 0, 0 };
	progress_show(&p, 400, 1234, 0);
	p.last = 0;
	progress_show(&p, 500, 12, 0);
	T_EQ_STR(written(&p), "\rł\\x1B[2J\\n\\r\\x07.csv [########............]  40% 1234 rows"
			      "\rł\\x1B[2J\\n\\r\\x07.csv [##########..........]  50% 12 rows  ");
	fclose(p.out);
}

int main(void)
{
	T_RUN(shorter_line_blanks_the_rest);
	T_RUN(count_alone_and_break);
	T_RUN(name_escaped);
	return t_done();
}
