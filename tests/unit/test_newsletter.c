/* test_newsletter.c — unit tests for the newsletter (newsletter.h): form
 * validation, the RFC 8058 body parser, the mail body, and the whole flow
 * on an in-memory SQLite database (double opt-in, an all-or-nothing send,
 * 409 on a second send, unsubscribe links). */
#include "newsletter.h"

#include "auth.h"
#include "esc.h"
#include "t.h"

static int starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

T_TEST(subscribe_validate)
{
	struct kerr e = KERR_INIT;
	char email[256];
	T_EQ_INT(nl_subscribe_validate("  Ala@Example.ORG ", "1", NL_CONSENT_VERSION, email, &e), 0);
	T_EQ_STR(email, "ala@example.org");
	T_EQ_INT(nl_subscribe_validate("ala@example.org", "on", NULL, email, &e), 0);
	T_EQ_INT(nl_subscribe_validate("ala@example.org", NULL, NL_CONSENT_VERSION, email, &e), -1);
	T_OK(starts(e.msg, "consent: "));
	T_EQ_INT(nl_subscribe_validate("ala@example.org", "0", NL_CONSENT_VERSION, email, &e), -1);
	T_OK(starts(e.msg, "consent: "));
	T_EQ_INT(nl_subscribe_validate("ala@example.org", "1", "2020-01-v0", email, &e), -1);
	T_OK(starts(e.msg, "consent: "));
	T_EQ_INT(nl_subscribe_validate("ala at example.org", "1", NULL, email, &e), -1);
	T_OK(starts(e.msg, "email: "));
	T_EQ_INT(nl_subscribe_validate("", "1", NULL, email, &e), -1);
	T_OK(starts(e.msg, "email: "));
	T_OK(strcmp(nl_consent_text("pl"), nl_consent_text("en")) != 0);
	T_OK(strstr(nl_consent_text("pl"), "wypisz się") != NULL);
	T_OK(nl_consent_text(NULL) == nl_consent_text("pl"));
}

T_TEST(campaign_form)
{
	struct kerr e = KERR_INIT;
	struct nl_campaign c;
	const char *arts[] = { "12", "7", "12" }, *offs[] = { "3" }, *bad[] = { "x1" }, *zero[] = { "0" };
	const char *many[NL_ITEMS_MAX + 1];
	char nums[NL_ITEMS_MAX + 1][8];
	char subj[3 * NL_SUBJECT_MAX + 8] = "";
	size_t i;
	nl_campaign_init(&c);
	T_EQ_INT(nl_campaign_from_form(&c, "  News of May ", "Hi,\r\nall\r\n\r\n", "en", arts, 3, offs, 1, &e), 0);
	T_EQ_STR(c.subject, "News of May");
	T_EQ_STR(c.intro, "Hi,\nall");
	T_EQ_STR(c.lang, "en");
	T_EQ_INT(c.narticles, 2);          /* the duplicate is dropped, the order kept */
	T_EQ_INT(c.articles[0], 12);
	T_EQ_INT(c.articles[1], 7);
	T_EQ_INT(c.noffers, 1);
	T_EQ_INT(c.offers[0], 3);
	T_EQ_INT(nl_campaign_from_form(&c, "", "x", "pl", NULL, 0, NULL, 0, &e), -1);
	T_OK(starts(e.msg, "subject: "));
	T_EQ_INT(nl_campaign_from_form(&c, "two\r\nlines", "x", "pl", NULL, 0, NULL, 0, &e), -1);
	T_OK(starts(e.msg, "subject: "));
	for (i = 0; i < NL_SUBJECT_MAX; i++)   /* 200 two-byte characters are fine */
		memcpy(subj + 2 * i, "ż", 2);
	subj[2 * NL_SUBJECT_MAX] = '\0';
	T_EQ_INT(nl_campaign_from_form(&c, subj, "x", "pl", NULL, 0, NULL, 0, &e), 0);
	memcpy(subj + 2 * NL_SUBJECT_MAX, "a", 2);
	T_EQ_INT(nl_campaign_from_form(&c, subj, "x", "pl", NULL, 0, NULL, 0, &e), -1);
	T_OK(starts(e.msg, "subject: "));
	T_EQ_INT(nl_campaign_from_form(&c, "s", "x", "de", NULL, 0, NULL, 0, &e), -1);
	T_OK(starts(e.msg, "lang: "));
	T_EQ_INT(nl_campaign_from_form(&c, "s", "", "pl", bad, 1, NULL, 0, &e), -1);
	T_OK(starts(e.msg, "articles: "));
	T_EQ_INT(nl_campaign_from_form(&c, "s", "", "pl", NULL, 0, zero, 1, &e), -1);
	T_OK(starts(e.msg, "offers: "));
	T_EQ_INT(nl_campaign_from_form(&c, "s", " \r\n", "pl", NULL, 0, NULL, 0, &e), -1);
	T_OK(starts(e.msg, "articles: "));       /* nothing to send */
	for (i = 0; i <= NL_ITEMS_MAX; i++) {
		snprintf(nums[i], sizeof(nums[i]), "%zu", i + 1);
		many[i] = nums[i];
	}
	T_EQ_INT(nl_campaign_from_form(&c, "s", "", "pl", many, NL_ITEMS_MAX, NULL, 0, &e), 0);
	T_EQ_INT(nl_campaign_from_form(&c, "s", "", "pl", many, NL_ITEMS_MAX + 1, NULL, 0, &e), -1);
	T_OK(starts(e.msg, "articles: "));
	{
		struct buf big = BUF_INIT;
		for (i = 0; i <= NL_INTRO_MAX; i++)
			buf_putc(&big, 'a');
		T_EQ_INT(nl_campaign_from_form(&c, "s", big.ptr, "pl", NULL, 0, NULL, 0, &e), -1);
		T_OK(starts(e.msg, "intro: "));
		buf_release(&big);
	}
	nl_campaign_release(&c);
}

