/*
 * i18n.c — Polish for the library's English messages (see i18n.h).
 *
 * Written by hand rather than with gettext: the portal has two languages,
 * its page texts are already chosen in place (L()), and only the
 * library's messages — a few hundred words — need a second language; a
 * table of patterns keeps them in one place with no catalogue files to
 * install.  Longer, more specific patterns come before shorter ones that
 * would also match.
 */
#include "i18n.h"

#include <stdlib.h>
#include <string.h>

static const struct {
	const char *en, *pl;
} pats[] = {
	/* accounts */
	{ "wrong e-mail address or password", "błędny adres e-mail lub hasło" },
	{ "this address is not confirmed yet: open the link in the e-mail we sent, or register again for a new link",
	  "ten adres nie jest jeszcze potwierdzony: otwórz link z wysłanego e-maila albo zarejestruj się ponownie, "
	  "by dostać nowy link" },
	{ "this link is not valid: ask for a new one", "ten link jest nieważny: poproś o nowy" },
	{ "this link was already used or has expired: ask for a new one",
	  "ten link został już użyty albo wygasł: poproś o nowy" },
	{ "an account with this address already exists", "konto z tym adresem już istnieje" },
	{ "a password is required", "podaj hasło" },
	{ "at least * characters, please", "co najmniej {1} znaków" },
	{ "at most * bytes", "najwyżej {1} bajtów" },
	{ "must not be the e-mail address or its part before the @", "nie może być adresem e-mail ani jego częścią przed @" },
	{ "too easy to guess: use at least * different characters", "zbyt łatwe do odgadnięcia: użyj co najmniej {1} różnych znaków" },
	{ "one of the most common passwords: choose another", "to jedno z najczęściej używanych haseł: wybierz inne" },
	{ "the two passwords differ", "hasła się różnią" },
	{ "an e-mail address is required", "podaj adres e-mail" },
	{ "the e-mail address is longer than 254 characters", "adres e-mail jest dłuższy niż 254 znaki" },
	{ "must be admin, coordinator, editor or user",
	  "musi być jedną z ról: administrator, koordynator klastra, redaktor organizacji albo użytkownik" },
	{ "a coordinator needs the cluster they manage", "koordynator potrzebuje klastra, którym zarządza" },
	{ "an editor needs the organisation they edit", "redaktor potrzebuje organizacji, którą redaguje" },
	{ "the organisation or cluster does not exist", "nie ma takiej organizacji ani klastra" },
	{ "no such cluster", "nie ma takiego klastra" },
	{ "organisation #* coordinates cluster #*: its membership cannot end while it does (the cluster's coordinator "
	  "is changed first, by importing the cluster)",
	  "organizacja nr {1} koordynuje klaster nr {2}: jej członkostwo nie może się zakończyć, dopóki go koordynuje "
	  "(najpierw zmienia się koordynatora klastra, importując klaster)" },
	{ "the only administrator's account cannot be deleted: make another user an administrator first",
	  "nie można usunąć konta jedynego administratora: najpierw nadaj komuś innemu rolę administratora" },
	{ "you cannot block your own account", "nie możesz zablokować własnego konta" },
	{ "the last active administrator cannot be blocked: make another user an administrator first",
	  "nie można zablokować ostatniego aktywnego administratora: najpierw nadaj komuś innemu rolę administratora" },
	{ "this account is blocked: ask the portal's administrator to unblock it",
	  "to konto jest zablokowane: poproś administratora portalu o odblokowanie" },
	{ "no such account", "nie ma takiego konta" },
	{ "* organisations are named '*': *; type the NIP of the one meant",
	  "organizacji o nazwie „{2}” jest {1}: {3}; wpisz NIP tej, o którą chodzi" },
	{ "the names of * organisations hold '*': *; type the NIP of the one meant",
	  "organizacji, których nazwa zawiera „{2}”, jest {1}: {3}; wpisz NIP tej, o którą chodzi" },
	{ "no organisation is named '*'", "nie ma organizacji o nazwie „{1}”" },
	{ "no organisation has the NIP *", "żadna organizacja nie ma numeru NIP {1}" },
	{ "the NIP or the name of an organisation", "NIP albo nazwa organizacji" },
	{ "* clusters are named '*': *; type the acronym of the one meant",
	  "klastrów o nazwie „{2}” jest {1}: {3}; wpisz skrót tego, o który chodzi" },
	{ "the names of * clusters hold '*': *; type the acronym of the one meant",
	  "klastrów, których nazwa zawiera „{2}”, jest {1}: {3}; wpisz skrót tego, o który chodzi" },
	{ "no cluster is named '*'", "nie ma klastra o nazwie „{1}”" },
	{ "the acronym or the name of a cluster", "skrót albo nazwa klastra" },
	{ "no organisation #*", "nie ma organizacji nr {1}" },
	{ "no cluster #*", "nie ma klastra nr {1}" },
	/* fields in general */
	{ "required, at most * characters", "wymagane, najwyżej {1} znaków" },
	{ "required, one line of at most * characters", "wymagane, jeden wiersz, najwyżej {1} znaków" },
	{ "required", "wymagane" },
	{ "at most * characters of text", "najwyżej {1} znaków tekstu" },
	{ "at most * characters", "najwyżej {1} znaków" },
	{ "at most * items in one campaign", "najwyżej {1} pozycji w jednej kampanii" },
	{ "given twice", "podane dwa razy" },
	{ "not valid UTF-8 text", "to nie jest poprawny tekst UTF-8" },
	{ "not valid UTF-8", "to nie jest poprawny tekst UTF-8" },
	{ "is not valid UTF-8", "nie jest poprawnym tekstem UTF-8" },
	{ "holds a NUL byte", "zawiera bajt NUL" },
	/* a choice's codes named by the labels the form's list shows (before the wider pattern below) */
	{ "'*' is not one of enterprise, research, support, public, ngo",
	  "„{1}” nie jest żadnym z typów organizacji: „Przedsiębiorstwo”, „Uczelnia / jednostka B+R”, „Instytucja "
	  "otoczenia biznesu”, „Administracja publiczna”, „Organizacja pozarządowa / inna”" },
	{ "'*' is not one of micro, small, medium, large",
	  "„{1}” nie jest żadną z klas wielkości: mikro (<10), małe (10–49), średnie (50–249), duże (250+)" },
	{ "'*' is not one of coordinator, founder, member, partner",
	  "„{1}” nie jest żadną z ról w klastrze: koordynator, członek założyciel, członek, partner" },
	{ "'*' is not one of name, -name, newest, voivodeship",
	  "„{1}” nie jest żadnym z porządków listy: „nazwa A–Ż”, „nazwa Ż–A”, „ostatnio zmienione”, „województwo”" },
	{ "'*' is not one of supply, demand, cooperation, subcontracting, technology",
	  "„{1}” nie jest żadnym z rodzajów oferty: „Podaż — oferuję”, „Popyt — szukam”, „Współpraca”, "
	  "„Podwykonawstwo”, „Technologia”" },
	{ "'*' is not one of consulting, training, financing, laboratory, ip_transfer, export",
	  "„{1}” nie jest żadną z kategorii usług: „Doradztwo”, „Szkolenia”, „Finansowanie”, „Usługi laboratoryjne”, "
	  "„Transfer technologii i własność intelektualna”, „Wsparcie eksportu”" },
	{ "'*' is not one of free, fixed, hourly, quote, co_financed",
	  "„{1}” nie jest żadnym z modeli cenowych: „bezpłatnie”, „cena stała”, „stawka godzinowa”, "
	  "„wycena indywidualna”, „dofinansowanie”" },
	{ "'*' is not one of newest, title, valid_until",
	  "„{1}” nie jest żadnym z porządków listy: „najnowsze”, „tytuł A–Ż”, „najkrócej ważne”" },
	{ "'*' is not one of newest, title", "„{1}” nie jest żadnym z porządków listy: „najnowsze”, „tytuł A–Ż”" },
	{ "required, one of supply, demand, cooperation, subcontracting, technology",
	  "wymagane; wybierz rodzaj oferty: „Podaż — oferuję”, „Popyt — szukam”, „Współpraca”, „Podwykonawstwo” "
	  "albo „Technologia”" },
	{ "required, one of consulting, training, financing, laboratory, ip_transfer, export",
	  "wymagane; wybierz kategorię usługi: „Doradztwo”, „Szkolenia”, „Finansowanie”, „Usługi laboratoryjne”, "
	  "„Transfer technologii i własność intelektualna” albo „Wsparcie eksportu”" },
	{ "required, one of free, fixed, hourly, quote, co_financed",
	  "wymagane; wybierz model cenowy: „bezpłatnie”, „cena stała”, „stawka godzinowa”, „wycena indywidualna” "
	  "albo „dofinansowanie”" },
	{ "'*' is not one of *", "„{1}” nie jest jedną z wartości: {2}" },
	{ "must be pl or en", "musi być pl albo en" },
	{ "pl or en", "pl albo en" },
	{ "is empty", "jest puste" },
	{ "must not start or end with a space", "nie może zaczynać się ani kończyć spacją" },
	{ "must not contain spaces (write them as %20)", "nie może zawierać spacji (zapisz je jako %20)" },
	{ "must not contain spaces", "nie może zawierać spacji" },
	{ "must not contain control characters", "nie może zawierać znaków sterujących" },
	{ "a number from * to *", "liczba od {1} do {2}" },
	{ "a number from *", "liczba od {1}" },
	{ "a cluster id", "numer klastra" },
	{ "pending, spam, rejected or approved", "oczekujące, spam, odrzucone albo zatwierdzone" },
	{ "approved, rejected or spam", "zatwierdzenie, odrzucenie albo spam" },
	{ "must be offer or service", "musi wskazywać ofertę albo usługę" },
	{ "must be the number of an entry", "musi być numerem wpisu" },
	{ "must be a whole number from * to *", "musi być liczbą całkowitą od {1} do {2}" },
	{ "set must be pl or en", "set musi być pl albo en" },
	{ "control characters are not allowed", "znaki sterujące są niedozwolone" },
	{ "no such page", "nie ma takiej strony" },
	{ "method not allowed", "ta metoda jest tu niedozwolona" },
	{ "request body larger than the limit of * bytes", "treść żądania przekracza limit {1} bajtów" },
	{ "a parameter of the address holds a NUL byte (%00): leave it out",
	  "parametr adresu zawiera bajt NUL (%00): usuń go" },
	{ "the path of the address holds a NUL byte (%00): leave it out",
	  "ścieżka adresu zawiera bajt NUL (%00): usuń go" },
	{ "the address is * bytes long, more than the * a request may have",
	  "adres ma {1} bajtów, a żądanie może mieć najwyżej {2}" },
	{ "the address has * parameters, more than the * a request may have",
	  "adres ma {1} parametrów, a żądanie może mieć najwyżej {2}" },
	{ "the request has two Content-Length headers of different values",
	  "żądanie ma dwa nagłówki Content-Length o różnych wartościach" },
	{ "required, but empty or missing", "to pole jest wymagane, a jest puste" },
	{ "required, one of *", "wymagane, jedno z: {1}" },
	{ "optional, at most * characters", "nieobowiązkowe, najwyżej {1} znaków" },
	{ "longer than * characters", "dłuższe niż {1} znaków" },
	{ "at most * codes", "najwyżej {1} kodów" },
	{ "must be one line of text", "musi być jednym wierszem tekstu" },
	{ "holds control characters", "zawiera znaki sterujące" },
	{ "required, a date YYYY-MM-DD", "wymagane, data RRRR-MM-DD" },
	{ "must not be before valid_from (*)", "nie może być wcześniej niż data „Ważna od” ({1})" },
	{ "* has already passed: the offer would never be listed", "{1} już minęła: oferta nigdy by się nie pokazała" },
	{ "at most * years ahead, until * at the latest (* is later)",
	  "najwyżej {1} lata naprzód, czyli najpóźniej {2} (podano późniejszą datę {3})" },
	{ "each keyword is one phrase of at most 50 characters, separated by commas",
	  "każde słowo kluczowe to jedna fraza do 50 znaków; oddziel je przecinkami" },
	{ "'*' is not a PKD code of a division or finer (e.g. 62 or 62.01.Z)",
	  "„{1}” nie jest kodem PKD działu ani dokładniejszym (np. 62 albo 62.01.Z)" },
	{ "no voivodeship with TERYT code *", "nie ma województwa o kodzie TERYT {1}" },
	{ "'*' is not a PKD code", "„{1}” nie jest kodem PKD" },
	{ "must be the number or acronym of a cluster", "musi być numerem albo skrótem nazwy klastra" },
	{ "must be the number of a cluster", "musi być numerem klastra" },
	{ "choose the organisation the entry belongs to", "wybierz organizację, do której należy wpis" },
	{ "no organisation with id *", "nie ma organizacji o numerze {1}" },
	{ "the offer is not in a state that can become withdrawn", "tej oferty nie można już wycofać" },
	{ "the service is not in a state that can become withdrawn", "tej usługi nie można już wycofać" },
	{ "the * is not in a state that can become *", "ten wpis ({1}) nie może przejść w stan {2}" },
	{ "'*' is not an item number", "„{1}” nie jest numerem pozycji" },
	{ "organisation #* is not a current member of cluster #*",
	  "organizacja nr {1} nie jest obecnie członkiem klastra nr {2}" },
	{ "year must be from 0001 to 9999, got 0000", "rok musi być od 0001 do 9999, jest 0000" },
	{ "* does not exist (* is not a leap year)", "{1} nie istnieje ({2} nie jest rokiem przestępnym)" },
	{ "* does not exist (* has * days)", "{1} nie istnieje (ten miesiąc ma {3} dni)" },
	/* identifiers */
	{ "is not a Polish NIP (it has the country prefix *)", "to nie jest polski NIP (ma prefiks kraju {1})" },
	{ "may contain only digits, dashes and spaces (found *)", "może zawierać tylko cyfry, myślniki i spacje (jest {1})" },
	{ "may contain only digits, spaces, +, -, ( and ) (found *)",
	  "może zawierać tylko cyfry, spacje, +, -, ( i ) (jest {1})" },
	{ "may contain only digits (found *)", "może zawierać tylko cyfry (jest {1})" },
	{ "must have 10 digits, got *", "musi mieć 10 cyfr, ma {1}" },
	{ "is a placeholder, not a NIP", "to wypełniacz, nie NIP" },
	{ "is not a valid NIP: no check digit exists for its first nine digits",
	  "to nie jest poprawny NIP: dla jego pierwszych dziewięciu cyfr nie istnieje cyfra kontrolna" },
	{ "check digit does not match (expected *, got *)", "cyfra kontrolna się nie zgadza (powinna być {1}, jest {2})" },
	{ "must have 9 or 14 digits, got *", "musi mieć 9 albo 14 cyfr, ma {1}" },
	{ "a REGON cannot be all zeros", "REGON nie może składać się z samych zer" },
	{ "the first nine digits are not a valid REGON of the entity (its check digit, the ninth, should be *, got *)",
	  "pierwsze dziewięć cyfr nie jest poprawnym numerem REGON podmiotu (jego cyfra kontrolna, dziewiąta, powinna "
	  "być {1}, jest {2})" },
	{ "must have exactly 10 digits, got *", "musi mieć dokładnie 10 cyfr, ma {1}" },
	{ "is not a KRS number (all zeros)", "to nie jest numer KRS (same zera)" },
	{ "must be a Polish postal code NN-NNN, e.g. 00-950", "musi być polskim kodem pocztowym NN-NNN, np. 00-950" },
	{ "must have exactly 10 digits including leading zeros, got * (a spreadsheet may have dropped the zeros: write "
	  "0000012345)", "musi mieć dokładnie 10 cyfr, z zerami na początku, ma {1} (arkusz mógł zgubić zera: napisz "
	  "0000012345)" },
	{ "must be a PKD code such as 62.01.Z (subclass), 62.01 (class), 62.0 (group), 62 (division) or J (section)",
	  "musi być kodem PKD, np. 62.01.Z (podklasa), 62.01 (klasa), 62.0 (grupa), 62 (dział) albo J (sekcja)" },
	{ "division 00 does not exist (divisions are 01 to 99)", "dział 00 nie istnieje (działy mają numery od 01 do 99)" },
	{ "section must be a letter from A to V, got *", "sekcja musi być literą od A do V, jest {1}" },
	{ "must be 2007 or 2025", "musi być 2007 albo 2025" },
	{ "'*' is not 2007 or 2025", "„{1}” to ani 2007, ani 2025" },
	{ "must have 2 digits (voivodeship), 4 (powiat) or 7 (gmina), got *",
	  "musi mieć 2 cyfry (województwo), 4 (powiat) albo 7 (gmina), ma {1}" },
	{ "voivodeship code must be an even number from 02 to 32, got *",
	  "kod województwa musi być liczbą parzystą od 02 do 32, jest {1}" },
	{ "powiat code must be from 01 to 99, got 00", "kod powiatu musi być od 01 do 99, jest 00" },
	{ "gmina code must be from 01 to 99, got 00", "kod gminy musi być od 01 do 99, jest 00" },
	{ "gmina type (the last digit) must be 1 to 5, 8 or 9, got *",
	  "rodzaj gminy (ostatnia cyfra) musi być od 1 do 5, 8 albo 9, jest {1}" },
	{ "must have 6 to 20 digits, got *", "musi mieć od 6 do 20 cyfr, ma {1}" },
	{ "may have '+' only at the start", "może mieć „+” tylko na początku" },
	{ "division * does not exist in PKD *", "dział {1} nie istnieje w PKD {2}" },
	{ "'*' is a section; give a division or finer code (e.g. 62 or 62.01.Z)",
	  "„{1}” to sekcja; podaj dział albo dokładniejszy kod (np. 62 albo 62.01.Z)" },
	{ "'*' is a section; give a division or finer code", "„{1}” to sekcja; podaj dział albo dokładniejszy kod" },
	{ "more than 20 codes", "więcej niż 20 kodów" },
	{ "at most 20 keywords", "najwyżej 20 słów kluczowych" },
	{ "unknown powiat * in gmina code *", "nieznany powiat {1} w kodzie gminy {2}" },
	{ "unknown TERYT code *", "nieznany kod TERYT {1}" },
	{ "'*' is not a 2-digit TERYT code", "„{1}” nie jest dwucyfrowym kodem TERYT" },
	{ "'*' is not a section letter of PKD * (*)", "„{1}” nie jest literą sekcji PKD {2} ({3})" },
	{ "there is no cluster '*' (give its number or acronym)", "nie ma klastra „{1}” (podaj jego numer albo skrót)" },
	{ "no cluster '*'", "nie ma klastra „{1}”" },
	{ "no organisation #*", "nie ma organizacji nr {1}" },
	{ "the organisation is already a member of the cluster", "organizacja jest już członkiem klastra" },
	{ "the organisation's request to join waits in the queue: accept it there",
	  "prośba organizacji o członkostwo czeka w kolejce: przyjmij ją tam" },
	{ "a coordinator admits again a former member only; another organisation asks to join itself, or an "
	  "administrator admits it",
	  "koordynator przyjmuje ponownie tylko byłego członka; inna organizacja prosi o członkostwo sama albo przyjmuje "
	  "ją administrator" },
	{ "#ID is the number of an account, as in #12", "#ID to numer konta, np. #12" },
	{ "choose the kind of object the number is of", "wybierz rodzaj obiektu, którego numer podajesz" },
	{ "must not be before from (*)", "nie może być przed datą od ({1})" },
	{ "must be a whole number from 1 to 999999999999999999", "musi być liczbą całkowitą od 1 do 999999999999999999" },
	{ "organisation #* already has this NIP or REGON", "organizacja nr {1} ma już ten NIP albo REGON" },
	{ "organisation #* has this name and postal code, and neither has a NIP or REGON: give this one its NIP or "
	  "REGON, or another name or postal code",
	  "organizacja nr {1} ma tę samą nazwę i kod pocztowy, a żadna z nich nie ma numeru NIP ani REGON: podaj NIP "
	  "albo REGON tej organizacji albo inną nazwę lub kod pocztowy" },
	{ "organisation #* (*) has this name and postal code and a NIP or REGON: give its NIP or REGON to update it, "
	  "or this organisation's own to add another",
	  "organizacja nr {1} ({2}) ma tę samą nazwę i kod pocztowy oraz NIP albo REGON: podaj jej NIP albo REGON, "
	  "by ją zaktualizować, albo NIP lub REGON tej organizacji, by dodać nową" },
	{ "no subscriber has confirmed yet, so no one would get it; the campaign stays a draft",
	  "żaden subskrybent jeszcze nie potwierdził zapisu, więc nikt by jej nie dostał; kampania pozostaje szkicem" },
	{ "'*' is not a PKD code (a division such as 62, a group 62.0, a class 62.01 or a subclass 62.01.Z)",
	  "„{1}” nie jest kodem PKD (dział, np. 62, grupa 62.0, klasa 62.01 albo podklasa 62.01.Z)" },
	{ "* is a section: choose it as the section", "{1} to sekcja: wybierz ją w polu „Sekcja PKD”" },
	{ "the search text is longer than 200 characters", "tekst wyszukiwania jest dłuższy niż 200 znaków" },
	{ "at most 16 words can be searched at once", "naraz można wyszukać najwyżej 16 słów" },
	{ "must be between 1 and *", "musi być od 1 do {1}" },
	{ "services are offered by universities, R&D units and business-support institutions; this organisation is "
	  "of type *",
	  "usługi oferują uczelnie, jednostki badawczo-rozwojowe i instytucje otoczenia biznesu; ta organizacja jest "
	  "typu {1}" },
	{ "* is not a subclass of PKD *; class * has *", "{1} nie jest podklasą PKD {2}; klasa {3} ma podklasy: {4}" },
	{ "* is not a subclass of PKD *", "{1} nie jest podklasą PKD {2}" },
	{ "* is not a class of PKD *; group * has *", "{1} nie jest klasą PKD {2}; grupa {3} ma klasy: {4}" },
	{ "* is not a class of PKD *", "{1} nie jest klasą PKD {2}" },
	{ "* is not a group of PKD *; division * has *", "{1} nie jest grupą PKD {2}; dział {3} ma grupy: {4}" },
	{ "* is not a group of PKD *", "{1} nie jest grupą PKD {2}" },
	{ "'*' is not the 2-digit TERYT code of a voivodeship (02, 04 … 32)",
	  "„{1}” nie jest dwucyfrowym kodem TERYT województwa (02, 04 … 32)" },
	{ "an organisation with this name and postal code is already in the directory (#*)",
	  "organizacja o tej nazwie i kodzie pocztowym już jest w katalogu (nr {1})" },
	{ "an organisation with * is already in the directory (#*)", "organizacja z {1} już jest w katalogu (nr {2})" },
	{ "required for an enterprise (micro, small, medium, large)",
	  "wymagana dla przedsiębiorstwa (mikro, małe, średnie albo duże)" },
	{ "only enterprises have a size class (type is *)", "klasę wielkości mają tylko przedsiębiorstwa (typ: {1})" },
	/* e-mail and web addresses */
	{ "is too long (* bytes, at most 254)", "jest za długi ({1} bajtów, najwyżej 254)" },
	{ "is too long (* bytes, at most 2000)", "jest za długi ({1} bajtów, najwyżej 2000)" },
	{ "must contain @, as in name@example.pl", "musi zawierać @, jak w imie@example.pl" },
	{ "must contain exactly one @ (found *)", "musi zawierać dokładnie jedno @ (jest {1})" },
	{ "has nothing before the @", "nie ma nic przed @" },
	{ "has nothing after the @", "nie ma nic po @" },
	{ "the part before the @ is too long (* bytes, at most 64)", "część przed @ jest za długa ({1} bajtów, najwyżej 64)" },
	{ "the domain after the @ must end with a top-level domain of two or more characters, such as .pl",
	  "domena po @ musi kończyć się domeną najwyższego poziomu z co najmniej dwóch znaków, np. .pl" },
	{ "the host name must end with a top-level domain of two or more characters, such as .pl",
	  "nazwa hosta musi kończyć się domeną najwyższego poziomu z co najmniej dwóch znaków, np. .pl" },
	{ "the domain after the @ must contain a dot, as in example.pl", "domena po @ musi zawierać kropkę, jak w example.pl" },
	{ "the host name must contain a dot, as in example.pl", "nazwa hosta musi zawierać kropkę, jak w example.pl" },
	{ "the domain after the @ has an empty part (check the dots)", "domena po @ ma pustą część (sprawdź kropki)" },
	{ "the host name has an empty part (check the dots)", "nazwa hosta ma pustą część (sprawdź kropki)" },
	{ "the domain after the @ has a part that starts or ends with '-'",
	  "domena po @ ma część, która zaczyna się albo kończy „-”" },
	{ "the host name has a part that starts or ends with '-'", "nazwa hosta ma część, która zaczyna się albo kończy „-”" },
	{ "the domain after the @ must not contain *", "domena po @ nie może zawierać {1}" },
	{ "the host name must not contain *", "nazwa hosta nie może zawierać {1}" },
	{ "the part before the @ must not start or end with a dot or have two dots in a row",
	  "część przed @ nie może zaczynać się ani kończyć kropką ani mieć dwóch kropek z rzędu" },
	{ "must be a single plain address such as name@example.pl (found '*')",
	  "musi być jednym zwykłym adresem, np. imie@example.pl (jest „{1}”)" },
	{ "has no host name after *", "nie ma nazwy hosta po {1}" },
	{ "must not contain a user name or password before the host name",
	  "nie może zawierać nazwy użytkownika ani hasła przed nazwą hosta" },
	{ "has a '[' in the host name without a closing ']'", "ma „[” w nazwie hosta bez zamykającego „]”" },
	{ "has an invalid IPv6 address in the host name", "ma w nazwie hosta błędny adres IPv6" },
	{ "has an empty IPv6 address in the host name", "ma w nazwie hosta pusty adres IPv6" },
	{ "has characters after the IPv6 address in the host name", "ma znaki po adresie IPv6 w nazwie hosta" },
	{ "must start with http:// or https://, as in https://www.example.pl",
	  "musi zaczynać się od http:// albo https://, jak w https://www.example.pl" },
	{ "port (after the ':') must be a number from 1 to 65535", "port (po „:”) musi być liczbą od 1 do 65535" },
	/* dates, years, places */
	{ "must be a date of the form YYYY-MM-DD, e.g. 2024-03-15", "musi być datą w postaci RRRR-MM-DD, np. 2024-03-15" },
	{ "must have the form YYYY-MM-DD (for * write *)", "musi mieć postać RRRR-MM-DD (zamiast {1} napisz {2})" },
	{ "month must be from 01 to 12, got *", "miesiąc musi być od 01 do 12, jest {1}" },
	{ "day must be from 01 to *, got *", "dzień musi być od 01 do {1}, jest {2}" },
	{ "must be a year written in digits, such as 2015", "musi być rokiem zapisanym cyframi, np. 2015" },
	{ "must be a year from * to *, got *", "musi być rokiem od {1} do {2}, jest {3}" },
	{ "must be a year from * to *", "musi być rokiem od {1} do {2}" },
	{ "lat is missing (give both lat and lon, or neither)", "brak lat (podaj lat i lon albo żadnej)" },
	{ "lon is missing (give both lat and lon, or neither)", "brak lon (podaj lat i lon albo żadnej)" },
	{ "lat * is outside Poland (49.0 to 54.9)", "lat {1} wypada poza Polską (49,0 do 54,9)" },
	{ "lon * is outside Poland (14.1 to 24.2)", "lon {1} wypada poza Polską (14,1 do 24,2)" },
	/* offers, news, newsletter, moderation */
	{ "at most * links in a comment (this one has *)", "najwyżej {1} linki w komentarzu (ten ma {2})" },
	{ "larger than an article may be", "większy, niż może być artykuł" },
	{ "tick the box to agree to receive the newsletter", "zaznacz pole, aby zgodzić się na otrzymywanie newslettera" },
	{ "the consent text changed after the form was shown; read it and tick the box again",
	  "treść zgody zmieniła się po wyświetleniu formularza; przeczytaj ją i zaznacz pole ponownie" },
	{ "this unsubscribe link is not known", "ten link do wypisania jest nieznany" },
	{ "choose at least one news item or offer, or write an introduction",
	  "wybierz co najmniej jedną wiadomość lub ofertę albo napisz wstęp" },
	{ "#* is not a published news item", "nr {1} nie jest opublikowaną wiadomością" },
	{ "#* is not an approved offer that is still valid", "nr {1} nie jest zatwierdzoną, wciąż ważną ofertą" },
	{ "campaign #* was already sent", "kampania nr {1} została już wysłana" },
	{ "proposal #* was already decided (*)", "zgłoszenie nr {1} zostało już rozpatrzone ({2})" },
	{ "* #* was already decided (*)", "{1} nr {2} zostało już rozpatrzone ({3})" },
	{ "a request of this organisation to join this cluster is already waiting",
	  "prośba tej organizacji o przyjęcie do tego klastra już czeka na decyzję" },
	{ "the organisation is already a member of this cluster", "organizacja już należy do tego klastra" },
	{ "the organisation is already in the directory (#*)", "organizacja już jest w katalogu (nr {1})" },
	{ "must be approved, rejected or spam", "musi być zatwierdzeniem, odrzuceniem albo spamem" },
	{ "the conversation no longer exists", "ta rozmowa już nie istnieje" },
	/* the statistics readers and the firm-list reader (an upload's file refused): each message after
	 * the file's place ("dane.csv:12: "), which stays as it is; a column as the file names it */
	{ "column *: \"*\" has * digits: too long for a count (at most * digits are read before the decimal mark and "
	  "* after it); is it the right column?",
	  "kolumna {1}: „{2}” ma za dużo cyfr ({3}) jak na liczebność (odczytywanych jest najwyżej {4} cyfr przed "
	  "znakiem dziesiętnym i {5} po nim); czy to właściwa kolumna?" },
	{ "column *: \"*\" has * digits: too long for a coordinate (at most * digits are read before the decimal mark "
	  "and * after it); is it the right column?",
	  "kolumna {1}: „{2}” ma za dużo cyfr ({3}) jak na współrzędną (odczytywanych jest najwyżej {4} cyfr przed "
	  "znakiem dziesiętnym i {5} po nim); czy to właściwa kolumna?" },
	{ "column *: \"*\" has * digits: too long for a value (at most * digits are read before the decimal mark and "
	  "* after it); is it the right column?",
	  "kolumna {1}: „{2}” ma za dużo cyfr ({3}) jak na wartość (odczytywanych jest najwyżej {4} cyfr przed "
	  "znakiem dziesiętnym i {5} po nim); czy to właściwa kolumna?" },
	{ "column *: \"*\" is not a number here: in a file separated by semicolons, where the decimal mark is a comma, a "
	  "dot may separate thousands (*) or mark decimals (*); write * or *",
	  "kolumna {1}: „{2}” nie jest tu liczbą: w pliku rozdzielanym średnikami, w którym znakiem dziesiętnym jest "
	  "przecinek, kropka może oddzielać tysiące ({3}) albo część dziesiętną ({4}); napisz {5} albo {6}" },
	{ "column *: \"*\" is not a number here: a comma may separate thousands (*) or mark decimals (*); write one of "
	  "them",
	  "kolumna {1}: „{2}” nie jest tu liczbą: przecinek może oddzielać tysiące ({3}) albo część dziesiętną ({4}); "
	  "napisz jedno albo drugie" },
	{ "column *: \"*\" is not a number here: the decimal comma is read in files separated by semicolons (as "
	  "Statistics Poland writes them); in this file write a point (*)",
	  "kolumna {1}: „{2}” nie jest tu liczbą: przecinek dziesiętny jest odczytywany w plikach rozdzielanych "
	  "średnikami (tak zapisuje je GUS); w tym pliku napisz kropkę ({3})" },
	{ "column *: \"*\" is not a number here: a dot between thousands is not read; write *",
	  "kolumna {1}: „{2}” nie jest tu liczbą: kropka między tysiącami nie jest odczytywana; napisz {3}" },
	{ "column *: \"*\" is not a number", "kolumna {1}: „{2}” nie jest liczbą" },
	{ "column *: \"*\" is not a whole number (establishments are counted)",
	  "kolumna {1}: „{2}” nie jest liczbą całkowitą (zakłady liczy się w sztukach)" },
	{ "column *: \"*\" is not a value (a number or \":\", optionally followed by flags such as \"c\" or \"p\")",
	  "kolumna {1}: „{2}” nie jest wartością (liczbą albo „:”, po których mogą stać flagi, np. „c” albo „p”)" },
	{ "column *: * is negative (values must be 0 or more)",
	  "kolumna {1}: {2} to liczba ujemna (wartości muszą wynosić 0 lub więcej)" },
	{ "column *: * is negative", "kolumna {1}: {2} to liczba ujemna" },
	{ "column *: * is outside [*, *]", "kolumna {1}: {2} wykracza poza przedział [{3}, {4}]" },
	{ "column *: \"*\" is not a year (a whole number from 1 to 9999)",
	  "kolumna {1}: „{2}” nie jest rokiem (liczbą całkowitą od 1 do 9999)" },
	{ "column *: \"*\" is not one of 1, 0, true, false, yes, no, tak, nie, traded, local",
	  "kolumna {1}: „{2}” nie jest żadną z wartości: 1, 0, true, false, yes, no, tak, nie, traded, local" },
	{ "column *: industry * is marked traded here but local before (first at line *)",
	  "kolumna {1}: branża {2} jest tu oznaczona jako ponadlokalna (traded), a wcześniej jako lokalna (pierwszy "
	  "raz w wierszu {3})" },
	{ "column *: industry * is marked local here but traded before (first at line *)",
	  "kolumna {1}: branża {2} jest tu oznaczona jako lokalna, a wcześniej jako ponadlokalna (traded) (pierwszy "
	  "raz w wierszu {3})" },
	{ "column *: firm * is given twice (first on line *)",
	  "kolumna {1}: firma {2} jest podana dwa razy (pierwszy raz w wierszu {3})" },
	{ "column *: the id is empty", "kolumna {1}: identyfikator jest pusty" },
	{ "column *: year columns such as * cannot be combined with it (use one row per year instead)",
	  "kolumna {1}: nie można jej łączyć z kolumnami lat, takimi jak {2} (zamiast tego podaj jeden wiersz na rok)" },
	{ "column *: *, where line * has *: the file mixes two * values (OBS_VALUE counts something else in each); "
	  "keep the rows of one",
	  "kolumna {1}: {2}, a w wierszu {3} jest {4}: plik łączy dwie wartości {5} (OBS_VALUE liczy przy każdej coś "
	  "innego); zostaw wiersze jednej z nich" },
	{ "column *: *, where line * has *: the file mixes two * values (a reference is one country's series); keep "
	  "the rows of one",
	  "kolumna {1}: {2}, a w wierszu {3} jest {4}: plik łączy dwie wartości {5} (odniesienie to szereg jednego "
	  "kraju); zostaw wiersze jednej z nich" },
	{ "column *: \"*\" has more codes than the * dimensions of the header",
	  "kolumna {1}: „{2}” ma więcej kodów, niż nagłówek ma wymiarów ({3})" },
	{ "column *: \"*\" has * cod*, the header names * dimensio*",
	  "kolumna {1}: w „{2}” jest kodów: {3}, a nagłówek wymienia wymiarów: {5}" },
	{ "column *: the * code is empty", "kolumna {1}: kod wymiaru {2} jest pusty" },
	{ "column *: * is * here but * at line * (keep one * in the file)",
	  "kolumna {1}: {2} ma tu wartość {3}, a w wierszu {5} wartość {4} (zostaw w pliku jedną wartość {6})" },
	{ "column *: * here but * at line *: the values of one region and industry would add up; export one value "
	  "of * (*, say)",
	  "kolumna {1}: tu {2}, a w wierszu {4} {3}: wartości jednego regionu i branży zsumowałyby się; wyeksportuj "
	  "jedną wartość wymiaru {5} (np. {6})" },
	{ "column *: * here but * at line *: the file mixes two variables; export one value of * (*, say)",
	  "kolumna {1}: tu {2}, a w wierszu {4} {3}: plik łączy dwie zmienne; wyeksportuj jedną wartość {5} "
	  "(np. {6})" },
	{ "column Jednostka miary: \"*\" is not a count: location quotients compare counts (persons, entities); export "
	  "a variable counted in persons or units",
	  "kolumna Jednostka miary: „{1}” nie jest liczebnością: ilorazy lokalizacji porównują liczebności (osoby, "
	  "podmioty); wyeksportuj zmienną liczoną w osobach albo jednostkach" },
	{ "column Kod: the file holds units of two levels: * (line *) holds *, whose code begins with its own: every "
	  "total would count their people twice; export the units of one level (województwa, say), or keep one level "
	  "with --region-length (2: województwa, 4: powiaty, 7: gminy)",
	  "kolumna Kod: plik zawiera jednostki dwóch poziomów: {1} (wiersz {2}) obejmuje {3}, którego kod zaczyna się "
	  "od jej kodu: każda suma liczyłaby te same osoby dwa razy; wyeksportuj jednostki jednego poziomu (np. "
	  "województwa) albo zostaw jeden poziom opcją --region-length (2: województwa, 4: powiaty, 7: gminy)" },
	{ "column *: region * has zero total employment in * (this is its first row; location quotients are undefined "
	  "there)",
	  "kolumna {1}: region {2} ma zerowe łączne zatrudnienie w roku {3} (to jego pierwszy wiersz; ilorazy "
	  "lokalizacji nie są tam określone)" },
	{ "column *: region * has zero total employment (this is its first row; location quotients are undefined there)",
	  "kolumna {1}: region {2} ma zerowe łączne zatrudnienie (to jego pierwszy wiersz; ilorazy lokalizacji nie są "
	  "tam określone)" },
	{ "column *: region * has no employment in *: check its rows or leave the region out",
	  "kolumna {1}: region {2} nie ma zatrudnienia w roku {3}: sprawdź jego wiersze albo pomiń ten region" },
	{ "column *: region * has no employment: check its rows or leave the region out",
	  "kolumna {1}: region {2} nie ma zatrudnienia: sprawdź jego wiersze albo pomiń ten region" },
	{ "column *: industry * in *: the reference economy has *, less than the * of the data's regions, by more than "
	  "the rounding of the values could make (a reference contains them, as their country does; compare with the "
	  "regions' own sum by leaving the nation's rows or --reference out)",
	  "kolumna {1}: branża {2} w roku {3}: gospodarka odniesienia ma {4}, mniej niż {5} w regionach danych, i to "
	  "o więcej, niż mogłyby dać zaokrąglenia wartości (odniesienie zawiera regiony, tak jak zawiera je ich kraj; "
	  "aby porównać je z ich własną sumą, pomiń wiersze kraju albo --reference)" },
	{ "column *: industry *: the reference economy has *, less than the * of the data's regions, by more than the "
	  "rounding of the values could make (a reference contains them, as their country does; compare with the "
	  "regions' own sum by leaving the nation's rows or --reference out)",
	  "kolumna {1}: branża {2}: gospodarka odniesienia ma {3}, mniej niż {4} w regionach danych, i to o więcej, "
	  "niż mogłyby dać zaokrąglenia wartości (odniesienie zawiera regiony, tak jak zawiera je ich kraj; aby "
	  "porównać je z ich własną sumą, pomiń wiersze kraju albo --reference)" },
	{ "column * of the header has no name (a separator at the end of the header line, or two in a row?)",
	  "kolumna {1} nagłówka nie ma nazwy (separator na końcu wiersza nagłówka albo dwa separatory z rzędu?)" },
	{ "column * is a year column, but the header has an employment column (give one or the other)",
	  "kolumna {1} jest kolumną roku, a nagłówek ma też kolumnę employment (podaj jedno albo drugie)" },
	{ "column * appears twice in the header", "kolumna {1} występuje w nagłówku dwa razy" },
	{ "column * holds a control character (U+*): codes are text",
	  "kolumna {1} zawiera znak sterujący (U+{2}): kody są tekstem" },
	{ "column * holds a control character (U+*): names are text",
	  "kolumna {1} zawiera znak sterujący (U+{2}): nazwy są tekstem" },
	{ "column * is empty", "kolumna {1} jest pusta" },
	{ "columns * and * are both the * column: keep one of them",
	  "kolumny {1} i {2} są obie kolumną {3}: zostaw jedną z nich" },
	{ "header column *: \"*\" is not a year", "kolumna nagłówka {1}: „{2}” nie jest rokiem" },
	{ "header column * has no name", "kolumna nagłówka {1} nie ma nazwy" },
	{ "unknown column \"*\" in a statistics file (the known columns are region (or geo, nuts), industry (or "
	  "nace_r2, pkd), employment (or OBS_VALUE), year (or TIME_PERIOD), establishments, wages, traded, "
	  "region_name, industry_name)",
	  "nieznana kolumna „{1}” w pliku statystyki (znane kolumny to region (albo geo, nuts), industry (albo "
	  "nace_r2, pkd), employment (albo OBS_VALUE), year (albo TIME_PERIOD), establishments, wages, traded, "
	  "region_name, industry_name)" },
	{ "unknown column \"*\" in a firms file (the known columns are id, name, industry, lat (or latitude), lon (or "
	  "longitude, lng), employment, region, region_name, industry_name)",
	  "nieznana kolumna „{1}” w pliku firm (znane kolumny to id, name, industry, lat (albo latitude), lon (albo "
	  "longitude, lng), employment, region, region_name, industry_name)" },
	{ "unknown column \"*\" in a statistics file: it heads a Eurostat table, whose columns are separated by tabs, "
	  "and this file's by '*' (a table saved from a spreadsheet?); read the .tsv file as Eurostat gives it, or "
	  "name the column geo to read a column per year (the known columns are region (or geo, nuts), industry (or "
	  "nace_r2, pkd), employment (or OBS_VALUE), year (or TIME_PERIOD), establishments, wages, traded, "
	  "region_name, industry_name)",
	  "nieznana kolumna „{1}” w pliku statystyki: to nagłówek tabeli Eurostatu, której kolumny rozdzielają "
	  "tabulatory, a kolumny tego pliku znak „{2}” (tabela zapisana z arkusza kalkulacyjnego?); wczytaj plik .tsv "
	  "taki, jaki udostępnia Eurostat, albo nazwij tę kolumnę geo, by czytać kolumnę na każdy rok (znane kolumny "
	  "to region (albo geo, nuts), industry (albo nace_r2, pkd), employment (albo OBS_VALUE), year (albo "
	  "TIME_PERIOD), establishments, wages, traded, region_name, industry_name)" },
	{ "unknown column \"*\" in *: it heads a Eurostat table, whose columns are separated by tabs, and this file's "
	  "by '*' (a table saved from a spreadsheet?); read the .tsv file as Eurostat gives it, or name the column geo "
	  "to read a column per year (the known columns are *)",
	  "nieznana kolumna „{1}” ({2}): to nagłówek tabeli Eurostatu, której kolumny rozdzielają tabulatory, a "
	  "kolumny tego pliku znak „{3}” (tabela zapisana z arkusza kalkulacyjnego?); wczytaj plik .tsv taki, jaki "
	  "udostępnia Eurostat, albo nazwij tę kolumnę geo, by czytać kolumnę na każdy rok (znane kolumny: {4})" },
	{ "unknown column \"*\" in * (the known columns are *)", "nieznana kolumna „{1}” ({2}; znane kolumny: {3})" },
	{ "the required column * is missing from the header (or give one column per year, such as 2015 or n2015)",
	  "w nagłówku brak wymaganej kolumny {1} (albo podaj po jednej kolumnie na rok, np. 2015 albo n2015)" },
	{ "the required column * is missing from the header", "w nagłówku brak wymaganej kolumny {1}" },
	{ "the column region is missing from the header (each firm needs a region code; map indicators, indices and "
	  "shift-share and import stats find it from lat and lon with --boundaries FILE.geojson)",
	  "w nagłówku brak kolumny region (każda firma potrzebuje kodu regionu; map indicators, indices, shift-share "
	  "i import stats wyznaczają go z lat i lon przy opcji --boundaries PLIK.geojson)" },
	{ "the column * of a Local Data Bank (BDL) export is missing from the header (export the table in the vertical "
	  "layout: Kod;Nazwa;…;Rok;Wartosc)",
	  "w nagłówku brak kolumny {1} eksportu z Banku Danych Lokalnych (BDL) (wyeksportuj tabelę w układzie "
	  "pionowym: Kod;Nazwa;…;Rok;Wartosc)" },
	{ "the column * is missing from the header", "w nagłówku brak kolumny {1}" },
	{ "the year * appears twice in the header (* and *)", "rok {1} występuje w nagłówku dwa razy ({2} i {3})" },
	{ "the year * appears twice in the header", "rok {1} występuje w nagłówku dwa razy" },
	{ "the header has two latitude columns, * (field *) and * (field *), and which one to read is not guessed: "
	  "remove or rename one of them",
	  "nagłówek ma dwie kolumny szerokości geograficznej, {1} (pole {2}) i {3} (pole {4}), a której użyć, nie "
	  "jest zgadywane: usuń jedną z nich albo zmień jej nazwę" },
	{ "the header has two longitude columns, * (field *) and * (field *), and which one to read is not guessed: "
	  "remove or rename one of them",
	  "nagłówek ma dwie kolumny długości geograficznej, {1} (pole {2}) i {3} (pole {4}), a której użyć, nie "
	  "jest zgadywane: usuń jedną z nich albo zmień jej nazwę" },
	{ "the header names column * twice (fields * and *)", "nagłówek wymienia kolumnę {1} dwa razy (pola {2} i {3})" },
	{ "the header has no year columns", "nagłówek nie ma kolumn lat" },
	{ "the header \"*\" has no tabs: a Eurostat table separates its columns by tabs, and this one by '*' (a table "
	  "saved from a spreadsheet?); read the .tsv file as Eurostat gives it",
	  "nagłówek „{1}” nie ma tabulatorów: tabela Eurostatu rozdziela kolumny tabulatorami, a ta znakiem „{2}” "
	  "(tabela zapisana z arkusza kalkulacyjnego?); wczytaj plik .tsv taki, jaki udostępnia Eurostat" },
	{ "the first header cell \"*\" is not a Eurostat dimension list (such as nace_r2,geo\\time)",
	  "pierwsza komórka nagłówka, „{1}”, nie jest listą wymiarów Eurostatu (taką jak nace_r2,geo\\time)" },
	{ "the last dimension before the backslash is \"*\", not geo (the regions)",
	  "ostatni wymiar przed ukośnikiem wstecznym to „{1}”, a nie geo (regiony)" },
	{ "no industry dimension (nace_r2) in \"*\"", "w „{1}” nie ma wymiaru branż (nace_r2)" },
	{ "this is a Local Data Bank (BDL) table in the horizontal layout (a column a year: \"*\"); klaster reads the "
	  "vertical one: export the table again as \"układ pionowy\" (Kod;Nazwa;…;Rok;Wartosc)",
	  "to tabela Banku Danych Lokalnych (BDL) w układzie poziomym (kolumna na każdy rok: „{1}”); klaster czyta "
	  "układ pionowy: wyeksportuj tabelę ponownie jako „układ pionowy” (Kod;Nazwa;…;Rok;Wartosc)" },
	{ "the variable's one dimension, *, holds no industries: klaster compares industries (a dimension such as "
	  "Sekcje PKD 2007); export the variable by industry",
	  "jedyny wymiar zmiennej, {1}, nie zawiera branż: klaster porównuje branże (wymiar taki jak Sekcje PKD "
	  "2007); wyeksportuj zmienną w podziale na branże" },
	{ "the header has no dimension between Nazwa and Rok: klaster takes the industries from the dimension whose "
	  "name says PKD, NACE, sekcje or działy, and there is none; export the variable by one such dimension",
	  "nagłówek nie ma wymiaru między Nazwa a Rok: klaster bierze branże z wymiaru, którego nazwa zawiera PKD, "
	  "NACE, sekcje albo działy, a takiego nie ma; wyeksportuj zmienną według jednego takiego wymiaru" },
	{ "*: klaster takes the industries from the dimension whose name says PKD, NACE, sekcje or działy, and "
	  "several do; export the variable by one such dimension",
	  "{1}: klaster bierze branże z wymiaru, którego nazwa zawiera PKD, NACE, sekcje albo działy, a takich "
	  "wymiarów jest kilka; wyeksportuj zmienną według jednego takiego wymiaru" },
	{ "*: klaster takes the industries from the dimension whose name says PKD, NACE, sekcje or działy, and none "
	  "does; export the variable by one such dimension",
	  "{1}: klaster bierze branże z wymiaru, którego nazwa zawiera PKD, NACE, sekcje albo działy, a nie ma takiego "
	  "wśród nich; wyeksportuj zmienną według jednego takiego wymiaru" },
	{ "the row has * fields, the header has *", "wiersz ma pól: {1}, a nagłówek: {2}" },
	{ "the row has * field, the header has *", "wiersz ma pól: {1}, a nagłówek: {2}" },
	{ "region *, industry *, year * given twice (first at line *)",
	  "region {1}, branża {2}, rok {3} podane dwa razy (pierwszy raz w wierszu {4})" },
	{ "region *, industry *, year * given twice (first at *)",
	  "region {1}, branża {2}, rok {3} podane dwa razy (pierwszy raz w {4})" },
	{ "region *, industry *, year * given twice (given before)",
	  "region {1}, branża {2}, rok {3} podane dwa razy (już wcześniej)" },
	{ "region *, industry * given twice (first at line *)",
	  "region {1}, branża {2} podane dwa razy (pierwszy raz w wierszu {3})" },
	{ "region *, industry * given twice (first at *)", "region {1}, branża {2} podane dwa razy (pierwszy raz w {3})" },
	{ "region *, industry * given twice (given before)", "region {1}, branża {2} podane dwa razy (już wcześniej)" },
	{ "region * has zero total employment in * (location quotients are undefined there)",
	  "region {1} ma zerowe łączne zatrudnienie w roku {2} (ilorazy lokalizacji nie są tam określone)" },
	{ "region * has zero total employment (location quotients are undefined there)",
	  "region {1} ma zerowe łączne zatrudnienie (ilorazy lokalizacji nie są tam określone)" },
	{ "region * has no rows in * (no employment): give its rows of that year, or leave the region out "
	  "(--skip-invalid leaves out a region without employment in a year)",
	  "region {1} nie ma wierszy w roku {2} (brak zatrudnienia): podaj jego wiersze z tego roku albo pomiń ten "
	  "region (--skip-invalid pomija region bez zatrudnienia w danym roku)" },
	{ "region code holds a control character (U+*): codes are text",
	  "kod regionu zawiera znak sterujący (U+{1}): kody są tekstem" },
	{ "industry code holds a control character (U+*): codes are text",
	  "kod branży zawiera znak sterujący (U+{1}): kody są tekstem" },
	{ "the reference economy has no known value for any industry of the data in *: it gives each as unknown ('.' "
	  "or 'x', BDL's signs of no data, or with --crosswalk a code of the cluster so or not at all; first: *, line "
	  "*), so the regions cannot be compared with it (give the nation's values, or leave the nation's rows (a Kod "
	  "of zeros) out to compare the regions with their own sum)",
	  "gospodarka odniesienia nie ma znanej wartości dla żadnej branży danych w roku {1}: każdą podaje jako "
	  "nieznaną („.” albo „x”, znaki braku danych BDL, albo przy --crosswalk kod klastra podany tak lub wcale; "
	  "pierwsza: {2}, wiersz {3}), więc nie da się z nią porównać regionów (podaj wartości kraju albo pomiń "
	  "wiersze kraju (Kod z samych zer), by porównać regiony z ich własną sumą)" },
	{ "the reference economy has no known value for any industry of the data: it gives each as unknown ('.' or "
	  "'x', BDL's signs of no data, or with --crosswalk a code of the cluster so or not at all; first: *, line *), "
	  "so the regions cannot be compared with it (give the nation's values, or leave the nation's rows (a Kod of "
	  "zeros) out to compare the regions with their own sum)",
	  "gospodarka odniesienia nie ma znanej wartości dla żadnej branży danych: każdą podaje jako nieznaną („.” "
	  "albo „x”, znaki braku danych BDL, albo przy --crosswalk kod klastra podany tak lub wcale; pierwsza: {1}, "
	  "wiersz {2}), więc nie da się z nią porównać regionów (podaj wartości kraju albo pomiń wiersze kraju (Kod z "
	  "samych zer), by porównać regiony z ich własną sumą)" },
	{ "the reference economy has no values for the data, which has no year column (a reference with years applies "
	  "to data with the same years)",
	  "gospodarka odniesienia nie ma wartości dla danych, które nie mają kolumny roku (odniesienie z latami "
	  "dotyczy danych z tymi samymi latami)" },
	{ "the reference economy has no values in *, a year of the data (every year of the data needs one)",
	  "gospodarka odniesienia nie ma wartości w roku {1}, który jest rokiem danych (każdy rok danych ich "
	  "potrzebuje)" },
	{ "the reference economy has zero total employment in *",
	  "gospodarka odniesienia ma zerowe łączne zatrudnienie w roku {1}" },
	{ "the reference economy has zero total employment", "gospodarka odniesienia ma zerowe łączne zatrudnienie" },
	{ "no employment data: the table has no regions, industries or years",
	  "brak danych o zatrudnieniu: tabela nie ma regionów, branż ani lat" },
	{ "the cube would have * regions × * industries × * years, more than * cells",
	  "kostka danych (regiony × branże × lata) miałaby {1} × {2} × {3} komórek, więcej niż dopuszczalne {4}" },
	{ "more than * regions", "więcej niż {1} regionów" },
	{ "more than * industries", "więcej niż {1} branż" },
	{ "more than * years", "więcej niż {1} lat" },
	{ "more than * cells", "więcej niż {1} komórek" },
	{ "the file is empty (a header row is required)", "plik jest pusty (wymagany jest wiersz nagłówka)" },
	{ "the file is empty (a header row is needed)", "plik jest pusty (potrzebny jest wiersz nagłówka)" },
	{ "no data rows after the header", "pod nagłówkiem nie ma wierszy danych" },
	{ "every row is a total (of the nation, or of all industries: ogółem); export the regions by industry",
	  "każdy wiersz jest sumą (kraju albo wszystkich branż: ogółem); wyeksportuj regiony w podziale na branże" },
	{ "no firm has coordinates (* rows without them, first on line *)",
	  "żadna firma nie ma współrzędnych (wierszy bez nich: {1}, pierwszy w wierszu {2})" },
	{ "no firm has coordinates (* row without them, first on line *)",
	  "żadna firma nie ma współrzędnych (wierszy bez nich: {1}, pierwszy w wierszu {2})" },
	{ "more than * located firms: the portal keeps at most * per list (use klaster map spatial for larger files)",
	  "więcej niż {1} firm z położeniem: portal przechowuje najwyżej {2} na listę (większe pliki analizuj "
	  "poleceniem klaster map spatial)" },
	{ "at most * value columns, not *", "najwyżej {1} kolumn wartości, a nie {2}" },
	/* the value columns of a firm list (the upload form's, the command line's --value) */
	{ "* value columns: a list keeps at most *", "kolumn wartości podano {1}: lista przechowuje najwyżej {2}" },
	{ "value column '*': a name of 1 to * bytes of UTF-8 text",
	  "kolumna wartości „{1}”: nazwa kolumny to od 1 do {2} bajtów tekstu UTF-8" },
	{ "value column: a name without control characters", "kolumna wartości: nazwa kolumny bez znaków sterujących" },
	{ "value column '*' is given twice", "kolumna wartości „{1}” jest podana dwa razy" },
	/* the CSV reader (csv.h) */
	{ "unterminated quoted field (the quote at position * of its line is never closed)",
	  "niezamknięte pole w cudzysłowie (cudzysłów na pozycji {1} tego wiersza nigdzie się nie zamyka)" },
	{ "a quote inside an unquoted field at position * (put the whole field in quotes and double the quote)",
	  "cudzysłów w polu bez cudzysłowu na pozycji {1} (ujmij całe pole w cudzysłów, a ten cudzysłów podwój)" },
	{ "unexpected character after a closing quote at position * (a quote inside a quoted field must be doubled)",
	  "nieoczekiwany znak po cudzysłowie zamykającym na pozycji {1} (cudzysłów wewnątrz pola w cudzysłowie "
	  "trzeba podwoić)" },
	{ "the quoted field at position * is not closed on its line: it runs on to line *, where a quote is followed "
	  "by another character at position * (close the quote on line *, or double a quote meant as text)",
	  "pole w cudzysłowie na pozycji {1} nie zamyka się w swoim wierszu: ciągnie się do wiersza {2}, gdzie po "
	  "cudzysłowie stoi inny znak na pozycji {3} (zamknij cudzysłów w wierszu {4} albo podwój cudzysłów, który ma "
	  "być tekstem)" },
	{ "a NUL byte at position * (is this a binary or UTF-16 file?)",
	  "bajt NUL na pozycji {1} (czy to plik binarny albo zapisany w UTF-16?)" },
	{ "invalid UTF-8 at byte * (column *): the byte 0x* is a Polish letter in Windows-1250, the encoding Excel "
	  "saves CSV in on Polish systems; save the file as \"CSV UTF-8\", or convert it (iconv -f cp1250 -t utf-8)",
	  "błędny UTF-8 w bajcie {1} (kolumna {2}): bajt 0x{3} to polska litera w kodowaniu Windows-1250, w którym "
	  "Excel zapisuje CSV w polskich systemach; zapisz plik jako „CSV UTF-8” albo przekoduj go "
	  "(iconv -f cp1250 -t utf-8)" },
	{ "invalid UTF-8 at byte *: the byte 0x* is a Polish letter in Windows-1250, the encoding Excel saves CSV in on "
	  "Polish systems; save the file as \"CSV UTF-8\", or convert it (iconv -f cp1250 -t utf-8)",
	  "błędny UTF-8 w bajcie {1}: bajt 0x{2} to polska litera w kodowaniu Windows-1250, w którym Excel zapisuje "
	  "CSV w polskich systemach; zapisz plik jako „CSV UTF-8” albo przekoduj go (iconv -f cp1250 -t utf-8)" },
	{ "invalid UTF-8 at byte * (column *): the byte 0x* is a Polish letter in Windows-1250 (as Excel saves CSV on "
	  "Polish systems) or in ISO-8859-2 (older exports); save the file as UTF-8, or convert it (iconv -f cp1250 -t "
	  "utf-8 from Excel, iconv -f iso-8859-2 -t utf-8 from ISO-8859-2)",
	  "błędny UTF-8 w bajcie {1} (kolumna {2}): bajt 0x{3} to polska litera w kodowaniu Windows-1250 (w nim Excel "
	  "zapisuje CSV w polskich systemach) albo ISO-8859-2 (starsze eksporty); zapisz plik w UTF-8 albo przekoduj "
	  "go (iconv -f cp1250 -t utf-8 z Excela, iconv -f iso-8859-2 -t utf-8 z ISO-8859-2)" },
	{ "invalid UTF-8 at byte *: the byte 0x* is a Polish letter in Windows-1250 (as Excel saves CSV on Polish "
	  "systems) or in ISO-8859-2 (older exports); save the file as UTF-8, or convert it (iconv -f cp1250 -t utf-8 "
	  "from Excel, iconv -f iso-8859-2 -t utf-8 from ISO-8859-2)",
	  "błędny UTF-8 w bajcie {1}: bajt 0x{2} to polska litera w kodowaniu Windows-1250 (w nim Excel zapisuje CSV "
	  "w polskich systemach) albo ISO-8859-2 (starsze eksporty); zapisz plik w UTF-8 albo przekoduj go "
	  "(iconv -f cp1250 -t utf-8 z Excela, iconv -f iso-8859-2 -t utf-8 z ISO-8859-2)" },
	{ "invalid UTF-8 at byte * (column *): the byte 0x* is a Polish letter in ISO-8859-2 (Latin-2), the encoding "
	  "of older Polish exports; save the file as UTF-8, or convert it (iconv -f iso-8859-2 -t utf-8)",
	  "błędny UTF-8 w bajcie {1} (kolumna {2}): bajt 0x{3} to polska litera w kodowaniu ISO-8859-2 (Latin-2), "
	  "w którym zapisywano starsze polskie eksporty; zapisz plik w UTF-8 albo przekoduj go "
	  "(iconv -f iso-8859-2 -t utf-8)" },
	{ "invalid UTF-8 at byte *: the byte 0x* is a Polish letter in ISO-8859-2 (Latin-2), the encoding of older "
	  "Polish exports; save the file as UTF-8, or convert it (iconv -f iso-8859-2 -t utf-8)",
	  "błędny UTF-8 w bajcie {1}: bajt 0x{2} to polska litera w kodowaniu ISO-8859-2 (Latin-2), w którym "
	  "zapisywano starsze polskie eksporty; zapisz plik w UTF-8 albo przekoduj go (iconv -f iso-8859-2 -t utf-8)" },
	{ "invalid UTF-8 at byte * (column *) (save the file as UTF-8)",
	  "błędny UTF-8 w bajcie {1} (kolumna {2}) (zapisz plik w UTF-8)" },
	{ "invalid UTF-8 at byte * (save the file as UTF-8)", "błędny UTF-8 w bajcie {1} (zapisz plik w UTF-8)" },
	{ "the file is in UTF-16 (as Excel's \"Unicode text\"); save it as \"CSV UTF-8\", or convert it (iconv -f utf-16 "
	  "-t utf-8)",
	  "plik jest zapisany w UTF-16 (jak „Tekst Unicode” Excela); zapisz go jako „CSV UTF-8” albo przekoduj go "
	  "(iconv -f utf-16 -t utf-8)" },
	{ "the file is compressed with gzip (as Eurostat's bulk downloads, .tsv.gz, are): decompress it first (gunzip "
	  "-k FILE), or read it from a pipe (zcat FILE | klaster map … -)",
	  "plik jest skompresowany programem gzip (jak pliki .tsv.gz z pobierania zbiorczego Eurostatu): najpierw go "
	  "rozpakuj (gunzip -k PLIK) albo czytaj go z potoku (zcat PLIK | klaster map … -)" },
	{ "the file is a ZIP archive or an Excel workbook (.xlsx), not text: save the sheet as \"CSV UTF-8\", or unpack "
	  "the archive",
	  "plik jest archiwum ZIP albo skoroszytem Excela (.xlsx), a nie tekstem: zapisz arkusz jako „CSV UTF-8” albo "
	  "rozpakuj archiwum" },
	{ "the file is an Excel 97–2003 workbook (.xls), not text: save the sheet as \"CSV UTF-8\"",
	  "plik jest skoroszytem Excela 97–2003 (.xls), a nie tekstem: zapisz arkusz jako „CSV UTF-8”" },
	{ "more than * fields in one record (check the separator and the quotes)",
	  "jeden rekord ma więcej pól, niż wolno ({1}) (sprawdź separator i cudzysłowy)" },
	{ "field * (column *) is longer than 1 MiB", "pole {1} (kolumna {2}) jest dłuższe niż 1 MiB" },
	{ "field * is longer than 1 MiB", "pole {1} jest dłuższe niż 1 MiB" },
	/* last: wider than the patterns above that begin the same */
	{ "must not contain *", "nie może zawierać {1}" },
	/* the database away (503) */
	{ "the database cannot be reached at the moment; please try again in a few seconds",
	  "baza danych jest w tej chwili nieosiągalna; spróbuj ponownie za kilka sekund" },
};

