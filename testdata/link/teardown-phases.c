// scan: --link
/* Teardowns in phases: an object whose deinit (a framework teardown word:
 * deinit, dispose, unrealize, finalize, remove) cancels its timeout, and
 * whose free comes after that deinit, is torn down whole; the free alone
 * need not cancel again. A cancel in an ordinary function (stop_poll,
 * reset) is no such phase: a free that leaves the timeout registered is
 * still the bug. */
#include <stddef.h>
#include "../eloop/eloop.h"

struct bss {
    int beacon_int;
};

struct sta {
    int missed;
};

static void bss_beacon(void *eloop_ctx, void *timeout_ctx)
{
    struct bss *b = eloop_ctx;

    (void)timeout_ctx;
    b->beacon_int++;
}

static void sta_poll(void *eloop_ctx, void *timeout_ctx)
{
    struct sta *s = eloop_ctx;

    (void)timeout_ctx;
    s->missed++;
}

void bss_start(struct bss *b)
{
    eloop_register_timeout(0, 102400, bss_beacon, b, NULL);
}

/* the first phase: everything that runs stops here */
void bss_deinit(struct bss *b)
{
    eloop_cancel_timeout(bss_beacon, b, NULL);
    b->beacon_int = 0;
}

/* good: the second phase, after bss_deinit() */
void bss_free(struct bss *b)
{
    os_free(b);
}

void bss_deinit_free(struct bss *b)
{
    bss_deinit(b);
    bss_free(b);
}

void sta_start_poll(struct sta *s)
{
    eloop_register_timeout(10, 0, sta_poll, s, NULL); /* expect: field-never-stopped */
}

void sta_stop_poll(struct sta *s)
{
    eloop_cancel_timeout(sta_poll, s, NULL);
}

/* bad: nothing stops the poll on the way to this free */
void sta_free(struct sta *s)
{
    os_free(s);
}
