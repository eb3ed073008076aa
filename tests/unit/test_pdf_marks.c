/* pdf_markup_text and Polish letters written decomposed: a break opportunity (U+200B) never
 * parts a letter from its combining mark (ogonek, acute), whatever the length of the word. */
#include "pdf.h"

#include <string.h>

#include "t.h"

/* 1 when a zero-width space is followed by a combining mark U+0300–U+036F in s. */
static int break_before_mark(const char *s)
{
	const char *p = s;
	while ((p = strstr(p, "\xe2\x80\x8b"))) {
		const unsigned char *n = (const unsigned char *)p + 3;
		if ((n[0] == 0xCC && n[1] >= 0x80) || (n[0] == 0xCD && n[1] >= 0x80 && n[1] <= 0xAF))
			return 1;
		p += 3;
	}
	return 0;
}

static size_t zwsp(const char *s)
{
	size_t n = 0;
	while ((s = strstr(s, "\xe2\x80\x8b"))) {
		n++;
		s += 3;
	}
	return n;
}

T_TEST(decomposed_letters)
{
	struct buf w = BUF_INIT, m = BUF_INIT, plain = BUF_INIT;
	int k, lead;
	/* "ą" as "a" U+0328 after every number of plain letters: the 33rd code point of the run is
	 * the mark in one of them */
	for (lead = 0; lead < 40; lead++) {
		buf_reset(&w);
		buf_reset(&m);
		for (k = 0; k < lead; k++)
			buf_putc(&w, 'x');
		for (k = 0; k < 30; k++)
			buf_puts(&w, "a\xcc\xa8" "o\xcc\x81");   /* ą ó, decomposed */
		pdf_markup_text(&m, w.ptr);
		T_OK(!break_before_mark(m.ptr));
		T_OK(zwsp(m.ptr) >= 2);   /* a long word still gets its breaks */
		/* and the text is the same but for the breaks */
		buf_reset(&plain);
		{
			const char *p;
			for (p = m.ptr; *p;) {
				if (strncmp(p, "\xe2\x80\x8b", 3) == 0) {
					p += 3;
					continue;
				}
				buf_putc(&plain, *p++);
			}
		}
		T_EQ_STR(plain.ptr, w.ptr);
	}
	buf_release(&w);
	buf_release(&m);
	buf_release(&plain);
}

int main(void)
{
	T_RUN(decomposed_letters);
	return t_done();
}