#define NPATS (sizeof(pats) / sizeof(pats[0]))

size_t i18n_count(void)
{
	return NPATS;
}

void i18n_pattern(size_t k, const char **en, const char **pl)
{
	*en = pats[k].en;
	*pl = pats[k].pl;
}

#define MAXCAP 9

/* Whether s matches pattern p whole; cap[k] and len[k] get the text of the
 * k-th '*' (the shortest that lets the rest match). */
static int match(const char *p, const char *s, const char **cap, size_t *len, int k)
{
	for (; *p && *p != '*'; p++, s++)
		if (*p != *s)
			return 0;
	if (!*p)
		return !*s;
	if (k >= MAXCAP)
		return 0;
	{
		size_t n;
		for (n = 1; s[n - 1]; n++) {
			cap[k] = s;
			len[k] = n;
			if (match(p + 1, s + n, cap, len, k + 1))
				return 1;
		}
	}
	return 0;
}

/* Appends the Polish text pl with its {k} replaced by the k-th value taken. */
static void fill(const char *pl, const char *const *cap, const size_t *len, struct buf *out)
{
	const char *q;
	for (q = pl; *q; q++) {
		if (q[0] == '{' && q[1] >= '1' && q[1] <= '0' + MAXCAP && q[2] == '}') {
			buf_add(out, cap[q[1] - '1'], len[q[1] - '1']);
			q += 2;
		} else {
			buf_putc(out, *q);
		}
	}
}

