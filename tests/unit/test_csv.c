/*
 * test_csv.c — the streaming CSV reader: quoting, line breaks, line
 * numbers, the byte-order mark, the exact error messages, and records that
 * cross the boundary between two 64 KiB read blocks.
 */
#include "t.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "buf.h"
#include "csv.h"
#include "err.h"

static struct buf rep = BUF_INIT;

/* Appends the records of r to rep as "LINE:f1|f2|...\n" (a line break in a
 * field as "\n"), then "ERR:message" on an error. */
static void dump(struct csv *r)
{
	struct kerr e = KERR_INIT;
	int rc;
	size_t i;
	while ((rc = csv_next(r, &e)) == 1) {
		buf_printf(&rep, "%ld:", csv_line(r));
		for (i = 0; i < csv_nfields(r); i++) {
			const char *f = csv_field(r, i);
			if (i)
				buf_putc(&rep, '|');
			for (; *f; f++) {
				if (*f == '\n')
					buf_puts(&rep, "\\n");
				else
					buf_putc(&rep, *f);
			}
		}
		buf_putc(&rep, '\n');
	}
	if (rc < 0)
		buf_printf(&rep, "ERR:%s", e.msg);
}

/* The records of data[0..len) read from memory, as dump() writes them. */
static const char *parse_n(const char *data, size_t len, char sep)
{
	struct csv *r = csv_open_mem(data, len, "t.csv", sep);
	buf_reset(&rep);
	dump(r);
	csv_free(r);
	return rep.ptr;
}

static const char *parse(const char *data)
{
	return parse_n(data, strlen(data), ',');
}

/* The same, read through a FILE*. */
static char *parse_file(const char *data, size_t len, char sep)
{
	FILE *f = tmpfile();
	struct csv *r;
	if (!f)
		return xstrdup("tmpfile failed");
	fwrite(data, 1, len, f);
	rewind(f);
	r = csv_open_file(f, "t.csv", sep);
	buf_reset(&rep);
	dump(r);
	csv_free(r);
	fclose(f);
	return xstrdup(rep.ptr);
}

T_TEST(simple)
{
	T_EQ_STR(parse("a,b,c\n1,2,3\n"), "1:a|b|c\n2:1|2|3\n");
	T_EQ_STR(parse("a,b,c\n1,2,3"), "1:a|b|c\n2:1|2|3\n");  /* no final line break */
	T_EQ_STR(parse(""), "");
	T_EQ_STR(parse("x"), "1:x\n");
	T_EQ_STR(parse("  x , y  "), "1:  x | y  \n");  /* spaces are data */
	T_EQ_STR(parse_n("a;b,c\n", 6, ';'), "1:a|b,c\n");
	T_EQ_STR(parse_n("a\tb;c\n", 6, '\t'), "1:a|b;c\n");
	T_EQ_STR(parse("zażółć,gęślą\n"), "1:zażółć|gęślą\n");
}

T_TEST(empty_fields)
{
	T_EQ_STR(parse("a,b,\n"), "1:a|b|\n");
	T_EQ_STR(parse("a,b,"), "1:a|b|\n");
	T_EQ_STR(parse(",,\n"), "1:||\n");
	T_EQ_STR(parse(",\n"), "1:|\n");
	T_EQ_STR(parse("\"\"\n"), "1:\n");
	T_EQ_STR(parse("\"\",\"\"\n"), "1:|\n");
	T_EQ_STR(parse(",a\n"), "1:|a\n");
}

T_TEST(quoting)
{
	T_EQ_STR(parse("\"a,b\",c\n"), "1:a,b|c\n");
	T_EQ_STR(parse("\"say \"\"hi\"\"\",x\n"), "1:say \"hi\"|x\n");
	T_EQ_STR(parse("\"\"\"\"\n"), "1:\"\n");
	T_EQ_STR(parse("\"a\"\n\"b\""), "1:a\n2:b\n");
	T_EQ_STR(parse("\"a;b\"\n"), "1:a;b\n");
	T_EQ_STR(parse_n("\"a;b\";c\n", 8, ';'), "1:a;b|c\n");
	T_EQ_STR(parse("\"ł\",\"€\",\"😀\"\n"), "1:ł|€|😀\n");
}

