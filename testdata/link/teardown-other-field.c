// scan: --link
/* field-never-stopped, the teardown case, with unknown calls: a teardown
 * that frees the object without stopping its timer field (stopped in some
 * other function) leaves the timer to fire on freed memory. Handing
 * *another* field's value (dev->bus, dev->name) to a function whose body
 * is not here cannot stop dev->timer: that function never sees the object.
 * Handing the whole object (dev_shutdown(dev)), or the timer field itself,
 * to unknown code may stop it: no finding. Reported where the field is
 * first armed. */
#include <event2/event.h>
#include <signal.h>
#include <stdlib.h>
#include <time.h>

struct bus;

struct dev {
    struct bus *bus;
    char *name;
    timer_t timer;          /* stopped in dev_stop, not in dev_free: bad */
};

struct link {
    struct bus *bus;
    char *name;
    struct event *retry;    /* deleted in link_down, not in link_free: bad */
};

struct card {
    struct bus *bus;
    timer_t timer;          /* dev_free-like teardown hands the card to card_shutdown */
};

struct sensor {
    struct bus *bus;
    timer_t sample;         /* the teardown hands the timer itself to unknown code */
};

/* Bodies not in this file. */
extern void bus_unref(struct bus *bus);
extern void log_name(const char *name);
extern void card_shutdown(struct card *card);
extern void hand_over(timer_t t);

static void on_retry(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    (void)arg;
}

int dev_arm(struct dev *dev)
{
    struct itimerspec its = {{1, 0}, {1, 0}};

    if (timer_create(CLOCK_MONOTONIC, NULL, &dev->timer) != 0)
        return -1;
    return timer_settime(dev->timer, 0, &its, NULL); /* expect: field-never-stopped */
}

void dev_stop(struct dev *dev)
{
    timer_delete(dev->timer);
}

/* bad: bus_unref() gets dev->bus, not dev: it cannot reach dev->timer */
void dev_free(struct dev *dev)
{
    bus_unref(dev->bus);
    free(dev);
}

int link_up(struct link *l, struct event_base *base)
{
    struct timeval tv = {2, 0};

    l->retry = evtimer_new(base, on_retry, l);
    if (l->retry == NULL)
        return -1;
    return evtimer_add(l->retry, &tv); /* expect: field-never-stopped */
}

void link_down(struct link *l)
{
    evtimer_del(l->retry);
    event_free(l->retry);
    l->retry = NULL;
}

/* bad: two other fields go to unknown code, one to free(); l->retry stays added */
void link_free(struct link *l)
{
    log_name(l->name);
    bus_unref(l->bus);
    free(l->name);
    free(l);
}

int card_arm(struct card *card)
{
    struct itimerspec its = {{0, 0}, {5, 0}};

    if (timer_create(CLOCK_MONOTONIC, NULL, &card->timer) != 0)
        return -1;
    return timer_settime(card->timer, 0, &its, NULL);
}

void card_stop(struct card *card)
{
    timer_delete(card->timer);
}

/* good: card_shutdown() (no body here) gets the whole card: it may stop the timer */
void card_free(struct card *card)
{
    card_shutdown(card);
    bus_unref(card->bus);
    free(card);
}

int sensor_arm(struct sensor *s)
{
    struct itimerspec its = {{0, 100000000}, {0, 100000000}};

    if (timer_create(CLOCK_MONOTONIC, NULL, &s->sample) != 0)
        return -1;
    return timer_settime(s->sample, 0, &its, NULL);
}

void sensor_stop(struct sensor *s)
{
    timer_delete(s->sample);
}

/* good: the timer itself goes to unknown code, which may delete it */
void sensor_free(struct sensor *s)
{
    hand_over(s->sample);
    bus_unref(s->bus);
    free(s);
}

/* The object under another name, and parts of it by address. */
struct panel {
    struct bus *bus;
    timer_t blink;          /* the alias of the panel goes to unknown code */
};

