// scan: --link
/* relayd: a small TCP relay on one libevent base.  Clients are closed when
 * idle, upstreams are health-checked and retried with back-off, and the
 * listener publishes accept counters every few seconds. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#include <event2/event.h>

#define IDLE_SECS        30
#define HEALTH_SECS      5
#define RETRY_BASE_MS    250
#define STATS_SECS       10

struct pool_stats;
struct listen_stats { unsigned long accepted, refused; };

/* stats.c, health.c */
extern void stats_release(struct pool_stats *st);
extern void stats_flush(struct listen_stats *st);
extern int health_send_probe(const char *host);

struct relay_upstream {
    char *host;
    struct event_base *base;
    struct event *retry_ev;
    struct event *health_ev;
    unsigned failures;
    struct pool_stats *stats;
};

struct relay_client {
    int fd;
    struct event *read_ev;
    struct event *idle_ev;
    struct relay_upstream *up;
    size_t bytes;
};

struct relay_listener {
    int fd;
    struct event_base *base;
    struct event *accept_ev;
    struct event *stats_ev;
    struct listen_stats st;
    struct relay_upstream *up;
};

static void upstream_retry_cb(evutil_socket_t fd, short what, void *arg)
{
    struct relay_upstream *u = arg;

    (void)fd; (void)what;
    if (health_send_probe(u->host) == 0)
        u->failures = 0;
}

static void upstream_health_cb(evutil_socket_t fd, short what, void *arg)
{
    struct relay_upstream *u = arg;

    (void)fd; (void)what;
    if (health_send_probe(u->host) < 0)
        u->failures++;
}

struct relay_upstream *upstream_new(struct event_base *base, const char *host,
                                    struct pool_stats *stats)
{
    struct timeval tv = { HEALTH_SECS, 0 };
    struct relay_upstream *u = calloc(1, sizeof(*u));

    if (!u)
        return NULL;
    u->host = strdup(host);
    u->base = base;
    u->stats = stats;
    u->retry_ev = evtimer_new(base, upstream_retry_cb, u);
    u->health_ev = event_new(base, -1, EV_PERSIST, upstream_health_cb, u);
    event_add(u->health_ev, &tv); /* expect: field-never-stopped */
    return u;
}

void upstream_schedule_retry(struct relay_upstream *u)
{
    unsigned ms = RETRY_BASE_MS << (u->failures < 6 ? u->failures : 6);
    struct timeval tv = { ms / 1000, (ms % 1000) * 1000 };

    evtimer_add(u->retry_ev, &tv);
}

/* Operator put the upstream in drain mode: no more health checks. */
void upstream_drain(struct relay_upstream *u)
{
    if (u->health_ev) {
        event_free(u->health_ev);
        u->health_ev = NULL;
    }
}

static void upstream_cancel_timers(struct relay_upstream *u)
{
    if (u->retry_ev) {
        event_free(u->retry_ev);
        u->retry_ev = NULL;
    }
}

void upstream_destroy(struct relay_upstream *u)
{
    upstream_cancel_timers(u);
    stats_release(u->stats);
    free(u->host);
    free(u);
}

static void client_free(struct relay_client *c)
{
    if (c->read_ev)
        event_free(c->read_ev);
    if (c->fd >= 0)
        close(c->fd);
    free(c);
}

static void client_close(struct relay_client *c)
{
    fprintf(stderr, "relayd: client fd %d closed after %zu bytes\n",
            c->fd, c->bytes);
    client_free(c);
}

/* The client sent KEEPALIVE: it is allowed to stay idle from now on. */
static void client_disable_idle(struct relay_client *c)
{
    if (c->idle_ev) {
        event_free(c->idle_ev);
        c->idle_ev = NULL;
    }
}

static void client_idle_cb(evutil_socket_t fd, short what, void *arg)
{
    (void)fd; (void)what;
    client_close(arg);
}

static void client_read_cb(evutil_socket_t fd, short what, void *arg)
{
    struct relay_client *c = arg;
    char buf[4096];
    ssize_t n = recv(fd, buf, sizeof(buf), 0);

    (void)what;
    if (n <= 0) {
        client_close(c);
        return;
    }
    c->bytes += (size_t)n;
    if (n >= 9 && memcmp(buf, "KEEPALIVE", 9) == 0)
        client_disable_idle(c);
}

static struct relay_client *client_new(struct event_base *base, int fd,
                                       struct relay_upstream *up)
{
    struct timeval idle = { IDLE_SECS, 0 };
    struct relay_client *c = calloc(1, sizeof(*c));

    if (!c) {
        close(fd);
        return NULL;
    }
    c->fd = fd;
    c->up = up;
    c->read_ev = event_new(base, fd, EV_READ | EV_PERSIST, client_read_cb, c);
    if (!c->read_ev) {
        client_free(c);
        return NULL;
    }
    c->idle_ev = evtimer_new(base, client_idle_cb, c);
    if (!c->idle_ev) {
        client_free(c);
        return NULL;
    }
    event_add(c->read_ev, NULL);
    evtimer_add(c->idle_ev, &idle); /* expect: field-never-stopped */
    return c;
}

static void listener_accept_cb(evutil_socket_t fd, short what, void *arg)
{
    struct relay_listener *l = arg;
    int cfd = accept(fd, NULL, NULL);

    (void)what;
    if (cfd < 0)
        return;
    if (client_new(l->base, cfd, l->up))
        l->st.accepted++;
    else
        l->st.refused++;
}

static void listener_stats_cb(evutil_socket_t fd, short what, void *arg)
{
    struct relay_listener *l = arg;

    (void)fd; (void)what;
    fprintf(stderr, "relayd: accepted=%lu refused=%lu\n",
            l->st.accepted, l->st.refused);
}

struct relay_listener *listener_new(struct event_base *base, int fd,
                                    struct relay_upstream *up)
{
    struct timeval tv = { STATS_SECS, 0 };
    struct relay_listener *l = calloc(1, sizeof(*l));

    if (!l)
        return NULL;
    l->fd = fd;
    l->base = base;
    l->up = up;
    l->accept_ev = event_new(base, fd, EV_READ | EV_PERSIST,
                             listener_accept_cb, l);
    l->stats_ev = event_new(base, -1, EV_PERSIST, listener_stats_cb, l);
    event_add(l->accept_ev, NULL);
    event_add(l->stats_ev, &tv);
    return l;
}

void listener_quiet(struct relay_listener *l)
{
    event_free(l->stats_ev);
    l->stats_ev = NULL;
}

void listener_destroy(struct relay_listener *l)
{
    event_free(l->accept_ev);
    close(l->fd);
    stats_flush(&l->st);
    free(l);
}
