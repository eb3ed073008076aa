/*
 * test_fold.c — search forms, Polish sort keys and query tokens.
 */
#include "t.h"

#include <stdlib.h>

#include "buf.h"
#include "fold.h"

static struct buf out = BUF_INIT;

static const char *search(const char *s)
{
	buf_reset(&out);
	fold_search(&out, s);
	return out.ptr;
}

static char *sortkey(const char *s)
{
	struct buf b = BUF_INIT;
	fold_sortkey(&b, s);
	return buf_detach(&b, NULL);
}

/* fold_lower: letter for letter, accents kept; ASCII, Latin-1 and Latin Extended-A. */
T_TEST(lower)
{
	static const struct {
		const char *in, *out;
	} v[] = {
		{ "ŁKŻ", "łkż" }, { "ĄĆĘŁŃÓŚŹŻ", "ąćęłńóśźż" }, { "MKTC", "mktc" }, { "Mktc-2", "mktc-2" },
		{ "ÀÉÎÕÜ×Þß", "àéîõü×þß" }, { "ČŠŽĽŇŘ", "čšžľňř" }, { "ΑΒΓ", "ΑΒΓ" }, { "Ÿÿ\xC4\xB2ĸ", "ÿÿ\xC4\xB3ĸ" },
		{ "a\xFF\xC5", "a\xFF\xC5" }, { "", "" }, { "\xC4\xB0", "\xC4\xB0" } /* İ: not ı */,
	};
	size_t i;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		struct buf b = BUF_INIT;
		fold_lower(&b, v[i].in);
		T_EQ_STR(b.ptr ? b.ptr : "", v[i].out);
		buf_release(&b);
	}
}

/* fold_lower_prefix: fold_lower's case ignored character by character, no accent dropped. */
T_TEST(lower_prefix)
{
	T_OK(fold_lower_prefix("ŁA", "ła"));
	T_OK(fold_lower_prefix("ŁA-1", "ŁA"));
	T_OK(fold_lower_prefix("żółw", "ŻÓŁ"));
	T_OK(fold_lower_prefix("PL21", "pl"));
	T_OK(fold_lower_prefix("PL21", ""));
	T_OK(fold_lower_prefix("", ""));
	T_OK(fold_lower_prefix("ΑΒ", "ΑΒ"));
	T_OK(fold_lower_prefix("a\xFF" "b", "A\xFF"));
	T_OK(!fold_lower_prefix("ŁA", "la"));
	T_OK(!fold_lower_prefix("LA", "ła"));
	T_OK(!fold_lower_prefix("Ł", "ła"));
	T_OK(!fold_lower_prefix("", "a"));
	T_OK(!fold_lower_prefix("\xC4\xB0", "i")); /* İ */
	T_OK(!fold_lower_prefix("a\xFE", "a\xFF"));
	T_OK(!fold_lower_prefix("\xC5", "\xC5\x81"));
}

T_TEST(search_polish)
{
	T_EQ_STR(search("Łódź"), "lodz");
	T_EQ_STR(search("ŻYWIEC"), "zywiec");
	T_EQ_STR(search("Zakłady Mięsne „Łuków” S.A."), "zaklady miesne lukow s a");
	T_EQ_STR(search("ĄĆĘŁŃÓŚŹŻ ąćęłńóśźż"), "acelnoszz acelnoszz");
	T_EQ_STR(search("Zażółć gęślą jaźń"), "zazolc gesla jazn");
}

T_TEST(search_european)
{
	T_EQ_STR(search("Straße"), "strasse");
	T_EQ_STR(search("STRASSE"), "strasse");
	T_EQ_STR(search("Größe Äpfel Übermut"), "grosse apfel ubermut");
	T_EQ_STR(search("Élève café naïve Noël"), "eleve cafe naive noel");
	T_EQ_STR(search("Čeština Šťastný Žluťoučký Řeka"), "cestina stastny zlutoucky reka");
	T_EQ_STR(search("Győr Műegyetem"), "gyor muegyetem");
	T_EQ_STR(search("Ålesund Øresund Æble Œuvre"), "alesund oresund aeble oeuvre");
	T_EQ_STR(search("España Façade"), "espana facade");
	T_EQ_STR(search("Ğüneş Şişli Iıİi"), "gunes sisli iiii");
	T_EQ_STR(search("Ștefan Țară"), "stefan tara");
	T_EQ_STR(search("Þór Ðorđe"), "thor dorde");
	T_EQ_STR(search("ẞ"), "ss");
}

