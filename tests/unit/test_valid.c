/*
 * test_valid.c — the input validators: valid numbers (check digits computed
 * by hand and noted next to each), invalid check digits, wrong lengths,
 * stray characters, normalisation, and the exact reasons given.
 */
#include "t.h"

#include "buf.h"
#include "valid.h"

/* WHY(call): checks that a validator call fails and returns its reason. */
static struct buf why = BUF_INIT;

static const char *why_of(int rc, int line)
{
	t_check(rc == -1, "returns -1", __FILE__, line);
	return why.ptr;
}

#define WHY(call) (buf_reset(&why), why_of((call), __LINE__))

T_TEST(nip_check_digit)
{
	/* 5260250274 (Ministry of Finance): 5*6+2*5+6*7+0*2+2*3+5*4+0*5+2*6+7*7
	 * = 169 = 15*11 + 4, so the check digit is 4. */
	T_EQ_INT(nip_check_digit("526025027"), 4);
	/* 1*6+2*5+3*7+4*2+5*3+6*4+3*5+2*6+1*7 = 118 = 10*11 + 8 */
	T_EQ_INT(nip_check_digit("123456321"), 8);
	/* 2*6 + 6*7 = 54 = 4*11 + 10: no valid check digit */
	T_EQ_INT(nip_check_digit("200000006"), 10);
	T_EQ_INT(nip_check_digit("52602502"), -1);
	T_EQ_INT(nip_check_digit("52602502x"), -1);
	T_EQ_INT(nip_check_digit(NULL), -1);
}

T_TEST(nip_valid)
{
	char out[11] = "";
	T_EQ_INT(valid_nip("5260250274", out, NULL), 0);
	T_EQ_STR(out, "5260250274");
	T_EQ_INT(valid_nip("526-025-02-74", out, NULL), 0);
	T_EQ_STR(out, "5260250274");
	T_EQ_INT(valid_nip("123-456-32-18", out, NULL), 0);
	T_EQ_STR(out, "1234563218");
	T_EQ_INT(valid_nip("PL1234563218", out, NULL), 0);
	T_EQ_STR(out, "1234563218");
	T_EQ_INT(valid_nip("pl 123 456 32 18", out, NULL), 0);
	T_EQ_STR(out, "1234563218");
	T_EQ_INT(valid_nip("  526 025 02 74\t", out, NULL), 0);
	T_EQ_STR(out, "5260250274");
	T_EQ_INT(valid_nip("5260250274", NULL, NULL), 0);
}

T_TEST(nip_invalid)
{
	char out[11] = "keep";
	/* every reason names the value given (trimmed), so that a row of an import file or a
	 * form's field shows what is wrong with what */
	T_EQ_STR(WHY(valid_nip("5260250273", out, &why)),
		 "'5260250273': check digit does not match (expected 4, got 3)");
	T_EQ_STR(out, "keep");  /* out is written only on success */
	T_EQ_STR(WHY(valid_nip("526025027", out, &why)), "'526025027': must have 10 digits, got 9");
	T_EQ_STR(WHY(valid_nip("52602502745", out, &why)), "'52602502745': must have 10 digits, got 11");
	T_EQ_STR(WHY(valid_nip("", out, &why)), "must have 10 digits, got 0");
	T_EQ_STR(WHY(valid_nip(NULL, out, &why)), "must have 10 digits, got 0");
	T_EQ_STR(WHY(valid_nip("526O250274", out, &why)),
		 "'526O250274': may contain only digits, dashes and spaces (found 'O')");
	T_EQ_STR(WHY(valid_nip(" 526.025.02.74 ", out, &why)),
		 "'526.025.02.74': may contain only digits, dashes and spaces (found '.')");
	T_EQ_STR(WHY(valid_nip("526\xe2\x80\x93" "025", out, &why)),
		 "'526\xe2\x80\x93" "025': may contain only digits, dashes and spaces (found the character U+2013)");
	T_EQ_STR(WHY(valid_nip("DE123456789", out, &why)),
		 "'DE123456789': is not a Polish NIP (it has the country prefix DE)");
	T_EQ_STR(WHY(valid_nip("2000000060", out, &why)),
		 "'2000000060': is not a valid NIP: no check digit exists for its first nine digits");
	T_EQ_STR(WHY(valid_nip("0000000000", out, &why)), "'0000000000': is a placeholder, not a NIP");
	T_EQ_STR(WHY(valid_nip("PL", out, &why)), "'PL': must have 10 digits, got 0");
	/* the value is shown escaped: one line whatever was given (a line break would split a
	 * form's list of problems), quotes and backslashes marked, control characters and bytes
	 * that are not UTF-8 as \xHH, and at most 40 bytes of it */
	T_EQ_STR(WHY(valid_nip("526\n025'02\\74", out, &why)),
		 "'526\\x0A025\\'02\\\\74': may contain only digits, dashes and spaces "
		 "(found a control character (0x0A))");
	T_EQ_STR(WHY(valid_nip("52602\xff" "50274", out, &why)),
		 "'52602\\xFF50274': may contain only digits, dashes and spaces "
		 "(found a byte that is not valid UTF-8 (0xFF))");
	T_EQ_STR(WHY(valid_nip("5260250274 <script>alert(1)</script> 0123456789 0123456789", out, &why)),
		 "'5260250274 <script>alert(1)</script> 012\xe2\x80\xa6': may contain only digits, "
		 "dashes and spaces (found '<')");
	/* a character that would end past the 40th byte is left out whole */
	T_EQ_STR(WHY(valid_nip("526025027452602502745260250274526025027\xc5\xbc", out, &why)),
		 "'526025027452602502745260250274526025027\xe2\x80\xa6': may contain only digits, "
		 "dashes and spaces (found 'ż')");
	T_EQ_STR(WHY(valid_nip("5260250274 \xc2\x9b", out, &why)),
		 "'5260250274 \\xC2\\x9B': may contain only digits, dashes and spaces "
		 "(found the character U+009B)");
	/* why is appended to, never reset */
	buf_reset(&why);
	buf_puts(&why, "nip: ");
	T_EQ_INT(valid_nip("1", NULL, &why), -1);
	T_EQ_STR(why.ptr, "nip: '1': must have 10 digits, got 1");
	T_EQ_INT(valid_nip("1", NULL, NULL), -1);
}

