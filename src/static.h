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

#endif
