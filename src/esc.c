#include "esc.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "err.h"

/* Length of a valid UTF-8 sequence at s (at most n bytes), or 0. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	size_t len, i;
	unsigned cp;
	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF) {
		len = 2;
		cp = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3;
		cp = c & 0x0F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4;
		cp = c & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	if ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
	    (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
		return 0;
	return len;
}

int utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, k;
	while (i < n) {
		if (!p[i])
			return 0;
		k = utf8_seq(p + i, n - i);
		if (!k)
			return 0;
		i += k;
	}
	return 1;
}

static const char replacement[] = "\xEF\xBF\xBD";

void esc_html_n(struct buf *b, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, start = 0, k;
	if (!s)
		return;
	while (i < n) {
		const char *rep = NULL;
		unsigned c = p[i];
		k = 1;
		switch (c) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default:
			if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
				rep = replacement;
			} else if (c >= 0x80) {
				k = utf8_seq(p + i, n - i);
				if (!k) {
					rep = replacement;
					k = 1;
				}
			}
		}
		if (rep) {
			buf_add(b, s + start, i - start);
			buf_puts(b, rep);
			start = i + k;
		}
		i += k;
	}
	buf_add(b, s + start, n - start);
}

void esc_html(struct buf *b, const char *s)
{
	if (s)
		esc_html_n(b, s, strlen(s));
}

void esc_json(struct buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = s ? strlen(s) : 0, i = 0, k;
	buf_putc(b, '"');
	while (i < n) {
		unsigned c = p[i];
		k = 1;
		switch (c) {
		case '"': buf_puts(b, "\\\""); break;
		case '\\': buf_puts(b, "\\\\"); break;
		case '\n': buf_puts(b, "\\n"); break;
		case '\r': buf_puts(b, "\\r"); break;
		case '\t': buf_puts(b, "\\t"); break;
		case '<': buf_puts(b, "\\u003c"); break; /* safe inside <script> too */
		case '>': buf_puts(b, "\\u003e"); break;
		case '&': buf_puts(b, "\\u0026"); break;
		default:
			if (c < 0x20) {
				buf_printf(b, "\\u%04x", c);
			} else if (c >= 0x80) {
				k = utf8_seq(p + i, n - i);
				if (!k) {
					buf_puts(b, "\\ufffd");
					k = 1;
				} else {
					buf_add(b, p + i, k);
				}
			} else {
				buf_putc(b, (int)c);
			}
		}
		i += k;
	}
	buf_putc(b, '"');
}

void esc_json_or_null(struct buf *b, const char *s)
{
	if (s)
		esc_json(b, s);
	else
		buf_puts(b, "null");
}

int esc_csv_formula(const char *s)
{
	return s && s[0] && strchr("=+-@\t\r", s[0]) != NULL;
}

void esc_csv(struct buf *b, const char *s)
{
	int quote = 0, formula;
	const char *p;
	if (!s)
		return;
	formula = esc_csv_formula(s);
	/* a field starting with U+FEFF would be a file's byte-order mark in the first cell, which
	 * readers (klaster's, spreadsheets) drop: quoted, it is the field's own */
	quote = strncmp(s, "\xEF\xBB\xBF", 3) == 0;
	for (p = s; *p; p++)
		if (*p == ',' || *p == '"' || *p == '\n' || *p == '\r')
			quote = 1;
	if (!quote && !formula) {
		buf_puts(b, s);
		return;
	}
	buf_putc(b, '"');
	if (formula)
		buf_putc(b, '\'');
	for (p = s; *p; p++) {
		if (*p == '"')
			buf_putc(b, '"');
		buf_putc(b, *p);
	}
	buf_putc(b, '"');
}

void esc_url(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p = (const unsigned char *)s;
	if (!s)
		return;
	for (; *p; p++) {
		unsigned c = *p;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~') {
			buf_putc(b, (int)c);
		} else {
			buf_putc(b, '%');
			buf_putc(b, hex[c >> 4]);
			buf_putc(b, hex[c & 15]);
		}
	}
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

size_t url_decode(char *s)
{
	char *r = s, *w = s;
	while (*r) {
		if (*r == '+') {
			*w++ = ' ';
			r++;
		} else if (*r == '%' && hexval(r[1]) >= 0 && hexval(r[2]) >= 0) {
			*w++ = (char)(hexval(r[1]) * 16 + hexval(r[2]));
			r += 3;
		} else {
			*w++ = *r++;
		}
	}
	*w = '\0';
	return (size_t)(w - s);
}

