/*
 * form.h — the body of an HTML form (application/x-www-form-urlencoded),
 * decoded once into name/value pairs.
 *
 * Contract: form_parse never fails on odd input — a pair without '=' has
 * an empty value, %XX and '+' are decoded, a bad %-sequence is kept as
 * written — but it rejects a body whose decoded text is not valid UTF-8 or
 * holds a NUL (-1, KERR_INPUT naming the field), and more than FORM_MAX
 * fields (-1, KERR_TOOBIG).  Values live as long as the struct form.
 */
#ifndef KLASTER_FORM_H
#define KLASTER_FORM_H

#include <stddef.h>

#include "err.h"

#define FORM_MAX 256

struct form {
	size_t n;
	char *names[FORM_MAX];
	char *values[FORM_MAX];
	char *mem;                  /* one copy of the body the pointers point into */
};

int form_parse(struct form *f, const char *body, size_t len, struct kerr *e);
/* The first value of name, or NULL. */
const char *form_get(const struct form *f, const char *name);
/* Every value of name (checkbox lists), up to max; returns how many. */
size_t form_all(const struct form *f, const char *name, const char **out, size_t max);
void form_release(struct form *f);

#endif
