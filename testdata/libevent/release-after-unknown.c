/*
 * A function that releases its parameter on every path releases it,
 * whatever code it handed the parameter to before (a log call, an accessor
 * the rules do not list): the summary is "releases", for callbacks that
 * free their own event and for helpers alike. Released on some paths only,
 * or only handed on, it stays unknown.
 */
#include <event2/event.h>
#include <stddef.h>

extern void trace_event(const char *what, struct event *ev);
extern int event_is_last(struct event *ev);

static void on_drain_done(evutil_socket_t fd, short what, void *arg)
{
    struct event *self = arg;

    (void)fd;
    (void)what;
    trace_event("drain", self);
    event_free(self);
}

static void on_probe(evutil_socket_t fd, short what, void *arg)
{
    struct event *self = arg;

    (void)fd;
    (void)what;
    trace_event("probe", self);
}

static void retire(struct event *ev)
{
    trace_event("retire", ev);
    event_free(ev);
}

static void maybe_retire(struct event *ev)
{
    trace_event("maybe", ev);
    if (event_is_last(ev))
        event_free(ev);
}

/* good: the callback frees its own event after logging it */
int start_drain(struct event_base *base, const struct timeval *tv)
{
    struct event *ev = evtimer_new(base, on_drain_done, event_self_cbarg());

    if (ev == NULL)
        return -1;
    if (evtimer_add(ev, tv) < 0) {
        event_free(ev);
        return -1;
    }
    return 0;
}

/* bad: the callback only hands its event on: nothing frees it */
int start_probe(struct event_base *base, const struct timeval *tv)
{
    struct event *ev = evtimer_new(base, on_probe, event_self_cbarg()); /* expect: missing-stop */

    if (ev == NULL)
        return -1;
    evtimer_add(ev, tv);
    return 0;
}

/* bad: retire() frees it, the re-add uses freed memory */
void restart(struct event_base *base, const struct timeval *tv)
{
    struct event *ev = evtimer_new(base, on_probe, NULL);

    if (ev == NULL)
        return;
    evtimer_add(ev, tv);
    retire(ev);
    evtimer_add(ev, tv); /* expect: use-after-release */
}

/* good: maybe_retire() frees it on one path only: not known */
void restart_maybe(struct event_base *base, const struct timeval *tv)
{
    struct event *ev = evtimer_new(base, on_probe, NULL);

    if (ev == NULL)
        return;
    evtimer_add(ev, tv);
    maybe_retire(ev);
}
