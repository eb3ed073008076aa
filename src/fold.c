/*
 * fold.c — search forms and Polish sort keys.  See fold.h for the contract.
 *
 * The input is cut into units (one character, or one invalid byte) by
 * next_unit(), which classifies each unit once; fold_search and
 * fold_sortkey only differ in what they emit per unit.
 */
#include "fold.h"

#include <stdint.h>
#include <string.h>

/* ---- characters ----------------------------------------------------- */

enum unit_kind {
	U_SEP,     /* separates words: space, punctuation, symbol, bad byte */
	U_IGNORE,  /* invisible: combining mark, zero-width character */
	U_LETTER,  /* Latin letter, folded to ASCII in s */
	U_DIGIT,   /* ASCII digit, in s[0] */
	U_OTHER    /* letter of another script */
};

struct unit {
	enum unit_kind kind;
	char s[3];          /* U_LETTER, U_DIGIT: lower-case ASCII form, 1 or 2 chars */
	unsigned char len;  /* strlen(s) */
	unsigned char upper;     /* the character is upper case */
	unsigned char accented;  /* a non-Polish accented form of its base letter */
	char mark;          /* Polish letters: sorts after the base letter ('~', '}' for ź) */
	uint32_t cp;        /* code point (U_OTHER) */
};

/*
 * Latin-1 Supplement and Latin Extended-A letters, U+00C0..U+017F, as their
 * ASCII base letters; the case of the entry is the case of the character.
 * NULL marks the two symbols in the range (× and ÷).
 */
static const char *const latin[0x180 - 0xC0] = {
	/* C0 */ "A", "A", "A", "A", "A", "A", "AE", "C", "E", "E", "E", "E", "I", "I", "I", "I",
	/* D0 */ "D", "N", "O", "O", "O", "O", "O", NULL, "O", "U", "U", "U", "U", "Y", "TH", "ss",
	/* E0 */ "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
	/* F0 */ "d", "n", "o", "o", "o", "o", "o", NULL, "o", "u", "u", "u", "u", "y", "th", "y",
	/* 100 */ "A", "a", "A", "a", "A", "a", "C", "c", "C", "c", "C", "c", "C", "c", "D", "d",
	/* 110 */ "D", "d", "E", "e", "E", "e", "E", "e", "E", "e", "E", "e", "G", "g", "G", "g",
	/* 120 */ "G", "g", "G", "g", "H", "h", "H", "h", "I", "i", "I", "i", "I", "i", "I", "i",
	/* 130 */ "I", "i", "IJ", "ij", "J", "j", "K", "k", "k", "L", "l", "L", "l", "L", "l", "L",
	/* 140 */ "l", "L", "l", "N", "n", "N", "n", "N", "n", "n", "N", "n", "O", "o", "O", "o",
	/* 150 */ "O", "o", "OE", "oe", "R", "r", "R", "r", "R", "r", "S", "s", "S", "s", "S", "s",
	/* 160 */ "S", "s", "T", "t", "T", "t", "T", "t", "U", "u", "U", "u", "U", "u", "U", "u",
	/* 170 */ "U", "u", "U", "u", "W", "w", "Y", "y", "Y", "Z", "z", "Z", "z", "Z", "z", "s",
};

/*
 * The sort marker of the nine Polish letters with diacritics, which are
 * letters of their own in the Polish alphabet: 'a' then "a~" (ą) sorts
 * after every word starting "a" + anything, and before 'b'.  ź and ż both
 * follow z, so ź gets '}' and ż the larger '~'.  0 for other characters.
 */
static char polish_mark(uint32_t cp)
{
	switch (cp) {
	case 0x104: case 0x105:  /* Ą ą */
	case 0x106: case 0x107:  /* Ć ć */
	case 0x118: case 0x119:  /* Ę ę */
	case 0x141: case 0x142:  /* Ł ł */
	case 0x143: case 0x144:  /* Ń ń */
	case 0x0D3: case 0x0F3:  /* Ó ó */
	case 0x15A: case 0x15B:  /* Ś ś */
	case 0x17B: case 0x17C:  /* Ż ż */
		return '~';
	case 0x179: case 0x17A:  /* Ź ź */
		return '}';
	default:
		return 0;
	}
}

/*
 * Decodes one UTF-8 character at p (n >= 1 bytes available) into *cp and
 * returns its length; an invalid or truncated sequence, an overlong form,
 * a surrogate or a value above U+10FFFF yields 1 and *cp = UINT32_MAX.
 */
