/*
 * stop-too-late (eloop): a registered timeout is pending from
 * eloop_register_timeout() on; its handler will get eloop_data and
 * user_data. Freeing either before cancelling, on a path that returns,
 * leaves the handler to run on freed memory: stop-too-late at the free.
 * Unknown code given the context in between may have cancelled the
 * registration (it lives on the context): no finding then.
 */
#include <stddef.h>

#include "eloop.h"

struct peer {
    int retries;
    int id;
};

struct iface {
    int up;
};

extern int iface_probe(struct iface *ifc);
extern void log_peer(int id);

static void peer_retry(void *eloop_ctx, void *timeout_ctx)
{
    struct iface *ifc = eloop_ctx;
    struct peer *p = timeout_ctx;

    if (ifc->up)
        p->retries++;
}

/* bad: the peer goes while its retry is pending */
int peer_schedule(struct iface *ifc, int id)
{
    struct peer *p = os_zalloc(sizeof(*p));

    if (p == NULL)
        return -1;
    p->id = id;
    eloop_register_timeout(1, 0, peer_retry, ifc, p);
    if (id < 0) {
        os_free(p); /* expect: stop-too-late */
        return -1;
    }
    return 0;
}

/* good: cancelled first */
int peer_schedule_cancel(struct iface *ifc, int id)
{
    struct peer *p = os_zalloc(sizeof(*p));

    if (p == NULL)
        return -1;
    p->id = id;
    eloop_register_timeout(1, 0, peer_retry, ifc, p);
    if (id < 0) {
        eloop_cancel_timeout(peer_retry, ifc, p);
        os_free(p);
        return -1;
    }
    return 0;
}

/* good: unknown code got the context and may have cancelled it */
int peer_schedule_probe(struct iface *ifc, int id)
{
    struct peer *p = os_zalloc(sizeof(*p));

    if (p == NULL)
        return -1;
    p->id = id;
    eloop_register_timeout(1, 0, peer_retry, ifc, p);
    if (iface_probe(ifc) < 0) {
        os_free(p);
        return -1;
    }
    return 0;
}

/* good: what is freed is not what the handler gets */
int peer_log(struct iface *ifc, struct peer *p)
{
    struct peer *tmp = os_zalloc(sizeof(*tmp));

    if (tmp == NULL)
        return -1;
    eloop_register_timeout(1, 0, peer_retry, ifc, p);
    log_peer(p->id);
    os_free(tmp);
    return 0;
}