static int oc(const char *ctype, const char *body)
{
	return nl_oneclick_body(ctype, body, body ? strlen(body) : 0);
}

T_TEST(oneclick)
{
	const char *form = "application/x-www-form-urlencoded";
	T_EQ_INT(oc(form, "List-Unsubscribe=One-Click"), 1);
	T_EQ_INT(oc("application/x-www-form-urlencoded; charset=utf-8", "via=page&List-Unsubscribe=One-Click"), 1);
	T_EQ_INT(oc(NULL, "List-Unsubscribe=One-Click"), 1);
	T_EQ_INT(oc(form, "List-Unsubscribe=One%2DClick"), 1);
	T_EQ_INT(oc(form, "List-Unsubscribe=one-click"), 0);
	T_EQ_INT(oc(form, "List-Unsubscribe="), 0);
	T_EQ_INT(oc(form, ""), 0);
	T_EQ_INT(oc(form, NULL), 0);
	T_EQ_INT(oc("text/plain", "List-Unsubscribe=One-Click"), 0);
	T_EQ_INT(oc(form, "List-Unsubscribe=One-Click%00"), 0);
	T_EQ_INT(oc("multipart/form-data; boundary=AaB03x",
		    "--AaB03x\r\nContent-Disposition: form-data; name=\"List-Unsubscribe\"\r\n\r\nOne-Click\r\n--AaB03x--\r\n"), 1);
	T_EQ_INT(oc("multipart/form-data; charset=utf-8; boundary=\"a b\"",
		    "preamble\r\n--a b\r\nContent-Disposition: form-data; name=\"other\"\r\n\r\nx\r\n"
		    "--a b\r\nContent-Type: text/plain\r\ncontent-disposition: form-data; name=\"List-Unsubscribe\"\r\n\r\n"
		    "One-Click\r\n--a b--"), 1);
	T_EQ_INT(oc("multipart/form-data; boundary=B",
		    "--B\r\nContent-Disposition: form-data; name=\"List-Unsubscribe\"\r\n\r\nOne-Click\r\n"), 0);   /* unclosed */
	T_EQ_INT(oc("multipart/form-data; boundary=B",
		    "--B\r\nContent-Disposition: form-data; name=\"List-Unsubscribe\"\r\n\r\nNo\r\n--B--"), 0);
	T_EQ_INT(oc("multipart/form-data; boundary=B",
		    "--B\r\nContent-Disposition: form-data; filename=\"List-Unsubscribe\"\r\n\r\nOne-Click\r\n--B--"), 0);
	T_EQ_INT(oc("multipart/form-data; boundary=B",
		    "--B\r\nContent-Disposition: form-data; name=\"xList-Unsubscribe\"\r\n\r\nOne-Click\r\n--B--"), 0);
	T_EQ_INT(oc("multipart/form-data", "--B\r\n\r\nOne-Click\r\n--B--"), 0);          /* no boundary */
	T_EQ_INT(oc("multipart/form-data; boundary=", "--\r\n"), 0);
	T_EQ_INT(oc("multipart/form-data; boundary=B", "--B"), 0);
	T_EQ_INT(oc("multipart/form-data; boundary=B", "--B\r\n"), 0);
}

