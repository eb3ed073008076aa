/*
 * main.c — the klaster command: a table of subcommands over the library.
 * Options come from flags, then environment variables (KLASTER_*), then an
 * optional config file (--config or KLASTER_CONFIG), then defaults.
 * Exit codes: see docs/CLI.md (and kerr_exit_code in err.h).
 */
#include <sodium.h>
#include <termios.h>

#include "config.h"
#include "dataset.h"
#include "dscache.h"
#include "draw.h"
#include "db.h"
#include "dir.h"
#include "err.h"
#include "esc.h"
#include "fold.h"
#include "firms.h"
#include "http.h"
#include "import.h"
#include "indic.h"
#include <curl/curl.h>

#include "audit.h"
#include "auth.h"
#include "cli.h"
#include "cli_map.h"
#include "mailq.h"
#include "mapping.h"
#include "news.h"
#include "offer.h"
#include "outfile.h"
#include "progress.h"
#include "related.h"
#include "spatial.h"
#include "stats.h"
#include "tablew.h"
#include "valid.h"
#include "web.h"

/* ---- settings: one table, three sources ---- */

struct settings {
	char *db, *listen, *threads, *max_body, *max_upload, *search_cache, *dataset_cache, *smtp_url, *mail_from, *base_url, *mail_lease,
		*trust_proxy, *session_idle, *mail_keep_days, *config;
};

static const struct setting {
	const char *key;      /* config-file key and --flag */
	const char *env;
	const char *def;
	size_t off;
} settings_table[] = {
	{ "db", "KLASTER_DB", "sqlite:klaster.db", offsetof(struct settings, db) },
	{ "listen", "KLASTER_LISTEN", "127.0.0.1:8080", offsetof(struct settings, listen) },
	{ "threads", "KLASTER_THREADS", "4", offsetof(struct settings, threads) },
	{ "max-body", "KLASTER_MAX_BODY", "1048576", offsetof(struct settings, max_body) },
	{ "max-upload", "KLASTER_MAX_UPLOAD", "128", offsetof(struct settings, max_upload) },
	{ "search-cache", "KLASTER_SEARCH_CACHE", "8", offsetof(struct settings, search_cache) },
	{ "dataset-cache", "KLASTER_DATASET_CACHE", "256", offsetof(struct settings, dataset_cache) },
	{ "smtp-url", "KLASTER_SMTP_URL", "", offsetof(struct settings, smtp_url) },
	{ "mail-from", "KLASTER_MAIL_FROM", "klaster <noreply@localhost>", offsetof(struct settings, mail_from) },
	{ "base-url", "KLASTER_BASE_URL", "", offsetof(struct settings, base_url) },
	{ "mail-lease", "KLASTER_MAIL_LEASE", "300", offsetof(struct settings, mail_lease) },
	{ "trust-proxy", "KLASTER_TRUST_PROXY", "0", offsetof(struct settings, trust_proxy) },
	{ "session-idle", "KLASTER_SESSION_IDLE", "480", offsetof(struct settings, session_idle) },
	{ "mail-keep-days", "KLASTER_MAIL_KEEP_DAYS", "30", offsetof(struct settings, mail_keep_days) },
};
#define NSETTINGS (sizeof(settings_table) / sizeof(settings_table[0]))

static char **setting_slot(struct settings *s, const struct setting *t)
{
	return (char **)((char *)s + t->off);
}

/* The file's values go into the slots that flags and environment left empty. */
static int load_config(struct settings *s, const char *path, struct kerr *e)
{
	const char *keys[NSETTINGS + 1];
	char *values[NSETTINGS];
	size_t i;
	int rc;
	for (i = 0; i < NSETTINGS; i++) {
		keys[i] = settings_table[i].key;
		values[i] = *setting_slot(s, &settings_table[i]);
	}
	keys[NSETTINGS] = NULL;
	rc = config_load(path, keys, values, e);
	for (i = 0; i < NSETTINGS; i++)
		*setting_slot(s, &settings_table[i]) = values[i];
	return rc;
}

/* Flags were already stored; fill the rest from env, config and defaults. */
static int settings_finish(struct settings *s, struct kerr *e)
{
	size_t i;
	const char *cfg = s->config ? s->config : getenv("KLASTER_CONFIG");
	for (i = 0; i < NSETTINGS; i++) {
		char **slot = setting_slot(s, &settings_table[i]);
		const char *v = getenv(settings_table[i].env);
		if (!*slot && v && *v)
			*slot = xstrdup(v);
	}
	if (cfg && *cfg && load_config(s, cfg, e))   /* KLASTER_CONFIG= gives no file, as any empty variable */
		return -1;
	for (i = 0; i < NSETTINGS; i++) {
		char **slot = setting_slot(s, &settings_table[i]);
		if (!*slot)
			*slot = xstrdup(settings_table[i].def);
	}
	/* a bare path means SQLite */
	if (!strstr(s->db, "://") && strncmp(s->db, "sqlite:", 7) != 0) {
		struct buf b = BUF_INIT;
		buf_printf(&b, "sqlite:%s", s->db);
		free(s->db);
		s->db = buf_detach(&b, NULL);
	}
	/* SQLite opens a temporary database for these, which a command would fill and lose
	 * ("db migrate" a success that leaves nothing) */
	if (strcmp(s->db, "sqlite:") == 0 || strcmp(s->db, "sqlite::memory:") == 0)
		return kerr_set(e, KERR_USAGE, "the database '%s' is no file: SQLite would make a temporary one, gone "
				"when the command ends; give sqlite:PATH (--db, KLASTER_DB or the config's db)", s->db);
	return 0;
}

static void settings_release(struct settings *s)
{
	size_t i;
	for (i = 0; i < NSETTINGS; i++) {
		free(*setting_slot(s, &settings_table[i]));
		*setting_slot(s, &settings_table[i]) = NULL;
	}
	free(s->config);
	s->config = NULL;
}

/* ---- commands ---- */

/* The mail and proxy flags of serve and mail override their settings. */
static void mail_flags(struct cmd_ctx *c)
{
	static const struct {
		const char *flag;
		size_t off;
	} more[] = {
		{ "--smtp-url", offsetof(struct settings, smtp_url) },
		{ "--mail-from", offsetof(struct settings, mail_from) },
		{ "--base-url", offsetof(struct settings, base_url) },
		{ "--mail-lease", offsetof(struct settings, mail_lease) },
		{ "--mail-keep-days", offsetof(struct settings, mail_keep_days) },
		{ "--trust-proxy", offsetof(struct settings, trust_proxy) },
	};
	size_t i;
	const char *v;
	for (i = 0; i < sizeof(more) / sizeof(more[0]); i++)
		if ((v = opt_value(c, more[i].flag))) {
			char **slot = (char **)((char *)c->s + more[i].off);
			free(*slot);
			*slot = xstrdup(v);
		}
}

/* The mail settings of serve and mail; base_url defaults to the listen
 * address (fine on one machine; set it to the public address behind a proxy).
 * mail->base_url is allocated. */
static int mail_settings(struct settings *s, struct mail_cfg *mail, struct kerr *e)
{
	char *end;
	struct buf b = BUF_INIT;
	mail->smtp_url = s->smtp_url;
	mail->from = s->mail_from;
	mail->lease = strtol(s->mail_lease, &end, 10);
	if (*end || mail->lease < 2)
		return kerr_set(e, KERR_USAGE, "mail-lease must be a number of seconds ≥ 2, not '%s'", s->mail_lease);
	/* one delivery never outlives its claim, so no other server can take
	 * the message over while it is still being sent */
	mail->timeout = mail->lease > 61 ? 60 : mail->lease - 1;
	mail->keep_days = strtol(s->mail_keep_days, &end, 10);
	if (!*s->mail_keep_days || *end || mail->keep_days < 1 || mail->keep_days > MAIL_KEEP_DAYS_MAX)
		return kerr_set(e, KERR_USAGE, "mail-keep-days must be a number of days from 1 to %d (how long delivered "
				"mail is kept), not '%s'", MAIL_KEEP_DAYS_MAX, s->mail_keep_days);
	if (*s->smtp_url && strncmp(s->smtp_url, "smtp://", 7) != 0 && strncmp(s->smtp_url, "smtps://", 8) != 0)
		return kerr_set(e, KERR_USAGE, "smtp-url must start with smtp:// or smtps://, not '%s'", s->smtp_url);
	if (strpbrk(s->mail_from, "\r\n"))
		return kerr_set(e, KERR_USAGE, "mail-from must be one line");
	if (*s->base_url)
		buf_puts(&b, s->base_url);
	else
		buf_printf(&b, "http://%s", s->listen);
	while (b.len && b.ptr[b.len - 1] == '/')
		buf_truncate(&b, b.len - 1);
	mail->base_url = buf_detach(&b, NULL);
	return 0;
}

/* klaster routes: the route table, one line per route (for the tests'
 * authorisation matrix and CSRF checks, and for operators). */
static int cmd_routes(struct cmd_ctx *c)
{
	static const struct {
		int flag;
		const char *name;
	} names[] = { { R_DB, "db" }, { R_API, "api" }, { R_ADMIN, "token" }, { R_PREFIX, "prefix" },
		      { R_CACHE, "cache" }, { R_FORM, "form" }, { R_UPLOAD, "upload" }, { R_BIG, "big" }, { R_LOGIN, "login" }, { R_AREA_DIR, "area-directory" },
		      { R_AREA_OFFERS, "area-offers" }, { R_AREA_NEWS, "area-news" } };
	const struct route *const *t;
	const struct route *rt;
	if (no_more_args(c, 0))
		return -1;
	for (t = route_tables; *t; t++)
		for (rt = *t; rt->method; rt++) {
			size_t i;
			int first = 1;
			printf("%s\t%s%s\t", rt->method, rt->pattern,
			       (rt->flags & R_PREFIX) && !strchr(rt->pattern, '*') ? "*" : "");
			for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
				if (rt->flags & names[i].flag) {
					printf("%s%s", first ? "" : ",", names[i].name);
					first = 0;
				}
			putchar('\n');
		}
	return 0;
}

/* klaster mail deliver | list: the queue from the command line. */
static int cmd_mail(struct cmd_ctx *c)
{
	const char *what = c->argc ? c->argv[0] : "";
	struct mail_cfg mail;
	int rc = -1;
	memset(&mail, 0, sizeof(mail));
	shift_arg(c);
	if (strcmp(what, "deliver") == 0) {
		/* only delivering needs the mail settings: list takes none of their flags */
		int done = 0, total = 0;
		mail_flags(c);
		if (no_more_args(c, 0) || mail_settings(c->s, &mail, c->e))
			goto out;
		do {
			rc = mail_deliver_due(c->db, &mail, 100, &done, c->e);
			total += done;
		} while (rc == 0 && done == 100);
		if (rc == 0)
			rc = mail_housekeeping(c->db, auth_now(), mail.keep_days, c->e);
		if (rc == 0)
			printf("%d message%s delivered%s\n", total, total == 1 ? "" : "s",
			       *mail.smtp_url ? "" : " to the outbox (no smtp-url set)");
	} else if (strcmp(what, "list") == 0) {
		struct db_stmt *st;
		if (no_more_args(c, 0))
			goto out;
		if (db_prepare(c->db, "SELECT id, status, attempts, to_addr, subject, COALESCE(last_error, '')"
			       " FROM mail_queue ORDER BY id", &st, c->e) == 0) {
			while ((rc = db_step(st, c->e)) == 1)
				printf("%lld\t%s\t%lld\t%s\t%s\t%s\n", db_col_int(st, 0), db_col_text(st, 1), db_col_int(st, 2),
				       db_col_text(st, 3), db_col_text(st, 4), db_col_text(st, 5));
			db_finalize(st);
			rc = rc < 0 ? -1 : 0;
		}
	} else {
		kerr_set(c->e, KERR_USAGE, "usage: klaster mail deliver | klaster mail list");
	}
out:
	free((char *)mail.base_url);
	return rc;
}

