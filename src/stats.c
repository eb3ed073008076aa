/*
 * stats.c — readers of regional statistics.  See stats.h for the formats.
 *
 * Each format is a row of the formats[] table: a name for the command line
 * and a reader that takes an open CSV stream (struct rd) and adds its rows
 * to a cube builder.  The readers share the header mapping (a table of
 * known columns per format), the number and year parsers and the crosswalk.
 * Messages read "NAME:LINE: column COLUMN: problem".
 *
 * Long files without quotes first go to the fast path (fast_long, below
 * read_ref), which reads them in memory and hands anything it does not
 * read the general way to the general code.
 */
#include "stats.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "csv.h"
#include "esc.h"
#include "fold.h"
#include "outfile.h"
#include "progress.h"
#include "strset.h"

/* Files at least this big get a progress line (when it goes to a terminal). */
/* How much of a file stats_detect_format and the separator guess look at. */
#define PEEK_BYTES 65536

/* ---- small helpers ---------------------------------------------------------- */

static int is_blank(int c)
{
	return c == ' ' || c == '\t';
}

/*
 * s without leading and trailing blanks: s itself when it has none, else a
 * copy in b.  Valid while s and b are.
 */
static const char *trim_into(struct buf *b, const char *s)
{
	size_t n = strlen(s);
	if (!n || (!is_blank((unsigned char)s[0]) && !is_blank((unsigned char)s[n - 1])))
		return s;
	while (is_blank((unsigned char)*s))
		s++;
	n = strlen(s);
	while (n && is_blank((unsigned char)s[n - 1]))
		n--;
	buf_reset(b);
	buf_add(b, s, n);
	return b->ptr;
}

/* A thousands separator at p: a space, U+00A0 or U+202F; its length or 0. */
static size_t group_sep(const char *p)
{
	if (*p == ' ')
		return 1;
	if ((unsigned char)p[0] == 0xC2 && (unsigned char)p[1] == 0xA0)
		return 2;
	if ((unsigned char)p[0] == 0xE2 && (unsigned char)p[1] == 0x80 && (unsigned char)p[2] == 0xAF)
		return 3;
	return 0;
}

/* NUM_LONG: a number but for its length (more than NUM_DIGITS digits before or after the point). */
enum { NUM_OK = STATS_NUM_OK, NUM_MISSING = STATS_NUM_MISSING, NUM_BAD = STATS_NUM_BAD, NUM_LONG = STATS_NUM_LONG };
#define NUM_DIGITS STATS_NUM_DIGITS

static int parse_number(const char *s, int dec_comma, double *out);

int stats_parse_number(const char *s, int dec_comma, double *out)
{
	return parse_number(s, dec_comma, out);
}

/*
 * Parses a trimmed number: digits with optional thousands separators in
 * groups of three, then an optional decimal point ('.', or ',' when
 * dec_comma) and digits.  "" and ":" are NUM_MISSING.  A number with more
 * than NUM_DIGITS digits before the point, or after it, is NUM_LONG (*out
 * NAN); number_digits says how many it has.
 */
static int parse_number(const char *s, int dec_comma, double *out)
{
	char clean[2 * NUM_DIGITS + 3];
	size_t n = 0, whole = 0, frac = 0;
	size_t len;
	int group = 0, seps = 0;
	const char *p = s;

	*out = NAN;
	if (!*s || (s[0] == ':' && !s[1]))
		return NUM_MISSING;
	if (*p == '-' || *p == '+')
		clean[n++] = *p++;
	for (;;) {
		if (*p >= '0' && *p <= '9') {
			if (++whole <= NUM_DIGITS)
				clean[n++] = *p;
			p++;
			group++;
		} else if ((len = group_sep(p)) != 0 && group > 0 && p[len] >= '0' && p[len] <= '9') {
			if (seps ? group != 3 : group > 3)
				return NUM_BAD;
			seps++;
			group = 0;
			p += len;
		} else {
			break;
		}
	}
	if (group == 0 || (seps && group != 3))
		return NUM_BAD;
	if (*p == '.' || (dec_comma && *p == ',')) {
		p++;
		clean[n++] = '.';
		if (!(*p >= '0' && *p <= '9'))
			return NUM_BAD;
		while (*p >= '0' && *p <= '9') {
			if (++frac <= NUM_DIGITS)
				clean[n++] = *p;
			p++;
		}
	}
	if (*p)
		return NUM_BAD;
	if (whole > NUM_DIGITS || frac > NUM_DIGITS)
		return NUM_LONG;
	clean[n] = '\0';
	if (n <= 15 && !memchr(clean, '.', n)) {
		/* a whole number below 10^15: exact without strtod */
		size_t k = clean[0] == '-' || clean[0] == '+';
		double v = 0;
		for (; k < n; k++)
			v = v * 10 + (clean[k] - '0');
		*out = clean[0] == '-' && v != 0 ? -v : v;
		return NUM_OK;
	}
	*out = strtod(clean, NULL);
	if (*out == 0)
		*out = 0; /* "-0", "-0,0": zero, never the -0 that prints as "-0" */
	return NUM_OK;
}

/* The digits of s (a number parse_number found NUM_LONG). */
static size_t number_digits(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += *s >= '0' && *s <= '9';
	return n;
}

/* The most bytes of a number too long that its message quotes: one of thousands of digits would
 * fill the message before it says what is wrong. */
#define NUM_QUOTE 120

static int number_too_long(const char *name, long line, const char *col, const char *s, const char *what,
			   struct kerr *e)
{
	return stats_number_too_long(name, line, col, s, what, NUM_QUOTE, e);
}

int stats_number_too_long(const char *name, long line, const char *col, const char *s, const char *what,
			  size_t quote, struct kerr *e)
{
	size_t n = strlen(s), cut = n;
	if (n > quote)
		for (cut = quote; cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80; cut--)
			;
	return kerr_set(e, KERR_INPUT, "%s:%ld: column %s: \"%.*s%s\" has %zu digits: too long for %s (at most %d "
			"digits are read before the decimal mark and %d after it); is it the right column?",
			name, line, col, (int)cut, s, cut < n ? "…" : "", number_digits(s), what, NUM_DIGITS,
			NUM_DIGITS);
}

int stats_dot_thousands_error(const char *name, long line, const char *col, const char *s, const char *v,
			      struct kerr *e)
{
	int w = (int)(strchr(v, '.') - v);
	const char *d = v + w + 1;
	return kerr_set(e, KERR_INPUT, "%s:%ld: column %s: \"%s\" is not a number here: in a file separated "
			"by semicolons, where the decimal mark is a comma, a dot may separate thousands "
			"(%.*s%.3s) or mark decimals (%.*s.%.3s); write %.*s%.3s or %.*s,%.3s", name, line, col, s,
			w, v, d, w, v, d, w, v, d, w, v, d);
}

int stats_decimal_comma_error(const char *name, long line, const char *col, const char *s, const char *v,
			      int thousands, struct kerr *e)
{
	const char *comma = strchr(v, ',');
	int whole = (int)(comma - v);
	if (thousands && strlen(comma + 1) == 3)   /* 1,234: thousands in English, decimals in Polish */
		return kerr_set(e, KERR_INPUT, "%s:%ld: column %s: \"%s\" is not a number here: a comma may "
				"separate thousands (%.*s%s) or mark decimals (%.*s.%s); write one of them",
				name, line, col, s, whole, v, comma + 1, whole, v, comma + 1);
	return kerr_set(e, KERR_INPUT, "%s:%ld: column %s: \"%s\" is not a number here: the decimal comma is "
			"read in files separated by semicolons (as Statistics Poland writes them); in this file "
			"write a point (%.*s.%s)", name, line, col, s, whole, v, comma + 1);
}

/* A whole year 1..9999 from a trimmed string. */
static int parse_year(const char *s, int *year)
{
	int y = 0, n = 0;
	for (; *s >= '0' && *s <= '9'; s++, n++) {
		if (n == 4)
			return -1;
		y = y * 10 + (*s - '0');
	}
	if (*s || n == 0 || y < 1)
		return -1;
	*year = y;
	return 0;
}

/* 1, 0, or -1 for "" (not given); -2 when not a truth value. */
static int parse_traded(const char *s)
{
	/* "traded" / "local": the U.S. Cluster Mapping Project's own words */
	static const char *const yes[] = { "1", "true", "yes", "tak", "traded" };
	static const char *const no[] = { "0", "false", "no", "nie", "local" };
	size_t k;
	if (!*s)
		return -1;
	for (k = 0; k < sizeof(yes) / sizeof(yes[0]); k++) {
		if (strcasecmp(s, yes[k]) == 0)
			return 1;
		if (strcasecmp(s, no[k]) == 0)
			return 0;
	}
	return -2;
}

/* ---- input ---------------------------------------------------------------- */

/* One input being read: a file or a memory block. */
struct rd {
	const char *name;      /* the input in messages (escaped: esc_filename) */
	struct buf shown;      /* the path escaped, when rd_open was given no name */
	FILE *f;
	const char *data;
	size_t len;
	char *peek;            /* the start of the input (file: first PEEK_BYTES) */
	size_t npeek;
	char sep;
	struct csv *csv;
	struct progress pg;
	long rows;
	struct buf src;        /* "NAME:LINE" of the current row */
	size_t src_prefix;     /* the length of "NAME:" */
	struct buf t[7];       /* trimmed fields; t[6] is a value without its flags */
	int ncols;             /* fields in the header */
	long line;             /* the line where the current row starts */
	const char *const *fv; /* the current row's fields when the fast path split it, else NULL */
	void *map;             /* the file mapped by the fast path (nmap bytes), or NULL */
	size_t nmap;
	int map_slot;          /* its slot among the guarded mappings (map_guard), or -1 */
	char *own;             /* a stream read whole (slurp): data points here, or NULL */
	char **hdr;            /* the header's fields as the file spells them (trimmed), nhdr of
				  them, for messages (rd_keep_header); NULL before the header */
	size_t nhdr;
};

/*
 * Reads f (a pipe, a terminal: a stream that cannot be read twice or
 * mapped) into *out (malloc'ed, NUL-terminated), *len bytes: all of it when
 * it has at most max bytes (*more 0), else its first max + 1 bytes (*more 1).
 */
static int pipe_head(FILE *f, const char *name, size_t max, char **out, size_t *len, int *more,
		     struct kerr *e)
{
	struct buf b = BUF_INIT;
	size_t got = 1;
	while (b.len <= max && got) {
		size_t want = max + 1 - b.len < ((size_t)1 << 16) ? max + 1 - b.len : (size_t)1 << 16;
		if (buf_grow(&b, want)) {
			buf_release(&b);
			return kerr_set(e, KERR_IO, "cannot read %s: %s", name, strerror(ENOMEM));
		}
		got = fread(b.ptr + b.len, 1, want, f);
		b.len += got;
		b.ptr[b.len] = '\0';
	}
	if (ferror(f)) {
		int err = errno;
		buf_release(&b);
		return kerr_set(e, KERR_IO, "cannot read %s: %s", name, strerror(err));
	}
	*more = b.len > max;
	*out = buf_detach(&b, len);   /* grown at least once: never NULL */
	return 0;
}

/* r reads the stream f after its first bytes head[0..len) (malloc'ed; r takes both): the start
 * peeked at is theirs, and the size is not known (no progress line). */
static void rd_stream(struct rd *r, FILE *f, char *head, size_t len)
{
	r->f = f;
	r->own = head;
	r->len = len;
	r->data = NULL;
	r->npeek = len < PEEK_BYTES ? len : PEEK_BYTES;
	r->peek = xmalloc(PEEK_BYTES);
	memcpy(r->peek, head, r->npeek);
	r->pg.size = 0;
}

/*
 * A pipe longer than the bytes read whole is copied on into an unlinked
 * temporary file (spill) and read from there as a regular file: mapped, by
 * the fast path in two threads, and read again when it gives up, as a file
 * is — at the cost of writing it once, with no more memory than its first
 * bytes while copying.  When no such file can be made, or the disk fills
 * while copying, the pipe is read on as it comes (the general reader) from
 * where the copy stopped: through a stream (fopencookie) that gives the
 * copied bytes after the first ones, then those not yet written, then the
 * rest of the pipe.
 */
#define SPILL_CHUNK ((size_t)1 << 20)

struct spill_rest {
	int fd;          /* the copy: bytes [off, end) still to give, then */
	off_t off, end;
	char *chunk;     /* the bytes read from the pipe but not written, then */
	size_t nchunk, at;
	FILE *pipe;      /* the rest of the pipe */
};

static ssize_t spill_rest_read(void *cookie, char *out, size_t n)
{
	struct spill_rest *s = cookie;
	size_t got;
	if (s->off < s->end) {
		ssize_t k = pread(s->fd, out, (size_t)(s->end - s->off) < n ? (size_t)(s->end - s->off) : n, s->off);
		if (k <= 0)
			return -1;   /* the copy was shortened under us: an error, not an early end */
		s->off += k;
		return k;
	}
	if (s->at < s->nchunk) {
		got = s->nchunk - s->at < n ? s->nchunk - s->at : n;
		memcpy(out, s->chunk + s->at, got);
		s->at += got;
		return (ssize_t)got;
	}
	got = fread(out, 1, n, s->pipe);
	return got || !ferror(s->pipe) ? (ssize_t)got : -1;
}

static int spill_rest_close(void *cookie)
{
	struct spill_rest *s = cookie;
	int rc = fclose(s->pipe);
	close(s->fd);
	free(s->chunk);
	free(s);
	return rc;
}

/* A file with no name for a spill in $TMPDIR (an absolute path), else /tmp; -1 when none can be
 * made.  O_TMPFILE makes it without a name, so that nothing is left behind whenever the process
 * ends; only where the file system cannot do that is it made with a name, removed at once. */
static int spill_file(void)
{
	const char *base = getenv("TMPDIR");
	struct buf path = BUF_INIT;
	int fd;
	if (!base || base[0] != '/')
		base = "/tmp";
#ifdef O_TMPFILE
	fd = open(base, O_TMPFILE | O_RDWR | O_EXCL | O_CLOEXEC, 0600);
	if (fd >= 0 || (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL))
		return fd;   /* made, or the directory is not there or not writable: mkstemp fails too */
#endif
	buf_printf(&path, "%s/klaster-pipe.XXXXXX", base);
	fd = mkstemp(path.ptr);
	if (fd >= 0)
		unlink(path.ptr);
	buf_release(&path);
	return fd;
}

/* The most bytes a file of this process may hold (`ulimit -f`, RLIMIT_FSIZE): a write past it
 * raises SIGXFSZ, which ends the process unless it is caught; -1 when there is no limit. */
static off_t file_limit(void)
{
	struct rlimit lim;
	if (getrlimit(RLIMIT_FSIZE, &lim) != 0 || lim.rlim_cur == RLIM_INFINITY ||
	    lim.rlim_cur > (rlim_t)INT64_MAX)
		return -1;
	return (off_t)lim.rlim_cur;
}