T_TEST(search_separators)
{
	T_EQ_STR(search(""), "");
	T_EQ_STR(search(NULL), "");
	T_EQ_STR(search("   "), "");
	T_EQ_STR(search("--- !!! ---"), "");
	T_EQ_STR(search("  a  b  "), "a b");
	T_EQ_STR(search("R&D-Centrum/IT"), "r d centrum it");
	T_EQ_STR(search("Klaster 3D, nr 12"), "klaster 3d nr 12");
	T_EQ_STR(search("a\tb\nc\r\nd"), "a b c d");
	T_EQ_STR(search("O'Neill"), "o neill");
	T_EQ_STR(search("a\xc2\xa0" "b"), "a b");              /* no-break space */
	T_EQ_STR(search("50\xe2\x82\xac"), "50");              /* € */
	T_EQ_STR(search("x\xc3\x97y"), "x y");                  /* × */
	T_EQ_STR(search("Eko\xf0\x9f\x8c\xb1Klaster"), "eko klaster");  /* emoji */
	T_EQ_STR(search("Москва Moskwa"), "moskwa");            /* other scripts */
	T_EQ_STR(search("東京 Tokio"), "tokio");
}

T_TEST(search_invisible_and_invalid)
{
	/* combining accents are dropped: e + U+0301 folds like é */
	T_EQ_STR(search("Cafe\xcc\x81 Z\xcc\x87ywiec"), "cafe zywiec");
	/* soft hyphen, zero-width space and a BOM join what they split */
	T_EQ_STR(search("Prze\xc2\xadmysł"), "przemysl");
	T_EQ_STR(search("ab\xe2\x80\x8b" "cd"), "abcd");
	T_EQ_STR(search("\xef\xbb\xbfKlaster"), "klaster");
	/* invalid UTF-8 bytes become spaces */
	T_EQ_STR(search("a\xff" "b"), "a b");
	T_EQ_STR(search("a\xc5"), "a");
	T_EQ_STR(search("\xc0\xaf" "x"), "x");      /* overlong '/' */
	T_EQ_STR(search("a\xed\xa0\x80" "b"), "a b");  /* surrogate */
	/* full-width ASCII counts as ASCII */
	T_EQ_STR(search("\xef\xbc\xa1\xef\xbd\x82\xef\xbc\x91"), "ab1");
}

T_TEST(search_appends_and_is_idempotent)
{
	static const char *const samples[] = {
		"Zakłady Mięsne „Łuków” S.A.", "Straße 12", "  Ä-ö-ü  ", "a\377\376b",
		"Москва", "x  y", "Œ", "",
	};
	size_t i;
	struct buf b = BUF_INIT;
	buf_puts(&b, "name: ");
	fold_search(&b, "Łódź");
	T_EQ_STR(b.ptr, "name: lodz");
	for (i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
		char *once = xstrdup(search(samples[i]));
		T_OK(strlen(once) <= strlen(samples[i]));
		T_EQ_STR(search(once), once);
		free(once);
	}
	buf_release(&b);
}

T_TEST(sortkey_format)
{
	static const char *const samples[] = {
		"", "Łódź", "Москва 12", "a\377b", "\x01\x7f", "  spaces  ", "12345678901234567890",
	};
	size_t i;
	char *k = sortkey("Łódź");
	/* level 1: ł ó d ź; level 2: upper, lower, lower, lower; level 3: the bytes */
	T_EQ_STR(k, "l~o~dz}!1000!C581C3B364C5BA");
	free(k);
	k = sortkey("");
	T_EQ_STR(k, "!!");
	free(k);
	k = sortkey("Nowa Sól 12");
	T_EQ_STR(k, "nowa-so~l-212!1000100!4E6F77612053C3B36C203132");
	free(k);
	k = sortkey(NULL);
	T_EQ_STR(k, "!!");
	free(k);
	for (i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
		const char *c;
		int printable = 1;
		k = sortkey(samples[i]);
		for (c = k; *c; c++)
			if (*c < 0x21 || *c > 0x7E)
				printable = 0;
		T_OK(printable);
		T_OK(strlen(k) <= 5 * strlen(samples[i]) + 2);
		free(k);
	}
}

static int cmp_key(const void *a, const void *b)
{
	const char *const *x = a, *const *y = b;
	return strcmp(x[1], y[1]);
}

/* Sorts words (shuffled) by their keys and checks the order is expected. */
static void check_order(const char *const *expected, size_t n)
{
	const char *(*pairs)[2] = xcalloc(n, sizeof(*pairs));
	size_t i, j;
	unsigned seed = 12345;
	for (i = 0; i < n; i++) {
		pairs[i][0] = expected[i];
		pairs[i][1] = sortkey(expected[i]);
	}
	/* a fixed Fisher–Yates shuffle */
	for (i = n - 1; i > 0; i--) {
		const char *t0, *t1;
		seed = seed * 1103515245u + 12345u;
		j = (seed >> 16) % (i + 1);
		t0 = pairs[i][0];
		t1 = pairs[i][1];
		pairs[i][0] = pairs[j][0];
		pairs[i][1] = pairs[j][1];
		pairs[j][0] = t0;
		pairs[j][1] = t1;
	}
	qsort(pairs, n, sizeof(*pairs), cmp_key);
	for (i = 0; i < n; i++) {
		T_EQ_STR(pairs[i][0], expected[i]);
		if (i > 0)
			T_OK(strcmp(pairs[i - 1][1], pairs[i][1]) < 0);  /* all distinct */
	}
	for (i = 0; i < n; i++)
		free((char *)pairs[i][1]);
	free(pairs);
}

