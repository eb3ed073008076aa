/* Polish for the library's English messages (src/i18n.c): every pattern takes an
 * example of itself (so no earlier, wider pattern hides it), fields before the
 * sentence stay as they are, and what no pattern takes stays English. */
#include "t.h"
#include "i18n.h"

/* text with each '*' (en) or "{k}" (pl) replaced by "X<k>" */
static void example(const char *pat, int polish, struct buf *out)
{
	int k = 0;
	buf_reset(out);
	for (; *pat; pat++) {
		if (!polish && *pat == '*') {
			buf_printf(out, "X%d", ++k);
		} else if (polish && pat[0] == '{' && pat[1] >= '1' && pat[1] <= '9' && pat[2] == '}') {
			buf_printf(out, "X%c", pat[1]);
			pat += 2;
		} else {
			buf_putc(out, *pat);
		}
	}
}

T_TEST(every_pattern)
{
	struct buf en = BUF_INIT, want = BUF_INIT, got = BUF_INIT;
	size_t k, bad = 0;
	for (k = 0; k < i18n_count(); k++) {
		const char *e, *p, *g;
		i18n_pattern(k, &e, &p);
		example(e, 0, &en);
		example(p, 1, &want);
		g = i18n_pl(en.ptr, &got);
		if (strcmp(g, want.ptr) != 0 && bad++ < 5)
			printf("#   \"%s\" gave \"%s\", want \"%s\"\n", en.ptr, g, want.ptr);
	}
	T_EQ_INT(bad, 0);
	T_OK(i18n_count() > 80);
	buf_release(&en);
	buf_release(&want);
	buf_release(&got);
}