/* The Polish of one message without a field before it; 1 when a pattern took it. */
static int whole(const char *msg, struct buf *out)
{
	size_t i;
	for (i = 0; i < NPATS; i++) {
		const char *cap[MAXCAP];
		size_t len[MAXCAP];
		if (!match(pats[i].en, msg, cap, len, 0))
			continue;
		fill(pats[i].pl, cap, len, out);
		return 1;
	}
	return 0;
}

/* Parts that end a message after its sentence ("required, at most 200 characters (this one has 500)"):
 * the sentence is looked up alone and the part follows in Polish. */
static const struct {
	const char *en, *pl;
} tails[] = {
	{ "* (this one has *)", " (ten ma {2})" },
	{ "* (in '*')", " (w „{2}”)" },
	{ "* (one line of text)", " (jeden wiersz tekstu)" },
};

/* A sentence whole() takes followed by one of tails, else whole() (the tails first: a pattern
 * ending in '*' would take a tail as part of its last value). */
static int with_tail(const char *msg, struct buf *out)
{
	size_t t;
	for (t = 0; t < sizeof(tails) / sizeof(tails[0]); t++) {
		const char *cap[MAXCAP];
		size_t len[MAXCAP], mark = out->len;
		char *head;
		int ok;
		if (!match(tails[t].en, msg, cap, len, 0))
			continue;
		head = xstrndup(cap[0], len[0]);
		ok = whole(head, out);
		free(head);
		if (!ok) {
			buf_truncate(out, mark);
			continue;
		}
		fill(tails[t].pl, cap, len, out);
		return 1;
	}
	return whole(msg, out);
}

