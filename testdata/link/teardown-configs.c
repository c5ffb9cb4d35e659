// scan: --link
// with: parts/acct-real.c parts/acct-user.c
/* One compile database, two programs: a file built with accounting
 * configured out calls the header's stub acct_stop(), the real one is in
 * another file of the other program. A teardown path through the stub
 * follows the real function of that name too (the benefit of the doubt):
 * bss_free() is no finding. A static function of a .c file is that
 * file's own: rx_free() below calls its own no-op and leaves the
 * registration live. */
#include <stdlib.h>
#include "../eloop/eloop.h"

struct rx {
    int frames;
};

static void rx_flush(void *eloop_ctx, void *timeout_ctx)
{
    struct rx *r = eloop_ctx;

    (void)timeout_ctx;
    r->frames = 0;
}

void rx_start(struct rx *r)
{
    eloop_register_timeout(1, 0, rx_flush, r, NULL); /* expect: field-never-stopped */
}

void rx_pause(struct rx *r)
{
    eloop_cancel_timeout(rx_flush, r, NULL);
}

static void rx_quiesce(struct rx *r)
{
    r->frames = -1;
}

void rx_free(struct rx *r)
{
    rx_quiesce(r);
    free(r);
}