T_TEST(line_breaks)
{
	/* a line break inside quotes; the next record's line number is right */
	T_EQ_STR(parse("x,\"line1\nline2\nline3\"\ny,z\n"), "1:x|line1\\nline2\\nline3\n4:y|z\n");
	/* CRLF ends records, and inside quotes becomes \n */
	T_EQ_STR(parse("a,b\r\nc,d\r\n"), "1:a|b\n2:c|d\n");
	T_EQ_STR(parse("\"p\r\nq\",r\r\ns\r\n"), "1:p\\nq|r\n3:s\n");
	/* a lone CR ends a line too */
	T_EQ_STR(parse("a\rb\r\"c\rd\"\re"), "1:a\n2:b\n3:c\\nd\n5:e\n");
	/* empty lines are skipped but counted */
	T_EQ_STR(parse("\n\na\n\n\r\n\rb\n\n"), "3:a\n7:b\n");
	T_EQ_STR(parse("\n\n\n"), "");
	T_EQ_STR(parse("a,\"\"\n\n"), "1:a|\n");
	/* a quoted field ending at a line break, and at the end of input */
	T_EQ_STR(parse("\"a\"\r\n\"b\"\r"), "1:a\n2:b\n");
}

T_TEST(bom)
{
	T_EQ_STR(parse("\xEF\xBB\xBFname,nip\nA,1\n"), "1:name|nip\n2:A|1\n");
	T_EQ_STR(parse("\xEF\xBB\xBF"), "");
	T_EQ_STR(parse("\xEF\xBB\xBF\n"), "");
	T_EQ_STR(parse("\xEF\xBB\xBF\"q\"\n"), "1:q\n");
	/* a BOM elsewhere is data (U+FEFF) */
	T_EQ_STR(parse("a,\xEF\xBB\xBF" "b\n"), "1:a|\xEF\xBB\xBF" "b\n");
	/* columns in messages do not count the BOM */
	T_EQ_STR(parse("\xEF\xBB\xBF" "ab\"c\n"),
		 "ERR:t.csv:1: a quote inside an unquoted field at position 3 "
		 "(put the whole field in quotes and double the quote)");
	T_EQ_STR(parse("\xFF\xFEn\0a\0"), "ERR:t.csv:1: the file is in UTF-16 (as Excel's \"Unicode text\"); save it as \"CSV UTF-8\", or convert it (iconv -f utf-16 -t utf-8)");
	T_EQ_STR(parse_n("\xFE\xFF\0n\0a", 6, ','), "ERR:t.csv:1: the file is in UTF-16 (as Excel's \"Unicode text\"); save it as \"CSV UTF-8\", or convert it (iconv -f utf-16 -t utf-8)");
	/* not text: gzip, ZIP (an .xlsx), an .xls, each said with the way to the text */
	T_OK(strstr(parse_n("\x1F\x8B\x08\0\0\0", 6, ','), "ERR:t.csv:1: the file is compressed with gzip") != NULL);
	T_OK(strstr(parse_n("PK\x03\x04\x14\0", 6, ','), "ERR:t.csv:1: the file is a ZIP archive or an Excel workbook (.xlsx)") != NULL);
	T_OK(strstr(parse_n("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0", 10, ','), "ERR:t.csv:1: the file is an Excel 97–2003 workbook") != NULL);
	/* text that merely begins so (no NUL byte) is text: a field written by esc_csv reads back */
	T_EQ_STR(parse_n("PK\x03\x04,b\n", 7, ','), "1:PK\x03\x04|b\n");
}

