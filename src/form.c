/* form.c — urlencoded form bodies (see form.h).  Written here rather than
 * through libmicrohttpd's post processor because the server already holds
 * the whole (size-limited) body, and a plain decoder is easy to fuzz. */
#include "form.h"

#include "esc.h"

int form_parse(struct form *f, const char *body, size_t len, struct kerr *e)
{
	char *p, *end;
	memset(f, 0, sizeof(*f));
	f->mem = xmalloc(len + 1);
	memcpy(f->mem, body ? body : "", len);
	f->mem[len] = '\0';
	if (memchr(f->mem, '\0', len))
		return kerr_set(e, KERR_INPUT, "the form holds a NUL byte");
	p = f->mem;
	end = f->mem + len;
	while (p < end) {
		char *amp = memchr(p, '&', (size_t)(end - p));
		char *pair_end = amp ? amp : end;
		char *eq;
		size_t nlen;
		*pair_end = '\0';
		if (p == pair_end) {
			p = pair_end + 1;
			continue;
		}
		if (f->n == FORM_MAX)
			return kerr_set(e, KERR_TOOBIG, "the form has more than %d fields", FORM_MAX);
		eq = strchr(p, '=');
		if (eq)
			*eq = '\0';
		f->names[f->n] = p;
		f->values[f->n] = eq ? eq + 1 : pair_end;
		/* a decoded %00 would cut the text short: refuse it rather than cut silently */
		nlen = url_decode(f->names[f->n]);
		if (nlen != strlen(f->names[f->n]))
			return kerr_set(e, KERR_INPUT, "a field name holds a NUL byte");
		if (!utf8_valid(f->names[f->n], strlen(f->names[f->n])))
			return kerr_set(e, KERR_INPUT, "a field name is not valid UTF-8");
		nlen = url_decode(f->values[f->n]);
		if (nlen != strlen(f->values[f->n]))
			return kerr_set(e, KERR_INPUT, "field '%.60s' holds a NUL byte", f->names[f->n]);
		if (!utf8_valid(f->values[f->n], strlen(f->values[f->n])))
			return kerr_set(e, KERR_INPUT, "field '%.60s' is not valid UTF-8", f->names[f->n]);
		f->n++;
		p = pair_end + 1;
	}
	return 0;
}

const char *form_get(const struct form *f, const char *name)
{
	size_t i;
	for (i = 0; i < f->n; i++)
		if (strcmp(f->names[i], name) == 0)
			return f->values[i];
	return NULL;
}

size_t form_all(const struct form *f, const char *name, const char **out, size_t max)
{
	size_t i, k = 0;
	for (i = 0; i < f->n && k < max; i++)
		if (strcmp(f->names[i], name) == 0)
			out[k++] = f->values[i];
	return k;
}

void form_release(struct form *f)
{
	free(f->mem);
	memset(f, 0, sizeof(*f));
}

/* The boundary parameter of a multipart Content-Type into out (1 to 70
 * characters, RFC 2046 5.1.1), quoted or not: 0, or -1. */
static int mp_boundary(const char *ctype, char out[71])
{
	const char *p = ctype;
	size_t n = 0;
	while ((p = strchr(p, ';'))) {
		p++;
		while (*p == ' ' || *p == '\t')
			p++;
		if (strncasecmp(p, "boundary=", 9) != 0)
			continue;
		p += 9;
		if (*p == '"') {
			for (p++; *p && *p != '"' && n < 70; p++)
				out[n++] = *p;
			if (*p != '"')
				return -1;
		} else {
			for (; *p && *p != ';' && *p != ' ' && *p != '\t' && n < 70; p++)
				out[n++] = *p;
			if (*p && *p != ';' && *p != ' ' && *p != '\t')
				return -1;
		}
		out[n] = '\0';
		return n ? 0 : -1;
	}
	return -1;
}

/* Where the delimiter CR LF "--" boundary (d, dn bytes) begins in p[0..n), or NULL. */
static const char *mp_find(const char *p, size_t n, const char *d, size_t dn)
{
	const char *end = p + n, *q = p;
	while ((size_t)(end - q) >= dn && (q = memchr(q, '\r', (size_t)(end - q) - dn + 1))) {
		if (memcmp(q, d, dn) == 0)
			return q;
		q++;
	}
	return NULL;
}

