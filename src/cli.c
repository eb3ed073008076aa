/* cli.c — command-line arguments of the klaster commands (cli.h). */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "esc.h"

/* Drops the first argument (the sub-command word), if there is one. */
void shift_arg(struct cmd_ctx *c)
{
	if (c->argc > 0) {
		c->argc--;
		c->argv++;
	}
}

/* Remembers that the command knows option name (for no_more_args's messages). */
static void asked(struct cmd_ctx *c, const char *name, int value)
{
	size_t k;
	for (k = 0; k < c->nasked; k++)
		if (strcmp(c->asked[k], name) == 0)
			return;
	if (c->nasked < CLI_MAX_ASKED) {
		c->asked[c->nasked] = name;
		c->asked_value[c->nasked++] = (unsigned char)value;
	}
}

/* Takes n arguments out of c from position i. */
static void take(struct cmd_ctx *c, int i, int n)
{
	int j;
	for (j = i; j < c->argc - n; j++)
		c->argv[j] = c->argv[j + n];
	c->argc -= n;
}

int opt_flag(struct cmd_ctx *c, const char *name)
{
	int i;
	asked(c, name, 0);
	for (i = 0; i < c->argc; i++)
		if (strcmp(c->argv[i], name) == 0) {
			take(c, i, 1);
			return 1;
		}
	return 0;
}

const char *opt_value(struct cmd_ctx *c, const char *name)
{
	int i;
	size_t n = strlen(name);
	asked(c, name, 1);
	for (i = 0; i < c->argc; i++) {
		const char *v;
		if (strcmp(c->argv[i], name) == 0 && i + 1 < c->argc && strncmp(c->argv[i + 1], "--", 2) != 0) {
			v = c->argv[i + 1];
			take(c, i, 2);
			return v;
		}
		if (strncmp(c->argv[i], name, n) == 0 && c->argv[i][n] == '=') {
			v = c->argv[i] + n + 1;
			take(c, i, 1);
			return v;
		}
	}
	return NULL;
}

int no_more_args(struct cmd_ctx *c, int want)
{
	return cli_check_args(c, want) ? -1 : cli_open_db(c);
}

int cli_check_args(struct cmd_ctx *c, int want)
{
	int i;
	size_t k;
	for (i = 0; i < c->argc; i++) {
		const char *a = c->argv[i];
		if (a[0] != '-' || !a[1])
			continue;
		for (k = 0; k < c->nasked; k++) {
			size_t n = strlen(c->asked[k]);
			if (strncmp(a, c->asked[k], n) != 0 || (a[n] && a[n] != '='))
				continue;
			/* a known option still here: a flag given a value, its value missing, or it came twice */
			if (!c->asked_value[k] && a[n] == '=')
				return kerr_set(c->e, KERR_USAGE, "%s takes no value: write %s alone (see --help)",
						c->asked[k], c->asked[k]);
			if (c->asked_value[k] && !a[n] &&
			    (i + 1 == c->argc || strncmp(c->argv[i + 1], "--", 2) == 0))
				return kerr_set(c->e, KERR_USAGE, "%s needs a value (see --help)", c->asked[k]);
			return kerr_set(c->e, KERR_USAGE, "%s is given twice", c->asked[k]);
		}
		return kerr_set(c->e, KERR_USAGE, "unknown option '%s' (see --help)", a);
	}
	if (c->argc != want)
		return kerr_set(c->e, KERR_USAGE, "expected %d argument%s, got %d (see --help)", want,
				want == 1 ? "" : "s", c->argc);
	return 0;
}

int cli_open_db(struct cmd_ctx *c)
{
	return c->open_db && !c->db ? c->open_db(c) : 0;
}

const char *cli_shown_name(struct cmd_ctx *c, const char *path)
{
	struct buf b = BUF_INIT;
	size_t k;
	if (!path)
		return NULL;
	for (k = 0; k < c->nshown; k++)
		if (strcmp(c->shown[k].path, path) == 0)
			return c->shown[k].name;
	esc_filename(&b, path);
	if (strcmp(b.ptr, path) == 0) {
		buf_release(&b);
		return path;
	}
	c->shown = xrealloc(c->shown, st_mult(sizeof(*c->shown), c->nshown + 1));
	c->shown[c->nshown].path = xstrdup(path);
	c->shown[c->nshown].name = buf_detach(&b, NULL);
	return c->shown[c->nshown++].name;
}

int cli_inputs_readable(struct cmd_ctx *c, const char *const *opts, const char *const *paths, size_t n)
{
	size_t k;
	for (k = 0; k < n; k++)
		if (paths[k] && strcmp(paths[k], "-") != 0 && access(paths[k], R_OK) != 0)
			return kerr_set(c->e, KERR_IO, "%s: cannot open %s: %s", opts[k], cli_shown_name(c, paths[k]),
					strerror(errno));
	return 0;
}

void cmd_ctx_release(struct cmd_ctx *c)
{
	size_t k;
	for (k = 0; k < c->nshown; k++) {
		free(c->shown[k].path);
		free(c->shown[k].name);
	}
	free(c->shown);
	c->shown = NULL;
	c->nshown = 0;
}