/* Writes p[0..n) to fd: 0, or -1 (the disk is full, the file too big for it …). */
static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t k = write(fd, p, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

/*
 * f (a pipe, shown as name) has given head[0..len) and has more.  Returns 0
 * with *out a regular file (unlinked, at its start) holding all of the
 * input, f closed; 1 with *out the stream to read after head (f itself, or
 * f behind the bytes copied when the copy ran out of room), head still
 * needed; -1 when f cannot be read (e set; f closed, *out NULL).
 */
static int spill(FILE *f, const char *head, size_t len, const char *name, FILE *progress, size_t most,
		 FILE **out, struct kerr *e)
{
	static const cookie_io_functions_t rest_io = { spill_rest_read, NULL, NULL, spill_rest_close };
	struct spill_rest *s;
	struct progress pg;
	int fd = spill_file(), err;
	off_t copied = (off_t)len, limit = file_limit();
	char *chunk;
	size_t got;

	*out = f;
	if (fd < 0)
		return 1;
	{
		/* at most most bytes and half the room left on the disk: a stream that goes on without
		 * end (a header the fast path reads, then rows for ever) does not fill it */
		struct statvfs vs;
		unsigned long long room = most;
		if (fstatvfs(fd, &vs) == 0 && (unsigned long long)vs.f_bavail * vs.f_frsize / 2 < room)
			room = (unsigned long long)vs.f_bavail * vs.f_frsize / 2;
		if (room <= (unsigned long long)INT64_MAX && (limit < 0 || (off_t)room < limit))
			limit = (off_t)room;
	}
	if ((limit >= 0 && (off_t)len > limit) || write_all(fd, head, len)) {
		close(fd);
		return 1;   /* nothing of the pipe beyond head read yet */
	}
	/* the copy's own progress line (on a terminal): its size is not known, the MiB so far are */
	memset(&pg, 0, sizeof(pg));
	pg.out = progress;
	pg.name = name;
	pg.unit = "MiB copied to a temporary file";
	pg.on = progress_want(progress, len, 0);
	chunk = xmalloc(SPILL_CHUNK);
	while ((got = fread(chunk, 1, SPILL_CHUNK, f)) > 0) {
		if ((limit >= 0 && (off_t)got > limit - copied) || write_all(fd, chunk, got))
			goto rest;   /* no room, or the copy would pass its limit: as on a full disk */
		copied += (off_t)got;
		progress_show(&pg, 0, (long)(copied >> 20), 0);
	}
	free(chunk);
	if (ferror(f) || lseek(fd, 0, SEEK_SET) != 0 || !(*out = fdopen(fd, "rb"))) {
		err = errno;
		progress_break(&pg);
		close(fd);
		fclose(f);
		*out = NULL;
		return kerr_set(e, KERR_IO, "cannot read %s: %s", name, strerror(err ? err : EIO));
	}
	progress_show(&pg, 0, (long)(copied >> 20), 1);
	fclose(f);
	return 0;
rest:
	progress_break(&pg);
	/* the bytes copied after head, then the chunk (all of it: part may be in the file), then f */
	s = xcalloc(1, sizeof(*s));
	s->fd = fd;
	s->off = (off_t)len;
	s->end = copied;
	s->chunk = chunk;
	s->nchunk = got;
	s->pipe = f;
	if (!(*out = fopencookie(s, "r", rest_io))) {
		err = errno;
		spill_rest_close(s);
		return kerr_set(e, KERR_IO, "cannot read %s: %s", name, strerror(err));
	}
	return 1;
}

/* r reads the regular file r->f (at its start): its size for the progress line, its start peeked at. */
static int rd_regular(struct rd *r, struct kerr *e)
{
	struct stat sb;
	if (fstat(fileno(r->f), &sb) != 0)
		return kerr_set(e, KERR_IO, "cannot read %s: %s", r->name, strerror(errno));
	r->pg.size = (unsigned long long)sb.st_size;   /* also the end the reader expects */
	r->peek = xmalloc(PEEK_BYTES);
	r->npeek = fread(r->peek, 1, PEEK_BYTES, r->f);
	if (ferror(r->f) || fseek(r->f, 0, SEEK_SET) != 0)
		return kerr_set(e, KERR_IO, "cannot read %s: %s", r->name, strerror(errno));
	return 0;
}

/* r reads a long pipe after its first bytes (rd_stream): copied on into a file (spill) and read
 * from there as a file is, else read on as it comes after what was copied.  0, or -1 (e set). */
static int rd_spill(struct rd *r, FILE *progress, size_t most, struct kerr *e)
{
	FILE *rest;
	int sp = spill(r->f, r->own, r->len, r->name, progress, most ? most : STATS_SPILL_MAX, &rest, e);
	r->f = rest;
	if (sp)
		return sp > 0 ? 0 : -1;   /* r reads on after own, from rest; or r->f is NULL */
	free(r->own);
	r->own = NULL;
	r->len = 0;
	free(r->peek);
	r->peek = NULL;
	return rd_regular(r, e);
}

/* Opens path (or data[0..len) when path is NULL) for reading, shown as name (or path escaped);
 * a stream of at most whole bytes (0: STATS_PIPE_WHOLE) is read whole. */
static int rd_open(struct rd *r, const char *path, const char *data, size_t len, const char *name,
		   size_t whole, struct kerr *e)
{
	size_t k;
	memset(r, 0, sizeof(*r));
	r->map_slot = -1;
	buf_init(&r->src, 64);
	for (k = 0; k < sizeof(r->t) / sizeof(r->t[0]); k++)
		buf_init(&r->t[k], 32);
	buf_init(&r->shown, 0);
	if (!name && path)   /* a file name may hold control characters: shown escaped */
		esc_filename(&r->shown, path);
	r->name = name ? name : path ? r->shown.ptr : "input";
	if (path) {
		struct stat sb;
		r->f = fopen(path, "rb");
		if (!r->f)
			return kerr_set(e, KERR_IO, "cannot open %s: %s", r->name, strerror(errno));
		outfile_input(fileno(r->f), r->name);
		if (fstat(fileno(r->f), &sb) != 0)
			return kerr_set(e, KERR_IO, "cannot read %s: %s", r->name, strerror(errno));
		if (!S_ISREG(sb.st_mode)) {
			/* a pipe cannot be peeked at and read again: up to whole bytes are read whole,
			 * then as a block; beyond that the bytes read come first and the rest as it
			 * comes (read_data copies the data file on into a file when the fast path
			 * would read it: rd_spill) */
			int more = 0;
			if (pipe_head(r->f, r->name, whole ? whole : STATS_PIPE_WHOLE, &r->own, &r->len, &more, e))
				return -1;
			if (more) {
				rd_stream(r, r->f, r->own, r->len);
				return 0;
			}
			fclose(r->f);
			r->f = NULL;
			r->data = r->own;
			r->pg.size = r->len;
			return 0;
		}
		return rd_regular(r, e);
	} else {
		r->data = data ? data : "";
		r->len = data ? len : 0;
		r->pg.size = r->len;
	}
	return 0;
}

/* The start of the input and its length: up to PEEK_BYTES (after a BOM) whether it is a file,
 * a pipe or a block, so that the layout and the separator are guessed from the same bytes. */
static const char *rd_head(const struct rd *r, size_t *n)
{
	const char *p = r->f ? r->peek : r->data;
	*n = r->f ? r->npeek : r->len;
	if (*n > PEEK_BYTES)
		*n = PEEK_BYTES;
	if (*n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) {
		p += 3;
		*n -= 3;
	}
	return p;
}

/* The separator occurring most in the first line (outside quotes); ',' on a tie. */
static char guess_sep(const char *p, size_t n)
{
	size_t k, comma = 0, semi = 0, tab = 0;
	int q = 0;
	for (k = 0; k < n && (q || (p[k] != '\n' && p[k] != '\r')); k++) {
		if (p[k] == '"')
			q = !q;
		else if (!q && p[k] == ',')
			comma++;
		else if (!q && p[k] == ';')
			semi++;
		else if (!q && p[k] == '\t')
			tab++;
	}
	if (semi > comma && semi >= tab)
		return ';';
	if (tab > comma && tab > semi)
		return '\t';
	return ',';
}

/* Sets up the progress line (shown when progress is a terminal and the input big: a stream read
 * after its first bytes, longer than those, is; its size is not known, its rows so far are shown). */
static void rd_progress(struct rd *r, FILE *progress)
{
	r->pg.out = progress;
	r->pg.name = r->name;
	r->pg.on = progress_want(progress, r->f && r->own ? PROGRESS_MIN_BYTES : r->pg.size, PROGRESS_MIN_BYTES);
}

static void rd_start(struct rd *r, char sep, FILE *progress)
{
	r->sep = sep;
	r->csv = r->f && r->own ? csv_open_file_after(r->f, r->own, r->len, r->name, sep)   /* a long stream */
		 : r->f	      ? csv_open_file(r->f, r->name, sep)
			      : csv_open_mem(r->data, r->len, r->name, sep);
	if (r->f && !r->own)   /* the size at rd_open: a cut since (while the fast path had the file) is told too */
		csv_set_size(r->csv, r->pg.size);
	rd_progress(r, progress);
	buf_reset(&r->src);
	buf_printf(&r->src, "%s:", r->name);
	r->src_prefix = r->src.len;
}

/* Sets r->src to "NAME:LINE" (without printf: it runs for every row). */
static void set_src(struct rd *r, long line)
{
	char d[24];
	size_t n = 0;
	unsigned long v = line > 0 ? (unsigned long)line : 0;
	do {
		d[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v && n < sizeof(d));
	char rev[24];
	size_t k;
	for (k = 0; k < n; k++)
		rev[k] = d[n - 1 - k];
	buf_truncate(&r->src, r->src_prefix);
	buf_add(&r->src, rev, n);
}

/*
 * A mapped file that another program shortens while it is read makes the
 * read of a page past its new end raise SIGBUS, which would end the
 * process.  The mappings of the fast path are noted in a few slots; the
 * handler puts zero-filled pages in place of the rest of such a mapping
 * (from the page that failed) and marks the slot, so the read goes on over
 * zeros and map_unguard then says the file changed.  A fault anywhere else
 * gets the action it had before.  Slots are taken and left with atomics:
 * the handler may run in any thread.
 */
#define MAP_SLOTS 8
static struct map_slot {
	atomic_int taken;         /* the slot belongs to a mapping (set first, cleared last) */
	atomic_uintptr_t start;   /* the mapping, once len is set; 0: none */
	size_t len;
	atomic_int hit;
} map_slots[MAP_SLOTS];
static struct sigaction map_old_bus;
static pthread_once_t map_once = PTHREAD_ONCE_INIT;
static long map_page;   /* read once by map_install: sysconf is not safe in a handler */

static void map_on_bus(int sig, siginfo_t *si, void *uc)
{
	uintptr_t a = (uintptr_t)si->si_addr;
	long pg = map_page;
	int k;
	/* a fault of the kernel's (si_code > 0), not a SIGBUS someone sent with kill */
	for (k = 0; k < MAP_SLOTS && si->si_code > 0; k++) {
		uintptr_t s = atomic_load(&map_slots[k].start);
		if (s && a >= s && a < s + map_slots[k].len && pg > 0) {
			uintptr_t at = a & ~((uintptr_t)pg - 1);
			if (mmap((void *)at, s + map_slots[k].len - at, PROT_READ,
				 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != MAP_FAILED) {
				atomic_store(&map_slots[k].hit, 1);
				return;   /* the read is done again, over zeros */
			}
		}
	}
	/* not a mapping of ours: as before.  A fault happens again on return and gets the old
	 * action then; a signal sent is raised again (delivered on return, SIGBUS being blocked
	 * while its handler runs) */
	sigaction(SIGBUS, &map_old_bus, NULL);
	if (!(map_old_bus.sa_flags & SA_SIGINFO) && map_old_bus.sa_handler != SIG_DFL &&
	    map_old_bus.sa_handler != SIG_IGN)
		map_old_bus.sa_handler(sig);
	else if ((map_old_bus.sa_flags & SA_SIGINFO) && map_old_bus.sa_sigaction)
		map_old_bus.sa_sigaction(sig, si, uc);
	else if (si->si_code <= 0 && map_old_bus.sa_handler == SIG_DFL)
		raise(sig);
}

static void map_install(void)
{
	struct sigaction sa;
	map_page = sysconf(_SC_PAGESIZE);
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = map_on_bus;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, &map_old_bus);
}

/* The slot guarding m (len bytes), or -1 when all are taken (the mapping is then unguarded). */
static int map_guard(void *m, size_t len)
{
	int k;
	pthread_once(&map_once, map_install);
	for (k = 0; k < MAP_SLOTS; k++)
		if (!atomic_exchange(&map_slots[k].taken, 1)) {
			map_slots[k].len = len;
			atomic_store(&map_slots[k].hit, 0);
			atomic_store(&map_slots[k].start, (uintptr_t)m);   /* seen by the handler from now */
			return k;
		}
	return -1;
}

/* 1 when r's mapping lost pages to a shorter file (map_on_bus). */
static int map_shortened(const struct rd *r)
{
	return r->map_slot >= 0 && atomic_load(&map_slots[r->map_slot].hit);
}

/* Leaves r's mapping's slot; 1 when the file was shortened while mapped. */
static int map_unguard(struct rd *r)
{
	int hit = 0;
	if (r->map_slot >= 0) {
		atomic_store(&map_slots[r->map_slot].start, (uintptr_t)0);
		hit = atomic_load(&map_slots[r->map_slot].hit);
		atomic_store(&map_slots[r->map_slot].taken, 0);
		r->map_slot = -1;
	}
	return hit;
}

/* -1 with the message of a file r reads that another program shortened (KERR_IO). */
static int rd_shortened(const struct rd *r, struct kerr *e)
{
	return kerr_set(e, KERR_IO, "%s: the file got shorter while it was read (another program is "
			"writing it): read it again once it is complete", r->name);
}

/* Unmaps the fast path's mapping of r; -1 (KERR_IO in e, when given) when the file was
 * shortened while it was read. */
static int rd_unmap(struct rd *r, struct kerr *e)
{
	int hit;
	if (!r->map)
		return 0;
	hit = map_unguard(r);
	munmap(r->map, r->nmap);
	r->map = NULL;
	if (hit && e)
		return rd_shortened(r, e);
	return hit ? -1 : 0;
}

static void rd_close(struct rd *r)
{
	size_t k;
	csv_free(r->csv);
	rd_unmap(r, NULL);
	if (r->f)
		fclose(r->f);
	free(r->peek);
	free(r->own);
	buf_release(&r->src);
	buf_release(&r->shown);
	for (k = 0; k < sizeof(r->t) / sizeof(r->t[0]); k++)
		buf_release(&r->t[k]);
	for (k = 0; k < r->nhdr; k++)
		free(r->hdr[k]);
	free(r->hdr);
	memset(r, 0, sizeof(*r));
}

/* Keeps the current row, the header, as the file spells it (r->hdr): messages name a column so,
 * for the person who has to find it in the file. */
static void rd_keep_header(struct rd *r)
{
	size_t k, n = csv_nfields(r->csv);
	for (k = 0; k < r->nhdr; k++)
		free(r->hdr[k]);
	free(r->hdr);
	r->hdr = xcalloc(n + 1, sizeof(*r->hdr));
	for (k = 0; k < n; k++) {
		struct buf t = BUF_INIT;
		r->hdr[k] = xstrdup(trim_into(&t, csv_field(r->csv, k)));
		buf_release(&t);
	}
	r->nhdr = n;
	csv_set_columns(r->csv, (const char *const *)r->hdr, n);   /* a field too long is named by its column */
}

/* Field f's column as the file's header spells it, or NULL when not known. */
static const char *rd_column(const struct rd *r, size_t f)
{
	return f < r->nhdr && *r->hdr[f] ? r->hdr[f] : NULL;
}

/* Reads the next row: 1, 0 at the end, -1 on an error; checks the field count. */
static int rd_next(struct rd *r, struct kerr *e)
{
	int got = csv_next(r->csv, e);
	if (got <= 0) {
		if (got == 0)
			progress_show(&r->pg, r->pg.size, r->rows, 1);
		else
			progress_break(&r->pg);
		return got;
	}
	if (r->ncols && csv_nfields(r->csv) != (size_t)r->ncols) {
		progress_break(&r->pg);
		return kerr_set(e, KERR_INPUT, "%s:%ld: the row has %zu field%s, the header has %d",
				r->name, csv_line(r->csv), csv_nfields(r->csv), csv_nfields(r->csv) == 1 ? "" : "s",
				r->ncols);
	}
	if (r->ncols) {
		r->rows++;
		if ((r->rows & 4095) == 0)
			progress_show(&r->pg, csv_bytes(r->csv), r->rows, 0);
	}
	r->line = csv_line(r->csv);
	set_src(r, r->line);
	return 1;
}

static long rd_line(const struct rd *r)
{
	return r->line;
}

/* Field i of the current row, untrimmed. */
static const char *rd_field(const struct rd *r, size_t i)
{
	return r->fv ? r->fv[i] : csv_field(r->csv, i);
}

/* ---- headers ----------------------------------------------------------------- */

struct column {
	const char *name;
	int required;
};

/* Another name of a column, as other publishers' files call it. */
struct alias {
	const char *name;
	const char *column;
};

/* The long format's aliases: Eurostat (geo, nace_r2) and Statistics Poland (pkd). */
static const struct alias long_aliases[] = {
	{ "geo", "region" },
	{ "nuts", "region" },
	{ "nace_r2", "industry" },
	{ "pkd", "industry" },
	{ "TIME_PERIOD", "year" },     /* SDMX-CSV, as Eurostat's data browser downloads it */
	{ "OBS_VALUE", "employment" },
};

/*
 * The descriptive columns of SDMX-CSV (Eurostat's downloads: "DATAFLOW,
 * LAST UPDATE,freq,nace_r2,indic_sb,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG",
 * and the STRUCTURE… and CONF_STATUS columns of SDMX-CSV 2.0), skipped in
 * a header that has OBS_VALUE.  A file with several indicators or units
 * has their rows under the same region, industry and year: a repeated
 * cell, as for any file, unless one of them is filtered out first.
 */
static const char *const sdmx_skip[] = {
	"DATAFLOW", "LAST UPDATE", "STRUCTURE", "STRUCTURE_ID", "STRUCTURE_NAME", "ACTION", "freq", "unit",
	"indic_sb", "indic_sbs", "size_emp", "OBS_FLAG", "CONF_STATUS", NULL
};

/*
 * Of the skipped columns, those that say what the value is (the indicator,
 * its unit, the frequency, a size class; the country of a reference): each
 * must hold one value in the whole file, or the file mixes what OBS_VALUE
 * counts (employment with the number of enterprises, say) and --sum would
 * add them up.  The first row's values are kept and every row compared.
 */
static const char *const sdmx_dim_names[] = { "freq", "unit", "indic_sb", "indic_sbs", "size_emp", "geo", NULL };
#define SDMX_DIMS_MAX 8
struct sdmx_dims {
	size_t n;
	int field[SDMX_DIMS_MAX];
	const char *name[SDMX_DIMS_MAX];   /* as in sdmx_dim_names */
	char *first[SDMX_DIMS_MAX];        /* the first row's values */
	long line;                         /* the first row's line */
};

static void sdmx_dims_release(struct sdmx_dims *d)
{
	size_t k;
	for (k = 0; k < d->n; k++)
		free(d->first[k]);
	memset(d, 0, sizeof(*d));
}

/* A value column of the wide layout: one year of employment per row. */
struct ycol {
	int field;
	int year;
	char *name;  /* as in the header */
};

struct ycols {
	struct ycol *v;
	size_t n;
};

static void ycols_release(struct ycols *w)
{
	size_t k;
	for (k = 0; k < w->n; k++)
		free(w->v[k].name);
	free(w->v);
	w->v = NULL;
	w->n = 0;
}

/* A wide column name: four digits of a year, optionally after one letter ("n2015"). */
static int year_column(const char *h, int *year)
{
	if ((*h >= 'A' && *h <= 'Z') || (*h >= 'a' && *h <= 'z'))
		h++;
	if (strlen(h) != 4)
		return -1;
	return parse_year(h, year);
}

/* What a header may hold beyond its columns; every member may be NULL. */
struct header_ext {
	const struct alias *aliases;
	size_t naliases;
	const char **names;   /* out: per column, the name to show (its alias when used) */
	struct ycols *wide;   /* out: the year columns; NULL when the format has none */
	const char *const *skip;  /* columns skipped in an SDMX-CSV header (one with OBS_VALUE); may be NULL */
	size_t *nskipped;     /* out: how many were skipped; may be NULL */
	struct sdmx_dims *dims;   /* out: the skipped columns that must hold one value; may be NULL */
};

/* The column of cols named h (or by an alias of ext), or ncols. */
static size_t find_column(const struct column *cols, size_t ncols, const struct header_ext *ext,
			  const char *h, const char **shown)
{
	size_t k, a;
	for (k = 0; k < ncols; k++)
		if (strcasecmp(h, cols[k].name) == 0) {
			*shown = cols[k].name;
			return k;
		}
	for (a = 0; ext && a < ext->naliases; a++)
		if (strcasecmp(h, ext->aliases[a].name) == 0)
			for (k = 0; k < ncols; k++)
				if (strcmp(cols[k].name, ext->aliases[a].column) == 0) {
					*shown = ext->aliases[a].name;
					return k;
				}
	return ncols;
}

/* 1 when h could be an SDMX identifier (a column's id): letters, digits, '_', '@', '$', '-';
 * a concept's name ("Observation value") has other characters. */
static int sdmx_id(const char *h)
{
	if (!*h)
		return 0;
	for (; *h; h++)
		if (!isalnum((unsigned char)*h) && !strchr("_@$-", *h))
			return 0;
	return 1;
}

/* A header h of an SDMX-CSV file that names a column: one of cols (or an alias) or a skipped one. */
static int sdmx_recognised(const struct column *cols, size_t ncols, const struct header_ext *ext, const char *h)
{
	const char *const *sk, *shown;
	if (find_column(cols, ncols, ext, h, &shown) < ncols)
		return 1;
	for (sk = ext->skip; *sk; sk++)
		if (strcasecmp(*sk, h) == 0)
			return 1;
	return 0;
}

/* 1 when the header (fields 0..nf of r's current row) names column nk itself. */
static int name_given(struct rd *r, const struct column *cols, size_t ncols, const struct header_ext *ext,
		      size_t nk, size_t nf)
{
	size_t f;
	const char *shown;
	for (f = 0; f < nf; f++)
		if (find_column(cols, ncols, ext, trim_into(&r->t[1], rd_field(r, f)), &shown) == nk)
			return 1;
	return 0;
}

/*
 * Reads the header row and sets idx[k] to the field of cols[k] (or -1).
 * Names are compared without case after trimming; ext (may be NULL) adds
 * aliases and year columns.  Unknown, repeated and missing required
 * columns are errors.  On failure ext->wide may hold columns (release it).
 */
static int read_header(struct rd *r, const struct column *cols, size_t ncols, int *idx,
		       const struct header_ext *ext, const char *what, struct kerr *e)
{
	size_t k, f, nf, j, prev_k = ncols;
	int got = rd_next(r, e), year, sdmx = 0, labelled, prev_rec = 0;
	if (got <= 0) {
		if (got == 0)
			kerr_set(e, KERR_INPUT, "%s: the file is empty (a header row is required)", r->name);
		return -1;
	}
	rd_keep_header(r);
	for (k = 0; k < ncols; k++) {
		idx[k] = -1;
		if (ext && ext->names)
			ext->names[k] = cols[k].name;
	}
	nf = csv_nfields(r->csv);
	if (ext && ext->nskipped)
		*ext->nskipped = 0;
	for (f = 0; ext && ext->skip && f < nf && !sdmx; f++)
		sdmx = strcasecmp(trim_into(&r->t[0], rd_field(r, f)), "OBS_VALUE") == 0;
	/* SDMX-CSV 2.0 "with labels": each column is followed by one of its labels, headed by the
	 * concept's name ("geo,Geopolitical entity (reporting)", "OBS_VALUE,Observation value");
	 * known by the column after OBS_VALUE, whose header is then a name and not an SDMX id */
	labelled = sdmx && f < nf && !sdmx_id(trim_into(&r->t[0], rd_field(r, f)));
	for (f = 0; f < nf; f++) {
		const char *h = trim_into(&r->t[0], rd_field(r, f)), *shown = NULL;
		k = find_column(cols, ncols, ext, h, &shown);
		/* a label: right after a column of the file, and not a column of its own (a label such as
		 * "Industry" that names a column already taken is one too) */
		if (labelled && prev_rec && (!sdmx_recognised(cols, ncols, ext, h) || (k < ncols && idx[k] >= 0))) {
			/* the labels of the column before: a region's or an industry's are its names
			 * (region_name, industry_name) when the file has no such column, else skipped */
			size_t nk = ncols;
			prev_rec = 0;
			if (prev_k < ncols) {
				char nm[64];
				const char *nshown;
				snprintf(nm, sizeof(nm), "%s_name", cols[prev_k].name);
				nk = find_column(cols, ncols, NULL, nm, &nshown);
			}
			if (nk < ncols && idx[nk] < 0 && !name_given(r, cols, ncols, ext, nk, nf)) {
				idx[nk] = (int)f;
				if (ext->names)
					ext->names[nk] = cols[nk].name;
			} else if (ext->nskipped) {
				(*ext->nskipped)++;
			}
			continue;
		}
		prev_rec = 1;
		prev_k = k;
		if (k == ncols && sdmx) {
			const char *const *sk;
			for (sk = ext->skip; *sk && strcasecmp(*sk, h) != 0; sk++)
				;
			if (*sk) {
				const char *const *dn;
				if (ext->nskipped)
					(*ext->nskipped)++;
				for (dn = sdmx_dim_names; *dn && strcasecmp(*dn, h) != 0; dn++)
					;
				if (*dn && ext->dims && ext->dims->n < SDMX_DIMS_MAX) {
					ext->dims->field[ext->dims->n] = (int)f;
					ext->dims->name[ext->dims->n++] = *dn;
				}
				continue;
			}
		}
		if (k == ncols && ext && ext->wide && year_column(h, &year) == 0) {
			struct ycols *w = ext->wide;
			for (j = 0; j < w->n; j++)
				if (w->v[j].year == year)
					return kerr_set(e, KERR_INPUT, "%s:%ld: the year %d appears twice in "
							"the header (%s and %s)", r->name, rd_line(r),
							year, w->v[j].name, h);
			w->v = xrealloc(w->v, st_mult(w->n + 1, sizeof(*w->v)));
			w->v[w->n].field = (int)f;
			w->v[w->n].year = year;
			w->v[w->n].name = xstrdup(h);
			w->n++;
			continue;
		}
		if (k == ncols && !*h)
			return kerr_set(e, KERR_INPUT, "%s:%ld: column %zu of the header has no name (a separator at "
					"the end of the header line, or two in a row?)", r->name, rd_line(r), f + 1);
		if (k == ncols) {
			struct buf known = BUF_INIT;
			const char *bs = strrchr(h, '\\');
			int rc;
			for (k = 0; k < ncols; k++) {
				/* each with the other names it is read under ("lon (or longitude, lng)") */
				size_t a, na = 0;
				buf_printf(&known, "%s%s", k ? ", " : "", cols[k].name);
				for (a = 0; ext && a < ext->naliases; a++)
					if (strcmp(ext->aliases[a].column, cols[k].name) == 0)
						buf_printf(&known, "%s%s", na++ ? ", " : " (or ", ext->aliases[a].name);
				if (na)
					buf_putc(&known, ')');
			}
			if (bs && r->sep != '\t' && (!strcasecmp(bs + 1, "time") || !strcasecmp(bs + 1, "TIME_PERIOD")))
				/* "nace_r2,geo\time,2015": a Eurostat table whose tabs a spreadsheet replaced */
				rc = kerr_set(e, KERR_INPUT, "%s:%ld: unknown column \"%s\" in %s: it heads a Eurostat "
					      "table, whose columns are separated by tabs, and this file's by '%c' (a "
					      "table saved from a spreadsheet?); read the .tsv file as Eurostat gives it, "
					      "or name the column geo to read a column per year (the known columns are "
					      "%s)", r->name, rd_line(r), h, what, r->sep, known.ptr);
			else
				rc = kerr_set(e, KERR_INPUT, "%s:%ld: unknown column \"%s\" in %s (the known "
					      "columns are %s)", r->name, rd_line(r), h, what, known.ptr);
			buf_release(&known);
			return rc;
		}
		if (idx[k] >= 0 && strcmp(r->hdr[idx[k]], r->hdr[f]) != 0)
			return kerr_set(e, KERR_INPUT, "%s:%ld: columns %s and %s are both the %s column: keep one "
					"of them", r->name, rd_line(r), r->hdr[idx[k]], r->hdr[f], cols[k].name);
		if (idx[k] >= 0)
			return kerr_set(e, KERR_INPUT, "%s:%ld: column %s appears twice in the header",
					r->name, rd_line(r), r->hdr[f]);
		idx[k] = (int)f;
		if (ext && ext->names)
			ext->names[k] = r->hdr[f];   /* as the file spells it (shown: the name matched) */
		(void)shown;
	}
	for (k = 0; k < ncols; k++)
		if (cols[k].required && idx[k] < 0)
			return kerr_set(e, KERR_INPUT, "%s:%ld: the required column %s is missing from "
					"the header", r->name, rd_line(r), cols[k].name);
	r->ncols = (int)nf;
	return 0;
}

/* Field idx of the current row, trimmed into scratch buffer t ("" when idx < 0). */
static const char *field(struct rd *r, int idx, int t)
{
	return idx < 0 ? "" : trim_into(&r->t[t], rd_field(r, (size_t)idx));
}

/* The row's values of d's columns against the first row's (kept on the first call). */
static int sdmx_dims_check(struct rd *r, struct sdmx_dims *d, struct kerr *e)
{
	size_t k;
	for (k = 0; k < d->n; k++) {
		const char *v = trim_into(&r->t[6], rd_field(r, (size_t)d->field[k]));
		if (!d->first[k]) {
			d->first[k] = xstrdup(v);
			d->line = rd_line(r);
		} else if (strcmp(v, d->first[k]) != 0) {
			int geo = strcmp(d->name[k], "geo") == 0;
			return kerr_set(e, KERR_INPUT, "%s:%ld: column %s: %s, where line %ld has %s: the file mixes "
					"two %s values (%s); keep the rows of one",
					r->name, rd_line(r), d->name[k], v, d->line, d->first[k], d->name[k],
					geo ? "a reference is one country's series"
					    : "OBS_VALUE counts something else in each");
		}
	}
	return 0;
}

/* The column of field idx as the file spells it, else col (messages name it so). */
static const char *column_of(const struct rd *r, int idx, const char *col)
{
	const char *h = idx >= 0 ? rd_column(r, (size_t)idx) : NULL;
	return h ? h : col;
}

/* A required code: trimmed and not empty (the column named as the file spells it only when
 * it is not: nothing more per row). */
static int code_field(struct rd *r, int idx, int t, const char *col, const char **out,
		      struct kerr *e)
{
	unsigned cc;
	*out = field(r, idx, t);
	if (!**out)
		return kerr_set(e, KERR_INPUT, "%s:%ld: column %s is empty", r->name, rd_line(r),
				column_of(r, idx, col));
	/* a code is text (cube_builder_add says the same of the other layouts; here, in row order) */
	if ((cc = text_control(*out)))
		return kerr_set(e, KERR_INPUT, "%s:%ld: column %s holds a control character (U+%04X): codes "
				"are text", r->name, rd_line(r), column_of(r, idx, col), cc);
	return 0;
}

/* A name (region_name, industry_name, cluster_name, BDL's Nazwa), "" for no column: text as a
 * code is — a control character (ESC, BEL …) would reach a terminal, a page's download or a
 * spreadsheet as it is.  -1 with a message naming the line and the column when it holds one. */
static int name_field(struct rd *r, int idx, int t, const char *col, const char **out, struct kerr *e)
{
	unsigned cc;
	*out = field(r, idx, t);
	if ((cc = text_control(*out)))
		return kerr_set(e, KERR_INPUT, "%s:%ld: column %s holds a control character (U+%04X): names "
				"are text", r->name, rd_line(r), column_of(r, idx, col), cc);
	return 0;
}

/* Eurostat flag letters (dropped after a value). */
static int is_flag(int ch)
{
	return ch && strchr("bcdefnprsuz", ch) != NULL;
}

static int distinct_letters(const char *s);

/* The length of s without the flag letters at its end and the blanks before them; strlen(s)
 * when a letter repeats among them ("5 pp", "5 zz" are no number with flags, as "zz" is no
 * flags alone). */
static size_t unflagged_len(const char *s)
{
	size_t n = strlen(s), all = n;
	while (n && is_flag((unsigned char)s[n - 1]))
		n--;
	if (n < all && !distinct_letters(s + n))
		return all;
	while (n && s[n - 1] == ' ')
		n--;
	return n;
}

/* Whether no letter repeats in s: "bep" may be flags, "zz" is not. */
static int distinct_letters(const char *s)
{
	const char *p;
	for (; *s; s++)
		for (p = s + 1; *p; p++)
			if (*p == *s)
				return 0;
	return 1;
}

/*
 * Whether a count as written in a file separated by semicolons, whose
 * decimal mark is the comma, is "1.234" or "12.345" (1 to 3 digits, not
 * starting with 0, a dot and three digits): Polish writes thousands so, and
 * reading it as a decimal point would take 1234 people for 1.234.
 */
static int dot_thousands(const char *s)
{
	size_t d, k;
	if (*s == '+' || *s == '-')
		s++;
	if (!(*s >= '1' && *s <= '9'))
		return 0;
	for (d = 0; s[d] >= '0' && s[d] <= '9'; d++)
		;
	if (d > 3 || s[d] != '.')
		return 0;
	for (k = 0; s[d + 1 + k] >= '0' && s[d + 1 + k] <= '9'; k++)
		;
	return k == 3 && !s[d + 1 + k];
}

int stats_dot_thousands(const char *s)
{
	return dot_thousands(s);
}

/*
 * Whether s is a number with dots between its thousands, as Polish (and
 * German) write them, that the readers do not take: "1.234.567" or
 * "12.345,6" (1 to 3 digits, not starting with 0, groups of a dot and
 * three digits, then optionally a comma and digits).  Writes it without the
 * dots to out ("12345,6") for the message.
 */
static int dotted_thousands(const char *s, struct buf *out)
{
	const char *p = s;
	size_t d;
	int groups = 0;
	if (*p == '+' || *p == '-')
		p++;
	if (!(*p >= '1' && *p <= '9'))
		return 0;
	for (d = 0; p[d] >= '0' && p[d] <= '9'; d++)
		;
	if (d > 3)
		return 0;
	p += d;
	while (*p == '.' && p[1] >= '0' && p[1] <= '9' && p[2] >= '0' && p[2] <= '9' && p[3] >= '0' &&
	       p[3] <= '9' && !(p[4] >= '0' && p[4] <= '9')) {
		groups++;
		p += 4;
	}
	if (*p == ',' && p[1] >= '0' && p[1] <= '9')
		for (p++; *p >= '0' && *p <= '9'; p++)
			;
	if (!groups || *p)
		return 0;
	buf_reset(out);
	for (p = s; *p; p++)
		if (*p != '.')
			buf_add(out, p, 1);
	return 1;
}

/*
 * Statistics Poland's sign s stands for, in a statistics table separated by
 * semicolons (its layout): 1 for "-" or "–" (nothing occurred: 0), 2 for "." (no
 * data) or "x" (not applicable: missing), 0 when s is none of them.
 */
static int gus_sign(const char *s)
{
	if (strcmp(s, "-") == 0 || strcmp(s, "\xE2\x80\x93") == 0)
		return 1;
	if (strcmp(s, ".") == 0 || strcasecmp(s, "x") == 0)
		return 2;
	return 0;
}

/*
 * A count from a trimmed field: a number or missing (NAN), not negative.
 * In a file separated by semicolons a count like "1.234" is refused as
 * ambiguous (dot_thousands): a dot there may be a thousands separator.
 * Flag letters after it are dropped ("219 d"); flags alone ("d", "bep": no
 * letter twice) are a missing value.  A file separated by semicolons is
 * Statistics Poland's layout, whose signs are read as its legend defines
 * them (in BDL exports and in the long and wide layouts alike): "-" or "–"
 * (nothing occurred) is 0, "." (no data) and "x" (not applicable) missing.
 */
static int count_value(struct rd *r, const char *s, const char *col, double *out, struct kerr *e)
{
	size_t n = unflagged_len(s);
	const char *v = s;
	int rc;
	if (r->sep == ';' && gus_sign(s)) {
		*out = gus_sign(s) == 1 ? 0 : NAN;
		return 0;
	}
	if (strcmp(s, "NA") == 0 || strcmp(s, "N/A") == 0 || strcasecmp(s, "null") == 0) {
		*out = NAN;   /* as R, pandas and databases write a missing value */
		return 0;
	}
	if (!n && *s && distinct_letters(s)) {
		*out = NAN;
		return 0;
	}
	if (n && s[n]) {
		buf_reset(&r->t[6]);
		buf_add(&r->t[6], s, n);
		v = r->t[6].ptr;
	}
	rc = parse_number(v, r->sep == ';', out);
	if (rc == NUM_LONG)
		return number_too_long(r->name, rd_line(r), col, s, "a count", e);
	if (rc == NUM_BAD && r->sep != ';' && parse_number(v, 1, out) == NUM_OK)
		return stats_decimal_comma_error(r->name, rd_line(r), col, s, v, 1, e);
	if (rc == NUM_BAD && r->sep == ';') {
		struct buf plain = BUF_INIT;
		if (dotted_thousands(v, &plain)) {
			kerr_set(e, KERR_INPUT, "%s:%ld: column %s: \"%s\" is not a number here: a dot between "
				 "thousands is not read; write %s", r->name,
				 rd_line(r), col, s, plain.ptr);
			buf_release(&plain);
			return -1;
		}
		buf_release(&plain);
	}
	if (rc == NUM_BAD)
		return kerr_set(e, KERR_INPUT, "%s:%ld: column %s: \"%s\" is not a number", r->name,
				rd_line(r), col, s);
	if (rc == NUM_OK && r->sep == ';' && dot_thousands(v))
		return stats_dot_thousands_error(r->name, rd_line(r), col, s, v, e);
	if (*out < 0)
		return kerr_set(e, KERR_INPUT, "%s:%ld: column %s: %s is negative", r->name,
				rd_line(r), col, s);
	return 0;
}

static int count_field(struct rd *r, int idx, const char *col, double *out, struct kerr *e)
{
	if (idx < 0) {
		*out = NAN;
		return 0;
	}
	return count_value(r, field(r, idx, 5), column_of(r, idx, col), out, e);
}

static int year_field(struct rd *r, int idx, const char *col, int *year, struct kerr *e)
{
	const char *s;
	*year = 0;
	if (idx < 0)
		return 0;
	s = field(r, idx, 5);
	if (parse_year(s, year))
		return kerr_set(e, KERR_INPUT, "%s:%ld: column %s: \"%s\" is not a year (a whole "
				"number from 1 to 9999)", r->name, rd_line(r), column_of(r, idx, col), s);
	return 0;
}

static int traded_field(struct rd *r, int idx, const char *col, int *traded, struct kerr *e)
{
	const char *s = field(r, idx, 5);
	*traded = parse_traded(s);
	if (*traded == -2)
		return kerr_set(e, KERR_INPUT, "%s:%ld: column %s: \"%s\" is not one of 1, 0, "
				"true, false, yes, no, tak, nie, traded, local", r->name, rd_line(r),
				column_of(r, idx, col), s);
	return 0;
}

/* ---- the crosswalk ----------------------------------------------------------- */

/* The years one code of a crosswalk was given in, by the data or by the reference (xw_note). */
struct xw_years {
	int *year;
	size_t n, alloc;
	char *src;            /* the data: the first row that gave the code ("stats.csv:17") */
};

struct xwalk {
	char **code, **cluster;
	long *line;
	size_t n, alloc;
	uint32_t *slot;
	size_t nslot;
	char *name;
	struct xw_years *data, *ref;  /* per code: the years the data and the reference gave it in */
	size_t row;           /* the code the current row was mapped from (map_industry), or (size_t)-1 */
};

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h ^ (h >> 31);
}

/* The index of code, or (size_t)-1. */
static size_t xwalk_find(const struct xwalk *x, const char *code)
{
	size_t j;
	uint32_t k;
	if (!x->nslot)
		return (size_t)-1;
	for (j = (size_t)hash_str(code) & (x->nslot - 1); (k = x->slot[j]) != 0; j = (j + 1) & (x->nslot - 1))
		if (strcmp(x->code[k - 1], code) == 0)
			return k - 1;
	return (size_t)-1;
}

static void xwalk_add(struct xwalk *x, const char *code, const char *cluster, long line)
{
	size_t j, k;
	if (x->n == x->alloc) {
		x->alloc = x->alloc ? st_mult(x->alloc, 2) : 64;
		x->code = xrealloc(x->code, st_mult(x->alloc, sizeof(*x->code)));
		x->cluster = xrealloc(x->cluster, st_mult(x->alloc, sizeof(*x->cluster)));
		x->line = xrealloc(x->line, st_mult(x->alloc, sizeof(*x->line)));
		x->data = xrealloc(x->data, st_mult(x->alloc, sizeof(*x->data)));
		x->ref = xrealloc(x->ref, st_mult(x->alloc, sizeof(*x->ref)));
	}
	memset(&x->data[x->n], 0, sizeof(x->data[x->n]));
	memset(&x->ref[x->n], 0, sizeof(x->ref[x->n]));
	x->code[x->n] = xstrdup(code);
	x->cluster[x->n] = xstrdup(cluster);
	x->line[x->n] = line;
	x->n++;
	if (2 * x->n > x->nslot) {
		size_t n = x->nslot ? st_mult(x->nslot, 2) : 128;
		free(x->slot);
		x->slot = xcalloc(n, sizeof(*x->slot));
		x->nslot = n;
		for (k = 0; k < x->n; k++) {
			for (j = (size_t)hash_str(x->code[k]) & (n - 1); x->slot[j]; j = (j + 1) & (n - 1))
				;
			x->slot[j] = (uint32_t)k + 1;
		}
	} else {
		for (j = (size_t)hash_str(code) & (x->nslot - 1); x->slot[j]; j = (j + 1) & (x->nslot - 1))
			;
		x->slot[j] = (uint32_t)x->n;
	}
}

static void xwalk_free(struct xwalk *x)
{
	size_t k;
	if (!x)
		return;
	for (k = 0; k < x->n; k++) {
		free(x->code[k]);
		free(x->cluster[k]);
		free(x->data[k].year);
		free(x->data[k].src);
		free(x->ref[k].year);
	}
	free(x->data);
	free(x->ref);
	free(x->code);
	free(x->cluster);
	free(x->line);
	free(x->slot);
	free(x->name);
	free(x);
}

/* The crosswalk columns; the descriptive columns of the U.S. Cluster
 * Mapping Project's NAICS file (data/crosswalks/) are known and ignored,
 * and its naics6 / traded_local are aliases. */
enum { XW_INDUSTRY, XW_CLUSTER, XW_TRADED, XW_CLUSTER_NAME, XW_SUBCLUSTER, XW_NONSTANDARD, XW_DESCRIPTION,
       XW_N };
static const struct column xwalk_cols[XW_N] = {
	[XW_INDUSTRY] = { "industry", 1 },
	[XW_CLUSTER] = { "cluster", 1 },
	[XW_TRADED] = { "traded", 0 },
	[XW_CLUSTER_NAME] = { "cluster_name", 0 },
	[XW_SUBCLUSTER] = { "subcluster", 0 },
	[XW_NONSTANDARD] = { "emsi_specific_nonstandard", 0 },
	[XW_DESCRIPTION] = { "naics_description", 0 },
};
static const struct alias xwalk_aliases[] = {
	{ "naics6", "industry" },
	{ "naics", "industry" },
	{ "traded_local", "traded" },
};

/* Reads a crosswalk (a pipe of at most whole bytes, 0: STATS_PIPE_WHOLE, read whole first); its
 * traded flags and cluster names go to b. */
static int xwalk_load(const char *path, size_t whole, struct cube_builder *b, struct xwalk **out,
		      struct kerr *e)
{
	struct rd r;
	struct xwalk *x = xcalloc(1, sizeof(*x));
	int idx[XW_N], got, rc = -1;
	x->row = (size_t)-1;
	size_t n = 0;

	*out = NULL;
	if (rd_open(&r, path, NULL, 0, NULL, whole, e))
		goto out;
	x->name = xstrdup(r.name);
	rd_start(&r, guess_sep(rd_head(&r, &n), n), NULL);
	{
		const struct header_ext ext = { xwalk_aliases, sizeof(xwalk_aliases) / sizeof(xwalk_aliases[0]),
						NULL, NULL, NULL, NULL, NULL };
		if (read_header(&r, xwalk_cols, XW_N, idx, &ext, "a crosswalk", e))
			goto out;
	}
	while ((got = rd_next(&r, e)) == 1) {
		const char *code, *cluster;
		int traded;
		size_t k;
		if (code_field(&r, idx[XW_INDUSTRY], 0, "industry", &code, e) ||
		    code_field(&r, idx[XW_CLUSTER], 1, "cluster", &cluster, e) ||
		    traded_field(&r, idx[XW_TRADED], "traded", &traded, e))
			goto out;
		if ((k = xwalk_find(x, code)) != (size_t)-1) {
			kerr_set(e, KERR_CONFLICT, "%s:%ld: column %s: %s is given twice (first at "
				 "line %ld)", r.name, rd_line(&r), column_of(&r, idx[XW_INDUSTRY], "industry"), code,
				 x->line[k]);
			goto out;
		}
		xwalk_add(x, code, cluster, rd_line(&r));
		if (traded >= 0 && cube_builder_traded(b, cluster, traded, r.src.ptr,
							column_of(&r, idx[XW_TRADED], "traded"), NULL, e))
			goto out;
		if (idx[XW_CLUSTER_NAME] >= 0) {
			const char *cname;
			if (name_field(&r, idx[XW_CLUSTER_NAME], 2, "cluster_name", &cname, e))
				goto out;
			cube_builder_names(b, NULL, NULL, cluster, cname);
		}
	}
	if (got < 0)
		goto out;
	if (x->n == 0) {
		kerr_set(e, KERR_INPUT, "%s: the crosswalk has no rows", r.name);
		goto out;
	}
	*out = x;
	x = NULL;
	rc = 0;
out:
	xwalk_free(x);
	rd_close(&r);
	return rc;
}

/* ---- reading ------------------------------------------------------------------- */

/* Firms as plants (stats_opts.plants) before the cube's indices are known: codes in text. */
struct plant_list {
	struct buf text;        /* region NUL industry NUL, per plant */
	size_t *at;             /* per plant: its region's offset in text */
	double *emp;
	size_t n, alloc;
};

/* Where a file holds the employment, as it spells the columns (messages about a region's or the
 * reference's employment name them so): one column (emp; NULL: "employment"), or one per year
 * (the wide layout, Eurostat's tables); ref: the reference economy's column. */
struct emp_cols {
	char *emp, *ref;
	int ref_bdl;          /* the reference is a BDL file's national rows, which write an unknown
				 value "." or "x" (count_value), not ":" */
	int ref_semi;         /* the reference is a ';' file, where "." and "x" are unknown too */
	int *year;
	char **name;
	size_t nyear;
};

struct ctx {
	struct cube_builder *b;
	const struct stats_opts *o;
	struct xwalk *xw;
	struct stats_counts *n;
	long kept, filtered;  /* rows passing and failing the filters */
	int firms;            /* read_firms read the data: a cell without firms is 0 */
	struct strset ids;    /* firm ids met so far (read_firms) */
	struct plant_list plants;
	long totals;          /* rows of totals skipped (read_bdl) */
	struct emp_cols cols; /* the employment's columns as the files spell them, for messages */
	FILE *stream;         /* load: a pipe longer than pipe_whole, read on after its first bytes */
	char *stream_head;    /* those bytes (malloc'ed); read_data takes both, else load frees them */
};

/* The employment column of year as the data file spells it ("OBS_VALUE", the year column "n2015"),
 * "employment" when not known. */
static const char *emp_column(const struct emp_cols *k, int year)
{
	size_t j;
	for (j = 0; k && j < k->nyear; j++)
		if (k->year[j] == year)
			return k->name[j];
	return k && k->emp ? k->emp : "employment";
}

/* Gives the cube each year's employment column as the file spells it (when known), so that
 * the computations' messages name it too (cube_emp_col). */
static void cube_take_columns(struct cube *out, const struct emp_cols *k)
{
	size_t y, j;
	if (!k->emp && !k->nyear)
		return;
	out->emp_col = xcalloc(out->nyear ? out->nyear : 1, sizeof(*out->emp_col));
	for (y = 0; y < out->nyear; y++) {
		const char *name = k->emp;
		for (j = 0; j < k->nyear; j++)
			if (k->year[j] == out->year[y])
				name = k->name[j];
		out->emp_col[y] = name ? xstrdup(name) : NULL;
	}
}

static void emp_cols_release(struct emp_cols *k)
{
	size_t j;
	free(k->emp);
	free(k->ref);
	for (j = 0; j < k->nyear; j++)
		free(k->name[j]);
	free(k->name);
	free(k->year);
	memset(k, 0, sizeof(*k));
}

/*
 * stats_check_years, naming the columns as the files spell them (cols; NULL: "employment").
 * With refuse_empty (stats_opts), a region whose rows in a year computed all lack a value is
 * refused here, as indic_compute and related_compute would refuse it, so that the message
 * names the column of the file.
 */
static int check_years(const struct cube *c, const char *name, const int *years, size_t nyears, int zero_regions,
		       int refuse_empty, const struct emp_cols *cols, struct kerr *e);

/* The data's employment is in column name (NULL: "employment"), or with year in that year's own. */
static void emp_cols_set(struct emp_cols *k, const char *name, int year)
{
	if (!year) {
		free(k->emp);
		k->emp = name ? xstrdup(name) : NULL;
		return;
	}
	k->year = xrealloc(k->year, st_mult(k->nyear + 1, sizeof(*k->year)));
	k->name = xrealloc(k->name, st_mult(k->nyear + 1, sizeof(*k->name)));
	k->year[k->nyear] = year;
	k->name[k->nyear++] = xstrdup(name);
}

int stats_region_filtered(const struct stats_opts *o, const char *reg)
{
	if (o->region_len && utf8_chars(reg) != o->region_len)
		return STATS_FILTER_LEN;
	if (o->region_prefix && *o->region_prefix && !fold_lower_prefix(reg, o->region_prefix))
		return STATS_FILTER_PREFIX;
	return STATS_FILTER_KEPT;
}

/*
 * Whether a row passes o's filters on its codes (as given); counts it either way.  The region
 * prefix ignores the case of every letter fold_lower lowers (ASCII, and Latin ones as Ł: "ła"
 * keeps ŁA).
 */
static int keep_row(struct ctx *c, const char *reg, const char *code)
{
	const struct stats_opts *o = c->o;
	if (stats_region_filtered(o, reg) || (o->industry_len && utf8_chars(code) != o->industry_len)) {
		c->filtered++;
		if (c->n)
			c->n->filtered++;
		return 0;
	}
	c->kept++;
	return 1;
}

/* After a bad value: 0 to skip it (skip_invalid: counted, the first message kept), else -1. */
static int skip_value(struct ctx *c, struct kerr *e)
{
	if (!c->o->skip_invalid)
		return -1;
	if (c->n) {
		if (!c->n->invalid && e) {
			size_t len = strlen(e->msg);
			if (len >= sizeof(c->n->first_invalid))
				len = sizeof(c->n->first_invalid) - 1;
			memcpy(c->n->first_invalid, e->msg, len);
			c->n->first_invalid[len] = '\0';
		}
		c->n->invalid++;
	}
	kerr_clear(e);
	return 0;
}

/*
 * Maps an industry code through the crosswalk: 0 (*out set), 1 (skip the
 * row) or -1 (not in the crosswalk; the message names col, the code's
 * column as the file spells it).
 */
static int map_industry(struct ctx *c, struct rd *r, const char *code, const char *col, const char **out,
			struct kerr *e)
{
	size_t k;
	*out = code;
	if (!c->xw)
		return 0;
	k = c->xw->row = xwalk_find(c->xw, code);
	if (k != (size_t)-1) {
		*out = c->xw->cluster[k];
		return 0;
	}
	if (c->o->skip_unmapped) {
		if (c->n) {
			if (!c->n->unmapped)
				snprintf(c->n->first_unmapped, sizeof(c->n->first_unmapped), "%s", code);
			c->n->unmapped++;
		}
		return 1;
	}
	return kerr_set(e, KERR_INPUT, "%s:%ld: column %s: %s is not in the crosswalk %s",
			r->name, rd_line(r), col, code, c->xw->name);
}

/*
 * A row's filters and crosswalk: 0 to add it under *ind, 1 to skip it
 * (left out by a filter, or not in the crosswalk with skip_unmapped), -1
 * with a message.
 */
static int row_industry(struct ctx *c, struct rd *r, const char *reg, const char *code, const char *col,
			const char **ind, struct kerr *e)
{
	if (!keep_row(c, reg, code))
		return 1;
	return map_industry(c, r, code, col, ind, e);
}

/* 1 when w holds year. */
static int xw_has(const struct xw_years *w, int year)
{
	size_t j;
	for (j = w->n; j-- > 0;)
		if (w->year[j] == year)
			return 1;
	return 0;
}

/* Notes that the data (ref 0) or the reference (ref 1) gave the code of the current row (the one
 * map_industry mapped last) in year; src: the row, kept for the first of the data's. */
static void xw_note(struct ctx *c, int year, int ref, const char *src)
{
	struct xw_years *w;
	if (!c->xw || c->xw->row == (size_t)-1)
		return;
	w = ref ? &c->xw->ref[c->xw->row] : &c->xw->data[c->xw->row];
	if (xw_has(w, year))
		return;
	if (w->n == w->alloc) {
		w->alloc = w->alloc ? st_mult(w->alloc, 2) : 4;
		w->year = xrealloc(w->year, st_mult(w->alloc, sizeof(*w->year)));
	}
	w->year[w->n++] = year;
	if (!ref && !w->src)
		w->src = xstrdup(src ? src : "");
}

/* A data value: cube_builder_add, the row's crosswalk code noted as given that year. */
static int add_value(struct ctx *c, const char *reg, const char *ind, int year, double emp, double est,
		     double wage, const char *src, struct kerr *e)
{
	if (cube_builder_add(c->b, reg, ind, year, emp, est, wage, src, e))
		return -1;
	xw_note(c, year, 0, src);
	return 0;
}

/* A reference value: cube_builder_ref, the row's crosswalk code noted as given that year. */
static int add_ref(struct ctx *c, const char *ind, int year, double emp, const char *src, struct kerr *e)
{
	if (cube_builder_ref(c->b, ind, year, emp, src, e))
		return -1;
	xw_note(c, year, 1, src);
	return 0;
}

/* 1 when the reference gave a code of cluster (through the crosswalk x) in year. */
static int xw_cluster_has(const struct xwalk *x, const char *cluster, int year)
{
	size_t k;
	for (k = 0; k < x->n; k++)
		if (xw_has(&x->ref[k], year) && strcmp(x->cluster[k], cluster) == 0)
			return 1;
	return 0;
}

/*
 * The codes of a cluster that the data gives and the reference does not (with --crosswalk and
 * a reference): the reference's value for the cluster would lack their employment, a lower
 * bound of the nation's that raises the LQs and may fall below the regions' own total.  Such
 * a code leaves its cluster's reference value unknown, as a code given as ':' does (cube.h,
 * cube_builder_ref) — that year's, or the reference's value without a year when it gives the
 * cluster so.  A cluster the reference gives no code of is unknown already.  Counted in
 * stats_counts.ref_gaps.
 */
static int xw_ref_gaps(struct ctx *c, struct kerr *e)
{
	const struct xwalk *x = c->xw;
	size_t k, j;
	int any = 0;
	for (k = 0; k < x->n && !any; k++)
		any = x->ref[k].n > 0;
	if (!any)
		return 0;   /* no reference, or none through the crosswalk */
	for (k = 0; k < x->n; k++) {
		int gap = 0;
		for (j = 0; j < x->data[k].n; j++) {
			int y = x->data[k].year[j], at;
			if (xw_cluster_has(x, x->cluster[k], y))
				at = xw_has(&x->ref[k], y) ? -1 : y;   /* the cluster's value of that year */
			else if (xw_cluster_has(x, x->cluster[k], 0))
				at = xw_has(&x->ref[k], 0) ? -1 : 0;   /* its value without a year */
			else
				at = -1;                               /* no value: unknown already */
			if (at < 0)
				continue;
			if (cube_builder_ref(c->b, x->cluster[k], at, NAN, NULL, e))
				return -1;
			if (c->n && !gap && !c->n->ref_gaps++) {
				char yt[24] = "";
				if (y)
					snprintf(yt, sizeof(yt), " in %d", y);
				snprintf(c->n->first_ref_gap, sizeof(c->n->first_ref_gap), "%s of %s%s, given at %s",
					 x->code[k], x->cluster[k], yt, x->data[k].src);
			}
			gap = 1;
		}
	}
	return 0;
}

static void count_cell(struct ctx *c, double v)
{
	if (c->n) {
		c->n->cells++;
		if (isnan(v))
			c->n->missing++;
	}
}

enum { L_REGION, L_INDUSTRY, L_EMP, L_YEAR, L_EST, L_WAGES, L_TRADED, L_RNAME, L_INAME, L_N };
static const struct column long_cols[L_N] = {
	[L_REGION] = { "region", 1 },
	[L_INDUSTRY] = { "industry", 1 },
	[L_EMP] = { "employment", 0 },  /* or year columns: see long_layout */
	[L_YEAR] = { "year", 0 },
	[L_EST] = { "establishments", 0 },
	[L_WAGES] = { "wages", 0 },
	[L_TRADED] = { "traded", 0 },
	[L_RNAME] = { "region_name", 0 },
	[L_INAME] = { "industry_name", 0 },
};

/* Checks that the header has employment or year columns (the wide layout), not both. */
static int long_layout(struct rd *r, const int *idx, const struct ycols *w, struct kerr *e)
{
	if (!w->n) {
		if (idx[L_EMP] < 0)
			return kerr_set(e, KERR_INPUT, "%s:%ld: the required column employment is missing "
					"from the header (or give one column per year, such as 2015 or "
					"n2015)", r->name, rd_line(r));
		return 0;
	}
	if (idx[L_EMP] >= 0)
		return kerr_set(e, KERR_INPUT, "%s:%ld: column %s is a year column, but the header has "
				"an employment column (give one or the other)", r->name, rd_line(r),
				w->v[0].name);
	if (idx[L_YEAR] >= 0 || idx[L_EST] >= 0 || idx[L_WAGES] >= 0)
		return kerr_set(e, KERR_INPUT, "%s:%ld: column %s: year columns such as %s cannot be "
				"combined with it (use one row per year instead)", r->name, rd_line(r),
				long_cols[idx[L_YEAR] >= 0 ? L_YEAR : idx[L_EST] >= 0 ? L_EST : L_WAGES].name,
				w->v[0].name);
	return 0;
}

/*
 * The keys of a long row: the region and industry codes (trimmed, not
 * empty; *reg and *code live in r->t[0] and r->t[1]), the year (0 without
 * a year column) and the traded flag (-1 when not given).
 */
static int long_keys(struct rd *r, const int *idx, const char *const *names, const char **reg,
		     const char **code, int *year, int *traded, struct kerr *e)
{
	if (code_field(r, idx[L_REGION], 0, names[L_REGION], reg, e) ||
	    code_field(r, idx[L_INDUSTRY], 1, names[L_INDUSTRY], code, e) ||
	    year_field(r, idx[L_YEAR], names[L_YEAR], year, e) ||
	    traded_field(r, idx[L_TRADED], names[L_TRADED], traded, e))
		return -1;
	return 0;
}

/*
 * The counts of a long row in v: employment, establishments, wages (NAN
 * when missing or without a column).  0; 1 when skip_invalid skipped the
 * row (counted); -1 with a message.
 */
static int long_counts(struct ctx *c, struct rd *r, const int *idx, const char *const *names,
		       double v[3], struct kerr *e)
{
	if (count_field(r, idx[L_EMP], names[L_EMP], &v[0], e) ||
	    count_field(r, idx[L_EST], names[L_EST], &v[1], e) ||
	    count_field(r, idx[L_WAGES], names[L_WAGES], &v[2], e))
		return skip_value(c, e) ? -1 : 1;
	if (isfinite(v[1]) && v[1] != floor(v[1])) {
		/* establishments are counted: the strong rule's percentiles would take 2.5 as given */
		kerr_set(e, KERR_INPUT, "%s:%ld: column %s: \"%s\" is not a whole number (establishments are counted)",
			 r->name, rd_line(r), names[L_EST], field(r, idx[L_EST], 5));
		return skip_value(c, e) ? -1 : 1;
	}
	return 0;
}

static int read_long(struct ctx *c, struct rd *r, struct kerr *e)
{
	int idx[L_N], got = -1;
	const char *names[L_N];
	struct ycols wide = { NULL, 0 };
	struct sdmx_dims dims;
	const struct header_ext ext = { long_aliases, sizeof(long_aliases) / sizeof(long_aliases[0]),
					names, &wide, sdmx_skip, NULL, &dims };
	size_t k;

	memset(&dims, 0, sizeof(dims));
	if (read_header(r, long_cols, L_N, idx, &ext, "a statistics file", e) ||
	    long_layout(r, idx, &wide, e))
		goto out;
	emp_cols_release(&c->cols);
	if (!wide.n)
		emp_cols_set(&c->cols, names[L_EMP], 0);
	for (k = 0; k < wide.n; k++)
		emp_cols_set(&c->cols, wide.v[k].name, wide.v[k].year);
	while ((got = rd_next(r, e)) == 1) {
		const char *reg, *ind, *code;
		double val[3];
		int year, traded, m;
		if (sdmx_dims_check(r, &dims, e) || long_keys(r, idx, names, &reg, &code, &year, &traded, e))
			goto fail;
		if (c->n)
			c->n->rows++;
		if ((m = row_industry(c, r, reg, code, names[L_INDUSTRY], &ind, e)) != 0) {
			if (m < 0)
				goto fail;
			continue;
		}
		for (k = 0; k < wide.n; k++) {
			double v;
			if (count_value(r, field(r, wide.v[k].field, 5), wide.v[k].name, &v, e)) {
				if (skip_value(c, e))
					goto fail;
				continue;
			}
			if (add_value(c, reg, ind, wide.v[k].year, v, NAN, NAN, r->src.ptr, e))
				goto fail;
			count_cell(c, v);
		}
		if (!wide.n) {
			if ((m = long_counts(c, r, idx, names, val, e)) != 0) {
				if (m < 0)
					goto fail;
				continue;
			}
			if (add_value(c, reg, ind, year, val[0], val[1], val[2], r->src.ptr, e))
				goto fail;
			count_cell(c, val[0]);
		}
		if (traded >= 0 && cube_builder_traded(c->b, ind, traded, r->src.ptr,
							column_of(r, idx[L_TRADED], names[L_TRADED]), code, e))
			goto fail;
		if (idx[L_RNAME] >= 0 || (idx[L_INAME] >= 0 && !c->xw)) {
			const char *rname, *iname;
			if (name_field(r, idx[L_RNAME], 2, names[L_RNAME], &rname, e) ||
			    name_field(r, c->xw ? -1 : idx[L_INAME], 3, names[L_INAME], &iname, e))
				goto fail;
			cube_builder_names(c->b, reg, rname, ind, iname);
		}
	}
	goto out;
fail:
	got = -1;
out:
	ycols_release(&wide);
	sdmx_dims_release(&dims);
	return got;
}

enum { F_ID, F_NAME, F_INDUSTRY, F_LAT, F_LON, F_EMP, F_REGION, F_RNAME, F_INAME, F_N };
static const struct column firm_cols[F_N] = {
	[F_ID] = { "id", 0 },
	[F_NAME] = { "name", 0 },
	[F_INDUSTRY] = { "industry", 1 },
	[F_LAT] = { "lat", 0 },
	[F_LON] = { "lon", 0 },
	[F_EMP] = { "employment", 0 },
	[F_REGION] = { "region", 0 },
	[F_RNAME] = { "region_name", 0 },
	[F_INAME] = { "industry_name", 0 },
};

/* A firm's coordinates under the names of other firm lists, as `map spatial` reads them. */
static const struct alias firm_aliases[] = {
	{ "latitude", "lat" },
	{ "longitude", "lon" },
	{ "lng", "lon" },
};

/* Which coordinate the header field f[0..len) names, as read_firms reads it (case ignored, also
 * under firm_aliases' names): 1 the latitude, 2 the longitude, 0 neither. */
static int firm_coord_of(const char *f, size_t len)
{
	const char *col = NULL;
	size_t k;
	for (k = 0; k < sizeof(firm_aliases) / sizeof(firm_aliases[0]) && !col; k++)
		if (strlen(firm_aliases[k].name) == len && strncasecmp(f, firm_aliases[k].name, len) == 0)
			col = firm_aliases[k].column;
	if (!col && len == 3)
		col = f;   /* lat or lon themselves */
	if (col && strncasecmp(col, firm_cols[F_LAT].name, 3) == 0)
		return 1;
	return col && strncasecmp(col, firm_cols[F_LON].name, 3) == 0 ? 2 : 0;
}

static void plants_add(struct plant_list *p, const char *reg, const char *ind, double emp)
{
	if (p->n == p->alloc) {
		p->alloc = p->alloc ? 2 * p->alloc : 1024;
		p->at = xrealloc(p->at, st_mult(p->alloc, sizeof(*p->at)));
		p->emp = xrealloc(p->emp, st_mult(p->alloc, sizeof(*p->emp)));
	}
	p->at[p->n] = p->text.len;
	p->emp[p->n++] = emp;
	buf_add(&p->text, reg, strlen(reg) + 1);
	buf_add(&p->text, ind, strlen(ind) + 1);
}

static void plants_release(struct plant_list *p)
{
	buf_release(&p->text);
	free(p->at);
	free(p->emp);
	memset(p, 0, sizeof(*p));
}

/* A coordinate of a firm: empty or NA (NAN), or a number in [lo, hi]. */
/* Not given: empty, or NA as R and registers write it (N/A, null). */
static int is_na_text(const char *s)
{
	return !*s || strcasecmp(s, "NA") == 0 || strcasecmp(s, "N/A") == 0 || strcasecmp(s, "null") == 0;
}

static int coord_field(struct rd *r, int idx, int t, const char *col, double lo, double hi, double *out,
		       struct kerr *e)
{
	const char *s = field(r, idx, t);
	int rc;
	*out = NAN;
	col = column_of(r, idx, col);
	/* not located: empty, or NA as R and registers write it (as map spatial reads it) */
	if (is_na_text(s))
		return 0;
	rc = parse_number(s, r->sep == ';', out);
	if (rc == NUM_LONG)
		return number_too_long(r->name, rd_line(r), col, s, "a coordinate", e);
	if (rc == NUM_BAD && r->sep != ';' && parse_number(s, 1, out) == NUM_OK)
		return stats_decimal_comma_error(r->name, rd_line(r), col, s, s, 0, e);   /* "52,1": 52.1 */
	if (rc == NUM_BAD)
		return kerr_set(e, KERR_INPUT, "%s:%ld: column %s: \"%s\" is not a number", r->name, rd_line(r),
				col, s);
	if (!(*out >= lo && *out <= hi))
		return kerr_set(e, KERR_INPUT, "%s:%ld: column %s: %s is outside [%g, %g]", r->name, rd_line(r),
				col, s, lo, hi);
	return 0;
}

/*
 * A firm list: one row per firm (id, name, industry, lat, lon, employment,
 * region, and the names region_name and industry_name; lat also headed
 * latitude, lon longitude or lng, and named in messages as headed), each counting its employment (1 when the column is absent;
 * nothing, a firm of unknown size, when the value is empty, NA, ":" or a
 * flag alone) and one establishment in its region × industry.  The
 * region is the region column, or else the region whose boundary holds
 * the firm's coordinates (stats_opts.locate).  An id given twice, or a
 * coordinate that is not a latitude or longitude, is an error.  A firm's
 * employment is a number, also in a ';' file: Statistics Poland's signs of
 * its tables ("-", ".", "x": count_value) are not numbers there, as the
 * firm readers of spatial.h say of the same list.
 */
static int read_firms(struct ctx *c, struct rd *r, struct kerr *e)
{
	int idx[F_N], got;
	const struct header_ext ext = { firm_aliases, sizeof(firm_aliases) / sizeof(firm_aliases[0]), NULL, NULL,
					NULL, NULL, NULL };
	const char *latcol, *loncol;
	if (read_header(r, firm_cols, F_N, idx, &ext, "a firms file", e))
		return -1;
	/* the coordinates' columns as the file spells them ("latitude", "lng"), for messages */
	latcol = column_of(r, idx[F_LAT], "lat");
	loncol = column_of(r, idx[F_LON], "lon");
	emp_cols_set(&c->cols, column_of(r, idx[F_EMP], "employment"), 0);
	if (idx[F_REGION] < 0 && !c->o->locate)
		return kerr_set(e, KERR_INPUT, "%s:%ld: the column region is missing from the header "
				"(each firm needs a region code; map indicators, indices and shift-share and import "
				"stats find it from lat and lon with --boundaries FILE.geojson)",
				r->name, rd_line(r));
	if (idx[F_REGION] < 0 && idx[F_RNAME] >= 0)
		return kerr_set(e, KERR_INPUT, "%s:%ld: column region_name names the region column's regions, and "
				"the file has no region column (the boundaries place and name the firms' regions): give "
				"the region column too, or leave region_name out", r->name, rd_line(r));
	if (idx[F_REGION] < 0 && (idx[F_LAT] < 0 || idx[F_LON] < 0))
		return kerr_set(e, KERR_INPUT, "%s:%ld: without a region column, the columns %s and %s are "
				"needed to place each firm in a region", r->name, rd_line(r), latcol, loncol);
	c->firms = 1;
	while ((got = rd_next(r, e)) == 1) {
		const char *reg, *ind, *code, *s, *id;
		double emp = 1, lat, lon;
		long first;
		int m;
		if (idx[F_REGION] >= 0 && code_field(r, idx[F_REGION], 0, "region", &reg, e))
			return -1;
		if (code_field(r, idx[F_INDUSTRY], 1, "industry", &code, e) ||
		    coord_field(r, idx[F_LAT], 3, latcol, -90, 90, &lat, e) ||
		    coord_field(r, idx[F_LON], 4, loncol, -180, 180, &lon, e))
			return -1;
		if (c->n)
			c->n->rows++;
		if (idx[F_ID] >= 0 && *(id = field(r, idx[F_ID], 2)) && (first = strset_add(&c->ids, id, rd_line(r))))
			return kerr_set(e, KERR_CONFLICT, "%s:%ld: column id: firm %s is given twice (first on "
					"line %ld)", r->name, rd_line(r), id, first);
		if (idx[F_REGION] < 0) {
			if (isnan(lat) || isnan(lon))
				return kerr_set(e, KERR_INPUT, "%s:%ld: columns %s and %s: the firm has no "
						"coordinates to place it in a region", r->name, rd_line(r), latcol,
						loncol);
			if (!(reg = c->o->locate(c->o->locate_ctx, lat, lon))) {
				if (c->n) {
					if (!c->n->outside)
						c->n->first_outside = rd_line(r);
					c->n->outside++;
				}
				continue;
			}
		}
		if (!keep_row(c, reg, code))
			continue;
		/* Without the column every firm counts 1 (counting firms).  With it, an empty value
		 * and NA are the same: a firm of unknown size (as ":" or a flag alone), which adds
		 * its establishment and no employment. */
		s = field(r, idx[F_EMP], 2);
		if (idx[F_EMP] >= 0 && is_na_text(s))
			emp = NAN;
		else if (idx[F_EMP] >= 0 &&
			 ((r->sep == ';' && gus_sign(s))
				  ? kerr_set(e, KERR_INPUT, "%s:%ld: column %s: \"%s\" is not a number", r->name,
					     rd_line(r), column_of(r, idx[F_EMP], "employment"), s)
				  : count_value(r, s, column_of(r, idx[F_EMP], "employment"), &emp, e))) {
			if (skip_value(c, e))
				return -1;
			continue;
		}
		if ((m = map_industry(c, r, code, column_of(r, idx[F_INDUSTRY], "industry"), &ind, e)) != 0) {
			if (m < 0)
				return -1;
			continue;
		}
		if (add_value(c, reg, ind, 0, emp, 1, NAN, r->src.ptr, e))
			return -1;
		/* names as in the long layout (the last given wins; not through a crosswalk) */
		if (idx[F_RNAME] >= 0 || (idx[F_INAME] >= 0 && !c->xw)) {
			const char *rname, *iname;
			if (name_field(r, idx[F_RNAME], 5, "region_name", &rname, e) ||
			    name_field(r, c->xw ? -1 : idx[F_INAME], 6, "industry_name", &iname, e))
				return -1;
			cube_builder_names(c->b, reg, rname, ind, iname);
		}
		if (c->o->plants && !isnan(emp))  /* a firm of unknown size ("d"): not a plant of the index */
			plants_add(&c->plants, reg, ind, emp);
		/* a firm of unknown size leaves no cell missing (a cell without firms is 0 too) */
		count_cell(c, 0);
		if (isnan(emp) && c->n && !c->n->unknown_size++)
			c->n->first_unknown_size = rd_line(r);
	}
	return got;
}

/* The first column of a Eurostat table as its header spells it ("unit,nace_r2,geo\\time"): the
 * codes of the row's dimensions, which messages name so. */
static const char *eurostat_col1(const struct rd *r)
{
	return column_of(r, 0, "1");
}

/* A Eurostat value: a number or ":", with optional flags after it; col is its column as the header
 * spells it ("2015 "). */
static int eurostat_value(struct rd *r, const char *s, const char *col, double *out, struct kerr *e)
{
	struct buf *t = &r->t[5];
	size_t n = unflagged_len(s);
	int rc;
	if (!n && *s && distinct_letters(s)) {
		*out = NAN;   /* flags alone ("c"): missing, as ": c" and as in the long layout */
		return 0;
	}
	buf_reset(t);
	buf_add(t, s, n);
	rc = n || !*s ? parse_number(t->ptr, 0, out) : NUM_BAD;
	if (rc == NUM_LONG)
		return number_too_long(r->name, rd_line(r), col, s, "a value", e);
	if (rc == NUM_BAD)
		return kerr_set(e, KERR_INPUT, "%s:%ld: column %s: \"%s\" is not a value (a number or "
				"\":\", optionally followed by flags such as \"c\" or \"p\")",
				r->name, rd_line(r), col, s);
	if (*out < 0)
		return kerr_set(e, KERR_INPUT, "%s:%ld: column %s: %s is negative", r->name,
				rd_line(r), col, s);
	return 0;
}

/* A dimension of a Eurostat table other than geo and nace_*: one value per file. */
struct dim {
	char *name;
	char *value;  /* the first value seen, NULL before the first row */
	long line;
};

static void dims_free(struct dim *d, size_t n)
{
	size_t k;
	for (k = 0; k < n; k++) {
		free(d[k].name);
		free(d[k].value);
	}
	free(d);
}

static int read_eurostat(struct ctx *c, struct rd *r, struct kerr *e)
{
	struct dim *dims = NULL;
	int *years = NULL;
	size_t ndim = 0, ncol, k, j;
	int geo, nace = -1, got, rc = -1;
	const char *h, *bs;

	got = rd_next(r, e);
	if (got <= 0) {
		if (got == 0)
			kerr_set(e, KERR_INPUT, "%s: the file is empty (a header row is required)", r->name);
		return -1;
	}
	rd_keep_header(r);
	h = trim_into(&r->t[0], csv_field(r->csv, 0));
	bs = strchr(h, '\\');
	if (bs && csv_nfields(r->csv) == 1 && (strchr(bs, ',') || strchr(h, ';'))) {
		/* "nace_r2,geo\time,2015,2016": the tabs replaced (by a spreadsheet) */
		kerr_set(e, KERR_INPUT, "%s:%ld: the header \"%s\" has no tabs: a Eurostat table separates its "
			 "columns by tabs, and this one by '%c' (a table saved from a spreadsheet?); read the .tsv "
			 "file as Eurostat gives it", r->name, rd_line(r), h, strchr(bs, ',') ? ',' : ';');
		goto out;
	}
	if (!bs) {
		kerr_set(e, KERR_INPUT, "%s:%ld: the first header cell \"%s\" is not a Eurostat "
			 "dimension list (such as nace_r2,geo\\time)", r->name, rd_line(r), h);
		goto out;
	}
	/* the dimension names before the backslash */
	for (k = 0, j = 0;; k++) {
		if (h + k == bs || h[k] == ',') {
			struct buf nm = BUF_INIT;
			buf_add(&nm, h + j, k - j);
			dims = xrealloc(dims, st_mult(ndim + 1, sizeof(*dims)));
			dims[ndim].name = xstrdup(trim_into(&r->t[1], nm.ptr));
			dims[ndim].value = NULL;
			dims[ndim].line = 0;
			buf_release(&nm);
			if (!strncasecmp(dims[ndim].name, "nace", 4) && nace < 0)
				nace = (int)ndim;
			ndim++;
			if (h + k == bs)
				break;
			j = k + 1;
		}
	}
	geo = (int)ndim - 1;
	if (strcasecmp(dims[geo].name, "geo") != 0) {
		kerr_set(e, KERR_INPUT, "%s:%ld: the last dimension before the backslash is \"%s\", "
			 "not geo (the regions)", r->name, rd_line(r), dims[geo].name);
		goto out;
	}
	if (nace < 0) {
		kerr_set(e, KERR_INPUT, "%s:%ld: no industry dimension (nace_r2) in \"%s\"", r->name,
			 rd_line(r), h);
		goto out;
	}
	ncol = csv_nfields(r->csv);
	if (ncol < 2) {
		kerr_set(e, KERR_INPUT, "%s:%ld: the header has no year columns", r->name, rd_line(r));
		goto out;
	}
	years = xcalloc(ncol, sizeof(*years));
	for (k = 1; k < ncol; k++) {
		const char *y = trim_into(&r->t[1], csv_field(r->csv, k));
		if (parse_year(y, &years[k])) {
			kerr_set(e, KERR_INPUT, "%s:%ld: header column %zu: \"%s\" is not a year",
				 r->name, rd_line(r), k + 1, y);
			goto out;
		}
		for (j = 1; j < k; j++)
			if (years[j] == years[k]) {
				kerr_set(e, KERR_INPUT, "%s:%ld: the year %d appears twice in the header",
					 r->name, rd_line(r), years[k]);
				goto out;
			}
	}
	r->ncols = (int)ncol;
	for (k = 1; k < ncol; k++)
		emp_cols_set(&c->cols, column_of(r, (int)k, "?"), years[k]);

	while ((got = rd_next(r, e)) == 1) {
		const char *key = csv_field(r->csv, 0), *ind = NULL, *reg = NULL, *code = NULL;
		size_t d = 0;
		int m;
		/* split the dimension codes; the region goes to t[3], the industry to t[4] */
		for (;;) {
			const char *comma = strchr(key, ',');
			size_t len = comma ? (size_t)(comma - key) : strlen(key);
			const char *v;
			if (d == ndim) {
				kerr_set(e, KERR_INPUT, "%s:%ld: column %s: \"%s\" has more codes than the "
					 "%zu dimensions of the header", r->name, rd_line(r), eurostat_col1(r),
					 csv_field(r->csv, 0), ndim);
				goto out;
			}
			buf_reset(&r->t[1]);
			buf_add(&r->t[1], key, len);
			v = trim_into(&r->t[2], r->t[1].ptr);
			if (!*v) {
				kerr_set(e, KERR_INPUT, "%s:%ld: column %s: the %s code is empty", r->name,
					 rd_line(r), eurostat_col1(r), dims[d].name);
				goto out;
			}
			if ((int)d == geo) {
				buf_reset(&r->t[3]);
				buf_puts(&r->t[3], v);
				reg = r->t[3].ptr;
			} else if ((int)d == nace) {
				buf_reset(&r->t[4]);
				buf_puts(&r->t[4], v);
				code = r->t[4].ptr;
			} else if (!dims[d].value) {
				dims[d].value = xstrdup(v);
				dims[d].line = rd_line(r);
			} else if (strcmp(dims[d].value, v) != 0) {
				kerr_set(e, KERR_INPUT, "%s:%ld: column %s: %s is %s here but %s at line %ld "
					 "(keep one %s in the file)", r->name, rd_line(r), eurostat_col1(r), dims[d].name, v,
					 dims[d].value, dims[d].line, dims[d].name);
				goto out;
			}
			d++;
			if (!comma)
				break;
			key = comma + 1;
		}
		if (d != ndim) {
			kerr_set(e, KERR_INPUT, "%s:%ld: column %s: \"%s\" has %zu %s, the header names "
				 "%zu %s", r->name, rd_line(r), eurostat_col1(r), csv_field(r->csv, 0), d,
				 plural((long long)d, "code", "codes"), ndim, plural((long long)ndim, "dimension", "dimensions"));
			goto out;
		}
		if (c->n)
			c->n->rows++;
		if ((m = row_industry(c, r, reg, code, eurostat_col1(r), &ind, e)) != 0) {
			if (m < 0)
				goto out;
			continue;
		}
		for (k = 1; k < ncol; k++) {
			double v;
			if (eurostat_value(r, field(r, (int)k, 1), column_of(r, (int)k, "?"), &v, e)) {
				if (skip_value(c, e))
					goto out;
				continue;
			}
			if (add_value(c, reg, ind, years[k], v, NAN, NAN, r->src.ptr, e))
				goto out;
			count_cell(c, v);
		}
	}
	if (got == 0)
		rc = 0;
out:
	free(years);
	dims_free(dims, ndim);
	return rc;
}

/* ---- Statistics Poland's Local Data Bank (BDL) ------------------------------ */

/*
 * The named columns of a BDL export in the vertical layout ("układ
 * pionowy": "Kod;Nazwa;<dimensions>;Rok;Wartosc;Jednostka miary;Atrybut;").
 * Every other column is a dimension of the variable: its industries, and
 * perhaps sexes or size classes.  The export ends each line with a ';', so
 * the header's last field may be empty.
 */
enum { B_CODE, B_NAME, B_YEAR, B_VALUE, B_UNIT, B_ATTR, B_N };
static const char *const bdl_cols[B_N][2] = {
	[B_CODE] = { "Kod", NULL },
	[B_NAME] = { "Nazwa", NULL },
	[B_YEAR] = { "Rok", NULL },
	[B_VALUE] = { "Wartosc", "Wartość" },
	[B_UNIT] = { "Jednostka miary", NULL },
	[B_ATTR] = { "Atrybut", NULL },
};

/* The column of bdl_cols named h, or B_N. */
static int bdl_column(const char *h)
{
	int k, a;
	for (k = 0; k < B_N; k++)
		for (a = 0; a < 2; a++)
			if (bdl_cols[k][a] && strcasecmp(h, bdl_cols[k][a]) == 0)
				return k;
	return B_N;
}

/* Whether ASCII needle occurs in h, case ignored. */
static int has_word(const char *h, const char *needle)
{
	size_t n = strlen(needle);
	for (; *h; h++)
		if (strncasecmp(h, needle, n) == 0)
			return 1;
	return 0;
}

/* Whether a dimension's name says it holds industries: "Sekcje PKD 2007", "Działy PKD", "NACE",
 * "Rodzaje działalności", "Branże". */
static int bdl_industry_dim(const char *h)
{
	return has_word(h, "PKD") || has_word(h, "NACE") || has_word(h, "sekcj") || has_word(h, "dzia\xC5\x82") ||
	       has_word(h, "bran\xC5\xBC");
}

/*
 * Whether a unit (Jednostka miary) counts something (persons, units,
 * entities) rather than a share or a rate: "%", "‰" and "… na 1000 …" are
 * not counts, and a location quotient of them means nothing.
 */
static int bdl_count_unit(const char *u)
{
	return !strchr(u, '%') && !strstr(u, "\xE2\x80\xB0") && !has_word(u, "na 1") && !has_word(u, "per ");
}

/* The nation ("Kod" of zeros, POLSKA), and a total of all industries ("ogółem", "razem"). */
static int bdl_nation(const char *code)
{
	if (!*code)
		return 0;
	for (; *code; code++)
		if (*code != '0')
			return 0;
	return 1;
}

static int bdl_all(const char *v)
{
	static const char *const total[] = { "og\xC3\xB3\xC5\x82" "em", "Og\xC3\xB3\xC5\x82" "em",
					     "OG\xC3\x93\xC5\x81" "EM", "razem", "Razem", "RAZEM" };
	size_t k;
	for (k = 0; k < sizeof(total) / sizeof(total[0]); k++)
		if (strcmp(v, total[k]) == 0)
			return 1;
	return 0;
}

/*
 * The industry code of a dimension value: "sekcja C" is C (its name the
 * value); any other value is its own code.  Written into t.
 */
static const char *bdl_code(struct buf *t, const char *v)
{
	buf_reset(t);
	if (strncasecmp(v, "sekcja ", 7) == 0 && v[7] >= 'A' && v[7] <= 'Z' && !v[8])
		buf_add(t, v + 7, 1);
	else
		buf_puts(t, v);
	return t->ptr;
}

/* The row's value v of a column that must hold one value in the file (the first kept in d). */
static int bdl_same(struct rd *r, struct dim *d, const char *v, const char *why, struct kerr *e)
{
	if (!d->value) {
		d->value = xstrdup(v);
		d->line = rd_line(r);
		return 0;
	}
	if (strcmp(d->value, v) == 0)
		return 0;
	return kerr_set(e, KERR_INPUT, "%s:%ld: column %s: %s here but %s at line %ld: %s; export one value of "
			"%s (%s, say)", r->name, rd_line(r), d->name, v, d->value, d->line, why, d->name, d->value);
}

static void bdl_count_total(struct ctx *c, const char *reg, const char *ind)
{
	c->totals++;
	if (!c->n)
		return;
	if (!c->n->totals)
		snprintf(c->n->first_total, sizeof(c->n->first_total), "%s %s", reg, ind);
	c->n->totals++;
}

/* Whether a header names a year (the columns of BDL's horizontal layout: "sekcja A;2021;[osoba]"). */
static int names_year(const char *h)
{
	const char *p;
	for (p = h; *p; p++)
		if ((p == h || !isdigit((unsigned char)p[-1])) && (p[0] == '1' || p[0] == '2') && isdigit((unsigned char)p[1]) &&
		    isdigit((unsigned char)p[2]) && isdigit((unsigned char)p[3]) && !isdigit((unsigned char)p[4]))
			return 1;
	return 0;
}

/*
 * A BDL unit code's stem: the code cut after its last field that is not
 * all zeros.  A code has 12 digits in fields of 2, 2, 1, 2, 2, 2 and 1
 * (macroregion, voivodeship, kind of region, subregion, powiat, gmina,
 * kind of gmina: Wrocław 03 02 1 05 64 01 1; a voivodeship MMWW00000000),
 * so a unit's stem begins the stems of the units it holds.  Its length;
 * 0 for a code of another shape (not checked).
 */
static size_t bdl_stem_len(const char *code)
{
	static const size_t ends[] = { 2, 4, 5, 7, 9, 11, 12 };
	size_t k, keep = 0, from = 0, i;
	if (strlen(code) != 12 || strspn(code, "0123456789") != 12)
		return 0;
	for (k = 0; k < sizeof(ends) / sizeof(ends[0]); from = ends[k], k++)
		for (i = from; i < ends[k]; i++)
			if (code[i] != '0')
				keep = ends[k];
	return keep;
}

/*
 * The TERYT code of a BDL unit code of a voivodeship, a powiat or a gmina
 * (stem lengths 4, 9, 12: WW, WW+powiat, WW+powiat+GG+T; Wrocław
 * 030210564011 is 0264011), written into t; NULL for another unit (a
 * macroregion, a subregion) or another code.  Runs for every row: no
 * allocation but t's.
 */
static const char *bdl_teryt(struct buf *t, const char *code)
{
	size_t n = bdl_stem_len(code);
	if (n != 4 && n != 9 && n != 12)
		return NULL;
	buf_reset(t);
	buf_add(t, code + 2, 2);
	if (n >= 9)
		buf_add(t, code + 7, 2);
	if (n == 12)
		buf_add(t, code + 9, 3);
	return t->ptr;
}

struct stem {
	const char *stem, *code;
	long line;
};

static int cmp_stem(const void *a, const void *b)
{
	return strcmp(((const struct stem *)a)->stem, ((const struct stem *)b)->stem);
}

/*
 * The regions of a BDL export must be of one level: a unit whose code
 * (without its trailing zeros) begins another's holds it (a voivodeship its
 * powiats, a macroregion its voivodeships), and every total would count the
 * same people twice.  regs holds the codes with their first lines.
 */
static int bdl_one_level(const struct rd *r, const struct strset *regs, struct kerr *e)
{
	struct stem *s = xcalloc(regs->n + 1, sizeof(*s));
	struct buf stems = BUF_INIT;
	size_t *at = xcalloc(regs->n + 1, sizeof(*at)), n = 0, i;
	int rc = 0;
	for (i = 0; i < regs->n; i++) {
		const char *code = regs->text.ptr + regs->off[i];
		size_t len = bdl_stem_len(code);
		if (!len)
			continue;
		at[n] = stems.len;
		buf_add(&stems, code, len);
		buf_add(&stems, "", 1);
		s[n].code = code;
		s[n].line = regs->line[i];
		n++;
	}
	for (i = 0; i < n; i++)
		s[i].stem = stems.ptr + at[i];
	qsort(s, n, sizeof(*s), cmp_stem);
	for (i = 0; i + 1 < n; i++)
		if (strncmp(s[i + 1].stem, s[i].stem, strlen(s[i].stem)) == 0) {
			rc = kerr_set(e, KERR_INPUT, "%s:%ld: column Kod: the file holds units of two levels: %s (line %ld) "
				      "holds %s, whose code begins with its own: every total would count their people "
				      "twice; export the units of one level (województwa, say), or keep one level with "
				      "--region-length (2: województwa, 4: powiaty, 7: gminy)", r->name, s[i + 1].line,
				      s[i].code, s[i].line, s[i + 1].code);
			break;
		}
	free(s);
	free(at);
	buf_release(&stems);
	return rc;
}

/*
 * A unit's name as Polish writes it: BDL writes voivodeships in capitals
 * ("MAŁOPOLSKIE"), which are lower-case adjectives ("małopolskie", as the
 * shipped boundaries name them); a name with a lower-case letter
 * ("Powiat m. Wrocław") or a digit is kept as it is.  Written into t when changed.
 */
static const char *bdl_name(struct buf *t, const char *name)
{
	const char *p;
	for (p = name; *p; p++)
		if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9'))
			return name;   /* written in lower case, or holding a code (REGION PL11) */
	buf_reset(t);
	fold_lower(t, name);
	return t->ptr;
}

static int read_bdl(struct ctx *c, struct rd *r, struct kerr *e)
{
	int idx[B_N], ind_col = -1, got, rc = -1, k;
	struct dim *dims = NULL;   /* the dimensions but the industries': one value in the file */
	int *dim_field = NULL;
	size_t ndim = 0, nf, f, d, nind = 0;
	struct buf list = BUF_INIT;
	struct dim unit = { (char *)"Jednostka miary", NULL, 0 };
	struct strset regs = STRSET_INIT;   /* the region codes, for bdl_one_level */
	struct buf teryt = BUF_INIT;        /* a region's TERYT code (bdl_teryt) */
	struct buf zeroed = BUF_INIT;       /* an 11-digit code given back its leading zero */
	struct buf lname = BUF_INIT;        /* a region's name in lower case (bdl_name) */

	got = rd_next(r, e);
	if (got <= 0) {
		if (got == 0)
			kerr_set(e, KERR_INPUT, "%s: the file is empty (a header row is required)", r->name);
		return -1;
	}
	rd_keep_header(r);
	for (k = 0; k < B_N; k++)
		idx[k] = -1;
	nf = csv_nfields(r->csv);
	dim_field = xcalloc(nf + 1, sizeof(*dim_field));
	for (f = 0; f < nf; f++) {
		const char *h = trim_into(&r->t[0], rd_field(r, f));
		k = bdl_column(h);
		if (k < B_N) {
			if (idx[k] >= 0) {
				kerr_set(e, KERR_INPUT, "%s:%ld: column %s appears twice in the header", r->name,
					 rd_line(r), h);
				goto out;
			}
			idx[k] = (int)f;
			continue;
		}
		if (!*h && f == nf - 1 && f > 0)
			continue;  /* the ';' that ends every line */
		if (!*h) {
			kerr_set(e, KERR_INPUT, "%s:%ld: header column %zu has no name", r->name, rd_line(r), f + 1);
			goto out;
		}
		dims = xrealloc(dims, st_mult(ndim + 1, sizeof(*dims)));
		dims[ndim].name = xstrdup(h);
		dims[ndim].value = NULL;
		dims[ndim].line = 0;
		dim_field[ndim++] = (int)f;
	}
	if (idx[B_YEAR] < 0 && idx[B_VALUE] < 0)
		for (d = 0; d < ndim; d++)
			if (names_year(dims[d].name)) {
				kerr_set(e, KERR_INPUT, "%s:%ld: this is a Local Data Bank (BDL) table in the horizontal layout "
					 "(a column a year: \"%s\"); klaster reads the vertical one: export the table again "
					 "as \"układ pionowy\" (Kod;Nazwa;…;Rok;Wartosc)", r->name, rd_line(r), dims[d].name);
				goto out;
			}
	for (k = 0; k < B_N; k++)
		if (idx[k] < 0 && k != B_NAME && k != B_ATTR && k != B_UNIT) {
			kerr_set(e, KERR_INPUT, "%s:%ld: the column %s of a Local Data Bank (BDL) export is missing "
				 "from the header (export the table in the vertical layout: Kod;Nazwa;…;Rok;Wartosc)",
				 r->name, rd_line(r), bdl_cols[k][0]);
			goto out;
		}
	/* the industries: the one dimension, or the one whose name says PKD, NACE, sekcje or działy */
	for (d = 0; d < ndim; d++) {
		buf_printf(&list, "%s%s", d ? ", " : "", dims[d].name);
		if (bdl_industry_dim(dims[d].name)) {
			nind++;
			if (ind_col < 0)
				ind_col = (int)d;
		}
	}
	if (ndim == 1) {
		/* one dimension: the industries, unless its name says it holds something else */
		if (has_word(dims[0].name, "p\xC5\x82""e\xC4\x87") || has_word(dims[0].name, "P\xC5\x81""E\xC4\x86") ||
		    has_word(dims[0].name, "wiek")) {
			kerr_set(e, KERR_INPUT, "%s:%ld: the variable's one dimension, %s, holds no industries: klaster "
				 "compares industries (a dimension such as Sekcje PKD 2007); export the variable by "
				 "industry", r->name, rd_line(r), dims[0].name);
			goto out;
		}
		ind_col = 0;
	} else if (ndim == 0 || nind != 1) {
		kerr_set(e, KERR_INPUT, "%s:%ld: %s: klaster takes the industries from the dimension whose name "
			 "says PKD, NACE, sekcje or działy, and %s; export the variable by one such dimension",
			 r->name, rd_line(r), ndim ? list.ptr : "the header has no dimension between Nazwa and Rok",
			 !ndim ? "there is none" : nind ? "several do" : "none does");
		goto out;
	}
	r->ncols = (int)nf;
	/* the value column, of the regions and of the nation's rows (the reference economy) */
	emp_cols_set(&c->cols, column_of(r, idx[B_VALUE], "Wartosc"), 0);
	free(c->cols.ref);
	c->cols.ref = xstrdup(column_of(r, idx[B_VALUE], "Wartosc"));
	c->cols.ref_bdl = 1;
	if (c->n) {
		snprintf(c->n->industry_dim, sizeof(c->n->industry_dim), "%s", dims[ind_col].name);
		c->n->industry_dim_named = bdl_industry_dim(dims[ind_col].name);
	}

	while ((got = rd_next(r, e)) == 1) {
		const char *reg, *bdl, *raw, *code, *ind;
		double v;
		int year, m;
		if (code_field(r, idx[B_CODE], 0, "Kod", &reg, e))
			goto out;
		if (strlen(reg) == 11 && strspn(reg, "0123456789") == 11) {
			/* a spreadsheet read BDL's 12-digit code as a number and dropped its leading zero
			 * (011200000000 → 11200000000): every BDL code has 12 digits */
			if (c->n && !c->n->zero_restored++)
				snprintf(c->n->first_zero_restored, sizeof(c->n->first_zero_restored), "%s", reg);
			buf_reset(&zeroed);
			buf_putc(&zeroed, '0');
			buf_puts(&zeroed, reg);
			reg = zeroed.ptr;
		}
		raw = field(r, dim_field[ind_col], 1);
		if (!*raw) {
			kerr_set(e, KERR_INPUT, "%s:%ld: column %s is empty", r->name, rd_line(r), dims[ind_col].name);
			goto out;
		}
		for (d = 0; d < ndim; d++) {
			if ((int)d == ind_col)
				continue;
			if (bdl_same(r, &dims[d], field(r, dim_field[d], 2),
				     "the values of one region and industry would add up", e))
				goto out;
		}
		if (idx[B_UNIT] >= 0) {
			const char *u = field(r, idx[B_UNIT], 2);
			if (!unit.value && *u && !bdl_count_unit(u)) {
				kerr_set(e, KERR_INPUT, "%s:%ld: column Jednostka miary: \"%s\" is not a count: location "
					 "quotients compare counts (persons, entities); export a variable counted in "
					 "persons or units", r->name, rd_line(r), u);
				goto out;
			}
			if (bdl_same(r, &unit, u, "the file mixes two variables", e))
				goto out;
		}
		{
			const char *y = field(r, idx[B_YEAR], 3);
			if (parse_year(y, &year)) {
				kerr_set(e, KERR_INPUT, "%s:%ld: column %s: \"%s\" is not a year (a whole number "
					 "from 1 to 9999)", r->name, rd_line(r), column_of(r, idx[B_YEAR], "Rok"), y);
				goto out;
			}
		}
		if (c->n)
			c->n->rows++;
		if (bdl_all(raw) || (bdl_nation(reg) && c->o->ref_path)) {
			/* totals klaster makes itself; the nation's rows when --reference gives it */
			bdl_count_total(c, reg, raw);
			continue;
		}
		code = bdl_code(&r->t[4], raw);
		if (bdl_nation(reg)) {
			/* the nation's industries: the reference economy the regions are compared with, also
			 * when the file holds only some of the regions */
			if ((c->o->industry_len && utf8_chars(code) != c->o->industry_len) ||
			    (m = map_industry(c, r, code, dims[ind_col].name, &ind, e)) > 0)
				continue;
			if (m < 0)
				goto out;
			if (count_value(r, field(r, idx[B_VALUE], 5), column_of(r, idx[B_VALUE], "Wartosc"), &v, e) ||
			    add_ref(c, ind, year, v, r->src.ptr, e))
				goto out;
			if (c->n)
				c->n->national++;
			continue;
		}
		bdl = reg;
		if (bdl_teryt(&teryt, reg))
			reg = teryt.ptr;   /* the TERYT code within BDL's: the boundaries' and the portal's maps' */
		if ((m = row_industry(c, r, reg, code, dims[ind_col].name, &ind, e)) != 0) {
			if (m < 0)
				goto out;
			continue;
		}
		/* the filters (--region-length 2: the voivodeships) come first: a kept unit's level counts */
		strset_add(&regs, bdl, rd_line(r));
		if (c->n && reg != bdl && !c->n->teryt++)
			snprintf(c->n->first_teryt, sizeof(c->n->first_teryt), "%s is %s", bdl, reg);
		if (count_value(r, field(r, idx[B_VALUE], 5), column_of(r, idx[B_VALUE], "Wartosc"), &v, e)) {
			if (skip_value(c, e))
				goto out;
			continue;
		}
		if (add_value(c, reg, ind, year, v, NAN, NAN, r->src.ptr, e))
			goto out;
		count_cell(c, v);
		{
			const char *bname;
			if (name_field(r, idx[B_NAME], 2, "Nazwa", &bname, e))
				goto out;
			cube_builder_names(c->b, reg, bdl_name(&lname, bname), ind,
					   c->xw || strcmp(code, raw) == 0 ? "" : raw);
		}
	}
	if (got == 0 && bdl_one_level(r, &regs, e) == 0)
		rc = 0;
out:
	buf_release(&list);
	free(dim_field);
	dims_free(dims, ndim);
	free(unit.value);
	strset_release(&regs);
	buf_release(&teryt);
	buf_release(&zeroed);
	buf_release(&lname);
	return rc;
}

enum { R_INDUSTRY, R_EMP, R_YEAR, R_N };
static const struct column ref_cols[R_N] = {
	[R_INDUSTRY] = { "industry", 1 },
	[R_EMP] = { "employment", 1 },
	[R_YEAR] = { "year", 0 },
};

/* A reference in SDMX-CSV: a country's series as Eurostat downloads it.  Its
 * geo column (the country, one value) is skipped with the descriptive ones;
 * a file of several countries repeats industry × year, which is an error. */
static const struct alias ref_aliases[] = {
	{ "nace_r2", "industry" },
	{ "pkd", "industry" },
	{ "TIME_PERIOD", "year" },
	{ "OBS_VALUE", "employment" },
};
static const char *const sdmx_ref_skip[] = {
	"DATAFLOW", "LAST UPDATE", "STRUCTURE", "STRUCTURE_ID", "STRUCTURE_NAME", "ACTION", "freq", "unit",
	"indic_sb", "indic_sbs", "size_emp", "OBS_FLAG", "CONF_STATUS", "geo", NULL
};

static int read_ref_rows(struct ctx *c, struct rd *r, const int *idx, struct sdmx_dims *dims, long *left,
			 struct kerr *e);

static int read_ref(struct ctx *c, struct rd *r, struct kerr *e)
{
	int idx[R_N], got;
	long left = 0;
	struct sdmx_dims dims;
	const struct header_ext ext = { ref_aliases, sizeof(ref_aliases) / sizeof(ref_aliases[0]), NULL, NULL,
					sdmx_ref_skip, NULL, &dims };
	memset(&dims, 0, sizeof(dims));
	if (read_header(r, ref_cols, R_N, idx, &ext, "a reference file", e))
		return -1;
	free(c->cols.ref);
	c->cols.ref = xstrdup(column_of(r, idx[R_EMP], "employment"));
	c->cols.ref_bdl = 0;
	c->cols.ref_semi = r->sep == ';';
	got = read_ref_rows(c, r, idx, &dims, &left, e);
	sdmx_dims_release(&dims);
	if (got < 0)
		return -1;
	/* a reference given counts: one whose every row was left out is not silently none */
	if (got == 0 && left && left == r->rows)
		return kerr_set(e, KERR_INPUT, "%s: every row of the reference economy was left out (%s): "
				"no reference value is left", r->name,
				c->o->industry_len ? "its industry codes are not of the --industry-length" :
				"its industries are not in the crosswalk");
	return got;
}

/* read_ref's rows: 0 at the end, -1 with e; *left counts the rows left out. */
static int read_ref_rows(struct ctx *c, struct rd *r, const int *idx, struct sdmx_dims *dims, long *left,
			 struct kerr *e)
{
	int got;
	while ((got = rd_next(r, e)) == 1) {
		const char *ind, *code;
		double emp;
		int year, m;
		if (sdmx_dims_check(r, dims, e) || code_field(r, idx[R_INDUSTRY], 0, "industry", &code, e))
			return -1;
		if (c->o->industry_len && utf8_chars(code) != c->o->industry_len) {
			(*left)++;
			continue;
		}
		if (year_field(r, idx[R_YEAR], "year", &year, e) ||
		    count_field(r, idx[R_EMP], "employment", &emp, e))
			return -1;
		if ((m = map_industry(c, r, code, column_of(r, idx[R_INDUSTRY], "industry"), &ind, e)) != 0) {
			if (m < 0)
				return -1;
			(*left)++;
			continue;
		}
		if (add_ref(c, ind, year, emp, r->src.ptr, e))
			return -1;
	}
	return got;
}

/* ---- the fast path for plain long files ------------------------------------ */
/*
 * A long CSV held in memory (a mapped regular file, or the block of
 * stats_load_mem) is read here without the csv.h reader: lines are split at
 * LF, fields are parsed where they lie, codes are found through a hash of
 * their bytes, and "NAME:LINE" is written only for a message.  It reads
 * exactly what the general reader reads, because it handles only what is
 * plain and hands everything else on:
 *
 *   - a plain row — every code printable ASCII without blanks, the year
 *     1 to 4 digits, every count empty or digits with at most one decimal
 *     point ('.', or ',' in a ';' file) and at most 15 digits in all,
 *     the header's number of fields — is parsed here: a whole count is
 *     exact like parse_number's, a decimal m / 10^k is strtod's correctly
 *     rounded value (m < 2^53, k <= 15);
 *   - another row whose bytes csv_next would take as they are (valid UTF-8,
 *     no NUL, no quote, no CR but the one before LF, the header's number of
 *     fields, fields of at most 1 MiB) is split here and read by the
 *     general row code (long_keys, keep_row, long_counts): its values,
 *     filters, skips and messages are the general reader's;
 *   - anything else — a CSV-level problem or a quote, a repeated cell
 *     without sum, more potential cells than FAST_GRID_MAX — gives up:
 *     nothing read so far is kept and the general reader reads the whole
 *     input again, so it stops at the same first problem with the same
 *     message.
 *
 * A plain row of at most 15 bytes is classified with one SSE2 load
 * (fast_row16); other rows field by field, eight bytes at a time where a
 * field is short (FAST_SWAR), else byte by byte.  Both say "plain" only for
 * rows the byte-by-byte code would read the same way.
 *
 * Cells are collected in the fast path's own tables (struct fpart: codes in
 * two dictionaries, cells found through a dense grid of region × industry ×
 * year indices) and given to the builder at the end, one cube_builder_add
 * per cell; that needs an empty builder, so that each cell's sum is made in
 * row order as row by row.
 *
 * Two parts: a big input on two CPUs is cut at a line break in the middle
 * and each half is read into its own tables by its own thread (the second
 * counts its lines from 0).  The halves are then merged, which gives the
 * result of reading in order when nothing in the second half depends on
 * the first: without sum, no cell may be in both halves (a repeated cell
 * gives up); with sum, a cell in both halves is added as S1 + S2, which
 * equals adding the second half's values one by one to S1 when they are
 * all whole numbers, S1 is whole and S1 + S2 < 2^53 (every partial sum is
 * then exact).  Otherwise — and when the second half met a message, an
 * invalid value (its message would name a line counted from 0), a value
 * that is not whole (with sum it stops there) or had to give up — the
 * first part, in the calling thread, reads the second half again in order.
 */

/* Fields are read eight bytes at a time on little-endian machines. */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ && defined(__GNUC__)
#define FAST_SWAR 1
#else
#define FAST_SWAR 0
#endif
/* The per-row helpers are inlined into the loop whatever the compiler thinks of their size. */
#ifdef __GNUC__
#define FAST_HOT inline __attribute__((always_inline))
#define FAST_COLD __attribute__((noinline))
#else
#define FAST_HOT inline
#define FAST_COLD
#endif
/* And whole short rows sixteen bytes at a time where SSE2 is (every x86-64). */
#if FAST_SWAR && defined(__SSE2__)
#define FAST_SSE2 1
#else
#define FAST_SSE2 0
#endif
/*
 * The row loop (fast_pair_run) twice: for any x86-64 and for x86-64-v3
 * (AVX2, BMI1/2: shifts and bit scans without the CL register or flags),
 * chosen once when the program starts (an ifunc of the C library).  The
 * same C source and the same results; the second takes about 4% less CPU
 * time on the benchmark's file (docs/BENCHMARKS.md).
 */
#if FAST_SSE2 && defined(__x86_64__) && defined(__ELF__) && defined(__GLIBC__) && \
	((defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 6) || (defined(__clang__) && __clang_major__ >= 14))
#define FAST_CLONES __attribute__((target_clones("default", "arch=x86-64-v3")))
#else
#define FAST_CLONES
#endif
/* Inputs at least this big are read in two parts when there are two CPUs. */
#define FAST_SPLIT_MIN ((size_t)4 << 20)
/* The second part reads its half in chunks of about this many bytes, so
 * that the first, when done with its own half, can take the later half of
 * what the second has not begun (struct fsteal). */
#define FAST_CHUNK ((size_t)256 << 10)
/* Memory stays bounded on large files: each part gives back the mapped
 * pages it has read (fast_drop) every FAST_DROP bytes. */
#define FAST_DROP ((size_t)32 << 20)
/* The most digits of a count parsed in place (parse_number's exact whole numbers). */
#define FAST_DIGITS 15
#define TWO_53 9007199254740992.0

enum { FAST_OK = 0, FAST_ERROR = -1, FAST_GIVE_UP = 1 };
/* Byte classes; a code is made of the first three. */
enum { FB_DIGIT, FB_POINT, FB_CODE, FB_OTHER };
/* What a field holds. */
enum { FR_REGION, FR_INDUSTRY, FR_YEAR, FR_EMP, FR_EST, FR_WAGES };

/* What both parts read, unchanged while they run. */
struct fast {
	const char *name;
	char sep;
	int ncols;
	unsigned char role[CSV_MAX_FIELDS];
	unsigned char cls[256];
	const int *idx;             /* long_cols' fields, for the general row code */
	const char *const *names;
	int sum;                    /* the builder adds up repeated cells */
	const char *end;            /* the end of the input */
	size_t region_len, industry_len, nprefix;
	const char *prefix;
	int nkey;                   /* with sum: the leading fields that name a cell (2 or 3), else 0 */
	int ncount;                 /* the counts that follow them (1 to 3) */
	int ordered;                /* and they are employment, establishments, wages in this order */
	size_t page;                /* the input is the file mapped (pages read are given back): the page
				       size; 0: the caller's memory */
	size_t drop;                /* give them back every this many bytes (FAST_DROP; a page in tests) */
};

/* A code as the fast path compares it: its first 8 bytes (zero-padded), its length and a hash. */
struct fcode {
	const char *p;
	size_t len;
	uint64_t w;
	uint32_t hash;
};

/* A slot of a dictionary: a code's key and index, so that a probe reads one place. */
struct fslot {
	uint64_t w;
	uint32_t len;
	uint32_t id;                /* index + 1, 0 = empty */
};

/* Codes met by one part; each is a NUL-terminated copy. */
struct fdict {
	char **code;
	uint64_t *w;
	uint32_t *len, *hash;
	size_t n, alloc;
	struct fslot *slot;
	size_t nslot;               /* a power of two, or 0 */
	uint32_t last;              /* the code found last, or UINT32_MAX */
};

/*
 * A row prefix met before: the bytes of a plain row up to the separator
 * after its last key field (fast.nkey fields, at most 16 bytes, zero-padded
 * in w[0] and w[1]) and the cell those fields named.  The same bytes name
 * the same codes and year, so a later row that begins with them only needs
 * its counts read (fast_pair_row).
 *
 * While every key met has at most 8 bytes (FPAIR_SHORT), the table holds
 * slots of 16 bytes instead (struct fpair8, the same key in w, w[1] being
 * 0): a third less memory, and the slots are what the row loop waits on
 * most; the first longer key moves them all to slots of 24 (fpair_rehash).
 */
struct fpair {
	uint64_t w[2];              /* w[0] == 0: an empty slot */
	uint32_t cell;              /* the cell's index, or FPAIR_FILTERED */
	uint32_t len;               /* the key's length (a row's key may hold a NUL byte) */
};
struct fpair8 {
	uint64_t w;                 /* 0: an empty slot */
	uint32_t cell;
	uint32_t len;
};
#define FPAIR_FILTERED UINT32_MAX
#define FPAIR_KEY_MAX 16
#define FPAIR_SHORT 8

/* A cell's values, and where it is (apart: the values are what every row touches). */
struct fcell {
	double v[3];                /* employment, establishments, wages */
};
/*
 * The counts of a row's tail (the bytes after its key, at most 8) as
 * fast_pair_run read them last: a row whose tail has the same bytes has the
 * same counts.  A small table indexed by a hash of the bytes; a new tail
 * takes the place of the one there.
 */
struct ftail {
	uint64_t w;                 /* the bytes, zero-padded */
	uint32_t num[3];            /* the counts (at most 7 digits each) */
	unsigned char len;          /* 1..8; 0 = empty */
	unsigned char given;        /* bit k: count k was given */
};
#define FTAIL_BITS 12

/*
 * Counts that fast_pair_run gave a cell and that are not yet in its values:
 * while a cell's values are whole numbers below 2^53, the sum of further
 * whole counts is kept here and added at once (fcell_settle), which is
 * exactly what adding them one by one gives when the total stays below
 * 2^53.  A cell with a value that is not whole is "inexact": its counts
 * are added one by one.
 */
struct facc {
	uint64_t sum[3];
	unsigned char any;          /* bit k: some count k was given (else the value stays as it is);
				     FACC_NO(k): a row without it (both go to parts when settled) */
	unsigned char inexact;
	unsigned char parts;        /* FPART_*(k): the values k the cell's rows gave (as the builder's
				     parts: cube_builder_note_missing); kept when the sums are settled */
};
#define FPART_KNOWN(k) (1u << (2 * (k)))
#define FPART_MISSING(k) (2u << (2 * (k)))
/* In a row's given bits (fast_pair_run_n, kept with its tail) and in any: a row without count k
 * (0 employment, 1 establishments, 2 wages, whether the file has its column or not).  The
 * counts' own bits are 0..2 (their roles). */
#define FACC_NO(k) (8u << (k))
#define FACC_NO_EMP FACC_NO(0)

/* The parts (FPART_*) of a row whose given bits are given (bit k: count k given). */
static unsigned fpart_of(unsigned given)
{
	unsigned k, parts = 0;
	for (k = 0; k < 3; k++)
		parts |= given >> k & 1 ? FPART_KNOWN(k) : FPART_MISSING(k);
	return parts;
}

/* The values (bit k: value k) whose parts hold both known and missing ones: lower bounds. */
static unsigned fpart_partial(unsigned parts)
{
	unsigned k, bits = 0;
	for (k = 0; k < 3; k++)
		if ((parts & (FPART_KNOWN(k) | FPART_MISSING(k))) == (FPART_KNOWN(k) | FPART_MISSING(k)))
			bits |= 1u << k;
	return bits;
}

/* The parts of a row's values v (NAN: not given). */
static unsigned fpart_of_values(const double v[3])
{
	return fpart_of((unsigned)!isnan(v[0]) | (unsigned)!isnan(v[1]) << 1 | (unsigned)!isnan(v[2]) << 2);
}

struct fplace {
	uint32_t r, i, y;
	long line;                  /* where the cell was first given */
};

/*
 * The second part's half as it is read, chunk by chunk, under mu: the
 * chunks from next up to limit are still to read.  The first part, done
 * with its own half, may lower limit to take the later half of the rest
 * (fast_long); stop says the second part failed (nothing to take).  In
 * STATS_READER_STEAL (tests) the chunks are 64 bytes, the first part decides
 * only once the second has taken its first chunk (taken), and the second
 * waits after that chunk until the first has decided: the lines taken are
 * always the same.
 */
struct fsteal {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	const char *next, *limit;
	size_t chunk;
	int stop;
	int test, taken, decided;
};

/* One part of the input and what was read from it. */
struct fpart {
	const struct fast *f;
	const char *from, *to;      /* its bytes: whole lines */
	struct ctx c;               /* the reader's context with the part's own counts */
	struct stats_counts n;
	struct rd rd;               /* scratch for the general row code */
	struct kerr e;              /* the message of FAST_ERROR */
	struct fdict reg, ind;
	struct fpair *pair;         /* row prefixes met (a power of two of slots, at most 3/4 full) */
	struct fpair8 *pair8;       /* the same while every key has at most 8 bytes (pair is NULL) */
	struct ftail *tail;         /* 2^FTAIL_BITS tails read last */
	size_t npair, pairmask;
	unsigned pairshift;         /* 64 - log2(slots) */
	size_t last_cell;           /* the cell fast_add added to last */
	long pair_tries, pair_hits; /* fast_pair_run's calls, and those that read rows */
	uint32_t *yslot;            /* year 0..9999 -> index + 1 */
	int *yval;                  /* index -> year */
	size_t nyear;
	struct fcell *cell;         /* in the order of creation */
	struct facc *acc;           /* beside each cell */
	struct fplace *place;
	size_t ncell, cellalloc;
	uint32_t *grid;             /* (y * rcap + r) * icap + i -> cell index + 1, 0 = none */
	size_t rcap, icap, ycap;
	int ylast_year;             /* the year of the last row (-1 before the first) and its index */
	uint32_t ylast;
	long line;                  /* the line being read (the second part counts from 0) */
	long rows;                  /* rows read (lines not empty) */
	int whole;                  /* every value added was a whole number below 2^53 */
	int need_whole;             /* the second part with sum: stop when whole is 0 (it would not merge) */
	struct buf row;             /* a row given to the general row code, fields NUL-terminated */
	const char **fv;            /* its fields */
	int status;                 /* the second part's result */
	struct progress *pg;        /* the first part shows the progress line, or NULL */
	struct fpart *other;        /* the second part, whose progress the first shows */
	struct fsteal *steal;       /* the second part: its chunks (fast_thread) */
	const char *base;           /* where the input's data rows begin (for the progress line) */
	const char *kept;           /* the mapped pages before it were given back (fast_drop) */
	atomic_ullong done;         /* the second part's bytes read, published for the first */
	atomic_long done_rows;
};

/*
 * Zeroed memory for the fast path's tables, written here rather than taken
 * from calloc: calloc's fresh pages show the shared zero page when they are
 * read first, and the first write to each then costs a fault that flushes
 * the other thread's TLB (an interrupt to its CPU) — most of the kernel's
 * time in a read in two parts.
 */
static void *fast_zalloc(size_t n, size_t size)
{
	void *p = xmalloc(st_mult(n, size));
	memset(p, 0, n * size);
	return p;
}

static uint32_t fast_mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return (uint32_t)x;
}