T_TEST(regon)
{
	char out[15] = "";
	/* 1*8+2*9+3*2+4*3+5*4+6*5+7*6+8*7 = 192 = 17*11 + 5 */
	T_EQ_INT(regon_check_digit("12345678", 8), 5);
	/* 3*7 = 21 = 11 + 10, and 10 counts as 0 */
	T_EQ_INT(regon_check_digit("00000003", 8), 0);
	/* 1*2+2*4+3*8+4*5+5*0+6*9+7*7+8*3+5*6+1*1+2*2+3*4+4*8 = 260 = 23*11 + 7 */
	T_EQ_INT(regon_check_digit("1234567851234", 13), 7);
	/* 1*2 + 1*8 = 10 → 0 */
	T_EQ_INT(regon_check_digit("1000000000001", 13), 0);
	T_EQ_INT(regon_check_digit("123456785", 9), -1);
	T_EQ_INT(regon_check_digit("1234567a", 8), -1);
	T_EQ_INT(regon_check_digit(NULL, 8), -1);

	T_EQ_INT(valid_regon("123456785", out, NULL), 0);
	T_EQ_STR(out, "123456785");
	T_EQ_INT(valid_regon(" 123-456-785 ", out, NULL), 0);
	T_EQ_STR(out, "123456785");
	T_EQ_INT(valid_regon("000000030", out, NULL), 0);
	T_EQ_STR(out, "000000030");
	T_EQ_INT(valid_regon("12345678512347", out, NULL), 0);
	T_EQ_STR(out, "12345678512347");
	/* a local unit: its entity's REGON 000000030, its number 0001, then the check digit
	 * 3*3 + 1*8 = 17 = 11 + 6 */
	T_EQ_INT(valid_regon("00000003000016", out, NULL), 0);
	T_EQ_STR(out, "00000003000016");
	/* the last digit checks out, but the first nine are no REGON: 100000000's check digit is
	 * 1*8 = 8, not 0 (a local unit's number always begins with its entity's REGON) */
	T_EQ_STR(WHY(valid_regon("10000000000010", out, &why)),
		 "'10000000000010': the first nine digits are not a valid REGON of the entity "
		 "(its check digit, the ninth, should be 8, got 0)");

	T_EQ_STR(WHY(valid_regon("123456784", out, &why)),
		 "'123456784': check digit does not match (expected 5, got 4)");
	T_EQ_STR(WHY(valid_regon("12345678512340", out, &why)),
		 "'12345678512340': check digit does not match (expected 7, got 0)");
	T_EQ_STR(WHY(valid_regon("1234567", out, &why)), "'1234567': must have 9 or 14 digits, got 7");
	T_EQ_STR(WHY(valid_regon("1234567851", out, &why)), "'1234567851': must have 9 or 14 digits, got 10");
	T_EQ_STR(WHY(valid_regon("000000000", out, &why)), "'000000000': a REGON cannot be all zeros");
	T_EQ_STR(WHY(valid_regon("12345678X", out, &why)),
		 "'12345678X': may contain only digits, dashes and spaces (found 'X')");
}

