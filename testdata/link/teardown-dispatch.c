// scan: --link
// with: parts/link-events.c
/* A teardown that goes through an event dispatcher (#19): a teardown
 * hands its object to link_event() with a constant event, and only that
 * event's case runs there (and what it falls through to, and the default
 * when no case matches). What the other cases cancel is not cancelled on
 * that path: wpa_supplicant_deinit_iface() reaches wpa_supplicant_event()
 * through wpa_supplicant_deauthenticate() with EVENT_DEAUTH, which does
 * not run the EVENT_ASSOC case that cancels wpas_network_reenabled. An
 * event the teardown does not know (its own parameter) may be any: the
 * benefit of the doubt. A constant passed on through a helper's parameter
 * is still that constant. */
#include <stdlib.h>
#include "../eloop/eloop.h"
#include "parts/link-events.h"

void assoc_link_retry(void *eloop_ctx, void *timeout_ctx)
{
    struct assoc_link *l = eloop_ctx;

    (void)timeout_ctx;
    if (++l->retries < 5)
        eloop_register_timeout(1, 0, assoc_link_retry, l, NULL); /* expect: field-never-stopped */
}

void assoc_link_start(struct assoc_link *l)
{
    l->retries = 0;
    eloop_register_timeout(1, 0, assoc_link_retry, l, NULL);
}

/* bad: LINK_EV_DEAUTH runs link_deauth(), which leaves the retry
 * registered; only LINK_EV_ASSOC cancels it */
void assoc_link_free(struct assoc_link *l)
{
    link_event(l, LINK_EV_DEAUTH);
    free(l);
}

void probe_link_retry(void *eloop_ctx, void *timeout_ctx)
{
    struct probe_link *l = eloop_ctx;

    (void)timeout_ctx;
    l->probes++;
    eloop_register_timeout(2, 0, probe_link_retry, l, NULL);
}

void probe_link_start(struct probe_link *l)
{
    eloop_register_timeout(2, 0, probe_link_retry, l, NULL);
}

/* good: LINK_EV_RESET falls through into the LINK_EV_DOWN case, which
 * cancels the probe */
void probe_link_free(struct probe_link *l)
{
    link_event(l, LINK_EV_RESET);
    free(l);
}

void wake_link_retry(void *eloop_ctx, void *timeout_ctx)
{
    struct wake_link *l = eloop_ctx;

    (void)timeout_ctx;
    l->wakeups++;
}

void wake_link_start(struct wake_link *l)
{
    eloop_register_timeout(3, 0, wake_link_retry, l, NULL);
}

/* good: the event is the caller's; it may be LINK_EV_UP, which cancels */
void wake_link_close(struct wake_link *l, enum link_event why)
{
    link_event(l, why);
    free(l);
}

void scan_link_retry(void *eloop_ctx, void *timeout_ctx)
{
    struct scan_link *l = eloop_ctx;

    (void)timeout_ctx;
    l->scans++;
}

void scan_link_start(struct scan_link *l)
{
    eloop_register_timeout(5, 0, scan_link_retry, l, NULL); /* expect: field-never-stopped */
}

static void scan_link_notify(struct scan_link *l, enum link_event ev)
{
    l->state = ev;
    link_event(l, ev);
}

/* bad: the helper passes LINK_EV_DOWN on; only LINK_EV_UP cancels the
 * scan retry */
void scan_link_free(struct scan_link *l)
{
    scan_link_notify(l, LINK_EV_DOWN);
    free(l);
}

void idle_link_retry(void *eloop_ctx, void *timeout_ctx)
{
    struct idle_link *l = eloop_ctx;

    (void)timeout_ctx;
    l->idle_secs++;
}

void idle_link_start(struct idle_link *l)
{
    eloop_register_timeout(60, 0, idle_link_retry, l, NULL);
}

/* good: no case matches LINK_EV_GONE; the default cancels the idle
 * timeout */
void idle_link_free(struct idle_link *l)
{
    link_event(l, LINK_EV_GONE);
    free(l);
}