static int cmd_serve(struct cmd_ctx *c)
{
	struct app app;
	const char *v;
	char *end;
	int rc = -1;
	memset(&app, 0, sizeof(app));
	if ((v = opt_value(c, "--listen"))) {
		free(c->s->listen);
		c->s->listen = xstrdup(v);
	}
	if ((v = opt_value(c, "--threads"))) {
		free(c->s->threads);
		c->s->threads = xstrdup(v);
	}
	if ((v = opt_value(c, "--max-body"))) {
		free(c->s->max_body);
		c->s->max_body = xstrdup(v);
	}
	if ((v = opt_value(c, "--max-upload"))) {
		free(c->s->max_upload);
		c->s->max_upload = xstrdup(v);
	}
	if ((v = opt_value(c, "--search-cache"))) {
		free(c->s->search_cache);
		c->s->search_cache = xstrdup(v);
	}
	if ((v = opt_value(c, "--dataset-cache"))) {
		free(c->s->dataset_cache);
		c->s->dataset_cache = xstrdup(v);
	}
	if ((v = opt_value(c, "--session-idle"))) {
		free(c->s->session_idle);
		c->s->session_idle = xstrdup(v);
	}
	mail_flags(c);
	app.quiet = opt_flag(c, "--quiet");
	if (no_more_args(c, 0))
		return -1;
	if (mail_settings(c->s, &app.mail, c->e))
		return -1;
	{
		/* on or off, said plainly: "true" or "on" taken as off would leave rate limits and the
		 * audit log on the proxy's address without a word */
		static const char *const on[] = { "1", "yes", "true", "on" }, *const off[] = { "0", "no", "false", "off" };
		const char *tp = c->s->trust_proxy;
		size_t k;
		app.trust_proxy = -1;
		for (k = 0; k < 4; k++) {
			if (strcasecmp(tp, on[k]) == 0)
				app.trust_proxy = 1;
			if (strcasecmp(tp, off[k]) == 0)
				app.trust_proxy = 0;
		}
		if (app.trust_proxy < 0) {
			kerr_set(c->e, KERR_USAGE, "trust-proxy must be 1 or 0 (yes/no, true/false, on/off), not '%s'", tp);
			goto out;
		}
	}
	app.db_url = c->s->db;
	app.listen = c->s->listen;
	app.threads = (int)strtol(c->s->threads, &end, 10);
	if (*end || app.threads < 1 || app.threads > 256) {
		kerr_set(c->e, KERR_USAGE, "threads must be a number from 1 to 256, not '%s'", c->s->threads);
		goto out;
	}
	app.max_body = (size_t)strtoull(c->s->max_body, &end, 10);
	if (*end || app.max_body < 1024) {
		kerr_set(c->e, KERR_USAGE, "max-body must be a number of bytes ≥ 1024, not '%s'", c->s->max_body);
		goto out;
	}
	{
		/* the files an administrator uploads (statistics datasets): MiB */
		long mib = strtol(c->s->max_upload, &end, 10);
		if (*end || !*c->s->max_upload || mib < 1 || mib > 4096) {
			kerr_set(c->e, KERR_USAGE, "max-upload must be a number of MiB from 1 to 4096, not '%s'",
				 c->s->max_upload);
			goto out;
		}
		app.max_upload = (size_t)mib << 20;
		if (app.max_upload < app.max_body)
			app.max_upload = app.max_body;
	}
	{
		long mib = strtol(c->s->search_cache, &end, 10);
		if (*end || mib < 0 || mib > 4096) {
			kerr_set(c->e, KERR_USAGE, "search-cache must be a number of MiB from 0 to 4096, not '%s'",
				 c->s->search_cache);
			goto out;
		}
		app.cache_bytes = (size_t)mib << 20;
		mib = strtol(c->s->dataset_cache, &end, 10);
		if (!*c->s->dataset_cache || *end || mib < 0 || mib > 65536) {
			kerr_set(c->e, KERR_USAGE, "dataset-cache must be a number of MiB from 0 to 65536, not '%s'",
				 c->s->dataset_cache);
			goto out;
		}
		dscache_limit((size_t)mib << 20);
	}
	{
		long min = strtol(c->s->session_idle, &end, 10);
		if (!*c->s->session_idle || *end || min < 0 || min > AUTH_SESSION_TTL / 60) {
			kerr_set(c->e, KERR_USAGE,
				 "session-idle must be a number of minutes from 0 (no limit but the 14 days of a"
				 " login) to %d, not '%s'", AUTH_SESSION_TTL / 60, c->s->session_idle);
			goto out;
		}
		app.session_idle = min * 60;
	}
	rc = http_serve(&app, c->e);
	app_release(&app);
out:
	free((char *)app.mail.base_url);   /* mail_settings' copy, also when a setting is refused */
	return rc;
}

static int open_db_existing(struct cmd_ctx *c);

static int cmd_db(struct cmd_ctx *c)
{
	const char *what = c->argc ? c->argv[0] : "";
	if (strcmp(what, "migrate") == 0) {
		shift_arg(c);
		if (no_more_args(c, 0))
			return -1;
		if (db_migrate(c->db, stdout, c->e))
			return -1;
		printf("schema at version %d (%s)\n", db_schema_version(c->db, NULL), db_kind_name(c->db));
		return 0;
	}
	if (strcmp(what, "version") == 0) {
		int v;
		shift_arg(c);
		c->open_db = open_db_existing;
		if (no_more_args(c, 0) || (v = db_schema_version(c->db, c->e)) < 0)
			return -1;
		printf("%d (this klaster knows %d)\n", v, db_migrations_known());
		return 0;
	}
	return kerr_set(c->e, KERR_USAGE, "usage: klaster db migrate | klaster db version");
}

static int cmd_import_stats(struct cmd_ctx *c);
static const char *layer_locate(void *ctx, double lat, double lon);
static int cmd_import_firms(struct cmd_ctx *c);

/* klaster import news FILE.md…: news articles from files (news.h). */
static int cmd_import_news(struct cmd_ctx *c)
{
	int i;
	for (i = 0; i < c->argc; i++)
		if (c->argv[i][0] == '-' && c->argv[i][1])
			return kerr_set(c->e, KERR_USAGE, "unknown option '%s' (see --help)", c->argv[i]);
	if (cli_open_db(c))
		return -1;
	return news_import_files(c->db, c->argv, c->argc, stdout, c->e);
}

/* klaster import offers|services FILE: the offers and services databases
 * (offer.h; approved unless a status column says otherwise). */
static int cmd_import_offers(struct cmd_ctx *c, enum offer_base b)
{
	struct offer_import_stats st;
	if (no_more_args(c, 1))
		return -1;
	if (offer_import_csv(c->db, b, c->argv[0], &st, c->e))
		return -1;
	printf("%s: %ld %s: %ld inserted, %ld updated, %ld unchanged\n", c->argv[0], st.rows,
	       plural(st.rows, "row", "rows"), st.inserted, st.updated, st.unchanged);
	return 0;
}

static int cmd_import(struct cmd_ctx *c)
{
	const char *what = c->argc ? c->argv[0] : "";
	struct import_opts opts = { 0, 0, stderr };
	struct import_stats st;
	enum import_kind kind;
	shift_arg(c);
	if (strcmp(what, "stats") == 0)
		return cmd_import_stats(c);
	if (strcmp(what, "news") == 0)
		return cmd_import_news(c);
	if (strcmp(what, "offers") == 0 || strcmp(what, "services") == 0)
		return cmd_import_offers(c, what[0] == 'o' ? OFFER_BASE_OFFERS : OFFER_BASE_SERVICES);
	if (strcmp(what, "firms") == 0)
		return cmd_import_firms(c);
	if (strcmp(what, "reference") == 0) {
		if (no_more_args(c, 1))
			return -1;
		return import_reference(c->db, c->argv[0], stdout, c->e);
	}
	if (strcmp(what, "regions") == 0) {
		const char *level = opt_value(c, "--level");
		if (!level)
			return cli_check_args(c, 1) ? -1 : kerr_set(c->e, KERR_USAGE, "import regions needs --level voivodeship|powiat");
		if (no_more_args(c, 1))
			return -1;
		return import_regions(c->db, c->argv[0], level, c->e);
	}
	if (strcmp(what, "pkd") == 0) {
		if (no_more_args(c, 1))
			return -1;
		return import_pkd(c->db, c->argv[0], c->e);
	}
	if (import_kind_by_name(what, &kind))
		return kerr_set(c->e, KERR_USAGE, "import what? organisations, clusters, members, offers, services, news,"
				" reference, regions, pkd, stats or firms");
	opts.skip_invalid = opt_flag(c, "--skip-invalid");
	if (opt_flag(c, "--progress"))
		opts.progress = 1;
	if (opt_flag(c, "--no-progress")) {
		if (opts.progress)
			return kerr_set(c->e, KERR_USAGE, "--progress and --no-progress contradict each other: give one");
		opts.progress = -1;
	}
	if (no_more_args(c, 1))
		return -1;
	/* its messages and progress line name the file escaped (cli_shown_name) */
	if (import_csv(c->db, kind, c->argv[0], NULL, 0, cli_shown_name(c, c->argv[0]), &opts, &st, c->e))
		return -1;
	printf("%s: %ld %s: %ld inserted, %ld updated, %ld unchanged, %ld skipped\n", cli_shown_name(c, c->argv[0]),
	       st.rows, plural(st.rows, "row", "rows"), st.inserted, st.updated, st.unchanged, st.skipped);
	return 0;
}

static int write_out(const char *path, const struct buf *b, struct kerr *e)
{
	struct outfile o;
	FILE *f;
	if (outfile_is_stdout(path)) {
		fwrite(b->ptr, 1, b->len, stdout);
		return 0;
	}
	/* whole or not at all (outfile.h) */
	if (outfile_begin(&o, path, e))
		return -1;
	if (!(f = outfile_fopen(&o, e))) {
		outfile_abort(&o);
		return -1;
	}
	if ((fwrite(b->ptr, 1, b->len, f) != b->len) | (fclose(f) != 0)) {
		kerr_set(e, KERR_IO, "cannot write %s: %s", path, strerror(errno));
		outfile_abort(&o);
		return -1;
	}
	return outfile_commit(&o, e);
}

static int csv_cluster_row(void *ctx, const struct cluster *cl)
{
	struct buf *out = ctx;
	char founded[8] = "", coord[24] = "";
	const char *v[12];
	size_t i;
	if (cl->founded)
		snprintf(founded, sizeof(founded), "%d", cl->founded);
	if (cl->coordinator_id)
		snprintf(coord, sizeof(coord), "%lld", cl->coordinator_id);
	v[0] = cl->acronym; v[1] = cl->name; v[2] = cl->coordinator_key; v[3] = founded;
	v[4] = cl->sectors; v[5] = cl->region; v[6] = cl->website; v[7] = cl->email;
	v[8] = cl->description_pl; v[9] = cl->description_en; v[10] = cl->labels; v[11] = cl->demo ? "1" : "0";
	for (i = 0; i < 12; i++) {
		if (i)
			buf_putc(out, ',');
		esc_csv(out, v[i]);
	}
	buf_puts(out, "\r\n");
	(void)coord;
	return 0;
}

/* The coordinator column holds the NIP (or REGON) so the file can be imported again. */
struct cl_export {
	struct db *db;
	struct buf *out;
};

static int csv_cluster_row_keyed(void *ctx, const struct cluster *cl)
{
	struct cl_export *x = ctx;
	struct cluster copy = *cl;
	struct org o;
	int rc;
	copy.coordinator_key = NULL;
	if (cl->coordinator_id && dir_org_get(x->db, cl->coordinator_id, &o, NULL) == 0) {
		copy.coordinator_key = o.nip ? o.nip : o.regon;
		rc = csv_cluster_row(x->out, &copy);
		org_release(&o);
		return rc;
	}
	return csv_cluster_row(x->out, &copy);
}

struct mem_export {
	struct buf *out;
	const char *acronym;
};

static int csv_member_row(void *ctx, const struct member *m)
{
	struct mem_export *x = ctx;
	const char *v[5] = { x->acronym, m->org.nip ? m->org.nip : m->org.regon, m->role, m->joined, m->left_on };
	size_t i;
	for (i = 0; i < 5; i++) {
		if (i)
			buf_putc(x->out, ',');
		esc_csv(x->out, v[i]);
	}
	buf_puts(x->out, "\r\n");
	return 0;
}

struct mem_all {
	struct db *db;
	struct buf *out;
	struct kerr *e;
	int rc;
};

static int export_members_of(void *ctx, const struct cluster *cl)
{
	struct mem_all *x = ctx;
	struct mem_export me = { x->out, cl->acronym };
	if (dir_cluster_members(x->db, cl->id, csv_member_row, &me, x->e)) {
		x->rc = -1;
		return 1;
	}
	return 0;
}

/* Clusters and members are exported as CSV only: -o FILE.xlsx (or .json) is a usage error, not CSV
 * text in a file a spreadsheet would refuse.  -1 (the message in c->e) or 0. */
static int csv_only(struct cmd_ctx *c, const char *what, const char *out)
{
	enum tablew_format tf;
	if (!out || strcmp(out, "-") == 0 || tablew_format_for_path(out, &tf) != 0 || tf == TABLEW_CSV)
		return 0;   /* an ending that names no table format (orgs.2024-06-01, .bak) is CSV, as always */
	return kerr_set(c->e, KERR_USAGE, "-o %s: %s are exported as CSV (-o FILE.csv); organisations also as .xlsx, "
			".json or .geojson", out, what);
}

