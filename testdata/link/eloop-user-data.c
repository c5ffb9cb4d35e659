// scan: --link
/* field-never-stopped for eloop registrations, by their third key part:
 * eloop_cancel_timeout(handler, eloop_data, user_data) removes only the
 * timeouts whose user_data is the same pointer (or any, with
 * ELOOP_ALL_CTX). A cancel given NULL does not remove a timeout registered
 * with a station as its user_data, and a teardown that frees the station a
 * pending timeout will receive, without cancelling it, is the bug whatever
 * context the timeout is registered on. A user_data we cannot name (an
 * integer cast, a call's result) may be anything: it matches every
 * cancel. */
#include <stddef.h>
#include <stdint.h>
#include "../eloop/eloop.h"

struct ap {
    int num_sta;
    int channel;
};

struct station {
    unsigned char addr[6];
    int probes;
    int flags;
};

struct scan_req {
    int freq;
};

extern struct station *ap_pick_station(struct ap *ap);
extern int ap_radio_busy(struct ap *ap);

static void station_probe(void *eloop_ctx, void *timeout_ctx)
{
    struct station *sta = timeout_ctx;

    (void)eloop_ctx;
    sta->probes++;
}

static void station_age(void *eloop_ctx, void *timeout_ctx)
{
    struct station *sta = timeout_ctx;

    (void)eloop_ctx;
    sta->flags = 0;
}

static void station_rekey(void *eloop_ctx, void *timeout_ctx)
{
    struct station *sta = timeout_ctx;

    (void)eloop_ctx;
    sta->flags |= 2;
}

static void station_poll(void *eloop_ctx, void *timeout_ctx)
{
    struct station *sta = timeout_ctx;

    (void)eloop_ctx;
    sta->flags |= 4;
}

static void ap_channel_switch(void *eloop_ctx, void *timeout_ctx)
{
    struct ap *ap = eloop_ctx;

    (void)timeout_ctx;
    ap->channel++;
}

static void ap_scan_done(void *eloop_ctx, void *timeout_ctx)
{
    struct ap *ap = eloop_ctx;

    (void)timeout_ctx;
    ap->num_sta = 0;
}

static void ap_slot(void *eloop_ctx, void *timeout_ctx)
{
    (void)eloop_ctx;
    (void)timeout_ctx;
}

/* Registered with the station as user_data; the only cancel passes NULL,
 * which matches no such timeout. */
void station_start_probe(struct ap *ap, struct station *sta)
{
    eloop_register_timeout(1, 0, station_probe, ap, sta); /* expect: field-never-stopped */
}

void station_stop_probe(struct ap *ap)
{
    eloop_cancel_timeout(station_probe, ap, NULL);
}

/* The same station cancels it. */
void station_start_aging(struct ap *ap, struct station *sta)
{
    eloop_register_timeout(300, 0, station_age, ap, sta);
}

/* Any user_data. */
void station_start_rekey(struct ap *ap, struct station *sta)
{
    eloop_register_timeout(3600, 0, station_rekey, ap, sta);
}

/* Cancelled with the station, but not where the station is freed. */
void station_start_poll(struct ap *ap, struct station *sta)
{
    eloop_register_timeout(5, 0, station_poll, ap, sta); /* expect: field-never-stopped */
}

void station_poll_reply(struct ap *ap, struct station *sta)
{
    eloop_cancel_timeout(station_poll, ap, sta);
    sta->flags &= ~4;
}

static void station_keepalive(void *eloop_ctx, void *timeout_ctx)
{
    struct station *sta = timeout_ctx;

    (void)eloop_ctx;
    sta->probes = 0;
}

static void station_linger(void *eloop_ctx, void *timeout_ctx)
{
    struct station *sta = timeout_ctx;

    (void)eloop_ctx;
    sta->flags |= 8;
}

void station_start_keepalive(struct ap *ap, struct station *sta)
{
    eloop_register_timeout(30, 0, station_keepalive, ap, sta); /* expect: field-never-stopped */
    eloop_register_timeout(60, 0, station_linger, ap, sta);
}

