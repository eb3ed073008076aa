/*
 * csv.c — streaming RFC 4180 CSV reader.  See csv.h for the contract.
 *
 * Input is read in blocks of CSV_BLOCK bytes (a file) or taken as one block
 * (memory).  csv_next runs a four-state machine over the block; inside a
 * field it scans runs of ordinary bytes with a byte-class table and copies
 * each run with one call, so the per-byte cost is a table lookup.  UTF-8 is
 * validated during the scan.  A multi-byte sequence cut by the end of a
 * block is carried over to the front of the next one; a CR at the end of a
 * block is remembered so that an LF starting the next block joins it.
 */
#include "csv.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "buf.h"

/* Block size for files; may be set smaller at build time to test refills. */
#ifndef CSV_BLOCK
#define CSV_BLOCK 65536
#endif
_Static_assert(CSV_BLOCK >= 4, "CSV_BLOCK must hold a whole UTF-8 sequence");

/* Byte classes. */
enum { C_PLAIN, C_SEP, C_QUOTE, C_CR, C_LF, C_NUL, C_HIGH };

struct csv {
	FILE *f;                    /* NULL for memory input */
	const unsigned char *pre;   /* csv_open_file_after: bytes read before those of f */
	size_t npre;                /* how many of them are still to be read */
	char *name;
	unsigned char cls[256];     /* class of each byte value */

	const unsigned char *blk;   /* the current block */
	unsigned char *own;         /* file input: the block buffer (CSV_BLOCK bytes) */
	size_t blen, bpos;          /* bytes in the block, bytes consumed from it */
	unsigned long long base;    /* input offset of blk[0] */
	int eof;                    /* nothing follows the current block */
	int begun;                  /* the start of the input has been checked */
	int done;                   /* csv_next has returned 0 */
	int after_cr;               /* the block ended with a CR that ended a line */
	long long size;             /* a regular file: where its end was at open (offset), else -1 */

	long line;                  /* line of the byte at bpos */
	unsigned long long line_start;  /* input offset of the first byte of that line */

	struct buf data;            /* the fields of the current record, each NUL-terminated */
	size_t *off;                /* start of each field in data */
	const char **ptrs;          /* csv_fields() */
	size_t nf, alloc, palloc;   /* fields, entries of off, entries of ptrs */
	long rec_line;              /* line where the current record starts */
	long field_line;            /* line where the current field starts */

	struct kerr err;            /* the final error, when kind != KERR_NONE */
	char **col;                 /* csv_set_columns: the columns' names, or NULL */
	size_t ncol;
};

static struct csv *csv_new(const char *name, char sep)
{
	struct csv *r;
	int i;
	if (sep != ',' && sep != ';' && sep != '\t')
		BUG("csv: unsupported separator 0x%02x", (unsigned char)sep);
	r = xcalloc(1, sizeof(*r));
	r->name = xstrdup(name ? name : "input");
	for (i = 0x80; i < 0x100; i++)
		r->cls[i] = C_HIGH;
	r->cls[(unsigned char)sep] = C_SEP;
	r->cls['"'] = C_QUOTE;
	r->cls['\r'] = C_CR;
	r->cls['\n'] = C_LF;
	r->cls[0] = C_NUL;
	r->line = 1;
	r->size = -1;
	buf_init(&r->data, 256);
	kerr_clear(&r->err);
	return r;
}

struct csv *csv_open_file(FILE *f, const char *name, char sep)
{
	struct csv *r;
	if (!f)
		BUG("csv_open_file: no file");
	r = csv_new(name, sep);
	r->f = f;
	r->own = xmalloc(CSV_BLOCK);
	r->blk = r->own;
	{
		struct stat sb;
		long at = ftell(f);
		r->size = fstat(fileno(f), &sb) == 0 && S_ISREG(sb.st_mode) && at >= 0 ? (long long)sb.st_size - at
											  : -1;
	}
	return r;
}

struct csv *csv_open_file_after(FILE *f, const char *head, size_t n, const char *name, char sep)
{
	struct csv *r = csv_open_file(f, name, sep);
	r->pre = (const unsigned char *)head;
	r->npre = head ? n : 0;
	if (r->size >= 0)
		r->size += (long long)r->npre;
	return r;
}