static size_t utf8_next(const unsigned char *p, size_t n, uint32_t *cp)
{
	unsigned c = p[0];
	size_t len, i;
	uint32_t v;
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		len = 2;
		v = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3;
		v = c & 0x0F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4;
		v = c & 0x07;
	} else {
		goto bad;
	}
	if (n < len)
		goto bad;
	for (i = 1; i < len; i++) {
		if ((p[i] & 0xC0) != 0x80)
			goto bad;
		v = (v << 6) | (p[i] & 0x3Fu);
	}
	if ((len == 3 && (v < 0x800 || (v >= 0xD800 && v <= 0xDFFF))) ||
	    (len == 4 && (v < 0x10000 || v > 0x10FFFF)))
		goto bad;
	*cp = v;
	return len;
bad:
	*cp = UINT32_MAX;
	return 1;
}

/* Sets u to the ASCII character c (a letter, digit or separator). */
static void ascii_unit(struct unit *u, unsigned c)
{
	if (c >= 'A' && c <= 'Z') {
		u->kind = U_LETTER;
		u->upper = 1;
		c += 'a' - 'A';
	} else if (c >= 'a' && c <= 'z') {
		u->kind = U_LETTER;
	} else if (c >= '0' && c <= '9') {
		u->kind = U_DIGIT;
	} else {
		u->kind = U_SEP;
		return;
	}
	u->s[0] = (char)c;
	u->s[1] = '\0';
	u->len = 1;
}

/* The kind of a non-ASCII code point with no Latin folding (see fold.h). */
static enum unit_kind classify(uint32_t cp)
{
	if (cp == 0xAD || (cp >= 0x300 && cp <= 0x36F) || (cp >= 0x1AB0 && cp <= 0x1AFF) ||
	    (cp >= 0x1DC0 && cp <= 0x1DFF) || (cp >= 0x200B && cp <= 0x200F) ||
	    (cp >= 0x2060 && cp <= 0x206F) || (cp >= 0x20D0 && cp <= 0x20FF) ||
	    (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0xFE20 && cp <= 0xFE2F) ||
	    cp == 0xFEFF || (cp >= 0xE0000 && cp <= 0xE0FFF))
		return U_IGNORE;
	if (cp < 0xC0 ||                          /* C1 controls, Latin-1 punctuation */
	    (cp >= 0x2B0 && cp <= 0x2FF) ||       /* spacing modifiers (ʼ ˝ ...) */
	    (cp >= 0x2000 && cp <= 0x2BFF) ||     /* punctuation, symbols, arrows, math */
	    (cp >= 0x2E00 && cp <= 0x2E7F) ||     /* supplemental punctuation */
	    (cp >= 0x3000 && cp <= 0x303F) ||     /* CJK punctuation */
	    (cp >= 0xE000 && cp <= 0xF8FF) ||     /* private use */
	    (cp >= 0xFE10 && cp <= 0xFE6F) ||     /* vertical and small forms */
	    (cp >= 0xFF5F && cp <= 0xFF65) ||     /* half-width punctuation */
	    (cp >= 0xFFE0 && cp <= 0xFFFF) ||     /* full-width symbols, specials */
	    (cp >= 0x1F000 && cp <= 0x1FFFF) ||   /* emoji and pictographs */
	    (cp >= 0x40000 && cp <= 0xDFFFF) ||   /* unassigned planes */
	    cp >= 0xF0000)                        /* private use planes */
		return U_SEP;
	return U_OTHER;
}

/* Reads the unit at p (n >= 1 bytes) into *u and returns its length in bytes. */
static size_t next_unit(const unsigned char *p, size_t n, struct unit *u)
{
	uint32_t cp;
	size_t k;
	const char *f;

	u->upper = u->accented = 0;
	u->mark = 0;
	if (p[0] < 0x80) {
		ascii_unit(u, p[0]);
		return 1;
	}
	k = utf8_next(p, n, &cp);
	u->cp = cp;
	if (cp == UINT32_MAX) {
		u->kind = U_SEP;
		return k;
	}
	if (cp >= 0xC0 && cp < 0x180) {
		f = latin[cp - 0xC0];
	} else if (cp >= 0x218 && cp <= 0x21B) {
		f = (const char *const[]){ "S", "s", "T", "t" }[cp - 0x218];  /* Ș ș Ț ț */
	} else if (cp == 0x1E9E) {
		f = "SS";  /* ẞ */
	} else if (cp >= 0xFF01 && cp <= 0xFF5E) {
		ascii_unit(u, cp - 0xFEE0);  /* full-width ASCII */
		u->accented = 1;
		return k;
	} else {
		u->kind = classify(cp);
		return k;
	}
	if (!f) {
		u->kind = U_SEP;
		return k;
	}
	u->kind = U_LETTER;
	u->upper = f[0] >= 'A' && f[0] <= 'Z';
	u->mark = polish_mark(cp);
	u->accented = !u->mark;
	for (u->len = 0; f[u->len]; u->len++)
		u->s[u->len] = (char)(f[u->len] | 0x20);  /* ASCII letters: set lower case */
	u->s[u->len] = '\0';
	return k;
}