/* Helpers the teardown calls: the first cancels with NULL, which matches
 * no timeout given a station; the second with the station. */
void ap_stop_keepalive(struct ap *ap)
{
    eloop_cancel_timeout(station_keepalive, ap, NULL);
}

static void station_stop_linger(struct ap *ap, struct station *sta)
{
    eloop_cancel_timeout(station_linger, ap, sta);
}

void station_free(struct ap *ap, struct station *sta)
{
    ap_stop_keepalive(ap);
    station_stop_linger(ap, sta);
    eloop_cancel_timeout(station_age, ap, sta);
    eloop_cancel_timeout(station_rekey, ap, ELOOP_ALL_CTX);
    eloop_cancel_timeout(ap_slot, ELOOP_ALL_CTX, sta);
    ap->num_sta--;
    os_free(sta);
}

/* NULL user_data on both sides. */
void ap_schedule_switch(struct ap *ap)
{
    eloop_register_timeout(2, 0, ap_channel_switch, ap, NULL);
}

void ap_abort_switch(struct ap *ap)
{
    eloop_cancel_timeout(ap_channel_switch, ap, NULL);
}

/* A user_data we cannot name: whatever it is, the cancel may match it. */
void ap_schedule_scan(struct ap *ap, int freq)
{
    eloop_register_timeout(0, 100, ap_scan_done, ap, (void *)(intptr_t)freq);
}

void ap_abort_scan(struct ap *ap)
{
    eloop_cancel_timeout(ap_scan_done, ap, NULL);
}

/* A cancel whose user_data is a call's result may be the station. */
void ap_start_slot(struct ap *ap, struct station *sta)
{
    eloop_register_timeout(0, 20, ap_slot, ap, sta);
}

void ap_end_slot(struct ap *ap)
{
    eloop_cancel_timeout(ap_slot, ap, ap_pick_station(ap));
}

static void scan_req_timeout(void *eloop_ctx, void *timeout_ctx)
{
    struct scan_req *req = timeout_ctx;

    (void)eloop_ctx;
    req->freq = 0;
}

void ap_start_scan_req(struct ap *ap, struct scan_req *req)
{
    eloop_register_timeout(5, 0, scan_req_timeout, ap, req);
}

void ap_scan_req_done(struct ap *ap, struct scan_req *req)
{
    eloop_cancel_timeout(scan_req_timeout, ap, req);
    os_free(req);
}

/* A plain free of a request, for requests no timeout was given: it says
 * nothing about the registrations made with one. */
void scan_req_free(struct scan_req *req)
{
    os_free(req);
}

/* The request freed before anything registered it. */
int ap_queue_scan(struct ap *ap, int freq)
{
    struct scan_req *req = os_zalloc(sizeof(*req));

    if (req == NULL)
        return -1;
    req->freq = freq;
    if (ap_radio_busy(ap)) {
        os_free(req);
        return -1;
    }
    ap_start_scan_req(ap, req);
    return 0;
}

void ap_free(struct ap *ap)
{
    eloop_cancel_timeout(scan_req_timeout, ap, ELOOP_ALL_CTX);
    eloop_cancel_timeout(ap_channel_switch, ap, NULL);
    eloop_cancel_timeout(ap_scan_done, ELOOP_ALL_CTX, ELOOP_ALL_CTX);
    eloop_cancel_timeout(station_probe, ap, NULL);
    eloop_cancel_timeout(ap_slot, ap, ELOOP_ALL_CTX);
    eloop_cancel_timeout(station_age, ap, ELOOP_ALL_CTX);
    eloop_cancel_timeout(station_rekey, ap, ELOOP_ALL_CTX);
    eloop_cancel_timeout(station_poll, ap, ELOOP_ALL_CTX);
    eloop_cancel_timeout(station_linger, ap, ELOOP_ALL_CTX);
    os_free(ap);
}