T_TEST(krs)
{
	char out[11] = "";
	T_EQ_INT(valid_krs("0000012345", out, NULL), 0);
	T_EQ_STR(out, "0000012345");
	T_EQ_INT(valid_krs(" 0000000001 ", out, NULL), 0);
	T_EQ_STR(out, "0000000001");
	T_EQ_STR(WHY(valid_krs("12345", out, &why)),
		 "'12345': must have exactly 10 digits including leading zeros, got 5 "
		 "(a spreadsheet may have dropped the zeros: write 0000012345)");
	T_EQ_STR(WHY(valid_krs("00000123456", out, &why)), "'00000123456': must have exactly 10 digits, got 11");
	T_EQ_STR(WHY(valid_krs("", out, &why)), "must have exactly 10 digits, got 0");
	T_EQ_STR(WHY(valid_krs("0000000000", out, &why)), "'0000000000': is not a KRS number (all zeros)");
	T_EQ_STR(WHY(valid_krs("0000-012345", out, &why)), "'0000-012345': may contain only digits (found '-')");
}

T_TEST(postal)
{
	char out[7] = "";
	T_EQ_INT(valid_postal("00-950", out, NULL), 0);
	T_EQ_STR(out, "00-950");
	T_EQ_INT(valid_postal("31042", out, NULL), 0);
	T_EQ_STR(out, "31-042");
	T_EQ_INT(valid_postal(" 80-001 ", out, NULL), 0);
	T_EQ_STR(out, "80-001");
	T_EQ_STR(WHY(valid_postal("00950-", out, &why)), "must be a Polish postal code NN-NNN, e.g. 00-950");
	T_EQ_INT(valid_postal("0-0950", out, NULL), -1);
	T_EQ_INT(valid_postal("00-95", out, NULL), -1);
	T_EQ_INT(valid_postal("00 950", out, NULL), -1);
	T_EQ_INT(valid_postal("3104", out, NULL), -1);
	T_EQ_INT(valid_postal("310421", out, NULL), -1);
	T_EQ_INT(valid_postal("a0-950", out, NULL), -1);
	T_EQ_INT(valid_postal("", out, NULL), -1);
}

T_TEST(teryt)
{
	char out[8] = "";
	T_EQ_INT(valid_teryt("02", out, NULL), 0);
	T_EQ_STR(out, "02");
	T_EQ_INT(valid_teryt("32", out, NULL), 0);
	T_EQ_INT(valid_teryt("1465", out, NULL), 0);   /* Warszawa, powiat */
	T_EQ_STR(out, "1465");
	T_EQ_INT(valid_teryt("1465011", out, NULL), 0);  /* Warszawa, urban gmina */
	T_EQ_STR(out, "1465011");
	T_EQ_INT(valid_teryt("1465108", out, NULL), 0);  /* a district of Warszawa */
	T_EQ_INT(valid_teryt("1261049", out, NULL), 0);  /* a delegation of Kraków */
	T_EQ_INT(valid_teryt("0201015", out, NULL), 0);
	T_EQ_INT(valid_teryt(" 12 ", out, NULL), 0);
	T_EQ_STR(out, "12");

	T_EQ_STR(WHY(valid_teryt("03", out, &why)),
		 "voivodeship code must be an even number from 02 to 32, got 03");
	T_EQ_STR(WHY(valid_teryt("00", out, &why)),
		 "voivodeship code must be an even number from 02 to 32, got 00");
	T_EQ_STR(WHY(valid_teryt("34", out, &why)),
		 "voivodeship code must be an even number from 02 to 32, got 34");
	T_EQ_STR(WHY(valid_teryt("1400", out, &why)), "powiat code must be from 01 to 99, got 00");
	T_EQ_STR(WHY(valid_teryt("1465001", out, &why)), "gmina code must be from 01 to 99, got 00");
	T_EQ_STR(WHY(valid_teryt("1465016", out, &why)),
		 "gmina type (the last digit) must be 1 to 5, 8 or 9, got 6");
	T_EQ_STR(WHY(valid_teryt("1465017", out, &why)),
		 "gmina type (the last digit) must be 1 to 5, 8 or 9, got 7");
	T_EQ_STR(WHY(valid_teryt("146501", out, &why)),
		 "must have 2 digits (voivodeship), 4 (powiat) or 7 (gmina), got 6");
	T_EQ_STR(WHY(valid_teryt("14-65", out, &why)), "may contain only digits (found '-')");
	T_EQ_INT(valid_teryt("", out, NULL), -1);
	T_EQ_INT(valid_teryt("2", out, NULL), -1);
}

