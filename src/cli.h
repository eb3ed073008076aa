/*
 * cli.h — what every command of the klaster binaries gets, and the option
 * helpers they share.
 *
 * A command sees its arguments after its own name in argc/argv.  The
 * option helpers take an option out of them: opt_flag ("--sum") and
 * opt_value ("-o FILE" or "-o=FILE") remove what they find, so that
 * no_more_args can then refuse anything left that looks like an option
 * and check the number of plain arguments.  Errors go to e (err.h) with
 * KERR_USAGE.
 */
#ifndef KLASTER_CLI_H
#define KLASTER_CLI_H

#include "err.h"

struct settings;
struct db;

struct cmd_ctx {
	struct settings *s;   /* the klaster binary's settings; NULL in klaster-map */
	struct db *db;        /* open when the command needs the database, else NULL */
	int argc;
	char **argv;
	struct kerr *e;
};

/* Drops the first argument (the sub-command word), if there is one. */
void shift_arg(struct cmd_ctx *c);
/* 1 when the flag was given (and takes it out), else 0. */
int opt_flag(struct cmd_ctx *c, const char *name);
/* The option's value (taken out with the option), or NULL when absent. */
const char *opt_value(struct cmd_ctx *c, const char *name);
/* -1 (KERR_USAGE) when an unknown option is left or there are not exactly want arguments. */
int no_more_args(struct cmd_ctx *c, int want);

#endif
