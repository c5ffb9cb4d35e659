/*
 * missing-stop (libevent), negatives: events freed on every path, events
 * that escape (a struct field through a pointer, a global, returned, code
 * not in this file), status checks of the creating call, and assigned
 * events in caller storage. No finding, except where marked.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <event2/event.h>
#include <event2/event_struct.h>

struct peer {
    struct event_base *base;
    struct event *ping;
    struct event *reconnect;
    int misses;
    int interval_s;
};

static struct event *sweep_event;

/* Body not in this file and not in the rules: passing the event to it is an escape. */
extern int scheduler_adopt(struct event *ev);

static void on_ping(evutil_socket_t fd, short what, void *arg)
{
    struct peer *p = arg;

    (void)fd;
    (void)what;
    p->misses++;
}

static void on_sweep(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    (void)arg;
}

static void on_finalized(struct event *ev, void *arg)
{
    (void)ev;
    free(arg);
}

/* Deletes and frees its parameter on every path. */
static void peer_event_free(struct event *ev)
{
    evtimer_del(ev);
    event_free(ev);
}

/* good: `if (!ev) return` - no event on that return, freed on the others */
int good_null_check_and_free(struct peer *p)
{
    struct timeval tv = { p->interval_s, 0 };
    struct event *ev = evtimer_new(p->base, on_ping, p);

    if (!ev)
        return -1;
    if (evtimer_add(ev, &tv) != 0) {
        event_free(ev);
        return -1;
    }
    event_base_dispatch(p->base);
    peer_event_free(ev);
    return 0;
}

/* good: the create inside the condition, freed through a goto label */
int good_goto_free_label(struct peer *p)
{
    struct timeval tv = { 1, 0 };
    struct event *ev;
    int ret = -1;

    if ((ev = event_new(p->base, -1, EV_PERSIST, on_ping, p)) == NULL)
        goto out;
    if (event_add(ev, &tv) < 0)
        goto out_free;
    event_base_loop(p->base, EVLOOP_ONCE);
    ret = p->misses;
out_free:
    event_free(ev);
out:
    return ret;
}

/* good: stored into a struct reached through a pointer: the peer owns it */
int good_field_through_pointer(struct peer *p)
{
    struct timeval tv = { p->interval_s, 0 };

    p->ping = event_new(p->base, -1, EV_PERSIST, on_ping, p);
    if (p->ping == NULL)
        return -1;
    return event_add(p->ping, &tv);
}

/* good: created into a local, then handed to the peer */
int good_local_then_field(struct peer *p)
{
    struct event *ev = evtimer_new(p->base, on_ping, p);

    if (ev == NULL)
        return -1;
    p->reconnect = ev;
    return 0;
}

/* good: a global event, freed at shutdown by another function */
int good_global_event(struct event_base *base)
{
    struct timeval tv = { 60, 0 };

    sweep_event = event_new(base, -1, EV_PERSIST, on_sweep, NULL);
    if (sweep_event == NULL)
        return -1;
    return event_add(sweep_event, &tv);
}

/* good: the armed event is returned to the caller */
struct event *good_returned(struct peer *p)
{
    struct timeval tv = { 1, 0 };
    struct event *ev = evtimer_new(p->base, on_ping, p);

    if (ev != NULL)
        evtimer_add(ev, &tv);
    return ev;
}

/* good: the event is handed to code outside this file */
int good_passed_to_unknown(struct peer *p)
{
    struct event *ev = evtimer_new(p->base, on_ping, p);

    if (ev == NULL)
        return -1;
    return scheduler_adopt(ev);
}

/* good: freed with event_free_finalize; the callback frees the argument later */
void good_free_finalize(struct peer *p, void *ctx)
{
    struct timeval tv = { 1, 0 };
    struct event *ev = evtimer_new(p->base, on_ping, p);

    if (ev == NULL)
        return;
    evtimer_add(ev, &tv);
    event_base_loop(p->base, EVLOOP_ONCE);
    event_free_finalize(0, ev, on_finalized);
    (void)ctx;
}

/* good: an assigned event in caller storage ends with event_del, no event_free */
void good_assigned_local_event(struct peer *p)
{
    struct timeval tv = { 0, 200000 };
    struct event ev;

    if (evtimer_assign(&ev, p->base, on_ping, p) != 0)
        return;
    evtimer_add(&ev, &tv);
    event_base_dispatch(p->base);
    evtimer_del(&ev);
}

/* good: an assigned event that is never added needs no teardown at all */
int good_assigned_never_added(struct peer *p, bool dry_run)
{
    struct event ev;

    event_assign(&ev, p->base, -1, 0, on_ping, p);
    if (dry_run)
        return 0;
    event_active(&ev, EV_TIMEOUT, 1);
    event_base_loop(p->base, EVLOOP_NONBLOCK);
    return p->misses;
}

/* The teardown frees the peer without freeing p->ping, created and added in
 * good_field_through_pointer(): a cross-function bug for the link phase. */
void peer_free(struct peer *p)
{
    if (p->reconnect)
        event_free(p->reconnect);
    free(p);
}

int peer_start(struct peer *p)
{
    struct timeval tv = { p->interval_s, 0 };

    p->ping = evtimer_new(p->base, on_ping, p);
    if (p->ping == NULL)
        return -1;
    return evtimer_add(p->ping, &tv); /* known-gap: field-never-stopped */
}
