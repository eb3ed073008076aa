/* web_offer.c — the offers database ("baza ofert"). */
#include "web.h"

const struct route offer_routes[] = {
	{ NULL, NULL, NULL, 0 }
};
