// scan: --link
/* Control daemon: clients, peer heartbeats, log tailing, pidfile watches and
 * delayed replies on one libevent base.
 * Expectation notes: an owner freed from its EV_PERSIST event's callback, the
 * event field never event_del()'d/event_free()'d anywhere, is expected as
 * field-never-stopped at the field's first event_add() (field-level rule, --link);
 * a persistent event held only in a local, never freed, whose callback frees its
 * argument, is expected as missing-stop at its event_new(). */
#include <event2/event.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

struct client { evutil_socket_t fd; struct event *read_ev; char buf[512]; size_t len; };
struct heartbeat { struct event *tick; unsigned missed, max_missed; char peer[64]; };
struct tail_reader { int fd; struct event *ev; size_t lines; };
struct delayed_reply { struct event *ev; evutil_socket_t fd; char *msg; };
struct lease { char owner[32]; unsigned id; };
struct lease_table { struct event *sweep; unsigned live; };
struct pid_watch { char *path; unsigned polls; };
struct stats_sink { evutil_socket_t sock; unsigned long datagrams; };

static int shutdown_countdown = 5;

/* ---- clients ---- */
static void client_destroy(struct client *c)
{
    event_free(c->read_ev);
    evutil_closesocket(c->fd);
    free(c);
}

static void on_client_read(evutil_socket_t fd, short what, void *arg)
{
    struct client *c = arg;
    ssize_t n;
    (void)what;
    n = recv(fd, c->buf + c->len, sizeof c->buf - c->len, 0);
    if (n <= 0) {
        if (n < 0 && errno == EAGAIN)
            return;
        client_destroy(c);
        return;
    }
    c->len += (size_t)n;
    if (c->len == sizeof c->buf)
        c->len = 0;
}

struct client *client_accept(struct event_base *base, evutil_socket_t fd)
{
    struct client *c = calloc(1, sizeof *c);
    if (c == NULL)
        return NULL;
    c->fd = fd;
    c->read_ev = event_new(base, fd, EV_READ | EV_PERSIST, on_client_read, c);
    if (c->read_ev == NULL || event_add(c->read_ev, NULL) < 0) {
        if (c->read_ev)
            event_free(c->read_ev);
        free(c);
        return NULL;
    }
    return c;
}

/* ---- peer heartbeats ---- */
static void on_heartbeat(evutil_socket_t fd, short what, void *arg)
{
    struct heartbeat *hb = arg;
    (void)fd; (void)what;
    if (++hb->missed <= hb->max_missed)
        return;
    fprintf(stderr, "peer %s unresponsive\n", hb->peer);
    free(hb);
}

struct heartbeat *heartbeat_start(struct event_base *base, const char *peer, unsigned max_missed)
{
    struct timeval interval = { 2, 0 };
    struct heartbeat *hb = calloc(1, sizeof *hb);
    if (hb == NULL)
        return NULL;
    snprintf(hb->peer, sizeof hb->peer, "%s", peer);
    hb->max_missed = max_missed;
    hb->tick = event_new(base, -1, EV_PERSIST, on_heartbeat, hb);
    if (hb->tick == NULL) {
        free(hb);
        return NULL;
    }
    event_add(hb->tick, &interval); /* expect: field-never-stopped */
    return hb;
}

/* ---- log tailing ---- */
static void on_tail_readable(evutil_socket_t fd, short what, void *arg)
{
    struct tail_reader *r = arg;
    char chunk[256];
    ssize_t n = read(fd, chunk, sizeof chunk);
    (void)what;
    if (n <= 0) {
        close(r->fd);
        free(r);
        return;
    }
    for (ssize_t i = 0; i < n; i++)
        if (chunk[i] == '\n')
            r->lines++;
}

struct tail_reader *tail_reader_open(struct event_base *base, int fd)
{
    struct tail_reader *r = calloc(1, sizeof *r);
    if (r == NULL)
        return NULL;
    r->fd = fd;
    r->ev = event_new(base, fd, EV_READ | EV_PERSIST, on_tail_readable, r);
    if (r->ev == NULL) {
        free(r);
        return NULL;
    }
    event_add(r->ev, NULL); /* expect: field-never-stopped */
    return r;
}

/* ---- pidfile and stats watches ---- */
static void on_pid_poll(evutil_socket_t fd, short what, void *arg)
{
    struct pid_watch *w = arg;
    (void)fd; (void)what;
    w->polls++;
    if (access(w->path, F_OK) == 0)
        return;
    fprintf(stderr, "%s vanished after %u polls\n", w->path, w->polls);
    free(w->path);
    free(w);
}