T_TEST(errors)
{
	T_EQ_STR(parse("a,b\nc,\"d\ne,f\n"),
		 "1:a|b\nERR:t.csv:2: unterminated quoted field (the quote at position 3 of its line is never closed)");
	T_EQ_STR(parse("\""), "ERR:t.csv:1: unterminated quoted field (the quote at position 1 of its line is never closed)");
	T_EQ_STR(parse("ok\nab\"c\",d\n"),
		 "1:ok\nERR:t.csv:2: a quote inside an unquoted field at position 3 "
		 "(put the whole field in quotes and double the quote)");
	T_EQ_STR(parse("\"a\"b,c\n"),
		 "ERR:t.csv:1: unexpected character after a closing quote at position 4 "
		 "(a quote inside a quoted field must be doubled)");
	T_EQ_STR(parse("\"a\" ,c\n"),
		 "ERR:t.csv:1: unexpected character after a closing quote at position 4 "
		 "(a quote inside a quoted field must be doubled)");
	/* a quote left open runs into the next lines: the line where it began is the one named */
	T_EQ_STR(parse("a,b\nx,\"y,z\nc,d\ne,\"f\"\n"),
		 "1:a|b\nERR:t.csv:2: the quoted field at position 3 is not closed on its line: it runs on to "
		 "line 4, where a quote is followed by another character at position 4 (close the quote on line 2, "
		 "or double a quote meant as text)");
	/* invalid UTF-8: a Latin-2 "ł", a cut sequence, an overlong form, a
	 * surrogate, a stray continuation byte; the column is a byte column */
	T_EQ_STR(parse("ok\nza\xb3\xf3\n"),
		 "1:ok\nERR:t.csv:2: invalid UTF-8 at byte 3: the byte 0xB3 is a Polish letter in "
		 "Windows-1250 (as Excel saves CSV on Polish systems) or in ISO-8859-2 (older exports); save the "
		 "file as UTF-8, or convert it (iconv -f cp1250 -t utf-8 from Excel, iconv -f iso-8859-2 -t utf-8 "
		 "from ISO-8859-2)");
	/* a letter only Windows-1250 has (ś 0x9C) after the shared one decides */
	T_EQ_STR(parse("ok\nza\xb3 \x9c\n"),
		 "1:ok\nERR:t.csv:2: invalid UTF-8 at byte 3: the byte 0xB3 is a Polish letter in "
		 "Windows-1250, the encoding Excel saves CSV in on Polish systems; save the file as \"CSV UTF-8\", "
		 "or convert it (iconv -f cp1250 -t utf-8)");
	/* the bytes of a UTF-8 letter further on (ż: C5 BC) are no ISO-8859-2 ź (0xBC) */
	T_EQ_STR(parse("ok\nza\xb3,\xc5\xbc\n"),
		 "1:ok\nERR:t.csv:2: invalid UTF-8 at byte 3: the byte 0xB3 is a Polish letter in "
		 "Windows-1250 (as Excel saves CSV on Polish systems) or in ISO-8859-2 (older exports); save the "
		 "file as UTF-8, or convert it (iconv -f cp1250 -t utf-8 from Excel, iconv -f iso-8859-2 -t utf-8 "
		 "from ISO-8859-2)");
	/* ISO-8859-2: told by a letter Windows-1250 writes otherwise (ś 0xB6), there or further on */
	T_EQ_STR(parse("ok\n\xb6ląsk\n"),
		 "1:ok\nERR:t.csv:2: invalid UTF-8 at byte 1: the byte 0xB6 is a Polish letter in ISO-8859-2 "
		 "(Latin-2), the encoding of older Polish exports; save the file as UTF-8, or convert it "
		 "(iconv -f iso-8859-2 -t utf-8)");
	T_EQ_STR(parse("ok\nmi\xea" "dzyrzecz,\xb1\n"),
		 "1:ok\nERR:t.csv:2: invalid UTF-8 at byte 3: the byte 0xEA is a Polish letter in ISO-8859-2 "
		 "(Latin-2), the encoding of older Polish exports; save the file as UTF-8, or convert it "
		 "(iconv -f iso-8859-2 -t utf-8)");
	/* the same letter with a Windows-1250 ą (0xB9) further on */
	T_EQ_STR(parse("ok\nmi\xea" "dzyrzecz,\xb9\n"),
		 "1:ok\nERR:t.csv:2: invalid UTF-8 at byte 3: the byte 0xEA is a Polish letter in "
		 "Windows-1250, the encoding Excel saves CSV in on Polish systems; save the file as \"CSV UTF-8\", "
		 "or convert it (iconv -f cp1250 -t utf-8)");
	T_EQ_STR(parse("ł,a\xc5"), "ERR:t.csv:1: invalid UTF-8 at byte 5 (save the file as UTF-8)");
	T_EQ_STR(parse("\xc5,"), "ERR:t.csv:1: invalid UTF-8 at byte 1 (save the file as UTF-8)");
	T_EQ_STR(parse("\"x\xc0\xaf\""), "ERR:t.csv:1: invalid UTF-8 at byte 3 (save the file as UTF-8)");
	T_EQ_STR(parse("\xed\xa0\x80"), "ERR:t.csv:1: invalid UTF-8 at byte 1 (save the file as UTF-8)");
	T_EQ_STR(parse("\"a\nb\x80\""), "ERR:t.csv:2: invalid UTF-8 at byte 2 (save the file as UTF-8)");
	T_EQ_STR(parse("\xf4\x90\x80\x80"), "ERR:t.csv:1: invalid UTF-8 at byte 1 (save the file as UTF-8)");
	T_EQ_STR(parse_n("a,b\0c\n", 6, ','),
		 "ERR:t.csv:1: a NUL byte at position 4 (is this a binary or UTF-16 file?)");
	T_EQ_STR(parse_n("\"\0\"", 3, ','),
		 "ERR:t.csv:1: a NUL byte at position 2 (is this a binary or UTF-16 file?)");
}

