/*
 * fuzz_audit.c — libFuzzer target for the audit log's filter parser
 * (audit_filter_parse in src/audit.c), which reads what an administrator
 * types into /admin/audit and `klaster audit`.
 *
 * The input is cut at its '\x01' bytes into the six fields (action, user,
 * object, object_id, from, to).  The parser must either accept them with
 * an empty message, a filter whose texts are within AUDIT_TEXT_MAX, one
 * line each, trimmed, an object_id only with an object kind, and a day
 * range whose start is not after its end; or refuse with KERR_INPUT and a
 * message naming one of the fields.  Accepting a filter twice gives the
 * same filter (the parse does not depend on earlier calls).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) __builtin_trap(); } while (0)

static int names_a_field(const char *msg)
{
	static const char *const fields[] = { "action:", "user:", "object:", "object_id:", "from:", "to:" };
	size_t i;
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (strncmp(msg, fields[i], strlen(fields[i])) == 0)
			return 1;
	return 0;
}

static void check_text(const char *s)
{
	size_t n = strlen(s);
	CHECK(n <= AUDIT_TEXT_MAX);
	CHECK(!strchr(s, '\n') && !strchr(s, '\r'));
	CHECK(!n || (s[0] != ' ' && s[n - 1] != ' '));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), *field[6] = { 0 }, *p;
	struct audit_filter f, g;
	struct kerr e = KERR_INIT, e2 = KERR_INIT;
	size_t k = 0;
	int rc;
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	for (p = s; k < 6; k++) {
		field[k] = p;
		p = strchr(p, '\x01');
		if (!p) {
			k++;
			break;
		}
		*p++ = '\0';
	}
	rc = audit_filter_parse(&f, field[0], field[1], field[2], field[3], field[4], field[5], &e);
	if (rc == 0) {
		CHECK(e.kind == KERR_NONE);
		check_text(f.action);
		check_text(f.user);
		check_text(f.object_type);
		CHECK(!f.object_id || f.object_type[0]);
		CHECK(!f.at_from || !f.at_to || f.at_from < f.at_to);
		CHECK(audit_filter_parse(&g, field[0], field[1], field[2], field[3], field[4], field[5], &e2) == 0);
		CHECK(memcmp(&f, &g, sizeof(f)) == 0);
	} else {
		CHECK(rc == -1 && e.kind == KERR_INPUT && names_a_field(e.msg));
	}
	free(s);
	return 0;
}