/* ---- search form ---------------------------------------------------- */

void fold_search(struct buf *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t n = strlen((const char *)p), i = 0, w;
	int gap = 0;
	struct unit u;
	char *o;

	/* Every unit folds to at most as many bytes as it has, so the output
	 * fits in n bytes and is written directly. */
	if (!n || buf_grow(out, n))
		return;
	o = out->ptr + out->len;
	w = 0;
	while (i < n) {
		unsigned c = p[i];
		if ((c | 0x20) - 'a' < 26u || c - '0' < 10u) {
			/* Fast path: ASCII letter or digit. */
			if (gap && w)
				o[w++] = ' ';
			gap = 0;
			o[w++] = (char)(c >= 'A' && c <= 'Z' ? c | 0x20 : c);
			i++;
			continue;
		}
		i += next_unit(p + i, n - i, &u);
		switch (u.kind) {
		case U_LETTER:
		case U_DIGIT:
			if (gap && w)
				o[w++] = ' ';
			gap = 0;
			memcpy(o + w, u.s, u.len);
			w += u.len;
			break;
		case U_SEP:
		case U_OTHER:
			gap = 1;
			break;
		case U_IGNORE:
			break;
		}
	}
	out->len += w;
	out->ptr[out->len] = '\0';
}

/* ---- sort key ------------------------------------------------------- */

#define KEY_LEVEL '!'   /* ends a level; below every other key byte */
#define KEY_WORD  '-'   /* word boundary; below digits and letters */
#define KEY_OTHER '{'   /* starts a letter of another script; after z */
#define NUM_CHUNK 48    /* digits per number chunk; '0' + 48 is '`', below 'a' */

/*
 * A run of digits being collected for level 1.  It is written as a length
 * byte ('0' + number of significant digits) followed by the digits, so
 * that shorter numbers sort first; runs of more than NUM_CHUNK significant
 * digits are written as several chunks.
 */
struct number {
	char d[NUM_CHUNK];
	size_t nd;
	int active;   /* a run is open */
	int chunked;  /* a chunk of this run has been written already */
};

static void number_emit(struct buf *out, struct number *num)
{
	buf_putc(out, '0' + (int)num->nd);
	buf_add(out, num->d, num->nd);
}

static void number_add(struct buf *out, struct number *num, char c)
{
	if (!num->active) {
		num->active = 1;
		num->nd = 0;
		num->chunked = 0;
	}
	if (c == '0' && !num->nd && !num->chunked)
		return;  /* a leading zero */
	num->d[num->nd++] = c;
	if (num->nd == NUM_CHUNK) {
		number_emit(out, num);
		num->nd = 0;
		num->chunked = 1;
	}
}

static void number_end(struct buf *out, struct number *num)
{
	if (!num->active)
		return;
	if (num->nd || !num->chunked)
		number_emit(out, num);
	num->active = 0;
}

