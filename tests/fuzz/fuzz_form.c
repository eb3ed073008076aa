/*
 * fuzz_form.c — libFuzzer target for form bodies (src/form.c): urlencoded
 * forms, and multipart/form-data ones (uploads) when the first byte is odd
 * (the rest is the body; the boundary is "b").
 *
 * Any input either parses into at most FORM_MAX pairs whose names and
 * values are valid UTF-8 without NUL bytes, found again by form_get (and
 * at most FORM_MAX_FILES files, each a slice of the body, found by
 * form_file), or is refused with a KERR_INPUT/KERR_TOOBIG message; never
 * a crash or a leak.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "esc.h"
#include "form.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct form f;
	struct kerr e = KERR_INIT;
	size_t i;
	int rc, mp = size && (data[0] & 1);
	if (mp)
		rc = form_parse_multipart(&f, "multipart/form-data; boundary=b", (const char *)data + 1, size - 1, &e);
	else
		rc = form_parse(&f, (const char *)data, size, &e);
	if (rc == 0) {
		if (f.nfiles > FORM_MAX_FILES || (!mp && f.nfiles))
			BUG("too many files");
		for (i = 0; i < f.nfiles; i++) {
			if (f.files[i].data < (const char *)data + 1 || f.files[i].data + f.files[i].len > (const char *)data + size)
				BUG("a file outside the body");
			if (!utf8_valid(f.files[i].filename, strlen(f.files[i].filename)) || !form_file(&f, f.files[i].field))
				BUG("a file's names");
		}
		if (f.n > FORM_MAX)
			BUG("too many fields");
		for (i = 0; i < f.n; i++) {
			if (!utf8_valid(f.names[i], strlen(f.names[i])) || !utf8_valid(f.values[i], strlen(f.values[i])))
				BUG("invalid UTF-8 passed");
			if (!form_get(&f, f.names[i]))
				BUG("a parsed name is not found");
		}
	} else if (e.kind != KERR_INPUT && e.kind != KERR_TOOBIG) {
		BUG("unexpected error kind %d", (int)e.kind);
	} else if (!e.msg[0]) {
		BUG("refused without a message");
	}
	form_release(&f);
	return 0;
}
