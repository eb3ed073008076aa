/* web_newsletter.c — the newsletter: subscriptions and campaigns. */
#include "web.h"

const struct route newsletter_routes[] = {
	{ NULL, NULL, NULL, 0 }
};