/* The length of a field before msg's first ": " (a form's name, "column x", "#3", a quoted value),
 * or 0 when what comes before it is not a field but part of a sentence.  A value quoted as the
 * validators quote it ('…', a quote or backslash inside escaped by a backslash) is a field
 * whatever its words. */
static size_t field_len(const char *msg)
{
	const char *c = strstr(msg, ": ");
	size_t n, words = 1;
	if (msg[0] == '\'') {
		const char *t;
		for (t = msg + 1; *t && *t != '\''; t++)
			if (*t == '\\' && t[1])
				t++;
		if (*t == '\'' && t[1] == ':' && t[2] == ' ')
			return (size_t)(t + 1 - msg);
	}
	if (!c || c == msg || c - msg > 60)
		return 0;
	n = (size_t)(c - msg);
	{
		const char *t;
		for (t = msg; t < c; t++)
			words += *t == ' ';
	}
	return words <= 2 ? n : 0;
}

const char *i18n_pl(const char *msg, struct buf *out)
{
	size_t at = 0, n;
	if (!msg)
		return NULL;
	buf_reset(out);
	/* the fields before the sentence, each kept as it is */
	while (!with_tail(msg + at, out) && (n = field_len(msg + at)) > 0) {
		buf_add(out, msg + at, n + 2);
		at += n + 2;
	}
	if (out->len > at)
		return out->ptr;   /* a pattern took the rest */
	return msg;
}
