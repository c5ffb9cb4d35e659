/*
 * libevent finalizers: event_free_finalize() frees the event once no
 * callback of it runs (closing: event_del until then is defined, an
 * unchecked event_add is refused unseen); event_finalize() stops it but does not free it: the finalizer
 * it is given gets the event, and freeing it there ends it.
 */
#include <event2/event.h>
#include <stdlib.h>

static void on_tick(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    (void)arg;
}

static void free_it(struct event *ev, void *arg)
{
    (void)arg;
    event_free(ev);
}

static void count_it(struct event *ev, void *arg)
{
    int *n = arg;

    (void)ev;
    (*n)++;
}

/* good: the finalizer frees the event it gets */
void good_finalizer_frees(struct event_base *base)
{
    struct event *ev = evtimer_new(base, on_tick, NULL);

    if (ev == NULL)
        return;
    event_add(ev, NULL);
    event_finalize(0, ev, free_it);
    event_base_dispatch(base);
}

/* bad: re-added after event_free_finalize(): event_add() refuses a
 * finalizing event (-1), and nobody looks (session 8: an unchecked re-arm
 * of a closing or finalizing handle is use-after-release) */
void bad_free_finalize_then_add(struct event_base *base)
{
    struct event *ev = evtimer_new(base, on_tick, NULL);

    if (ev == NULL)
        return;
    event_add(ev, NULL);
    event_free_finalize(0, ev, NULL);
    event_add(ev, NULL); /* expect: use-after-release */
    event_base_dispatch(base);
}

/* bad: finalized with a finalizer that only counts: never freed */
void bad_finalizer_keeps(struct event_base *base, int *n)
{
    struct event *ev = evtimer_new(base, on_tick, NULL); /* expect: disarmed-not-released */

    if (ev == NULL)
        return;
    event_add(ev, NULL);
    event_finalize(0, ev, count_it);
    event_base_dispatch(base);
}

/* bad: freed twice, the second time after the finalizing free */
void bad_free_after_free_finalize(struct event_base *base)
{
    struct event *ev = evtimer_new(base, on_tick, NULL);

    if (ev == NULL)
        return;
    event_free_finalize(0, ev, NULL);
    event_free(ev); /* expect: use-after-release */
}

/* good: re-added after event_free_finalize(), the refusal looked at */
int good_free_finalize_add_checked(struct event_base *base)
{
    struct event *ev = evtimer_new(base, on_tick, NULL);

    if (ev == NULL)
        return -1;
    event_add(ev, NULL);
    event_free_finalize(0, ev, NULL);
    if (event_add(ev, NULL) < 0)
        return -1;
    return 0;
}