T_TEST(errors_are_final)
{
	struct csv *r = csv_open_mem("a\n\"b\n", 5, "x.csv", ',');
	struct kerr e = KERR_INIT;
	T_EQ_INT(csv_next(r, &e), 1);
	T_EQ_INT(csv_next(r, &e), -1);
	T_EQ_INT(e.kind, KERR_INPUT);
	T_EQ_STR(e.msg, "x.csv:2: unterminated quoted field (the quote at position 1 of its line is never closed)");
	kerr_clear(&e);
	T_EQ_INT(csv_next(r, &e), -1);
	T_EQ_STR(e.msg, "x.csv:2: unterminated quoted field (the quote at position 1 of its line is never closed)");
	T_EQ_INT(csv_next(r, NULL), -1);
	csv_free(r);

	r = csv_open_mem("a", 1, NULL, ',');
	T_EQ_INT(csv_next(r, NULL), 1);
	T_EQ_INT(csv_next(r, NULL), 0);
	T_EQ_INT(csv_next(r, NULL), 0);  /* the end stays the end */
	csv_free(r);
	r = csv_open_mem("\"", 1, NULL, ',');
	T_EQ_INT(csv_next(r, &e), -1);
	T_EQ_STR(e.msg, "input:1: unterminated quoted field (the quote at position 1 of its line is never closed)");
	csv_free(r);
	csv_free(NULL);
}