void fold_sortkey(struct buf *out, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t n = strlen((const char *)p), i, j;
	struct number num = { { 0 }, 0, 0, 0 };
	struct unit u;
	int gap = 0, any = 0;

	buf_grow(out, st_add(st_mult(n, 5), 2));

	/* Level 1: base letters, numbers and word boundaries. */
	for (i = 0; i < n;) {
		i += next_unit(p + i, n - i, &u);
		if (u.kind == U_IGNORE)
			continue;
		if (u.kind != U_DIGIT)
			number_end(out, &num);
		if (u.kind == U_SEP) {
			gap = 1;
			continue;
		}
		if (gap && any)
			buf_putc(out, KEY_WORD);
		gap = 0;
		any = 1;
		if (u.kind == U_DIGIT) {
			number_add(out, &num, u.s[0]);
		} else if (u.kind == U_LETTER) {
			buf_add(out, u.s, u.len);
			if (u.mark)
				buf_putc(out, u.mark);
		} else {
			/* Other scripts in code point order: 21 bits as four
			 * 6-bit digits '0'..'o'. */
			buf_putc(out, KEY_OTHER);
			for (j = 0; j < 4; j++)
				buf_putc(out, '0' + (int)((u.cp >> (18 - 6 * j)) & 0x3F));
		}
	}
	number_end(out, &num);
	buf_putc(out, KEY_LEVEL);

	/* Level 2: one byte per letter: '0' + 2 * accented + upper. */
	for (i = 0; i < n;) {
		i += next_unit(p + i, n - i, &u);
		if (u.kind == U_LETTER) {
			for (j = 0; j < u.len; j++)
				buf_putc(out, '0' + 2 * u.accented + u.upper);
		} else if (u.kind == U_OTHER) {
			buf_putc(out, '0');
		}
	}
	buf_putc(out, KEY_LEVEL);

	/* Level 3: the original bytes in hexadecimal. */
	for (i = 0; i < n; i++) {
		char h[2] = { hex[p[i] >> 4], hex[p[i] & 15] };
		buf_add(out, h, 2);
	}
}

/* ---- query tokens --------------------------------------------------- */

size_t fold_tokens(const char *query, struct buf *storage, const char **tok, size_t max)
{
	size_t count = 0;
	char *p, *end;

	buf_reset(storage);
	fold_search(storage, query);
	if (buf_failed(storage) || !storage->len)
		return 0;
	p = storage->ptr;
	end = p + storage->len;
	/* The search form has single spaces between words and none at the ends. */
	while (p < end && count < max) {
		char *sp = memchr(p, ' ', (size_t)(end - p));
		tok[count++] = p;
		if (!sp)
			break;
		*sp = '\0';
		p = sp + 1;
	}
	return count;
}

/* The lower case of a Latin letter (ASCII, Latin-1 Supplement, Latin Extended-A); others as they are. */
static uint32_t latin_lower(uint32_t c)
{
	if (c >= 'A' && c <= 'Z')
		return c + 32;
	if (c >= 0xC0 && c <= 0xDE && c != 0xD7)
		return c + 32;
	if (c >= 0x100 && c <= 0x137 && !(c & 1) && c != 0x130)
		return c + 1;   /* Ā ā … Ķ ķ (not İ, whose lower case is i with a dot above) */
	if (c >= 0x139 && c <= 0x148 && (c & 1))
		return c + 1;   /* Ĺ ĺ … Ň ň (Ł ł) */
	if (c >= 0x14A && c <= 0x177 && !(c & 1))
		return c + 1;   /* Ŋ ŋ … Ŷ ŷ (Ś ś) */
	if (c == 0x178)
		return 0xFF;
	if (c >= 0x179 && c <= 0x17E && (c & 1))
		return c + 1;   /* Ź ź Ż ż Ž ž */
	return c;
}

void fold_lower(struct buf *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t n = strlen((const char *)p);
	while (n) {
		uint32_t c;
		size_t len = utf8_next(p, n, &c);
		if (c == UINT32_MAX) {
			buf_add(out, (const char *)p, len);
		} else {
			char enc[4];
			c = latin_lower(c);
			if (c < 0x80) {
				enc[0] = (char)c;
				buf_add(out, enc, 1);
			} else if (c < 0x800) {
				enc[0] = (char)(0xC0 | (c >> 6));
				enc[1] = (char)(0x80 | (c & 0x3F));
				buf_add(out, enc, 2);
			} else {
				buf_add(out, (const char *)p, len);  /* above U+07FF: unchanged */
			}
		}
		p += len;
		n -= len;
	}
}

int fold_lower_prefix(const char *s, const char *prefix)
{
	const unsigned char *p = (const unsigned char *)s, *q = (const unsigned char *)prefix;
	size_t n = strlen(s), m = strlen(prefix);
	while (m) {
		uint32_t a, b;
		size_t la, lb;
		if (!n)
			return 0;
		la = utf8_next(p, n, &a);
		lb = utf8_next(q, m, &b);
		if (a == UINT32_MAX || b == UINT32_MAX) {
			if (la != lb || memcmp(p, q, la) != 0)
				return 0;
		} else if (latin_lower(a) != latin_lower(b)) {
			return 0;
		}
		p += la;
		n -= la;
		q += lb;
		m -= lb;
	}
	return 1;
}

size_t utf8_chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}
