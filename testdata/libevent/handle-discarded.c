/*
 * handle-discarded (libevent): the struct event * returned by event_new()/
 * evtimer_new() is thrown away or only compared, so the event can never be
 * deleted or freed. Reported on the creating line.
 */
#include <stdbool.h>
#include <stdio.h>
#include <event2/event.h>

struct daemon {
    struct event_base *base;
    bool timers_ok;
    int ticks;
};

static void on_tick(evutil_socket_t fd, short what, void *arg)
{
    struct daemon *d = arg;

    (void)fd;
    (void)what;
    d->ticks++;
}

/* Body not in this file and not in the rules: keeps the event it is given. */
extern void daemon_track_event(struct daemon *d, struct event *ev);

/* bad: a probe that only checks that a timer can be created */
bool bad_probe_statement(struct daemon *d)
{
    if (d->base == NULL)
        return false;
    evtimer_new(d->base, on_tick, d); /* expect: handle-discarded */
    return true;
}

/* bad: the result is explicitly discarded */
void bad_void_cast(struct daemon *d)
{
    (void)event_new(d->base, -1, EV_PERSIST, on_tick, d); /* expect: handle-discarded */
}

/* bad: the event is only compared against NULL */
int bad_only_compared(struct daemon *d)
{
    if (evtimer_new(d->base, on_tick, d) == NULL) { /* expect: handle-discarded */
        fprintf(stderr, "cannot create timers\n");
        return -1;
    }
    d->timers_ok = true;
    return 0;
}

/* good: kept in a variable, added, freed */
void good_kept_and_freed(struct daemon *d)
{
    struct timeval tv = { 1, 0 };
    struct event *ev = evtimer_new(d->base, on_tick, d);

    if (ev == NULL)
        return;
    evtimer_add(ev, &tv);
    event_base_dispatch(d->base);
    event_free(ev);
}

/* good: the new event goes straight to code outside this file */
void good_passed_straight_on(struct daemon *d)
{
    daemon_track_event(d, evtimer_new(d->base, on_tick, d));
}

/* good: the new event is returned */
struct event *good_returned(struct daemon *d)
{
    return event_new(d->base, -1, EV_PERSIST, on_tick, d);
}
