/* test_config.c — the configuration file parser (config.h). */
#include "t.h"

#include "buf.h"
#include "config.h"

static const char *const keys[] = { "db", "listen", "threads", NULL };

static void free_values(char **v)
{
	size_t i;
	for (i = 0; i < 3; i++) {
		free(v[i]);
		v[i] = NULL;
	}
}

T_TEST(parse)
{
	const char *text = "# a comment\n\n  db = sqlite:/var/lib/klaster.db  \r\nlisten=127.0.0.1:9000\n"
			   "threads\t=\t8";
	char *v[3] = { NULL, NULL, NULL };
	struct kerr e = KERR_INIT;
	T_EQ_INT(config_parse(text, strlen(text), "k.conf", keys, v, &e), 0);
	T_EQ_STR(v[0], "sqlite:/var/lib/klaster.db");
	T_EQ_STR(v[1], "127.0.0.1:9000");
	T_EQ_STR(v[2], "8");
	free_values(v);
}

T_TEST(earlier_sources_win)
{
	const char *text = "db = sqlite:file.db\nthreads = 2\n";
	char *v[3] = { NULL, NULL, NULL };
	struct kerr e = KERR_INIT;
	v[0] = xstrdup("postgres://from-flag");
	T_EQ_INT(config_parse(text, strlen(text), "k.conf", keys, v, &e), 0);
	T_EQ_STR(v[0], "postgres://from-flag");
	T_EQ_STR(v[2], "2");
	T_OK(v[1] == NULL);
	free_values(v);
}

/* An empty value gives none (the default is asked), but still counts as the key given. */
T_TEST(empty_value)
{
	const char *text = "db =\nthreads =   \t\n";
	char *v[3] = { NULL, NULL, NULL };
	struct kerr e = KERR_INIT;
	T_EQ_INT(config_parse(text, strlen(text), "k.conf", keys, v, &e), 0);
	T_OK(v[0] == NULL && v[2] == NULL);
	T_EQ_INT(config_parse("db =\ndb = x\n", 12, "k.conf", keys, v, &e), -1);
	T_EQ_STR(e.msg, "k.conf:2: setting 'db' given twice");
	free_values(v);
}

T_TEST(errors)
{
	static const struct {
		const char *text, *want;
	} cases[] = {
		{ "db = x\nport = 80\n", "k.conf:2: unknown setting 'port' (known: db, listen, threads)" },
		{ "db = x\n\njust words\n", "k.conf:3: expected 'key = value'" },
		{ "db = a\ndb = b\n", "k.conf:2: setting 'db' given twice" },
	};
	size_t i;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *v[3] = { NULL, NULL, NULL };
		struct kerr e = KERR_INIT;
		T_EQ_INT(config_parse(cases[i].text, strlen(cases[i].text), "k.conf", keys, v, &e), -1);
		T_EQ_STR(e.msg, cases[i].want);
		T_EQ_INT(e.kind, KERR_USAGE);
		free_values(v);
	}
	{
		char *v[3] = { NULL, NULL, NULL };
		struct kerr e = KERR_INIT;
		T_EQ_INT(config_parse("db = a\0b\n", 9, "k.conf", keys, v, &e), -1);
		T_OK(strstr(e.msg, "NUL") != NULL);
		free_values(v);
	}
}

T_TEST(long_line)
{
	/* a value longer than any line buffer is read whole */
	struct buf b = BUF_INIT;
	char *v[3] = { NULL, NULL, NULL };
	struct kerr e = KERR_INIT;
	size_t i;
	buf_puts(&b, "db = sqlite:");
	for (i = 0; i < 5000; i++)
		buf_putc(&b, 'a');
	buf_puts(&b, "\nthreads = 3\n");
	T_EQ_INT(config_parse(b.ptr, b.len, "k.conf", keys, v, &e), 0);
	T_EQ_INT(strlen(v[0]), 5007);
	T_EQ_STR(v[2], "3");
	free_values(v);
	buf_release(&b);
}

T_TEST(missing_file)
{
	char *v[3] = { NULL, NULL, NULL };
	struct kerr e = KERR_INIT;
	T_EQ_INT(config_load("/nonexistent/klaster.conf", keys, v, &e), -1);
	T_EQ_INT(e.kind, KERR_IO);
	T_OK(strstr(e.msg, "/nonexistent/klaster.conf") != NULL);
}

int main(void)
{
	T_RUN(parse);
	T_RUN(earlier_sources_win);
	T_RUN(empty_value);
	T_RUN(errors);
	T_RUN(long_line);
	T_RUN(missing_file);
	return t_done();
}