void html_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	const char *p = fmt, *lit = fmt;
	va_start(ap, fmt);
	while (*p) {
		int prec = -1;
		if (*p != '%') {
			p++;
			continue;
		}
		buf_add(b, lit, (size_t)(p - lit));
		p++;
		if (*p == '.') {
			prec = 0;
			for (p++; *p >= '0' && *p <= '9'; p++)
				prec = prec * 10 + (*p - '0');
		}
		switch (*p) {
		case 's': esc_html(b, va_arg(ap, const char *)); break;
		case 'u': esc_url(b, va_arg(ap, const char *)); break;
		case 'R': {
			const char *raw = va_arg(ap, const char *);
			if (raw)
				buf_puts(b, raw);
			break;
		}
		case 'd': buf_printf(b, "%d", va_arg(ap, int)); break;
		case 'f': buf_printf(b, "%.*f", prec < 0 ? 6 : prec, va_arg(ap, double)); break;
		case '%': buf_putc(b, '%'); break;
		case 'l':
			if (p[1] == 'd') {
				p++;
				buf_printf(b, "%ld", va_arg(ap, long));
				break;
			}
			if (p[1] == 'l' && p[2] == 'd') {
				p += 2;
				buf_printf(b, "%lld", va_arg(ap, long long));
				break;
			}
			/* fall through */
		default:
			BUG("html_printf: unknown conversion in \"%s\"", fmt);
		}
		p++;
		lit = p;
	}
	buf_add(b, lit, (size_t)(p - lit));
	va_end(ap);
}

void esc_html_paragraphs(struct buf *b, const char *s, const char *cls)
{
	html_printf(b, "<p class=\"%s\">", cls);
	while (s && *s) {
		size_t n = strcspn(s, "\r\n");
		esc_html_n(b, s, n);
		s += n;
		if (*s == '\r')
			s++;
		if (*s != '\n')
			continue;
		s++;
		if (*s == '\n' || (*s == '\r' && s[1] == '\n')) {
			while (*s == '\n' || *s == '\r')
				s++;
			if (*s)
				html_printf(b, "</p><p class=\"%s\">", cls);
		} else if (*s) {
			buf_puts(b, "<br>");
		}
	}
	buf_puts(b, "</p>");
}

void esc_terminal(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	const char *run = s;
	if (!s)
		return;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == 0xC2 && (unsigned char)s[1] >= 0x80 && (unsigned char)s[1] <= 0x9F) {
			/* U+0080–U+009F, the C1 controls (U+009B is a CSI to some terminals) */
			buf_add(b, run, (size_t)(s - run));
			buf_printf(b, "\\u%04X", (unsigned)(unsigned char)s[1]);
			s++;
			run = s + 1;
			continue;
		}
		if ((c >= 0x20 && c != 0x7F) || c == '\t')
			continue;
		buf_add(b, run, (size_t)(s - run));
		buf_puts(b, "\\x");
		buf_putc(b, hex[c >> 4]);
		buf_putc(b, hex[c & 15]);
		run = s + 1;
	}
	buf_add(b, run, (size_t)(s - run));
}

/* text_control, with LF and tab allowed when lines is set. */
static unsigned first_control(const char *s, int lines)
{
	const unsigned char *p;
	for (p = (const unsigned char *)s; *p; p++) {
		if ((*p < 0x20 || *p == 0x7F) && !(lines && (*p == '\n' || *p == '\t')))
			return *p;
		if (*p == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F)
			return p[1];
	}
	return 0;
}

unsigned text_control(const char *s)
{
	return first_control(s, 0);
}

unsigned text_control_lines(const char *s)
{
	return first_control(s, 1);
}

/* The code point of the UTF-8 character at s (*len bytes), or the byte
 * itself (*len 1) when s holds no valid character there. */
static unsigned utf8_char(const unsigned char *s, size_t n, size_t *len)
{
	size_t k = utf8_seq(s, n), i;
	unsigned cp;
	*len = k ? k : 1;
	if (k <= 1)
		return s[0];
	cp = s[0] & (k == 2 ? 0x1F : k == 3 ? 0x0F : 0x07);
	for (i = 1; i < k; i++)
		cp = (cp << 6) | (s[i] & 0x3F);
	return cp;
}

/* The characters a name is shown with escaped (esc_filename) though they are valid UTF-8: the
 * C1 controls (U+009B is a CSI to some terminals) and the invisible ones that change what a
 * name shows — U+061C, U+200B–200F (direction marks, zero widths), U+2028–202E (line and
 * paragraph separators, direction overrides), U+2066–2069 (isolates, which show a name's end
 * before its start) and U+FEFF. */
