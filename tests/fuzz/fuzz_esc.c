/*
 * fuzz_esc.c — libFuzzer target for the escaping module (src/esc.c).
 *
 * The input bytes go through every escape and through the decoders, and
 * the output must keep the promises of esc.h:
 *   - esc_html: no < > " ' left, every & starts an entity, valid UTF-8
 *     without control characters other than tab, LF and CR;
 *   - esc_json: a JSON string literal that jansson reads back as the input
 *     (when the input is valid UTF-8), with no raw < > &;
 *   - esc_url: only unreserved characters and %XX, and url_decode gives
 *     the input back;
 *   - esc_html_paragraphs: <p class="desc">, </p> and <br> around text that
 *     keeps esc_html's promises;
 *   - esc_csv: a field the CSV reader reads back as the input (with the
 *     leading ' when the input starts like a spreadsheet formula);
 *   - esc_terminal: no control character but tab, no C1 control;
 *   - esc_filename: valid UTF-8 without any control character, escaped
 *     again unchanged, and text_tail ends it on a character within its
 *     columns;
 *   - esc_cut: at most max bytes, valid UTF-8 when the input is, the input
 *     itself when it fits, else a prefix of it and "…";
 *   - utf8_valid agrees with itself on a prefix split and never reads out
 *     of bounds.
 * A broken promise stops the run with __builtin_trap().
 */
#include <stdint.h>

#include <jansson.h>

#include "csv.h"
#include "esc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) __builtin_trap(); } while (0)

static int is_unreserved(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '_' || c == '.' || c == '~';
}

static int is_hex(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F');
}

static void check_html(const struct buf *b)
{
	size_t i;
	CHECK(!buf_failed(b));
	CHECK(utf8_valid(b->ptr, b->len));
	for (i = 0; i < b->len; i++) {
		unsigned char c = (unsigned char)b->ptr[i];
		CHECK(c != '<' && c != '>' && c != '"' && c != '\'');
		CHECK(c >= 0x20 || c == '\t' || c == '\n' || c == '\r');
		if (c == '&')
			CHECK(strncmp(b->ptr + i, "&amp;", 5) == 0 || strncmp(b->ptr + i, "&lt;", 4) == 0 ||
			      strncmp(b->ptr + i, "&gt;", 4) == 0 || strncmp(b->ptr + i, "&quot;", 6) == 0 ||
			      strncmp(b->ptr + i, "&#39;", 5) == 0);
	}
}

static void check_json(const struct buf *b, const char *s)
{
	size_t i;
	json_error_t jerr;
	json_t *v;
	CHECK(!buf_failed(b));
	CHECK(b->len >= 2 && b->ptr[0] == '"' && b->ptr[b->len - 1] == '"');
	CHECK(utf8_valid(b->ptr, b->len));
	for (i = 0; i < b->len; i++) {
		unsigned char c = (unsigned char)b->ptr[i];
		CHECK(c >= 0x20 && c != '<' && c != '>' && c != '&');
	}
	v = json_loadb(b->ptr, b->len, JSON_DECODE_ANY, &jerr);
	CHECK(v && json_is_string(v));
	if (utf8_valid(s, strlen(s)))
		CHECK(strcmp(json_string_value(v), s) == 0);
	json_decref(v);
}

static void check_url(const struct buf *b, const char *s)
{
	size_t i;
	char *copy;
	CHECK(!buf_failed(b));
	for (i = 0; i < b->len; i++) {
		unsigned char c = (unsigned char)b->ptr[i];
		if (c == '%') {
			CHECK(i + 2 < b->len && is_hex(b->ptr[i + 1]) && is_hex(b->ptr[i + 2]));
			i += 2;
		} else {
			CHECK(is_unreserved(c));
		}
	}
	copy = xstrndup(b->ptr, b->len);
	CHECK(url_decode(copy) == strlen(s));
	CHECK(strcmp(copy, s) == 0);
	free(copy);
}