static int cmd_export(struct cmd_ctx *c)
{
	const char *what = c->argc ? c->argv[0] : "";
	const char *out = opt_value(c, "-o"), *output = opt_value(c, "--output");
	struct buf b = BUF_INIT;
	int rc = -1;
	size_t i;
	shift_arg(c);
	/* --output is -o spelt out: both is the option twice, as for the map commands */
	if (out && output)
		return kerr_set(c->e, KERR_USAGE, "--output is given twice (also as -o)");
	if (!out)
		out = output;
	if (strcmp(what, "organisations") == 0) {
		struct org_query q;
		memset(&q, 0, sizeof(q));
		q.q = opt_value(c, "--q");
		q.type = opt_value(c, "--type");
		q.size = opt_value(c, "--size");
		q.section = opt_value(c, "--section");
		q.pkd = opt_value(c, "--pkd");
		q.pkd_version = opt_value(c, "--pkd-version");
		q.voiv = opt_value(c, "--voiv");
		q.page = 1;
		q.per_page = 0;
		{
			/* --cluster ACRONYM (or its id): that cluster's current members, as the pages' filter */
			const char *cl = opt_value(c, "--cluster");
			if (no_more_args(c, 0))
				goto out;
			if (cl) {
				struct cluster k;
				memset(&k, 0, sizeof(k));
				if (dir_cluster_get(c->db, cl, &k, c->e)) {
					if (c->e->kind == KERR_NOTFOUND)
						kerr_set(c->e, KERR_NOTFOUND, "--cluster %s: no cluster has that acronym or id "
							 "(klaster export clusters lists them)", cl);
					goto out;
				}
				q.cluster = k.id;
				cluster_release(&k);
			}
		}
		if (out && strcmp(out, "-") != 0) {
			/* -o FILE.xlsx, FILE.json or FILE.geojson: a table of the same columns (tablew writes it
			 * whole; GeoJSON with each organisation's point) */
			enum tablew_format tf;
			/* an ending that names no table format (orgs.2024-06-01, .bak) is CSV, as always */
			if (tablew_format_for_path(out, &tf) == 0 && tf != TABLEW_CSV) {
				struct tablew *t;
				size_t ncols = 0;
				while (org_columns[ncols])
					ncols++;
				if (tablew_open(&t, tf, out, "organisations", org_columns, ncols, c->e) == 0) {
					if (dir_org_table(c->db, &q, t, c->e))
						tablew_abort(t);
					else
						rc = tablew_close(t, c->e);
				}
				goto out;
			}
		}
		if (dir_org_csv(c->db, &q, &b, c->e))
			goto out;
	} else if (strcmp(what, "clusters") == 0) {
		struct cl_export x = { NULL, &b };
		if (no_more_args(c, 0) || csv_only(c, what, out))
			goto out;
		x.db = c->db;   /* open now that the arguments are checked */
		for (i = 0; cluster_columns[i]; i++)
			buf_printf(&b, "%s%s", i ? "," : "", cluster_columns[i]);
		buf_puts(&b, "\r\n");
		if (dir_cluster_list(c->db, NULL, NULL, csv_cluster_row_keyed, &x, c->e))
			goto out;
	} else if (strcmp(what, "members") == 0) {
		struct mem_all x = { NULL, &b, c->e, 0 };
		if (no_more_args(c, 0) || csv_only(c, what, out))
			goto out;
		x.db = c->db;
		for (i = 0; member_columns[i]; i++)
			buf_printf(&b, "%s%s", i ? "," : "", member_columns[i]);
		buf_puts(&b, "\r\n");
		if (dir_cluster_list(c->db, NULL, NULL, export_members_of, &x, c->e) || x.rc)
			goto out;
	} else {
		kerr_set(c->e, KERR_USAGE, "export what? organisations, clusters or members");
		goto out;
	}
	rc = write_out(out, &b, c->e);
out:
	buf_release(&b);
	return rc;
}

static char *read_password(struct kerr *e)
{
	const char *env = getenv("KLASTER_PASSWORD");
	char line[512];
	struct termios old, quiet;
	int tty = isatty(STDIN_FILENO);
	size_t n;
	if (env && *env) {
		if (strlen(env) < 10) {
			kerr_set(e, KERR_INPUT, "the password must have at least 10 characters"
				 " (give it on standard input or in KLASTER_PASSWORD)");
			return NULL;
		}
		return xstrdup(env);
	}
	if (tty) {
		fputs("password: ", stderr);
		tcgetattr(STDIN_FILENO, &old);
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
	}
	if (!fgets(line, sizeof(line), stdin))
		line[0] = '\0';
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSANOW, &old);
		fputc('\n', stderr);
	}
	n = strlen(line);
	while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	if (n < 10) {
		kerr_set(e, KERR_INPUT, "the password must have at least 10 characters"
			 " (give it on standard input or in KLASTER_PASSWORD)");
		return NULL;
	}
	return xstrdup(line);
}

/* A source or licence as dataset list and show write it: "-" for none. */
static const char *or_dash(const char *s)
{
	return s && *s ? s : "-";
}

/* klaster dataset list: the stored statistics datasets and firm lists, one a line: kind, name,
 * size, title, source and licence (dataset_text_ok keeps each one line without tabs). */
static int list_stats(void *ctx, const struct dataset_info *d)
{
	struct cmd_ctx *c = ctx;
	long long nr, ni, ny;
	if (dataset_shape(c->db, d->id, &nr, &ni, &ny, c->e))
		return 1;
	printf("stats\t%s\t%lld %s x %lld %s x %lld %s\t%s\t%s\t%s\n", d->name, nr, plural(nr, "region", "regions"), ni,
	       plural(ni, "industry", "industries"), ny, plural(ny, "year", "years"), d->title, or_dash(d->source),
	       or_dash(d->licence));
	return 0;
}

static int list_firms(void *ctx, const struct firms_info *d)
{
	(void)ctx;
	printf("firms\t%s\t%lld %s\t%s\t%s\t%s\n", d->name, d->nfirms, plural(d->nfirms, "firm", "firms"), d->title,
	       or_dash(d->source), or_dash(d->licence));
	return 0;
}

/* klaster dataset list | dataset delete NAME [--firms]: what import stats and import firms stored. */
/* dataset delete: whether the other kind of list has the name (for the hint). */
struct name_seen {
	const char *name;
	int seen;
};
static int firms_named(void *ctx, const struct firms_info *d)
{
	struct name_seen *n = ctx;
	n->seen |= strcmp(d->name, n->name) == 0;
	return 0;
}
static int stats_named(void *ctx, const struct dataset_info *d)
{
	struct name_seen *n = ctx;
	n->seen |= strcmp(d->name, n->name) == 0;
	return 0;
}

static int cmd_dataset(struct cmd_ctx *c)
{
	const char *what = c->argc ? c->argv[0] : "";
	shift_arg(c);
	if (strcmp(what, "list") == 0) {
		if (no_more_args(c, 0))
			return -1;
		if (dataset_list(c->db, list_stats, c, c->e) || c->e->kind != KERR_NONE)
			return -1;
		return firms_list(c->db, list_firms, c, c->e);
	}
	if (strcmp(what, "delete") == 0) {
		int firms = opt_flag(c, "--firms");
		if (cli_check_args(c, 1))
			return -1;
		if (!dataset_name_ok(c->argv[0]))
			return kerr_set(c->e, KERR_USAGE, "'%s' is not a dataset name (1 to 60 of a-z, 0-9, '-')", c->argv[0]);
		if (cli_open_db(c))   /* once the name is one */
			return -1;
		if (firms ? firms_delete(c->db, c->argv[0], c->e) : dataset_delete(c->db, c->argv[0], c->e)) {
			if (c->e->kind == KERR_NOTFOUND) {
				/* the name may be the other kind's: say how to delete that one */
				struct name_seen n = { c->argv[0], 0 };
				struct kerr e2 = KERR_INIT;
				if (firms)
					dataset_list(c->db, stats_named, &n, &e2);
				else
					firms_list(c->db, firms_named, &n, &e2);
				if (n.seen)
					kerr_set(c->e, KERR_NOTFOUND, "there is no %s '%s', but a %s of that name: klaster dataset "
						 "delete %s%s", firms ? "firm list" : "statistics dataset", c->argv[0],
						 firms ? "statistics dataset" : "firm list", c->argv[0], firms ? "" : " --firms");
				else
					kerr_set(c->e, KERR_NOTFOUND, "there is no %s '%s' (klaster dataset list shows them)",
						 firms ? "firm list" : "statistics dataset", c->argv[0]);
			}
			return -1;
		}
		printf("%s %s deleted\n", firms ? "firm list" : "dataset", c->argv[0]);
		return 0;
	}
	if (strcmp(what, "show") == 0) {
		struct cube cube;
		struct dataset_info info;
		size_t k, cells = 0, named = 0, n;
		if (cli_check_args(c, 1))
			return -1;
		if (!dataset_name_ok(c->argv[0]))
			return kerr_set(c->e, KERR_USAGE, "'%s' is not a dataset name (1 to 60 of a-z, 0-9, '-')", c->argv[0]);
		if (no_more_args(c, 1))
			return -1;
		if (dataset_load(c->db, c->argv[0], &cube, &info, c->e)) {
			if (c->e->kind == KERR_NOTFOUND)
				kerr_set(c->e, KERR_NOTFOUND, "there is no statistics dataset '%s' (klaster dataset list shows "
					 "them)", c->argv[0]);
			return -1;
		}
		n = cube.nyear * cube.nreg * cube.nind;
		for (k = 0; k < n; k++)
			cells += !isnan(cube.emp[k]);
		for (k = 0; k < cube.nind; k++)
			named += cube.ind_name && cube.ind_name[k] && *cube.ind_name[k];
		printf("name\t%s\ntitle\t%s\nsource\t%s\nlicence\t%s\nregion kind\t%s\n", info.name, info.title,
		       or_dash(info.source), or_dash(info.licence), info.region_kind);
		printf("regions\t%zu (%s to %s)\n", cube.nreg, cube.nreg ? cube.reg[0] : "-",
		       cube.nreg ? cube.reg[cube.nreg - 1] : "-");
		printf("industries\t%zu (%zu named)\n", cube.nind, named);
		if (cube.nyear == 1 && cube.year[0])
			printf("years\t1 (%d)\n", cube.year[0]);
		else if (cube.nyear && cube.year[0])
			printf("years\t%zu (%d to %d)\n", cube.nyear, cube.year[0], cube.year[cube.nyear - 1]);
		else
			printf("years\tone period, no year column\n");
		printf("cells with a value\t%zu of %zu\n", cells, n);
		printf("establishments\t%s\nreference economy\t%s\ntraded flags\t%s\n", cube.est ? "yes" : "no",
		       info.has_ref ? "yes" : "no (the reference is the sum of the regions)", info.has_traded ? "yes" : "no");
		cube_release(&cube);
		dataset_info_release(&info);
		return 0;
	}
	return kerr_set(c->e, KERR_USAGE, "dataset list | dataset show NAME | dataset delete NAME [--firms], not '%s'",
			what);
}

