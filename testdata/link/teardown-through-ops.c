// scan: --link
// with: parts/ops-modules.c
/* Teardowns through a table of functions: a call through a struct field
 * (`d->ops->deinit(d)`) runs one of the functions stored in that field
 * anywhere in the scanned code (the modules' ops tables, an assignment);
 * what all of them stop is stopped on that path. A field no code stores
 * a function in (a callback the library's user sets) is unknown: the
 * benefit of the doubt. */
#include <stdlib.h>
#include "../eloop/eloop.h"
#include "parts/ops.h"

static void dev_retry(void *eloop_ctx, void *timeout_ctx)
{
    struct dev *d = eloop_ctx;

    (void)timeout_ctx;
    d->retries++;
}

void dev_poll(void *eloop_ctx, void *timeout_ctx)
{
    struct dev *d = eloop_ctx;

    (void)timeout_ctx;
    d->polls++;
}

int dev_open(struct dev *d, int fast)
{
    d->ops = fast ? &fast_ops : &slow_ops;
    return d->ops->init(d);
}

void dev_send(struct dev *d)
{
    eloop_register_timeout(2, 0, dev_retry, d, NULL); /* expect: field-never-stopped */
}

void dev_ack(struct dev *d)
{
    eloop_cancel_timeout(dev_retry, d, NULL);
    d->retries = 0;
}

void dev_pause(struct dev *d)
{
    eloop_cancel_timeout(dev_poll, d, NULL);
}

/* The module's deinit cancels the poll, whichever module it is; nothing
 * on the way cancels the retry. */
void dev_free(struct dev *d)
{
    d->ops->deinit(d);
    free(d);
}

static void peer_probe(void *eloop_ctx, void *timeout_ctx)
{
    struct peer *p = eloop_ctx;

    (void)timeout_ctx;
    p->addr = 0;
}

void peer_start(struct peer *p)
{
    eloop_register_timeout(5, 0, peer_probe, p, NULL);
}

void peer_stop(struct peer *p)
{
    eloop_cancel_timeout(peer_probe, p, NULL);
}

/* on_close is the user's: it may stop the probe */
void peer_free(struct peer *p)
{
    p->on_close(p);
    free(p);
}
