// scan: --link
/* leased: hands out short-lived address leases to clients on the control
 * bus, expires idle client sessions and probes the upstream resolvers.
 * All deadlines are POSIX per-process timers delivered on a notification
 * thread (SIGEV_THREAD), one timer per object. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define SESSION_IDLE_SECS   90
#define LEASE_SECS          600
#define PROBE_INTERVAL_MS   2000

struct ctl_bus;
struct msg_queue;
struct lease_registry;

/* libctl: bus.c, msgq.c, registry.c, log.c */
extern struct ctl_bus *bus_ref(struct ctl_bus *bus);
extern void bus_unref(struct ctl_bus *bus);
extern void bus_send(struct ctl_bus *bus, const char *dst, const char *msg);
extern void log_str(const char *s);
extern struct msg_queue *queue_new(void);
extern void queue_destroy(struct msg_queue *q, void (*free_fn)(void *));
extern int registry_add(struct lease_registry *reg, void *lease);
extern void registry_forget(void *lease);
extern int resolver_ping(const char *target, unsigned seq);

struct session {
    char *name;
    struct ctl_bus *bus;
    struct msg_queue *pending;
    timer_t expiry;
    int has_expiry;
    unsigned touches;
};

struct lease {
    uint32_t addr;
    char client[32];
    timer_t renew;
    int pinned;
    struct lease_registry *reg;
};

struct probe {
    char *target;
    timer_t tick;
    unsigned sent;
    unsigned lost;
};

static void item_free(void *item)
{
    free(item);
}

/* ---- client sessions ------------------------------------------------ */

static void session_expired(union sigval sv)
{
    struct session *s = sv.sival_ptr;

    bus_send(s->bus, s->name, "session-expired");
}

struct session *session_new(struct ctl_bus *bus, const char *name)
{
    struct sigevent sev;
    struct session *s = calloc(1, sizeof(*s));

    if (!s)
        return NULL;
    s->name = strdup(name);
    if (!s->name) {
        free(s);
        return NULL;
    }
    s->bus = bus_ref(bus);
    s->pending = queue_new();

    memset(&sev, 0, sizeof(sev));
    sev.sigev_notify = SIGEV_THREAD;
    sev.sigev_notify_function = session_expired;
    sev.sigev_value.sival_ptr = s;
    if (timer_create(CLOCK_MONOTONIC, &sev, &s->expiry) == 0)
        s->has_expiry = 1;
    return s;
}

/* Every request from the client pushes the idle deadline out. */
void session_touch(struct session *s)
{
    struct itimerspec its = { .it_value = { .tv_sec = SESSION_IDLE_SECS } };

    s->touches++;
    if (s->has_expiry)
        timer_settime(s->expiry, 0, &its, NULL); /* expect: field-never-stopped */
}

/* The client asked for a persistent session: it never expires. */
void session_make_persistent(struct session *s)
{
    if (!s->has_expiry)
        return;
    timer_delete(s->expiry);
    s->has_expiry = 0;
}

void session_destroy(struct session *s)
{
    bus_unref(s->bus);
    log_str(s->name);
    queue_destroy(s->pending, item_free);
    free(s->name);
    free(s);
}

/* ---- address leases ------------------------------------------------- */

static void lease_renew_due(union sigval sv)
{
    struct lease *l = sv.sival_ptr;

    fprintf(stderr, "leased: lease %08x of %s due for renewal\n",
            (unsigned)l->addr, l->client);
}

struct lease *lease_grant(struct lease_registry *reg, uint32_t addr,
                          const char *client)
{
    struct sigevent sev = { 0 };
    struct itimerspec its = { .it_value = { .tv_sec = LEASE_SECS } };
    struct lease *l = calloc(1, sizeof(*l));

    if (!l)
        return NULL;
    l->addr = addr;
    l->reg = reg;
    snprintf(l->client, sizeof(l->client), "%s", client);

    sev.sigev_notify = SIGEV_THREAD;
    sev.sigev_notify_function = lease_renew_due;
    sev.sigev_value.sival_ptr = l;
    if (timer_create(CLOCK_REALTIME, &sev, &l->renew) != 0) {
        free(l);
        return NULL;
    }
    timer_settime(l->renew, 0, &its, NULL);
    registry_add(reg, l);
    return l;
}

/* Static reservation: the address stays with the client. */
void lease_pin(struct lease *l)
{
    if (l->pinned)
        return;
    timer_delete(l->renew);
    l->pinned = 1;
}

void lease_release(struct lease *l)
{
    log_str(l->client);
    registry_forget(l);
    free(l);
}

/* ---- resolver probes ------------------------------------------------ */

static void probe_free(struct probe *p)
{
    free(p->target);
    free(p);
}

static void probe_fire(union sigval sv)
{
    struct probe *p = sv.sival_ptr;

    if (resolver_ping(p->target, p->sent++) < 0)
        p->lost++;
}

struct probe *probe_start(const char *target)
{
    struct sigevent sev = { 0 };
    struct itimerspec its;
    struct probe *p = calloc(1, sizeof(*p));

    if (!p)
        return NULL;
    p->target = strdup(target);
    if (!p->target) {
        probe_free(p);
        return NULL;
    }
    sev.sigev_notify = SIGEV_THREAD;
    sev.sigev_notify_function = probe_fire;
    sev.sigev_value.sival_ptr = p;
    if (timer_create(CLOCK_MONOTONIC, &sev, &p->tick) != 0) {
        probe_free(p);
        return NULL;
    }
    its.it_value.tv_sec = PROBE_INTERVAL_MS / 1000;
    its.it_value.tv_nsec = (PROBE_INTERVAL_MS % 1000) * 1000000L;
    its.it_interval = its.it_value;
    timer_settime(p->tick, 0, &its, NULL);
    return p;
}

void probe_close(struct probe *p)
{
    timer_delete(p->tick);
    fprintf(stderr, "leased: probe %s sent=%u lost=%u\n",
            p->target, p->sent, p->lost);
    free(p->target);
    free(p);
}
