// scan: --link
/* eloop.h missing (#13): ELOOP_ALL_CTX and the eloop functions are
 * undeclared, so a cancel that names ELOOP_ALL_CTX is an expression with
 * errors. Its handler is still read from the tokens, and it stops that
 * handler on every context: a registration cancelled so in the teardown is
 * no finding; one that nothing cancels still is. */
#include <stdlib.h>
#include "eloop.h"

struct station {
    int retries;
    int polls;
};

static void station_retry(void *eloop_ctx, void *timeout_ctx)
{
    struct station *sta = eloop_ctx;

    (void)timeout_ctx;
    if (++sta->retries < 3)
        eloop_register_timeout(1, 0, station_retry, sta, NULL);
}

static void station_poll(void *eloop_ctx, void *timeout_ctx)
{
    struct station *sta = eloop_ctx;

    (void)timeout_ctx;
    sta->polls++;
    eloop_register_timeout(10, 0, station_poll, sta, NULL); /* expect: field-never-stopped */
}

struct station *station_add(void)
{
    struct station *sta = calloc(1, sizeof *sta);

    if (sta == NULL)
        return NULL;
    eloop_register_timeout(1, 0, station_retry, sta, NULL);
    eloop_register_timeout(10, 0, station_poll, sta, NULL);
    return sta;
}

void station_free(struct station *sta)
{
    eloop_cancel_timeout(station_retry, sta, ELOOP_ALL_CTX);
    free(sta);
}