T_TEST(body)
{
	struct buf b = BUF_INIT, h = BUF_INIT, u = BUF_INIT;
	struct buf lead = BUF_INIT;
	struct nl_item items[3];
	size_t i;
	memset(items, 0, sizeof(items));
	items[0].is_offer = 1;
	items[0].id = 9;
	items[0].title = "CNC\npartner";
	items[0].summary = "Firma Sp. z o.o.";
	items[0].until = "2099-12-31";
	items[1].id = 4;
	items[1].title = "Award <b>";
	for (i = 0; i < 400; i++)
		buf_puts(&lead, "ł");
	items[1].summary = lead.ptr;
	items[2].id = 5;
	items[2].title = "Second";
	nl_unsub_url(&u, "http://x.example", "abc");
	T_EQ_STR(u.ptr, "http://x.example/newsletter/unsubscribe?t=abc");
	nl_unsub_headers(&h, u.ptr);
	T_EQ_STR(h.ptr, "List-Unsubscribe: <http://x.example/newsletter/unsubscribe?t=abc>\r\n"
			"List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n");
	nl_body_write(&b, "en", "Hello\r\nall", items, 3, "http://x.example", u.ptr, "Cluster K");
	T_OK(starts(b.ptr, "Hello\nall\n\nNEWS\n\n* Award <b>\n"));
	T_OK(strstr(b.ptr, "  http://x.example/news/4\n") != NULL);
	T_OK(strstr(b.ptr, "* Second\n  http://x.example/news/5\n") != NULL);
	/* news before offers, whatever the order given */
	T_OK(strstr(b.ptr, "COOPERATION OFFERS\n\n* CNC partner\n  Firma Sp. z o.o. (valid until 2099-12-31)\n"
			   "  http://x.example/offers/9\n") > strstr(b.ptr, "NEWS"));
	T_OK(strstr(b.ptr, "issued by Cluster K") != NULL);
	T_OK(strstr(b.ptr, "Unsubscribe with one click: http://x.example/newsletter/unsubscribe?t=abc\n") != NULL);
	T_OK(strchr(b.ptr, '\r') == NULL);
	T_OK(utf8_valid(b.ptr, b.len));
	/* a long lead is cut to 300 characters at a character boundary */
	{
		const char *l = strstr(b.ptr, "  łł"), *end = l ? strchr(l, '\n') : NULL;
		T_OK(l && end && (size_t)(end - l) == 2 + 299 * 2 + strlen("…"));
	}
	buf_reset(&b);
	nl_body_write(&b, "pl", "", items + 2, 1, "http://x.example", u.ptr, NULL);
	T_OK(starts(b.ptr, "AKTUALNOŚCI\n\n* Second\n"));
	T_OK(strstr(b.ptr, "OFERTY") == NULL);
	T_OK(strstr(b.ptr, "Wypisz się jednym kliknięciem: http://x.example/newsletter/unsubscribe?t=abc") != NULL);
	buf_release(&b);
	buf_release(&h);
	buf_release(&u);
	buf_release(&lead);
}

/* ---- on a database ---- */

static long long q(struct db *db, const char *sql, const char *arg)
{
	long long v = -1;
	struct kerr e = KERR_INIT;
	if (db_query_int(db, &v, &e, sql, arg, NULL) < 0)
		printf("# %s\n", e.msg);
	return v;
}

/* The text after key in the newest mail of kind, up to 64 hex digits. */
static void token_in_mail(struct db *db, const char *kind, const char *col, const char *key, char out[AUTH_TOKEN_LEN + 1])
{
	struct kerr e = KERR_INIT;
	struct db_stmt *st;
	char sql[160];
	out[0] = '\0';
	snprintf(sql, sizeof(sql), "SELECT %s FROM mail_queue WHERE kind = ? ORDER BY id DESC LIMIT 1", col);
	if (db_prepare(db, sql, &st, &e))
		return;
	db_bind_text(st, 1, kind);
	if (db_step(st, &e) == 1 && db_col_text(st, 0)) {
		const char *p = strstr(db_col_text(st, 0), key);
		if (p && strlen(p + strlen(key)) >= AUTH_TOKEN_LEN) {
			memcpy(out, p + strlen(key), AUTH_TOKEN_LEN);
			out[AUTH_TOKEN_LEN] = '\0';
		}
	}
	db_finalize(st);
}