static int name_hidden(unsigned cp)
{
	return (cp >= 0x80 && cp <= 0x9F) || cp == 0x061C || (cp >= 0x200B && cp <= 0x200F) ||
	       (cp >= 0x2028 && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0xFEFF;
}

void esc_filename(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p = (const unsigned char *)s;
	size_t n, i = 0, run = 0, k;
	if (!s)
		return;
	n = strlen(s);
	while (i < n) {
		unsigned c = p[i], cp;
		if (c >= 0x20 && c < 0x7F) {
			i++;
			continue;
		}
		cp = utf8_char(p + i, n - i, &k);
		if (k > 1 && !name_hidden(cp)) {
			i += k;   /* a character of any script */
			continue;
		}
		buf_add(b, s + run, i - run);
		if (k > 1) {
			buf_printf(b, "\\u%04X", cp);
		} else if (c == '\n' || c == '\r' || c == '\t') {
			buf_putc(b, '\\');
			buf_putc(b, c == '\n' ? 'n' : c == '\r' ? 'r' : 't');
		} else {   /* C0, DEL, or a byte that is not UTF-8 */
			buf_puts(b, "\\x");
			buf_putc(b, hex[c >> 4]);
			buf_putc(b, hex[c & 15]);
		}
		i += k;
		run = i;
	}
	buf_add(b, s + run, n - run);
}

/* The columns of code point cp: 0 (combining, zero width), 1 or 2 (wide). */
static int char_columns(unsigned cp)
{
	static const unsigned zero[][2] = {
		{ 0x0300, 0x036F }, { 0x0483, 0x0489 }, { 0x0591, 0x05BD }, { 0x0610, 0x061A },
		{ 0x064B, 0x065F }, { 0x1AB0, 0x1AFF }, { 0x1DC0, 0x1DFF }, { 0x200B, 0x200F },
		{ 0x202A, 0x202E }, { 0x2060, 0x2064 }, { 0x20D0, 0x20FF }, { 0xFE00, 0xFE0F },
		{ 0xFE20, 0xFE2F }, { 0xFEFF, 0xFEFF }, { 0xE0100, 0xE01EF },
	};
	static const unsigned wide[][2] = {
		{ 0x1100, 0x115F }, { 0x231A, 0x231B }, { 0x2329, 0x232A }, { 0x23E9, 0x23EC },
		{ 0x25FD, 0x25FE }, { 0x2614, 0x2615 }, { 0x2E80, 0x303E }, { 0x3041, 0x33FF },
		{ 0x3400, 0x4DBF }, { 0x4E00, 0x9FFF }, { 0xA000, 0xA4CF }, { 0xA960, 0xA97F },
		{ 0xAC00, 0xD7A3 }, { 0xF900, 0xFAFF }, { 0xFE10, 0xFE19 }, { 0xFE30, 0xFE6F },
		{ 0xFF00, 0xFF60 }, { 0xFFE0, 0xFFE6 }, { 0x1F300, 0x1F64F }, { 0x1F900, 0x1F9FF },
		{ 0x20000, 0x2FFFD }, { 0x30000, 0x3FFFD },
	};
	size_t k;
	for (k = 0; k < sizeof(zero) / sizeof(zero[0]); k++)
		if (cp >= zero[k][0] && cp <= zero[k][1])
			return 0;
	for (k = 0; k < sizeof(wide) / sizeof(wide[0]); k++)
		if (cp >= wide[k][0] && cp <= wide[k][1])
			return 2;
	return 1;
}

size_t text_columns(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), i = 0, k, cols = 0;
	while (i < n) {
		cols += (size_t)char_columns(utf8_char(p + i, n - i, &k));
		i += k;
	}
	return cols;
}

const char *text_tail(const char *s, size_t cols)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), i = 0, k, total = text_columns(s);
	unsigned cp;
	while (i < n) {
		cp = utf8_char(p + i, n - i, &k);
		if (total <= cols && char_columns(cp) > 0)
			break;
		total -= (size_t)char_columns(cp);
		i += k;
	}
	return s + i;
}

const char *esc_cut(char *out, const char *s, size_t max)
{
	size_t n = strlen(s), k;
	if (n <= max) {
		memcpy(out, s, n + 1);
		return out;
	}
	n = max - 3;
	while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	for (k = n; k > n / 2 && s[k - 1] != ' '; k--)
		;
	if (k > n / 2)
		n = k - 1;   /* before the blank */
	memcpy(out, s, n);
	memcpy(out + n, "\xe2\x80\xa6", 4);
	return out;
}