/* The key of a code of at most 8 bytes: w holds them, the first in the lowest byte, then zeros. */
static FAST_HOT void fast_code_short(struct fcode *c, const char *p, size_t len, uint64_t w)
{
	c->p = p;
	c->len = len;
	c->w = w;
	c->hash = fast_mix(w ^ (uint64_t)len << 59);
}

/* The key of the code p[0..len); end is where p's memory ends (at least p + len). */
static inline void fast_code(struct fcode *c, const char *p, size_t len, const char *end)
{
	uint64_t w = 0;
	size_t k;
#if FAST_SWAR
	if (end - p >= 8) {
		memcpy(&w, p, 8);
		if (len < 8)
			w &= ((uint64_t)1 << (8 * len)) - 1;
	} else
#endif
	{
		(void)end;
		for (k = 0; k < len && k < 8; k++)
			w |= (uint64_t)(unsigned char)p[k] << (8 * k);
	}
	if (len <= 8) {
		fast_code_short(c, p, len, w);
	} else {
		c->p = p;
		c->len = len;
		c->w = w;
		uint64_t h = 1469598103934665603ULL;
		for (k = 8; k < len; k++)
			h = (h ^ (unsigned char)p[k]) * 1099511628211ULL;
		c->hash = fast_mix(w ^ h ^ (uint64_t)len << 59);
	}
}

