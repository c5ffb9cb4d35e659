/*
 * callback-data (libevent): the callback gets the data it was made with;
 * with event_self_cbarg() that is the event itself. A callback that frees
 * what it reaches through its data ends the event; one that only hands its
 * data to other code does not.
 */
#include <event2/event.h>
#include <stdlib.h>
#include <unistd.h>

struct conn {
    struct event *ev;
    int fd;
};

static void on_linger_done(evutil_socket_t fd, short what, void *arg)
{
    struct event *self = arg;

    (void)what;
    close(fd);
    event_free(self);
}

static void log_conn(const struct conn *c);

static void on_ping(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    log_conn(arg);
}

static void on_idle(evutil_socket_t fd, short what, void *arg)
{
    struct conn *c = arg;

    (void)fd;
    (void)what;
    event_free(c->ev);
    free(c);
}

/* good: the event frees itself in its callback (event_self_cbarg) */
void good_linger(struct event_base *base, int fd, const struct timeval *tv)
{
    struct event *ev = event_new(base, fd, 0, on_linger_done, event_self_cbarg());

    if (ev == NULL)
        return;
    event_add(ev, tv);
}

/* good: the callback reaches the event through its struct and frees both */
void good_idle_frees_through_data(struct event_base *base, struct conn *c,
                                  const struct timeval *tv)
{
    c->ev = evtimer_new(base, on_idle, c);
    if (c->ev != NULL)
        evtimer_add(c->ev, tv);
}

/* bad: the callback only passes its data on: nothing frees the event */
void bad_ping_never_freed(struct event_base *base, struct conn *c,
                          const struct timeval *tv)
{
    struct event *ev = event_new(base, -1, EV_PERSIST, on_ping, c); /* expect: missing-stop */

    if (ev == NULL)
        return;
    event_add(ev, tv);
}