T_TEST(pkd)
{
	char out[10] = "";
	int level = 0;
	static const struct {
		const char *in, *out;
		int level;
	} ok[] = {
		{ "J", "J", 1 }, { "j", "J", 1 }, { "A", "A", 1 }, { "V", "V", 1 },
		{ "62", "62", 2 }, { "01", "01", 2 },
		{ "62.0", "62.0", 3 }, { "620", "62.0", 3 },
		{ "62.01", "62.01", 4 }, { "6201", "62.01", 4 }, { "05.10", "05.10", 4 },
		{ "62.01.Z", "62.01.Z", 5 }, { "62.01.z", "62.01.Z", 5 }, { "6201Z", "62.01.Z", 5 },
		{ "62.01Z", "62.01.Z", 5 }, { "6201.Z", "62.01.Z", 5 }, { "6201z", "62.01.Z", 5 },
		{ " 01.11.Z ", "01.11.Z", 5 }, { "99.00.Z", "99.00.Z", 5 },
	};
	static const char *const bad[] = {
		"", "6", "62.", "62.01.", "62.0.1", "62Z", "62.0Z", "62.01.ZZ", "62.01.1",
		"620.1", "62..01", "62,01", "62-01-Z", "62.01 Z", "JJ", "1J", ".62", "620111",
	};
	size_t i;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		level = 0;
		T_EQ_INT(valid_pkd(ok[i].in, out, &level, NULL), 0);
		T_EQ_STR(out, ok[i].out);
		T_EQ_INT(level, ok[i].level);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		T_EQ_STR(WHY(valid_pkd(bad[i], out, &level, &why)),
			 "must be a PKD code such as 62.01.Z (subclass), 62.01 (class), "
			 "62.0 (group), 62 (division) or J (section)");
	}
	T_EQ_STR(WHY(valid_pkd("W", out, &level, &why)), "section must be a letter from A to V, got W");
	T_EQ_STR(WHY(valid_pkd("00.11", out, &level, &why)),
		 "division 00 does not exist (divisions are 01 to 99)");
	T_EQ_INT(valid_pkd("62.01.Z", NULL, NULL, NULL), 0);
}

T_TEST(email)
{
	static const char *const good[] = {
		"jan.kowalski@example.pl", "a@b.co", "biuro+klaster@firma.com.pl",
		"zażółć@gęślą.pl", "o'brien@example.ie", "x_y-z@sub-domain.example.org",
	};
	size_t i;
	char long_local[80], long_all[300];
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		T_EQ_INT(valid_email(good[i], NULL), 0);

	T_EQ_STR(WHY(valid_email("", &why)), "is empty");
	T_EQ_STR(WHY(valid_email(NULL, &why)), "is empty");
	T_EQ_STR(WHY(valid_email("jan.example.pl", &why)), "must contain @, as in name@example.pl");
	T_EQ_STR(WHY(valid_email("a@b@example.pl", &why)), "must contain exactly one @ (found 2)");
	T_EQ_STR(WHY(valid_email("@example.pl", &why)), "has nothing before the @");
	T_EQ_STR(WHY(valid_email("jan@", &why)), "has nothing after the @");
	T_EQ_STR(WHY(valid_email("jan @example.pl", &why)), "must not contain spaces");
	T_EQ_STR(WHY(valid_email(" jan@example.pl", &why)), "must not contain spaces");
	T_EQ_STR(WHY(valid_email("jan@exa\tmple.pl", &why)), "must not contain control characters");
	T_EQ_STR(WHY(valid_email("Jan <jan@example.pl>", &why)), "must not contain spaces");
	T_EQ_STR(WHY(valid_email("<jan@example.pl>", &why)),
		 "must be a single plain address such as name@example.pl (found '<')");
	T_EQ_STR(WHY(valid_email("a@x.pl,b@x.pl", &why)),
		 "must be a single plain address such as name@example.pl (found ',')");
	T_EQ_STR(WHY(valid_email("jan@localhost", &why)),
		 "the domain after the @ must contain a dot, as in example.pl");
	T_EQ_STR(WHY(valid_email("jan@example..pl", &why)),
		 "the domain after the @ has an empty part (check the dots)");
	T_EQ_STR(WHY(valid_email("jan@.example.pl", &why)),
		 "the domain after the @ has an empty part (check the dots)");
	T_EQ_STR(WHY(valid_email("jan@example.pl.", &why)),
		 "the domain after the @ has an empty part (check the dots)");
	T_EQ_STR(WHY(valid_email("jan@example.p", &why)),
		 "the domain after the @ must end with a top-level domain of two or more "
		 "characters, such as .pl");
	T_EQ_STR(WHY(valid_email("jan@-example.pl", &why)),
		 "the domain after the @ has a part that starts or ends with '-'");
	T_EQ_STR(WHY(valid_email("jan@exa_mple.pl", &why)),
		 "the domain after the @ must not contain '_'");
	T_EQ_STR(WHY(valid_email(".jan@example.pl", &why)),
		 "the part before the @ must not start or end with a dot or have two dots in a row");
	T_EQ_STR(WHY(valid_email("ja..n@example.pl", &why)),
		 "the part before the @ must not start or end with a dot or have two dots in a row");
	T_EQ_STR(WHY(valid_email("jan\xff@example.pl", &why)), "is not valid UTF-8");

	memset(long_local, 'a', 65);
	memcpy(long_local + 65, "@example.pl", 12);
	T_EQ_STR(WHY(valid_email(long_local, &why)),
		 "the part before the @ is too long (65 bytes, at most 64)");
	memmove(long_local + 64, long_local + 65, 12);  /* 64 before the @ is fine */
	T_EQ_INT(valid_email(long_local, NULL), 0);

	memset(long_all, 'a', sizeof(long_all));
	long_all[10] = '@';
	for (i = 20; i < 255; i += 20)
		long_all[i] = '.';
	long_all[255] = '\0';
	T_EQ_STR(WHY(valid_email(long_all, &why)), "is too long (255 bytes, at most 254)");
	long_all[254] = '\0';
	T_EQ_INT(valid_email(long_all, NULL), 0);
}

