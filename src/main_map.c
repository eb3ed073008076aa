/*
 * main_map.c — klaster-map: the `map` commands on files, in a binary that
 * links only what they need (the C library and libm),
 * so that it starts in about a millisecond where klaster, linked to the
 * portal's libraries, takes about twenty.  Scripts that run many small
 * jobs and big files read within a few times of `wc -l` use it.
 *
 *   klaster-map indicators|indices|shift-share|spatial|hotspots …
 *
 * takes exactly the arguments of `klaster map …` and writes the same
 * results (cli_map.c is the one code of both).  draw, related, --map,
 * `spatial --boundaries`, `hotspots --regions|--within`, --region-names
 * (cairo, igraph, jansson) and XLSX output (libxlsxwriter) are handed to
 * klaster: the binary beside this one, else the first on PATH, runs as
 * `klaster map …`.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "cli_map.h"
#include "esc.h"
#include "outfile.h"

/* The usage of every command (what NULL) or of one; -1 when what is no command. */
static int usage(FILE *f, const char *what)
{
	if (cli_map_print_usage(f, "klaster-map ", what))
		return -1;
	if (what) {
		fputs("\nThe same command and options as `klaster map`; they are described in docs/MAPPING.md.\n", f);
		return 0;
	}
	fprintf(f, "\nThe same commands and options as `klaster map`.\n%s\n\n'draw', 'relatedness', 'spatial "
		"--boundaries', 'hotspots --regions|--within|--map', firm lists placed by --boundaries, region "
		"names from --region-names and XLSX output are run by klaster.\nExit codes: 0 ok, 1 I/O or internal error, 2 usage, 3 invalid input.\n", cli_map_help);
	return 0;
}

/* klaster-map help [COMMAND], klaster-map [COMMAND] --help: on standard output the usage of
 * command what, or of every command when what is NULL; 0, or 2 with the one-line message of
 * running a command that is none (the commands listed) when what is none. */
static int help(const char *what)
{
	struct kerr e = KERR_INIT;
	struct buf m = BUF_INIT;   /* the word may hold escape sequences */
	if (usage(stdout, what) == 0)
		return 0;
	cli_map_command_known(&e, what);
	esc_terminal(&m, e.msg);
	fprintf(stderr, "klaster-map: %s\n", m.len ? m.ptr : "");
	buf_release(&m);
	return kerr_exit_code(e.kind);
}

/* The value of option name in argv ("NAME VALUE" or "NAME=VALUE"), or NULL. */
static const char *arg_value(int argc, char **argv, const char *name)
{
	size_t n = strlen(name);
	int i;
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], name) == 0 && i + 1 < argc)
			return argv[i + 1];
		if (strncmp(argv[i], name, n) == 0 && argv[i][n] == '=')
			return argv[i] + n + 1;
	}
	return NULL;
}

/* Which of klaster's libraries the command needs ("cairo" for a map, "jansson" for GeoJSON, "igraph",
 * "libxlsxwriter" for XLSX output), or NULL when klaster-map runs it itself. */
static const char *needs_klaster(int argc, char **argv)
{
	const char *out = arg_value(argc, argv, "-o"), *fmt = arg_value(argc, argv, "--output-format");
	enum tablew_format f;
	if (strcmp(argv[0], "draw") == 0)
		return "cairo and jansson: maps over GeoJSON boundaries";
	if (strcmp(argv[0], "relatedness") == 0 || strcmp(argv[0], "related") == 0)
		return "igraph: groups of related industries";
	if (arg_value(argc, argv, "--map"))
		return "cairo: the map";
	if (strcmp(argv[0], "hotspots") == 0 && (arg_value(argc, argv, "--regions") || arg_value(argc, argv, "--within")))
		return "jansson: GeoJSON boundaries";
	if (arg_value(argc, argv, "--boundaries"))
		return "jansson: firms placed in the regions of GeoJSON boundaries";
	if (arg_value(argc, argv, "--region-names"))
		return "jansson: region names from GeoJSON boundaries";
	if (!out)
		out = arg_value(argc, argv, "--output");
	if (fmt ? tablew_format_by_name(fmt, &f) == 0 && f == TABLEW_XLSX
		: out && tablew_format_for_path(out, &f) == 0 && f == TABLEW_XLSX)
		return "libxlsxwriter: XLSX output";
	return NULL;
}