/* The value of parameter name ("name", "filename") of a Content-Disposition
 * header h[0..n), quoted or not, copied into v; 0 when found, -1 when not. */
static int mp_param(const char *h, size_t n, const char *name, struct buf *v)
{
	size_t k = 0, nl = strlen(name);
	buf_reset(v);
	while (k < n) {
		/* the next parameter after a ';' */
		while (k < n && h[k] != ';' && h[k] != '"')
			k++;
		if (k < n && h[k] == '"') {   /* a quoted value of another parameter: skip it whole */
			for (k++; k < n && h[k] != '"'; k++)
				if (h[k] == '\\' && k + 1 < n)
					k++;
			k++;
			continue;
		}
		if (k >= n)
			break;
		for (k++; k < n && (h[k] == ' ' || h[k] == '\t'); k++)
			;
		if (n - k > nl && strncasecmp(h + k, name, nl) == 0 && h[k + nl] == '=') {
			k += nl + 1;
			if (k < n && h[k] == '"') {
				for (k++; k < n && h[k] != '"'; k++) {
					if (h[k] == '\\' && k + 1 < n)
						k++;
					buf_add(v, h + k, 1);
				}
			} else {
				for (; k < n && h[k] != ';' && h[k] != ' ' && h[k] != '\t'; k++)
					buf_add(v, h + k, 1);
			}
			return 0;   /* v->ptr is a string, "" when empty */
		}
	}
	return -1;
}

/* A text of a multipart form kept: its offset in f's text (b). */
static size_t mp_keep(struct buf *b, const char *s, size_t n)
{
	size_t at = b->len;
	buf_add(b, s, n);
	buf_add(b, "\0", 1);
	return at;
}

