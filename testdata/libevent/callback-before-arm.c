/*
 * An event's callback runs only once the event is added: freeing what it
 * would use on an error path before event_add() races nothing (#15, seen in
 * an independently written rate limiter). Once added, freeing its data
 * while the event stays pending is stop-too-late.
 */
#include <event2/event.h>
#include <stdlib.h>

struct client {
    struct event *tick;
    int tokens;
};

static void on_tick(evutil_socket_t fd, short what, void *arg)
{
    struct client *c = arg;

    (void)fd;
    (void)what;
    c->tokens++;
}

/* good: the error path frees the client before the event was ever added */
int good_free_before_add(struct event_base *base, const struct timeval *tv,
                         int fail)
{
    struct client *c = calloc(1, sizeof(*c));
    struct event *ev;

    if (c == NULL)
        return -1;
    ev = evtimer_new(base, on_tick, c);
    if (ev == NULL) {
        free(c);
        return -1;
    }
    if (fail) {
        event_free(ev);
        free(c);
        return -1;
    }
    event_add(ev, tv);
    event_base_dispatch(base);
    event_free(ev);
    free(c);
    return 0;
}

/* bad: added, then the client it uses is freed and the function returns
 * with the event still pending */
int bad_free_while_pending(struct event_base *base, const struct timeval *tv)
{
    struct client *c = calloc(1, sizeof(*c));
    struct event *ev;

    if (c == NULL)
        return -1;
    ev = evtimer_new(base, on_tick, c); /* expect: missing-stop */
    if (ev == NULL) {
        free(c);
        return -1;
    }
    event_add(ev, tv);
    free(c); /* expect: stop-too-late */
    return 0;
}