T_TEST(limits)
{
	struct buf in = BUF_INIT;
	size_t i;
	char *out;

	/* 1024 fields are fine, 1025 are not */
	for (i = 0; i < 1023; i++)
		buf_putc(&in, ',');
	buf_putc(&in, '\n');
	out = xstrdup(parse_n(in.ptr, in.len, ','));
	T_OK(strncmp(out, "1:|||", 5) == 0);
	T_EQ_INT(strlen(out), 2 + 1023 + 1);
	free(out);
	buf_reset(&in);
	buf_puts(&in, "ok\n");
	for (i = 0; i < 1024; i++)
		buf_putc(&in, ',');
	T_EQ_STR(parse_n(in.ptr, in.len, ','),
		 "1:ok\nERR:t.csv:2: more than 1024 fields in one record (check the separator and the quotes)");

	/* a field of exactly 1 MiB is fine, one byte more is not */
	buf_reset(&in);
	buf_puts(&in, "a,\"");
	for (i = 0; i < CSV_FIELD_MAX; i++)
		buf_putc(&in, 'x');
	buf_puts(&in, "\"\n");
	{
		struct csv *r = csv_open_mem(in.ptr, in.len, "t.csv", ',');
		T_EQ_INT(csv_next(r, NULL), 1);
		T_EQ_INT(strlen(csv_field(r, 1)), CSV_FIELD_MAX);
		csv_free(r);
	}
	buf_truncate(&in, in.len - 2);
	buf_puts(&in, "y\"\n");
	T_EQ_STR(parse_n(in.ptr, in.len, ','), "ERR:t.csv:1: field 2 is longer than 1 MiB");
	buf_reset(&in);
	buf_puts(&in, "\n\n");
	for (i = 0; i <= CSV_FIELD_MAX; i++)
		buf_putc(&in, 'x');
	T_EQ_STR(parse_n(in.ptr, in.len, ','), "ERR:t.csv:3: field 1 is longer than 1 MiB");
	/* with the columns' names given, the field is named by its column too (an empty name: not) */
	buf_reset(&in);
	buf_puts(&in, "id,name,\n1,");
	for (i = 0; i <= CSV_FIELD_MAX; i++)
		buf_putc(&in, 'x');
	buf_puts(&in, ",z\n");
	{
		struct kerr e = KERR_INIT;
		struct csv *r = csv_open_mem(in.ptr, in.len, "t.csv", ',');
		T_EQ_INT(csv_next(r, &e), 1);
		csv_set_columns(r, csv_fields(r), csv_nfields(r));
		T_EQ_INT(csv_next(r, &e), -1);
		T_EQ_STR(e.msg, "t.csv:2: field 2 (column name) is longer than 1 MiB");
		csv_free(r);
		r = csv_open_mem(in.ptr, in.len, "t.csv", ',');
		T_EQ_INT(csv_next(r, &e), 1);
		csv_set_columns(r, csv_fields(r), 1);   /* fewer names than fields */
		csv_set_columns(r, csv_fields(r), 1);   /* again: replaced, not leaked */
		T_EQ_INT(csv_next(r, &e), -1);
		T_EQ_STR(e.msg, "t.csv:2: field 2 is longer than 1 MiB");
		csv_free(r);
	}
	{
		/* invalid UTF-8 is named by its column too, quoted or not, with the names given */
		static const char bad[] = "id,name\n1,Bia\xb3ystok\n", badq[] = "id,name\n1,\"x\xc0\xaf\"\n";
		struct kerr e = KERR_INIT;
		struct csv *r = csv_open_mem(bad, sizeof(bad) - 1, "t.csv", ',');
		T_EQ_INT(csv_next(r, &e), 1);
		csv_set_columns(r, csv_fields(r), csv_nfields(r));
		T_EQ_INT(csv_next(r, &e), -1);
		T_OK(strncmp(e.msg, "t.csv:2: invalid UTF-8 at byte 6 (column name): the byte 0xB3 is a Polish letter", 80) == 0);
		csv_free(r);
		r = csv_open_mem(badq, sizeof(badq) - 1, "t.csv", ',');
		T_EQ_INT(csv_next(r, &e), 1);
		csv_set_columns(r, csv_fields(r), csv_nfields(r));
		T_EQ_INT(csv_next(r, &e), -1);
		T_EQ_STR(e.msg, "t.csv:2: invalid UTF-8 at byte 5 (column name) (save the file as UTF-8)");
		csv_free(r);
	}
	buf_release(&in);
}

T_TEST(accessors)
{
	static const char data[] = "name,nip,regon\r\nACME,5260250274,\r\n";
	struct csv *r = csv_open_mem(data, strlen(data), "o.csv", ',');
	const char *const *names;
	T_EQ_INT(csv_nfields(r), 0);
	T_EQ_INT(csv_line(r), 0);
	T_EQ_STR(csv_field(r, 0), "");
	T_EQ_INT(csv_next(r, NULL), 1);
	T_EQ_INT(csv_bytes(r), 16);
	names = csv_fields(r);
	T_EQ_INT(csv_header_index(names, csv_nfields(r), "nip"), 1);
	T_EQ_INT(csv_header_index(names, csv_nfields(r), "name"), 0);
	T_EQ_INT(csv_header_index(names, csv_nfields(r), "regon"), 2);
	T_EQ_INT(csv_header_index(names, csv_nfields(r), "NIP"), -1);
	T_EQ_INT(csv_header_index(names, csv_nfields(r), "krs"), -1);
	T_EQ_INT(csv_header_index(names, 1, "nip"), -1);
	T_EQ_INT(csv_header_index(NULL, 0, "nip"), -1);
	T_EQ_INT(csv_next(r, NULL), 1);
	T_EQ_INT(csv_nfields(r), 3);
	T_EQ_STR(csv_field(r, 0), "ACME");
	T_EQ_STR(csv_field(r, 2), "");
	T_EQ_STR(csv_field(r, 3), "");
	T_EQ_STR(csv_field(r, 1000), "");
	T_EQ_INT(csv_line(r), 2);
	names = csv_fields(r);
	T_EQ_STR(names[1], "5260250274");
	T_EQ_INT(csv_next(r, NULL), 0);
	T_EQ_INT(csv_bytes(r), 34);
	csv_free(r);
	{
		static const char *const cols[] = { "a", NULL, "b", "b" };
		T_EQ_INT(csv_header_index(cols, 4, "b"), 2);
	}
}

