/* config.c — the configuration file parser (see config.h). */
#include "config.h"

#include "buf.h"

#define CONFIG_MAX (1u << 20)

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

int config_parse(const char *text, size_t len, const char *src, const char *const *keys,
		 char **values, struct kerr *e)
{
	size_t pos = 0, nkeys = 0, i;
	int lineno = 0;
	unsigned char seen[64] = { 0 };

	while (keys[nkeys])
		nkeys++;
	if (nkeys > sizeof(seen))
		BUG("config_parse: too many keys");
	if (memchr(text, '\0', len))
		return kerr_set(e, KERR_USAGE, "%s: contains a NUL byte; is it a text file?", src);
	while (pos < len) {
		const char *line = text + pos, *nl = memchr(line, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - line) : len - pos;
		const char *p = line, *end = line + n, *eq, *kend, *v, *vend;
		pos += n + (nl ? 1 : 0);
		lineno++;
		while (p < end && is_space(*p))
			p++;
		if (p == end || *p == '#')
			continue;
		eq = memchr(p, '=', (size_t)(end - p));
		if (!eq)
			return kerr_set(e, KERR_USAGE, "%s:%d: expected 'key = value'", src, lineno);
		kend = eq;
		while (kend > p && is_space(kend[-1]))
			kend--;
		v = eq + 1;
		while (v < end && is_space(*v))
			v++;
		vend = end;
		while (vend > v && is_space(vend[-1]))
			vend--;
		for (i = 0; i < nkeys; i++)
			if (strlen(keys[i]) == (size_t)(kend - p) && memcmp(keys[i], p, (size_t)(kend - p)) == 0)
				break;
		if (i == nkeys) {
			struct buf known = BUF_INIT;
			size_t k;
			for (k = 0; k < nkeys; k++)
				buf_printf(&known, "%s%s", k ? ", " : "", keys[k]);
			kerr_set(e, KERR_USAGE, "%s:%d: unknown setting '%.*s' (known: %s)", src, lineno,
				 (int)((kend - p) > 60 ? 60 : (kend - p)), p, known.ptr);
			buf_release(&known);
			return -1;
		}
		if (seen[i]++)
			return kerr_set(e, KERR_USAGE, "%s:%d: setting '%s' given twice", src, lineno, keys[i]);
		if (!values[i] && vend > v)   /* "key =" gives no value: the default is asked */
			values[i] = xstrndup(v, (size_t)(vend - v));
	}
	return 0;
}

int config_load(const char *path, const char *const *keys, char **values, struct kerr *e)
{
	FILE *f = fopen(path, "rb");
	struct buf b = BUF_INIT;
	char chunk[8192];
	size_t n;
	int rc;

	if (!f)
		return kerr_set(e, KERR_IO, "cannot open config file %s: %s", path, strerror(errno));
	b.cap = CONFIG_MAX;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(&b, chunk, n);
	if (ferror(f)) {
		fclose(f);
		buf_release(&b);
		return kerr_set(e, KERR_IO, "cannot read config file %s: %s", path, strerror(errno));
	}
	fclose(f);
	if (buf_failed(&b)) {
		buf_release(&b);
		return kerr_set(e, KERR_USAGE, "config file %s is larger than 1 MiB", path);
	}
	rc = config_parse(b.ptr, b.len, path, keys, values, e);
	buf_release(&b);
	return rc;
}