T_TEST(url)
{
	static const char *const good[] = {
		"http://example.pl", "https://www.example.pl/", "HTTPS://Example.PL/a?b=c#d",
		"https://www.example.pl:8443/path", "https://example.pl/medium/@user",
		"https://żółw.pl/ścieżka", "http://[2001:db8::1]/", "http://[::1]:8080",
		"https://example.pl?x=1", "https://example.pl#top", "https://a-b.c-d.pl/%20x",
	};
	size_t i;
	char big[2100];
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		T_EQ_INT(valid_url(good[i], NULL), 0);

	T_EQ_STR(WHY(valid_url("", &why)), "is empty");
	T_EQ_STR(WHY(valid_url("www.example.pl", &why)),
		 "must start with http:// or https://, as in https://www.example.pl");
	T_EQ_STR(WHY(valid_url("ftp://example.pl", &why)),
		 "must start with http:// or https://, as in https://www.example.pl");
	T_EQ_STR(WHY(valid_url("javascript:alert(1)", &why)),
		 "must start with http:// or https://, as in https://www.example.pl");
	T_EQ_STR(WHY(valid_url("https://", &why)), "has no host name after https://");
	T_EQ_STR(WHY(valid_url("https:///path", &why)), "has no host name after https://");
	T_EQ_STR(WHY(valid_url("https://:80/", &why)), "has no host name after https://");
	T_EQ_STR(WHY(valid_url("https://example.pl/a b", &why)),
		 "must not contain spaces (write them as %20)");
	T_EQ_STR(WHY(valid_url("https://example.pl/\"x", &why)), "must not contain a double quote (\")");
	T_EQ_STR(WHY(valid_url("https://example.pl/'x", &why)), "must not contain an apostrophe (')");
	T_EQ_STR(WHY(valid_url("https://example.pl/<script>", &why)), "must not contain '<'");
	T_EQ_STR(WHY(valid_url("https://example.pl/a\\b", &why)), "must not contain '\\'");
	T_EQ_STR(WHY(valid_url("https://example.pl/\n", &why)), "must not contain control characters");
	T_EQ_STR(WHY(valid_url("https://bank.pl@evil.example/", &why)),
		 "must not contain a user name or password before the host name");
	T_EQ_STR(WHY(valid_url("http://localhost/", &why)),
		 "the host name must contain a dot, as in example.pl");
	T_EQ_STR(WHY(valid_url("http://exa mple.pl", &why)),
		 "must not contain spaces (write them as %20)");
	T_EQ_STR(WHY(valid_url("http://exa_mple.pl", &why)), "the host name must not contain '_'");
	T_EQ_STR(WHY(valid_url("http://example..pl", &why)),
		 "the host name has an empty part (check the dots)");
	T_EQ_STR(WHY(valid_url("http://example.pl:0/", &why)),
		 "port (after the ':') must be a number from 1 to 65535");
	T_EQ_STR(WHY(valid_url("http://example.pl:65536/", &why)),
		 "port (after the ':') must be a number from 1 to 65535");
	T_EQ_STR(WHY(valid_url("http://example.pl:/", &why)),
		 "port (after the ':') must be a number from 1 to 65535");
	T_EQ_STR(WHY(valid_url("http://example.pl:8o/", &why)),
		 "port (after the ':') must be a number from 1 to 65535");
	T_EQ_INT(valid_url("http://example.pl:65535/", NULL), 0);
	T_EQ_STR(WHY(valid_url("http://[2001:db8::1/", &why)),
		 "has a '[' in the host name without a closing ']'");
	T_EQ_STR(WHY(valid_url("http://[]/", &why)), "has an empty IPv6 address in the host name");
	T_EQ_STR(WHY(valid_url("http://[::g]/", &why)), "has an invalid IPv6 address in the host name");
	T_EQ_STR(WHY(valid_url("http://[::1]x/", &why)),
		 "has characters after the IPv6 address in the host name");
	T_EQ_STR(WHY(valid_url("http://example.pl/\xc3", &why)), "is not valid UTF-8");

	memcpy(big, "https://example.pl/", 19);
	memset(big + 19, 'a', 2001 - 19);
	big[2001] = '\0';
	T_EQ_STR(WHY(valid_url(big, &why)), "is too long (2001 bytes, at most 2000)");
	big[2000] = '\0';
	T_EQ_INT(valid_url(big, NULL), 0);
}