static int cmd_user(struct cmd_ctx *c)
{
	const char *what = c->argc ? c->argv[0] : "";
	shift_arg(c);
	if (strcmp(what, "add") == 0) {
		const char *role = opt_value(c, "--role"), *name = opt_value(c, "--name");
		const char *org = opt_value(c, "--org"), *cluster = opt_value(c, "--cluster");
		int exists_ok = opt_flag(c, "--exists-ok");
		char email[256], detail[80];
		char *pw;
		long long id = 0, org_id = 0, cluster_id = 0;
		int rc, opt_given_role = role != NULL;
		if (!role)
			role = "admin";
		if (!auth_role_ok(role))
			return kerr_set(c->e, KERR_USAGE, "--role must be admin, coordinator, editor or user");
		/* the scope belongs to its role: --org without --role editor (the default role is admin)
		 * would make an administrator of the person meant to edit one organisation */
		if (org && strcmp(role, "editor") != 0)
			return kerr_set(c->e, KERR_USAGE, "--org is the organisation of an editor: give --role editor "
					"(the role is %s%s)", role, opt_given_role ? "" : " by default");
		if (cluster && strcmp(role, "coordinator") != 0)
			return kerr_set(c->e, KERR_USAGE, "--cluster is the cluster of a coordinator: give --role coordinator "
					"(the role is %s%s)", role, opt_given_role ? "" : " by default");
		if (name) {
			/* a name is shown on pages and in mails: one line of UTF-8 text, as the account page
			 * takes it */
			unsigned cc;
			if (!utf8_valid(name, strlen(name)))
				return kerr_set(c->e, KERR_USAGE, "--name is not UTF-8 text");
			if ((cc = text_control(name)))
				return kerr_set(c->e, KERR_USAGE, "--name holds a control character (U+%04X): it must be one "
						"line of text", cc);
			if (utf8_chars(name) > 200)   /* characters, as the account page counts them */
				return kerr_set(c->e, KERR_USAGE, "--name: at most 200 characters");
			{
				/* and the rest of the portal's rule: no direction marks or overrides, no line
				 * or paragraph separators (auth_name_policy) */
				struct kerr ne = KERR_INIT;
				if (auth_name_policy(name, &ne))
					return kerr_set(c->e, KERR_USAGE, "--%s", ne.msg);
			}
		}
		if (!org && strcmp(role, "editor") == 0)
			return kerr_set(c->e, KERR_USAGE, "--role editor needs --org ID|NIP|NAME (the organisation they edit)");
		if (!cluster && strcmp(role, "coordinator") == 0)
			return kerr_set(c->e, KERR_USAGE, "--role coordinator needs --cluster ID|ACRONYM|NAME (the cluster "
					"they manage)");
		/* the address is an argument too: told before the database is looked for */
		if (cli_check_args(c, 1) || auth_email_norm(c->argv[0], email, "e-mail", c->e) || cli_open_db(c))
			return -1;
		if (exists_ok) {
			struct user u;
			int found = auth_user_by_email(c->db, email, &u, c->e);
			if (found < 0)
				return -1;
			if (found) {
				printf("user %s already exists (role %s)\n", email, u.role);
				return 0;
			}
		}
		/* the scope by number, NIP or name (organisation), acronym or name (cluster) */
		if ((org && auth_scope_org(c->db, org, "--org", &org_id, c->e)) ||
		    (cluster && auth_scope_cluster(c->db, cluster, "--cluster", &cluster_id, c->e)))
			return -1;
		if (!(pw = read_password(c->e)))
			return -1;
		/* the entry names the scope too: "editor org=12" (as the role changes of the users page) */
		if (org_id)
			snprintf(detail, sizeof(detail), "%s org=%lld", role, org_id);
		else if (cluster_id)
			snprintf(detail, sizeof(detail), "%s cluster=%lld", role, cluster_id);
		else
			snprintf(detail, sizeof(detail), "%s", role);
		rc = db_begin(c->db, c->e) ||
		     auth_user_create(c->db, email, name, pw, role, "active", &id, c->e) ||
		     ((org || cluster || strcmp(role, "editor") == 0 || strcmp(role, "coordinator") == 0) &&
		      auth_user_set_role(c->db, id, role, org_id, cluster_id, c->e)) ||
		     auth_audit(c->db, 0, "cli", "user-add", "user", id, detail, c->e) ||
		     db_commit(c->db, c->e);
		sodium_memzero(pw, strlen(pw));
		free(pw);
		if (rc) {
			db_rollback(c->db);
			return -1;
		}
		printf("user %s added with role %s\n", email, role);
		return 0;
	}
	if (strcmp(what, "token") == 0) {
		const char *label = opt_value(c, "--label");
		unsigned char raw[32], md[32];
		char token[2 * sizeof(raw) + 1], hex[65], now[32], email[256];
		struct user u;
		struct db_stmt *st;
		int rc;
		if (label && (!utf8_valid(label, strlen(label)) || text_control(label)))
			return kerr_set(c->e, KERR_USAGE, "--label must be one line of UTF-8 text, without control characters");
		if (cli_check_args(c, 1) || auth_email_norm(c->argv[0], email, "e-mail", c->e) || cli_open_db(c))
			return -1;
		rc = auth_user_by_email(c->db, email, &u, c->e);
		if (rc < 0)
			return -1;
		if (rc == 0)
			return kerr_set(c->e, KERR_NOTFOUND, "no user with e-mail %s (klaster user add first)", email);
		/* the API's token routes take only administrators' tokens (http.c
		 * check_admin): a token of anyone else would be refused with 401 */
		if (!auth_is_admin(&u))
			return kerr_set(c->e, KERR_AUTH, "%s is not an administrator (role %s): API tokens are only for "
					"administrators; give the account the admin role first (at /admin/users)", email, u.role);
		randombytes_buf(raw, sizeof(raw));
		sodium_bin2hex(token, sizeof(token), raw, sizeof(raw));
		crypto_generichash(md, sizeof(md), (unsigned char *)token, strlen(token), NULL, 0);
		sodium_bin2hex(hex, sizeof(hex), md, sizeof(md));
		dir_now(now);
		/* the token and its entry in the audit log, together */
		if (db_begin(c->db, c->e))
			return -1;
		if (db_prepare(c->db, "INSERT INTO api_token (user_id, token_hash, label, created_at) VALUES (?,?,?,?)",
			       &st, c->e)) {
			db_rollback(c->db);
			return -1;
		}
		db_bind_int(st, 1, u.id);
		db_bind_text(st, 2, hex);
		if (label)
			db_bind_text(st, 3, label);
		else
			db_bind_null(st, 3);
		db_bind_text(st, 4, now);
		rc = db_step(st, c->e);
		db_finalize(st);
		if (rc < 0 || auth_audit(c->db, 0, "cli", "token-add", "user", u.id, label ? label : "", c->e) ||
		    db_commit(c->db, c->e)) {
			db_rollback(c->db);
			return -1;
		}
		/* shown once; only its hash is stored */
		printf("%s\n", token);
		return 0;
	}
	if (strcmp(what, "block") == 0 || strcmp(what, "unblock") == 0) {
		int block = what[0] == 'b', changed;
		char email[256];
		struct user u;
		int found;
		if (cli_check_args(c, 1) || auth_email_norm(c->argv[0], email, "e-mail", c->e) || cli_open_db(c))
			return -1;
		found = auth_user_by_email(c->db, email, &u, c->e);
		if (found < 0)
			return -1;
		if (!found)
			return kerr_set(c->e, KERR_NOTFOUND, "no user with e-mail %s", email);
		if (db_begin(c->db, c->e))
			return -1;
		changed = block ? auth_user_block(c->db, u.id, 0, c->e) : auth_user_unblock(c->db, u.id, c->e);
		if (changed < 0 ||
		    (changed && auth_audit(c->db, 0, "cli", block ? "user-block" : "user-unblock", "user", u.id, email, c->e)) ||
		    db_commit(c->db, c->e)) {
			db_rollback(c->db);
			return -1;
		}
		if (block)
			printf(changed ? "user %s blocked: sessions ended, e-mailed links spent, API tokens refused\n"
				       : "user %s was already blocked\n", email);
		else
			printf(changed ? "user %s unblocked\n" : "user %s was not blocked\n", email);
		return 0;
	}
	return kerr_set(c->e, KERR_USAGE, "usage: klaster user add EMAIL [--role R] [--name N] | klaster user token EMAIL"
			" | klaster user block|unblock EMAIL");
}

/* `klaster audit`: the audit log's entries a filter matches, as CSV, newest first. */
static int cmd_audit(struct cmd_ctx *c)
{
	const char *out = opt_value(c, "-o"), *limit = opt_value(c, "--limit");
	const char *action = opt_value(c, "--action"), *user = opt_value(c, "--user");
	const char *object = opt_value(c, "--object"), *object_id = opt_value(c, "--object-id");
	const char *from = opt_value(c, "--from"), *to = opt_value(c, "--to");
	struct audit_filter f;
	struct tablew *t;
	long n = 0;
	size_t ncols = AUDIT_NCOLS;
	if (cli_check_args(c, 0))
		return -1;
	if (limit) {
		char *end;
		errno = 0;
		n = strtol(limit, &end, 10);
		if (*end || errno || !isdigit((unsigned char)*limit) || n < 1)
			return kerr_set(c->e, KERR_USAGE, "--limit must be a whole number from 1");
	}
	if (audit_filter_parse(&f, action, user, object, object_id, from, to, c->e)) {
		c->e->kind = KERR_USAGE;
		return -1;
	}
	if (cli_open_db(c))   /* the options are checked: a wrong --limit or --from is told as such */
		return -1;
	if (tablew_open(&t, TABLEW_CSV, out, "audit", audit_columns, ncols, c->e))
		return -1;
	if (audit_list(c->db, &f, 0, n, NULL, audit_table_row, t, c->e)) {
		tablew_abort(t);
		return -1;
	}
	return tablew_close(t, c->e);
}

/* What is stored under w->name (a dataset or a firm list): its title and source, noted by the
 * listing callbacks below. */
struct stored_ds {
	const char *name;
	char *title, *source, *licence;
	int found;
};

static void note_stored(struct stored_ds *w, const char *name, const char *title, const char *source,
			const char *licence)
{
	if (strcmp(name, w->name) == 0) {
		w->found = 1;
		w->title = title ? xstrdup(title) : NULL;
		w->source = source ? xstrdup(source) : NULL;
		w->licence = licence ? xstrdup(licence) : NULL;
	}
}

static void stored_ds_release(struct stored_ds *w)
{
	free(w->title);
	free(w->source);
	free(w->licence);
}

/* dataset_list's callback (note_stored). */
static int find_stored_ds(void *ctx, const struct dataset_info *d)
{
	note_stored(ctx, d->name, d->title, d->source, d->licence);
	return 0;
}

/* firms_list's callback (note_stored). */
static int find_stored_firms(void *ctx, const struct firms_info *d)
{
	note_stored(ctx, d->name, d->title, d->source, d->licence);
	return 0;
}

/* nuts_lookup on the portal's map of Europe as stored (map_load_nuts): a boundary outside the
 * map's frame is not shown (as layer_lookup has it); whether one is large enough to see is the
 * drawing's business, not the notice's. */
static long nuts_layer_lookup(const void *ctx, const char *code, int *shown)
{
	const struct geo_layer *L = ctx;
	const struct geo_feature *f = geo_layer_find(L, code);
	if (!f)
		return -1;
	*shown = geo_bbox_overlaps(f->bbox, nuts_europe_frame);
	return (long)(f - L->f);
}

/* The notice of a nuts2013 dataset (import_stats_map_notice): the portal draws it on the
 * voivodeships when every region is one's NUTS-2 code of 2013, else on the NUTS 2021 regions of
 * nuts_region, older codes through their correspondence (cmap_geo_match) — so the regions named
 * are those nuts_place_regions leaves out there (boundaries changed, extra-regio, no boundary,
 * two old codes on one region), by reason as `klaster map draw` names them. */
static void import_stats_nuts_notice(struct db *db, const char *name, const struct cube *cube)
{
	struct geo_layer L;
	struct nuts_place *pl;
	struct buf why = BUF_INIT;
	size_t i, missing = 0, level3 = 0;
	const char *first = NULL;
	for (i = 0; i < cube->nreg; i++) {
		long long v = 0;
		if (db_query_int(db, &v, NULL, "SELECT COUNT(*) FROM region WHERE level = 'voivodeship' AND "
				 "nuts2_2013 = ? AND geojson IS NOT NULL", cube->reg[i], NULL) < 0)
			return;
		if (!v)
			break;
	}
	if (i == cube->nreg)
		return;   /* all on the voivodeships */
	memset(&L, 0, sizeof(L));
	if (map_load_nuts(db, &L, NULL) < 0) {
		geo_layer_release(&L);   /* what was read before the failure */
		return;
	}
	ALLOC_ARRAY(pl, cube->nreg);
	if (L.n)
		nuts_place_regions(cube->reg, cube->nreg, nuts_layer_lookup, &L, pl);
	else
		for (i = 0; i < cube->nreg; i++)
			nuts_place_one(&pl[i], -1);
	for (i = 0; i < cube->nreg; i++) {
		if (pl[i].n)
			continue;
		if (!missing++)
			first = cube->reg[i];
		level3 += nuts_is_nuts3(cube->reg[i]) && nuts_code_like(cube->reg[i]);
	}
	if (missing) {
		nuts_unplaced_text(&why, cube->reg, pl, cube->nreg, NULL, 0);
		if (level3)
			buf_puts(&why, " (the map draws NUTS-2 regions, 4 characters, PL21: the others are in the table "
				 "and the API; a file that also holds NUTS-2 rows keeps them alone with --region-length 4)");
		fprintf(stderr, "dataset %s: %zu of %zu %s no boundaries on the portal's map of Europe (first: %s)%s%s\n",
			name, missing, cube->nreg, cube->nreg == 1 ? "region has" : "regions have", first,
			L.n ? " — " : "; the database has no NUTS-2 regions yet (`klaster import reference DIR` loads "
				     "them)", L.n && !buf_failed(&why) ? why.ptr : "");
	}
	buf_release(&why);
	free(pl);
	geo_layer_release(&L);
}

/* Says on standard error when the portal's map will have no boundaries for
 * regions of a dataset about to be stored, and what to give instead: the
 * map of a teryt dataset draws the voivodeships and powiats of the region
 * table; one of nuts2013 the NUTS-2 regions (of nuts_region, the Polish ones
 * also on the voivodeships).  A database without any of those boundaries is
 * named as the cause, with the command that loads them, before any code is
 * blamed. */
static void import_stats_map_notice(struct db *db, const char *name, const char *kind, const struct cube *cube)
{
	size_t i, missing = 0, nuts = 0, nuts_voiv = 0;
	const char *first = NULL;
	int teryt = strcmp(kind, "teryt") == 0;
	long long nbound = 0, nnuts = 0;
	if (!teryt && strcmp(kind, "nuts2013") != 0)
		return;                 /* other: no map */
	if (!cube->nreg)
		return;
	if (db_query_int(db, &nbound, NULL, "SELECT COUNT(*) FROM region WHERE geojson IS NOT NULL", NULL) < 0 ||
	    (!teryt && db_query_int(db, &nnuts, NULL, "SELECT COUNT(*) FROM nuts_region", NULL) < 0))
		return;
	if (!nbound && !nnuts) {
		fprintf(stderr, "dataset %s: the database has no boundaries yet (no %s), so the portal's map draws none "
			"of its %zu %s; load them with `klaster import reference DIR` (DIR: the directory that holds "
			"reference/, data/ in the sources)\n", name,
			teryt ? "voivodeships or powiats" : "NUTS-2 regions or voivodeships", cube->nreg,
			cube->nreg == 1 ? "region" : "regions");
		return;
	}
	if (!teryt) {
		import_stats_nuts_notice(db, name, cube);
		return;
	}
	for (i = 0; i < cube->nreg; i++) {
		const char *code = cube->reg[i];
		long long n = 0;
		if (db_query_int(db, &n, NULL, "SELECT COUNT(*) FROM region WHERE teryt = ?", code, NULL) < 0)
			return;
		if (!n && nuts_code_like(code)) {   /* a voivodeship's NUTS-2 2013 code (drawn on the voivodeships)? */
			long long v = 0;
			nuts++;
			if (db_query_int(db, &v, NULL, "SELECT COUNT(*) FROM region WHERE nuts2_2013 = ?", code, NULL) < 0)
				return;
			nuts_voiv += v > 0;
		}
		if (!n && !missing++)
			first = code;
	}
	if (!missing)
		return;
	fprintf(stderr, "dataset %s: %zu of %zu %s no boundaries on the portal's map (first: %s)", name, missing,
		cube->nreg, cube->nreg == 1 ? "region has" : "regions have", first);
	if (nuts)
		fprintf(stderr, "; %s like NUTS codes: import with --region-kind nuts2013 (NUTS-2 regions of 2013 or "
			"later) to draw them %s", nuts == 1 ? "it looks" : "they look",
			nuts_voiv == nuts ? "on the voivodeships (their NUTS-2 codes of 2013)"
					  : "on the map of Europe (NUTS-2 regions, 4 characters; other levels are not drawn)");
	else
		fprintf(stderr, "; the map draws TERYT codes of voivodeships (2 digits) and powiats (4 digits)");
	fputc('\n', stderr);
}