/*
 * Whether code k of d, whose first 8 bytes and length are w and len, is c.
 * Below 8 bytes the zero-padded word alone tells (a code has no NUL byte).
 */
static FAST_HOT int fdict_is(const struct fdict *d, uint32_t k, uint64_t w, size_t len, const struct fcode *c)
{
	return w == c->w && (c->len < 8 || (len == c->len && memcmp(d->code[k] + 8, c->p + 8, len - 8) == 0));
}

/* The index of code c in d, or UINT32_MAX. */
static FAST_HOT uint32_t fdict_find(const struct fdict *d, const struct fcode *c)
{
	size_t j;
	const struct fslot *x;
	if (!d->nslot)
		return UINT32_MAX;
	for (j = c->hash & (d->nslot - 1); (x = &d->slot[j])->id != 0; j = (j + 1) & (d->nslot - 1))
		if (fdict_is(d, x->id - 1, x->w, x->len, c))
			return x->id - 1;
	return UINT32_MAX;
}

/* Adds code c, which is not in d: its index, or UINT32_MAX when there are too many. */
static FAST_COLD uint32_t fdict_add(struct fdict *d, const struct fcode *c)
{
	uint32_t k;
	size_t j, m;
	if (d->n >= 0x7FFFFFF0u)
		return UINT32_MAX;
	if (d->n == d->alloc) {
		d->alloc = d->alloc ? st_mult(d->alloc, 2) : 64;
		d->code = xrealloc(d->code, st_mult(d->alloc, sizeof(*d->code)));
		d->w = xrealloc(d->w, st_mult(d->alloc, sizeof(*d->w)));
		d->len = xrealloc(d->len, st_mult(d->alloc, sizeof(*d->len)));
		d->hash = xrealloc(d->hash, st_mult(d->alloc, sizeof(*d->hash)));
	}
	k = (uint32_t)d->n++;
	d->code[k] = xstrndup(c->p, c->len);
	d->w[k] = c->w;
	d->len[k] = (uint32_t)c->len;
	d->hash[k] = c->hash;
	if (4 * d->n > d->nslot) {  /* at most a quarter full: probes stay short */
		size_t n = d->nslot ? st_mult(d->nslot, 2) : 256;
		free(d->slot);
		d->slot = fast_zalloc(n, sizeof(*d->slot));
		d->nslot = n;
		for (m = 0; m < d->n; m++) {
			for (j = d->hash[m] & (n - 1); d->slot[j].id; j = (j + 1) & (n - 1))
				;
			d->slot[j].w = d->w[m];
			d->slot[j].len = d->len[m];
			d->slot[j].id = (uint32_t)m + 1;
		}
	} else {
		for (j = c->hash & (d->nslot - 1); d->slot[j].id; j = (j + 1) & (d->nslot - 1))
			;
		d->slot[j].w = c->w;
		d->slot[j].len = (uint32_t)c->len;
		d->slot[j].id = k + 1;
	}
	return d->last = k;
}

