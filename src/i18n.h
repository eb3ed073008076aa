/*
 * i18n.h — Polish for the messages the library writes in English.
 *
 * The library's messages (validators, accounts, offers, news, the
 * newsletter, moderation, the statistics and firm-list readers) are
 * English, as the API and the command line give them.  A Polish page
 * shows them through i18n_pl, which matches the message against a table
 * of English patterns and writes the Polish one:
 *
 *   "email: must contain @, as in name@example.pl"
 *   → "email: musi zawierać @, jak w imie@example.pl"
 *
 * A pattern's '*' stands for any non-empty text, taken into the Polish
 * text where it says {1}, {2} … in order.  A message that no pattern takes
 * whole may begin with a field ("nip: ", "column nip: ", "pkd_codes:
 * '04.11': "): the field stays as it is (it is the form's name of the
 * field) and the rest is looked up again.  A message nothing matches is
 * returned as it is, in English: a missing pattern shows, it never hides
 * the message.
 */
#ifndef KLASTER_I18N_H
#define KLASTER_I18N_H

#include "buf.h"

/* msg in Polish when a pattern takes it (written to out, which is reset,
 * and returned), else msg itself.  msg may be NULL (returns NULL). */
const char *i18n_pl(const char *msg, struct buf *out);

/* The number of patterns, and pattern k's English and Polish texts (for the
 * unit test that checks every pattern translates its own example). */
size_t i18n_count(void);
void i18n_pattern(size_t k, const char **en, const char **pl);

#endif