/* The terms of reuse of a dataset or firm list: --licence TEXT, or --license TEXT as it is spelt in
 * American English (one of them); *opt gets the name given, for messages.  0, or -1 with a usage
 * error. */
static int import_licence(struct cmd_ctx *c, const char **licence, const char **opt)
{
	const char *uk = opt_value(c, "--licence"), *us = opt_value(c, "--license");
	*opt = us && !uk ? "--license" : "--licence";
	*licence = uk ? uk : us;
	if (uk && us)
		return kerr_set(c->e, KERR_USAGE, "--licence and --license are one option spelt two ways: give it once");
	return 0;
}

/* What dataset_store and firms_store would refuse of --dataset, --title, --source and --licence
 * (lopt: the name it was given under), said before the input is read: 0, or -1 with a usage
 * error. */
static int import_names_ok(struct cmd_ctx *c, const char *name, const char *title, const char *source,
			   const char *licence, const char *lopt)
{
	if (!dataset_name_new_ok(name))
		return kerr_set(c->e, KERR_USAGE, "--dataset '%s': 1 to 60 lower-case letters, digits or '-', not "
				"beginning with '-' (an option to the command line)", name);
	return dataset_text_ok("--title", title, c->e) || dataset_text_ok("--source", source, c->e) ||
	       dataset_text_ok(lopt, licence, c->e) ? -1 : 0;
}

/* What was stored under the name of a dataset or firm list being replaced: that it was, and the
 * title, source and licence it had that the new one does not give (each said, so that a re-import
 * without them does not drop them unnoticed). */
static void import_replaced(struct buf *b, const char *what, const char *name, const char *title,
			    const char *source, const char *licence, const struct stored_ds *was)
{
	buf_printf(b, "%s %s: replaced the stored one (\"%s\")", what, name, was->title ? was->title : name);
	if (!title && was->title && strcmp(was->title, name) != 0)
		buf_printf(b, "; without --title its title became \"%s\"", name);
	if (!source && was->source && *was->source)
		buf_printf(b, "; without --source it has none (it was \"%s\")", was->source);
	if (!licence && was->licence && *was->licence)
		buf_printf(b, "; without --licence it has none (it was \"%s\")", was->licence);
}

static int cmd_import_stats(struct cmd_ctx *c)
{
	struct map_args a;
	struct buf replaced = BUF_INIT;
	struct cube cube;
	const char *name, *title, *source, *licence, *lopt, *kind;
	int rc, progress, no_progress;
	memset(&a, 0, sizeof(a));
	name = opt_value(c, "--dataset");
	title = opt_value(c, "--title");
	source = opt_value(c, "--source");
	if (import_licence(c, &licence, &lopt))
		return -1;
	kind = opt_value(c, "--region-kind");
	/* a progress line on a terminal for a long file, as `klaster map` draws it (the default), or
	 * none */
	progress = opt_flag(c, "--progress");
	no_progress = opt_flag(c, "--no-progress");
	if (progress && no_progress)
		return kerr_set(c->e, KERR_USAGE, "--progress and --no-progress contradict each other: give one");
	a.no_progress = no_progress;
	/* as `klaster map` takes them: --progress wherever standard error goes (a log), --no-progress
	 * never, not even on a terminal */
	if (progress || no_progress)
		progress_set_mode(progress ? PROGRESS_ALWAYS : PROGRESS_NEVER);
	a.format = opt_value(c, "--format");
	a.ref = opt_value(c, "--reference");
	a.crosswalk = opt_value(c, "--crosswalk");
	a.sum = opt_flag(c, "--sum");
	a.absent = opt_value(c, "--absent");
	a.skip_unmapped = opt_flag(c, "--skip-unmapped");
	a.skip_invalid = opt_flag(c, "--skip-invalid");
	a.region_len = opt_value(c, "--region-length");
	a.industry_len = opt_value(c, "--industry-length");
	a.region_prefix = opt_value(c, "--region-prefix");
	a.industry_names = opt_value(c, "--industry-names");
	a.boundaries = opt_value(c, "--boundaries");
	a.code_prop = opt_value(c, "--code-property");
	if (!name)
		return cli_check_args(c, 1) ? -1 : kerr_set(c->e, KERR_USAGE, "import stats needs --dataset NAME");
	if (import_names_ok(c, name, title, source, licence, lopt))
		return -1;
	if (kind && !dataset_region_kind_ok(kind))
		return kerr_set(c->e, KERR_USAGE, "--region-kind must be teryt, nuts2013 or other, not '%s'", kind);
	if (a.skip_unmapped && !a.crosswalk)   /* as `klaster map` says it (cli_map.c) */
		return kerr_set(c->e, KERR_USAGE, "import stats: --skip-unmapped goes with --crosswalk XWALK.csv");
	if (a.code_prop && !a.boundaries)   /* the same */
		return kerr_set(c->e, KERR_USAGE, "import stats: --code-property goes with --boundaries FILE.geojson");
	if (no_more_args(c, 1))
		return -1;
	a.input = c->argv[0];
	a.name = cli_map_input_name(c, a.input);
	{
		/* a side input that is not there is told by its option before the file is read, as
		 * `klaster map` tells it */
		const char *ins[] = { a.ref, a.crosswalk, a.industry_names, a.boundaries };
		static const char *const opts[] = { "--reference", "--crosswalk", "--industry-names", "--boundaries" };
		if (cli_inputs_readable(c, opts, ins, sizeof(opts) / sizeof(opts[0])))
			return -1;
	}
	if (a.boundaries) {
		/* a firm list without a region column, placed in the regions of the boundaries, as
		 * `klaster map indicators --boundaries` places it */
		struct geo_layer L;
		if (geo_layer_load(&L, a.boundaries, a.code_prop ? a.code_prop : "teryt", NULL, c->e))
			return -1;
		a.locate = layer_locate;
		a.locate_ctx = &L;
		rc = cli_map_load(c, &a, &cube);
		geo_layer_release(&L);
		if (rc)
			return -1;
	} else if (cli_map_load(c, &a, &cube)) {
		return -1;
	}
	{
		/* the portal computes every year: what `klaster map indicators` would refuse is refused
		 * here, before anything is stored */
		struct indic_opts io = INDIC_OPTS_INIT;
		struct indic_result res;
		rc = cli_map_compute(c, &a, &cube, &io, -1, 0, &res);
		indic_result_release(&res);
		if (rc) {
			cube_release(&cube);
			return -1;
		}
	}
	{
		/* a dataset of that name is replaced whole: said once it is (a store that fails
		 * replaces nothing), with what its title, source and licence became */
		struct stored_ds was = { name, NULL, NULL, NULL, 0 };
		struct kerr le = KERR_INIT;
		if (dataset_list(c->db, find_stored_ds, &was, &le) == 0 && was.found)
			import_replaced(&replaced, "dataset", name, title, source, licence, &was);
		stored_ds_release(&was);
	}
	import_stats_map_notice(c->db, name, kind ? kind : "teryt", &cube);
	rc = dataset_store(c->db, name, title ? title : name, source, licence, kind ? kind : "teryt", &cube, c->e);
	if (!rc && replaced.len)
		fprintf(stderr, "%s\n", replaced.ptr);
	buf_release(&replaced);
	if (!rc)
		printf("dataset %s: %zu %s x %zu %s x %zu %s stored\n", name, cube.nreg,
		       plural((long long)cube.nreg, "region", "regions"), cube.nind,
		       plural((long long)cube.nind, "industry", "industries"), cube.nyear,
		       plural((long long)cube.nyear, "year", "years"));
	cube_release(&cube);
	return rc;
}

/* klaster import firms FILE --dataset NAME [--value COLUMN]…: a located firm
 * list (read as by `klaster map spatial`) stored for the portal's firm-point
 * map, with the numeric values of the columns named by --value. */
static int cmd_import_firms(struct cmd_ctx *c)
{
	struct spatial_firms_opts fo;
	struct spatial_firms f;
	const char *name, *title, *source, *licence, *lopt, *values[FIRMS_MAX_VALUES + 1], *names, *shown;
	struct buf replaced = BUF_INIT;
	size_t nvalues = 0, k;
	long named = 0;
	int rc;
	memset(&fo, 0, sizeof(fo));
	name = opt_value(c, "--dataset");
	title = opt_value(c, "--title");
	source = opt_value(c, "--source");
	if (import_licence(c, &licence, &lopt))
		return -1;
	fo.id_col = opt_value(c, "--id-column");
	fo.name_col = opt_value(c, "--name-column");
	fo.industry_col = opt_value(c, "--industry-column");
	fo.industry_name_col = opt_value(c, "--industry-name-column");
	names = opt_value(c, "--industry-names");
	fo.skip_invalid = opt_flag(c, "--skip-invalid");
	/* one more than allowed, so that firms_values_check names the limit */
	while (nvalues <= FIRMS_MAX_VALUES && (values[nvalues] = opt_value(c, "--value")))
		nvalues++;
	if (!name)
		return cli_check_args(c, 1) ? -1 : kerr_set(c->e, KERR_USAGE, "import firms needs --dataset NAME");
	if (import_names_ok(c, name, title, source, licence, lopt))
		return -1;
	if (firms_values_check(values, nvalues, c->e) || no_more_args(c, 1))
		return -1;
	shown = cli_map_input_name(c, c->argv[0]);   /* the file as messages name it */
	/* --industry-names -: standard input, as for import stats and map, when the list is not */
	if (names && strcmp(names, "-") == 0 && strcmp(c->argv[0], "-") == 0)
		return kerr_set(c->e, KERR_USAGE, "only one input can be read from standard input ('-')");
	static const char *const names_opt[] = { "--industry-names" };
	if (cli_inputs_readable(c, names_opt, &names, 1))
		return -1;   /* a misspelt names file is told before the firm list is read */
	fo.attr_cols = values;
	fo.nattr = nvalues;
	fo.attr_nonneg = 1;
	/* "-": standard input (the reader takes a stream that cannot seek, as it comes) */
	if (firms_read(cli_map_open_path(c->argv[0]), &fo, &f, c->e)) {
		if (strcmp(c->argv[0], "-") == 0)
			cli_map_name_stdin(c->e);
		return -1;
	}
	if (f.no_coords)
		fprintf(stderr, "%s: %ld %s without coordinates skipped (first on line %ld)\n",
			shown,
			f.no_coords, plural(f.no_coords, "row", "rows"), f.first_no_coords);
	{
		struct buf sw = BUF_INIT;
		if (spatial_swapped_notice(&sw, shown, f.lat, f.lon, f.n, f.lat_col, f.lon_col))
			fprintf(stderr, "%s\n", sw.ptr);
		buf_release(&sw);
	}
	if (f.attr_invalid)
		fprintf(stderr, "%s: %ld %s not %s of 0 or more stored as missing (first on line %ld,"
			" column %s)\n", shown, f.attr_invalid, plural(f.attr_invalid, "value that is", "values that are"),
			plural(f.attr_invalid, "a number", "numbers"), f.first_attr_invalid, values[f.first_attr_invalid_col]);
	if (f.ind_name_conflicts)
		fprintf(stderr, "%s: %ld row%s name%s its industry otherwise than its first row (first on line %ld,"
			" column %s): the first name is kept\n", shown, f.ind_name_conflicts,
			f.ind_name_conflicts == 1 ? "" : "s", f.ind_name_conflicts == 1 ? "s" : "",
			f.first_ind_name_conflict, fo.industry_name_col);
	if (names && firms_industry_names(&f, cli_map_open_path(names), &named, c->e)) {
		if (strcmp(names, "-") == 0)
			cli_map_name_stdin(c->e);
		spatial_firms_release(&f);
		return -1;
	}
	{
		/* a list of that name is replaced whole: said once it is, as import stats says it of a
		 * dataset */
		struct stored_ds was = { name, NULL, NULL, NULL, 0 };
		struct kerr le = KERR_INIT;
		if (firms_list(c->db, find_stored_firms, &was, &le) == 0 && was.found)
			import_replaced(&replaced, "firm list", name, title, source, licence, &was);
		stored_ds_release(&was);
	}
	rc = firms_store(c->db, name, title ? title : name, source, licence, &f, values, f.no_coords, c->e);
	if (!rc && replaced.len)
		fprintf(stderr, "%s\n", replaced.ptr);
	buf_release(&replaced);
	if (rc && c->e->kind == KERR_TOOBIG)
		kerr_prefix(c->e, "%s", shown);   /* which file is too long */
	if (!rc) {
		printf("firm list %s: %zu located %s stored\n", name, f.n, plural((long long)f.n, "firm", "firms"));
		if (fo.industry_name_col)
			printf("industry names: %zu %s named\n", f.nind_names,
			       plural((long long)f.nind_names, "industry", "industries"));
		if (names)
			printf("industry names from %s: %ld %s\n", cli_map_input_name(c, names), named,
			       plural(named, "industry", "industries"));
		for (k = 0; k < nvalues; k++)
			printf("value %s: %ld %s with a value, %ld without\n", values[k], (long)f.n - f.attr_missing[k],
			       plural((long)f.n - f.attr_missing[k], "firm", "firms"), f.attr_missing[k]);
	}
	spatial_firms_release(&f);
	return rc;
}

