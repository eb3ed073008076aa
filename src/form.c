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
