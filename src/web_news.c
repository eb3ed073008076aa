/* web_news.c — news articles, their print view and PDF, and comments. */
#include "web.h"

const struct route news_routes[] = {
	{ NULL, NULL, NULL, 0 }
};
