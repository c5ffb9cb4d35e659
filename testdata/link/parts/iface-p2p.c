/* Part of teardown-across-files.c: the P2P side of an interface, and the
 * stations, peers and links. */
#include <signal.h>
#include <stddef.h>
#include "../../eloop/eloop.h"
#include "iface.h"

static void p2p_listen_timeout(void *eloop_ctx, void *timeout_ctx)
{
    struct iface *ifc = eloop_ctx;

    (void)timeout_ctx;
    ifc->index++;
}

static void p2p_formation_timeout(void *eloop_ctx, void *timeout_ctx)
{
    struct iface *ifc = eloop_ctx;

    (void)timeout_ctx;
    ifc->index--;
}

void p2p_start_listen(struct iface *ifc)
{
    eloop_register_timeout(5, 0, p2p_listen_timeout, ifc, NULL); /* expect: field-never-stopped */
}

void p2p_stop_listen(struct iface *ifc)
{
    eloop_cancel_timeout(p2p_listen_timeout, ifc, NULL);
}

void p2p_form_group(struct iface *ifc)
{
    eloop_cancel_timeout(p2p_formation_timeout, ifc, NULL);
    eloop_register_timeout(15, 0, p2p_formation_timeout, ifc, NULL);
}

/* Cancels the formation timeout; the listen timeout only
 * p2p_stop_listen() cancels. */
void p2p_deinit(struct iface *ifc)
{
    eloop_cancel_timeout(p2p_formation_timeout, ifc, NULL);
    ifc->index = -1;
}

static void rekey_fire(union sigval v)
{
    struct iface *ifc = v.sival_ptr;

    ifc->index++;
}

void rekey_start(struct iface *ifc)
{
    struct sigevent sev = {0};
    struct itimerspec its = {{600, 0}, {600, 0}};

    sev.sigev_notify = SIGEV_THREAD;
    sev.sigev_notify_function = rekey_fire;
    sev.sigev_value.sival_ptr = ifc;
    if (timer_create(CLOCK_MONOTONIC, &sev, &ifc->rekey) != 0)
        return;
    timer_settime(ifc->rekey, 0, &its, NULL); /* expect: field-never-stopped */
}

void rekey_stop(struct iface *ifc)
{
    timer_delete(ifc->rekey);
}

static void station_age(void *eloop_ctx, void *timeout_ctx)
{
    struct station *sta = eloop_ctx;

    (void)timeout_ctx;
    sta->aid = 0;
}

void station_start_ageing(struct station *sta)
{
    eloop_register_timeout(300, 0, station_age, sta, NULL);
}

void station_touch(struct station *sta)
{
    eloop_cancel_timeout(station_age, sta, NULL);
    eloop_register_timeout(300, 0, station_age, sta, NULL);
}

static void peer_probe(void *eloop_ctx, void *timeout_ctx)
{
    struct peer *p = eloop_ctx;

    (void)timeout_ctx;
    p->addr = 0;
}

void peer_probe_start(struct peer *p)
{
    eloop_register_timeout(2, 0, peer_probe, p, NULL);
}

void peer_lost(struct peer *p)
{
    eloop_cancel_timeout(peer_probe, p, NULL);
}

/* Hands the peer to a list library without a body here: it may do
 * anything with it. */
void peer_unlink(struct peer *p)
{
    peer_list_remove(p);
}

void link_keepalive(void *eloop_ctx, void *timeout_ctx)
{
    struct link *l = eloop_ctx;

    (void)timeout_ctx;
    l->state = 1;
}

void link_retry(void *eloop_ctx, void *timeout_ctx)
{
    struct link *l = eloop_ctx;

    (void)timeout_ctx;
    l->retries++;
}

void link_up(struct link *l)
{
    eloop_register_timeout(30, 0, link_keepalive, l, NULL);
    eloop_register_timeout(1, 0, link_retry, l, NULL); /* expect: field-never-stopped */
}

void link_ack(struct link *l)
{
    eloop_cancel_timeout(link_retry, l, NULL);
    eloop_cancel_timeout(link_keepalive, l, NULL);
}

/* Leaves the timers to link_clear_timers() in iface-wps.c, which cancels
 * the keepalive and not the retry. */
void link_shutdown(struct link *l)
{
    l->state = 0;
    link_clear_timers(l);
}
