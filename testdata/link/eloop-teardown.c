// scan: --link
/* field-never-stopped, the teardown case for handle-less registrations
 * (#19 item 4): a timeout registered on a context object and cancelled in
 * some function, while a teardown frees the context without cancelling
 * it, fires on freed memory. A teardown that cancels it, cancels it for
 * every context (ELOOP_ALL_CTX), or hands the context to code that may
 * (a deinit without a body here, or a helper of this file that passes it
 * on there) is fine. */
#include <stdbool.h>
#include <stddef.h>
#include "../eloop/eloop.h"

struct sta_info {
    int aid;
    int missed;
};

struct bss {
    int beacon_int;
};

struct radio {
    int channel;
};

extern void radio_driver_deinit(struct radio *r);

static void sta_poll(void *eloop_ctx, void *timeout_ctx)
{
    struct sta_info *sta = eloop_ctx;

    (void)timeout_ctx;
    sta->missed++;
}

static void bss_beacon(void *eloop_ctx, void *timeout_ctx)
{
    (void)eloop_ctx;
    (void)timeout_ctx;
}

static void radio_calibrate(void *eloop_ctx, void *timeout_ctx)
{
    (void)eloop_ctx;
    (void)timeout_ctx;
}

void sta_start_poll(struct sta_info *sta)
{
    eloop_register_timeout(10, 0, sta_poll, sta, NULL); /* expect: field-never-stopped */
}

void sta_got_reply(struct sta_info *sta)
{
    eloop_cancel_timeout(sta_poll, sta, NULL);
    sta->missed = 0;
}

/* bad: frees the station with its poll still registered */
void sta_free(struct sta_info *sta)
{
    os_free(sta);
}

void bss_start(struct bss *b)
{
    eloop_register_timeout(0, b->beacon_int * 1024, bss_beacon, b, NULL);
}

void bss_pause(struct bss *b)
{
    eloop_cancel_timeout(bss_beacon, b, NULL);
}

/* good: cancels for every context */
void bss_free(struct bss *b)
{
    eloop_cancel_timeout(bss_beacon, ELOOP_ALL_CTX, ELOOP_ALL_CTX);
    os_free(b);
}

void radio_start(struct radio *r)
{
    eloop_register_timeout(60, 0, radio_calibrate, r, NULL);
}

void radio_idle(struct radio *r)
{
    eloop_cancel_timeout(radio_calibrate, r, NULL);
}

/* Passes the radio on to a deinit in another file. */
static void radio_teardown_driver(struct radio *r)
{
    radio_driver_deinit(r);
}

/* good: the driver's deinit (no body here) may cancel it */
void radio_free(struct radio *r)
{
    radio_teardown_driver(r);
    os_free(r);
}
