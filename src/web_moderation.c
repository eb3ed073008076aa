/* web_moderation.c — "add company" proposals and membership requests. */
#include "web.h"

const struct route moderation_routes[] = {
	{ NULL, NULL, NULL, 0 }
};
