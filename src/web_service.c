/*
 * web_service.c — the services database ("baza usług"): services of
 * business-support institutions, R&D units and universities.  The pages
 * are those of the offers database (web_offer.h) for the other base; the
 * editors' list, the replies and the moderation queue are shared and live
 * under /offers/mine, /offers/reply and /admin/offers.
 */
#include "web_offer.h"

static void h_services(struct req *r) { offers_list(r, OFFER_BASE_SERVICES); }
static void h_service(struct req *r) { offers_show(r, OFFER_BASE_SERVICES); }
static void h_service_new(struct req *r) { offers_new(r, OFFER_BASE_SERVICES); }
static void h_service_new_post(struct req *r) { offers_new_post(r, OFFER_BASE_SERVICES); }
static void h_service_edit(struct req *r) { offers_edit(r, OFFER_BASE_SERVICES); }
static void h_service_edit_post(struct req *r) { offers_edit_post(r, OFFER_BASE_SERVICES); }
static void h_service_withdraw(struct req *r) { offers_withdraw_post(r, OFFER_BASE_SERVICES); }
static void h_service_interest(struct req *r) { offers_interest_post(r, OFFER_BASE_SERVICES); }
static void h_api_services(struct req *r) { offers_api(r, OFFER_BASE_SERVICES); }
static void h_api_service(struct req *r) { offers_api_item(r, OFFER_BASE_SERVICES); }

/* Exact paths come before the "/services/" prefix route. */
const struct route service_routes[] = {
	{ "GET", "/services", h_services, R_DB | R_CACHE | R_AREA_DIR | R_AREA_OFFERS },
	{ "GET", "/services/new", h_service_new, R_DB | R_LOGIN },
	{ "POST", "/services/new", h_service_new_post, R_DB | R_FORM | R_LOGIN },
	{ "GET", "/services/edit/", h_service_edit, R_DB | R_LOGIN | R_PREFIX },
	{ "POST", "/services/edit/", h_service_edit_post, R_DB | R_FORM | R_LOGIN | R_PREFIX },
	{ "POST", "/services/withdraw/", h_service_withdraw, R_DB | R_FORM | R_LOGIN | R_PREFIX },
	{ "POST", "/services/interest/", h_service_interest, R_DB | R_FORM | R_LOGIN | R_PREFIX },
	{ "GET", "/services/", h_service, R_DB | R_PREFIX | R_CACHE | R_AREA_DIR | R_AREA_OFFERS },
	{ "GET", "/api/v1/services", h_api_services, R_DB | R_API | R_CACHE | R_AREA_DIR | R_AREA_OFFERS },
	{ "GET", "/api/v1/services/", h_api_service, R_DB | R_API | R_PREFIX | R_CACHE | R_AREA_DIR | R_AREA_OFFERS },
	{ NULL, NULL, NULL, 0 }
};