/* map spatial --map FILE --boundaries LAYER: the firms as dots coloured by
 * cluster over a boundary layer (draw.h); map hotspots --cell … --map FILE:
 * the hot and cold cells under the firms, over --boundaries or else the
 * study area of --within (codes read only when --code-property names
 * them); with pic NULL, checks the options only (cli_map_draw_points_fn). */
static int map_points_draw(struct cmd_ctx *c, const struct map_args *a, const struct cli_map_points_pic *pic)
{
	struct geo_layer L;
	struct choropleth m;
	double *vals, *pts, *cells = NULL;
	signed char *spot = NULL;
	const struct spatial_firms *f;
	size_t i;
	int rc;
	enum draw_format fmt;
	if (!a->breaks)
		return kerr_set(c->e, KERR_USAGE, "map spatial: --boundaries goes with --map MAP.svg|png|pdf");
	if (draw_format_for_path(a->breaks, &fmt))
		return kerr_set(c->e, KERR_USAGE, "--map %s: a map is written as .svg, .png or .pdf", a->breaks);
	if (!pic)
		return 0;   /* the options only, before anything is read */
	f = pic->f;
	/* the boundaries are drawn, their codes never used: read without codes unless --code-property
	 * names them (any boundaries file draws, a NUTS one without telling its NUTS_ID) */
	if (geo_layer_load(&L, a->boundaries ? a->boundaries : a->within, a->boundaries ? a->code_prop : NULL, NULL,
			   c->e))
		return -1;
	vals = xcalloc(L.n + 1, sizeof(*vals));
	for (i = 0; i < L.n; i++)
		vals[i] = NAN;
	pts = xcalloc(2 * f->n + 1, sizeof(*pts));
	for (i = 0; i < f->n; i++) {
		pts[2 * i] = f->lon[i];
		pts[2 * i + 1] = f->lat[i];
	}
	memset(&m, 0, sizeof(m));
	m.layer = &L;
	m.values = vals;
	m.nclasses = 2;
	m.points = pts;
	m.npoints = f->n;
	if (pic->grid) {
		/* only the hot and cold cells, along their curved edges */
		m.ncells = spatial_spot_cells(pic->grid, pic->gi, &cells, &spot, &m.cell_pts);
		m.cells = cells;
		m.cell_spot = spot;
		m.spots_gi = pic->gi_plain;
		m.title = a->title ? a->title : pic->gi_plain ? "Gi" : "Gi*";
		m.legend_title = "Getis–Ord";
	} else {
		m.point_class = pic->d->label;
		m.title = a->title ? a->title : "DBSCAN";
		m.legend_title = "DBSCAN";
	}
	m.source = a->source;
	if (a->lang)
		draw_lang_by_name(a->lang, &m.lang);   /* checked with the other options (cli_map_check) */
	rc = draw_choropleth(&m, a->breaks, c->e);
	free(vals);
	free(pts);
	free(cells);
	free(spot);
	geo_layer_release(&L);
	draw_shutdown();
	return rc;
}

/* map hotspots --within AREA.geojson: the study area (cli_map_load_area_fn). */
static int map_load_area(struct cmd_ctx *c, const char *path, struct geo_layer *L)
{
	return geo_layer_load(L, path, NULL, NULL, c->e);
}

/* ---- klaster map: the file commands are in cli_map.c; draw and related need cairo and igraph ---- */

/* --year (-1 when absent) and --base all|traded of map draw and map hotspots --regions. */
static int map_year_base(struct cmd_ctx *c, const struct map_args *a, int *year, struct indic_opts *io)
{
	*year = -1;
	if (cli_map_year(c, "--year", a->year, year))
		return -1;
	if (a->base && strcmp(a->base, "all") && strcmp(a->base, "traded"))
		return kerr_set(c->e, KERR_USAGE, "--base must be all or traded, not '%s'", a->base);
	io->base = a->base && strcmp(a->base, "traded") == 0 ? INDIC_BASE_TRADED : INDIC_BASE_ALL;
	return 0;
}

/* map draw: a choropleth of one indicator (mapping.h). */
/* The years of map draw and map hotspots --regions: a change (growth, regional_shift) takes
 * --from and --to (into *from and *to; -1 when not given: the data's first and last), not --year
 * nor --base; an indicator of one year takes neither --from nor --to.  -1 with a usage message. */
static int map_change_years_opts(struct cmd_ctx *c, const struct map_args *a, const char *indicator, int *from,
				 int *to)
{
	if (mapping_is_change(indicator)) {
		if (a->year)
			return kerr_set(c->e, KERR_USAGE, "--indicator %s is a change between two years: give them with "
					"--from YEAR and --to YEAR (without them, the data's first and last), not --year",
					indicator);
		if (a->base)
			return kerr_set(c->e, KERR_USAGE, "--base does not apply to --indicator %s: the shift-share "
					"counts every industry, as map shift-share does", indicator);
		if (cli_map_year(c, "--from", a->from, from) || cli_map_year(c, "--to", a->to, to))
			return -1;
		if (a->from && a->to && *from >= *to)
			return kerr_set(c->e, KERR_USAGE, "--from %d must come before --to %d", *from, *to);
	} else if (a->from || a->to) {
		return kerr_set(c->e, KERR_USAGE, "%s applies to the changes between two years (--indicator growth or "
				"regional_shift), not to --indicator %s; give --year for one year", a->from ? "--from" : "--to",
				indicator);
	}
	return 0;
}

static int map_draw(struct cmd_ctx *c, const struct map_args *ap)
{
	struct map_args a = *ap;
	struct cube cube;
	struct indic_opts io = INDIC_OPTS_INIT;
	struct indic_result res;
	struct mapping_draw_opts d;
	char *end, dsource[320];
	int rc;
	memset(&cube, 0, sizeof(cube));
	memset(&res, 0, sizeof(res));
	memset(&d, 0, sizeof(d));
	d.boundaries = a.boundaries;
	d.code_prop = a.code_prop ? a.code_prop : "teryt";
	d.name_prop = a.name_prop;
	d.industry = a.industry;
	d.indicator = a.indicator ? a.indicator : "lq";
	d.year = -1;
	d.breaks = a.breaks;
	d.title = a.title;
	d.source = a.source;
	if (!d.source && a.boundaries) {
		cli_map_default_source(dsource, sizeof(dsource), a.name ? a.name : a.input, a.boundaries, a.lang);
		d.source = dsource;
	}
	d.out = a.out;
	d.nuts2013 = a.nuts2013;
	d.parts = a.parts;
	if (a.lang && draw_lang_by_name(a.lang, &d.lang))
		return kerr_set(c->e, KERR_USAGE, "--lang must be pl, en or both, not '%s'", a.lang);
	if (!a.boundaries || !a.industry || !a.out)
		return kerr_set(c->e, KERR_USAGE, "map draw needs --boundaries FILE.geojson, --industry CODE and -o MAP.svg|png|pdf|geojson");
	/* the map as a layer for a GIS (mapping_draw_opts.layer): asked by name or by the ending, which
	 * must then agree on it */
	d.layer = a.fmtname ? strcasecmp(a.fmtname, "geojson") == 0 : strcasecmp(outfile_ending(a.out), "geojson") == 0;
	if (a.fmtname && *outfile_ending(a.out) && d.layer != (strcasecmp(outfile_ending(a.out), "geojson") == 0))
		return kerr_set(c->e, KERR_USAGE, "-o %s ends in .%s but --output-format says %s: give one of them, or "
				"make them agree", a.out, outfile_ending(a.out), a.fmtname);
	if (!d.layer) {
		enum draw_format fmt, named;
		if (a.fmtname && draw_format_by_name(a.fmtname, &fmt))
			return kerr_set(c->e, KERR_USAGE, "--output-format must be svg, png, pdf or geojson, not '%s'",
					a.fmtname);
		if (!a.fmtname && draw_format_for_path(a.out, &fmt))
			return kerr_set(c->e, KERR_USAGE, "-o %s: a map is written as .svg, .png or .pdf, or as a GIS layer "
					".geojson (or give --output-format svg|png|pdf|geojson)", a.out);
		/* -o NAME whose ending names another map format than --output-format */
		if (a.fmtname && draw_format_by_name(outfile_ending(a.out), &named) == 0 && named != fmt)
			return kerr_set(c->e, KERR_USAGE, "-o %s ends in .%s but --output-format says %s: give one of "
					"them, or make them agree", a.out, outfile_ending(a.out), a.fmtname);
		d.format = a.fmtname;
	}
	if (map_year_base(c, &a, &d.year, &io))
		return -1;
	d.from = -1;
	d.data_name = a.name;
	if (map_change_years_opts(c, &a, d.indicator, &d.from, &d.year))
		return -1;
	if (a.classes && ((d.nclasses = (int)strtol(a.classes, &end, 10)) < 2 || d.nclasses > 9 || *end))
		return kerr_set(c->e, KERR_USAGE, "--classes must be a number from 2 to 9, not '%s'", a.classes);
	if (a.hotspots)   /* the hot and cold spots of the values drawn, outlined (as map hotspots --regions finds them) */
		d.hotspots = &a.gi;
	{
		double br[DRAW_MAX_CLASSES];
		int nb;
		if (mapping_draw_check(&d, br, &nb, c->e))
			return -1;   /* before the input is read */
	}
	/* a change needs no indicators of one year (mapping_draw computes its shift-share) */
	if (cli_map_load(c, &a, &cube) ||
	    (!mapping_is_change(d.indicator) && cli_map_compute(c, &a, &cube, &io, d.year, 1, &res))) {
		cube_release(&cube);
		return -1;
	}
	rc = mapping_draw(&cube, &res, &d, c->e);
	if (rc && mapping_is_change(d.indicator))
		cli_map_name_error(c, &a);
	indic_result_release(&res);
	cube_release(&cube);
	draw_shutdown();
	return rc;
}

/* map hotspots STATS.csv --regions LAYER: Getis–Ord hot spots of one
 * indicator across the regions, at their centroids (mapping_hotspots);
 * here rather than in cli_map.c since reading GeoJSON needs jansson. */
static int map_region_hotspots(struct cmd_ctx *c, const char *regions)
{
	struct map_args a;
	struct spatial_getis_ord_opts go;
	struct cube cube;
	struct indic_opts io = INDIC_OPTS_INIT;
	struct indic_result res;
	struct geo_layer L;
	struct nuts_place *pl = NULL;
	struct mapping_hotspots h;
	struct indic_shift sh;
	struct tablew *t = NULL;
	const char *indicator, *code_prop;
	size_t ind, y, y0 = 0, nparts;
	int year, from = -1, to = -1, change, rc = -1;

	memset(&cube, 0, sizeof(cube));
	memset(&res, 0, sizeof(res));
	memset(&L, 0, sizeof(L));
	memset(&h, 0, sizeof(h));
	memset(&sh, 0, sizeof(sh));
	if (cli_map_gi_opts(c, 0, 0, &go) || cli_map_args(c, "hotspots", &a) ||
	    outfile_clash(a.out, NULL, &regions, 1, c->e) ||   /* the boundaries too (outfile.h) */
	    map_year_base(c, &a, &year, &io))
		return -1;
	if (!a.industry)
		return kerr_set(c->e, KERR_USAGE, "map hotspots --regions needs --industry CODE");
	indicator = a.indicator ? a.indicator : "lq";
	code_prop = a.code_prop ? a.code_prop : "teryt";
	if (mapping_indicator_check(indicator, c->e))
		return -1;
	change = mapping_is_change(indicator);
	if (map_change_years_opts(c, &a, indicator, &from, &to))
		return -1;
	if (cli_map_load(c, &a, &cube))
		goto out;
	if (change ? mapping_change_years(&cube, from, to, "--from", "--to", &y0, &y, c->e) ||
		     mapping_choose(&cube, a.industry, indicator, cube.year[y], &ind, &y, c->e) ||
		     indic_shift_share(&cube, cube.year[y0], cube.year[y], &sh, c->e)
		   : cli_map_compute(c, &a, &cube, &io, year, 1, &res) ||
		     mapping_choose(&cube, a.industry, indicator, year, &ind, &y, c->e)) {
		cli_map_name_error(c, &a);
		goto out;
	}
	if (mapping_load_layer(&L, regions, a.parts, code_prop, a.name_prop ? a.name_prop : "name", &nparts, c->e) ||
	    (a.name_prop && mapping_names_present(&L, regions, a.name_prop, c->e)))
		goto out;
	pl = xcalloc(cube.nreg + 1, sizeof(*pl));
	mapping_place_regions(&cube, y, &L, regions, code_prop, a.nuts2013, "placed", pl);
	if (mapping_hotspots(&cube, &res, change ? &sh : NULL, y, ind, indicator, &L, pl, &go, &h, c->e)) {
		kerr_prefix(c->e, "%s", regions);
		goto out;
	}
	{
		size_t k;
		for (k = 1; k < h.n && h.value[k] == h.value[0]; k++)
			;
		if (h.n && k == h.n)
			fprintf(stderr, "%s: every one of the %zu regions has the same %s (%g): without variation Gi* "
				"has no z-scores, and every z is empty\n", a.name, h.n, indicator, h.value[0]);
	}
	if (h.no_value)
		fprintf(stderr, "%s: %zu %s without a value of %s left out (first: %s)\n", a.name, h.no_value,
			plural((long long)h.no_value, "region", "regions"), indicator, cube.reg[h.first_no_value]);
	{
		struct buf nb = BUF_INIT;
		if (spatial_islands_notice(&nb, a.name, &h.g, go.star, h.g.nisland ? cube.reg[h.reg[h.g.first_island]] : NULL))
			fprintf(stderr, "%s\n", nb.ptr);
		buf_reset(&nb);
		if (spatial_all_neighbours_notice(&nb, a.name, &h.g, go.star))
			fprintf(stderr, "%s\n", nb.ptr);
		buf_release(&nb);
	}
	{
		char yin[48] = "";
		if (change)
			snprintf(yin, sizeof(yin), " %d-%d", cube.year[y0], cube.year[y]);
		else if (cube.year[y])
			snprintf(yin, sizeof(yin), " in %d", cube.year[y]);
		fprintf(stderr, "%s: %zu %s, %s of %s%s, %s, band %.10g m: %zu hot %s and %zu cold %s at p < 0.05\n",
			a.name, h.n, plural((long long)h.n, "region", "regions"), indicator, cube.ind[ind], yin,
			go.star ? "Gi*" : "Gi", go.band, h.hot, plural((long long)h.hot, "spot", "spots"), h.cold,
			plural((long long)h.cold, "spot", "spots"));
	}
	if (cli_map_open_table(c, &a, mapping_hotspot_columns, "hotspots", &t) ||
	    mapping_write_hotspots(&cube, &L, pl, &h, t, c->e))
		goto out;
	rc = tablew_close(t, c->e);
	t = NULL;
out:
	if (t)
		tablew_abort(t);
	mapping_hotspots_release(&h);
	indic_shift_release(&sh);
	free(pl);
	geo_layer_release(&L);
	indic_result_release(&res);
	cube_release(&cube);
	return rc;
}

