/*
 * mailq.h — the persistent mail queue.  Every e-mail the portal sends
 * (address confirmations, password resets, notifications, newsletters) is
 * a row of mail_queue written in the same transaction as the change that
 * caused it, then delivered by a worker:
 *
 *   - over SMTP with libcurl when mail_cfg.smtp_url is set
 *     ("smtp://host:port", "smtps://user:password@host"), with retries and
 *     exponential back-off (1 min, 2, 4 … up to 1 h; failed after
 *     MAIL_MAX_ATTEMPTS);
 *   - otherwise into the local outbox (status "outbox") that an
 *     administrator reads in the portal, so every flow works without a
 *     mail server.
 *
 * Delivery claims one message at a time (status queued → sending, with
 * claimed_at) in its own statement, so several servers on one database
 * never send the same message; a message whose server died while sending
 * is queued again when the lease (mail_cfg.lease seconds) runs out, and
 * keeps its Message-ID, so a receiving system can recognise the rare
 * repeat of a message whose acceptance was cut off by the crash.
 */
#ifndef KLASTER_MAILQ_H
#define KLASTER_MAILQ_H

#include "buf.h"
#include "db.h"
#include "err.h"

#define MAIL_MAX_ATTEMPTS 8

struct mail_cfg {
	const char *smtp_url;        /* NULL or "" = the local outbox */
	const char *from;            /* "Name <address>" or an address */
	const char *base_url;        /* "http://host:port", for links in messages */
	long lease;                  /* seconds before an unfinished claim is retried */
	long timeout;                /* seconds for one SMTP delivery */
	long keep_days;              /* days a message is kept after delivery (mail_housekeeping);
					0: MAIL_KEEP_DAYS */
};

/* Appends s with Polish quotes inside Polish quotes as »…« (the rule of
 * Polish typography): „Klaster „Skrzydła”” becomes „Klaster »Skrzydła«”,
 * as when a name with quotes is quoted in a mail.  Line by line: a quote
 * left open does not reach the next line. */
void mail_quotes_pl(struct buf *out, const char *s);

/* Queues one plain-text UTF-8 message.  to must be one address; subject
 * one line; headers NULL or extra header lines ("Name: value\r\n" …, as
 * List-Unsubscribe).  CR or LF in to or subject, or a header line that is
 * not "Name: value", is an input error (no header injection).  Quotes in
 * quotes of the subject and body are written as mail_quotes_pl says.  Runs
 * in the caller's transaction when there is one. */
int mail_enqueue(struct db *db, const char *kind, const char *to, const char *subject, const char *body,
		 const char *headers, struct kerr *e);

/* Builds the RFC 5322 text of a message: headers with an RFC 2047
 * encoded subject, then the body with CRLF line ends, as 8bit text, or,
 * when a line of it is longer than MAIL_LINE_MAX bytes (SMTP allows 998
 * and servers refuse or break longer ones: a paragraph typed as one line),
 * as quoted-printable, which readers show as the same text. */
#define MAIL_LINE_MAX 998

void mail_compose(const struct mail_cfg *cfg, const char *to, const char *subject, const char *body,
		  const char *headers, const char *message_id, long long date, struct buf *out);

/* Delivers up to max due messages; *done counts those delivered (sent or
 * put in the outbox).  Returns -1 only for a database error; a failed SMTP
 * delivery is recorded on its message and retried later. */
int mail_deliver_due(struct db *db, const struct mail_cfg *cfg, int max, int *done, struct kerr *e);

/* Requeues messages whose claim is older than the lease. */
int mail_requeue_stale(struct db *db, const struct mail_cfg *cfg, struct kerr *e);

/* What the queue keeps of a message once it is out of its hands.
 *
 * The secret of every link the portal mails (confirmation, password reset,
 * offer reply, newsletter confirmation and unsubscribe) is 64 hex digits;
 * the database keeps only its hash, and the queue's copy of the message
 * must not undo that.  So:
 *   - a message the SMTP server accepted is stored redacted at once;
 *   - a message in the outbox (no SMTP server: it is the delivery, an
 *     administrator reads and forwards it) or failed keeps its links for
 *     the days kept (mail_cfg.keep_days: the setting mail-keep-days,
 *     default MAIL_KEEP_DAYS) after it got there;
 *   - after those days every sent, outbox or failed message is deleted,
 *     except a campaign's (kind "newsletter:ID"), which stays, redacted,
 *     because the campaign's counts are read from the queue. */
#define MAIL_KEEP_DAYS 30
#define MAIL_KEEP_DAYS_MAX 3650
#define MAIL_REDACTED "REMOVED-AFTER-DELIVERY"

/* Appends s with every run of 64 or more hex digits replaced by
 * MAIL_REDACTED.  s may be NULL (nothing appended). */
void mail_redact(struct buf *out, const char *s);

/* Redacts and deletes as described above (now: Unix seconds; keep_days
 * 1..MAIL_KEEP_DAYS_MAX, else MAIL_KEEP_DAYS); run by each server's worker
 * and by `klaster mail deliver`. */
int mail_housekeeping(struct db *db, long long now, long keep_days, struct kerr *e);

#endif
