/* static.c — serving the embedded files (see static.h). */
#include "static.h"

#include "web.h"

const struct static_file *static_find(const char *name)
{
	int i;
	for (i = 0; i < static_nfiles; i++)
		if (strcmp(static_files[i].name, name) == 0)
			return &static_files[i];
	return NULL;
}

void h_static(struct req *r)
{
	const struct static_file *f = static_find(r->arg);
	if (!f) {
		req_error(r, 404, "no such file");
		return;
	}
	r->ctype = f->ctype;
	buf_puts(&r->out, f->data);
	req_header_add(r, "Cache-Control", "public, max-age=3600");
}

void h_openapi(struct req *r)
{
	const struct static_file *f = static_find("openapi.json");
	if (!f)
		BUG("openapi.json is not embedded");
	r->ctype = f->ctype;
	buf_puts(&r->out, f->data);
}