/* map related: relatedness pairs, density or groups (related.h); --base picks the table. */
static int map_related(struct cmd_ctx *c, const struct map_args *ap)
{
	struct map_args a = *ap;
	struct cube cube;
	struct tablew *t = NULL;
	struct related rel;
	int year = -1, rc = -1;
	size_t y;
	const char *what = a.base ? a.base : "pairs";
	memset(&cube, 0, sizeof(cube));
	memset(&rel, 0, sizeof(rel));
	if (strcmp(what, "pairs") && strcmp(what, "density") && strcmp(what, "groups"))
		return kerr_set(c->e, KERR_USAGE, "map %s: --base must be pairs, density or groups, not '%s'", a.what,
				what);
	if (cli_map_year(c, "--year", a.year, &year) || cli_map_load(c, &a, &cube))
		return -1;
	y = cube.nyear - 1;
	if (year >= 0 && cube_find_year(&cube, year, &y, c->e)) {
		kerr_prefix(c->e, "%s", a.name);
		goto out;
	}
	if (related_compute(&cube, y, &rel, c->e)) {
		cli_map_name_error(c, &a);
		goto out;
	}
	if (rel.unknown)
		fprintf(stderr, "%s: %zu %s without a value (first: region %s, industry %s) %s left out pair by pair: "
			"co-location and proximity over the regions where both industries' cells are known, "
			"densities over the industries known in the region\n", a.name, rel.unknown,
			plural((long)rel.unknown, "cell", "cells"), cube.reg[rel.first_unknown / cube.nind],
			cube.ind[rel.first_unknown % cube.nind], rel.unknown == 1 ? "is" : "are");
	if (strcmp(what, "groups") != 0)
		;   /* the groups' summary goes with their table */
	else {
		char sc[160], md[48] = "";
		if (isfinite(rel.group_score))
			snprintf(sc, sizeof(sc), "score %.3f (share of the industries in groups of two or more that are "
				 "closer to their own group)", rel.group_score);
		else
			snprintf(sc, sizeof(sc), "no score (no industry in a group of two or more has a known "
				 "co-location with another group)");
		if (isfinite(rel.modularity))
			snprintf(md, sizeof(md), ", modularity %.3f", rel.modularity);
		fprintf(stderr, "%s: %d %s of related industries, %s%s\n", a.name, rel.ngroups,
			plural(rel.ngroups, "group", "groups"), sc, md);
		if (rel.ungrouped)
			fprintf(stderr, "%s: %zu %s without employment in the year %s no group (the group column "
				"is empty)\n", a.name, rel.ungrouped, plural((long)rel.ungrouped, "industry", "industries"),
				rel.ungrouped == 1 ? "has" : "have");
	}
	if (strcmp(what, "pairs") == 0
		    ? cli_map_open_table(c, &a, mapping_pair_columns, "relatedness", &t) ||
			      mapping_write_pairs(&cube, &rel, (size_t)-1, t, c->e)
		    : strcmp(what, "density") == 0
		    ? cli_map_open_table(c, &a, mapping_density_columns, "density", &t) ||
			      mapping_write_density(&cube, &rel, (size_t)-1, t, c->e)
		    : cli_map_open_table(c, &a, mapping_group_columns, "groups", &t) ||
			      mapping_write_groups(&cube, &rel, (size_t)-1, t, c->e)) {
		related_release(&rel);
		goto out;
	}
	related_release(&rel);
	rc = tablew_close(t, c->e);
	t = NULL;
out:
	if (t)
		tablew_abort(t);
	cube_release(&cube);
	return rc;
}

/* The region of the boundary layer that holds a point (stats_opts.locate). */
static const char *layer_locate(void *ctx, double lat, double lon)
{
	const struct geo_layer *L = ctx;
	long k = geo_layer_locate(L, lon, lat);
	return k < 0 ? NULL : L->f[k].code;
}

/* --region-names (cli_map.h): the regions without a name take their boundaries' names. */
static int name_regions(const struct map_args *a, struct cube *cube, const char *src, struct kerr *e)
{
	struct geo_layer L;
	size_t nparts;
	const char *code_prop = a->code_prop ? a->code_prop : "teryt";
	if (mapping_load_layer(&L, a->region_names, a->parts, code_prop, a->name_prop ? a->name_prop : "name",
			       &nparts, e)) {
		kerr_prefix(e, "--region-names");
		return -1;
	}
	if (a->name_prop && mapping_names_present(&L, a->region_names, a->name_prop, e)) {
		kerr_prefix(e, "--region-names");
		geo_layer_release(&L);
		return -1;
	}
	mapping_name_regions(cube, &L, src, a->region_names, code_prop, a->nuts2013);
	geo_layer_release(&L);
	return 0;
}

/* map indicators | indices | shift-share on a firm list placed in regions by --boundaries. */
static int map_table_located(struct cmd_ctx *c, struct map_args *a)
{
	struct geo_layer L;
	int rc;
	if (geo_layer_load(&L, a->boundaries, a->code_prop ? a->code_prop : "teryt", NULL, c->e))
		return -1;
	a->locate = layer_locate;
	a->locate_ctx = &L;
	rc = cli_map_table(c, a);
	geo_layer_release(&L);
	return rc;
}

static int cmd_map(struct cmd_ctx *c)
{
	struct map_args a;
	const char *what = c->argc ? c->argv[0] : "", *regions;
	shift_arg(c);
	if (cli_map_check(c, what))
		return -1;   /* before anything is read */
	if (strcmp(what, "hotspots") == 0 && (regions = opt_value(c, "--regions")))
		return map_region_hotspots(c, regions);
	if (strcmp(what, "spatial") == 0 || strcmp(what, "hotspots") == 0)
		return cli_map_points(c, what, map_points_draw, map_load_area);
	if (cli_map_args(c, what, &a))
		return -1;
	if (strcmp(what, "draw") == 0)
		return map_draw(c, &a);
	if (strcmp(what, "relatedness") == 0 || strcmp(what, "related") == 0)
		return map_related(c, &a);
	a.name_regions = name_regions;
	if (a.boundaries)
		return map_table_located(c, &a);
	return cli_map_table(c, &a);
}

enum { C_DB = 1 };

/* A command's usage forms: string constants, NULL after the last. */
#define FORMS(...) ((const char *const[]){ __VA_ARGS__, NULL })

static const struct command {
	const char *name;
	int (*run)(struct cmd_ctx *c);
	int flags;
	/* one form per sub-command, as the usage shows it ("import stats STATS.csv …"; a
	 * line that goes on starts with spaces); the word after the name, split at '|',
	 * names the sub-commands a form is for ("import organisations|clusters|members …") */
	const char *const *usage;
	const char *help;
	/* the usage of one sub-command when the forms do not have it (map): 0, or -1 for none */
	int (*usage_of)(FILE *f, const char *prefix, const char *sub);
	const char *usage_of_more;   /* what usage_of's usage is followed by */
} commands[] = {
	{ "serve", cmd_serve, 0,
	  FORMS("serve [--listen HOST:PORT] [--threads N] [--max-body BYTES] [--max-upload MIB] [--search-cache MIB]\n"
		"        [--dataset-cache MIB] [--quiet] [--smtp-url smtp://HOST:PORT] [--mail-from ADDRESS] [--base-url URL] [--mail-lease SECONDS]\n"
		"        [--trust-proxy 1] [--session-idle MINUTES] [--mail-keep-days DAYS]"),
	  "Serves the portal and the JSON API until SIGINT/SIGTERM. The database must be migrated.\n"
	  "--search-cache MIB bounds the cache of search results (default 8, 0 turns it off); a\n"
	  "cached result is used only while the data has not changed since (any write, through any\n"
	  "server on the same database, invalidates it).\n"
	  "--dataset-cache MIB keeps the statistics datasets the cluster map loaded last, up to\n"
	  "that much memory (default 256, 0 turns it off), under the same rule.\n"
	  "--max-upload MIB bounds a file an administrator uploads on /admin/datasets (default 128).\n"
	  "--session-idle MINUTES logs out a session unused that long (default 480, 8 hours; 0: a\n"
	  "login lasts its 14 days however long it rests).\n"
	  "--mail-keep-days DAYS keeps delivered, outbox and failed mail that long (default 30; a\n"
	  "campaign's messages stay, redacted, for its counts).", NULL, NULL },
	{ "db", cmd_db, C_DB, FORMS("db migrate", "db version"),
	  "Applies the numbered schema migrations, or shows the schema version.", NULL, NULL },
	{ "import", cmd_import, C_DB,
	  FORMS("import organisations|clusters|members FILE.csv [--skip-invalid] [--progress|--no-progress]",
		"import offers|services FILE.csv (docs/PORTAL-OFFERS.md)",
		"import reference DIR",
		"import regions FILE.geojson --level voivodeship|powiat",
		"import pkd FILE.csv",
		"import stats STATS.csv --dataset NAME [--title T] [--source S] [--licence L] [--region-kind teryt|nuts2013|other]\n"
		"                    [the reading options of `klaster map`] [--boundaries B.geojson [--code-property P]]\n"
		"                    [--progress|--no-progress]",
		"import news ARTICLE.md... (see docs/PORTAL-NEWS.md)",
		"import firms FIRMS.csv|- --dataset NAME [--title T] [--source S] [--licence L] [--value COLUMN]...\n"
		"                    [--skip-invalid] [--id-column C] [--name-column C] [--industry-column C] [--industry-name-column C]\n"
		"                    [--industry-names CODES.csv]"),
	  "Loads CSV files (one transaction; see docs/IMPORT.md) or reference data; stats and firms\n"
	  "are stored for the portal's cluster map (docs/MAPPING.md).", NULL, NULL },
	{ "dataset", cmd_dataset, C_DB, FORMS("dataset list", "dataset show NAME", "dataset delete NAME [--firms]"),
	  "Lists the statistics datasets and firm lists stored for the cluster map (kind, name, size,\n"
	  "title, source, licence; tab-separated, '-' for none), or deletes one with all it holds (a firm list with --firms).", NULL, NULL },
	{ "export", cmd_export, C_DB,
	  FORMS("export organisations [--q TEXT] [--type T] [--size S] [--section X] [--pkd CODE [--pkd-version 2025]] [--voiv NN]\n"
		"                     [--cluster ACRONYM] [-o FILE]",
		"export clusters|members [-o FILE]"),
	  "Writes CSV in the import format (to standard output or atomically to FILE).", NULL, NULL },
	{ "map", cmd_map, 0, cli_map_usage, cli_map_help, cli_map_print_usage,
	  "The options are described in docs/MAPPING.md; 'klaster map --help' shows every command." },
	{ "routes", cmd_routes, 0, FORMS("routes"),
	  "Lists the portal's routes: method, path (* = an id follows) and flags (db, api, token,\n"
	  "prefix, cache, form = CSRF-checked form POST, login = needs a logged-in user).", NULL, NULL },
	{ "mail", cmd_mail, C_DB,
	  FORMS("mail deliver [--smtp-url URL] [--mail-from ADDRESS] [--mail-keep-days DAYS]", "mail list"),
	  "The persistent mail queue: deliver every message that is due now (over --smtp-url, or into\n"
	  "the outbox an administrator reads in the portal when none is set), or list the queue.", NULL, NULL },
	{ "user", cmd_user, C_DB,
	  FORMS("user add EMAIL [--role admin|coordinator|editor|user] [--name NAME]\n"
		"       [--org ID|NIP|NAME (editor)] [--cluster ID|ACRONYM|NAME (coordinator)] [--exists-ok]",
		"user token EMAIL [--label TEXT]",
		"user block EMAIL",
		"user unblock EMAIL"),
	  "Adds an account (password from standard input or KLASTER_PASSWORD, hashed with Argon2id),\n"
	  "issues an API token for it (printed once), or blocks it (no login, sessions ended, e-mailed\n"
	  "links spent, API tokens refused; not the last active administrator) and unblocks it.", NULL, NULL },
	{ "audit", cmd_audit, C_DB,
	  FORMS("audit [--action A] [--user EMAIL-TEXT|#ID] [--object TYPE [--object-id N]] [--from YYYY-MM-DD]\n"
		"        [--to YYYY-MM-DD] [--limit N] [-o FILE]"),
	  "Writes the audit log's entries the filters match as CSV, newest first (the columns of the\n"
	  "portal's /admin/audit.csv); days are UTC, both ends included.", NULL, NULL },
};
#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

