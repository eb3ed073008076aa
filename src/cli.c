/* cli.c — command-line arguments of the klaster commands (cli.h). */
#include "cli.h"

#include <string.h>

/* Drops the first argument (the sub-command word), if there is one. */
void shift_arg(struct cmd_ctx *c)
{
	if (c->argc > 0) {
		c->argc--;
		c->argv++;
	}
}

int opt_flag(struct cmd_ctx *c, const char *name)
{
	int i, j;
	for (i = 0; i < c->argc; i++)
		if (strcmp(c->argv[i], name) == 0) {
			for (j = i; j < c->argc - 1; j++)
				c->argv[j] = c->argv[j + 1];
			c->argc--;
			return 1;
		}
	return 0;
}

const char *opt_value(struct cmd_ctx *c, const char *name)
{
	int i, j;
	size_t n = strlen(name);
	for (i = 0; i < c->argc; i++) {
		const char *v = NULL;
		int take = 0;
		if (strcmp(c->argv[i], name) == 0 && i + 1 < c->argc) {
			v = c->argv[i + 1];
			take = 2;
		} else if (strncmp(c->argv[i], name, n) == 0 && c->argv[i][n] == '=') {
			v = c->argv[i] + n + 1;
			take = 1;
		}
		if (take) {
			for (j = i; j < c->argc - take; j++)
				c->argv[j] = c->argv[j + take];
			c->argc -= take;
			return v;
		}
	}
	return NULL;
}

int no_more_args(struct cmd_ctx *c, int want)
{
	int i;
	for (i = 0; i < c->argc; i++)
		if (c->argv[i][0] == '-' && c->argv[i][1])
			return kerr_set(c->e, KERR_USAGE, "unknown option '%s' (see --help)", c->argv[i]);
	if (c->argc != want)
		return kerr_set(c->e, KERR_USAGE, "expected %d argument%s, got %d (see --help)", want,
				want == 1 ? "" : "s", c->argc);
	return 0;
}