struct slot_state {
    int busy;
};

struct gauge {
    char label[16];
    timer_t poll;           /* only the label (numbers) goes to unknown code: bad */
};

struct rack {
    struct slot_state slots[4];
    timer_t scan;           /* the slots, records inside the rack, go to unknown code */
};

extern void panel_shutdown(struct panel *p);
extern void slots_reset(struct slot_state *slots);

int panel_arm(struct panel *p)
{
    struct itimerspec its = {{0, 500000000}, {0, 500000000}};

    if (timer_create(CLOCK_MONOTONIC, NULL, &p->blink) != 0)
        return -1;
    return timer_settime(p->blink, 0, &its, NULL);
}

void panel_stop(struct panel *p)
{
    timer_delete(p->blink);
}

/* good: `owner` is the panel: panel_shutdown() may delete the timer */
void panel_free(struct panel *p)
{
    struct panel *owner = p;

    panel_shutdown(owner);
    free(p);
}

int gauge_arm(struct gauge *g)
{
    struct itimerspec its = {{2, 0}, {2, 0}};

    if (timer_create(CLOCK_MONOTONIC, NULL, &g->poll) != 0)
        return -1;
    return timer_settime(g->poll, 0, &its, NULL); /* expect: field-never-stopped */
}

void gauge_stop(struct gauge *g)
{
    timer_delete(g->poll);
}

/* bad: log_name() gets the characters of the label, nothing that holds g->poll */
void gauge_free(struct gauge *g)
{
    log_name(g->label);
    free(g);
}

int rack_arm(struct rack *r)
{
    struct itimerspec its = {{10, 0}, {10, 0}};

    if (timer_create(CLOCK_MONOTONIC, NULL, &r->scan) != 0)
        return -1;
    return timer_settime(r->scan, 0, &its, NULL);
}

void rack_stop(struct rack *r)
{
    timer_delete(r->scan);
}

/* good: slots_reset() gets records embedded in the rack; container_of()
 * from one of them reaches the rack and may delete r->scan */
void rack_free(struct rack *r)
{
    slots_reset(r->slots);
    free(r);
}

/* A field whose value leads back to the object: the hub was given the
 * port when it made the slot, so unknown code given the slot reaches the
 * port (bluez's a2dp_unregister_sep and avdtp_unregister_sep). */
struct hub_slot;
struct hub;

struct port {
    struct hub_slot *slot;
    timer_t poll;           /* hub_detach(p->slot) may stop it */
};

struct lamp {
    struct bus *bus;
    timer_t fade;           /* bus_add(l->bus, l) links the bus to the lamp */
};

extern struct hub_slot *hub_attach(struct hub *h, struct port *p);
extern void hub_detach(struct hub_slot *s);
extern void bus_add(struct bus *bus, struct lamp *l);

int port_open(struct port *p, struct hub *h)
{
    struct itimerspec its = {{1, 0}, {1, 0}};

    p->slot = hub_attach(h, p);
    if (timer_create(CLOCK_MONOTONIC, NULL, &p->poll) != 0)
        return -1;
    return timer_settime(p->poll, 0, &its, NULL);
}

void port_quiet(struct port *p)
{
    timer_delete(p->poll);
}

/* good: the slot leads back to the port */
void port_free(struct port *p)
{
    hub_detach(p->slot);
    free(p);
}

int lamp_on(struct lamp *l)
{
    struct itimerspec its = {{0, 20000000}, {0, 20000000}};

    bus_add(l->bus, l);
    if (timer_create(CLOCK_MONOTONIC, NULL, &l->fade) != 0)
        return -1;
    return timer_settime(l->fade, 0, &its, NULL);
}

void lamp_dim(struct lamp *l)
{
    timer_delete(l->fade);
}

/* good: the bus was given the lamp: bus_unref() may reach it */
void lamp_free(struct lamp *l)
{
    bus_unref(l->bus);
    free(l);
}