/* cmd's forms, one a line, each line after the first begun with indent (the first's is the caller's). */
static void print_forms(FILE *f, const struct command *cmd, const char *indent)
{
	const char *const *u;
	for (u = cmd->usage; *u; u++)
		fprintf(f, "%s%s%s", u == cmd->usage ? "" : "\n", u == cmd->usage ? "" : indent, *u);
}

/* 1 when usage form (of command name) is for sub-command sub: the word
 * after the name, split at '|', is sub; else 0. */
static int form_is_for(const char *form, const char *name, const char *sub)
{
	size_t n = strlen(name), k = strlen(sub);
	const char *p, *end;
	if (!k || strncmp(form, name, n) != 0 || form[n] != ' ')
		return 0;
	p = form + n + 1;
	end = p + strcspn(p, " \n");
	while (p < end) {
		const char *bar = memchr(p, '|', (size_t)(end - p)), *w_end = bar ? bar : end;
		if ((size_t)(w_end - p) == k && strncmp(p, sub, k) == 0)
			return 1;
		p = w_end + 1;
	}
	return 0;
}

/* 1 when cmd has sub-commands (db migrate, import stats, map indicators): the word
 * after its name in a form is no option; 0 for serve, routes, audit. */
static int command_has_subs(const struct command *cmd)
{
	size_t n = strlen(cmd->name);
	return cmd->usage_of || (cmd->usage[0][n] == ' ' && cmd->usage[0][n + 1] != '[');
}

/* klaster COMMAND [SUB] --help: on standard output, the usage of cmd's
 * sub-command sub alone when sub (may be NULL) names one, else the usage of
 * every form of cmd; then what the command does.  -1 (nothing printed) when
 * sub is given and is none of the sub-commands cmd has. */
static int command_help(const struct command *cmd, const char *sub)
{
	struct buf prefix = BUF_INIT;
	const char *const *u;
	int n = 0;
	buf_printf(&prefix, "klaster %s ", cmd->name);
	if (sub && cmd->usage_of && cmd->usage_of(stdout, prefix.ptr, sub) == 0) {
		printf("\n%s\n", cmd->usage_of_more);
		buf_release(&prefix);
		return 0;
	}
	buf_release(&prefix);
	for (u = cmd->usage; sub && !cmd->usage_of && *u; u++)
		if (form_is_for(*u, cmd->name, sub))
			printf("%sklaster %s\n", n++ ? "       " : "usage: ", *u);
	if (n) {
		printf("\n%s\n'klaster %s --help' shows every %s command.\n", cmd->help, cmd->name, cmd->name);
		return 0;
	}
	if (sub && command_has_subs(cmd))
		return -1;
	fputs("usage: klaster ", stdout);
	print_forms(stdout, cmd, "       klaster ");
	printf("\n\n%s\n", cmd->help);
	return 0;
}

static void usage(FILE *f)
{
	size_t i;
	fputs("usage: klaster [--db URL] [--config FILE] [--] COMMAND [ARGS]\n\ncommands:\n", f);
	for (i = 0; i < NCOMMANDS; i++) {
		fputs("  ", f);
		print_forms(f, &commands[i], "  ");
		fputc('\n', f);
	}
	fputs("\nGlobal options (flags beat environment, which beats the config file):\n"
	      "  --db URL        sqlite:PATH (default sqlite:klaster.db) or postgres://…   [KLASTER_DB]\n"
	      "  --config FILE   'key = value' lines, any of the settings below and db [KLASTER_CONFIG]\n"
	      "  KLASTER_LISTEN, KLASTER_THREADS, KLASTER_MAX_BODY, KLASTER_SEARCH_CACHE, KLASTER_SMTP_URL,\n"
	      "  KLASTER_MAIL_FROM, KLASTER_BASE_URL, KLASTER_MAIL_LEASE, KLASTER_TRUST_PROXY,\n"
	      "  KLASTER_SESSION_IDLE, KLASTER_MAIL_KEEP_DAYS set the serve (and mail) options; the config\n"
	      "  file's keys are their names in lower case without KLASTER_ and with '-' for '_'.\n"
	      "\n'klaster COMMAND --help' describes one command, 'klaster COMMAND SUB --help' one of its\n"
	      "sub-commands. Exit codes: 0 ok, 1 I/O or internal error, 2 usage, 3 invalid input,\n"
	      "4 not found, 5 not allowed, 6 database error.\n", f);
}

/* The global options that take a value, and the setting each sets; --help,
 * -h and --version take none.  They are read as a command's options are
 * (cli.h): "--db URL" or "--db=URL". */
static const struct global_option {
	const char *name;
	size_t off;
} global_options[] = {
	{ "--db", offsetof(struct settings, db) },
	{ "--config", offsetof(struct settings, config) },
};
#define NGLOBAL_OPTIONS (sizeof(global_options) / sizeof(global_options[0]))

/* A command's "unknown option '--db'" said as what it is: a global option given after the command. */
static void global_option_late(struct kerr *e, const char *command)
{
	static const char unknown[] = "unknown option '";
	size_t k, n;
	if (strncmp(e->msg, unknown, sizeof(unknown) - 1) != 0)
		return;
	for (k = 0; k < NGLOBAL_OPTIONS; k++) {
		const char *name = global_options[k].name, *a = e->msg + sizeof(unknown) - 1;
		n = strlen(name);
		if (strncmp(a, name, n) == 0 && (a[n] == '\'' || a[n] == '=')) {
			kerr_set(e, KERR_USAGE, "%s is a global option: give it before the command (klaster %s VALUE %s …)",
				 name, name, command);
			return;
		}
	}
}

/* The index in argv of the command: the first argument after the global
 * options and their values, or the one after "--", which ends them (argc
 * when there is none).  *nglobal: how many arguments the global options are
 * (argv[1] on, without the "--"). */
static int command_index(int argc, char **argv, int *nglobal)
{
	int i = 1;
	size_t k;
	while (i < argc && argv[i][0] == '-' && argv[i][1]) {
		int value = 0;
		if (strcmp(argv[i], "--") == 0) {
			*nglobal = i - 1;
			return i + 1;
		}
		for (k = 0; k < NGLOBAL_OPTIONS; k++)
			value |= strcmp(argv[i], global_options[k].name) == 0;
		/* a value that starts with "--" is not taken, as opt_value does not take it */
		i += value && i + 1 < argc && strncmp(argv[i + 1], "--", 2) != 0 ? 2 : 1;
	}
	*nglobal = i - 1;
	return i;
}

/* Reads the n global options in args into s.  0; 1 when --help or --version
 * was answered on standard output; -1 with a usage error in e for an unknown
 * option, one given twice, without its value or with an empty one.  args is
 * reordered. */
static int global_options_read(int n, char **args, struct settings *s, struct kerr *e)
{
	struct cmd_ctx g;
	const char *v[NGLOBAL_OPTIONS];
	size_t k;
	memset(&g, 0, sizeof(g));
	g.argc = n;
	g.argv = args;
	g.e = e;
	/* the values first, as command_index takes them: --db -h names a database "-h" */
	for (k = 0; k < NGLOBAL_OPTIONS; k++)
		v[k] = opt_value(&g, global_options[k].name);
	if (opt_flag(&g, "--help") || opt_flag(&g, "-h")) {
		usage(stdout);
		return 1;
	}
	if (opt_flag(&g, "--version")) {
		printf("klaster 0.1 (schema %d)\n", db_migrations_known());
		return 1;
	}
	if (no_more_args(&g, 0))
		return -1;
	for (k = 0; k < NGLOBAL_OPTIONS; k++)
		if (v[k] && !*v[k])
			/* given empty (--db "$UNSET"): an error, never a quiet klaster.db or another default */
			return kerr_set(e, KERR_USAGE, "%s is empty: give a value or leave it out (see --help)",
					global_options[k].name);
	for (k = 0; k < NGLOBAL_OPTIONS; k++)
		if (v[k])
			*(char **)((char *)s + global_options[k].off) = xstrdup(v[k]);
	return 0;
}

/* The database of a command (cmd_ctx.open_db): as it is for db itself, migrated for every other. */
static int open_db_as_is(struct cmd_ctx *c)
{
	return db_open(&c->db, c->s->db, c->e);
}

static int open_db_migrated(struct cmd_ctx *c)
{
	return db_open_migrated(&c->db, c->s->db, c->e);
}

/* db version: a database that is there, at whatever version (a wrong path makes no empty file). */
static int open_db_existing(struct cmd_ctx *c)
{
	return db_open_existing(&c->db, c->s->db, c->e);
}

int main(int argc, char **argv)
{
	struct settings s;
	struct kerr e = KERR_INIT;
	struct cmd_ctx c;
	const struct command *cmd = NULL;
	int i, nglobal, rc, help_word;
	size_t k;
	/* klaster-map hands some runs to klaster with argv[0] "klaster-map": their messages say so */
	const char *arg0 = argc > 0 ? argv[0] : "", *base = strrchr(arg0, '/'),
		   *prog = strcmp(base ? base + 1 : arg0, "klaster-map") == 0 ? "klaster-map" : "klaster";

	memset(&s, 0, sizeof(s));
	curl_global_init(CURL_GLOBAL_DEFAULT);
	if (sodium_init() < 0) {
		fputs("klaster: cannot initialise libsodium\n", stderr);
		return 1;
	}
	i = command_index(argc, argv, &nglobal);
	if ((rc = global_options_read(nglobal, argv + 1, &s, &e)) > 0)
		return 0;
	if (rc < 0)
		goto fail;
	if (argc == 1) {
		usage(stderr);
		return 2;
	}
	if (i >= argc) {
		kerr_set(&e, KERR_USAGE, "no command after the global options (see klaster --help)");
		goto fail;
	}
	if ((help_word = strcmp(argv[i], "help") == 0)) {
		/* klaster help [COMMAND [SUB]]: as --help */
		if (i + 1 >= argc || strcmp(argv[i + 1], "--help") == 0 || strcmp(argv[i + 1], "-h") == 0) {
			usage(stdout);
			settings_release(&s);
			return 0;
		}
		i++;
	}
	for (k = 0; k < NCOMMANDS; k++)
		if (strcmp(commands[k].name, argv[i]) == 0)
			cmd = &commands[k];
	if (!cmd) {
		kerr_set(&e, KERR_USAGE, "unknown command '%s' (see klaster --help)", argv[i]);
		goto fail;
	}
	for (k = (size_t)i + 1; k < (size_t)argc && !help_word; k++)
		help_word = strcmp(argv[k], "--help") == 0 || strcmp(argv[k], "-h") == 0;
	if (help_word) {
		/* klaster [help] import stats [--help] (or import --help stats): that sub-command's usage
		 * alone, the sub-command being the first word after the command that is no option */
		const char *sub = NULL;
		for (k = (size_t)i + 1; k < (size_t)argc && !sub; k++)
			if (argv[k][0] != '-')
				sub = argv[k];
		if (command_help(cmd, sub)) {
			kerr_set(&e, KERR_USAGE, "unknown command '%s %s' (see klaster %s --help)", cmd->name, sub,
				 cmd->name);
			goto fail;
		}
		settings_release(&s);
		return 0;
	}
	if (settings_finish(&s, &e))
		goto fail;
	memset(&c, 0, sizeof(c));
	c.s = &s;
	c.argc = argc - i - 1;
	c.argv = argv + i + 1;
	c.e = &e;
	if (command_has_subs(cmd) && c.argc > 0 && c.argv[0][0] == '-' && c.argv[0][1]) {
		/* "export -o F organisations": the sub-command is the first word after the command */
		kerr_set(&e, KERR_USAGE, "%s %s: the sub-command comes first, then its options (klaster %s SUB %s …; "
			 "see klaster %s --help)", cmd->name, c.argv[0], cmd->name, c.argv[0], cmd->name);
		goto fail;
	}
	if (cmd->run != cmd_serve)
		outfile_guard();   /* a command's results never replace its inputs (outfile.h) */
	/* every command but db itself wants a database that is there and migrated */
	if (cmd->flags & C_DB)
		c.open_db = cmd->run == cmd_db ? open_db_as_is : open_db_migrated;   /* once the command has
											     checked its arguments */
	rc = cmd->run(&c);
	if (rc && e.kind == KERR_USAGE)
		global_option_late(&e, cmd->name);
	db_close(c.db);
	cmd_ctx_release(&c);   /* a message is a copy in e: it outlives the names c kept */
	if (rc)
		goto fail;
	settings_release(&s);
	return 0;
fail:
	settings_release(&s);
	{
		struct buf m = BUF_INIT;   /* a value quoted in the message may hold escape sequences */
		esc_terminal(&m, e.msg);
		fprintf(stderr, "%s: %s\n", prog, m.len ? m.ptr : "");
		buf_release(&m);
	}
	return kerr_exit_code(e.kind);
}