T_TEST(sortkey_polish_order)
{
	static const char *const words[] = {
		"", "  ",
		"1 Maja", "2 Pułk", "007", "7", "10 Pułk",
		"a", "ala", "Ala", "Alicja", "ą", "ąb", "Ąla",
		"b", "Bęben",
		"Cukier", "Czech", "ćma", "Ćma",
		"Dab", "Dąb",
		"Eryk", "Ewa", "Ęka",
		"Fala", "Gdańsk", "Gdynia", "Hel", "Iława", "Jasło",
		"Klaster 2", "Klaster 10", "Klaster A", "Kraków",
		"Lublin", "Lwów", "Łomża", "Łódź",
		"Mława", "Mueller", "Muller", "Müller", "Mysz",
		"Nowa Sól", "Nowak", "Nowak-Jeziorański", "Nysa", "Ńa",
		"Olsztyn", "Opole", "Ósemka",
		"Poznań", "Quebec", "Radom",
		"S A", "S.A.", "SA", "Sopot", "Szczecin", "Śrem", "Świnoujście",
		"Toruń", "Ustka", "Vilnius", "Wałbrzych", "Warszawa", "Wrocław",
		"Xenia", "Yeti", "Zabrze", "Zakopane", "Źródło", "Żywiec", "Москва",
	};
	check_order(words, sizeof(words) / sizeof(words[0]));
}

T_TEST(sortkey_examples_from_the_contract)
{
	static const char *const a[] = { "Lublin", "Łódź" };
	static const char *const b[] = { "Zabrze", "Źródło", "Żywiec" };
	static const char *const c[] = { "ala", "Ala", "Ąla" };
	static const char *const d[] = { "e", "é", "ę" };
	static const char *const e[] = { "99", "100", "1000", "a" };
	check_order(a, 2);
	check_order(b, 3);
	check_order(c, 3);
	check_order(d, 3);
	check_order(e, 4);
}

T_TEST(sortkey_long_numbers)
{
	/* 60-digit runs are written in chunks and still give distinct, ordered keys */
	static const char *const w[] = {
		"123456789012345678901234567890123456789012345678901234567890",
		"123456789012345678901234567890123456789012345678901234567891",
		"223456789012345678901234567890123456789012345678901234567890",
	};
	check_order(w, 3);
}

T_TEST(tokens)
{
	struct buf st = BUF_INIT;
	const char *tok[4];
	T_EQ_INT(fold_tokens("  Zakłady   Mięsne, „Łuków” S.A. ", &st, tok, 4), 4);
	T_EQ_STR(tok[0], "zaklady");
	T_EQ_STR(tok[1], "miesne");
	T_EQ_STR(tok[2], "lukow");
	T_EQ_STR(tok[3], "s");
	T_EQ_INT(fold_tokens("Łódź", &st, tok, 4), 1);
	T_EQ_STR(tok[0], "lodz");
	T_EQ_INT(fold_tokens("a b c", &st, tok, 2), 2);
	T_EQ_STR(tok[0], "a");
	T_EQ_STR(tok[1], "b");
	T_EQ_INT(fold_tokens("", &st, tok, 4), 0);
	T_EQ_INT(fold_tokens(NULL, &st, tok, 4), 0);
	T_EQ_INT(fold_tokens(" ,;- ", &st, tok, 4), 0);
	T_EQ_INT(fold_tokens("abc", &st, NULL, 0), 0);
	/* a storage limit that the folded query exceeds gives no tokens */
	st.cap = 5;
	T_EQ_INT(fold_tokens("abcdefgh", &st, tok, 4), 0);
	T_EQ_INT(fold_tokens("ab cd", &st, tok, 4), 2);
	buf_release(&st);
}

int main(void)
{
	T_RUN(lower);
	T_RUN(lower_prefix);
	T_RUN(search_polish);
	T_RUN(search_european);
	T_RUN(search_separators);
	T_RUN(search_invisible_and_invalid);
	T_RUN(search_appends_and_is_idempotent);
	T_RUN(sortkey_format);
	T_RUN(sortkey_polish_order);
	T_RUN(sortkey_examples_from_the_contract);
	T_RUN(sortkey_long_numbers);
	T_RUN(tokens);
	buf_release(&out);
	return t_done();
}
