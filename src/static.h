/* static.h — files served under /static/ (embedded from static/ at build time). */
#ifndef KLASTER_STATIC_H
#define KLASTER_STATIC_H

struct static_file {
	const char *name;
	const char *ctype;
	const char *data;
};

extern const struct static_file static_files[];
extern const int static_nfiles;

/* The file with that name, or NULL. */
const struct static_file *static_find(const char *name);
/* f's ETag (a quoted hash of its content, computed once): strong, the same in every process
 * of one build. */
const char *static_etag(const struct static_file *f);

#endif
