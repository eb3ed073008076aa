/* test_portal.c — form bodies, tokens, addresses, passwords and the text
 * of outgoing mail (form.c, auth.c, mailq.c); no database needed. */
#include <sodium.h>

#include "t.h"
#include "audit.h"

#include "auth.h"
#include "form.h"
#include "mailq.h"

T_TEST(form_basic)
{
	struct form f;
	const char *all[4];
	const char *body = "a=1&b=x+y&c=%C5%81%C3%B3d%C5%BA&empty=&flag&a=2&&=nameless";
	T_EQ_INT(form_parse(&f, body, strlen(body), NULL), 0);
	T_EQ_STR(form_get(&f, "a"), "1");
	T_EQ_STR(form_get(&f, "b"), "x y");
	T_EQ_STR(form_get(&f, "c"), "Łódź");
	T_EQ_STR(form_get(&f, "empty"), "");
	T_EQ_STR(form_get(&f, "flag"), "");
	T_OK(form_get(&f, "missing") == NULL);
	T_EQ_INT(form_all(&f, "a", all, 4), 2);
	T_EQ_STR(all[1], "2");
	T_EQ_STR(form_get(&f, ""), "nameless");
	form_release(&f);
}

T_TEST(form_bad)
{
	struct form f;
	struct kerr e = KERR_INIT;
	struct buf big = BUF_INIT;
	int i;
	T_EQ_INT(form_parse(&f, "a=%00b", 6, &e), -1);
	T_OK(strstr(e.msg, "'a'") && strstr(e.msg, "NUL"));
	form_release(&f);
	T_EQ_INT(form_parse(&f, "name=%FF%FE", 11, &e), -1);
	T_OK(strstr(e.msg, "'name'") && strstr(e.msg, "UTF-8"));
	form_release(&f);
	T_EQ_INT(form_parse(&f, "a=b\0c", 5, &e), -1);
	form_release(&f);
	/* a bad %-sequence is kept as written */
	T_EQ_INT(form_parse(&f, "p=100%25&q=%zz", 14, NULL), 0);
	T_EQ_STR(form_get(&f, "p"), "100%");
	T_EQ_STR(form_get(&f, "q"), "%zz");
	form_release(&f);
	for (i = 0; i <= FORM_MAX; i++)
		buf_printf(&big, "f%d=%d&", i, i);
	T_EQ_INT(form_parse(&f, big.ptr, big.len, &e), -1);
	T_EQ_INT(e.kind, KERR_TOOBIG);
	form_release(&f);
	buf_release(&big);
}

/* A multipart body as Chromium sends it: CR LF, the boundary after "--". */
#define MP_CT "multipart/form-data; boundary=----WebKitFormBoundaryX3a"
#define MP_B "------WebKitFormBoundaryX3a"