/* The index of code c in d, added when absent; UINT32_MAX when there are too many. */
static FAST_HOT uint32_t fdict_get(struct fdict *d, const struct fcode *c)
{
	uint32_t k;
	if (d->last != UINT32_MAX && fdict_is(d, d->last, d->w[d->last], d->len[d->last], c))
		return d->last;
	if ((k = fdict_find(d, c)) != UINT32_MAX)
		return d->last = k;
	return fdict_add(d, c);
}

/* Code k of d as a key to look it up in another dictionary. */
static void fdict_code(const struct fdict *d, uint32_t k, struct fcode *c)
{
	c->p = d->code[k];
	c->len = d->len[k];
	c->w = d->w[k];
	c->hash = d->hash[k];
}

static void fdict_release(struct fdict *d)
{
	size_t k;
	for (k = 0; k < d->n; k++)
		free(d->code[k]);
	free(d->code);
	free(d->w);
	free(d->len);
	free(d->hash);
	free(d->slot);
	memset(d, 0, sizeof(*d));
}

/* The index of a year (0..9999), added when absent unless add is 0 (then UINT32_MAX). */
static inline uint32_t fyear_get(struct fpart *p, int year, int add)
{
	if (!p->yslot) {
		if (!add)
			return UINT32_MAX;
		p->yslot = fast_zalloc(10000, sizeof(*p->yslot));
		p->yval = fast_zalloc(10000, sizeof(*p->yval));
	}
	if (!p->yslot[year]) {
		if (!add)
			return UINT32_MAX;
		p->yval[p->nyear++] = year;
		p->yslot[year] = (uint32_t)p->nyear;
	}
	return p->yslot[year] - 1;
}

/* The most cells the grid may hold room for: past it, the input goes to the general reader. */
#define FAST_GRID_MAX ((size_t)1 << 23)

/* A capacity above need: cap itself, or doubled from it (16 at first). */
static size_t fast_cap(size_t cap, size_t need)
{
	if (need < cap)
		return cap;
	if (!cap)
		cap = 16;
	while (cap <= need)
		cap *= 2;
	return cap;
}

/* Makes room in the grid for (r, i, y); -1 when it would pass FAST_GRID_MAX. */
static int fgrid_grow(struct fpart *p, uint32_t r, uint32_t i, uint32_t y)
{
	size_t rc = fast_cap(p->rcap, r), ic = fast_cap(p->icap, i), yc = y < p->ycap ? p->ycap : (size_t)y + 1;
	size_t k;
	uint32_t *g;
	if (ic > FAST_GRID_MAX / rc || yc > FAST_GRID_MAX / (rc * ic))
		return -1;
	g = fast_zalloc(rc * ic * yc, sizeof(*g));
	for (k = 0; k < p->ncell; k++) {
		const struct fplace *x = &p->place[k];
		g[((size_t)x->y * rc + x->r) * ic + x->i] = (uint32_t)k + 1;
	}
	free(p->grid);
	p->grid = g;
	p->rcap = rc;
	p->icap = ic;
	p->ycap = yc;
	return 0;
}

/*
 * Room for n cells (n >= p->ncell) in the part's cells, their accumulators
 * and places: doubled as cells come, and cut to what is used once a part
 * is read (fpart_fit) or given the exact room a merge needs, so that the
 * cells of a large cube are not held at twice their size while the builder
 * takes them (a cube of 2 million cells is some 170 MB of them).
 */
static void fcell_resize(struct fpart *p, size_t n)
{
	if (n < p->ncell)
		BUG("stats: fewer cells' room than cells");
	if (!n)
		n = 1;
	p->cellalloc = n;
	p->cell = xrealloc(p->cell, st_mult(n, sizeof(*p->cell)));
	p->place = xrealloc(p->place, st_mult(n, sizeof(*p->place)));
	p->acc = xrealloc(p->acc, st_mult(n, sizeof(*p->acc)));
}

/*
 * The part's cells cut to the room they use (above); with done, the part
 * is read and merged: its tables for finding cells go too (the grid alone
 * is 4 bytes for every region x industry x year its codes could make).
 */
static void fpart_fit(struct fpart *p, int done)
{
	if (p && p->cellalloc > p->ncell + p->ncell / 64 + 1024)
		fcell_resize(p, p->ncell);
	if (p && done) {
		free(p->grid);
		p->grid = NULL;
		p->rcap = p->icap = p->ycap = 0;
	}
}

/*
 * The index of cell (r, i, y); created (*fresh = 1) when absent unless add
 * is 0.  SIZE_MAX when absent and not added, or when the grid is full.
 */
static size_t fcell_get(struct fpart *p, uint32_t r, uint32_t i, uint32_t y, int add, int *fresh)
{
	uint32_t *g;
	if (r >= p->rcap || i >= p->icap || y >= p->ycap) {
		if (!add || fgrid_grow(p, r, i, y))
			return SIZE_MAX;
	}
	g = &p->grid[((size_t)y * p->rcap + r) * p->icap + i];
	if (*g) {
		*fresh = 0;
		return *g - 1;
	}
	if (!add)
		return SIZE_MAX;
	if (p->ncell == p->cellalloc)
		fcell_resize(p, p->cellalloc ? st_mult(p->cellalloc, 2) : 1024);
	memset(&p->acc[p->ncell], 0, sizeof(*p->acc));
	p->place[p->ncell].r = r;
	p->place[p->ncell].i = i;
	p->place[p->ncell].y = y;
	*g = (uint32_t)++p->ncell;
	*fresh = 1;
	return p->ncell - 1;
}

/*
 * Adds v to a cell as the builder's put_value does: a missing value (NAN)
 * takes the new one, a new NAN changes nothing (x + -0.0 is x, even -0.0).
 */
static FAST_HOT void fcell_put(struct fcell *x, int fresh, const double v[3])
{
	int k;
	for (k = 0; k < 3; k++)
		x->v[k] = fresh || isnan(x->v[k]) ? v[k] : x->v[k] + (isnan(v[k]) ? -0.0 : v[k]);
}

/*
 * Adds the counts kept in a's accumulator to cell x's values: 0, or -1 when
 * a total reaches 2^53 (adding the counts one by one might round then).
 */
static int fcell_settle(struct fcell *x, struct facc *a)
{
	int k;
	for (k = 0; k < 3; k++) {
		uint64_t t;
		if (!(a->any >> k & 1))
			continue;
		t = (isnan(x->v[k]) ? 0 : (uint64_t)x->v[k]) + a->sum[k];
		if (t >= ((uint64_t)1 << 53))
			return -1;
		x->v[k] = (double)t;
		a->sum[k] = 0;
	}
	for (k = 0; k < 3; k++)
		a->parts |= (a->any >> k & 1 ? FPART_KNOWN(k) : 0) | (a->any & FACC_NO(k) ? FPART_MISSING(k) : 0);
	a->any = 0;
	return 0;
}

/* Whether every value of x is missing or a whole number below 2^53 (a cell that may take an accumulator). */
static int fcell_whole(const struct fcell *x)
{
	int k;
	for (k = 0; k < 3; k++)
		if (!isnan(x->v[k]) && !(x->v[k] >= 0 && x->v[k] < TWO_53 && x->v[k] == floor(x->v[k])))
			return 0;
	return 1;
}

/* Settles every cell's accumulator (fcell_settle): FAST_OK or FAST_GIVE_UP. */
static int fast_settle(struct fpart *p)
{
	size_t k;
	for (k = 0; k < p->ncell; k++)
		if (fcell_settle(&p->cell[k], &p->acc[k]))
			return FAST_GIVE_UP;
	return FAST_OK;
}

/* Adds one row's values to its cell: FAST_OK, or FAST_GIVE_UP (a repeated cell without sum). */
static FAST_HOT int fast_add(struct fpart *p, const struct fcode *reg, const struct fcode *ind, int year,
			     const double v[3])
{
	uint32_t r = fdict_get(&p->reg, reg), i = fdict_get(&p->ind, ind), y, g;
	size_t x;
	int fresh;
	if (r == UINT32_MAX || i == UINT32_MAX)
		return FAST_GIVE_UP;
	if (year != p->ylast_year) {
		p->ylast = fyear_get(p, year, 1);
		p->ylast_year = year;
	}
	y = p->ylast;
	/* an existing cell, the common case */
	if (r < p->rcap && i < p->icap && y < p->ycap &&
	    (g = p->grid[((size_t)y * p->rcap + r) * p->icap + i]) != 0) {
		if (!p->f->sum)
			return FAST_GIVE_UP;  /* the general reader names both lines */
		if (fcell_settle(&p->cell[g - 1], &p->acc[g - 1]))
			return FAST_GIVE_UP;
		fcell_put(&p->cell[g - 1], 0, v);
		p->acc[g - 1].inexact = !fcell_whole(&p->cell[g - 1]);
		p->acc[g - 1].parts |= fpart_of_values(v);
		p->last_cell = g - 1;
		p->n.cells++;
		p->n.missing += isnan(v[0]);
		return FAST_OK;
	}
	if ((x = fcell_get(p, r, i, y, 1, &fresh)) == SIZE_MAX)
		return FAST_GIVE_UP;
	if (!fresh && !p->f->sum)
		return FAST_GIVE_UP;  /* the general reader names both lines */
	if (fresh)
		p->place[x].line = p->line;
	if (fcell_settle(&p->cell[x], &p->acc[x]))
		return FAST_GIVE_UP;
	fcell_put(&p->cell[x], fresh, v);
	p->acc[x].inexact = !fcell_whole(&p->cell[x]);
	p->acc[x].parts |= fpart_of_values(v);
	p->last_cell = x;
	p->n.cells++;
	if (isnan(v[0]))
		p->n.missing++;
	return FAST_OK;
}

