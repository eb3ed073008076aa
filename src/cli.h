/*
 * cli.h — what every command of the klaster binaries gets, and the option
 * helpers they share.
 *
 * A command sees its arguments after its own name in argc/argv.  The
 * option helpers take an option out of them: opt_flag ("--sum") and
 * opt_value ("-o FILE" or "-o=FILE") remove what they find, so that
 * no_more_args can then refuse anything left that looks like an option
 * and check the number of plain arguments.  Errors go to e (err.h) with
 * KERR_USAGE.  The helpers remember the names they were asked for, so
 * that no_more_args tells an option given twice ("--year is given twice")
 * or without its value ("--year needs a value") from an unknown one.
 */
#ifndef KLASTER_CLI_H
#define KLASTER_CLI_H

#include "err.h"

struct settings;
struct db;

#define CLI_MAX_ASKED 64

struct cmd_ctx {
	struct settings *s;   /* the klaster binary's settings; NULL in klaster-map */
	struct db *db;        /* open when the command needs the database, else NULL */
	/* klaster sets it for a command that needs the database: opens c->db (0, or -1 with e).
	 * It is called once the command's arguments are checked (no_more_args, cli_open_db), so
	 * that a wrong option is told as such, before a database is looked for or created. */
	int (*open_db)(struct cmd_ctx *c);
	int argc;
	char **argv;
	struct kerr *e;
	/* the option names opt_flag and opt_value were asked for (string
	 * constants of the caller), and whether each takes a value; start
	 * from a zeroed struct */
	const char *asked[CLI_MAX_ASKED];
	unsigned char asked_value[CLI_MAX_ASKED];
	size_t nasked;
	/* the file names cli_shown_name escaped, each after a copy of the path
	 * it shows (freed by cmd_ctx_release) */
	struct cli_shown { char *path, *name; } *shown;
	size_t nshown;
};

/* Drops the first argument (the sub-command word), if there is one. */
void shift_arg(struct cmd_ctx *c);
/* 1 when the flag was given (and takes it out), else 0. */
int opt_flag(struct cmd_ctx *c, const char *name);
/* The option's value (taken out with the option), or NULL when absent.
 * A value that starts with "--" is not taken ("--year --sum" leaves both,
 * and no_more_args says --year needs a value). */
const char *opt_value(struct cmd_ctx *c, const char *name);
/* -1 (KERR_USAGE) when an option is left — unknown, given twice or
 * without its value, each said so — or there are not exactly want
 * arguments.  Else the command's database is opened (cli_open_db). */
int no_more_args(struct cmd_ctx *c, int want);
/* no_more_args without opening the database: for a usage error that a missing option makes
 * ("needs --dataset NAME"), told before a database is looked for. */
int cli_check_args(struct cmd_ctx *c, int want);
/* Opens the command's database when it needs one and it is not open yet (c->open_db): 0, or -1
 * with e.  For a command whose arguments no_more_args does not check. */
int cli_open_db(struct cmd_ctx *c);
/* path as a notice, a message or a progress line shows it (esc_filename:
 * control characters and bytes that are not UTF-8 escaped): path itself
 * when it has nothing to escape, else a copy c keeps until cmd_ctx_release.
 * A file is opened by path, never by this.  NULL for NULL. */
const char *cli_shown_name(struct cmd_ctx *c, const char *path);
/*
 * The n inputs paths[k], given by options opts[k] (NULL entries and "-",
 * standard input, skipped) can be opened for reading: 0, or -1 with
 * "OPTION: cannot open NAME: REASON" (KERR_IO) for the first that cannot —
 * asked before a long read of another input, so that a side file's typing
 * error is told at once.  Nothing is opened (a FIFO is not consumed): the
 * file system is asked (access).
 */
int cli_inputs_readable(struct cmd_ctx *c, const char *const *opts, const char *const *paths, size_t n);
/* Frees what c keeps (cli_shown_name's names); c can be used again. */
void cmd_ctx_release(struct cmd_ctx *c);

#endif
