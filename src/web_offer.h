/*
 * web_offer.h — the pages the offers database (web_offer.c) and the
 * services database (web_service.c) share.  Each handler serves one base
 * (offer.h); the route tables of the two files call them with theirs.
 * See docs/PORTAL-OFFERS.md for the routes and roles.
 */
#ifndef KLASTER_WEB_OFFER_H
#define KLASTER_WEB_OFFER_H

#include "offer.h"
#include "web.h"

/* GET PATH: the public listing (search, filters, sorting, pages). */
void offers_list(struct req *r, enum offer_base b);
/* GET PATH/ID: one entry (public, or its editors' and moderators' view). */
void offers_show(struct req *r, enum offer_base b);
/* GET/POST PATH/new: the add form (editors of the organisation, admins). */
void offers_new(struct req *r, enum offer_base b);
void offers_new_post(struct req *r, enum offer_base b);
/* GET/POST PATH/edit/ID: the edit form. */
void offers_edit(struct req *r, enum offer_base b);
void offers_edit_post(struct req *r, enum offer_base b);
/* POST PATH/withdraw/ID. */
void offers_withdraw_post(struct req *r, enum offer_base b);
/* POST PATH/interest/ID: "I am interested" (logged-in users). */
void offers_interest_post(struct req *r, enum offer_base b);
/* GET /api/v1/offers, /api/v1/services. */
void offers_api(struct req *r, enum offer_base b);
/* GET /api/v1/offers/ID, /api/v1/services/ID: one entry as the list shows
 * it, only while the list would show it (else 404, also for an id that is
 * not a number). */
void offers_api_item(struct req *r, enum offer_base b);

#endif