/* Whether a plain row passes the filters (keep_row on codes of ASCII characters, where
 * strncasecmp is fold_lower_prefix: no other letter lowers to an ASCII one); counts it. */
static FAST_HOT int fast_keep(struct fpart *p, const char *reg, size_t rlen, size_t ilen)
{
	const struct fast *f = p->f;
	if ((f->region_len && rlen != f->region_len) || (f->industry_len && ilen != f->industry_len) ||
	    (f->nprefix && (rlen < f->nprefix || strncasecmp(reg, f->prefix, f->nprefix) != 0))) {
		p->c.filtered++;
		p->n.filtered++;
		return 0;
	}
	p->c.kept++;
	return 1;
}

/*
 * Reads the row at ls, which is not plain, with the general row code and
 * sets *next to the next line.  FAST_GIVE_UP when csv_next would read it
 * otherwise or refuse it.
 */
static int fast_general_row(struct fpart *p, const char *ls, const char *to, const char **next)
{
	const struct fast *f = p->f;
	const char *le = memchr(ls, '\n', (size_t)(to - ls)), *ce, *reg, *code;
	char *q, *qe, *fe;
	int nf = 0, year, traded, m;
	double v[3];
	struct fcode rk, ik;

	le = le ? le : to;
	*next = le < to ? le + 1 : to;
	ce = le > ls && le[-1] == '\r' ? le - 1 : le;
	if (memchr(ls, '\r', (size_t)(ce - ls)) || memchr(ls, '"', (size_t)(ce - ls)) ||
	    !csv_text_valid(ls, (size_t)(ce - ls)))
		return FAST_GIVE_UP;
	buf_reset(&p->row);
	buf_add(&p->row, ls, (size_t)(ce - ls));
	q = p->row.ptr;
	qe = q + p->row.len;
	for (;;) {
		fe = memchr(q, f->sep, (size_t)(qe - q));
		if (!fe)
			fe = qe;
		if (nf == f->ncols || fe - q > CSV_FIELD_MAX)
			return FAST_GIVE_UP;
		p->fv[nf++] = q;
		*fe = '\0';
		if (fe == qe)
			break;
		q = fe + 1;
	}
	if (nf != f->ncols)
		return FAST_GIVE_UP;

	p->rd.line = p->line;
	if (long_keys(&p->rd, f->idx, f->names, &reg, &code, &year, &traded, &p->e))
		return FAST_ERROR;
	p->n.rows++;
	if (!keep_row(&p->c, reg, code))
		return FAST_OK;
	if ((m = long_counts(&p->c, &p->rd, f->idx, f->names, v, &p->e)) != 0)
		return m < 0 ? FAST_ERROR : FAST_OK;
	for (m = 0; m < 3; m++)
		if (!isnan(v[m]) && !(v[m] == floor(v[m]) && v[m] < TWO_53))
			p->whole = 0;
	fast_code(&rk, reg, strlen(reg), reg + strlen(reg));
	fast_code(&ik, code, strlen(code), code + strlen(code));
	return fast_add(p, &rk, &ik, year, v);
}

/*
 * Gives back the pages of the mapped file before s that this part has read
 * (MADV_DONTNEED) once they are f->drop bytes or more, so that the
 * resident memory of a large file stays about FAST_DROP a part.  A page
 * read again — the first part reading the second's lines after all, or a
 * code kept by pointer — comes back from the page cache with the same
 * bytes: the mapping is private and never written.
 */
static void fast_drop(struct fpart *p, const char *s)
{
	const size_t page = p->f->page;
	uintptr_t a, b;
	if (!page || (size_t)(s - p->kept) < p->f->drop)
		return;
	a = ((uintptr_t)p->kept + page - 1) & ~(uintptr_t)(page - 1);
	b = (uintptr_t)s & ~(uintptr_t)(page - 1);
	b = b > page ? b - page : 0;   /* a page of margin behind the row being read */
	if (b > a)
		madvise((void *)a, b - a, MADV_DONTNEED);
	if (b > (uintptr_t)p->kept)
		p->kept = (const char *)b;
}

/* Every 4096 rows (rows: the part's so far): the first part shows the progress line, the second publishes its own. */
static void fast_progress(struct fpart *p, const char *s, long rows)
{
	fast_drop(p, s);
	if (p->pg) {
		unsigned long long done = (unsigned long long)(s - p->base);
		if (p->other) {
			done += atomic_load_explicit(&p->other->done, memory_order_relaxed);
			rows += atomic_load_explicit(&p->other->done_rows, memory_order_relaxed);
		}
		progress_show(p->pg, done, rows, 0);
	} else {
		atomic_store_explicit(&p->done, (unsigned long long)(s - p->from), memory_order_relaxed);
		atomic_store_explicit(&p->done_rows, rows, memory_order_relaxed);
	}
}

#if FAST_SWAR
/* Eight bytes at a time (a little-endian word: the first byte lowest). */
#define B8(c) (0x0101010101010101ULL * (unsigned char)(c))
/* The high bit of each byte of w equal to c's; the lowest one set is the first such byte. */
static FAST_HOT uint64_t swar_eq(uint64_t w, uint64_t c)
{
	uint64_t x = w ^ c;
	return (x - B8(1)) & ~x & B8(0x80);
}
/* Whether some byte of w is below n (n <= 128) or above n (n <= 127). */
#define SWAR_LESS(w, n) (((w) - B8(n)) & ~(w) & B8(0x80))
#define SWAR_MORE(w, n) ((((w) + B8(127 - (n))) | (w)) & B8(0x80))
/* Whether every byte of w is an ASCII digit. */
static FAST_HOT int swar_digits(uint64_t w)
{
	return (w & B8(0xF0)) == B8(0x30) && ((w + B8(0x06)) & B8(0xF0)) == B8(0x30);
}
/* The number of eight digit values 0..9 in d (the most significant in the lowest byte). */
static FAST_HOT uint64_t swar_number(uint64_t d)
{
	const uint64_t mask = 0x000000FF000000FFULL, mul1 = 0x000F424000000064ULL,
		       mul2 = 0x0000271000000001ULL;
	d = d * 10 + (d >> 8);
	return (((d & mask) * mul1) + (((d >> 16) & mask) * mul2)) >> 32;
}
#endif

#if FAST_SSE2
/*
 * A whole row of at most 15 bytes from one 16-byte load (s has 24 bytes
 * before the end of the input, so that eight can be read at any field
 * start): where the
 * separators and the line end are, and which bytes are digits or may be in
 * a code, as bit masks.  1 when the row is plain (codes, year and v set,
 * *next after its line break); 0 when it is not known to be, and the
 * field-by-field code below decides.  It only ever says 1 for a row that
 * code would read the same way.
 */
static FAST_HOT int fast_row16(const struct fast *f, const char *s, const char *end,
			     struct fcode code[2], int *year, double v[3], const char **next)
{
	const __m128i row = _mm_loadu_si128((const __m128i *)(const void *)s);
	unsigned eol, seps, digit, ok, a = 0, e, k;

	eol = (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(row, _mm_set1_epi8('\n')),
						       _mm_cmpeq_epi8(row, _mm_set1_epi8('\r'))));
	if (!eol)
		return 0;
	e = (unsigned)__builtin_ctz(eol);
	if (s[e] == '\r' && (e == 15 || s[e + 1] != '\n'))
		return 0;
	seps = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(row, _mm_set1_epi8(f->sep))) & ((1u << e) - 1);
	/* bytes above 0x7F are negative: neither digits nor code bytes */
	digit = (unsigned)_mm_movemask_epi8(_mm_and_si128(_mm_cmpgt_epi8(row, _mm_set1_epi8('0' - 1)),
							  _mm_cmplt_epi8(row, _mm_set1_epi8('9' + 1))));
	ok = (unsigned)_mm_movemask_epi8(_mm_andnot_si128(
		_mm_or_si128(_mm_cmpeq_epi8(row, _mm_set1_epi8(0x7F)), _mm_cmpeq_epi8(row, _mm_set1_epi8('"'))),
		_mm_cmpgt_epi8(row, _mm_set1_epi8(0x20))));
	for (k = 0; k < (unsigned)f->ncols; k++) {
		unsigned z, n, bits;
		int role = f->role[k];
		uint64_t w;
		if (k + 1 < (unsigned)f->ncols) {
			if (!seps)
				return 0;  /* too few fields */
			z = (unsigned)__builtin_ctz(seps);
			seps &= seps - 1;
		} else {
			if (seps)
				return 0;  /* too many */
			z = e;
		}
		n = z - a;
		bits = ((1u << n) - 1) << a;
		if (role <= FR_INDUSTRY) {
			if (!n || (ok & bits) != bits)
				return 0;
			if (n < 8) {
				memcpy(&w, s + a, 8);
				fast_code_short(&code[role], s + a, n, w & (((uint64_t)1 << (8 * n)) - 1));
			} else {
				fast_code(&code[role], s + a, n, end);
			}
		} else if (n) {
			uint64_t m, num;
			if (n > 7 || (digit & bits) != bits)
				return 0;
			m = ((uint64_t)1 << (8 * n)) - 1;
			memcpy(&w, s + a, 8);
			num = swar_number(((w & m) - (B8('0') & m)) << (64 - 8 * n));
			if (role == FR_YEAR) {
				if (n > 4 || num < 1)
					return 0;
				*year = (int)num;
			} else {
				v[role - FR_EMP] = (double)num;
			}
		} else if (role == FR_YEAR) {
			return 0;
		}
		a = z + 1;
	}
	*next = s + e + (s[e] == '\r' ? 2 : 1);
	return 1;
}
#endif

#if FAST_SSE2
/* Where a key goes in the table (its length is left out: keys of different lengths rarely share words). */
static FAST_HOT size_t fpair_slot(const struct fpart *p, uint64_t w0, uint64_t w1)
{
	return (size_t)(((w0 + w1 * 0x9E3779B97F4A7C15ULL) * 0xff51afd7ed558ccdULL) >> p->pairshift);
}

/*
 * A new empty table of n slots (a power of two) in p: of 16 bytes (pair8)
 * unless wide, else of 24 (pair).  The previous slots are returned in *old8
 * or *old (the other NULL; both when there were none), to be put back.
 */
static void fpair_table(struct fpart *p, size_t n, int wide, struct fpair8 **old8, struct fpair **old)
{
	size_t m;
	*old8 = p->pair8;
	*old = p->pair;
	p->pair8 = wide ? NULL : fast_zalloc(n, sizeof(*p->pair8));
	p->pair = wide ? fast_zalloc(n, sizeof(*p->pair)) : NULL;
	p->pairmask = n - 1;
	for (p->pairshift = 64, m = n; m > 1; m >>= 1)
		p->pairshift--;
}

/* Puts key w0, w1 of len bytes naming cell in p's table, which has room: 0, or 1 when it was there. */
static int fpair_put(struct fpart *p, uint64_t w0, uint64_t w1, uint32_t len, uint32_t cell)
{
	size_t j = fpair_slot(p, w0, w1);
	if (p->pair8) {
		for (; p->pair8[j].w; j = (j + 1) & p->pairmask)
			if (p->pair8[j].w == w0 && p->pair8[j].len == len)
				return 1;
		p->pair8[j].w = w0;
		p->pair8[j].cell = cell;
		p->pair8[j].len = len;
		return 0;
	}
	for (; p->pair[j].w[0]; j = (j + 1) & p->pairmask)
		if (p->pair[j].w[0] == w0 && p->pair[j].w[1] == w1 && p->pair[j].len == len)
			return 1;
	p->pair[j].w[0] = w0;
	p->pair[j].w[1] = w1;
	p->pair[j].cell = cell;
	p->pair[j].len = len;
	return 0;
}

/* p's table again with n slots and its keys, of 24 bytes when wide (some key has more than
 * FPAIR_SHORT bytes); the first table when there was none (p->pairmask 0). */
static void fpair_rehash(struct fpart *p, size_t n, int wide)
{
	struct fpair8 *old8;
	struct fpair *old;
	size_t k, om = p->pairmask + 1;
	fpair_table(p, n, wide, &old8, &old);
	for (k = 0; k < om; k++) {
		if (old8 && old8[k].w)
			fpair_put(p, old8[k].w, 0, old8[k].len, old8[k].cell);
		else if (old && old[k].w[0])
			fpair_put(p, old[k].w[0], old[k].w[1], old[k].len, old[k].cell);
	}
	free(old8);
	free(old);
}

/* The key of the row at s: its first len bytes (len <= FPAIR_KEY_MAX), zero-padded; s has 16 bytes. */
static FAST_HOT void fpair_key(const char *s, unsigned len, uint64_t *w0, uint64_t *w1)
{
	memcpy(w0, s, 8);
	memcpy(w1, s + 8, 8);
	if (len < 8) {
		*w0 &= ((uint64_t)1 << (8 * len)) - 1;
		*w1 = 0;
	} else if (len < 16) {
		*w1 &= len == 8 ? 0 : ~(uint64_t)0 >> (64 - 8 * (len - 8));
	}
}

/*
 * Remembers that the plain row at s, whose key fields end at offset len,
 * named cell (FPAIR_FILTERED: the filters left it out).  Rows with a longer
 * key, or too near the input's end for fast_pair_run, are not remembered.
 */
static FAST_COLD void fpair_add(struct fpart *p, const char *s, size_t len, uint32_t cell)
{
	uint64_t w0, w1;
	if (len > FPAIR_KEY_MAX || len == 0 || p->f->end - s < 64)
		return;
	if (!p->tail) {
		p->tail = fast_zalloc((size_t)1 << FTAIL_BITS, sizeof(*p->tail));
		fpair_rehash(p, 1024, 0);   /* the first key: an empty table */
	}
	if (len > FPAIR_SHORT && p->pair8)
		fpair_rehash(p, p->pairmask + 1, 1);   /* the first longer key: slots of 24 bytes */
	if (4 * (p->npair + 1) > 3 * (p->pairmask + 1))
		fpair_rehash(p, 2 * (p->pairmask + 1), p->pair != NULL);
	fpair_key(s, (unsigned)len, &w0, &w1);
	if (!fpair_put(p, w0, w1, (uint32_t)len, cell))
		p->npair++;
}

/* The length of the key of the plain row at s (nkey fields), or FPAIR_KEY_MAX + 1 when longer. */
static size_t fast_key_len(const char *s, char sep, int nkey)
{
	size_t k;
	for (k = 0; k <= FPAIR_KEY_MAX; k++)
		if (s[k] == sep && --nkey == 0)
			return k;
	return FPAIR_KEY_MAX + 1;
}

/*
 * Reads rows from s on for as long as each is a row whose key was met
 * before (fpair_add), ending in LF, with whole counts of at most 7 digits
 * (or none) as many as the header says; returns where it stopped: at lim,
 * or at the first other row, which the general code then reads.  The bytes
 * are classified 64 at a time (a window of bit masks that rows are read
 * from while they begin in its first half), so s < lim must leave 64 bytes
 * before the input's end.  The counts of a cell whose values are whole go
 * to its accumulator (struct facc); others are added one by one.  wide is
 * the part's table: 1 for pair, 0 for pair8 (a row whose key is longer than
 * FPAIR_SHORT then stops the run: its key is not there).
 */
static FAST_HOT const char *fast_pair_run_n(struct fpart *p, const char *s, const char *lim,
					    const unsigned nkey, const unsigned ncount, const int ordered,
					    const int wide)
{
	const struct fast *f = p->f;
	const __m128i nlv = _mm_set1_epi8('\n'), spv = _mm_set1_epi8(f->sep), lo = _mm_set1_epi8('0' - 1),
		      hi = _mm_set1_epi8('9' + 1);
	const struct fpair *pair = p->pair;
	const struct fpair8 *pair8 = p->pair8;
	const size_t pmask = p->pairmask;
	const char *base = NULL;
	uint64_t nlm = 0, sepm = 0, digm = 0;
	long rows = 0, filtered = 0, missing = 0;
	unsigned role[3], emp = 0, k;

	for (k = 0; k < ncount; k++) {
		role[k] = ordered ? k : (unsigned)(f->role[nkey + k] - FR_EMP);
		if (role[k] == 0)
			emp = k;
	}
	while (s < lim) {
		uint64_t nl, sp, rowm, tail, rest, w0, w1, tw = 0, num[3];
		unsigned e, kz, a0, tl, given = 0;
		uint32_t cell;
		size_t off, j;
		struct ftail *tm;

		if (!base || s - base >= 64 || !(nlm >> (s - base))) {
			base = s;
			nlm = sepm = digm = 0;
#ifdef __GNUC__
#pragma GCC unroll 4
#endif
			for (k = 0; k < 4; k++) {
				const __m128i c = _mm_loadu_si128((const __m128i *)(const void *)(s + 16 * k));
				nlm |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(c, nlv)) << (16 * k);
				sepm |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(c, spv)) << (16 * k);
				digm |= (uint64_t)(unsigned)_mm_movemask_epi8(
						_mm_and_si128(_mm_cmpgt_epi8(c, lo), _mm_cmplt_epi8(c, hi)))
					<< (16 * k);
			}
		}
		off = (size_t)(s - base);
		if (!(nl = nlm >> off))
			break;  /* longer than what is left of the window */
		e = (unsigned)__builtin_ctzll(nl);
		rowm = ((uint64_t)1 << e) - 1;
		sp = (sepm >> off) & rowm;
		/* the key: the bytes before the separator after the last key field */
		rest = sp & (sp - 1);
		if (nkey == 3)
			rest &= rest - 1;
		if (!rest || (kz = (unsigned)__builtin_ctzll(rest)) > (wide ? FPAIR_KEY_MAX : FPAIR_SHORT))
			break;
		fpair_key(s, kz, &w0, &w1);
		for (j = fpair_slot(p, w0, w1);; j = (j + 1) & pmask) {
			if (wide) {
				const struct fpair *x = &pair[j];
				if (x->w[0] == w0 && x->w[1] == w1 && x->len == kz) {
					cell = x->cell;
					break;
				}
				if (!x->w[0])
					goto stop;
			} else {
				const struct fpair8 *x = &pair8[j];
				if (x->w == w0 && x->len == kz) {
					cell = x->cell;
					break;
				}
				if (!x->w)
					goto stop;
			}
		}
		/* the counts: the same bytes as a tail read before, or else digits or nothing between the separators */
		tl = e - kz - 1;
		if (tl - 1 < 8) {
			memcpy(&tw, s + kz + 1, 8);
			tw &= ~(uint64_t)0 >> (64 - 8 * tl);
			tm = &p->tail[((tw + tl) * 0x9E3779B97F4A7C15ULL) >> (64 - FTAIL_BITS)];
			if (tm->w == tw && tm->len == tl) {
				for (k = 0; k < ncount; k++)
					num[k] = tm->num[k];
				given = tm->given;
				goto counted;
			}
		} else {
			tm = NULL;
		}
		tail = rowm & ~(((uint64_t)2 << kz) - 1);
		if ((((digm >> off) | sp) & tail) != tail)
			break;
		rest = sp & tail;
		a0 = kz + 1;
#ifdef __GNUC__
#pragma GCC unroll 3
#endif
		for (k = 0; k < ncount; k++) {
			unsigned z, n;
			uint64_t d;
			if (k + 1 < ncount) {
				if (!rest)
					goto stop;  /* too few fields */
				z = (unsigned)__builtin_ctzll(rest);
				rest &= rest - 1;
			} else {
				if (rest)
					goto stop;  /* too many */
				z = e;
			}
			n = z - a0;
			if (n > 7)
				goto stop;
			/* the digits to the top of the word (a borrow from the bytes after them goes up and out) */
			if (n <= 4) {
				uint32_t q;
				memcpy(&q, s + a0, 4);
				q = (q - 0x30303030u) << ((32 - 8 * n) & 31);
				q = q * 10 + (q >> 8);
				num[k] = n ? (((q & 0x00FF00FFu) * (1u + (100u << 16))) >> 16) & 0xFFFF : 0;
			} else {
				memcpy(&d, s + a0, 8);
				num[k] = swar_number((d - B8('0')) << (64 - 8 * n));
			}
			given |= (n != 0) << role[k];
			a0 = z + 1;
		}
		for (k = 0; k < 3; k++)
			if (!(given >> k & 1))
				given |= FACC_NO(k);   /* kept with the tail: the row loop adds it to any as it is */
		if (tm) {
			tm->w = tw;
			tm->len = tl;
			tm->given = (unsigned char)given;
			for (k = 0; k < ncount; k++)
				tm->num[k] = (uint32_t)num[k];
		}
counted:
		/* the row is read: count it and add its counts */
		if (cell == FPAIR_FILTERED) {
			filtered++;
		} else {
			struct facc *ac = &p->acc[cell];
			missing += !(given & 1);
			if (!ac->inexact) {
#ifdef __GNUC__
#pragma GCC unroll 3
#endif
				for (k = 0; k < ncount; k++)
					ac->sum[role[k]] += num[k];
				ac->any |= (unsigned char)given;
			} else {
				double v[3] = { NAN, NAN, NAN };
				for (k = 0; k < ncount; k++)
					if (given >> role[k] & 1)
						v[role[k]] = (double)num[k];
				fcell_put(&p->cell[cell], 0, v);
				ac->parts |= fpart_of(given);
			}
		}
		s += e + 1;
		if ((++rows & 4095) == 0)
			fast_progress(p, s, p->rows + rows);
	}
stop:
	(void)emp;
	p->rows += rows;
	p->line += rows;
	p->n.rows += rows;
	p->c.filtered += filtered;
	p->n.filtered += filtered;
	p->c.kept += rows - filtered;
	p->n.cells += rows - filtered;
	p->n.missing += missing;
	return s;
}

/* fast_pair_run_n for the part's numbers of key fields and counts and its table, known to the compiler. */
#define FAST_PAIR_RUN(nk, nc, ord) \
	(p->pair8 ? fast_pair_run_n(p, s, lim, nk, nc, ord, 0) : fast_pair_run_n(p, s, lim, nk, nc, ord, 1))
FAST_CLONES static const char *fast_pair_run(struct fpart *p, const char *s, const char *lim)
{
	const struct fast *f = p->f;
	if (f->ordered) {
		switch (f->nkey * 4 + f->ncount) {
		case 2 * 4 + 1: return FAST_PAIR_RUN(2, 1, 1);
		case 2 * 4 + 2: return FAST_PAIR_RUN(2, 2, 1);
		case 2 * 4 + 3: return FAST_PAIR_RUN(2, 3, 1);
		case 3 * 4 + 1: return FAST_PAIR_RUN(3, 1, 1);
		case 3 * 4 + 2: return FAST_PAIR_RUN(3, 2, 1);
		case 3 * 4 + 3: return FAST_PAIR_RUN(3, 3, 1);
		}
	} else {
		switch (f->nkey * 4 + f->ncount) {
		case 2 * 4 + 2: return FAST_PAIR_RUN(2, 2, 0);
		case 2 * 4 + 3: return FAST_PAIR_RUN(2, 3, 0);
		case 3 * 4 + 2: return FAST_PAIR_RUN(3, 2, 0);
		case 3 * 4 + 3: return FAST_PAIR_RUN(3, 3, 0);
		}
	}
	return s;
}
#undef FAST_PAIR_RUN
#endif

static const double pow10_tab[FAST_DIGITS + 1] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15
};

/* Reads the lines of s..to into p: FAST_OK (the accumulators not yet
 * settled, fast_settle), FAST_ERROR (p->e) or FAST_GIVE_UP. */
static int fast_read_lines(struct fpart *p, const char *s, const char *to)
{
	const struct fast *f = p->f;
	const unsigned char *cls = f->cls;
	const char sep = f->sep, *end = f->end;
	const int ncols = f->ncols;
#if FAST_SWAR
	const uint64_t sepw = B8(sep);
#endif
#if FAST_SSE2
	const char *lim = end - to >= 64 ? to : end - s > 64 ? end - 64 : s;  /* fast_pair_run's rows begin before */
#endif

	while (s < to) {
		const char *ls = s;
		struct fcode code[2];
		double v[3] = { NAN, NAN, NAN };
		int year = 0, point = 0, k, rc;

		/* an empty line (LF, CRLF, or a CR ending the input) */
		if (*s == '\n' || (*s == '\r' && (s + 1 == to || s[1] == '\n'))) {
			s += *s == '\r' && s + 1 < to ? 2 : 1;
			p->line++;
			continue;
		}
#if FAST_SSE2
		/* rows whose key was met before, while they come (a few tries when they never do) */
		if (p->npair && s < lim && p->pair_tries < 4 * p->pair_hits + 1024) {
			const char *t = fast_pair_run(p, s, lim);
			p->pair_tries++;
			if (t != s) {
				p->pair_hits++;
				s = t;
				continue;
			}
		}
#endif
		p->rows++;
		if ((p->rows & 4095) == 0)
			fast_progress(p, s, p->rows);
#if FAST_SSE2
		if (end - s >= 24 && fast_row16(f, s, end, code, &year, v, &s))
			goto plain;
#endif
		for (k = 0; k < ncols; k++) {
			const char *fs = s;
			int role = f->role[k];
#if FAST_SWAR
			/* a field of at most 7 bytes from one word; else byte by byte below */
			if (end - s >= 8) {
				uint64_t w, stop;
				memcpy(&w, s, 8);
				stop = swar_eq(w, sepw) | swar_eq(w, B8('\n')) | swar_eq(w, B8('\r'));
				if (stop) {
					size_t n = (size_t)__builtin_ctzll(stop) >> 3;
					uint64_t m = n ? ~(uint64_t)0 >> (64 - 8 * n) : 0, x;
					if (role <= FR_INDUSTRY) {
						x = (w & m) | (B8('A') & ~m);
						if (!n || SWAR_LESS(x, 0x21) || SWAR_MORE(x, 0x7E) || swar_eq(x, B8('"')))
							goto general;
						fast_code_short(&code[role], fs, n, w & m);
						s += n;
						goto field_end;
					}
					x = (w & m) | (B8('0') & ~m);
					if (swar_digits(x)) {
						if (n) {
							uint64_t num = swar_number((x - B8('0')) << (8 * (8 - n)));
							if (role == FR_YEAR) {
								if (n > 4 || num < 1)
									goto general;
								year = (int)num;
							} else {
								v[role - FR_EMP] = (double)num;
							}
						} else if (role == FR_YEAR) {
							goto general;
						}
						s += n;
						goto field_end;
					}
				}
			}
#endif
			if (role <= FR_INDUSTRY) {
				while (s < to && cls[(unsigned char)*s] <= FB_CODE)
					s++;
				if (s == fs || s - fs > CSV_FIELD_MAX)
					goto general;
				fast_code(&code[role], fs, (size_t)(s - fs), end);
			} else if (role == FR_YEAR) {
				while (s < to && cls[(unsigned char)*s] == FB_DIGIT && s - fs < 4)
					year = year * 10 + (*s++ - '0');
				if (year < 1)
					goto general;
			} else {
				uint64_t m = 0;
				int nd = 0, fd = 0;
				while (s < to && cls[(unsigned char)*s] == FB_DIGIT) {
					m = m * 10 + (uint64_t)(*s++ - '0');
					nd++;
				}
				if (s < to && cls[(unsigned char)*s] == FB_POINT) {
					if (!nd)
						goto general;
					s++;
					while (s < to && cls[(unsigned char)*s] == FB_DIGIT) {
						m = m * 10 + (uint64_t)(*s++ - '0');
						fd++;
					}
					if (!fd)
						goto general;
				}
				if (nd + fd > FAST_DIGITS)
					goto general;
				if (nd) {
					v[role - FR_EMP] = fd ? (double)m / pow10_tab[fd] : (double)m;
					if (fd && role == FR_EST && v[role - FR_EMP] != floor(v[role - FR_EMP]))
						goto general;   /* not a whole count: long_counts says so */
					point |= fd;
				}
			}
#if FAST_SWAR
field_end:
#endif
			if (k + 1 < ncols) {
				if (s == to || *s != sep)
					goto general;
				s++;
			}
		}
		/* the end of the line */
		if (s < to) {
			if (*s == '\n')
				s++;
			else if (*s == '\r' && (s + 1 == to || s[1] == '\n'))
				s += s + 1 < to ? 2 : 1;
			else
				goto general;
		}
#if FAST_SSE2
plain:
#endif
		p->n.rows++;
		if (fast_keep(p, code[FR_REGION].p, code[FR_REGION].len, code[FR_INDUSTRY].len)) {
			if ((rc = fast_add(p, &code[FR_REGION], &code[FR_INDUSTRY], year, v)) != 0)
				return rc;
			if (point) {
				p->whole = 0;
				if (p->need_whole)
					return FAST_GIVE_UP;
			}
#if FAST_SSE2
			else if (f->nkey && s[-1] == '\n' && s[-2] != '\r')
				fpair_add(p, ls, fast_key_len(ls, sep, f->nkey), (uint32_t)p->last_cell);
		} else if (f->nkey && s[-1] == '\n' && s[-2] != '\r') {
			fpair_add(p, ls, fast_key_len(ls, sep, f->nkey), FPAIR_FILTERED);
#endif
		}
		p->line++;
		continue;
general:
		if ((rc = fast_general_row(p, ls, to, &s)) != FAST_OK)
			return rc;
		if (!p->whole && p->need_whole)
			return FAST_GIVE_UP;
		p->line++;
	}
	return FAST_OK;
}

