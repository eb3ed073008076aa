/* test_esc.c — unit tests for the escaping module (esc.h). */
#include "esc.h"

#include "t.h"

/* Runs one escape over s and returns the result (static storage). */
static const char *run(void (*fn)(struct buf *, const char *), const char *s)
{
	static struct buf b = BUF_INIT;
	buf_reset(&b);
	fn(&b, s);
	return b.ptr;
}

static const char *decoded(const char *s)
{
	static char tmp[256];
	snprintf(tmp, sizeof(tmp), "%s", s);
	url_decode(tmp);
	return tmp;
}

T_TEST(html_specials)
{
	T_EQ_STR(run(esc_html, "a & b"), "a &amp; b");
	T_EQ_STR(run(esc_html, "<script>"), "&lt;script&gt;");
	T_EQ_STR(run(esc_html, "say \"hi\""), "say &quot;hi&quot;");
	T_EQ_STR(run(esc_html, "it's"), "it&#39;s");
	T_EQ_STR(run(esc_html, "&amp;"), "&amp;amp;");
	T_EQ_STR(run(esc_html, "plain text"), "plain text");
	T_EQ_STR(run(esc_html, ""), "");
	T_EQ_STR(run(esc_html, NULL), "");
}

T_TEST(html_utf8)
{
	T_EQ_STR(run(esc_html, "zażółć gęślą jaźń"), "zażółć gęślą jaźń");
	T_EQ_STR(run(esc_html, "€ 𝄞"), "€ 𝄞");
	/* invalid sequences become U+FFFD, one per bad byte */
	T_EQ_STR(run(esc_html, "a\xC3\x28z"), "a\xEF\xBF\xBD(z");
	T_EQ_STR(run(esc_html, "\xFF"), "\xEF\xBF\xBD");
	T_EQ_STR(run(esc_html, "\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");            /* overlong */
	T_EQ_STR(run(esc_html, "\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"); /* surrogate */
	T_EQ_STR(run(esc_html, "\xF4\x90\x80\x80"),
		 "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");                  /* > U+10FFFF */
	T_EQ_STR(run(esc_html, "ab\xE2\x82"), "ab\xEF\xBF\xBD\xEF\xBF\xBD");        /* truncated */
}

T_TEST(html_control)
{
	T_EQ_STR(run(esc_html, "a\tb\nc"), "a\tb\nc");
	T_EQ_STR(run(esc_html, "a\x01" "b"), "a\xEF\xBF\xBD" "b");
	T_EQ_STR(run(esc_html, "\x1b[0m"), "\xEF\xBF\xBD[0m");
	{
		struct buf b = BUF_INIT;
		esc_html_n(&b, "a\0<", 3);
		T_EQ_INT(b.len, 1 + 3 + 4);
		T_OK(memcmp(b.ptr, "a\xEF\xBF\xBD&lt;", 9) == 0);
		buf_reset(&b);
		esc_html_n(&b, "<b>", 2);      /* only n bytes */
		T_EQ_STR(b.ptr, "&lt;b");
		buf_release(&b);
	}
}

T_TEST(json)
{
	T_EQ_STR(run(esc_json, "abc"), "\"abc\"");
	T_EQ_STR(run(esc_json, ""), "\"\"");
	T_EQ_STR(run(esc_json, NULL), "\"\"");
	T_EQ_STR(run(esc_json, "a\"b\\c"), "\"a\\\"b\\\\c\"");
	T_EQ_STR(run(esc_json, "l1\nl2\r\t"), "\"l1\\nl2\\r\\t\"");
	T_EQ_STR(run(esc_json, "</script>"), "\"\\u003c/script\\u003e\"");
	T_EQ_STR(run(esc_json, "a&b"), "\"a\\u0026b\"");
	T_EQ_STR(run(esc_json, "\x01\x1f"), "\"\\u0001\\u001f\"");
	T_EQ_STR(run(esc_json, "Łódź"), "\"Łódź\"");
	T_EQ_STR(run(esc_json, "x\xFFy"), "\"x\\ufffdy\"");
	T_EQ_STR(run(esc_json, "/'"), "\"/'\"");
}

T_TEST(csv)
{
	T_EQ_STR(run(esc_csv, "plain"), "plain");
	T_EQ_STR(run(esc_csv, ""), "");
	T_EQ_STR(run(esc_csv, NULL), "");
	T_EQ_STR(run(esc_csv, "a,b"), "\"a,b\"");
	/* U+FEFF first: quoted, so that first in a file it is not taken for a byte-order mark */
	T_EQ_STR(run(esc_csv, "\xEF\xBB\xBFx"), "\"\xEF\xBB\xBFx\"");
	T_EQ_STR(run(esc_csv, "x\xEF\xBB\xBF"), "x\xEF\xBB\xBF");
	T_EQ_STR(run(esc_csv, "say \"hi\""), "\"say \"\"hi\"\"\"");
	T_EQ_STR(run(esc_csv, "two\nlines"), "\"two\nlines\"");
	T_EQ_STR(run(esc_csv, "cr\rhere"), "\"cr\rhere\"");
	T_EQ_STR(run(esc_csv, "Zakłady Mięsne"), "Zakłady Mięsne");
	/* formula injection is defused with a leading apostrophe */
	T_EQ_STR(run(esc_csv, "=SUM(A1:A9)"), "\"'=SUM(A1:A9)\"");
	T_EQ_STR(run(esc_csv, "+48 22 123"), "\"'+48 22 123\"");
	T_EQ_STR(run(esc_csv, "-1"), "\"'-1\"");
	T_EQ_STR(run(esc_csv, "@cmd"), "\"'@cmd\"");
	/* a leading tab or carriage return too, as OWASP lists them */
	T_EQ_STR(run(esc_csv, "\t=1+2"), "\"'\t=1+2\"");
	T_EQ_STR(run(esc_csv, "\r=1"), "\"'\r=1\"");
	T_EQ_STR(run(esc_csv, "a\tb"), "a\tb");
	T_OK(esc_csv_formula("\tx") && esc_csv_formula("-") && !esc_csv_formula("") && !esc_csv_formula(NULL) &&
	     !esc_csv_formula("'=x") && !esc_csv_formula("x="));
	T_EQ_STR(run(esc_csv, "=\"x\",y"), "\"'=\"\"x\"\",y\"");
	T_EQ_STR(run(esc_csv, "a=b"), "a=b");
	T_EQ_STR(run(esc_csv, "62.01.Z"), "62.01.Z");
}

T_TEST(url)
{
	T_EQ_STR(run(esc_url, "abcXYZ019-_.~"), "abcXYZ019-_.~");
	T_EQ_STR(run(esc_url, "a b"), "a%20b");
	T_EQ_STR(run(esc_url, "a+b&c=d/e?f#g%"), "a%2Bb%26c%3Dd%2Fe%3Ff%23g%25");
	T_EQ_STR(run(esc_url, "ą"), "%C4%85");
	T_EQ_STR(run(esc_url, "Łódź"), "%C5%81%C3%B3d%C5%BA");
	T_EQ_STR(run(esc_url, "żółw"), "%C5%BC%C3%B3%C5%82w");
	T_EQ_STR(run(esc_url, ""), "");
	T_EQ_STR(run(esc_url, NULL), "");
}

T_TEST(url_decode)
{
	char s[64];
	snprintf(s, sizeof(s), "a+b%%20c");
	T_EQ_INT(url_decode(s), 5);
	T_EQ_STR(s, "a b c");
	T_EQ_STR(decoded("%C5%81%C3%B3d%C5%BA"), "Łódź");
	T_EQ_STR(decoded("%c5%81"), "Ł");
	T_EQ_STR(decoded("%2B%26"), "+&");
	/* malformed escapes are kept as they are */
	T_EQ_STR(decoded("100%"), "100%");
	T_EQ_STR(decoded("%zz%4"), "%zz%4");
	T_EQ_STR(decoded("%%41"), "%A");
	T_EQ_STR(decoded(""), "");
	/* round trip */
	{
		const char *orig = "Zakłady „Łuków” S.A. + 50% & co/ltd?";
		struct buf b = BUF_INIT;
		esc_url(&b, orig);
		T_EQ_STR(decoded(b.ptr), orig);
		buf_release(&b);
	}
}

T_TEST(utf8_valid)
{
	T_OK(utf8_valid("", 0));
	T_OK(utf8_valid("ascii", 5));
	T_OK(utf8_valid("zażółć", strlen("zażółć")));
	T_OK(utf8_valid("\xF0\x9D\x84\x9E", 4));
	T_OK(!utf8_valid("a\0b", 3));
	T_OK(!utf8_valid("\xC3", 1));
	T_OK(!utf8_valid("\xC3\x28", 2));
	T_OK(!utf8_valid("\xC0\x80", 2));
	T_OK(!utf8_valid("\xE0\x80\x80", 3));
	T_OK(!utf8_valid("\xED\xA0\x80", 3));
	T_OK(!utf8_valid("\xF4\x90\x80\x80", 4));
	T_OK(!utf8_valid("\xFE", 1));
	T_OK(utf8_valid("\xC3\xB3x", 2));      /* only n bytes are looked at */
}

T_TEST(html_printf)
{
	struct buf b = BUF_INIT;
	html_printf(&b, "<a href=\"/s?q=%u\" title=\"%s\">%s</a>", "Łódź & co", "\"x\"", "<b>");
	T_EQ_STR(b.ptr, "<a href=\"/s?q=%C5%81%C3%B3d%C5%BA%20%26%20co\" title=\"&quot;x&quot;\">&lt;b&gt;</a>");
	buf_reset(&b);
	html_printf(&b, "%R|%R", "<em>raw</em>", NULL);
	T_EQ_STR(b.ptr, "<em>raw</em>|");
	buf_reset(&b);
	html_printf(&b, "%d %ld %lld", -42, 1234567890L, -9000000000LL);
	T_EQ_STR(b.ptr, "-42 1234567890 -9000000000");
	buf_reset(&b);
	html_printf(&b, "%.2f|%.0f|%f", 3.14159, 2.5, 1.0);
	T_EQ_STR(b.ptr, "3.14|2|1.000000");
	buf_reset(&b);
	html_printf(&b, "100%% of %s%%", "a&b");
	T_EQ_STR(b.ptr, "100% of a&amp;b%");
	buf_reset(&b);
	html_printf(&b, "%s", (const char *)NULL);
	T_EQ_STR(b.ptr, "");
	buf_reset(&b);
	html_printf(&b, "no conversions");
	T_EQ_STR(b.ptr, "no conversions");
	buf_reset(&b);
	html_printf(&b, "%s%s", "a", "b");
	T_EQ_STR(b.ptr, "ab");
	buf_release(&b);
}

T_TEST(sticky)
{
	struct buf b = BUF_INIT;
	b.cap = 8;
	esc_html(&b, "<<<");         /* 12 bytes > cap: the third entity is dropped */
	T_OK(buf_failed(&b));
	T_EQ_STR(b.ptr, "&lt;&lt;");
	esc_html(&b, "a");
	esc_json(&b, "b");
	T_EQ_INT(b.len, 8);
	buf_release(&b);
}

static const char *paras(const char *s)
{
	static struct buf b = BUF_INIT;
	buf_reset(&b);
	esc_html_paragraphs(&b, s, "desc");
	return b.ptr;
}

T_TEST(paragraphs)
{
	T_EQ_STR(paras("A\n\nB"), "<p class=\"desc\">A</p><p class=\"desc\">B</p>");
	/* CRLF as a browser sends it, a single break, blank lines at the end, escaping */
	T_EQ_STR(paras("A\r\n\r\n\r\nB\r\nC <b>\n\n"),
		 "<p class=\"desc\">A</p><p class=\"desc\">B<br>C &lt;b&gt;</p>");
	T_EQ_STR(paras(NULL), "<p class=\"desc\"></p>");
	T_EQ_STR(paras("x\n"), "<p class=\"desc\">x</p>");
}

T_TEST(terminal)
{
	struct buf b = BUF_INIT;
	esc_terminal(&b, "x\x1b[2J\x1b]0;t\x07 \r\x7f\tzażółć\nok");
	T_EQ_STR(b.ptr, "x\\x1B[2J\\x1B]0;t\\x07 \\x0D\\x7F\tzażółć\\x0Aok");
	buf_reset(&b);
	esc_terminal(&b, NULL);
	esc_terminal(&b, "plain");
	T_EQ_STR(b.ptr, "plain");
	buf_reset(&b);
	esc_terminal(&b, "a\xc2\x9b" "2J ż\xc2\xa0" "b");   /* U+009B (CSI) escaped, U+00A0 and ż kept */
	T_EQ_STR(b.ptr, "a\\u009B2J ż\xc2\xa0" "b");
	buf_release(&b);
}

/* A file name for a message: every control character and every byte that
 * is not UTF-8 escaped, Polish and other letters kept, and an escaped name
 * escaped again unchanged. */
T_TEST(filename)
{
	struct buf b = BUF_INIT, again = BUF_INIT;
	esc_filename(&b, "dane\x1b]0;x\x07\n\rklaster: ok\t.csv");
	T_EQ_STR(b.ptr, "dane\\x1B]0;x\\x07\\n\\rklaster: ok\\t.csv");
	buf_reset(&b);
	esc_filename(&b, "zatrudnienie_łódź_źdźbło_ĄĘ.csv");
	T_EQ_STR(b.ptr, "zatrudnienie_łódź_źdźbło_ĄĘ.csv");
	buf_reset(&b);
	esc_filename(&b, NULL);
	esc_filename(&b, "");
	T_EQ_STR(b.ptr, "");
	/* C1 controls (U+009B, a CSI) as \u00HH, U+00A0 kept; DEL; a CP1250 ł (0xB3), a cut
	 * sequence, an overlong slash and a surrogate as bytes */
	esc_filename(&b, "a\xc2\x9b" "2J\xc2\xa0\x7f\xb3\xc5" "b\xc0\xaf\xed\xa0\x80" "c");
	T_EQ_STR(b.ptr, "a\\u009B2J\xc2\xa0\\x7F\\xB3\\xC5" "b\\xC0\\xAF\\xED\\xA0\\x80" "c");
	T_OK(utf8_valid(b.ptr, b.len) && text_control(b.ptr) == 0);
	esc_filename(&again, b.ptr);
	T_EQ_STR(again.ptr, b.ptr);
	buf_reset(&b);
	esc_filename(&b, "C:\\dane\\x.csv");   /* a backslash is no control character */
	T_EQ_STR(b.ptr, "C:\\dane\\x.csv");
	buf_reset(&b);
	/* a right-to-left override shows "raport_\u202Evsc.exe" as "raport_exe.csv": escaped, as are
	 * the isolates and the line and paragraph separators; U+2027 and U+202F, U+2065 and U+206A kept */
	esc_filename(&b, "raport_\xe2\x80\xaevsc.exe \xe2\x81\xa6x\xe2\x81\xa9 \xe2\x80\xa8\xe2\x80\xa9 "
			 "\xe2\x80\xa7\xe2\x80\xaf\xe2\x81\xa5\xe2\x81\xaa");
	T_EQ_STR(b.ptr, "raport_\\u202Evsc.exe \\u2066x\\u2069 \\u2028\\u2029 "
			"\xe2\x80\xa7\xe2\x80\xaf\xe2\x81\xa5\xe2\x81\xaa");
	buf_reset(&again);
	esc_filename(&again, b.ptr);
	T_EQ_STR(again.ptr, b.ptr);
	buf_reset(&b);
	/* the direction marks, zero widths, the Arabic letter mark and U+FEFF too; U+200A kept */
	esc_filename(&b, "a\xe2\x80\x8f" "b\xe2\x80\x8b" "c\xd8\x9c" "d\xef\xbb\xbf" "e\xe2\x80\x8a" "f");
	T_EQ_STR(b.ptr, "a\\u200Fb\\u200Bc\\u061Cd\\uFEFFe\xe2\x80\x8a" "f");
	buf_release(&b);
	buf_release(&again);
}

/* Columns on a terminal, and the end of a name that fits some. */
T_TEST(columns)
{
	T_EQ_INT(text_columns(""), 0);
	T_EQ_INT(text_columns("abc"), 3);
	T_EQ_INT(text_columns("łódź"), 4);                 /* 8 bytes */
	T_EQ_INT(text_columns("e\xcc\x81"), 1);           /* e and a combining acute */
	T_EQ_INT(text_columns("日本.csv"), 8);              /* two wide characters */
	T_EQ_INT(text_columns("a\xff"), 2);                /* a byte that is not UTF-8: one */
	T_EQ_STR(text_tail("łódź.csv", 100), "łódź.csv");
	T_EQ_STR(text_tail("łódź.csv", 6), "dź.csv");
	T_EQ_STR(text_tail("日本.csv", 6), "本.csv");
	T_EQ_STR(text_tail("日本.csv", 5), ".csv");         /* half a wide character is not shown */
	T_EQ_STR(text_tail("xe\xcc\x81y", 1), "y");         /* not from a combining mark */
	T_EQ_STR(text_tail("abc", 0), "");
}

/* A value cut short for a message: whole up to max bytes, else on a character boundary, at a
 * blank in the kept part's second half, with "…" counted in max. */
T_TEST(cut)
{
	char out[41];
	T_EQ_STR(esc_cut(out, "C29", 40), "C29");
	T_EQ_STR(esc_cut(out, "abcdefghij", 10), "abcdefghij");
	T_EQ_STR(esc_cut(out, "abcdefghijk", 10), "abcdefg\xe2\x80\xa6");
	/* ł is two bytes: never cut between them */
	T_EQ_STR(esc_cut(out, "abcdefłxyz", 10), "abcdef\xe2\x80\xa6");
	T_EQ_STR(esc_cut(out, "abcde łódź 123", 12), "abcde\xe2\x80\xa6");
	/* a blank in the first half is not a place to cut at */
	T_EQ_STR(esc_cut(out, "a bcdefghijklmn", 10), "a bcdef\xe2\x80\xa6");
	T_EQ_STR(esc_cut(out, "", 3), "");
	T_OK(strlen(esc_cut(out, "ąąąąąąąąąąąąąąąąąąąąąąąąąąąąąą", 40)) <= 40 && utf8_valid(out, strlen(out)));
}

int main(void)
{
	T_RUN(paragraphs);
	T_RUN(cut);
	T_RUN(html_specials);
	T_RUN(html_utf8);
	T_RUN(html_control);
	T_RUN(json);
	T_RUN(csv);
	T_RUN(url);
	T_RUN(url_decode);
	T_RUN(utf8_valid);
	T_RUN(html_printf);
	T_RUN(sticky);
	T_RUN(terminal);
	T_RUN(filename);
	T_RUN(columns);
	return t_done();
}