T_TEST(form_multipart)
{
	struct form f;
	struct kerr e = KERR_INIT;
	const struct form_file *ff;
	static const char body[] =
		"preamble to be ignored\r\n"
		MP_B "\r\n"
		"Content-Disposition: form-data; name=\"csrf\"\r\n\r\n"
		"abc123\r\n"
		MP_B "\r\n"
		"content-disposition: form-data; name=\"title\"\r\n\r\n"
		"Zatrudnienie \xc5\x81\xc3\xb3" "d\xc5\xba\r\nline 2\r\n"
		MP_B "\r\n"
		"Content-Disposition: form-data; name=\"file\"; filename=\"C:\\\\dane\\\\stats;1.csv\"\r\n"
		"Content-Type: text/csv\r\n\r\n"
		"region,industry,employment\r\n02,C,1\0x\r\n"
		MP_B "\r\n"
		"Content-Disposition: form-data; name=\"empty\"\r\n\r\n"
		"\r\n"
		MP_B "\r\n"
		"Content-Disposition: form-data; name=\"nofile\"; filename=\"\"\r\n"
		"Content-Type: application/octet-stream\r\n\r\n"
		"\r\n"
		MP_B "--\r\n"
		"epilogue";
	T_EQ_INT(form_parse_multipart(&f, MP_CT, body, sizeof(body) - 1, &e), 0);
	T_EQ_STR(form_get(&f, "csrf"), "abc123");
	T_EQ_STR(form_get(&f, "title"), "Zatrudnienie \xc5\x81\xc3\xb3" "d\xc5\xba\r\nline 2");
	T_EQ_STR(form_get(&f, "empty"), "");
	T_OK(form_get(&f, "file") == NULL);
	T_OK(form_get(&f, "nofile") == NULL);
	T_EQ_INT(f.nfiles, 1);
	T_OK((ff = form_file(&f, "file")) != NULL);
	if (ff) {
		T_EQ_STR(ff->filename, "stats;1.csv");
		/* the bytes as sent, NUL included, sliced out of the body */
		T_EQ_INT(ff->len, 36);
		T_OK(ff->data > body && ff->data < body + sizeof(body));
		T_OK(memcmp(ff->data, "region,industry,employment\r\n02,C,1\0x", 36) == 0);
	}
	T_OK(form_file(&f, "nofile") == NULL);
	form_release(&f);
	/* a quoted boundary; no CR LF before the first delimiter */
	{
		static const char b2[] = "--b\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n--b--";
		T_EQ_INT(form_parse_multipart(&f, "multipart/form-data; charset=utf-8; BOUNDARY=\"b\"", b2,
					      sizeof(b2) - 1, &e), 0);
		T_EQ_STR(form_get(&f, "a"), "1");
		form_release(&f);
	}
}

T_TEST(form_multipart_bad)
{
	static const struct {
		const char *ct, *body, *says;
		int kind;
	} bad[] = {
		{ "multipart/form-data", "--b\r\n", "boundary", KERR_INPUT },
		{ "multipart/form-data; boundary=", "--b\r\n", "boundary", KERR_INPUT },
		{ "multipart/form-data; boundary=b", "no delimiter at all", "no part", KERR_INPUT },
		/* cut short: in a part's text, in its headers, right after a delimiter */
		{ "multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; name=a\r\n\r\n12", "cut short", KERR_INPUT },
		{ "multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-da", "cut short", KERR_INPUT },
		{ "multipart/form-data; boundary=b", "--b", "cut short", KERR_INPUT },
		{ "multipart/form-data; boundary=b", "--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b--", "Content-Disposition", KERR_INPUT },
		{ "multipart/form-data; boundary=b", "--b\r\nContent-Disposition: attachment; name=a\r\n\r\nx\r\n--b--", "named form field", KERR_INPUT },
		{ "multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; name=a\r\n\r\n\xff\r\n--b--", "'a' is not valid UTF-8", KERR_INPUT },
		{ "multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; name=\"a\"; filename=\"\xc5\"\r\n\r\nx\r\n--b--", "file in field 'a'", KERR_INPUT },
	};
	struct form f;
	struct kerr e;
	size_t k;
	struct buf big = BUF_INIT;
	int i;
	for (k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
		e = (struct kerr)KERR_INIT;
		T_EQ_INT(form_parse_multipart(&f, bad[k].ct, bad[k].body, strlen(bad[k].body), &e), -1);
		if (!T_OK((int)e.kind == bad[k].kind && strstr(e.msg, bad[k].says)))
			printf("#   %s\n", e.msg);
		form_release(&f);
	}
	/* a NUL in a text field */
	{
		static const char nul[] = "--b\r\nContent-Disposition: form-data; name=a\r\n\r\nx\0y\r\n--b--";
		T_EQ_INT(form_parse_multipart(&f, "multipart/form-data; boundary=b", nul, sizeof(nul) - 1, &e), -1);
	}
	T_OK(strstr(e.msg, "NUL") != NULL);
	form_release(&f);
	/* too many files */
	for (i = 0; i <= FORM_MAX_FILES; i++)
		buf_printf(&big, "--b\r\nContent-Disposition: form-data; name=f%d; filename=x%d.csv\r\n\r\n%d\r\n", i, i, i);
	buf_puts(&big, "--b--\r\n");
	T_EQ_INT(form_parse_multipart(&f, "multipart/form-data; boundary=b", big.ptr, big.len, &e), -1);
	T_EQ_INT(e.kind, KERR_TOOBIG);
	form_release(&f);
	buf_release(&big);
}