T_TEST(phone)
{
	T_EQ_INT(valid_phone("+48 22 123 45 67", NULL), 0);
	T_EQ_INT(valid_phone("(22) 123-45-67", NULL), 0);
	T_EQ_INT(valid_phone("123456", NULL), 0);
	T_EQ_INT(valid_phone("12345678901234567890", NULL), 0);
	T_EQ_STR(WHY(valid_phone("12345", &why)), "must have 6 to 20 digits, got 5");
	T_EQ_STR(WHY(valid_phone("123456789012345678901", &why)), "must have 6 to 20 digits, got 21");
	T_EQ_STR(WHY(valid_phone("+48 (--)", &why)), "must have 6 to 20 digits, got 2");
	T_EQ_STR(WHY(valid_phone("", &why)), "is empty");
	T_EQ_STR(WHY(valid_phone("22 123 45 67 wew. 12", &why)),
		 "may contain only digits, spaces, +, -, ( and ) (found 'w')");
	T_EQ_STR(WHY(valid_phone("22.123.45.67", &why)),
		 "may contain only digits, spaces, +, -, ( and ) (found '.')");
	T_EQ_STR(WHY(valid_phone("22\t1234567", &why)),
		 "may contain only digits, spaces, +, -, ( and ) (found a tab)");
	T_EQ_STR(WHY(valid_phone("48+221234567", &why)), "may have '+' only at the start");
	T_EQ_STR(WHY(valid_phone(" 221234567", &why)), "must not start or end with a space");
	T_EQ_STR(WHY(valid_phone("221234567 ", &why)), "must not start or end with a space");
}

T_TEST(date)
{
	T_EQ_INT(valid_date("2024-03-15", NULL), 0);
	T_EQ_INT(valid_date("2024-02-29", NULL), 0);  /* divisible by 4 */
	T_EQ_INT(valid_date("2000-02-29", NULL), 0);  /* divisible by 400 */
	T_EQ_INT(valid_date("1999-12-31", NULL), 0);
	T_EQ_INT(valid_date("0001-01-01", NULL), 0);
	T_EQ_INT(valid_date("9999-12-31", NULL), 0);
	T_EQ_STR(WHY(valid_date("2023-02-29", &why)), "2023-02-29 does not exist (2023 is not a leap year)");
	T_EQ_STR(WHY(valid_date("1900-02-29", &why)), "1900-02-29 does not exist (1900 is not a leap year)");
	T_EQ_STR(WHY(valid_date("2024-02-30", &why)), "2024-02-30 does not exist (February has 29 days)");
	T_EQ_STR(WHY(valid_date("2024-04-31", &why)), "2024-04-31 does not exist (April has 30 days)");
	T_EQ_STR(WHY(valid_date("2024-01-32", &why)), "day must be from 01 to 31, got 32");
	T_EQ_STR(WHY(valid_date("2024-01-00", &why)), "day must be from 01 to 31, got 00");
	T_EQ_STR(WHY(valid_date("2024-13-01", &why)), "month must be from 01 to 12, got 13");
	T_EQ_STR(WHY(valid_date("2024-00-01", &why)), "month must be from 01 to 12, got 00");
	T_EQ_STR(WHY(valid_date("0000-01-01", &why)), "year must be from 0001 to 9999, got 0000");
	T_EQ_STR(WHY(valid_date("15.03.2024", &why)),
		 "must have the form YYYY-MM-DD (for 15.03.2024 write 2024-03-15)");
	T_EQ_STR(WHY(valid_date("2024-3-15", &why)), "must be a date of the form YYYY-MM-DD, e.g. 2024-03-15");
	T_EQ_INT(valid_date("2024/03/15", NULL), -1);
	T_EQ_INT(valid_date("2024-03-15 ", NULL), -1);
	T_EQ_INT(valid_date("2024-03-1x", NULL), -1);
	T_EQ_INT(valid_date("", NULL), -1);
	T_EQ_INT(valid_date(NULL, NULL), -1);
}

