/*
 * Creates nested in expressions (#12 class 3), libevent: event_add() of
 * an event made in the same expression arms an event nobody holds; it can
 * never be deleted or freed (handle-discarded at the create). event_free()
 * of one is created and freed; handing one to code with no body here may
 * keep it.
 */
#include <event2/event.h>
#include <stddef.h>

extern void registry_add(struct event *ev);

static void on_timeout(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    (void)arg;
}

void add_unnamed(struct event_base *base)
{
    struct timeval tv = {5, 0};

    event_add(evtimer_new(base, on_timeout, NULL), &tv); /* expect: handle-discarded */
}

void free_unnamed(struct event_base *base)
{
    event_free(evtimer_new(base, on_timeout, NULL));
}

void register_unnamed(struct event_base *base)
{
    registry_add(evtimer_new(base, on_timeout, NULL));
}
