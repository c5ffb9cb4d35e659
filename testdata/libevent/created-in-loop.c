/*
 * created-in-loop (libevent): evtimer_new()/event_new() in a loop body whose
 * event is still allocated when the iteration ends. Reported on the creating
 * line.
 */
#include <stdbool.h>
#include <stdio.h>
#include <event2/event.h>

struct poller {
    struct event_base *base;
    int rounds;
    int hits;
};

static void on_tick(evutil_socket_t fd, short what, void *arg)
{
    struct poller *p = arg;

    (void)fd;
    (void)what;
    p->hits++;
}

/* Frees its parameter on every path. */
static void drop_event(struct event *ev)
{
    event_del(ev);
    event_free(ev);
}

/* bad: one new timer per round, the previous one never freed */
void bad_new_each_round(struct poller *p)
{
    struct timeval tv = { 0, 100000 };
    struct event *ev;

    for (int i = 0; i < p->rounds; i++) {
        ev = evtimer_new(p->base, on_tick, p); /* expect: created-in-loop */
        if (ev == NULL)
            return;
        evtimer_add(ev, &tv);
        event_base_loop(p->base, EVLOOP_ONCE);
    }
}

/* bad: deleted but not freed at the end of each round */
void bad_del_is_not_free(struct poller *p)
{
    struct timeval tv = { 1, 0 };

    while (p->hits < p->rounds) {
        struct event *ev = event_new(p->base, -1, 0, on_tick, p); /* expect: created-in-loop */

        if (!ev)
            break;
        event_add(ev, &tv);
        event_base_loop(p->base, EVLOOP_ONCE);
        event_del(ev);
    }
}

/* bad: a failed add continues to the next round without freeing */
int bad_continue_skips_free(struct poller *p)
{
    struct timeval tv = { 0, 50000 };

    for (int i = 0; i < p->rounds; i++) {
        struct event *ev = evtimer_new(p->base, on_tick, p); /* expect: created-in-loop */

        if (ev == NULL)
            return -1;
        if (evtimer_add(ev, &tv) != 0) {
            fprintf(stderr, "round %d: evtimer_add failed\n", i);
            continue;
        }
        event_base_loop(p->base, EVLOOP_ONCE);
        event_free(ev);
    }
    return p->hits;
}

/* good: every round frees its event (through a same-file helper) */
void good_free_each_round(struct poller *p)
{
    struct timeval tv = { 0, 100000 };

    for (int i = 0; i < p->rounds; i++) {
        struct event *ev = evtimer_new(p->base, on_tick, p);

        if (ev == NULL)
            return;
        evtimer_add(ev, &tv);
        event_base_loop(p->base, EVLOOP_ONCE);
        drop_event(ev);
    }
}

/* good: one persistent event, re-added each round */
int good_one_event_readded(struct poller *p)
{
    struct timeval tv = { 0, 100000 };
    struct event *ev = event_new(p->base, -1, EV_PERSIST, on_tick, p);

    if (ev == NULL)
        return -1;
    for (int i = 0; i < p->rounds; i++) {
        tv.tv_usec = 100000 * (i + 1);
        event_add(ev, &tv);
        event_base_loop(p->base, EVLOOP_ONCE);
    }
    event_free(ev);
    return p->hits;
}

/* good: the events go into caller-owned array slots */
int good_events_into_array(struct poller *p, struct event **evs, int n)
{
    struct timeval tv = { 1, 0 };

    for (int i = 0; i < n; i++) {
        evs[i] = evtimer_new(p->base, on_tick, p);
        if (evs[i] == NULL)
            return -1;
        evtimer_add(evs[i], &tv);
    }
    return 0;
}