/* Runs `klaster map ARGS` in this process: the klaster beside this binary, else klaster on PATH,
 * with argv[0] "klaster-map", so that its messages begin "klaster-map:" as this program's do. */
static int hand_to_klaster(int argc, char **argv, const char *why)
{
	char self[PATH_MAX], **args = calloc((size_t)argc + 3, sizeof(*args));
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 16);
	int i;
	if (!args)
		return 1;
	args[0] = "klaster-map";
	args[1] = "map";
	for (i = 0; i < argc; i++)
		args[i + 2] = argv[i];
	if (n > 0) {
		char *slash;
		self[n] = '\0';
		if ((slash = strrchr(self, '/'))) {
			memcpy(slash + 1, "klaster", sizeof("klaster"));  /* room: 16 bytes were kept */
			execv(self, args);
		}
	}
	execvp("klaster", args);
	fprintf(stderr, "klaster-map: 'map %s' needs klaster (%s), found neither beside klaster-map nor on PATH\n",
		argv[0], why);
	free(args);
	return 1;
}

int main(int argc, char **argv)
{
	struct kerr e = KERR_INIT;
	struct cmd_ctx c;
	struct map_args a;
	const char *what;
	int i, rc;

	if (argc >= 3 && strcmp(argv[1], "map") == 0) {
		/* "klaster-map map indicators …", as one would write "klaster map indicators …" */
		argv[1] = argv[0];
		argv++;
		argc--;
	}
	if (argc < 2) {
		usage(stderr, NULL);
		return 2;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(stdout, NULL);
		return 0;
	}
	if (strcmp(argv[1], "help") == 0) {
		/* klaster-map help [map] [COMMAND]: as --help */
		int k = argc >= 3 && strcmp(argv[2], "map") == 0 ? 3 : 2;
		return help(k < argc ? argv[k] : NULL);
	}
	if (strcmp(argv[1], "--version") == 0) {
		puts("klaster-map 0.1");
		return 0;
	}
	for (i = 2; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			/* COMMAND … --help: the command being the first word that is no option, as in klaster */
			const char *what_help = NULL;
			int k;
			for (k = 1; k < argc && !what_help; k++)
				if (argv[k][0] != '-')
					what_help = argv[k];
			return help(what_help);
		}
	memset(&c, 0, sizeof(c));
	c.argc = argc - 2;
	c.argv = argv + 2;
	c.e = &e;
	what = argv[1];
	outfile_guard();   /* the results never replace the inputs (outfile.h) */
	/* the command line is checked here, before klaster may be asked to run it */
	rc = cli_map_check(&c, what);
	if (rc == 0) {
		const char *why = needs_klaster(argc - 1, argv + 1);
		if (why)
			return hand_to_klaster(argc - 1, argv + 1, why);
		if (strcmp(what, "spatial") == 0 || strcmp(what, "hotspots") == 0)
			rc = cli_map_points(&c, what, NULL, NULL);
		else
			rc = cli_map_args(&c, what, &a) || cli_map_table(&c, &a);
	}
	cmd_ctx_release(&c);   /* a message is a copy in e: it outlives the names c kept */
	if (rc) {
		struct buf m = BUF_INIT;   /* a value quoted in the message may hold escape sequences */
		esc_terminal(&m, e.msg);
		fprintf(stderr, "klaster-map: %s\n", m.len ? m.ptr : "");
		buf_release(&m);
		return kerr_exit_code(e.kind);
	}
	return 0;
}
