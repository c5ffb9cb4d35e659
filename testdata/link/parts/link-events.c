/* link-events.c: the dispatcher the teardowns of teardown-dispatch.c hand
 * their links to. Each event runs its own case; which timeouts a call
 * cancels depends on the event it passes. */
#include <stddef.h>
#include "../../eloop/eloop.h"
#include "link-events.h"

static void link_assoc(void *ctx)
{
    struct assoc_link *l = ctx;

    eloop_cancel_timeout(assoc_link_retry, l, NULL);
    l->state = 2;
}

static void link_deauth(void *ctx)
{
    struct assoc_link *l = ctx;

    l->state = 0;
    l->retries = 0;
}

static void link_down(void *ctx)
{
    struct probe_link *l = ctx;

    eloop_cancel_timeout(probe_link_retry, l, NULL);
    l->state = 0;
}

static void link_other(void *ctx)
{
    struct idle_link *l = ctx;

    eloop_cancel_timeout(idle_link_retry, l, NULL);
    l->idle_secs = 0;
}

void link_event(void *ctx, enum link_event ev)
{
    struct probe_link *p = ctx;

    switch (ev) {
    case LINK_EV_ASSOC:
        link_assoc(ctx);
        break;
    case LINK_EV_DEAUTH:
        link_deauth(ctx);
        break;
    case LINK_EV_RESET:
        p->probes = 0;
        /* fall through */
    case LINK_EV_DOWN:
        link_down(ctx);
        break;
    case LINK_EV_UP:
        break;
    default:
        link_other(ctx);
        break;
    }
    if (ev == LINK_EV_UP) {
        struct wake_link *w = ctx;
        struct scan_link *s = ctx;

        eloop_cancel_timeout(wake_link_retry, w, NULL);
        eloop_cancel_timeout(scan_link_retry, s, NULL);
    }
}