int watch_pidfile(struct event_base *base, const char *path)
{
    struct timeval period = { 1, 0 };
    struct event *ev;
    struct pid_watch *w = calloc(1, sizeof *w);
    if (w == NULL || (w->path = strdup(path)) == NULL) {
        free(w);
        return -1;
    }
    ev = event_new(base, -1, EV_PERSIST, on_pid_poll, w); /* expect: missing-stop */
    if (ev == NULL) {
        free(w->path);
        free(w);
        return -1;
    }
    return event_add(ev, &period);
}

static void on_stats_datagram(evutil_socket_t fd, short what, void *arg)
{
    struct stats_sink *sink = arg;
    char pkt[1500];
    (void)what;
    if (recv(fd, pkt, sizeof pkt, 0) < 0 && errno != EAGAIN) {
        evutil_closesocket(sink->sock);
        free(sink);
        return;
    }
    sink->datagrams++;
}

int stats_listen(struct event_base *base, evutil_socket_t sock)
{
    struct stats_sink *sink = calloc(1, sizeof *sink);
    struct event *ev;
    if (sink == NULL)
        return -1;
    sink->sock = sock;
    ev = event_new(base, sock, EV_READ | EV_PERSIST, on_stats_datagram, sink); /* expect: missing-stop */
    if (ev == NULL || event_add(ev, NULL) < 0) {
        free(sink);
        return -1;
    }
    return 0;
}

/* ---- delayed replies and leases ---- */
static void on_reply_due(evutil_socket_t fd, short what, void *arg)
{
    struct delayed_reply *r = arg;
    (void)fd; (void)what;
    if (send(r->fd, r->msg, strlen(r->msg), 0) < 0)
        perror("send");
    event_free(r->ev);
    free(r->msg);
    free(r);
}

int reply_later(struct event_base *base, evutil_socket_t fd, const char *msg, int delay_ms)
{
    struct timeval delay = { delay_ms / 1000, (delay_ms % 1000) * 1000 };
    struct delayed_reply *r = calloc(1, sizeof *r);
    if (r == NULL || (r->msg = strdup(msg)) == NULL) {
        free(r);
        return -1;
    }
    r->fd = fd;
    r->ev = evtimer_new(base, on_reply_due, r);
    if (r->ev == NULL || evtimer_add(r->ev, &delay) < 0) {
        if (r->ev)
            event_free(r->ev);
        free(r->msg);
        free(r);
        return -1;
    }
    return 0;
}

static void on_lease_expired(evutil_socket_t fd, short what, void *arg)
{
    struct lease *l = arg;
    (void)fd; (void)what;
    printf("lease %u held by %s expired\n", l->id, l->owner);
    free(l);
}

int lease_grant(struct event_base *base, unsigned id, const char *owner, int secs)
{
    struct timeval ttl = { secs, 0 };
    struct lease *l = calloc(1, sizeof *l);
    if (l == NULL)
        return -1;
    l->id = id;
    snprintf(l->owner, sizeof l->owner, "%s", owner);
    if (event_base_once(base, -1, EV_TIMEOUT, on_lease_expired, l, &ttl) < 0) {
        free(l);
        return -1;
    }
    return 0;
}

static void on_lease_sweep(evutil_socket_t fd, short what, void *arg)
{
    struct lease_table *t = arg;
    (void)fd; (void)what;
    if (t->live == 0)
        event_del(t->sweep);
}

struct lease_table *lease_table_new(struct event_base *base)
{
    struct timeval every = { 30, 0 };
    struct lease_table *t = calloc(1, sizeof *t);
    if (t == NULL)
        return NULL;
    t->sweep = event_new(base, -1, EV_PERSIST, on_lease_sweep, t);
    if (t->sweep == NULL) {
        free(t);
        return NULL;
    }
    event_add(t->sweep, &every);
    return t;
}

void lease_table_destroy(struct lease_table *t)
{
    event_del(t->sweep);
    event_free(t->sweep);
    free(t);
}

/* ---- shutdown countdown ---- */
static void on_countdown(evutil_socket_t fd, short what, void *arg)
{
    struct event *self = arg;
    (void)fd; (void)what;
    fprintf(stderr, "shutting down in %d\n", shutdown_countdown);
    if (--shutdown_countdown > 0)
        return;
    event_base_loopbreak(event_get_base(self));
    event_free(self);
}

int begin_shutdown(struct event_base *base)
{
    struct timeval second = { 1, 0 };
    struct event *ev = event_new(base, -1, EV_PERSIST, on_countdown, event_self_cbarg());
    if (ev == NULL)
        return -1;
    if (event_add(ev, &second) < 0) {
        event_free(ev);
        return -1;
    }
    return 0;
}