static void check_csv(const struct buf *b, const char *s)
{
	struct csv *r;
	struct kerr e = KERR_INIT;
	int formula = s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r';
	CHECK(!buf_failed(b));
	if (formula)
		CHECK(b->len >= 2 && b->ptr[0] == '"' && b->ptr[1] == '\'');
	/* the reader folds CR and CRLF inside a field to LF, and rejects bad UTF-8 */
	if (!*s || strchr(s, '\r') || !utf8_valid(s, strlen(s)))
		return;
	r = csv_open_mem(b->ptr, b->len, "fuzz", ',');
	CHECK(csv_next(r, &e) == 1);
	CHECK(csv_nfields(r) == 1);
	CHECK(strcmp(csv_field(r, 0) + (formula ? 1 : 0), s) == 0);
	if (formula)
		CHECK(csv_field(r, 0)[0] == '\'');
	CHECK(csv_next(r, &e) == 0);
	csv_free(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf b = BUF_INIT;
	char *s = xstrndup((const char *)data, size);   /* stops at the first NUL */
	char *dec;
	size_t half = size / 2;
	int whole;

	/* raw bytes, NULs included */
	esc_html_n(&b, (const char *)data, size);
	check_html(&b);
	buf_reset(&b);

	esc_html(&b, s);
	check_html(&b);
	buf_reset(&b);

	/* paragraphs: the text between the markup the function writes itself is escaped text */
	esc_html_paragraphs(&b, s, "desc");
	CHECK(!buf_failed(&b) && strncmp(b.ptr, "<p class=\"desc\">", 16) == 0 && b.len >= 20 &&
	      strcmp(b.ptr + b.len - 4, "</p>") == 0);
	{
		struct buf t = BUF_INIT;
		const char *p = b.ptr;
		while (*p) {   /* the markup out, what is left must be escaped text */
			if (strncmp(p, "<p class=\"desc\">", 16) == 0)
				p += 16;
			else if (strncmp(p, "</p>", 4) == 0 || strncmp(p, "<br>", 4) == 0)
				p += 4;
			else
				buf_putc(&t, *p++);
		}
		check_html(&t);
		buf_release(&t);
	}
	buf_reset(&b);

	html_printf(&b, "<p title=\"%s\">%s %d%%</p>", s, s, 7);
	CHECK(!buf_failed(&b));
	buf_reset(&b);

	/* for a terminal: no control character but tab, no C1 control (U+0080–U+009F) */
	esc_terminal(&b, s);
	CHECK(!buf_failed(&b));
	{
		size_t i;
		for (i = 0; i < b.len; i++) {
			unsigned char c = (unsigned char)b.ptr[i];
			CHECK((c >= 0x20 && c != 0x7F) || c == '\t');
			CHECK(!(c == 0xC2 && i + 1 < b.len && (unsigned char)b.ptr[i + 1] >= 0x80 &&
				(unsigned char)b.ptr[i + 1] <= 0x9F));
		}
	}
	buf_reset(&b);

	/* a file name for a message: valid UTF-8 without any control character, a fixed point */
	esc_filename(&b, s);
	CHECK(!buf_failed(&b));
	CHECK(utf8_valid(b.ptr, b.len) && text_control(b.ptr) == 0);
	{
		struct buf again = BUF_INIT;
		const char *tail = text_tail(b.ptr, half);
		esc_filename(&again, b.ptr);
		CHECK(again.len == b.len && memcmp(again.ptr, b.ptr, b.len) == 0);
		CHECK(tail >= b.ptr && tail <= b.ptr + b.len && text_columns(tail) <= half);
		CHECK(((unsigned char)*tail & 0xC0) != 0x80);
		buf_release(&again);
	}
	buf_reset(&b);

	{
		char cut[41];
		size_t max = 3 + size % 38, n = strlen(s), k;
		esc_cut(cut, s, max);
		k = strlen(cut);
		CHECK(k <= max);
		CHECK(!utf8_valid(s, n) || utf8_valid(cut, k));
		CHECK(n <= max ? strcmp(cut, s) == 0
			       : k >= 3 && memcmp(cut + k - 3, "\xe2\x80\xa6", 3) == 0 && memcmp(cut, s, k - 3) == 0);
	}

	esc_json(&b, s);
	check_json(&b, s);
	buf_reset(&b);

	esc_url(&b, s);
	check_url(&b, s);
	buf_reset(&b);

	esc_csv(&b, s);
	check_csv(&b, s);
	buf_reset(&b);

	/* decoding arbitrary text never grows it */
	dec = xstrdup(s);
	CHECK(url_decode(dec) <= strlen(s));
	CHECK(strlen(dec) <= strlen(s));
	free(dec);

	/* a valid string is valid in every split at a character boundary */
	whole = utf8_valid((const char *)data, size);
	if (whole && half && ((unsigned char)data[half] & 0xC0) != 0x80)
		CHECK(utf8_valid((const char *)data, half) && utf8_valid((const char *)data + half, size - half));
	if (whole)
		CHECK(memchr(data, 0, size) == NULL);

	buf_release(&b);
	free(s);
	return 0;
}