/*
 * Puts a tricky record (doubled quotes, multi-byte characters, CRLF inside
 * and after quotes) at every offset across the 64 KiB block boundary of
 * file input, and checks it reads the same as from memory.
 */
T_TEST(block_boundary)
{
	static const char tricky[] = "\"q\"\"x\",ż€😀,\"multi\r\nline\",\xc5\x82\r\n";
	const size_t block = 65536, tn = sizeof(tricky) - 1;
	struct buf in = BUF_INIT;
	size_t d, i;
	int same = 1, right = 1;
	for (d = 1; d <= tn + 1; d++) {
		char *got;
		buf_reset(&in);
		for (i = 0; i + 1 < block - d; i++)
			buf_putc(&in, 'p');
		buf_putc(&in, '\n');
		buf_add(&in, tricky, tn);
		buf_puts(&in, "end");
		got = parse_file(in.ptr, in.len, ',');
		if (strcmp(got, parse_n(in.ptr, in.len, ',')) != 0)
			same = 0;
		if (!strstr(got, "\n2:q\"x|ż€😀|multi\\nline|ł\n4:end\n") || strncmp(got, "1:ppp", 5))
			right = 0;
		free(got);
	}
	T_OK(same);
	T_OK(right);

	/* the BOM and a cut UTF-8 sequence at the start of the second block */
	buf_reset(&in);
	buf_puts(&in, "\xEF\xBB\xBF");
	for (i = 0; i < block - 4; i++)
		buf_putc(&in, 'a');
	buf_puts(&in, "ł\nb");  /* ł is bytes 65535 and 65536 (from 0) */
	{
		char *got = parse_file(in.ptr, in.len, ',');
		T_EQ_STR(got, parse_n(in.ptr, in.len, ','));
		T_OK(strstr(got, "ł\n2:b\n") != NULL);
		free(got);
	}

	/* a sequence cut by the end of the input right at the block boundary */
	buf_reset(&in);
	for (i = 0; i < block - 1; i++)
		buf_putc(&in, 'a');
	buf_puts(&in, "\xc5");
	{
		char *got = parse_file(in.ptr, in.len, ',');
		T_EQ_STR(got, "ERR:t.csv:1: invalid UTF-8 at byte 65536 (save the file as UTF-8)");
		T_EQ_STR(got, parse_n(in.ptr, in.len, ','));
		free(got);
	}
	buf_release(&in);
}

/* Many records over several blocks: every field and line number is right. */
T_TEST(many_records)
{
	struct buf in = BUF_INIT;
	FILE *f = tmpfile();
	struct csv *r;
	struct kerr e = KERR_INIT;
	int i, ok = 1, rc;
	char want[64];

	for (i = 0; i < 20000; i++)
		buf_printf(&in, "row%d,ł%d,\"x,%d\nsecond line\"\r\n", i, i * 7, i);
	T_OK(in.len > 10 * 65536);
	fwrite(in.ptr, 1, in.len, f);
	rewind(f);
	r = csv_open_file(f, "big.csv", ',');
	for (i = 0; (rc = csv_next(r, &e)) == 1; i++) {
		snprintf(want, sizeof(want), "row%d", i);
		ok &= strcmp(csv_field(r, 0), want) == 0;
		snprintf(want, sizeof(want), "ł%d", i * 7);
		ok &= strcmp(csv_field(r, 1), want) == 0;
		snprintf(want, sizeof(want), "x,%d\nsecond line", i);
		ok &= strcmp(csv_field(r, 2), want) == 0;
		ok &= csv_nfields(r) == 3;
		ok &= csv_line(r) == 2L * i + 1;
	}
	T_EQ_INT(rc, 0);
	T_EQ_INT(i, 20000);
	T_OK(ok);
	T_EQ_INT(csv_bytes(r), in.len);
	csv_free(r);
	fclose(f);
	buf_release(&in);
}

/*
 * A file another program cuts while it is read: an I/O error saying so, never
 * its remains taken for data (here the cut falls inside a quoted field, which
 * would read as a quote never closed, and at a line's end, which would end
 * the file early as if it were whole); cut behind the reader or ahead of it.
 */
