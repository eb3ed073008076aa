/* static.c — serving the embedded files (see static.h). */
#include "static.h"

#include <pthread.h>
#include <sodium.h>

#include "web.h"

/* Each file's ETag: a hash of its content, computed once (the files are in the program). */
#define STATIC_ETAG_BYTES 16
static char (*static_etags)[2 * STATIC_ETAG_BYTES + 3];
static pthread_once_t static_etags_once = PTHREAD_ONCE_INIT;

static void static_etags_make(void)
{
	int i;
	static_etags = xcalloc((size_t)static_nfiles + 1, sizeof(*static_etags));
	for (i = 0; i < static_nfiles; i++) {
		unsigned char md[STATIC_ETAG_BYTES];
		char hex[2 * STATIC_ETAG_BYTES + 1];
		crypto_generichash(md, sizeof(md), (const unsigned char *)static_files[i].data,
				   strlen(static_files[i].data), NULL, 0);
		sodium_bin2hex(hex, sizeof(hex), md, sizeof(md));
		snprintf(static_etags[i], sizeof(static_etags[i]), "\"%s\"", hex);
	}
}

const struct static_file *static_find(const char *name)
{
	int i;
	for (i = 0; i < static_nfiles; i++)
		if (strcmp(static_files[i].name, name) == 0)
			return &static_files[i];
	return NULL;
}

const char *static_etag(const struct static_file *f)
{
	pthread_once(&static_etags_once, static_etags_make);
	return static_etags[f - static_files];
}

/* The body of f with its validator (304 when the visitor holds it) and an hour's freshness: a
 * new version of klaster has other files, hence other ETags. */
static void static_send(struct req *r, const struct static_file *f)
{
	r->ctype = f->ctype;
	buf_puts(&r->out, f->data);
	req_header_add(r, "Cache-Control", "public, max-age=3600");
	req_fixed_etag(r, static_etag(f));
}

void h_static(struct req *r)
{
	const struct static_file *f = static_find(r->arg);
	if (!f) {
		req_error(r, 404, "no such file");
		return;
	}
	static_send(r, f);
}

void h_openapi(struct req *r)
{
	const struct static_file *f = static_find("openapi.json");
	if (!f)
		BUG("openapi.json is not embedded");
	static_send(r, f);
}