T_TEST(flow)
{
	struct kerr e = KERR_INIT;
	struct db *db = NULL;
	struct nl_actor a = { 0, "192.0.2.1", "http://portal.example" };
	enum nl_sub_outcome out = 0;
	char token[AUTH_TOKEN_LEN + 1], email[256], cid_s[32], kind[48];
	struct nl_campaign c;
	struct nl_subscriber s;
	long long n = 0;
	int subscribed = 0;
	const char *arts[] = { "1" };

	if (!T_OK(db_open(&db, "sqlite::memory:", &e) == 0 && db_migrate(db, NULL, &e) == 0)) {
		printf("# %s\n", e.msg);
		return;
	}
	T_EQ_INT(nl_subscribe(db, &a, "x@example.org", "en", &out, &e), 0);
	T_EQ_INT(out, NL_SUB_NEW);
	T_EQ_INT(q(db, "SELECT COUNT(*) FROM newsletter_subscriber WHERE email = 'x@example.org' AND status = 'pending'"
		      " AND request_ip = '192.0.2.1' AND consent_version = ?", NL_CONSENT_VERSION), 1);
	token_in_mail(db, "newsletter-confirm", "body", "/newsletter/confirm?token=", token);
	T_EQ_INT(nl_confirm_check(db, token, &e), 1);
	T_EQ_INT(nl_subscribe(db, &a, "x@example.org", "en", &out, &e), 0);
	T_EQ_INT(out, NL_SUB_PENDING);
	/* the second request's link replaces the first: the record describes the request confirmed */
	T_EQ_INT(nl_confirm_check(db, token, &e), 0);
	T_EQ_INT(nl_confirm(db, &a, token, email, &subscribed, &e), -1);
	T_EQ_INT(e.kind, KERR_AUTH);
	T_EQ_INT(q(db, "SELECT COUNT(*) FROM newsletter_subscriber WHERE email = 'x@example.org' AND status = 'pending'",
		   NULL), 1);
	T_EQ_INT(q(db, "SELECT COUNT(*) FROM mail_queue WHERE kind = ?", "newsletter-confirm"), 2);
	token_in_mail(db, "newsletter-confirm", "body", "/newsletter/confirm?token=", token);
	T_EQ_INT(nl_confirm(db, &a, token, email, &subscribed, &e), 0);
	T_EQ_STR(email, "x@example.org");
	T_EQ_INT(subscribed, 1);
	T_EQ_INT(nl_confirm(db, &a, token, email, &subscribed, &e), -1);
	T_EQ_INT(e.kind, KERR_AUTH);
	T_EQ_INT(nl_subscribe(db, &a, "x@example.org", "en", &out, &e), 0);
	T_EQ_INT(out, NL_SUB_ALREADY);
	T_EQ_INT(q(db, "SELECT COUNT(*) FROM mail_queue WHERE kind = ?", "newsletter-already"), 1);

	/* a campaign from one published article */
	T_EQ_INT(db_exec(db, "INSERT INTO article (title, lead, body_md, status, published_at, created_at, updated_at)"
			     " VALUES ('Article one', 'Lead', 'body', 'published', 1, 1, 1)", &e), 0);
	nl_campaign_init(&c);
	T_EQ_INT(nl_campaign_from_form(&c, "Issue", "Hello", "en", arts, 1, NULL, 0, &e), 0);
	T_EQ_INT(nl_campaign_save(db, &a, &c, &e), 0);
	T_OK(c.id > 0);
	snprintf(cid_s, sizeof(cid_s), "%lld", c.id);
	snprintf(kind, sizeof(kind), "newsletter:%lld", c.id);

	/* a test to the sender's address: one mail, marked, the campaign still a draft */
	T_EQ_INT(nl_campaign_test(db, &a, c.id, "editor@example.org", &e), 0);
	T_EQ_INT(q(db, "SELECT COUNT(*) FROM mail_queue WHERE to_addr = 'editor@example.org' AND subject = '[TEST] Issue'"
		      " AND kind LIKE 'newsletter-test:%'", NULL), 1);
	T_EQ_INT(q(db, "SELECT COUNT(*) FROM newsletter_campaign WHERE id = ? AND status = 'draft'", cid_s), 1);

	/* no confirmed subscriber: nothing is done, the campaign stays a draft */
	T_EQ_INT(db_exec(db, "UPDATE newsletter_subscriber SET status = 'unsubscribed'", &e), 0);
	T_EQ_INT(nl_campaign_send(db, &a, c.id, &n, &e), -1);
	T_EQ_INT(e.kind, KERR_INPUT);
	T_OK(strstr(e.msg, "no subscriber has confirmed yet") != NULL);
	T_EQ_INT(q(db, "SELECT COUNT(*) FROM newsletter_campaign WHERE id = ? AND status = 'draft'", cid_s), 1);
	T_EQ_INT(db_exec(db, "UPDATE newsletter_subscriber SET status = 'confirmed'", &e), 0);

	/* one subscriber whose address cannot take mail: nothing is queued at all */
	T_EQ_INT(db_exec(db, "INSERT INTO newsletter_subscriber (email, status, consent_version, requested_at)"
			     " VALUES ('not an address', 'confirmed', 'v', 1)", &e), 0);
	T_EQ_INT(nl_campaign_send(db, &a, c.id, &n, &e), -1);
	T_EQ_INT(q(db, "SELECT COUNT(*) FROM newsletter_campaign WHERE id = ? AND status = 'draft'", cid_s), 1);
	T_EQ_INT(q(db, "SELECT COUNT(*) FROM newsletter_delivery WHERE campaign_id = ?", cid_s), 0);
	T_EQ_INT(q(db, "SELECT COUNT(*) FROM mail_queue WHERE kind = ?", kind), 0);
	T_EQ_INT(db_exec(db, "DELETE FROM newsletter_subscriber WHERE email = 'not an address'", &e), 0);

	T_EQ_INT(nl_campaign_send(db, &a, c.id, &n, &e), 0);
	T_EQ_INT(n, 1);
	T_EQ_INT(nl_campaign_send(db, &a, c.id, &n, &e), -1);
	T_EQ_INT(e.kind, KERR_CONFLICT);
	T_EQ_INT(nl_campaign_send(db, &a, 999, &n, &e), -1);
	T_EQ_INT(e.kind, KERR_NOTFOUND);
	T_EQ_INT(nl_campaign_save(db, &a, &c, &e), -1);
	T_EQ_INT(e.kind, KERR_CONFLICT);
	T_EQ_INT(q(db, "SELECT COUNT(*) FROM mail_queue WHERE kind = ?", kind), 1);

	/* the personal link: in the header and the body, stored only as a hash */
	{
		char in_body[AUTH_TOKEN_LEN + 1];
		token_in_mail(db, kind, "headers", "/newsletter/unsubscribe?t=", token);
		token_in_mail(db, kind, "body", "/newsletter/unsubscribe?t=", in_body);
		T_OK(auth_token_ok(token));
		T_EQ_STR(in_body, token);
		T_EQ_INT(q(db, "SELECT COUNT(*) FROM newsletter_delivery WHERE unsub_hash = ?", token), 0);
	}
	T_EQ_INT(nl_unsub_find(db, token, &s, &e), 1);
	T_EQ_STR(s.email, "x@example.org");
	T_EQ_INT(nl_unsubscribe(db, &a, token, "one-click", &s, &e), 0);
	T_EQ_STR(s.status, "unsubscribed");
	T_EQ_INT(nl_unsubscribe(db, &a, token, "one-click", &s, &e), 0);
	T_EQ_INT(q(db, "SELECT COUNT(*) FROM audit_log WHERE action = ?", "newsletter-unsubscribe"), 1);
	T_EQ_INT(nl_unsubscribe(db, &a, "00", "one-click", &s, &e), -1);
	T_EQ_INT(e.kind, KERR_NOTFOUND);

	/* asking again starts a new double opt-in */
	T_EQ_INT(nl_subscribe(db, &a, "x@example.org", "pl", &out, &e), 0);
	T_EQ_INT(out, NL_SUB_NEW);
	T_EQ_INT(q(db, "SELECT COUNT(*) FROM newsletter_subscriber WHERE status = ? AND unsubscribed_at IS NULL"
		      " AND confirmed_at IS NULL", "pending"), 1);
	nl_campaign_release(&c);
	db_close(db);
}

int main(void)
{
	T_RUN(subscribe_validate);
	T_RUN(campaign_form);
	T_RUN(oneclick);
	T_RUN(body);
	T_RUN(flow);
	return t_done();
}