T_TEST(shortened)
{
	size_t k;
	for (k = 0; k < 3; k++) {
		struct buf in = BUF_INIT;
		FILE *f = tmpfile();
		struct csv *r;
		struct kerr e = KERR_INIT;
		int i, rc;
		long cut;
		for (i = 0; i < 30000; i++)
			buf_printf(&in, "row%d,\"x,%d\"\n", i, i);
		/* behind the first block read; ahead, inside a quoted field; ahead, at a line's end */
		cut = k == 0 ? 30000 : k == 1 ? (long)(strchr(in.ptr + 100000, '"') - in.ptr) + 2
					      : (long)(strchr(in.ptr + 200000, '\n') - in.ptr) + 1;
		fwrite(in.ptr, 1, in.len, f);
		fflush(f);
		rewind(f);
		r = csv_open_file(f, "cut.csv", ',');
		T_EQ_INT(csv_next(r, &e), 1);   /* the first block is read */
		T_OK(ftruncate(fileno(f), cut) == 0);
		while ((rc = csv_next(r, &e)) == 1)
			;
		T_EQ_INT(rc, -1);
		T_EQ_INT(e.kind, KERR_IO);
		T_EQ_STR(e.msg, "cut.csv: the file got shorter while it was read (another program is writing it): "
			 "read it again once it is complete");
		csv_free(r);
		fclose(f);
		buf_release(&in);
	}
}

/* The records of data[0..len) whose first n bytes were read before the reader was opened
 * (csv_open_file_after over a file of the other bytes), as dump() writes them. */
static char *parse_after(const char *data, size_t len, size_t n)
{
	FILE *f = tmpfile();
	struct csv *r;
	if (!f)
		return xstrdup("tmpfile failed");
	fwrite(data + n, 1, len - n, f);
	rewind(f);
	r = csv_open_file_after(f, data, n, "t.csv", ',');
	buf_reset(&rep);
	dump(r);
	csv_free(r);
	fclose(f);
	return xstrdup(rep.ptr);
}

/* A stream whose first line was read to find the separator (a pipe, which cannot be read
 * twice): the same records as the whole input, wherever the bytes read first end — inside
 * the byte-order mark, a UTF-8 sequence, a CRLF, a quoted field, or past a whole block. */
T_TEST(after_head)
{
	static const char *const small[] = { "a,b\r\n1,2\r\n", "\xEF\xBB\xBFid,x\n1,\xc5\x82\n\"q\nr\",3",
					     "x\n\xff\n" };
	struct buf in = BUF_INIT;
	size_t k, n, i;
	int same = 1;
	for (k = 0; k < sizeof(small) / sizeof(small[0]); k++)
		for (n = 0; n <= strlen(small[k]); n++) {
			char *got = parse_after(small[k], strlen(small[k]), n);
			same &= strcmp(got, parse(small[k])) == 0;
			free(got);
		}
	T_OK(same);
	for (i = 0; i < 70000; i++)
		buf_putc(&in, 'p');
	buf_puts(&in, ",\"q\nr\"\r\n1,\xc5\x82\n");
	for (n = 65534; n <= in.len; n += n < 65540 ? 1 : 4000) {
		char *got = parse_after(in.ptr, in.len, n);
		same &= strcmp(got, parse_n(in.ptr, in.len, ',')) == 0 && strstr(got, "|q\\nr\n3:1|\xc5\x82\n");
		free(got);
	}
	T_OK(same);
	/* from a pipe */
	{
		int fd[2];
		FILE *f;
		struct csv *r;
		T_OK(pipe(fd) == 0);
		T_OK(write(fd[1], "2,\xc5\x82\n3,c", 8) == 8);
		close(fd[1]);
		f = fdopen(fd[0], "rb");
		r = csv_open_file_after(f, "id;x\n1,b\n", 9, "pipe", ',');
		buf_reset(&rep);
		dump(r);
		T_EQ_STR(rep.ptr, "1:id;x\n2:1|b\n3:2|\xc5\x82\n4:3|c\n");
		csv_free(r);
		fclose(f);
	}
	buf_release(&in);
}

int main(void)
{
	T_RUN(simple);
	T_RUN(empty_fields);
	T_RUN(quoting);
	T_RUN(line_breaks);
	T_RUN(bom);
	T_RUN(errors);
	T_RUN(errors_are_final);
	T_RUN(limits);
	T_RUN(accessors);
	T_RUN(block_boundary);
	T_RUN(many_records);
	T_RUN(shortened);
	T_RUN(after_head);
	buf_release(&rep);
	return t_done();
}
