// scan: --link
/* Teardowns in phases, where the object is a local of the caller: a list
 * walk that shuts each entry down and then frees it (shutdown cancels,
 * free does not) is one teardown in two calls. A free whose callers never
 * run the shutdown first leaves the timeout registered. */
#include <stddef.h>
#include "../eloop/eloop.h"

struct port {
    struct port *next;
    int up;
};

struct lease {
    struct lease *next;
    int left;
};

static struct port *ports;
static struct lease *leases;

static void port_keepalive(void *eloop_ctx, void *timeout_ctx)
{
    struct port *p = eloop_ctx;

    (void)timeout_ctx;
    p->up++;
}

static void lease_expire(void *eloop_ctx, void *timeout_ctx)
{
    struct lease *l = eloop_ctx;

    (void)timeout_ctx;
    l->left = 0;
}

void port_up(struct port *p)
{
    eloop_register_timeout(10, 0, port_keepalive, p, NULL);
}

static void port_shutdown(struct port *p)
{
    eloop_cancel_timeout(port_keepalive, p, NULL);
    p->up = 0;
}

void port_free(struct port *p)
{
    os_free(p);
}

void ports_flush(void)
{
    struct port *p, *next;

    for (p = ports; p; p = next) {
        next = p->next;
        port_shutdown(p);
        port_free(p);
    }
    ports = NULL;
}

void lease_start(struct lease *l)
{
    eloop_register_timeout(3600, 0, lease_expire, l, NULL); /* expect: field-never-stopped */
}

void lease_renew(struct lease *l)
{
    eloop_cancel_timeout(lease_expire, l, NULL);
    eloop_register_timeout(3600, 0, lease_expire, l, NULL);
}

void lease_free(struct lease *l)
{
    os_free(l);
}

void leases_flush(void)
{
    struct lease *l, *next;

    for (l = leases; l; l = next) {
        next = l->next;
        lease_free(l);
    }
    leases = NULL;
}
