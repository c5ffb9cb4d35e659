// scan: --link
/* field-never-stopped with libevent, both ways of keeping an event: a
 * struct event embedded in the client (evtimer_set/evtimer_add on
 * &c->timer, as tmux does) and a pointer from evtimer_new(). */
#include <event2/event.h>
#include <event2/event_compat.h>
#include <event2/event_struct.h>
#include <stdlib.h>

struct client {
    struct event repeat_timer;  /* added, deleted when the client goes */
    struct event click_timer;   /* added, never deleted: bad */
    struct event *status_timer; /* evtimer_new, freed in client_free */
    struct event *idle_timer;   /* evtimer_new + add, never deleted: bad */
};

static void on_timer(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    (void)arg;
}

void client_keys(struct client *c, struct event_base *base)
{
    struct timeval tv = {0, 500000};

    evtimer_assign(&c->repeat_timer, base, on_timer, c);
    evtimer_add(&c->repeat_timer, &tv);
    evtimer_assign(&c->click_timer, base, on_timer, c);
    evtimer_add(&c->click_timer, &tv); /* expect: field-never-stopped */
}

int client_status(struct client *c, struct event_base *base)
{
    struct timeval tv = {1, 0};

    c->status_timer = evtimer_new(base, on_timer, c);
    if (!c->status_timer)
        return -1;
    c->idle_timer = evtimer_new(base, on_timer, c);
    if (!c->idle_timer)
        return -1;
    evtimer_add(c->status_timer, &tv);
    return evtimer_add(c->idle_timer, &tv); /* expect: field-never-stopped */
}

void client_free(struct client *c)
{
    evtimer_del(&c->repeat_timer);
    event_free(c->status_timer);
    free(c);
}