T_TEST(fields_and_misses)
{
	struct buf b = BUF_INIT;
	T_EQ_STR(i18n_pl("email: must contain @, as in name@example.pl", &b), "email: musi zawierać @, jak w imie@example.pl");
	/* the server's own answers to a malformed request */
	T_EQ_STR(i18n_pl("a parameter of the address holds a NUL byte (%00): leave it out", &b),
		 "parametr adresu zawiera bajt NUL (%00): usuń go");
	T_EQ_STR(i18n_pl("the address has 500 parameters, more than the 200 a request may have", &b),
		 "adres ma 500 parametrów, a żądanie może mieć najwyżej 200");
	T_EQ_STR(i18n_pl("column nip: check digit does not match (expected 5, got 3)", &b),
		 "column nip: cyfra kontrolna się nie zgadza (powinna być 5, jest 3)");
	T_EQ_STR(i18n_pl("pkd_codes: '04.11': division 04 does not exist in PKD 2007", &b),
		 "pkd_codes: '04.11': dział 04 nie istnieje w PKD 2007");
	T_EQ_STR(i18n_pl("pkd_codes: '62.01.Y': 62.01.Y is not a subclass of PKD 2007; class 62.01 has 62.01.Z", &b),
		 "pkd_codes: '62.01.Y': 62.01.Y nie jest podklasą PKD 2007; klasa 62.01 ma podklasy: 62.01.Z");
	T_EQ_STR(i18n_pl("nip: is not a valid NIP: no check digit exists for its first nine digits", &b),
		 "nip: to nie jest poprawny NIP: dla jego pierwszych dziewięciu cyfr nie istnieje cyfra kontrolna");
	T_EQ_STR(i18n_pl("kind: 'x y' is not one of a, b", &b), "kind: „x y” nie jest jedną z wartości: a, b");
	/* an identifier's value, quoted by the validators, is a field whatever its spaces and quotes */
	T_EQ_STR(i18n_pl("column nip: '526 025 02 73': check digit does not match (expected 4, got 3)", &b),
		 "column nip: '526 025 02 73': cyfra kontrolna się nie zgadza (powinna być 4, jest 3)");
	T_EQ_STR(i18n_pl("nip: '52\\': 6 to: 3': must have 10 digits, got 4", &b),
		 "nip: '52\\': 6 to: 3': musi mieć 10 cyfr, ma 4");
	T_EQ_STR(i18n_pl("regon: '10000000000010': the first nine digits are not a valid REGON of the entity "
			 "(its check digit, the ninth, should be 8, got 0)", &b),
		 "regon: '10000000000010': pierwsze dziewięć cyfr nie jest poprawnym numerem REGON podmiotu "
		 "(jego cyfra kontrolna, dziewiąta, powinna być 8, jest 0)");
	T_EQ_STR(i18n_pl("krs: '0000000000': is not a KRS number (all zeros)", &b),
		 "krs: '0000000000': to nie jest numer KRS (same zera)");
	/* a sentence with a part after it: the sentence looked up alone, the part in Polish */
	T_EQ_STR(i18n_pl("title: required, at most 200 characters (this one has 500)", &b),
		 "title: wymagane, najwyżej 200 znaków (ten ma 500)");
	T_EQ_STR(i18n_pl("pkd: section must be a letter from A to V, got Z (in 'Z')", &b),
		 "pkd: sekcja musi być literą od A do V, jest Z (w „Z”)");
	T_EQ_STR(i18n_pl("title: control characters are not allowed (one line of text)", &b),
		 "title: znaki sterujące są niedozwolone (jeden wiersz tekstu)");
	T_EQ_STR(i18n_pl("title: something new (this one has 5)", &b), "title: something new (this one has 5)");
	T_EQ_STR(i18n_pl("email: the domain after the @ must contain a dot, as in example.pl", &b),
		 "email: domena po @ musi zawierać kropkę, jak w example.pl");
	/* the offers' and news' messages a Polish page showed in English */
	T_EQ_STR(i18n_pl("pkd: 'zz' is not a PKD code of a division or finer (e.g. 62 or 62.01.Z)", &b),
		 "pkd: „zz” nie jest kodem PKD działu ani dokładniejszym (np. 62 albo 62.01.Z)");
	T_EQ_STR(i18n_pl("keywords: each keyword is one phrase of at most 50 characters, separated by commas", &b),
		 "keywords: każde słowo kluczowe to jedna fraza do 50 znaków; oddziel je przecinkami");
	T_EQ_STR(i18n_pl("cluster: must be the number of a cluster", &b), "cluster: musi być numerem klastra");
	T_EQ_STR(i18n_pl("cluster: no such cluster", &b), "cluster: nie ma takiego klastra");
	T_EQ_STR(i18n_pl("valid_until: at most 2 years ahead, until 2028-11-23 at the latest (9999-12-31 is later)", &b),
		 "valid_until: najwyżej 2 lata naprzód, czyli najpóźniej 2028-11-23 (podano późniejszą datę 9999-12-31)");
	/* a choice's codes are named by the labels of the form's list, not as the codes of the address */
	T_EQ_STR(i18n_pl("kind: 'x' is not one of supply, demand, cooperation, subcontracting, technology", &b),
		 "kind: „x” nie jest żadnym z rodzajów oferty: „Podaż — oferuję”, „Popyt — szukam”, „Współpraca”, "
		 "„Podwykonawstwo”, „Technologia”");
	T_EQ_STR(i18n_pl("kind: required, one of supply, demand, cooperation, subcontracting, technology", &b),
		 "kind: wymagane; wybierz rodzaj oferty: „Podaż — oferuję”, „Popyt — szukam”, „Współpraca”, "
		 "„Podwykonawstwo” albo „Technologia”");
	T_EQ_STR(i18n_pl("price_model: required, one of free, fixed, hourly, quote, co_financed", &b),
		 "price_model: wymagane; wybierz model cenowy: „bezpłatnie”, „cena stała”, „stawka godzinowa”, "
		 "„wycena indywidualna” albo „dofinansowanie”");
	T_EQ_STR(i18n_pl("type: 'firma' is not one of enterprise, research, support, public, ngo", &b),
		 "type: „firma” nie jest żadnym z typów organizacji: „Przedsiębiorstwo”, „Uczelnia / jednostka B+R”, "
		 "„Instytucja otoczenia biznesu”, „Administracja publiczna”, „Organizacja pozarządowa / inna”");
	T_EQ_STR(i18n_pl("sort: 'x' is not one of newest, title", &b),
		 "sort: „x” nie jest żadnym z porządków listy: „najnowsze”, „tytuł A–Ż”");
	T_EQ_STR(i18n_pl("status: pending, spam, rejected or approved", &b),
		 "status: oczekujące, spam, odrzucone albo zatwierdzone");
	T_EQ_STR(i18n_pl("role: must be admin, coordinator, editor or user", &b),
		 "role: musi być jedną z ról: administrator, koordynator klastra, redaktor organizacji albo użytkownik");
	/* a list the table does not know: the codes as they are, the sentence in Polish */
	T_EQ_STR(i18n_pl("sort: 'x' is not one of newest, oldest", &b), "sort: „x” nie jest jedną z wartości: newest, oldest");
	/* the statistics and firm-list readers' messages (an upload refused): the file's place stays, the
	 * column is named in Polish, and a sentence may take six values */
	T_EQ_STR(i18n_pl("dane.csv:12: column employment: \"abc\" is not a number", &b),
		 "dane.csv:12: kolumna employment: „abc” nie jest liczbą");
	T_EQ_STR(i18n_pl("dane.csv:3: column region_name holds a control character (U+0001): names are text", &b),
		 "dane.csv:3: kolumna region_name zawiera znak sterujący (U+0001): nazwy są tekstem");
	T_EQ_STR(i18n_pl("dup.csv:8: region 02, industry C, year 2020 given twice (first at line 2)", &b),
		 "dup.csv:8: region 02, branża C, rok 2020 podane dwa razy (pierwszy raz w wierszu 2)");
	T_EQ_STR(i18n_pl("dup.csv:3: region 02, industry C given twice (first at line 2)", &b),
		 "dup.csv:3: region 02, branża C podane dwa razy (pierwszy raz w wierszu 2)");
	T_EQ_STR(i18n_pl("gus.csv:2: column employment: \"1.234\" is not a number here: in a file separated by "
			 "semicolons, where the decimal mark is a comma, a dot may separate thousands (1234) or mark "
			 "decimals (1.234); write 1234 or 1,234", &b),
		 "gus.csv:2: kolumna employment: „1.234” nie jest tu liczbą: w pliku rozdzielanym średnikami, w którym "
		 "znakiem dziesiętnym jest przecinek, kropka może oddzielać tysiące (1234) albo część dziesiętną (1.234); "
		 "napisz 1234 albo 1,234");
	T_EQ_STR(i18n_pl("f.csv: no firm has coordinates (1 row without them, first on line 2)", &b),
		 "f.csv: żadna firma nie ma współrzędnych (wierszy bez nich: 1, pierwszy w wierszu 2)");
	/* nothing takes it: the message as it is, English (a missing pattern shows, never hides) */
	T_EQ_STR(i18n_pl("something new went wrong", &b), "something new went wrong");
	T_EQ_STR(i18n_pl("title: something new went wrong", &b), "title: something new went wrong");
	/* a sentence with a colon is not a field */
	T_EQ_STR(i18n_pl("the file says this: required", &b), "the file says this: required");
	T_EQ_STR(i18n_pl("", &b), "");
	T_OK(i18n_pl(NULL, &b) == NULL);
	buf_release(&b);
}

int main(void)
{
	T_RUN(every_pattern);
	T_RUN(fields_and_misses);
	return t_done();
}