/* fast_read_lines and fast_settle: FAST_OK, FAST_ERROR (p->e) or FAST_GIVE_UP. */
static int fast_read(struct fpart *p, const char *s, const char *to)
{
	int rc = fast_read_lines(p, s, to);
	return rc == FAST_OK ? fast_settle(p) : rc;
}

/* The end of a chunk that begins at a (a line start) in a..limit: the start
 * of the line after the one that holds byte a + chunk, or limit. */
static const char *fast_chunk_end(const char *a, const char *limit, size_t chunk)
{
	const char *nl;
	if ((size_t)(limit - a) <= chunk)
		return limit;
	nl = memchr(a + chunk, '\n', (size_t)(limit - (a + chunk)));
	return nl && nl + 1 < limit ? nl + 1 : limit;
}

/* The second part: its half chunk by chunk (struct fsteal), up to the
 * limit the first part may have lowered; p->to ends as that limit. */
static void *fast_thread(void *arg)
{
	struct fpart *p = arg;
	struct fsteal *st = p->steal;
	int rc = FAST_OK, first = 1;
	for (;;) {
		const char *a, *b;
		pthread_mutex_lock(&st->mu);
		if (st->test && !first)
			while (!st->decided)
				pthread_cond_wait(&st->cv, &st->mu);
		a = st->next;
		b = a < st->limit ? fast_chunk_end(a, st->limit, st->chunk) : a;
		st->next = b;
		st->taken = 1;
		pthread_cond_broadcast(&st->cv);
		pthread_mutex_unlock(&st->mu);
		first = 0;
		if (a == b || (rc = fast_read_lines(p, a, b)) != FAST_OK)
			break;
		fast_drop(p, b);
	}
	if (rc == FAST_OK)
		rc = fast_settle(p);
	pthread_mutex_lock(&st->mu);
	p->to = st->limit;
	st->stop |= rc != FAST_OK;
	pthread_mutex_unlock(&st->mu);
	p->status = rc;
	return NULL;
}

/*
 * The first part, done with its own half: takes the later half of what the
 * second part has not begun (at a line start), when it wants to, that is at
 * least two chunks and the second part has not failed.  *from..*to is the
 * range taken, or both NULL.  Either way the second part may go on.
 */
static void fast_steal(struct fsteal *st, int want, const char **from, const char **to)
{
	*from = *to = NULL;
	pthread_mutex_lock(&st->mu);
	if (st->test)
		while (!st->taken)
			pthread_cond_wait(&st->cv, &st->mu);
	if (want && !st->stop && st->next < st->limit && (size_t)(st->limit - st->next) >= 2 * st->chunk) {
		const char *half = st->next + (st->limit - st->next) / 2;
		const char *nl = memchr(half, '\n', (size_t)(st->limit - half));
		if (nl && nl + 1 < st->limit) {
			*from = nl + 1;
			*to = st->limit;
			st->limit = nl + 1;
		}
	}
	st->decided = 1;
	pthread_cond_broadcast(&st->cv);
	pthread_mutex_unlock(&st->mu);
}

static struct fpart *fpart_new(const struct fast *f, const struct ctx *c, const char *from,
			       const char *to, long line)
{
	struct fpart *p = xcalloc(1, sizeof(*p));
	size_t k;
	p->f = f;
	p->from = from;
	p->to = to;
	p->c = *c;
	p->c.n = &p->n;
	p->c.b = NULL;  /* cells go to the part's own tables */
	p->c.kept = p->c.filtered = 0;
	p->rd.name = f->name;
	p->rd.sep = f->sep;
	buf_init(&p->rd.src, 16);
	for (k = 0; k < sizeof(p->rd.t) / sizeof(p->rd.t[0]); k++)
		buf_init(&p->rd.t[k], 32);
	p->fv = xcalloc((size_t)f->ncols, sizeof(*p->fv));
	p->rd.fv = p->fv;
	kerr_clear(&p->e);
	p->reg.last = p->ind.last = UINT32_MAX;
	p->ylast_year = -1;
	p->line = line;
	p->kept = from;
	p->whole = 1;
	buf_init(&p->row, 256);
	atomic_init(&p->done, 0);
	atomic_init(&p->done_rows, 0);
	return p;
}

static void fpart_free(struct fpart *p)
{
	if (!p)
		return;
	p->rd.fv = NULL;
	rd_close(&p->rd);
	fdict_release(&p->reg);
	fdict_release(&p->ind);
	free(p->pair);
	free(p->pair8);
	free(p->tail);
	free(p->yslot);
	free(p->yval);
	free(p->cell);
	free(p->acc);
	free(p->place);
	free(p->grid);
	buf_release(&p->row);
	free(p->fv);
	free(p);
}

/*
 * Whether the second part b can be merged into the first a with the result
 * of reading b's lines after a's (see above), and a's grid has room; with
 * *only_b the number of b's cells a does not have (when it says yes).
 */
static int fast_mergeable(struct fpart *a, struct fpart *b, size_t *only_b)
{
	struct fcode c;
	size_t k, nr = a->reg.n, ni = a->ind.n, ny = a->nyear, rc, ic;
	int m;
	if (b->n.invalid && !a->n.invalid)
		return 0;  /* the first message would name b's line counted from 0 */
	for (k = 0; k < b->reg.n; k++) {
		fdict_code(&b->reg, (uint32_t)k, &c);
		nr += fdict_find(&a->reg, &c) == UINT32_MAX;
	}
	for (k = 0; k < b->ind.n; k++) {
		fdict_code(&b->ind, (uint32_t)k, &c);
		ni += fdict_find(&a->ind, &c) == UINT32_MAX;
	}
	for (k = 0; k < b->nyear; k++)
		ny += fyear_get(a, b->yval[k], 0) == UINT32_MAX;
	rc = fast_cap(a->rcap, nr ? nr - 1 : 0);
	ic = fast_cap(a->icap, ni ? ni - 1 : 0);
	if (ny < a->ycap)
		ny = a->ycap;
	if (nr >= 0x7FFFFFF0u || ni >= 0x7FFFFFF0u || ic > FAST_GRID_MAX / rc || ny > FAST_GRID_MAX / (rc * ic))
		return 0;
	*only_b = 0;
	for (k = 0; k < b->ncell; k++) {
		const struct fplace *y = &b->place[k];
		const struct fcell *yv = &b->cell[k];
		uint32_t r, i, yr;
		size_t x;
		int fresh;
		fdict_code(&b->reg, y->r, &c);
		r = fdict_find(&a->reg, &c);
		fdict_code(&b->ind, y->i, &c);
		i = fdict_find(&a->ind, &c);
		yr = fyear_get(a, b->yval[y->y], 0);
		if (r == UINT32_MAX || i == UINT32_MAX || yr == UINT32_MAX ||
		    (x = fcell_get(a, r, i, yr, 0, &fresh)) == SIZE_MAX) {
			++*only_b;
			continue;  /* only in b: summed from its first row, as in order */
		}
		if (!a->f->sum || !b->whole)
			return 0;
		for (m = 0; m < 3; m++) {
			double s1 = a->cell[x].v[m], s2 = yv->v[m];
			if (!isnan(s1) && !isnan(s2) && !(s1 == floor(s1) && s1 + s2 < TWO_53))
				return 0;
		}
	}
	return 1;
}

/* Adds the second part b to the first a (fast_mergeable said yes). */
static void fast_merge(struct fpart *a, struct fpart *b)
{
	struct fcode c;
	size_t k;
	for (k = 0; k < b->ncell; k++) {
		const struct fplace *y = &b->place[k];
		uint32_t r, i;
		size_t x;
		int fresh;
		fdict_code(&b->reg, y->r, &c);
		r = fdict_get(&a->reg, &c);
		fdict_code(&b->ind, y->i, &c);
		i = fdict_get(&a->ind, &c);
		if (r == UINT32_MAX || i == UINT32_MAX ||
		    (x = fcell_get(a, r, i, fyear_get(a, b->yval[y->y], 1), 1, &fresh)) == SIZE_MAX)
			BUG("stats: the fast path's merge ran out of room");
		if (fresh || a->place[x].line > a->line + y->line)
			a->place[x].line = a->line + y->line;  /* a cell a first met in lines it took from b's half */
		fcell_put(&a->cell[x], fresh, b->cell[k].v);
		a->acc[x].parts |= b->acc[k].parts;
	}
	a->line += b->line;
	a->rows += b->rows;
	a->n.rows += b->n.rows;
	a->n.cells += b->n.cells;
	a->n.missing += b->n.missing;
	a->n.invalid += b->n.invalid;
	a->n.filtered += b->n.filtered;
	a->c.kept += b->c.kept;
	a->c.filtered += b->c.filtered;
}

/* A cell and the line it was first given on. */
struct fline {
	long line;
	size_t cell;
};

static int cmp_fline(const void *a, const void *b)
{
	const struct fline *x = a, *y = b;
	return x->line < y->line ? -1 : x->line > y->line;
}

/* p's cells in the order of their first lines (after a part took lines
 * from the other's half, its cells are not in that order). */
static struct fline *fast_line_order(const struct fpart *p)
{
	struct fline *o;
	size_t k;
	ALLOC_ARRAY(o, p->ncell ? p->ncell : 1);
	for (k = 0; k < p->ncell; k++) {
		o[k].line = p->place[k].line;
		o[k].cell = k;
	}
	qsort(o, p->ncell, sizeof(*o), cmp_fline);
	return o;
}

/* The number of CPUs this process may use (at least 1). */
static long fast_cpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? n : 1;
}

/*
 * The input as one block: the caller's memory, or the file mapped (a
 * regular file that is not empty).  -1 when it cannot be had.
 */
static int rd_map(struct rd *r, const char **data, size_t *len)
{
	struct stat sb;
	void *m;
	if (!r->f) {
		*data = r->data;
		*len = r->len;
		return 0;
	}
	if (fstat(fileno(r->f), &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_size <= 0 ||
	    (unsigned long long)sb.st_size > SIZE_MAX)
		return -1;
	/* not MAP_POPULATE: faulting the pages in as they are read is cheaper in all and
	 * happens in both parts at once */
	m = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE, fileno(r->f), 0);
	if (m == MAP_FAILED)
		return -1;
	posix_madvise(m, (size_t)sb.st_size, POSIX_MADV_WILLNEED);  /* read ahead when not cached */
	r->map = m;
	r->nmap = (size_t)sb.st_size;
	r->map_slot = map_guard(m, r->nmap);
	*data = m;
	*len = r->nmap;
	return 0;
}

/* 1 when the fast path may read c's data: not the general reader's by choice, no crosswalk, a
 * builder of its own that is still empty. */
static int fast_may(const struct ctx *c)
{
	return c->o->reader != STATS_READER_GENERAL && !c->xw && c->b && !cube_builder_ncells(c->b);
}

/* Reads the header of data[0..len) (sep) into r as the fast path does: 0 when it reads the rows
 * after it (ext's and idx's columns set), -1 when it leaves them to the general reader (he).
 * SDMX-CSV's descriptive columns too: the general reader skips them. */
static int fast_header(struct rd *r, const char *data, size_t len, char sep, const struct header_ext *ext,
		       int *idx, struct kerr *he)
{
	r->sep = sep;
	r->csv = csv_open_mem(data, len, r->name, sep);
	return read_header(r, long_cols, L_N, idx, ext, "a statistics file", he) ||
	       long_layout(r, idx, ext->wide, he) || ext->wide->n || idx[L_TRADED] >= 0 || idx[L_RNAME] >= 0 ||
	       idx[L_INAME] >= 0 || *ext->nskipped ? -1 : 0;
}

/* 1 when the fast path would read the data data[0..len) begins (named name, sep) were it a file:
 * c's data may go there and the header at its start is one it reads. */
static int fast_takes(struct ctx *c, const char *data, size_t len, const char *name, char sep)
{
	struct rd r;
	struct ycols wide = { NULL, 0 };
	const char *names[L_N];
	size_t nskipped = 0;
	const struct header_ext ext = { long_aliases, sizeof(long_aliases) / sizeof(long_aliases[0]),
					names, &wide, sdmx_skip, &nskipped, NULL };
	struct kerr he = KERR_INIT;
	int idx[L_N], ok;
	if (!fast_may(c))
		return 0;
	rd_open(&r, NULL, data, len, name, 0, &he);   /* a block: cannot fail */
	ok = fast_header(&r, data, len, sep, &ext, idx, &he) == 0;
	ycols_release(&wide);
	rd_close(&r);
	return ok;
}

/*
 * Reads a long CSV by the fast path: 0 (read into c->b; the caller checks
 * rows and filters as after read_long), -1 (an error in e, the general
 * reader's), or 1 when the fast path does not apply or gave up: then c and
 * e are unchanged, r is as rd_open left it, and the caller reads with the
 * general reader.
 */
static int fast_long(struct ctx *c, struct rd *r, char sep, struct kerr *e)
{
	const struct stats_opts *o = c->o;
	struct fast *f = NULL;
	struct fpart *p1 = NULL, *p2 = NULL;
	struct ycols wide = { NULL, 0 };
	struct kerr he = KERR_INIT;
	const char *data, *start, *end, *mid;
	const char *names[L_N];
	size_t nskipped = 0;
	const struct header_ext ext = { long_aliases, sizeof(long_aliases) / sizeof(long_aliases[0]),
					names, &wide, sdmx_skip, &nskipped, NULL };
	int idx[L_N], rc = FAST_GIVE_UP, k, split, merged = 0, again = 0, have_st = 0;
	size_t len, nname, ncell0 = 0, only_b = 0;
	pthread_t th;
	struct buf src = BUF_INIT;
	struct fsteal st;
	const char *sfrom = NULL, *sto = NULL;
	long line_mid = 0, stolen = 0;
	struct fline *order = NULL;
	uint32_t *rmap = NULL, *imap;

	if (!fast_may(c) || rd_map(r, &data, &len))
		return 1;
	if (fast_header(r, data, len, sep, &ext, idx, &he))
		goto out;
	emp_cols_set(&c->cols, names[L_EMP], 0);

	f = xcalloc(1, sizeof(*f));
	f->name = r->name;
	f->sep = sep;
	f->ncols = r->ncols;
	f->idx = idx;
	f->names = names;
	f->sum = cube_builder_sums(c->b);
	f->end = data + len;
	if (r->map) {
		long pg = sysconf(_SC_PAGESIZE);
		f->page = pg > 0 && !(pg & (pg - 1)) ? (size_t)pg : 0;
		f->drop = o->reader == STATS_READER_STEAL ? f->page : FAST_DROP;
	}
	f->region_len = o->region_len;
	f->industry_len = o->industry_len;
	f->prefix = o->region_prefix && *o->region_prefix ? o->region_prefix : NULL;
	f->nprefix = f->prefix ? strlen(f->prefix) : 0;
	for (k = 0; k < 256; k++)
		f->cls[k] = k > 0x20 && k < 0x7F && k != '"' ? FB_CODE : FB_OTHER;
	for (k = '0'; k <= '9'; k++)
		f->cls[k] = FB_DIGIT;
	/* in a ';' file the decimal mark is ',' and a count with a dot goes to the general
	 * code (count_value: "1.234" may be thousands there) */
	f->cls['.'] = sep == ';' ? FB_CODE : FB_POINT;
	if (sep == ';')
		f->cls[','] = FB_POINT;
	f->cls[(unsigned char)sep] = FB_OTHER;
	for (k = 0; k < f->ncols; k++)
		f->role[k] = FR_YEAR;  /* every column is one of these (no wide layout, names, traded) */
	f->role[idx[L_REGION]] = FR_REGION;
	f->role[idx[L_INDUSTRY]] = FR_INDUSTRY;
	f->role[idx[L_EMP]] = FR_EMP;
	if (idx[L_EST] >= 0)
		f->role[idx[L_EST]] = FR_EST;
	if (idx[L_WAGES] >= 0)
		f->role[idx[L_WAGES]] = FR_WAGES;
	/* rows that repeat cells go by their key when the key fields come first (fast_pair_row) */
	for (k = 0; k < f->ncols && f->role[k] <= FR_YEAR; k++)
		;
	if (f->sum && (k == 2 || k == 3) && f->ncols - k <= 3 && f->ncols <= 16) {
		f->nkey = k;
		f->ncount = f->ncols - k;
		f->ordered = 1;
		for (; k < f->ncols; k++) {
			if (f->role[k] <= FR_YEAR)
				f->nkey = f->ncount = 0;
			if (f->role[k] != FR_EMP + (k - f->nkey))
				f->ordered = 0;
		}
	}

	start = data + csv_bytes(r->csv);
	end = data + len;
	p1 = fpart_new(f, c, start, end, csv_line(r->csv) + 1);
	p1->pg = &r->pg;
	p1->base = start;

	split = o->reader == STATS_READER_SPLIT || o->reader == STATS_READER_STEAL ||
		(o->reader == STATS_READER_AUTO && (size_t)(end - start) >= FAST_SPLIT_MIN && fast_cpus() >= 2);
	mid = split ? memchr(start + (end - start) / 2, '\n', (size_t)(end - (start + (end - start) / 2))) : NULL;
	if (mid && mid + 1 < end) {
		p2 = fpart_new(f, c, mid + 1, end, 0);
		p2->need_whole = f->sum;  /* a value that is not whole: its sums would not merge */
		memset(&st, 0, sizeof(st));
		if (pthread_mutex_init(&st.mu, NULL) == 0) {
			if (pthread_cond_init(&st.cv, NULL) == 0)
				have_st = 1;
			else
				pthread_mutex_destroy(&st.mu);
		}
		st.next = p2->from;
		st.limit = end;
		st.test = o->reader == STATS_READER_STEAL;
		st.chunk = st.test ? 64 : FAST_CHUNK;
		p2->steal = &st;
		p1->to = p2->from;
		p1->other = p2;
		if (!have_st || pthread_create(&th, NULL, fast_thread, p2) != 0) {
			fpart_free(p2);
			p2 = NULL;
			p1->to = end;
			p1->other = NULL;
		}
	}
	rc = fast_read_lines(p1, p1->from, p1->to);
	if (p2) {
		/* done first: take the end of what the second part has left, when sums of whole
		 * numbers (which add up in any order) are all it has read */
		fast_steal(&st, rc == FAST_OK && f->sum && p1->whole, &sfrom, &sto);
		if (sfrom) {
			long invalid = p1->n.invalid;
			line_mid = p1->line;
			ncell0 = p1->ncell;
			p1->line = 0;
			p1->need_whole = 1;
			p1->base = sfrom - (p1->to - p1->from);  /* the progress line goes on */
			p1->kept = sfrom;                        /* the pages between are the second part's */
			/* a value skipped there is the first one only when p1 had none */
			again = fast_read_lines(p1, sfrom, sto) != FAST_OK || (!invalid && p1->n.invalid);
			stolen = p1->line;
			p1->line = line_mid;
		}
		if (rc == FAST_OK && !again)
			rc = fast_settle(p1);
		pthread_join(th, NULL);
		p1->other = NULL;
		if (rc == FAST_OK && !again) {
			if (p2->status == FAST_OK && fast_mergeable(p1, p2, &only_b)) {
				if (sfrom)   /* the cells p1 met first in the lines it took: after p2's lines */
					for (k = (int)ncell0; (size_t)k < p1->ncell; k++)
						p1->place[k].line += line_mid + p2->line;
				/* the room the merged cells take, and no more; the second part's gone at once */
				fpart_fit(p2, 0);
				fcell_resize(p1, p1->ncell + only_b);
				fast_merge(p1, p2);
				fpart_free(p2);
				p2 = NULL;
				p1->line += stolen;
				merged = 1;
			} else if (sfrom) {
				again = 1;
			} else {
				rc = fast_read(p1, p2->from, p2->to);  /* in order after all */
			}
		}
	} else if (rc == FAST_OK) {
		rc = fast_settle(p1);
	}
	if (again) {
		/* the parts would not join in order: read it all again in one part */
		fpart_free(p1);
		fpart_free(p2);
		p2 = NULL;
		sfrom = NULL;
		p1 = fpart_new(f, c, start, end, csv_line(r->csv) + 1);
		p1->pg = &r->pg;
		p1->base = start;
		rc = fast_read(p1, p1->from, p1->to);
	}
	if (rc == FAST_ERROR) {
		*e = p1->e;
		goto out;
	}
	if (rc != FAST_OK)
		goto out;

	/* the cells, in the order they were first given, each from "NAME:LINE" */
	if (sfrom && merged)
		order = fast_line_order(p1);
	/* each code's index in the builder, taken at its first cell (as cube_builder_add would) */
	rmap = xmalloc(st_mult(p1->reg.n + p1->ind.n + 1, sizeof(*rmap)));
	imap = rmap + p1->reg.n;
	memset(rmap, 0xFF, (p1->reg.n + p1->ind.n) * sizeof(*rmap));
	fpart_fit(p1, 1);
	cube_builder_reserve(c->b, p1->ncell);
	buf_puts(&src, r->name);
	buf_putc(&src, ':');
	nname = src.len;
	for (k = 0; (size_t)k < p1->ncell; k++) {
		size_t at = order ? order[k].cell : (size_t)k;
		const struct fplace *x = &p1->place[at];
		const double *v = p1->cell[at].v;
		if (rmap[x->r] == UINT32_MAX || imap[x->i] == UINT32_MAX) {
			buf_truncate(&src, nname);
			buf_put_long(&src, x->line);
			if ((rmap[x->r] == UINT32_MAX &&
			     (rmap[x->r] = cube_builder_region(c->b, p1->reg.code[x->r], src.ptr, e)) == UINT32_MAX) ||
			    (imap[x->i] == UINT32_MAX &&
			     (imap[x->i] = cube_builder_industry(c->b, p1->ind.code[x->i], src.ptr, e)) == UINT32_MAX)) {
				rc = FAST_ERROR;
				goto out;
			}
		}
		if (cube_builder_add_at(c->b, rmap[x->r], imap[x->i], p1->yval[x->y], v[0], v[1], v[2], r->name,
					x->line, e)) {
			rc = FAST_ERROR;
			goto out;
		}
		if (fpart_partial(p1->acc[at].parts))   /* its sum left out a missing part: a lower bound */
			cube_builder_note_missing(c->b, fpart_partial(p1->acc[at].parts));
	}
	if (c->n) {
		c->n->rows += p1->n.rows;
		c->n->cells += p1->n.cells;
		c->n->missing += p1->n.missing;
		c->n->filtered += p1->n.filtered;
		if (p1->n.invalid && !c->n->invalid)
			memcpy(c->n->first_invalid, p1->n.first_invalid, sizeof(c->n->first_invalid));
		c->n->invalid += p1->n.invalid;
		c->n->fast_parts = merged ? 2 : 1;
		c->n->fast_stolen = merged && sfrom;
	}
	c->kept += p1->c.kept;
	c->filtered += p1->c.filtered;
	r->rows = p1->rows;
	progress_show(&r->pg, r->pg.size, r->rows, 1);
out:
	if (rc == FAST_GIVE_UP) {
		/* as rd_open left it, for the general reader */
		csv_free(r->csv);
		r->csv = NULL;
		r->ncols = 0;
		r->rows = 0;
		r->line = 0;
	}
	if (r->map && map_shortened(r)) {
		/* read over zeros in place of what was cut off: none of it counts */
		rd_unmap(r, e);
		rc = FAST_ERROR;
	} else if (rc == FAST_GIVE_UP) {
		rd_unmap(r, NULL);
	}
	buf_release(&src);
	ycols_release(&wide);
	fpart_free(p1);
	fpart_free(p2);
	free(order);
	free(rmap);
	if (have_st) {
		pthread_mutex_destroy(&st.mu);
		pthread_cond_destroy(&st.cv);
	}
	free(f);
	return rc == FAST_GIVE_UP ? 1 : rc == FAST_OK ? 0 : -1;
}

/* ---- formats ---------------------------------------------------------------- */

static const struct format {
	const char *name;
	int (*read)(struct ctx *c, struct rd *r, struct kerr *e);
	char sep;       /* 0: guessed from the header line */
	int sum;        /* always add up cells */
} formats[] = {
	[STATS_AUTO] = { "auto", NULL, 0, 0 },
	[STATS_LONG] = { "long", read_long, 0, 0 },
	[STATS_EUROSTAT_TSV] = { "eurostat", read_eurostat, '\t', 0 },
	[STATS_FIRMS] = { "firms", read_firms, 0, 1 },
	[STATS_BDL] = { "bdl", read_bdl, 0, 0 },
};
#define NFORMATS (sizeof(formats) / sizeof(formats[0]))

const char *stats_format_name(enum stats_format fmt)
{
	return (size_t)fmt < NFORMATS ? formats[fmt].name : NULL;
}

int stats_format_by_name(const char *name, enum stats_format *fmt, struct kerr *e)
{
	size_t k;
	for (k = 0; k < NFORMATS; k++)
		if (name && strcmp(formats[k].name, name) == 0) {
			*fmt = (enum stats_format)k;
			return 0;
		}
	return kerr_set(e, KERR_USAGE, "unknown statistics format \"%s\" (use auto, long, eurostat, "
			"firms or bdl)", name ? name : "");
}

void stats_detect_format_mem(const char *p, size_t n, enum stats_format *fmt)
{
	size_t k, end, start, nf;
	char sep;
	int lat = 0, lon = 0, kod = 0, value = 0;

	if (n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) {
		p += 3;
		n -= 3;
	}
	for (end = 0; end < n && p[end] != '\n' && p[end] != '\r'; end++)
		;
	/* a Eurostat table: a backslash in the first cell ("nace_r2,geo\time") and a tab after it; a
	 * header without tabs ("nace_r2,geo\time,2015", a table saved by a spreadsheet, or a column
	 * "note\x" of a long file) is read as a long file, which names the column it does not know */
	{
		const char *tab = memchr(p, '\t', end);
		if (tab && memchr(p, '\\', (size_t)(tab - p))) {
			*fmt = STATS_EUROSTAT_TSV;
			return;
		}
	}
	sep = guess_sep(p, end);
	for (start = 0, k = 0, nf = 0; k <= end; k++) {
		if (k == end || p[k] == sep) {
			const char *f = p + start;
			size_t len = k - start;
			while (len && (*f == ' ' || *f == '"')) {
				f++;
				len--;
			}
			while (len && (f[len - 1] == ' ' || f[len - 1] == '"'))
				len--;
			switch (firm_coord_of(f, len)) {
			case 1: lat = 1; break;
			case 2: lon = 1; break;
			}
			if (nf == 0 && len == 3 && strncasecmp(f, "Kod", 3) == 0)
				kod = 1;
			if (nf == 1 && kod && len == 5 && strncasecmp(f, "Nazwa", 5) == 0)
				value = 1;  /* Kod;Nazwa: BDL, also its horizontal layout (read_bdl says so) */
			if ((len == 7 && strncasecmp(f, "Wartosc", 7) == 0) ||
			    (len == 9 && memcmp(f, "Warto\xC5\x9B\xC4\x87", 9) == 0))
				value = 1;
			start = k + 1;
			nf++;
		}
	}
	*fmt = lat && lon ? STATS_FIRMS : kod && value ? STATS_BDL : STATS_LONG;
}

int stats_detect_format(const char *path, enum stats_format *fmt, struct kerr *e)
{
	struct rd r;
	size_t n = 0;
	const char *p;
	int rc = -1;
	if (rd_open(&r, path, NULL, 0, NULL, 0, e) == 0) {
		p = rd_head(&r, &n);
		stats_detect_format_mem(p, n, fmt);
		rc = 0;
	}
	rd_close(&r);
	return rc;
}

/* "no row is left after the filters (...)": names the filters of o. */
static int filters_error(const struct rd *r, const struct stats_opts *o, long filtered,
			 struct kerr *e)
{
	struct buf f = BUF_INIT;
	int rc;
	if (o->region_len)
		buf_printf(&f, "%sregion codes of %zu characters", f.len ? ", " : "", o->region_len);
	if (o->region_prefix && *o->region_prefix)
		buf_printf(&f, "%sregion codes starting with %s", f.len ? ", " : "", o->region_prefix);
	if (o->industry_len)
		buf_printf(&f, "%sindustry codes of %zu characters", f.len ? ", " : "", o->industry_len);
	rc = filtered == 1
		? kerr_set(e, KERR_INPUT, "%s: no row is left after the filters (%s): its one row was left out",
			   r->name, f.ptr)
		: kerr_set(e, KERR_INPUT, "%s: no row is left after the filters (%s): all %ld rows were left out",
			   r->name, f.ptr, filtered);
	buf_release(&f);
	return rc;
}

