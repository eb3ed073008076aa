/*
 * fuzz_config.c — libFuzzer target for the configuration file parser
 * (config_parse in src/config.c).  Every input is accepted or refused with
 * a message; accepted values never hold a newline or a NUL and carry no
 * surrounding blanks.
 */
#include <stdint.h>

#include "config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const keys[] = { "db", "listen", "threads", "max-body", NULL };
	char *values[4] = { NULL, NULL, NULL, NULL };
	struct kerr e = KERR_INIT;
	size_t i;
	int rc = config_parse((const char *)data, size, "fuzz.conf", keys, values, &e);
	if (rc != 0 && (rc != -1 || !e.msg[0]))
		__builtin_trap();
	for (i = 0; i < 4; i++) {
		const char *v = values[i];
		size_t n;
		if (!v)
			continue;
		n = strlen(v);
		if (strchr(v, '\n') || (n && (v[0] == ' ' || v[n - 1] == ' ' || v[n - 1] == '\t')))
			__builtin_trap();
		free(values[i]);
	}
	return 0;
}
