/* web_service.c — the services database ("baza usług"). */
#include "web.h"

const struct route service_routes[] = {
	{ NULL, NULL, NULL, 0 }
};
