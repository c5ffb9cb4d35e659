/* Part of teardown-wrapper.c: what a service's timeouts are, and the
 * cancels its deinit makes. */
#include <stddef.h>
#include "../../eloop/eloop.h"
#include "svc.h"

static void svc_poll(void *eloop_ctx, void *timeout_ctx)
{
    struct svc *s = eloop_ctx;

    (void)timeout_ctx;
    s->state++;
}

static void svc_retry(void *eloop_ctx, void *timeout_ctx)
{
    struct svc *s = eloop_ctx;

    (void)timeout_ctx;
    s->retries++;
}

void svc_start(struct svc *s)
{
    svc_log(s, "starting in state %d", s->state);
    eloop_register_timeout(1, 0, svc_poll, s, NULL);
    eloop_register_timeout(3, 0, svc_retry, s, NULL); /* expect: field-never-stopped */
}

void svc_cancel_poll(struct svc *s)
{
    eloop_cancel_timeout(svc_poll, s, NULL);
}

void svc_ack(struct svc *s)
{
    eloop_cancel_timeout(svc_retry, s, NULL);
    s->retries = 0;
}
