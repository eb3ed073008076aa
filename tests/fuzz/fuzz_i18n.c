/*
 * fuzz_i18n.c — libFuzzer target for the Polish of the library's messages
 * (src/i18n.c).
 *
 * A Polish page passes the readers' messages through i18n_pl, and those
 * messages quote what a file held (a value, a column's name, a file name
 * as the browser sent it): the input is such a message, cut at 1 KiB as
 * the messages are.  i18n_pl must return the message itself or the
 * Polish it wrote, and the Polish of a valid UTF-8 message must be valid
 * UTF-8 (a capture never splits a character); a pattern that backtracks
 * for too long is caught by the run's timeout.  A broken promise stops the
 * run with __builtin_trap().
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "esc.h"
#include "i18n.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) __builtin_trap(); } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf out = BUF_INIT;
	char *msg;
	const char *pl;
	size_t n = size < 1024 ? size : 1024;
	msg = malloc(n + 1);
	memcpy(msg, data, n);
	msg[n] = '\0';
	n = strlen(msg);   /* a message ends at its first NUL */
	pl = i18n_pl(msg, &out);
	CHECK(pl == msg || pl == out.ptr);
	if (pl != msg && utf8_valid(msg, n))
		CHECK(utf8_valid(pl, strlen(pl)));
	CHECK(i18n_pl(NULL, &out) == NULL);
	buf_release(&out);
	free(msg);
	return 0;
}