T_TEST(tokens)
{
	char tok[AUTH_TOKEN_LEN + 1], hash[AUTH_TOKEN_LEN + 1], again[AUTH_TOKEN_LEN + 1], other[AUTH_TOKEN_LEN + 1];
	auth_token_new(tok, hash);
	auth_token_new(other, NULL);
	T_OK(auth_token_ok(tok));
	T_OK(strcmp(tok, other) != 0);
	T_OK(strcmp(tok, hash) != 0);
	auth_token_hash(tok, again);
	T_EQ_STR(again, hash);
	T_OK(!auth_token_ok(NULL));
	T_OK(!auth_token_ok("abc"));
	tok[5] = 'G';
	T_OK(!auth_token_ok(tok));
}

T_TEST(emails)
{
	char out[256];
	struct kerr e = KERR_INIT;
	T_EQ_INT(auth_email_norm("  Ala.Kowalska@Example.PL ", out, "email", &e), 0);
	T_EQ_STR(out, "ala.kowalska@example.pl");
	T_EQ_INT(auth_email_norm("", out, "email", &e), -1);
	T_OK(strncmp(e.msg, "email: ", 7) == 0);
	T_EQ_INT(auth_email_norm("a@b", out, "email", &e), -1);
	T_EQ_INT(auth_email_norm("Ala <ala@example.pl>", out, "email", &e), -1);
	T_EQ_INT(auth_email_norm("ala@example.pl\r\nBcc: x@example.pl", out, "email", &e), -1);
}

T_TEST(passwords)
{
	struct kerr e = KERR_INIT;
	char big[AUTH_PW_MAX + 2];
	T_EQ_INT(auth_password_policy("correct horse", "a@example.pl", &e), 0);
	T_EQ_INT(auth_password_policy("short", NULL, &e), -1);
	T_OK(strstr(e.msg, "password") && strstr(e.msg, "10"));
	/* characters, not bytes: nine Polish letters are still too short */
	T_EQ_INT(auth_password_policy("ąęółżźćńś", NULL, &e), -1);
	T_EQ_INT(auth_password_policy("ąęółżźćńśa", NULL, &e), 0);
	T_EQ_INT(auth_password_policy("A@Example.pl", "a@example.pl", &e), -1);
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	T_EQ_INT(auth_password_policy(big, NULL, &e), -1);
	T_EQ_INT(auth_password_policy("\xff\xfe long enough", NULL, &e), -1);
	/* too easy to guess: few different characters (counted as characters, not bytes) */
	T_EQ_INT(auth_password_policy("aaaaaaaaaa", NULL, &e), -1);
	T_OK(strstr(e.msg, "password:") && strstr(e.msg, "5 different characters"));
	T_EQ_INT(auth_password_policy("ababababab", NULL, &e), -1);
	T_EQ_INT(auth_password_policy("abcdabcdabcd", NULL, &e), -1);
	T_EQ_INT(auth_password_policy("ąęąęąęąęąęąę", NULL, &e), -1);
	T_EQ_INT(auth_password_policy("abcdeabcde", NULL, &e), 0);
	T_EQ_INT(auth_password_policy("ąęółżąęółż", NULL, &e), 0);
	/* the most common passwords, in any case */
	T_EQ_INT(auth_password_policy("1234567890", NULL, &e), -1);
	T_OK(strstr(e.msg, "password:") && strstr(e.msg, "most common"));
	T_EQ_INT(auth_password_policy("QwertyUIOP", NULL, &e), -1);
	T_EQ_INT(auth_password_policy("Password123", NULL, &e), -1);
	T_EQ_INT(auth_password_policy("password1234567", NULL, &e), 0);
	/* the address, or its part before the @ */
	T_EQ_INT(auth_password_policy("Ala.Kowalska", "ala.kowalska@example.pl", &e), -1);
	T_OK(strstr(e.msg, "e-mail address"));
	T_EQ_INT(auth_password_policy("ala.kowalska1", "ala.kowalska@example.pl", &e), 0);
}

