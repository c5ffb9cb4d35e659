/* Part of teardown-across-files.c: WPS, the scanner thread, groups and a
 * worker pool. */
#include <pthread.h>
#include <stdio.h>
#include "../../eloop/eloop.h"
#include "iface.h"

static void wps_timeout(void *eloop_ctx, void *timeout_ctx)
{
    struct iface *ifc = eloop_ctx;

    (void)timeout_ctx;
    ifc->index = 0;
}

void wps_start(struct iface *ifc)
{
    eloop_register_timeout(120, 0, wps_timeout, ifc, NULL);
}

static void wps_clear(struct iface *ifc)
{
    eloop_cancel_timeout(wps_timeout, ifc, NULL);
}

void wps_deinit(struct iface *ifc)
{
    wps_clear(ifc);
}

static void *scanner_main(void *arg)
{
    struct iface *ifc = arg;

    while (ifc->scanning)
        ifc->index++;
    return NULL;
}

int scanner_start(struct iface *ifc)
{
    ifc->scanning = 1;
    return pthread_create(&ifc->scanner, NULL, scanner_main, ifc);
}

/* Asks the scanner to stop; does not wait for it. */
void scanner_cancel(struct iface *ifc)
{
    ifc->scanning = 0;
    pthread_cancel(ifc->scanner);
}

void scanner_join(struct iface *ifc)
{
    pthread_join(ifc->scanner, NULL);
}

static void group_idle(void *eloop_ctx, void *timeout_ctx)
{
    struct group *g = eloop_ctx;

    (void)timeout_ctx;
    g->members = 0;
}

void group_start(struct group *g)
{
    eloop_register_timeout(60, 0, group_idle, g, NULL);
}

void group_touch(struct group *g)
{
    eloop_cancel_timeout(group_idle, g, NULL);
    eloop_register_timeout(60, 0, group_idle, g, NULL);
}

void group_log(const struct group *g)
{
    printf("group %s: %d members\n", g->name, g->members);
}

/* Cancels the idle timeout of every group. */
void group_deinit(struct group *g)
{
    group_log(g);
    eloop_cancel_timeout(group_idle, ELOOP_ALL_CTX, ELOOP_ALL_CTX);
}

void link_clear_timers(struct link *l)
{
    eloop_cancel_timeout(link_keepalive, l, NULL);
}

static void *pool_main(void *arg)
{
    struct pool *p = arg;

    while (!p->quit)
        ;
    return NULL;
}

int pool_start(struct pool *p)
{
    p->quit = 0;
    return pthread_create(&p->th, NULL, pool_main, p);
}

void pool_stop(struct pool *p)
{
    p->quit = 1;
    pthread_cancel(p->th);
    pthread_join(p->th, NULL);
}