struct csv *csv_open_mem(const char *data, size_t len, const char *name, char sep)
{
	struct csv *r = csv_new(name, sep);
	r->blk = (const unsigned char *)(data ? data : "");
	r->blen = data ? len : 0;
	r->eof = 1;
	return r;
}

void csv_free(struct csv *r)
{
	if (!r)
		return;
	free(r->name);
	free(r->own);
	free(r->off);
	free(r->ptrs);
	buf_release(&r->data);
	csv_set_columns(r, NULL, 0);
	free(r);
}

void csv_set_columns(struct csv *r, const char *const *names, size_t n)
{
	size_t k;
	for (k = 0; k < r->ncol; k++)
		free(r->col[k]);
	free(r->col);
	r->col = n ? xcalloc(n, sizeof(*r->col)) : NULL;
	for (k = 0; k < n; k++)
		r->col[k] = xstrdup(names[k] ? names[k] : "");
	r->ncol = n;
}

/* Records the final error of r, copies it to e and returns -1. */
static int fail(struct csv *r, struct kerr *e, enum kerr_kind kind, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int fail(struct csv *r, struct kerr *e, enum kerr_kind kind, const char *fmt, ...)
{
	va_list ap;
	r->err.kind = kind;
	va_start(ap, fmt);
	vsnprintf(r->err.msg, sizeof(r->err.msg), fmt, ap);
	va_end(ap);
	if (e)
		*e = r->err;
	return -1;
}

/* The 1-based byte column of p (a pointer into the current block). */
static long column(const struct csv *r, const unsigned char *p)
{
	return (long)(r->base + (unsigned long long)(p - r->blk) - r->line_start + 1);
}

/*
 * Makes more input available: moves the unconsumed bytes blk[bpos..blen)
 * (at most a cut UTF-8 sequence) to the front of the block and reads after
 * them.  Returns 1 when new bytes arrived, 0 at the end of the input, -1 on
 * a read error.
 */
static int fill(struct csv *r, struct kerr *e)
{
	size_t keep, got;
	if (r->eof)
		return 0;
	keep = r->blen - r->bpos;
	memmove(r->own, r->own + r->bpos, keep);
	r->base += r->bpos;
	r->bpos = 0;
	got = 0;
	if (r->npre) {
		/* the bytes read before the stream's first, then the stream's to fill the block */
		got = r->npre < CSV_BLOCK - keep ? r->npre : CSV_BLOCK - keep;
		memcpy(r->own + keep, r->pre, got);
		r->pre += got;
		r->npre -= got;
	}
	if (got < CSV_BLOCK - keep)
		got += fread(r->own + keep + got, 1, CSV_BLOCK - keep - got, r->f);
	r->blen = keep + got;
	if (got < CSV_BLOCK - keep) {
		if (ferror(r->f))
			return fail(r, e, KERR_IO, "%s: read error: %s", r->name, strerror(errno));
		r->eof = 1;
		if (r->size >= 0 && r->base + r->blen < (unsigned long long)r->size)
			/* the end came before the end the file had at open: another program cut it, and its
			 * last line read may be cut short (never taken for the data's own) */
			return fail(r, e, KERR_IO, "%s: the file got shorter while it was read (another program is "
				    "writing it): read it again once it is complete", r->name);
	}
	if (r->after_cr && got) {
		/* The LF of a CRLF split between blocks. */
		r->after_cr = 0;
		if (r->own[keep] == '\n') {
			r->bpos = keep + 1;
			r->line_start++;
		}
	}
	return got > 0;
}

/*
 * Checks the very start of the input: skips a UTF-8 byte-order mark and
 * rejects UTF-16 (whose byte-order marks are not UTF-8).
 */
static int begin(struct csv *r, struct kerr *e)
{
	r->begun = 1;
	if (r->f && fill(r, e) < 0)
		return -1;
	if (r->blen >= 2 && ((r->blk[0] == 0xFF && r->blk[1] == 0xFE) ||
			     (r->blk[0] == 0xFE && r->blk[1] == 0xFF)))
		return fail(r, e, KERR_INPUT, "%s:1: the file is in UTF-16 (as Excel's \"Unicode text\"); save it "
			    "as \"CSV UTF-8\", or convert it (iconv -f utf-16 -t utf-8)", r->name);
	/* files that are not text at all, by their first bytes: what they are and how to get the text
	 * (gzip's 0x8B is no UTF-8; a ZIP's or an .xls's header holds NUL bytes, which no text does,
	 * so text that merely begins so is still read as text) */
	if (r->blen >= 2 && r->blk[0] == 0x1F && r->blk[1] == 0x8B)
		return fail(r, e, KERR_INPUT, "%s:1: the file is compressed with gzip (as Eurostat's bulk downloads, "
			    ".tsv.gz, are): decompress it first (gunzip -k FILE), or read it from a pipe (zcat FILE "
			    "| klaster map … -)", r->name);
	if (r->blen >= 4 && memcmp(r->blk, "PK\x03\x04", 4) == 0 && memchr(r->blk, 0, r->blen < 64 ? r->blen : 64))
		return fail(r, e, KERR_INPUT, "%s:1: the file is a ZIP archive or an Excel workbook (.xlsx), not "
			    "text: save the sheet as \"CSV UTF-8\", or unpack the archive", r->name);
	if (r->blen >= 4 && memcmp(r->blk, "\xD0\xCF\x11\xE0", 4) == 0 && memchr(r->blk, 0, r->blen < 64 ? r->blen : 64))
		return fail(r, e, KERR_INPUT, "%s:1: the file is an Excel 97–2003 workbook (.xls), not text: save "
			    "the sheet as \"CSV UTF-8\"", r->name);
	if (r->blen >= 3 && r->blk[0] == 0xEF && r->blk[1] == 0xBB && r->blk[2] == 0xBF) {
		r->bpos = 3;
		r->line_start = 3;
	}
	return 0;
}

/*
 * Consumes the line break at p (CR, LF or CRLF) and returns the position
 * after it.
 */
static const unsigned char *line_break(struct csv *r, const unsigned char *p,
				       const unsigned char *end)
{
	if (*p++ == '\r') {
		if (p < end) {
			if (*p == '\n')
				p++;
		} else {
			r->after_cr = 1;
		}
	}
	r->line++;
	r->line_start = r->base + (unsigned long long)(p - r->blk);
	return p;
}

/*
 * The length of the UTF-8 sequence at p with avail bytes available: 2..4,
 * 0 when it is invalid, or (size_t)-1 when it is valid so far but cut off.
 */
#define UTF8_CUT ((size_t)-1)
static size_t utf8_len(const unsigned char *p, size_t avail)
{
	unsigned c = p[0], lo = 0x80, hi = 0xBF;
	size_t len, i;
	if (c >= 0xC2 && c <= 0xDF) {
		len = 2;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3;
		if (c == 0xE0)
			lo = 0xA0;  /* no overlong forms */
		else if (c == 0xED)
			hi = 0x9F;  /* no surrogates */
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4;
		if (c == 0xF0)
			lo = 0x90;  /* no overlong forms */
		else if (c == 0xF4)
			hi = 0x8F;  /* nothing above U+10FFFF */
	} else {
		return 0;
	}
	for (i = 1; i < len; i++) {
		if (i >= avail)
			return UTF8_CUT;
		if (p[i] < lo || p[i] > hi)
			return 0;
		lo = 0x80;
		hi = 0xBF;
	}
	return len;
}

enum { SCAN_STOP, SCAN_CUT, SCAN_BAD };

/*
 * Scans ordinary bytes from p: plain ASCII, whole valid UTF-8 sequences, and
 * the separator when in_quotes.  Returns where it stopped and sets *why:
 * SCAN_STOP (at end or at a special byte), SCAN_CUT (at a UTF-8 sequence
 * cut by end) or SCAN_BAD (at invalid UTF-8).
 */
static const unsigned char *scan(const unsigned char *cls, const unsigned char *p,
				 const unsigned char *end, int in_quotes, int *why)
{
	unsigned top = in_quotes ? C_SEP : C_PLAIN;
	*why = SCAN_STOP;
	while (p < end) {
		unsigned k = cls[*p];
		if (k <= top) {
			p++;
		} else if (k == C_HIGH) {
			size_t n = utf8_len(p, (size_t)(end - p));
			if (n == 0) {
				*why = SCAN_BAD;
				break;
			}
			if (n == UTF8_CUT) {
				*why = SCAN_CUT;
				break;
			}
			p += n;
		} else {
			break;
		}
	}
	return p;
}

static int start_field(struct csv *r, struct kerr *e)
{
	if (r->nf == CSV_MAX_FIELDS)
		return fail(r, e, KERR_INPUT, "%s:%ld: more than %d fields in one record "
			    "(check the separator and the quotes)", r->name, r->rec_line,
			    CSV_MAX_FIELDS);
	if (r->nf == r->alloc) {
		r->alloc = r->alloc ? 2 * r->alloc : 16;
		r->off = xrealloc(r->off, st_mult(r->alloc, sizeof(*r->off)));
	}
	r->off[r->nf++] = r->data.len;
	r->field_line = r->line;
	return 0;
}

static void end_field(struct csv *r)
{
	buf_putc(&r->data, '\0');
}

/* Appends p[0..n) to the current field, within CSV_FIELD_MAX. */
static int append(struct csv *r, struct kerr *e, const unsigned char *p, size_t n)
{
	if (r->data.len - r->off[r->nf - 1] + n > CSV_FIELD_MAX) {
		const char *col = r->nf - 1 < r->ncol ? r->col[r->nf - 1] : "";
		return fail(r, e, KERR_INPUT, "%s:%ld: field %zu%s%s%s is longer than 1 MiB", r->name, r->field_line,
			    r->nf, *col ? " (column " : "", col, *col ? ")" : "");
	}
	buf_add(&r->data, p, n);
	return 0;
}

/* The 8-bit encoding of Polish text whose byte *p is not valid UTF-8 where it stands: 1250 when it
 * is a Polish letter of Windows-1250 (ą ć ę ł ń ó ś ź ż and capitals: a file saved by Excel on a
 * Polish system), 88592 when one of ISO-8859-2 (Latin-2, older exports), 0 when neither.  The two
 * share ć ę ł ń ó ż; for those the bytes after p up to end (the reader's block, not the whole
 * file) decide by the first letter only one of them has (ą ś ź and capitals; bytes of well-formed
 * UTF-8 sequences are not letters), and 1 — either of the two — when none does. */
static int polish_8bit(const unsigned char *p, const unsigned char *end)
{
	static const unsigned char both[] = { 0xC6, 0xE6, 0xCA, 0xEA, 0xA3, 0xB3, 0xD1, 0xF1, 0xD3, 0xF3, 0xAF, 0xBF },
				   only1250[] = { 0xA5, 0xB9, 0x8C, 0x9C, 0x8F, 0x9F },
				   only88592[] = { 0xA1, 0xB1, 0xA6, 0xB6, 0xAC, 0xBC };
	const unsigned char *q;
	size_t n;
	if (memchr(only1250, *p, sizeof(only1250)))
		return 1250;
	if (memchr(only88592, *p, sizeof(only88592)))
		return 88592;
	if (!memchr(both, *p, sizeof(both)))
		return 0;
	for (q = p + 1; q < end; q++) {
		if (*q < 0x80)
			continue;
		if ((n = utf8_len(q, (size_t)(end - q))) > 0 && n != UTF8_CUT) {
			q += n - 1;
			continue;
		}
		if (memchr(only1250, *q, sizeof(only1250)))
			return 1250;
		if (memchr(only88592, *q, sizeof(only88592)))
			return 88592;
	}
	return 1;
}

/* What the refusal of a Polish letter says of encoding enc (polish_8bit), after "a Polish letter
 * in"; NULL when it is none. */
static const char *polish_advice(int enc)
{
	static const struct {
		int enc;
		const char *advice;
	} advice[] = {
		{ 1250, "Windows-1250, the encoding Excel saves CSV in on Polish systems; save the file as \"CSV UTF-8\", "
			"or convert it (iconv -f cp1250 -t utf-8)" },
		{ 88592, "ISO-8859-2 (Latin-2), the encoding of older Polish exports; save the file as UTF-8, or convert "
			 "it (iconv -f iso-8859-2 -t utf-8)" },
		{ 1, "Windows-1250 (as Excel saves CSV on Polish systems) or in ISO-8859-2 (older exports); save the "
		     "file as UTF-8, or convert it (iconv -f cp1250 -t utf-8 from Excel, iconv -f iso-8859-2 -t utf-8 "
		     "from ISO-8859-2)" },
	};
	size_t k;
	for (k = 0; k < sizeof(advice) / sizeof(advice[0]); k++)
		if (advice[k].enc == enc)
			return advice[k].advice;
	return NULL;
}

int csv_next(struct csv *r, struct kerr *e)
{
	/* Where the reader is within a record: before a field, inside an
	 * unquoted or a quoted field, or just after a quote in a quoted field
	 * (a second quote is data, anything else closes the field). */
	enum { ST_START, ST_UNQUOTED, ST_QUOTED, ST_QUOTE } st = ST_START;
	const unsigned char *p, *q, *end;
	int have = 0, why, got;
	long qline = 0, qcol = 0;

	if (r->err.kind != KERR_NONE) {
		if (e)
			*e = r->err;
		return -1;
	}
	if (r->done)
		return 0;
	if (!r->begun && begin(r, e) < 0)
		return -1;
	buf_reset(&r->data);
	r->nf = 0;

	for (;;) {
		if (r->bpos == r->blen) {
			got = r->f ? fill(r, e) : 0;
			if (got < 0)
				return -1;
			if (!got)
				break;
		}
		p = r->blk + r->bpos;
		end = r->blk + r->blen;
		while (p < end) {
			unsigned c = *p;
			switch (st) {
			case ST_START:  /* before the first byte of a field */
				if (c == '\r' || c == '\n') {
					p = line_break(r, p, end);
					if (have) {  /* an empty last field after a separator */
						if (start_field(r, e) < 0)
							return -1;
						end_field(r);
						goto record;
					}
					continue;  /* an empty line */
				}
				if (!have) {
					have = 1;
					r->rec_line = r->line;
				}
				if (start_field(r, e) < 0)
					return -1;
				if (c == '"') {
					st = ST_QUOTED;
					qline = r->line;
					qcol = column(r, p);
					p++;
				} else if (r->cls[c] == C_SEP) {
					end_field(r);
					p++;
				} else {
					st = ST_UNQUOTED;
				}
				break;

			case ST_UNQUOTED:
			case ST_QUOTED:
				q = scan(r->cls, p, end, st == ST_QUOTED, &why);
				if (q > p && append(r, e, p, (size_t)(q - p)) < 0)
					return -1;
				p = q;
				if (why == SCAN_BAD)
					goto bad_utf8;
				if (why == SCAN_CUT) {
					/* Read on and scan the sequence again. */
					r->bpos = (size_t)(p - r->blk);
					got = r->f ? fill(r, e) : 0;
					if (got < 0)
						return -1;
					p = r->blk + r->bpos;  /* fill may have moved it */
					end = r->blk + r->blen;
					if (!got)
						goto bad_utf8;  /* cut by the end of the input */
					break;
				}
				if (p == end)
					break;
				c = *p;
				switch (r->cls[c]) {
				case C_SEP:  /* only unquoted: scan passes it in quotes */
					end_field(r);
					st = ST_START;
					p++;
					break;
				case C_CR:
				case C_LF:
					if (st == ST_QUOTED) {
						if (append(r, e, (const unsigned char *)"\n", 1) < 0)
							return -1;
						p = line_break(r, p, end);
						break;
					}
					end_field(r);
					p = line_break(r, p, end);
					goto record;
				case C_QUOTE:
					if (st == ST_QUOTED) {
						st = ST_QUOTE;
						p++;
						break;
					}
					return fail(r, e, KERR_INPUT, "%s:%ld: a quote inside an unquoted "
						    "field at position %ld (put the whole field in quotes and "
						    "double the quote)", r->name, r->line, column(r, p));
				default:  /* C_NUL */
					return fail(r, e, KERR_INPUT, "%s:%ld: a NUL byte at position %ld "
						    "(is this a binary or UTF-16 file?)", r->name, r->line,
						    column(r, p));
				}
				break;

			case ST_QUOTE:  /* after a quote inside a quoted field */
				if (c == '"') {
					if (append(r, e, p, 1) < 0)
						return -1;
					st = ST_QUOTED;
					p++;
				} else if (r->cls[c] == C_SEP) {
					end_field(r);
					st = ST_START;
					p++;
				} else if (c == '\r' || c == '\n') {
					end_field(r);
					p = line_break(r, p, end);
					goto record;
				} else if (qline != r->line) {
					/* the mistake is most likely where the field began: name that line */
					return fail(r, e, KERR_INPUT, "%s:%ld: the quoted field at position %ld is "
						    "not closed on its line: it runs on to line %ld, where a quote is "
						    "followed by another character at position %ld (close the quote on "
						    "line %ld, or double a quote meant as text)", r->name, qline, qcol,
						    r->line, column(r, p), qline);
				} else {
					return fail(r, e, KERR_INPUT, "%s:%ld: unexpected character after "
						    "a closing quote at position %ld (a quote inside a quoted "
						    "field must be doubled)", r->name, r->line, column(r, p));
				}
				break;
			}
		}
		r->bpos = (size_t)(p - r->blk);
	}

	/* The end of the input. */
	if (st == ST_QUOTED)
		return fail(r, e, KERR_INPUT, "%s:%ld: unterminated quoted field (the quote at "
			    "position %ld of its line is never closed)", r->name, qline, qcol);
	if (st == ST_START) {
		if (!have) {
			r->done = 1;
			return 0;
		}
		if (start_field(r, e) < 0)  /* an empty last field after a separator */
			return -1;
	}
	end_field(r);
	goto done;

record:
	r->bpos = (size_t)(p - r->blk);
done:
	if (buf_failed(&r->data))
		return fail(r, e, KERR_INTERNAL, "%s:%ld: out of memory", r->name, r->rec_line);
	return 1;

bad_utf8:
	{
		/* the column too, when the reader gave the header's names (csv_set_columns) */
		const char *col = r->nf > 0 && r->nf - 1 < r->ncol ? r->col[r->nf - 1] : "";
		const char *advice = polish_advice(polish_8bit(p, end));
		if (advice)
			return fail(r, e, KERR_INPUT, "%s:%ld: invalid UTF-8 at byte %ld%s%s%s: the byte 0x%02X is a "
				    "Polish letter in %s", r->name, r->line, column(r, p), *col ? " (column " : "", col,
				    *col ? ")" : "", (unsigned char)*p, advice);
		return fail(r, e, KERR_INPUT, "%s:%ld: invalid UTF-8 at byte %ld%s%s%s (save the file as UTF-8)",
			    r->name, r->line, column(r, p), *col ? " (column " : "", col, *col ? ")" : "");
	}
}

size_t csv_nfields(const struct csv *r)
{
	return r->nf;
}

const char *csv_field(const struct csv *r, size_t i)
{
	return i < r->nf ? r->data.ptr + r->off[i] : "";
}

const char *const *csv_fields(struct csv *r)
{
	size_t i;
	if (!r->ptrs || r->palloc < r->nf) {
		r->palloc = r->alloc ? r->alloc : 1;
		r->ptrs = xrealloc(r->ptrs, st_mult(r->palloc, sizeof(*r->ptrs)));
	}
	for (i = 0; i < r->nf; i++)
		r->ptrs[i] = r->data.ptr + r->off[i];
	return r->ptrs;
}

long csv_line(const struct csv *r)
{
	return r->rec_line;
}

void csv_set_size(struct csv *r, unsigned long long size)
{
	if (r->f)
		r->size = (long long)size;
}

unsigned long long csv_bytes(const struct csv *r)
{
	return r->base + r->bpos;
}

int csv_text_valid(const char *p, size_t n)
{
	const unsigned char *s = (const unsigned char *)p, *end = s + n;
	while (s < end) {
		size_t k;
		if (*s < 0x80) {
			if (!*s)
				return 0;
			s++;
			continue;
		}
		k = utf8_len(s, (size_t)(end - s));
		if (k == 0 || k == UTF8_CUT)
			return 0;
		s += k;
	}
	return 1;
}

int csv_header_index(const char *const *names, size_t n, const char *want)
{
	size_t i;
	if (!names || !want)
		return -1;
	for (i = 0; i < n && i < INT_MAX; i++)
		if (names[i] && strcmp(names[i], want) == 0)
			return (int)i;
	return -1;
}