T_TEST(roles)
{
	struct user admin = { .role = "admin" }, coord = { .role = "coordinator", .cluster_id = 3 },
		    ed = { .role = "editor", .org_id = 7 }, user = { .role = "user", .org_id = 7, .cluster_id = 3 };
	T_OK(auth_can_coordinate(&admin, 3) && auth_can_coordinate(&coord, 3));
	T_OK(!auth_can_coordinate(&coord, 4) && !auth_can_coordinate(&ed, 3) && !auth_can_coordinate(&user, 3));
	T_OK(!auth_can_coordinate(NULL, 3));
	T_OK(auth_can_edit_org(&admin, 7) && auth_can_edit_org(&ed, 7));
	T_OK(!auth_can_edit_org(&ed, 8) && !auth_can_edit_org(&user, 7) && !auth_can_edit_org(&coord, 7));
	T_OK(auth_is_moderator(&coord) && auth_is_moderator(&admin) && !auth_is_moderator(&ed));
	T_OK(auth_role_ok("editor") && !auth_role_ok("root") && !auth_role_ok(NULL));
}

T_TEST(compose)
{
	struct mail_cfg cfg = { .from = "klaster <noreply@example.pl>" };
	struct buf m = BUF_INIT;
	mail_compose(&cfg, "ala@example.pl", "Zażółć gęślą jaźń — potwierdź adres e-mail w portalu klastra",
		     "line one\nline two\n.starts with a dot", "List-Unsubscribe: <http://x/u?t=1>\r\n",
		     "<abc@klaster>", 0, &m);
	T_OK(strstr(m.ptr, "From: klaster <noreply@example.pl>\r\n") != NULL);
	T_OK(strstr(m.ptr, "To: ala@example.pl\r\n") != NULL);
	T_OK(strstr(m.ptr, "Subject: =?UTF-8?B?") != NULL);
	T_OK(strstr(m.ptr, "?=\r\n =?UTF-8?B?") != NULL);      /* folded into several encoded words */
	T_OK(strstr(m.ptr, "Date: Thu, 01 Jan 1970 00:00:00 +0000\r\n") != NULL);
	T_OK(strstr(m.ptr, "Message-ID: <abc@klaster>\r\n") != NULL);
	T_OK(strstr(m.ptr, "List-Unsubscribe: <http://x/u?t=1>\r\n\r\nline one\r\nline two\r\n.starts with a dot\r\n") != NULL);
	T_OK(strchr(strstr(m.ptr, "\r\n\r\n") + 4, '\n')[-1] == '\r');
	buf_release(&m);
	/* a plain ASCII subject stays as it is */
	mail_compose(&cfg, "a@example.pl", "Hello", "x", NULL, "<1@k>", 0, &m);
	T_OK(strstr(m.ptr, "Subject: Hello\r\n") != NULL);
	buf_release(&m);
}

T_TEST(enqueue_refuses_injection)
{
	struct kerr e = KERR_INIT;
	/* refused before the database is touched */
	T_EQ_INT(mail_enqueue(NULL, "t", "a@example.pl\r\nBcc: b@example.pl", "s", "b", NULL, &e), -1);
	T_EQ_INT(e.kind, KERR_INPUT);
	T_EQ_INT(mail_enqueue(NULL, "t", "a@example.pl, b@example.pl", "s", "b", NULL, &e), -1);
	T_EQ_INT(mail_enqueue(NULL, "t", "a@example.pl", "two\nlines", "b", NULL, &e), -1);
	T_EQ_INT(mail_enqueue(NULL, "t", "a@example.pl", "s", "b", "X-Bad header\r\n", &e), -1);
	T_EQ_INT(mail_enqueue(NULL, "t", "a@example.pl", "s", "b", "X-A: 1\nBcc: c@example.pl\r\n", &e), -1);
	T_EQ_INT(mail_enqueue(NULL, "t", "a@example.pl", "s", "b", "X-A: 1", &e), -1);
}