int form_parse_multipart(struct form *f, const char *ctype, const char *body, size_t len, struct kerr *e)
{
	char bd[71], delim[76];
	size_t dn, off[FORM_MAX][2], foff[FORM_MAX_FILES][2], k;
	const char *p, *end = body + len;
	struct buf text = BUF_INIT, name = BUF_INIT, fname = BUF_INIT;
	int rc = -1;
	memset(f, 0, sizeof(*f));
	if (!ctype || mp_boundary(ctype, bd))
		return kerr_set(e, KERR_INPUT, "the form's Content-Type names no boundary (multipart/form-data; "
				"boundary=…)");
	dn = (size_t)snprintf(delim, sizeof(delim), "\r\n--%s", bd);
	/* the first delimiter may open the body without the CR LF before it */
	if (len >= dn - 2 && memcmp(body, delim + 2, dn - 2) == 0)
		p = body + dn - 2;
	else if ((p = mp_find(body, len, delim, dn)))
		p += dn;
	else {
		kerr_set(e, KERR_INPUT, "the form holds no part (its boundary is not in the body)");
		goto out;
	}
	for (;;) {
		const char *hend, *data, *next, *h;
		int is_file = 0, has_disp = 0;
		/* after a delimiter: "--" closes the body, else CR LF and a part (blanks may come first) */
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (end - p >= 2 && p[0] == '-' && p[1] == '-')
			break;
		if (end - p < 2 || p[0] != '\r' || p[1] != '\n') {
			kerr_set(e, KERR_INPUT, "the form ends before its last part is closed (was the upload cut short?)");
			goto out;
		}
		p += 2;
		/* the part's headers up to an empty line */
		for (hend = p; hend + 1 < end && !(hend[0] == '\r' && hend[1] == '\n'); ) {
			const char *eol = mp_find(hend, (size_t)(end - hend), "\r\n", 2);
			if (!eol) {
				hend = end;   /* no end of the headers */
				break;
			}
			if ((size_t)(eol - hend) > 20 && strncasecmp(hend, "Content-Disposition:", 20) == 0) {
				h = hend + 20;
				while (h < eol && (*h == ' ' || *h == '\t'))
					h++;
				if ((size_t)(eol - h) < 9 || strncasecmp(h, "form-data", 9) != 0 ||
				    mp_param(h + 9, (size_t)(eol - h - 9), "name", &name)) {
					kerr_set(e, KERR_INPUT, "a part of the form is not a named form field "
						 "(Content-Disposition: form-data; name=\"…\")");
					goto out;
				}
				has_disp = 1;
				is_file = mp_param(h + 9, (size_t)(eol - h - 9), "filename", &fname) == 0;
			}
			hend = eol + 2;
		}
		if (hend + 1 >= end) {
			kerr_set(e, KERR_INPUT, "the form ends inside the headers of a part (was the upload cut short?)");
			goto out;
		}
		if (!has_disp) {
			kerr_set(e, KERR_INPUT, "a part of the form has no Content-Disposition naming its field");
			goto out;
		}
		data = hend + 2;
		if (!(next = mp_find(data, (size_t)(end - data), delim, dn))) {
			kerr_set(e, KERR_INPUT, "the form ends before its last part is closed (was the upload cut short?)");
			goto out;
		}
		if (!utf8_valid(name.ptr, name.len) || memchr(name.ptr, '\0', name.len)) {
			kerr_set(e, KERR_INPUT, "a field name is not valid UTF-8");
			goto out;
		}
		if (is_file) {
			const char *base;
			size_t bl;
			/* no file chosen: an empty filename and no bytes */
			if (fname.len || next > data) {
				if (f->nfiles == FORM_MAX_FILES) {
					kerr_set(e, KERR_TOOBIG, "the form has more than %d files", FORM_MAX_FILES);
					goto out;
				}
				if (!utf8_valid(fname.ptr, fname.len) || memchr(fname.ptr, '\0', fname.len)) {
					kerr_set(e, KERR_INPUT, "the name of the file in field '%.60s' is not valid UTF-8",
						 name.ptr);
					goto out;
				}
				/* a folder some browsers send with the name (C:\Users\…\dane.csv) is left out */
				base = fname.ptr;
				for (bl = 0; bl < fname.len; bl++)
					if (fname.ptr[bl] == '/' || fname.ptr[bl] == '\\')
						base = fname.ptr + bl + 1;
				foff[f->nfiles][0] = mp_keep(&text, name.ptr, name.len);
				foff[f->nfiles][1] = mp_keep(&text, base, strlen(base));
				f->files[f->nfiles].data = data;
				f->files[f->nfiles].len = (size_t)(next - data);
				f->nfiles++;
			}
		} else {
			if (f->n == FORM_MAX) {
				kerr_set(e, KERR_TOOBIG, "the form has more than %d fields", FORM_MAX);
				goto out;
			}
			if (memchr(data, '\0', (size_t)(next - data))) {
				kerr_set(e, KERR_INPUT, "field '%.60s' holds a NUL byte", name.ptr);
				goto out;
			}
			if (!utf8_valid(data, (size_t)(next - data))) {
				kerr_set(e, KERR_INPUT, "field '%.60s' is not valid UTF-8", name.ptr);
				goto out;
			}
			off[f->n][0] = mp_keep(&text, name.ptr, name.len);
			off[f->n][1] = mp_keep(&text, data, (size_t)(next - data));
			f->n++;
		}
		p = next + dn;
	}
	rc = 0;
out:
	if (buf_failed(&text) && rc == 0)
		rc = kerr_set(e, KERR_TOOBIG, "the form's fields are too long");
	f->mem = buf_detach(&text, NULL);
	for (k = 0; k < f->n; k++) {
		f->names[k] = f->mem + off[k][0];
		f->values[k] = f->mem + off[k][1];
	}
	for (k = 0; k < f->nfiles; k++) {
		f->files[k].field = f->mem + foff[k][0];
		f->files[k].filename = f->mem + foff[k][1];
	}
	buf_release(&text);
	buf_release(&name);
	buf_release(&fname);
	return rc;
}

const struct form_file *form_file(const struct form *f, const char *name)
{
	size_t i;
	for (i = 0; i < f->nfiles; i++)
		if (strcmp(f->files[i].field, name) == 0)
			return &f->files[i];
	return NULL;
}