T_TEST(year)
{
	int y = 0;
	T_EQ_INT(valid_year("2015", 1990, 2025, &y, NULL), 0);
	T_EQ_INT(y, 2015);
	T_EQ_INT(valid_year(" 1990 ", 1990, 2025, &y, NULL), 0);
	T_EQ_INT(y, 1990);
	T_EQ_INT(valid_year("2025", 1990, 2025, &y, NULL), 0);
	T_EQ_INT(valid_year("02000", 1990, 2025, &y, NULL), 0);
	T_EQ_INT(y, 2000);
	T_EQ_INT(valid_year("2000", 1990, 2025, NULL, NULL), 0);
	T_EQ_STR(WHY(valid_year("1989", 1990, 2025, &y, &why)), "must be a year from 1990 to 2025, got 1989");
	T_EQ_STR(WHY(valid_year("2026", 1990, 2025, &y, &why)), "must be a year from 1990 to 2025, got 2026");
	T_EQ_STR(WHY(valid_year("99999999999", 1990, 2025, &y, &why)), "must be a year from 1990 to 2025");
	T_EQ_STR(WHY(valid_year("2015r.", 1990, 2025, &y, &why)), "must be a year written in digits, such as 2015");
	T_EQ_STR(WHY(valid_year("-2015", 1990, 2025, &y, &why)), "must be a year written in digits, such as 2015");
	T_EQ_STR(WHY(valid_year("", 1990, 2025, &y, &why)), "must be a year written in digits, such as 2015");
}

T_TEST(coord)
{
	double la = 0, lo = 0;
	T_EQ_INT(valid_coord("52.2297", "21.0122", &la, &lo, NULL), 0);
	T_NEAR(la, 52.2297, 1e-12);
	T_NEAR(lo, 21.0122, 1e-12);
	T_EQ_INT(valid_coord(" 50,0647 ", "19,9450", &la, &lo, NULL), 0);  /* decimal commas */
	T_NEAR(la, 50.0647, 1e-12);
	T_NEAR(lo, 19.945, 1e-12);
	T_EQ_INT(valid_coord("49.0", "14.1", &la, &lo, NULL), 0);  /* the corners are inside */
	T_EQ_INT(valid_coord("54.9", "24.2", &la, &lo, NULL), 0);
	T_EQ_INT(valid_coord("+54.35", "18.646638000000001", &la, &lo, NULL), 0);
	T_NEAR(lo, 18.646638, 1e-12);
	T_EQ_INT(valid_coord("52", "21", NULL, NULL, NULL), 0);

	la = lo = 7;
	T_EQ_INT(valid_coord("", "", &la, &lo, &why), 1);
	T_EQ_INT(valid_coord(NULL, " ", &la, &lo, &why), 1);
	T_OK(la == 7 && lo == 7);
	buf_reset(&why);
	T_EQ_INT(valid_coord("", "", &la, &lo, &why), 1);
	T_EQ_STR(why.ptr, "");

	T_EQ_STR(WHY(valid_coord("52.1", "", &la, &lo, &why)),
		 "lon is missing (give both lat and lon, or neither)");
	T_EQ_STR(WHY(valid_coord(NULL, "21.0", &la, &lo, &why)),
		 "lat is missing (give both lat and lon, or neither)");
	T_EQ_STR(WHY(valid_coord("21.0122", "52.2297", &la, &lo, &why)),
		 "lat and lon seem to be swapped (lat is north, 49.0 to 54.9; lon is east, 14.1 to 24.2)");
	T_EQ_STR(WHY(valid_coord("48.99", "21", &la, &lo, &why)), "lat 48.99 is outside Poland (49.0 to 54.9)");
	T_EQ_STR(WHY(valid_coord("54.91", "21", &la, &lo, &why)), "lat 54.91 is outside Poland (49.0 to 54.9)");
	T_EQ_STR(WHY(valid_coord("-52.2", "21", &la, &lo, &why)), "lat -52.2 is outside Poland (49.0 to 54.9)");
	T_EQ_STR(WHY(valid_coord("52", "24.21", &la, &lo, &why)), "lon 24.21 is outside Poland (14.1 to 24.2)");
	T_EQ_STR(WHY(valid_coord("52", "14.09", &la, &lo, &why)), "lon 14.09 is outside Poland (14.1 to 24.2)");
	T_EQ_STR(WHY(valid_coord("52°13'", "21", &la, &lo, &why)),
		 "lat must be decimal degrees such as 52.2297 (found the character U+00B0)");
	T_EQ_STR(WHY(valid_coord("52.2", "21.0E", &la, &lo, &why)),
		 "lon must be decimal degrees such as 52.2297 (found 'E')");
	T_EQ_STR(WHY(valid_coord("52.", "21", &la, &lo, &why)),
		 "lat must be decimal degrees such as 52.2297 (digits are missing after the decimal point)");
	T_EQ_STR(WHY(valid_coord("-", "21", &la, &lo, &why)), "lat must be decimal degrees such as 52.2297");
	T_EQ_STR(WHY(valid_coord("5e1", "21", &la, &lo, &why)),
		 "lat must be decimal degrees such as 52.2297 (found 'e')");
	T_EQ_STR(WHY(valid_coord("52.1.2", "21", &la, &lo, &why)),
		 "lat must be decimal degrees such as 52.2297 (found '.')");
	T_EQ_STR(WHY(valid_coord("1000000000000000000000000000052", "21", &la, &lo, &why)),
		 "lat 100000000000000000000000 is outside Poland (49.0 to 54.9)");
	T_OK(la == 7 && lo == 7);  /* untouched on failure */
}