/* Quotes in Polish quotes become »…« (mail_enqueue writes every mail through it). */
T_TEST(mail_nested_quotes)
{
	struct buf b = BUF_INIT;
	mail_quotes_pl(&b, "klastra „Klaster Lotniczy „Podkarpackie Skrzydła”” i „Inny”.");
	T_EQ_STR(b.ptr, "klastra „Klaster Lotniczy »Podkarpackie Skrzydła«” i „Inny”.");
	buf_reset(&b);
	/* a quote left open ends with its line; text without quotes is unchanged */
	mail_quotes_pl(&b, "„otwarty „w środku”\n„nowy” wiersz\nbez cudzysłowów \"ASCII\"");
	T_EQ_STR(b.ptr, "„otwarty »w środku«\n„nowy” wiersz\nbez cudzysłowów \"ASCII\"");
	buf_reset(&b);
	mail_quotes_pl(&b, "”„a„b””");
	T_EQ_STR(b.ptr, "”„a»b«”");
	buf_release(&b);
}

/* The audit log's filter as a person types it: days in UTC, both ends included. */
T_TEST(audit_filter)
{
	struct audit_filter f;
	struct kerr e = KERR_INIT;
	const char *v[AUDIT_NCOLS];
	char when[20], uid[24], oid[24];
	struct audit_entry a = { 1, 86400, 0, "", "127.0.0.1", "login", "", 0, "x" };
	T_EQ_INT(audit_filter_parse(&f, NULL, NULL, NULL, NULL, NULL, NULL, &e), 0);
	T_OK(!audit_filter_any(&f));
	T_EQ_INT(audit_filter_parse(&f, " login ", "Ala@Example.PL", "user", "12", "1970-01-02", "2024-02-29", &e), 0);
	T_OK(audit_filter_any(&f));
	T_EQ_STR(f.action, "login");
	T_EQ_STR(f.user, "ala@example.pl");
	T_EQ_INT(f.object_id, 12);
	T_EQ_INT(f.at_from, 86400);
	T_EQ_INT(f.at_to, 1709164800LL + 86400);   /* 2024-03-01 00:00 UTC */
	T_EQ_INT(audit_filter_parse(&f, NULL, NULL, NULL, NULL, "2023-02-29", NULL, &e), -1);
	T_OK(strncmp(e.msg, "from: ", 6) == 0);
	T_EQ_INT(audit_filter_parse(&f, NULL, NULL, NULL, NULL, "2024-03-02", "2024-03-01", &e), -1);
	T_OK(strncmp(e.msg, "to: ", 4) == 0);
	T_EQ_INT(audit_filter_parse(&f, NULL, NULL, NULL, "7", NULL, NULL, &e), -1);
	T_OK(strncmp(e.msg, "object: ", 8) == 0);
	T_EQ_INT(audit_filter_parse(&f, NULL, NULL, "user", "0", NULL, NULL, &e), -1);
	T_EQ_INT(audit_filter_parse(&f, NULL, "#x", NULL, NULL, NULL, NULL, &e), -1);
	T_EQ_INT(audit_filter_parse(&f, "a\nb", NULL, NULL, NULL, NULL, NULL, &e), -1);
	audit_entry_values(&a, v, when, uid, oid);
	T_EQ_STR(v[0], "1970-01-02 00:00:00");
	T_EQ_STR(v[1], "");
	T_EQ_STR(v[4], "login");
}

int main(void)
{
	T_RUN(audit_filter);
	if (sodium_init() < 0)
		return 1;
	T_RUN(form_basic);
	T_RUN(form_bad);
	T_RUN(form_multipart);
	T_RUN(form_multipart_bad);
	T_RUN(tokens);
	T_RUN(emails);
	T_RUN(passwords);
	T_RUN(roles);
	T_RUN(compose);
	T_RUN(enqueue_refuses_injection);
	T_RUN(mail_nested_quotes);
	return t_done();
}
