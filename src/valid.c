/*
 * valid.c — validators for user input.  See valid.h for the contract.
 *
 * Each validator reads the input once, from left to right, and stops at the
 * first problem, so that the reason given is about the first thing the
 * person has to fix.
 */
#include "valid.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "esc.h"

/* Appends a reason to why (when there is one) and returns -1. */
static int fail(struct buf *why, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int fail(struct buf *why, const char *fmt, ...)
{
	va_list ap;
	if (why) {
		va_start(ap, fmt);
		buf_vprintf(why, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/*
 * Appends the value a person gave, quoted, so that a message can name it:
 * "'526-025-02-73': ".  The value is shown as typed (trimmed), at most
 * VALUE_SHOWN bytes of it (then "…", never cutting a character), with a
 * backslash or an apostrophe escaped by a backslash and control characters
 * and bytes that are not UTF-8 as \xHH, so that the message stays one line
 * of text whatever was given.  An empty value appends nothing.
 */
#define VALUE_SHOWN 40

static void show_value(struct buf *why, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i = 0;
	if (!why || !n)
		return;
	buf_putc(why, '\'');
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		size_t k = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
		if (k > 1 && (k > n - i || !utf8_valid(s + i, k) ||
			      (c == 0xC2 && (unsigned char)s[i + 1] <= 0x9F)))
			k = 0;   /* not UTF-8, or a C1 control: shown as bytes */
		if (k == 1 && (c < 0x20 || c == 0x7F))
			k = 0;
		if (i + (k ? k : 1) > VALUE_SHOWN) {   /* a character that would end past the bytes shown */
			buf_puts(why, "\xE2\x80\xA6");
			break;
		}
		if (!k) {
			buf_puts(why, "\\x");
			buf_putc(why, hex[c >> 4]);
			buf_putc(why, hex[c & 15]);
			i++;
			continue;
		}
		if (c == '\\' || c == '\'')
			buf_putc(why, '\\');
		buf_add(why, s + i, k);
		i += k;
	}
	buf_puts(why, "': ");
}

/* fail() for a value s[0..n) the message names first (show_value). */
static int fail_value(struct buf *why, const char *s, size_t n, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int fail_value(struct buf *why, const char *s, size_t n, const char *fmt, ...)
{
	va_list ap;
	if (why) {
		show_value(why, s, n);
		va_start(ap, fmt);
		buf_vprintf(why, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int to_upper(int c)
{
	return c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c;
}

static int is_blank(int c)
{
	return c == ' ' || c == '\t';
}

/* Strips leading and trailing spaces and tabs: sets *start, returns the length. */
static size_t trim(const char *in, const char **start)
{
	const char *s = in ? in : "", *e;
	while (is_blank((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && is_blank((unsigned char)e[-1]))
		e--;
	*start = s;
	return (size_t)(e - s);
}

/*
 * Describes the character at p (n bytes available) for a message, in tmp:
 * "'x'" for printable ASCII and Latin letters, "a space", "an apostrophe
 * (')", "a control character (0x01)", "the character U+2013" for other
 * characters, or "a byte that is not valid UTF-8 (0xFF)".  Returns tmp.
 */
static const char *char_desc(char tmp[64], const unsigned char *p, size_t n)
{
	unsigned c = p[0], cp;
	size_t k, i;
	if (c == ' ') {
		snprintf(tmp, 64, "a space");
	} else if (c == '\t') {
		snprintf(tmp, 64, "a tab");
	} else if (c < 0x20 || c == 0x7F) {
		snprintf(tmp, 64, "a control character (0x%02X)", c);
	} else if (c == '\'') {
		snprintf(tmp, 64, "an apostrophe (')");
	} else if (c == '"') {
		snprintf(tmp, 64, "a double quote (\")");
	} else if (c < 0x80) {
		snprintf(tmp, 64, "'%c'", (int)c);
	} else {
		k = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
		if (!k || k > n || !utf8_valid((const char *)p, k)) {
			snprintf(tmp, 64, "a byte that is not valid UTF-8 (0x%02X)", c);
			return tmp;
		}
		cp = c & (0x7Fu >> k);
		for (i = 1; i < k; i++)
			cp = (cp << 6) | (p[i] & 0x3Fu);
		/* Latin letters are shown as themselves; anything else (dashes,
		 * invisible or right-to-left marks) by its code point. */
		if (cp >= 0xC0 && cp <= 0x24F)
			snprintf(tmp, 64, "'%.*s'", (int)k, (const char *)p);
		else
			snprintf(tmp, 64, "the character U+%04X", cp);
	}
	return tmp;
}

/*
 * Copies the digits of s[0..n) into d (at most max of them, then a NUL),
 * skipping the separator characters in seps, and counts all digits in
 * *nd.  Returns NULL, or a pointer to the first character that is neither
 * a digit nor a separator.
 */
static const char *collect_digits(const char *s, size_t n, const char *seps,
				  char *d, size_t max, size_t *nd)
{
	size_t i, k = 0;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (is_digit(c)) {
			if (k < max)
				d[k] = (char)c;
			k++;
		} else if (!c || !strchr(seps, c)) {
			return s + i;
		}
	}
	d[k < max ? k : max] = '\0';
	*nd = k;
	return NULL;
}

static int all_zeros(const char *d)
{
	for (; *d; d++)
		if (*d != '0')
			return 0;
	return 1;
}

/* ---- NIP ------------------------------------------------------------ */

int nip_check_digit(const char *nine_digits)
{
	static const int w[9] = { 6, 5, 7, 2, 3, 4, 5, 6, 7 };
	int i, sum = 0;
	if (!nine_digits)
		return -1;
	for (i = 0; i < 9; i++) {
		if (!is_digit((unsigned char)nine_digits[i]))
			return -1;
		sum += (nine_digits[i] - '0') * w[i];
	}
	return sum % 11;
}

int valid_nip(const char *in, char out[11], struct buf *why)
{
	const char *s, *bad, *given;
	size_t n = trim(in, &s), nd, ngiven = n;
	char d[11], tmp[64];
	int want;

	given = s;
	if (n >= 2 && is_alpha((unsigned char)s[0]) && is_alpha((unsigned char)s[1])) {
		if (to_upper(s[0]) == 'P' && to_upper(s[1]) == 'L') {
			s += 2;
			n -= 2;
		} else if (n > 2 && (is_digit((unsigned char)s[2]) || s[2] == ' ' || s[2] == '-')) {
			return fail_value(why, given, ngiven, "is not a Polish NIP (it has the country prefix %c%c)",
					  to_upper(s[0]), to_upper(s[1]));
		}
	}
	bad = collect_digits(s, n, " -", d, 10, &nd);
	if (bad)
		return fail_value(why, given, ngiven, "may contain only digits, dashes and spaces (found %s)",
				  char_desc(tmp, (const unsigned char *)bad, n - (size_t)(bad - s)));
	if (nd != 10)
		return fail_value(why, given, ngiven, "must have 10 digits, got %zu", nd);
	if (all_zeros(d))
		return fail_value(why, given, ngiven, "is a placeholder, not a NIP");
	want = nip_check_digit(d);
	if (want == 10)
		return fail_value(why, given, ngiven,
				  "is not a valid NIP: no check digit exists for its first nine digits");
	if (want != d[9] - '0')
		return fail_value(why, given, ngiven, "check digit does not match (expected %d, got %c)", want,
				  d[9]);
	if (out)
		memcpy(out, d, 11);
	return 0;
}

/* ---- REGON ---------------------------------------------------------- */

int regon_check_digit(const char *digits, size_t n)
{
	static const int w9[8] = { 8, 9, 2, 3, 4, 5, 6, 7 };
	static const int w14[13] = { 2, 4, 8, 5, 0, 9, 7, 3, 6, 1, 2, 4, 8 };
	const int *w = n == 8 ? w9 : w14;
	size_t i;
	int sum = 0;
	if (!digits || (n != 8 && n != 13))
		return -1;
	for (i = 0; i < n; i++) {
		if (!is_digit((unsigned char)digits[i]))
			return -1;
		sum += (digits[i] - '0') * w[i];
	}
	sum %= 11;
	return sum == 10 ? 0 : sum;
}

int valid_regon(const char *in, char out[15], struct buf *why)
{
	const char *s, *bad;
	size_t n = trim(in, &s), nd;
	char d[15], tmp[64];
	int want;

	bad = collect_digits(s, n, " -", d, 14, &nd);
	if (bad)
		return fail_value(why, s, n, "may contain only digits, dashes and spaces (found %s)",
				  char_desc(tmp, (const unsigned char *)bad, n - (size_t)(bad - s)));
	if (nd != 9 && nd != 14)
		return fail_value(why, s, n, "must have 9 or 14 digits, got %zu", nd);
	if (all_zeros(d))
		return fail_value(why, s, n, "a REGON cannot be all zeros");
	/* a local unit's 14 digits begin with its entity's REGON, whose own ninth digit checks the first eight */
	if (nd == 14 && (want = regon_check_digit(d, 8)) != d[8] - '0')
		return fail_value(why, s, n, "the first nine digits are not a valid REGON of the entity "
				  "(its check digit, the ninth, should be %d, got %c)", want, d[8]);
	want = regon_check_digit(d, nd - 1);
	if (want != d[nd - 1] - '0')
		return fail_value(why, s, n, "check digit does not match (expected %d, got %c)", want, d[nd - 1]);
	if (out)
		memcpy(out, d, nd + 1);
	return 0;
}

/* ---- KRS ------------------------------------------------------------ */

int valid_krs(const char *in, char out[11], struct buf *why)
{
	const char *s, *bad;
	size_t n = trim(in, &s), nd;
	char d[11], tmp[64];

	bad = collect_digits(s, n, "", d, 10, &nd);
	if (bad)
		return fail_value(why, s, n, "may contain only digits (found %s)",
				  char_desc(tmp, (const unsigned char *)bad, n - (size_t)(bad - s)));
	if (nd < 10 && nd > 0)
		return fail_value(why, s, n, "must have exactly 10 digits including leading zeros, got %zu "
				  "(a spreadsheet may have dropped the zeros: write 0000012345)", nd);
	if (nd != 10)
		return fail_value(why, s, n, "must have exactly 10 digits, got %zu", nd);
	if (all_zeros(d))
		return fail_value(why, s, n, "is not a KRS number (all zeros)");
	if (out)
		memcpy(out, d, 11);
	return 0;
}

/* ---- postal code ---------------------------------------------------- */

int valid_postal(const char *in, char out[7], struct buf *why)
{
	const char *s;
	size_t n = trim(in, &s), i;
	char d[5];
	int ok = 0;

	if (n == 6 && s[2] == '-') {
		ok = 1;
		for (i = 0; i < 6; i++)
			if (i != 2 && !is_digit((unsigned char)s[i]))
				ok = 0;
		if (ok) {
			memcpy(d, s, 2);
			memcpy(d + 2, s + 3, 3);
		}
	} else if (n == 5) {
		ok = 1;
		for (i = 0; i < 5; i++)
			if (!is_digit((unsigned char)s[i]))
				ok = 0;
		if (ok)
			memcpy(d, s, 5);
	}
	if (!ok)
		return fail(why, "must be a Polish postal code NN-NNN, e.g. 00-950");
	if (out) {
		memcpy(out, d, 2);
		out[2] = '-';
		memcpy(out + 3, d + 2, 3);
		out[6] = '\0';
	}
	return 0;
}

/* ---- TERYT ---------------------------------------------------------- */

int valid_teryt(const char *in, char out[8], struct buf *why)
{
	const char *s, *bad;
	size_t n = trim(in, &s), nd;
	char d[8], tmp[64];
	int v;

	bad = collect_digits(s, n, "", d, 7, &nd);
	if (bad)
		return fail(why, "may contain only digits (found %s)",
			    char_desc(tmp, (const unsigned char *)bad, n - (size_t)(bad - s)));
	if (nd != 2 && nd != 4 && nd != 7)
		return fail(why, "must have 2 digits (voivodeship), 4 (powiat) or 7 (gmina), got %zu", nd);
	v = (d[0] - '0') * 10 + (d[1] - '0');
	if (v < 2 || v > 32 || v % 2)
		return fail(why, "voivodeship code must be an even number from 02 to 32, got %.2s", d);
	if (nd >= 4 && d[2] == '0' && d[3] == '0')
		return fail(why, "powiat code must be from 01 to 99, got 00");
	if (nd == 7) {
		if (d[4] == '0' && d[5] == '0')
			return fail(why, "gmina code must be from 01 to 99, got 00");
		if (!strchr("1234589", d[6]))
			return fail(why, "gmina type (the last digit) must be 1 to 5, 8 or 9, got %c", d[6]);
	}
	if (out)
		memcpy(out, d, nd + 1);
	return 0;
}

/* ---- PKD ------------------------------------------------------------ */

int valid_pkd(const char *in, char out[10], int *level, struct buf *why)
{
	const char *s;
	size_t n = trim(in, &s), i = 0, k = 0;
	char code[10];
	int lvl;

	if (n == 1 && is_alpha((unsigned char)s[0])) {
		int c = to_upper(s[0]);
		if (c > 'V')
			return fail(why, "section must be a letter from A to V, got %c", c);
		code[k++] = (char)c;
		lvl = 1;
		goto done;
	}
	if (n < 2 || !is_digit((unsigned char)s[0]) || !is_digit((unsigned char)s[1]))
		goto bad;
	if (s[0] == '0' && s[1] == '0')
		return fail(why, "division 00 does not exist (divisions are 01 to 99)");
	code[k++] = s[0];
	code[k++] = s[1];
	lvl = 2;
	i = 2;
	/* An optional dot, which must then be followed by the group digit. */
	if (i < n && s[i] == '.') {
		i++;
		if (i >= n || !is_digit((unsigned char)s[i]))
			goto bad;
	}
	if (i < n && is_digit((unsigned char)s[i])) {
		code[k++] = '.';
		code[k++] = s[i++];
		lvl = 3;
		if (i < n && is_digit((unsigned char)s[i])) {
			code[k++] = s[i++];
			lvl = 4;
			/* An optional dot, which must then be followed by the letter. */
			if (i < n && s[i] == '.') {
				i++;
				if (i >= n || !is_alpha((unsigned char)s[i]))
					goto bad;
			}
			if (i < n && is_alpha((unsigned char)s[i])) {
				code[k++] = '.';
				code[k++] = (char)to_upper(s[i++]);
				lvl = 5;
			}
		}
	}
	if (i != n)
		goto bad;
done:
	code[k] = '\0';
	if (out)
		memcpy(out, code, k + 1);
	if (level)
		*level = lvl;
	return 0;
bad:
	return fail(why, "must be a PKD code such as 62.01.Z (subclass), 62.01 (class), "
		    "62.0 (group), 62 (division) or J (section)");
}

/* ---- host names (e-mail domains, URL hosts) ------------------------- */

/*
 * Checks a host name h[0..n): dot-separated labels of letters, digits, '-'
 * (not at either end of a label) or non-ASCII bytes, at least one dot, and
 * a last label of two or more characters.  what names the part in messages
 * ("the domain after the @", "the host name").
 */
static int check_host(const char *h, size_t n, const char *what, struct buf *why)
{
	size_t i, start = 0, dots = 0;
	char tmp[64];
	for (i = 0; i <= n; i++) {
		unsigned char c = i < n ? (unsigned char)h[i] : '.';
		if (c == '.') {
			if (i == start)
				return fail(why, "%s has an empty part (check the dots)", what);
			if (h[start] == '-' || h[i - 1] == '-')
				return fail(why, "%s has a part that starts or ends with '-'", what);
			if (i < n)
				dots++;
			else if (i - start < 2)
				return fail(why, "%s must end with a top-level domain of two or more "
					    "characters, such as .pl", what);
			start = i + 1;
		} else if (!is_alpha(c) && !is_digit(c) && c != '-' && c < 0x80) {
			return fail(why, "%s must not contain %s", what,
				    char_desc(tmp, (const unsigned char *)h + i, n - i));
		}
	}
	if (!dots)
		return fail(why, "%s must contain a dot, as in example.pl", what);
	return 0;
}

/* ---- e-mail --------------------------------------------------------- */

static int has_double_dot(const char *s, size_t n)
{
	size_t i;
	for (i = 1; i < n; i++)
		if (s[i] == '.' && s[i - 1] == '.')
			return 1;
	return 0;
}

int valid_email(const char *in, struct buf *why)
{
	const char *s = in ? in : "", *at = NULL;
	size_t n = strlen(s), i, nat = 0, local;

	if (!n)
		return fail(why, "is empty");
	if (n > 254)
		return fail(why, "is too long (%zu bytes, at most 254)", n);
	if (!utf8_valid(s, n))
		return fail(why, "is not valid UTF-8");
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '@') {
			nat++;
			at = s + i;
		} else if (c == ' ') {
			return fail(why, "must not contain spaces");
		} else if (c < 0x20 || c == 0x7F) {
			return fail(why, "must not contain control characters");
		} else if (strchr("<>()[]\\,;:\"", c)) {
			return fail(why, "must be a single plain address such as name@example.pl "
				    "(found '%c')", c);
		}
	}
	if (!nat)
		return fail(why, "must contain @, as in name@example.pl");
	if (nat > 1)
		return fail(why, "must contain exactly one @ (found %zu)", nat);
	local = (size_t)(at - s);
	if (!local)
		return fail(why, "has nothing before the @");
	if (local > 64)
		return fail(why, "the part before the @ is too long (%zu bytes, at most 64)", local);
	if (s[0] == '.' || at[-1] == '.' || has_double_dot(s, local))
		return fail(why, "the part before the @ must not start or end with a dot "
			    "or have two dots in a row");
	if (local + 1 == n)
		return fail(why, "has nothing after the @");
	return check_host(at + 1, n - local - 1, "the domain after the @", why);
}

/* ---- URL ------------------------------------------------------------ */

int valid_url(const char *in, struct buf *why)
{
	const char *s = in ? in : "", *auth, *host, *port = NULL;
	size_t n = strlen(s), i, p, e, hn, pn = 0;
	char tmp[64];

	if (!n)
		return fail(why, "is empty");
	if (n > 2000)
		return fail(why, "is too long (%zu bytes, at most 2000)", n);
	if (!utf8_valid(s, n))
		return fail(why, "is not valid UTF-8");
	/* the scheme first: "not a url" lacks it, its spaces are the lesser fault */
	if (n >= 7 && strncasecmp(s, "http://", 7) == 0)
		p = 7;
	else if (n >= 8 && strncasecmp(s, "https://", 8) == 0)
		p = 8;
	else
		return fail(why, "must start with http:// or https://, as in https://www.example.pl");
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == ' ')
			return fail(why, "must not contain spaces (write them as %%20)");
		if (c < 0x20 || c == 0x7F)
			return fail(why, "must not contain control characters");
		if (strchr("\"'<>`\\", c))
			return fail(why, "must not contain %s", char_desc(tmp, (const unsigned char *)s + i, 1));
	}

	/* The authority runs to the first '/', '?' or '#'. */
	for (e = p; e < n && s[e] != '/' && s[e] != '?' && s[e] != '#'; e++)
		;
	auth = s + p;
	if (e == p)
		return fail(why, "has no host name after %.*s", (int)p, s);
	if (memchr(auth, '@', e - p))
		return fail(why, "must not contain a user name or password before the host name");

	if (auth[0] == '[') {
		/* An IPv6 literal: hex digits, ':' and '.' inside brackets. */
		const char *close = memchr(auth, ']', e - p);
		if (!close)
			return fail(why, "has a '[' in the host name without a closing ']'");
		for (host = auth + 1; host < close; host++)
			if (!strchr("0123456789abcdefABCDEF:.", *host))
				return fail(why, "has an invalid IPv6 address in the host name");
		if (close == auth + 1)
			return fail(why, "has an empty IPv6 address in the host name");
		if (close + 1 < s + e) {
			if (close[1] != ':')
				return fail(why, "has characters after the IPv6 address in the host name");
			port = close + 2;
			pn = (size_t)(s + e - port);
		}
	} else {
		const char *colon = memchr(auth, ':', e - p);
		hn = colon ? (size_t)(colon - auth) : e - p;
		if (colon) {
			port = colon + 1;
			pn = (size_t)(s + e - port);
		}
		if (!hn)
			return fail(why, "has no host name after %.*s", (int)p, s);
		if (check_host(auth, hn, "the host name", why))
			return -1;
	}
	if (port) {
		long v = 0;
		for (i = 0; i < pn; i++) {
			if (!is_digit((unsigned char)port[i]) || i >= 5)
				break;
			v = v * 10 + (port[i] - '0');
		}
		if (!pn || i < pn || v < 1 || v > 65535)
			return fail(why, "port (after the ':') must be a number from 1 to 65535");
	}
	return 0;
}

/* ---- phone ---------------------------------------------------------- */

int valid_phone(const char *in, struct buf *why)
{
	const char *s = in ? in : "";
	size_t n = strlen(s), i, nd = 0;
	char tmp[64];

	if (!n)
		return fail(why, "is empty");
	if (s[0] == ' ' || s[n - 1] == ' ')
		return fail(why, "must not start or end with a space");
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (is_digit(c))
			nd++;
		else if (c == '+' && i > 0)
			return fail(why, "may have '+' only at the start");
		else if (c != '+' && c != ' ' && c != '-' && c != '(' && c != ')')
			return fail(why, "may contain only digits, spaces, +, -, ( and ) (found %s)",
				    char_desc(tmp, (const unsigned char *)s + i, n - i));
	}
	if (nd < 6 || nd > 20)
		return fail(why, "must have 6 to 20 digits, got %zu", nd);
	return 0;
}

/* ---- dates and years ------------------------------------------------ */

static int is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int all_digits(const char *s, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (!is_digit((unsigned char)s[i]))
			return 0;
	return 1;
}

static int num(const char *s, size_t n)
{
	int v = 0;
	size_t i;
	for (i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

int valid_date(const char *in, struct buf *why)
{
	static const char *const month_name[12] = {
		"January", "February", "March", "April", "May", "June", "July",
		"August", "September", "October", "November", "December"
	};
	static const int mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	const char *s = in ? in : "";
	size_t n = strlen(s);
	int y, m, d, dim;

	if (n != 10 || s[4] != '-' || s[7] != '-' || !all_digits(s, 4) ||
	    !all_digits(s + 5, 2) || !all_digits(s + 8, 2)) {
		/* The Polish way of writing dates, DD.MM.YYYY, gets a precise hint. */
		if (n == 10 && s[2] == '.' && s[5] == '.' && all_digits(s, 2) &&
		    all_digits(s + 3, 2) && all_digits(s + 6, 4))
			return fail(why, "must have the form YYYY-MM-DD (for %s write %.4s-%.2s-%.2s)",
				    s, s + 6, s + 3, s);
		return fail(why, "must be a date of the form YYYY-MM-DD, e.g. 2024-03-15");
	}
	y = num(s, 4);
	m = num(s + 5, 2);
	d = num(s + 8, 2);
	if (y == 0)
		return fail(why, "year must be from 0001 to 9999, got 0000");
	if (m < 1 || m > 12)
		return fail(why, "month must be from 01 to 12, got %02d", m);
	dim = mdays[m - 1] + (m == 2 && is_leap(y));
	if (d < 1 || d > dim) {
		if (m == 2 && d == 29)
			return fail(why, "%s does not exist (%04d is not a leap year)", s, y);
		if (d >= 1 && d <= 31)
			return fail(why, "%s does not exist (%s has %d days)", s, month_name[m - 1], dim);
		return fail(why, "day must be from 01 to %d, got %02d", dim, d);
	}
	return 0;
}

int valid_year(const char *in, int min, int max, int *out, struct buf *why)
{
	const char *s;
	size_t n = trim(in, &s);
	int v;

	if (!n || !all_digits(s, n))
		return fail(why, "must be a year written in digits, such as 2015");
	while (n > 1 && s[0] == '0') {
		s++;
		n--;
	}
	if (n > 9)
		return fail(why, "must be a year from %d to %d", min, max);
	v = num(s, n);
	if (v < min || v > max)
		return fail(why, "must be a year from %d to %d, got %d", min, max, v);
	if (out)
		*out = v;
	return 0;
}

/* ---- coordinates ---------------------------------------------------- */

#define LAT_MIN 49.0
#define LAT_MAX 54.9
#define LON_MIN 14.1
#define LON_MAX 24.2

/*
 * Parses decimal degrees s[0..n): an optional sign, digits, and an optional
 * '.' or ',' followed by digits.  Up to 17 significant digits are used;
 * further fraction digits are ignored (they are far below a millimetre).
 * Returns 0, or -1 with a reason naming the value as what.
 */
static int parse_degrees(const char *s, size_t n, const char *what, double *v,
			 struct buf *why)
{
	uint64_t m = 0;
	int sig = 0, e = 0, neg = 0, nd = 0;
	size_t i = 0;
	char tmp[64];

	if (i < n && (s[i] == '-' || s[i] == '+'))
		neg = s[i++] == '-';
	for (; i < n && is_digit((unsigned char)s[i]); i++, nd++) {
		if (sig < 17) {
			m = m * 10 + (uint64_t)(s[i] - '0');
			sig += m != 0;
		} else {
			e++;
		}
	}
	if (i < n && (s[i] == '.' || s[i] == ',')) {
		size_t dot = i++;
		for (; i < n && is_digit((unsigned char)s[i]); i++, nd++) {
			if (sig < 17) {
				m = m * 10 + (uint64_t)(s[i] - '0');
				sig += m != 0;
				e--;
			}
		}
		if (i == dot + 1 && i == n)
			return fail(why, "%s must be decimal degrees such as 52.2297 "
				    "(digits are missing after the decimal point)", what);
	}
	if (i < n)
		return fail(why, "%s must be decimal degrees such as 52.2297 (found %s)", what,
			    char_desc(tmp, (const unsigned char *)s + i, n - i));
	if (!nd)
		return fail(why, "%s must be decimal degrees such as 52.2297", what);
	*v = e < 0 ? (double)m / pow(10.0, -e) : (double)m * pow(10.0, e);
	if (neg)
		*v = -*v;
	return 0;
}

int valid_coord(const char *lat, const char *lon, double *la, double *lo,
		struct buf *why)
{
	const char *a, *o;
	size_t an = trim(lat, &a), on = trim(lon, &o);
	double x, y;
	int lat_ok, lon_ok;

	if (!an && !on)
		return 1;
	if (!an)
		return fail(why, "lat is missing (give both lat and lon, or neither)");
	if (!on)
		return fail(why, "lon is missing (give both lat and lon, or neither)");
	if (parse_degrees(a, an, "lat", &x, why) || parse_degrees(o, on, "lon", &y, why))
		return -1;
	lat_ok = x >= LAT_MIN && x <= LAT_MAX;
	lon_ok = y >= LON_MIN && y <= LON_MAX;
	if (!lat_ok && !lon_ok && y >= LAT_MIN && y <= LAT_MAX && x >= LON_MIN && x <= LON_MAX)
		return fail(why, "lat and lon seem to be swapped (lat is north, 49.0 to 54.9; "
			    "lon is east, 14.1 to 24.2)");
	if (!lat_ok)
		return fail(why, "lat %.*s is outside Poland (49.0 to 54.9)",
			    an > 24 ? 24 : (int)an, a);
	if (!lon_ok)
		return fail(why, "lon %.*s is outside Poland (14.1 to 24.2)",
			    on > 24 ? 24 : (int)on, o);
	if (la)
		*la = x;
	if (lo)
		*lo = y;
	return 0;
}

/* The weight of one entry's parameters ";q=0.8" (1 when absent), or -1 when malformed. */
static int accept_q(const char *p, const char *end)
{
	while (p < end) {
		int q = 0, scale = 1000, digits = 0;
		while (p < end && (*p == ' ' || *p == '\t' || *p == ';'))
			p++;
		if (p == end)
			break;
		if (end - p < 2 || (p[0] != 'q' && p[0] != 'Q') || p[1] != '=') {
			while (p < end && *p != ';')
				p++;   /* another parameter: not ours */
			continue;
		}
		p += 2;
		if (p < end && (*p == '0' || *p == '1')) {
			q = (*p - '0') * 1000;
			p++;
		} else {
			return -1;
		}
		if (p < end && *p == '.')
			for (p++; p < end && *p >= '0' && *p <= '9' && digits < 3; p++, digits++)
				q += (*p - '0') * (scale /= 10);
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if ((p < end && *p != ';') || q > 1000)
			return -1;
		return q;
	}
	return 1000;
}

const char *valid_accept_language(const char *header)
{
	const char *p = header, *best = NULL;
	int bestq = 0;
	if (!header)
		return NULL;
	while (*p) {
		const char *e = p, *t, *semi;
		size_t n;
		int q;
		while (*e && *e != ',')
			e++;
		for (t = p; t < e && (*t == ' ' || *t == '\t'); t++)
			;
		for (semi = t; semi < e && *semi != ';'; semi++)
			;
		for (n = 0; t + n < semi && ((t[n] >= 'a' && t[n] <= 'z') || (t[n] >= 'A' && t[n] <= 'Z')); n++)
			;
		/* the primary tag, then the end of the range, a subtag or blanks */
		if (n == 2 && (t + n == semi || t[n] == '-' || t[n] == ' ' || t[n] == '\t') &&
		    (q = accept_q(semi, e)) > bestq) {
			if ((t[0] | 0x20) == 'e' && (t[1] | 0x20) == 'n')
				best = "en", bestq = q;
			else if ((t[0] | 0x20) == 'p' && (t[1] | 0x20) == 'l')
				best = "pl", bestq = q;
		}
		p = *e ? e + 1 : e;
	}
	return best;
}

int valid_etag_matches(const char *inm, const char *etag)
{
	size_t n = strlen(etag);
	const char *p;
	if (!inm || !n)
		return 0;
	/* "*" only as the whole field (any current representation); in a list it is nothing */
	for (p = inm; *p == ' ' || *p == '\t'; p++)
		;
	if (*p == '*') {
		for (p++; *p == ' ' || *p == '\t'; p++)
			;
		return *p == '\0';
	}
	for (p = inm; *p;) {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		if (strncmp(p, "W/", 2) == 0)
			p += 2;
		if (strncmp(p, etag, n) == 0 && (p[n] == '\0' || p[n] == ',' || p[n] == ' ' || p[n] == '\t'))
			return 1;
		while (*p && *p != ',')
			p++;
	}
	return 0;
}