T_TEST(accept_language)
{
	static const struct { const char *h, *want; } v[] = {
		{ "en", "en" }, { "pl", "pl" }, { "EN-gb", "en" }, { "pl-PL,pl;q=0.9", "pl" },
		{ "pl;q=0.1, en;q=0.9", "en" }, { "en;q=0.1, pl;q=0.9", "pl" },
		{ "de-DE,de;q=0.9,en;q=0.8", "en" }, { "de-DE,de;q=0.9,en;q=0.8,pl;q=0.85", "pl" },
		{ "fr, en-US;q=0.5, pl;q=0.5", "en" },            /* equal weights: the first listed */
		{ "en;q=0, pl;q=0", NULL }, { "en;q=0", NULL }, { "de, fr", NULL }, { "*", NULL }, { "", NULL },
		{ "en;q=1.000", "en" }, { "en;q=0.5;level=1, pl;q=0.4", "en" }, { "en;foo=bar", "en" },
		{ "en;q=2, pl;q=0.3", "pl" },                     /* a malformed weight: the entry is skipped */
		{ "en;q=abc, pl", "pl" }, { "eng, pl;q=0.2", "pl" }, { " en-GB ; q=0.7 ,pl;q=0.6", "en" },
		{ ",,, ;q=1, en", "en" }, { "en-", "en" }, { "pl;q=0.0001, en;q=0.0001", NULL },
	};
	size_t k;
	for (k = 0; k < sizeof(v) / sizeof(*v); k++) {
		const char *got = valid_accept_language(v[k].h);
		if (!T_OK(got == v[k].want || (got && v[k].want && strcmp(got, v[k].want) == 0)))
			printf("#   \"%s\": got %s, want %s\n", v[k].h, got ? got : "NULL", v[k].want ? v[k].want : "NULL");
	}
	T_OK(valid_accept_language(NULL) == NULL);
}

T_TEST(etag_matches)
{
	static const struct { const char *h; int want; } v[] = {
		{ "\"1a-f0\"", 1 }, { "W/\"1a-f0\"", 1 }, { "\"x\", \"1a-f0\"", 1 }, { "\"x\",W/\"1a-f0\" , \"y\"", 1 },
		{ "*", 1 }, { " * ", 1 }, { "\"x\", *", 0 }, { "*junk", 0 }, { "*, \"1a-f0\"", 0 }, { "\"1a-f0x\"", 0 }, { "\"1a-f\"", 0 }, { "1a-f0", 0 }, { "", 0 },
		{ ",,,", 0 }, { "W/", 0 }, { "\"1a-f0", 0 }, { "\"x,\"1a-f0\"\"", 0 }, { "\t\"1a-f0\"\t", 1 },
	};
	size_t k;
	for (k = 0; k < sizeof(v) / sizeof(*v); k++)
		if (!T_OK(valid_etag_matches(v[k].h, "\"1a-f0\"") == v[k].want))
			printf("#   If-None-Match: %s (want %d)\n", v[k].h, v[k].want);
	T_EQ_INT(valid_etag_matches(NULL, "\"1a-f0\""), 0);
	T_EQ_INT(valid_etag_matches("*", ""), 0);
}

int main(void)
{
	T_RUN(nip_check_digit);
	T_RUN(nip_valid);
	T_RUN(nip_invalid);
	T_RUN(regon);
	T_RUN(krs);
	T_RUN(postal);
	T_RUN(teryt);
	T_RUN(pkd);
	T_RUN(email);
	T_RUN(url);
	T_RUN(phone);
	T_RUN(date);
	T_RUN(year);
	T_RUN(coord);
	T_RUN(accept_language);
	T_RUN(etag_matches);
	buf_release(&why);
	return t_done();
}
