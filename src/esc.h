/*
 * esc.h — the one escaping module.  Every byte that goes from data into
 * HTML, an attribute, SVG, JSON, CSV or a URL passes through here; no
 * handler escapes by hand.
 *
 * All functions append to a struct buf (sticky errors, see buf.h) and
 * accept NULL as the empty string.  Input is treated as UTF-8; invalid
 * sequences and control characters other than tab, CR and LF are replaced
 * by U+FFFD in HTML and JSON output so a page can never be broken by them.
 */
#ifndef KLASTER_ESC_H
#define KLASTER_ESC_H

#include "buf.h"

/* Text content and attribute values: & < > " ' are escaped. (Also valid for SVG/XML.) */
void esc_html(struct buf *b, const char *s);
void esc_html_n(struct buf *b, const char *s, size_t n);
/* Plain text as HTML paragraphs <p class="cls">: a blank line (or more) ends a
 * paragraph, a single line break is <br>; everything escaped.  s may be NULL. */
void esc_html_paragraphs(struct buf *b, const char *s, const char *cls);
/* A JSON string literal including the quotes ("" for NULL). */
void esc_json(struct buf *b, const char *s);
/* The same, or null when s is NULL. */
void esc_json_or_null(struct buf *b, const char *s);
/* One CSV field (RFC 4180): quoted when it holds , " CR LF or starts with
 * U+FEFF (else, first in a file, it would read as a byte-order mark) or
 * like a spreadsheet formula (esc_csv_formula: defused with a leading '). */
void esc_csv(struct buf *b, const char *s);
/* 1 when s starts with = + - @ TAB or CR, as a cell a spreadsheet may take for a formula does
 * (OWASP's list); an importer drops the ' that esc_csv put before such a field. */
int esc_csv_formula(const char *s);
/* Percent-encoding for a query-string component (space as %20). */
void esc_url(struct buf *b, const char *s);
/* Text for a terminal: control characters other than tab (ESC, BEL, CR,
 * LF, DEL …) as \xHH and the C1 controls U+0080–U+009F as \u00HH, so that
 * a value quoted in a one-line message can neither move the cursor, retitle
 * the window nor start a line that looks like another message; everything
 * else as is. */
void esc_terminal(struct buf *b, const char *s);
/* A file name (or another name a person typed) as a message or a progress
 * line shows it: control characters as \n, \r, \t, else \xHH (C0, DEL)
 * or \u00HH (the C1 controls U+0080–U+009F), the invisible characters
 * that change what a name shows (U+061C, U+200B–200F, U+2028–202E,
 * U+2066–2069, U+FEFF: direction marks, overrides and isolates, zero
 * widths, line separators) as \uHHHH, and every byte that is not
 * part of valid UTF-8 as \xHH; everything else, letters of any script and
 * the backslash included, as is.  The result is valid UTF-8 without
 * control characters, so escaping it again changes nothing.  The name is
 * for showing only: a file is opened by the name as given. */
void esc_filename(struct buf *b, const char *s);
/* A value a person typed, short enough to quote in a message or a heading:
 * s into out (max + 1 bytes, max >= 3) whole when it has at most max bytes,
 * else cut on a UTF-8 character boundary, at the last blank of the kept
 * part when there is one in its second half, and ended with "…" (whose
 * three bytes count in max).  Returns out.  Cutting is not escaping: the
 * result is escaped where it is shown, as any value is. */
const char *esc_cut(char *out, const char *s, size_t max);

/*
 * html_printf: printf-like builder that escapes by default.
 *   %s  string, HTML-escaped (safe in text and in quoted attributes)
 *   %u  string, URL-component-encoded
 *   %R  string inserted raw — must be visible as a deliberate choice
 *   %d  int, %ld long, %lld long long, %f double ("%.Nf" with precision)
 *   %%  a percent sign
 * Unknown conversions are a bug (abort), caught by the tests.
 */
void html_printf(struct buf *b, const char *fmt, ...);

/* Decodes %XX and '+' in place (query strings); returns the new length. */
size_t url_decode(char *s);
/* 1 if s is valid UTF-8 with no NUL; 0 otherwise. */
int utf8_valid(const char *s, size_t n);
/* The code point of the first control character of UTF-8 text s — C0
 * (tab included), DEL or C1 (U+0080–U+009F) — or 0 when it has none. */
unsigned text_control(const char *s);
/* The same for text of several lines: line breaks (LF) and tabs are allowed. */
unsigned text_control_lines(const char *s);
/* The columns a terminal gives UTF-8 text s (as wcwidth would, roughly):
 * one a character, two for East Asian wide characters and emoji, none for
 * combining marks and zero-width characters; a byte that is not UTF-8 or a
 * control character counts one.  Meant for text without control
 * characters (esc_filename's). */
size_t text_columns(const char *s);
/* The longest end of s that takes at most cols columns (text_columns),
 * starting on a character and not on a combining mark: a pointer into s. */
const char *text_tail(const char *s, size_t cols);

#endif