/* Reads one data input (a file, or data[0..len) when path is NULL) into c->b. */
static int read_data(struct ctx *c, const char *path, const char *data, size_t len,
		     const char *name, struct kerr *e)
{
	struct rd r;
	enum stats_format fmt = c->o->fmt;
	const struct format *f;
	size_t n = 0;
	const char *head;
	char sep;
	int rc = -1, got = 1;

	if (rd_open(&r, path, data, len, name, c->o->pipe_whole, e))
		goto out;
	if (c->stream) {
		/* the first bytes of a long pipe (data, len), then the rest of it as it comes (rd_start) */
		rd_stream(&r, c->stream, c->stream_head, len);
		c->stream = NULL;
		c->stream_head = NULL;
	}
	head = rd_head(&r, &n);
	if (fmt == STATS_AUTO)
		stats_detect_format_mem(head, n, &fmt);
	if ((size_t)fmt >= NFORMATS || !formats[fmt].read)
		BUG("stats: bad format %d", (int)fmt);
	f = &formats[fmt];
	sep = f->sep ? f->sep : guess_sep(head, n);
	/* a long pipe the fast path would read were it a file is copied on into one; any other is
	 * read as it comes (the general reader, which would read the copy the same way), so that
	 * its first error is told without reading the rest first */
	if (r.f && r.own && fmt == STATS_LONG && fast_takes(c, r.own, r.len, r.name, sep) &&
	    rd_spill(&r, c->o->progress, c->o->spill_max, e))
		goto out;
	if (fmt == STATS_LONG) {
		rd_progress(&r, c->o->progress);
		if ((got = fast_long(c, &r, sep, e)) < 0)
			goto out;
	}
	if (got) {
		rd_start(&r, sep, c->o->progress);
		if (f->read(c, &r, e))
			goto out;
	}
	if (r.rows == 0) {
		kerr_set(e, KERR_INPUT, "%s: no data rows after the header", r.name);
		goto out;
	}
	if (c->filtered && !c->kept) {
		filters_error(&r, c->o, c->filtered, e);
		goto out;
	}
	if ((c->totals || (c->n && c->n->national)) && !c->kept) {
		kerr_set(e, KERR_INPUT, "%s: every row is a total (of the nation, or of all industries: ogółem); "
			 "export the regions by industry", r.name);
		goto out;
	}
	if (c->n && cube_builder_sums(c->b)) {
		/* the cells that are lower bounds (the fast path notes the missing parts of its sums) */
		c->n->partial = (long)cube_builder_partial_cells(c->b, 0, c->n->first_partial,
								 sizeof(c->n->first_partial));
		c->n->partial_est = (long)cube_builder_partial_cells(c->b, 1, c->n->first_partial_est,
								     sizeof(c->n->first_partial_est));
	}
	rc = 0;
out:
	if (rc)
		progress_break(&r.pg);  /* the message starts on a line of its own */
	rd_close(&r);
	return rc;
}

static int read_ref_file(struct ctx *c, const char *path, struct kerr *e)
{
	struct rd r;
	struct ctx rc_ctx = *c;
	size_t n = 0;
	const char *head;
	int rc = -1;
	rc_ctx.n = NULL;  /* the counts are about the data file */
	if (rd_open(&r, path, NULL, 0, NULL, c->o->pipe_whole, e))
		goto out;
	head = rd_head(&r, &n);
	rd_start(&r, guess_sep(head, n), c->o->progress);
	rc = read_ref(&rc_ctx, &r, e);
	c->cols.ref = rc_ctx.cols.ref;   /* the reference's column (read_ref replaced it) */
	c->cols.ref_bdl = rc_ctx.cols.ref_bdl;
	c->cols.ref_semi = rc_ctx.cols.ref_semi;
	if (rc) {
		rc = -1;
		goto out;
	}
	rc = -1;
	if (r.rows == 0) {
		kerr_set(e, KERR_INPUT, "%s: no data rows after the header", r.name);
		goto out;
	}
	rc = 0;
out:
	rd_close(&r);
	return rc;
}

static const struct stats_opts default_opts = { .fmt = STATS_AUTO };

int stats_read(struct cube_builder *b, const char *path, const struct stats_opts *o,
	       struct stats_counts *counts, struct kerr *e)
{
	struct ctx c;
	int rc;
	memset(&c, 0, sizeof(c));   /* no crosswalk, stream or counts of an earlier call */
	c.ids = (struct strset)STRSET_INIT;
	c.plants.text = (struct buf)BUF_INIT;
	c.b = b;
	c.o = o ? o : &default_opts;
	c.n = counts;
	if (c.o->crosswalk_path && xwalk_load(c.o->crosswalk_path, c.o->pipe_whole, b, &c.xw, e))
		return -1;
	rc = read_data(&c, path, NULL, 0, NULL, e);
	xwalk_free(c.xw);
	strset_release(&c.ids);
	plants_release(&c.plants);  /* the plants come with stats_load only */
	emp_cols_release(&c.cols);
	return rc;
}

int stats_read_ref(struct cube_builder *b, const char *path, const struct stats_opts *o,
		   struct kerr *e)
{
	struct ctx c;
	int rc;
	memset(&c, 0, sizeof(c));
	c.b = b;
	c.o = o ? o : &default_opts;
	if (c.o->crosswalk_path && xwalk_load(c.o->crosswalk_path, c.o->pipe_whole, b, &c.xw, e))
		return -1;
	rc = read_ref_file(&c, path, e);
	xwalk_free(c.xw);
	emp_cols_release(&c.cols);
	return rc;
}

/* 1 when year is one of years[0..n), or n is 0 (every year). */
static int year_among(int year, const int *years, size_t n)
{
	size_t k;
	for (k = 0; k < n; k++)
		if (years[k] == year)
			return 1;
	return n == 0;
}

/* The industry × years (of years[0..nyears), or all when nyears is 0) with employment in the data
 * but none known in the reference: their location quotients stay empty (stats_counts.ref_unknown). */
static void ref_unknown(const struct cube *c, const int *years, size_t nyears, struct stats_counts *n)
{
	size_t y, i, r;
	if (!c->ref)
		return;
	if (c->ref_file)
		snprintf(n->ref_file, sizeof(n->ref_file), "%s", c->ref_file);
	for (y = 0; y < c->nyear; y++)
		for (i = 0; i < c->nind && year_among(c->year[y], years, nyears); i++) {
			int has = 0;
			if (!isnan(c->ref[y * c->nind + i]))
				continue;
			for (r = 0; r < c->nreg && !has; r++)
				has = !isnan(c->emp[cube_at(c, y, r, i)]) && !cube_absent(c, y, r);
			if (!has)
				continue;
			if (!n->ref_unknown) {
				if (c->year[y])
					snprintf(n->first_ref_unknown, sizeof(n->first_ref_unknown), "%s in %d", c->ind[i],
						 c->year[y]);
				else
					snprintf(n->first_ref_unknown, sizeof(n->first_ref_unknown), "%s", c->ind[i]);
			}
			n->ref_unknown++;
		}
}

size_t stats_ref_unknown_notice(struct buf *out, const char *ref, const struct stats_counts *n, const char *what)
{
	const char *lacks = "location quotients are left empty";
	if (!n->ref_unknown)
		return 0;
	if (!ref)
		ref = n->ref_file;
	if (what && strcmp(what, "shift-share") == 0)
		lacks = "shift-share components (which need the industry's national growth) are left empty";
	else if (what && strcmp(what, "indices") == 0)
		lacks = "shares of the reference economy are the regions' own";
	buf_printf(out, "%s%sthe reference economy leaves %ld industry-year%s of the data unknown (first: %s): %s "
		   "%s, and the reference total counts %s at the regions' own employment, the least the nation "
		   "can have", ref ? ref : "", ref && *ref ? ": " : "", n->ref_unknown, n->ref_unknown == 1 ? "" : "s",
		   n->first_ref_unknown, n->ref_unknown == 1 ? "its" : "their", lacks, n->ref_unknown == 1 ? "it" : "them");
	return (size_t)n->ref_unknown;
}

/* A firm list has no row where a region has no firm of an industry: that cell is 0, not unknown. */
static void firms_fill(struct cube *c)
{
	size_t k, n = c->nyear * c->nreg * c->nind;
	for (k = 0; k < n; k++) {
		if (isnan(c->emp[k]))
			c->emp[k] = 0;
		if (c->est && isnan(c->est[k]))
			c->est[k] = 0;
	}
}

/* The plants with their codes as indices of c (stats_opts.plants); a plant of a region left out
 * of c (cube_leave_out_empty: its firms employ no one) is left out too. */
static void plants_take(struct plant_list *p, const struct cube *c, struct stats_plants *out)
{
	size_t k;
	memset(out, 0, sizeof(*out));
	out->reg = xcalloc(p->n + 1, sizeof(*out->reg));
	out->ind = xcalloc(p->n + 1, sizeof(*out->ind));
	out->emp = xcalloc(p->n + 1, sizeof(*out->emp));
	for (k = 0; k < p->n; k++) {
		const char *reg = p->text.ptr + p->at[k], *ind = reg + strlen(reg) + 1;
		size_t r = cube_region(c, reg), i = cube_industry(c, ind);
		if (r == (size_t)-1 || i == (size_t)-1)
			continue;
		out->reg[out->n] = r;
		out->ind[out->n] = i;
		out->emp[out->n++] = p->emp[k];
	}
}

void stats_plants_release(struct stats_plants *p)
{
	free(p->reg);
	free(p->ind);
	free(p->emp);
	memset(p, 0, sizeof(*p));
}

static int load(const char *path, const char *data, size_t len, const char *name,
		const struct stats_opts *o, struct cube *out, struct stats_counts *counts,
		struct kerr *e)
{
	struct stats_counts dummy;
	struct ctx c;
	enum stats_format fmt;
	int flags = 0;

	memset(&c, 0, sizeof(c));
	if (path) {
		/* A pipe (/dev/stdin): finding the format reads its start, which it cannot give
		 * again.  Up to pipe_whole bytes it is read whole first and then as a block named by
		 * its path; a longer one is read on after the bytes read (c.stream), as it comes or
		 * from a copy (read_data). */
		struct stat sb;
		FILE *f = fopen(path, "rb");
		char *all;
		size_t n;
		int rc, more = 0;
		if (!f)
			return kerr_set(e, KERR_IO, "cannot open %s: %s", name, strerror(errno));
		if (fstat(fileno(f), &sb) == 0 && S_ISREG(sb.st_mode)) {
			fclose(f);
		} else {
			memset(out, 0, sizeof(*out));
			outfile_input(fileno(f), name);
			rc = pipe_head(f, name, o && o->pipe_whole ? o->pipe_whole : STATS_PIPE_WHOLE, &all, &n, &more, e);
			if (rc || !more) {
				fclose(f);
				if (rc) {
					if (counts)
						memset(counts, 0, sizeof(*counts));
					return -1;
				}
				rc = load(NULL, all, n, name, o, out, counts, e);
				free(all);
				return rc;
			}
			c.stream = f;
			c.stream_head = all;
			path = NULL;   /* found from the bytes all[0..n), then read on from c.stream */
			data = all;
			len = n;
		}
	}
	c.ids = (struct strset)STRSET_INIT;
	c.plants.text = (struct buf)BUF_INIT;
	c.o = o ? o : &default_opts;
	c.n = counts ? counts : &dummy;
	fmt = c.o->fmt;
	memset(out, 0, sizeof(*out));
	memset(c.n, 0, sizeof(*c.n));
	if (fmt == STATS_AUTO && path && stats_detect_format(path, &fmt, e))
		return -1;
	if (fmt == STATS_AUTO && !path)   /* from the bytes a file's would be found from */
		stats_detect_format_mem(data, len < PEEK_BYTES ? len : PEEK_BYTES, &fmt);
	if ((size_t)fmt < NFORMATS && formats[fmt].sum)
		flags = CUBE_SUM;
	if (c.o->sum || c.o->crosswalk_path)
		flags = CUBE_SUM;
	if (c.o->absent_zero)
		flags |= CUBE_ABSENT_ZERO;
	c.b = cube_builder_new(flags);
	if (c.o->crosswalk_path && xwalk_load(c.o->crosswalk_path, c.o->pipe_whole, c.b, &c.xw, e))
		goto fail;
	if (read_data(&c, path, data, len, name, e))
		goto fail;
	if (c.o->ref_path && read_ref_file(&c, c.o->ref_path, e))
		goto fail;
	if (c.xw && xw_ref_gaps(&c, e))
		goto fail;
	xwalk_free(c.xw);
	c.xw = NULL;
	strset_release(&c.ids);
	c.n->renamed = (long)cube_builder_renamed(c.b, c.n->first_renamed, sizeof(c.n->first_renamed));
	if (cube_builder_finish(c.b, out, e)) {
		plants_release(&c.plants);
		emp_cols_release(&c.cols);
		return -1;
	}
	if (c.firms)
		firms_fill(out);
	cube_take_columns(out, &c.cols);
	if (c.o->skip_invalid) {
		c.n->left_out = (long)cube_leave_out_empty(out, c.n->first_left_out, sizeof(c.n->first_left_out));
		if (c.n->left_out && !out->nreg) {
			kerr_set(e, KERR_INPUT, "%s: no region has employment: every value is missing or zero",
				 name ? name : path ? path : "input");
			plants_release(&c.plants);
			emp_cols_release(&c.cols);
			cube_release(out);
			return -1;
		}
	}
	{
		/* the years computed: those given, or the latest */
		int yrs[2] = { c.o->years[0], c.o->years[1] };
		size_t ny = c.o->nyears;
		if (!ny && c.o->latest_year && out->nyear) {
			yrs[0] = out->year[out->nyear - 1];
			ny = 1;
		}
		ref_unknown(out, yrs, ny, c.n);
		if (check_years(out, name ? name : path ? path : "input", yrs, ny, c.o->zero_regions,
				c.o->refuse_empty && !c.o->zero_regions, &c.cols, e)) {
			plants_release(&c.plants);
			emp_cols_release(&c.cols);
			cube_release(out);
			return -1;
		}
	}
	if (c.o->plants)
		plants_take(&c.plants, out, c.o->plants);
	plants_release(&c.plants);
	emp_cols_release(&c.cols);
	return 0;
fail:
	if (c.stream)   /* not taken by read_data */
		fclose(c.stream);
	free(c.stream_head);
	xwalk_free(c.xw);
	strset_release(&c.ids);
	plants_release(&c.plants);
	emp_cols_release(&c.cols);
	cube_builder_free(c.b);
	return -1;
}

int stats_load(const char *path, const struct stats_opts *o, struct cube *out,
	       struct stats_counts *counts, struct kerr *e)
{
	struct buf name = BUF_INIT;   /* a file name may hold control characters: shown escaped */
	int rc;
	esc_filename(&name, path);
	rc = load(path, NULL, 0, name.ptr, o, out, counts, e);
	buf_release(&name);
	return rc;
}

int stats_load_named(const char *path, const char *name, const struct stats_opts *o, struct cube *out,
		     struct stats_counts *counts, struct kerr *e)
{
	return load(path, NULL, 0, name, o, out, counts, e);
}

int stats_load_mem(const char *data, size_t len, const char *name, const struct stats_opts *o,
		   struct cube *out, struct stats_counts *counts, struct kerr *e)
{
	return load(NULL, data ? data : "", data ? len : 0, name ? name : "input", o, out, counts, e);
}

/* The file of a "file:line" source, into out (size n). */
static const char *src_file(const char *src, char *out, size_t n)
{
	const char *colon = strrchr(src, ':');
	size_t len = colon ? (size_t)(colon - src) : strlen(src);
	snprintf(out, n, "%.*s", (int)(len < n ? len : n - 1), src);
	return out;
}

/* The last decimal place v is written to, as a power of ten from 1 down to
 * 1e-6 (10 and 10.0 are 1, 5.04 is 0.01): a value rounded there is off by
 * at most half of it. */
static double round_unit(double v)
{
	double u = 1;
	int k;
	for (k = 0; k < 6; k++, u /= 10) {
		double q = v / u;
		if (fabs(q - nearbyint(q)) <= 1e-9 * fmax(1, fabs(q)))
			return u;
	}
	return u;
}

/*
 * The reference economy of year y against the data (stats_check): it has
 * values that year, at least the total of the data's regions in each
 * industry it gives, and not zero in all.  Messages name the reference
 * file and, for a value, its line.  (An industry it leaves unknown is not
 * an error: ref_unknown counts it for a notice.)
 */
static int stats_check_ref(const struct cube *c, size_t y, const char *yt, const char *name,
			   const struct emp_cols *cols, struct kerr *e)
{
	const char *any = NULL, *file;
	char rf[512];
	double sum = 0;
	int known = 0;
	size_t i, r, k;
	for (k = 0; c->ref_src && k < c->nyear * c->nind && !any; k++)
		any = c->ref_src[k];
	file = c->ref_file ? c->ref_file : any ? src_file(any, rf, sizeof(rf)) : name ? name : "";
	for (i = 0; i < c->nind; i++)
		if (!isnan(c->ref[y * c->nind + i])) {
			sum += c->ref[y * c->nind + i];
			known = 1;
		}
	for (i = 0; !known && c->ref_src && i < c->nind; i++) {
		/* rows of it give the data's industries, every one unknown: that is the reason, not the years */
		const char *src = c->ref_src[y * c->nind + i], *line;
		if (!src)
			continue;
		line = strrchr(src, ':');
		/* unknown as the reference's layout writes it: BDL's national rows "." or "x", a ';' file
		 * those too ("-" is 0: count_value) */
		return kerr_set(e, KERR_INPUT, "%s%sthe reference economy has no known value for any industry of the "
				"data%s: it gives each as unknown (%s, or with --crosswalk a code of the cluster so or not at all; "
				"first: %s, line %s), so the regions cannot be compared with it (give the nation's "
				"values, or leave %s out to compare the regions with their own sum)",
				file, *file ? ": " : "", yt,
				cols && cols->ref_bdl ? "'.' or 'x', BDL's signs of no data"
				: cols && cols->ref_semi ? "':', '.' or 'x', Statistics Poland's signs of no data, or a flag alone"
				: "':' or a flag alone",
				c->ind[i], line ? line + 1 : "?",
				cols && cols->ref_bdl ? "the nation's rows (a Kod of zeros)" : "--reference");
	}
	if (!known && !*yt)
		return kerr_set(e, KERR_INPUT, "%s%sthe reference economy has no values for the data, which has no "
				"year column (a reference with years applies to data with the same years)",
				file, *file ? ": " : "");
	if (!known)
		return kerr_set(e, KERR_INPUT, "%s%sthe reference economy has no values%s, a year of the data "
				"(every year of the data needs one)", file, *file ? ": " : "", yt);
	if (sum == 0)
		return kerr_set(e, KERR_INPUT, "%s%sthe reference economy has zero total employment%s", file,
				*file ? ": " : "", yt);
	for (i = 0; i < c->nind; i++) {
		size_t at = y * c->nind + i;
		const char *src = c->ref_src && c->ref_src[at] ? c->ref_src[at] : "";
		double v = c->ref[at], data = 0, slack, u;
		int decimals;
		if (isnan(v))
			continue;
		/* each published value may be rounded on its own (a total of 10,0 thousand over
		 * 5,04 and 4,98): up to half its last decimal place, the total's and each region's —
		 * when the values show decimals; whole counts (registers) are exact */
		u = round_unit(v);
		slack = u / 2;
		decimals = u < 1;
		for (r = 0; r < c->nreg; r++) {
			double x = c->emp[cube_at(c, y, r, i)];
			if (!isnan(x) && !cube_absent(c, y, r)) {
				data += x;
				u = round_unit(x);
				slack += u / 2;
				decimals |= u < 1;
			}
		}
		if (!decimals)
			slack = 0;
		/* a reference contains the data's regions, as their country does */
		if (data > v * (1 + 1e-9) + slack + 1e-9)
			return kerr_set(e, KERR_INPUT, "%s%scolumn %s: industry %s%s: the reference economy "
					"has %.10g, less than the %.10g of the data's regions, by more than the rounding "
					"of the values could make (a reference contains them, as their country does; "
					"compare with the regions' own sum by leaving the nation's rows or --reference "
					"out)", src, *src ? ": " : "", cols && cols->ref ? cols->ref : "employment",
					c->ind[i], yt, v, data);
	}
	return 0;
}

int stats_check(const struct cube *c, const char *name, struct kerr *e)
{
	return stats_check_years(c, name, NULL, 0, 0, e);
}

int stats_check_years(const struct cube *c, const char *name, const int *years, size_t nyears, int zero_regions,
		      struct kerr *e)
{
	return check_years(c, name, years, nyears, zero_regions, 0, NULL, e);
}

static int check_years(const struct cube *c, const char *name, const int *years, size_t nyears, int zero_regions,
		       int refuse_empty, const struct emp_cols *cols, struct kerr *e)
{
	size_t y, r, i;
	const char *pre = name ? name : "", *colon = name ? ": " : "";
	char yt[32];
	for (y = 0; y < c->nyear; y++) {
		if (!year_among(c->year[y], years, nyears))
			continue;
		if (c->year[y])
			snprintf(yt, sizeof(yt), " in %d", c->year[y]);
		else
			yt[0] = '\0';
		for (r = 0; r < c->nreg && !zero_regions; r++) {
			double sum = 0;
			int known = 0;
			for (i = 0; i < c->nind; i++) {
				double v = c->emp[cube_at(c, y, r, i)];
				if (!isnan(v)) {
					sum += v;
					known = 1;
				}
			}
			if (known && sum == 0 && *cube_src(c, y, r))
				return kerr_set(e, KERR_INPUT, "%s: column %s: region %s has zero total "
						"employment%s (this is its first row; location quotients are "
						"undefined there)", cube_src(c, y, r), emp_column(cols, c->year[y]),
						c->reg[r], yt);
			if (refuse_empty && !known && *cube_src(c, y, r) && !cube_absent(c, y, r))
				return kerr_set(e, KERR_INPUT, "%s: column %s: region %s has no employment%s: check its "
						"rows or leave the region out", cube_src(c, y, r),
						emp_column(cols, c->year[y]), c->reg[r], yt);
			if (known && sum == 0)
				return kerr_set(e, KERR_INPUT, "%s%sregion %s has zero total employment%s "
						"(location quotients are undefined there)", pre, colon,
						c->reg[r], yt);
		}
		if (c->ref && stats_check_ref(c, y, yt, name, cols, e))
			return -1;
	}
	return 0;
}

static int code_names_cmp(const void *x, const void *y, void *ctx)
{
	const struct code_names *c = ctx;
	size_t i = *(const size_t *)x, j = *(const size_t *)y;
	int d = strcmp(c->code[i], c->code[j]);
	return d ? d : c->line[i] < c->line[j] ? -1 : c->line[i] > c->line[j];
}

/* The order of c's rows by code, then line (qsort has no context: a small merge sort). */
static void code_names_sort(struct code_names *c, size_t *v, size_t *tmp, size_t n)
{
	size_t h = n / 2, i = 0, j = h, k = 0;
	if (n < 2)
		return;
	code_names_sort(c, v, tmp, h);
	code_names_sort(c, v + h, tmp, n - h);
	while (i < h && j < n)
		tmp[k++] = code_names_cmp(&v[j], &v[i], c) < 0 ? v[j++] : v[i++];
	while (i < h)
		tmp[k++] = v[i++];
	while (j < n)
		tmp[k++] = v[j++];
	memcpy(v, tmp, n * sizeof(*v));
}

void code_names_release(struct code_names *c)
{
	size_t i;
	for (i = 0; i < c->n; i++) {
		free(c->code[i]);
		free(c->name[i]);
		free(c->lang[0][i]);
		free(c->lang[1][i]);
	}
	free(c->code);
	free(c->name);
	free(c->lang[0]);
	free(c->lang[1]);
	free(c->line);
	free(c->order);
	free(c->path);
	memset(c, 0, sizeof(*c));
}

int code_names_read(const char *path, struct code_names *out, struct kerr *e)
{
	FILE *f = fopen(path, "rb");
	struct csv *r;
	struct buf shown = BUF_INIT;   /* the path in messages: control characters escaped */
	int got, ic, in, ipl, ien, rc = -1;
	size_t cap = 0, *tmp;
	memset(out, 0, sizeof(*out));
	esc_filename(&shown, path);
	if (!f) {
		kerr_set(e, KERR_IO, "cannot open %s: %s", shown.ptr, strerror(errno));
		buf_release(&shown);
		return -1;
	}
	outfile_input(fileno(f), shown.ptr);
	r = csv_open_file(f, shown.ptr, ',');
	if ((got = csv_next(r, e)) != 1) {
		if (got == 0)
			kerr_set(e, KERR_INPUT, "%s: the file is empty (a header row is required)", shown.ptr);
		goto out;
	}
	ic = csv_header_index(csv_fields(r), csv_nfields(r), "code");
	in = csv_header_index(csv_fields(r), csv_nfields(r), "name");
	ipl = csv_header_index(csv_fields(r), csv_nfields(r), "name_pl");
	ien = csv_header_index(csv_fields(r), csv_nfields(r), "name_en");
	if (ic < 0 || (in < 0 && ipl < 0 && ien < 0)) {
		kerr_set(e, KERR_INPUT, "%s:1: the column code and at least one of name, name_pl and name_en "
			 "are required", shown.ptr);
		goto out;
	}
	out->path = xstrdup(shown.ptr);
	while ((got = csv_next(r, e)) == 1) {
		const char *name = in >= 0 ? csv_field(r, (size_t)in) : "";
		const char *pl = ipl >= 0 ? csv_field(r, (size_t)ipl) : "";
		const char *en = ien >= 0 ? csv_field(r, (size_t)ien) : "";
		const char *const col[] = { "code", "name", "name_pl", "name_en" };
		const char *v[4];
		unsigned cc = 0;
		int k;
		v[0] = csv_field(r, (size_t)ic);
		v[1] = name;
		v[2] = pl;
		v[3] = en;
		for (k = 0; k < 4 && !(cc = text_control(v[k])); k++)
			;
		if (cc) {
			/* text, as a statistics file's codes and names are (name_field) */
			kerr_set(e, KERR_INPUT, "%s:%ld: column %s holds a control character (U+%04X): %s are text",
				 shown.ptr, csv_line(r), col[k], cc, k ? "names" : "codes");
			got = -1;
			break;
		}
		if (out->n == cap) {
			cap = cap ? st_mult(cap, 2) : 64;
			out->code = xrealloc(out->code, st_mult(cap, sizeof(char *)));
			out->name = xrealloc(out->name, st_mult(cap, sizeof(char *)));
			out->lang[0] = xrealloc(out->lang[0], st_mult(cap, sizeof(char *)));
			out->lang[1] = xrealloc(out->lang[1], st_mult(cap, sizeof(char *)));
			out->line = xrealloc(out->line, st_mult(cap, sizeof(long)));
		}
		out->code[out->n] = xstrdup(csv_field(r, (size_t)ic));
		out->name[out->n] = xstrdup(*name ? name : *en ? en : pl);   /* the file's own, else English */
		out->lang[0][out->n] = xstrdup(pl);
		out->lang[1][out->n] = xstrdup(en);
		out->line[out->n++] = csv_line(r);
	}
	if (got < 0)
		goto out;
	out->order = xcalloc(out->n + 1, sizeof(size_t));
	tmp = xcalloc(out->n + 1, sizeof(size_t));
	for (cap = 0; cap < out->n; cap++)
		out->order[cap] = cap;
	code_names_sort(out, out->order, tmp, out->n);
	free(tmp);
	rc = 0;
out:
	csv_free(r);
	fclose(f);
	buf_release(&shown);
	if (rc)
		code_names_release(out);
	return rc;
}

long code_names_find(const struct code_names *c, const char *code, struct kerr *e)
{
	size_t lo = 0, hi = c->n;
	while (lo < hi) {   /* the first row of code */
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(c->code[c->order[mid]], code) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == c->n || strcmp(c->code[c->order[lo]], code) != 0)
		return -1;
	if (lo + 1 < c->n && strcmp(c->code[c->order[lo + 1]], code) == 0) {
		/* two rows for one code (e.g. two versions of a classification in one file): which
		 * names are meant is not known */
		kerr_set(e, KERR_INPUT, "%s:%ld: column code: %s is named again (first on line %ld); give each code once",
			 c->path, c->line[c->order[lo + 1]], code, c->line[c->order[lo]]);
		return -2;
	}
	return (long)c->order[lo];
}

/* Whether name is the label BDL gives section code ("sekcja C"): no name of the industry's own. */
static int bdl_label(const char *name, const char *code)
{
	return name && strncasecmp(name, "sekcja ", 7) == 0 && strcmp(name + 7, code) == 0;
}

long stats_industry_names(struct cube *c, const char *path, char file_code[32], struct kerr *e)
{
	struct code_names cn;
	long given = 0;
	size_t i;
	if (code_names_read(path, &cn, e))
		return -1;
	if (file_code)
		snprintf(file_code, 32, "%s", cn.n ? cn.code[0] : "");
	for (i = 0; i < c->nind; i++) {
		long k = code_names_find(&cn, c->ind[i], e);
		int any = 0;
		if (k == -2) {
			given = -1;
			break;
		}
		if (k < 0)
			continue;
		if ((!c->ind_name[i] || bdl_label(c->ind_name[i], c->ind[i])) && *cn.name[k]) {
			free(c->ind_name[i]);
			c->ind_name[i] = xstrdup(cn.name[k]);
			any = 1;
		}
		if (*cn.lang[0][k])
			cube_set_ind_name(c, i, 0, cn.lang[0][k]), any = 1;
		if (*cn.lang[1][k])
			cube_set_ind_name(c, i, 1, cn.lang[1][k]), any = 1;
		given += any;
	}
	code_names_release(&cn);
	return given;
}
