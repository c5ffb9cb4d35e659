/*
 * peer_link.c - outbound peer links with reconnect back-off (libevent).
 * The transport layer does the I/O and reports links up and down; this
 * module keeps the per-peer timers: back-off, keepalive, connect timeout.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <event2/event.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define PEER_KEEPALIVE_SEC   15
#define PEER_CONNECT_SEC     5
#define PEER_BACKOFF_MAX_SEC 60

struct peer {
    char             host[INET_ADDRSTRLEN];
    unsigned short   port;
    evutil_socket_t  fd;
    unsigned         attempts;
    struct event    *retry_ev;
    struct event    *keepalive_ev;
    struct event    *connect_to_ev;
    struct event    *start_ev; /* event_assign()ed into malloc()ed storage */
    struct peer_mgr *mgr;
    struct peer     *next;
};

struct peer_mgr {
    struct event_base *base;
    struct peer       *peers;
    unsigned long      reconnects;
    unsigned long      connect_failures;
};

static void peer_on_disconnected(struct peer *p);

static struct timeval backoff_tv(unsigned attempts)
{
    struct timeval tv = { 1, 0 };

    while (attempts-- > 0 && tv.tv_sec < PEER_BACKOFF_MAX_SEC)
        tv.tv_sec *= 2;
    return tv;
}

static int peer_open_socket(struct peer *p)
{
    struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(p->port) };
    evutil_socket_t fd;

    if (inet_pton(AF_INET, p->host, &sin.sin_addr) != 1)
        return -1;
    fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return -1;
    evutil_make_socket_nonblocking(fd);
    if (connect(fd, (struct sockaddr *)&sin, sizeof sin) < 0 && errno != EINPROGRESS) {
        evutil_closesocket(fd);
        return -1;
    }
    p->fd = fd;
    return 0;
}

static void on_retry(evutil_socket_t fd, short what, void *arg)
{
    struct peer *p = arg;

    (void)fd;
    (void)what;
    if (p->fd >= 0)
        return;
    if (peer_open_socket(p) != 0) {
        p->mgr->connect_failures++;
        peer_on_disconnected(p);
    }
}

static void on_connect_timeout(evutil_socket_t fd, short what, void *arg)
{
    struct peer *p = arg;

    (void)fd;
    (void)what;
    event_free(p->connect_to_ev);
    p->connect_to_ev = NULL;
    p->mgr->connect_failures++;
    peer_on_disconnected(p);
}

/* Tears down the keepalive when the link is gone; returns 1 then. */
static int peer_drop_keepalive_if_closed(struct peer *p)
{
    if (p->fd >= 0)
        return 0;
    event_free(p->keepalive_ev);
    p->keepalive_ev = NULL;
    return 1;
}

static void on_keepalive(evutil_socket_t fd, short what, void *arg)
{
    static const char ping[] = "PING\r\n";
    struct timeval ka = { PEER_KEEPALIVE_SEC, 0 };
    struct peer *p = arg;

    (void)fd;
    (void)what;
    if (peer_drop_keepalive_if_closed(p))
        return;
    if (send(p->fd, ping, sizeof ping - 1, MSG_NOSIGNAL) < 0) {
        peer_on_disconnected(p);
        return;
    }
    event_add(p->keepalive_ev, &ka);
}

/* Drops the pending reconnect attempt of p. */
static void peer_cancel_retry(struct peer *p)
{
    event_free(p->retry_ev);
}

static void peer_on_disconnected(struct peer *p)
{
    struct timeval tv = backoff_tv(p->attempts++);

    if (p->fd >= 0) {
        evutil_closesocket(p->fd);
        p->fd = -1;
    }
    if (p->keepalive_ev)
        event_del(p->keepalive_ev);
    peer_cancel_retry(p);
    event_add(p->retry_ev, &tv); /* expect: use-after-release */
    p->mgr->reconnects++;
}

void peer_notify_connected(struct peer *p)
{
    struct timeval ka = { PEER_KEEPALIVE_SEC, 0 };

    if (p->connect_to_ev) {
        event_free(p->connect_to_ev);
        p->connect_to_ev = NULL;
    }
    event_del(p->retry_ev);
    p->attempts = 0;
    if (p->keepalive_ev)
        event_add(p->keepalive_ev, &ka);
}

/* Forget the back-off history of p and retry right away with a fresh event. */
int peer_reset_backoff(struct peer *p)
{
    struct timeval now = { 0, 0 };

    peer_cancel_retry(p);
    p->retry_ev = evtimer_new(p->mgr->base, on_retry, p);
    if (!p->retry_ev)
        return -1;
    p->attempts = 0;
    return evtimer_add(p->retry_ev, &now);
}

struct peer *peer_new(struct peer_mgr *m, const char *host, unsigned short port)
{
    struct peer *p = calloc(1, sizeof *p);

    if (!p || strlen(host) >= sizeof p->host) {
        free(p);
        return NULL;
    }
    memcpy(p->host, host, strlen(host) + 1);
    p->port = port;
    p->fd = -1;
    p->mgr = m;
    p->retry_ev = evtimer_new(m->base, on_retry, p);
    if (!p->retry_ev)
        goto fail;
    p->keepalive_ev = evtimer_new(m->base, on_keepalive, p);
    if (!p->keepalive_ev)
        goto fail;
    p->next = m->peers;
    m->peers = p;
    return p;

fail:
    if (p->retry_ev)
        event_free(p->retry_ev);
    free(p);
    return NULL;
}

/* Spread the first connects of many peers; the event is in malloc()ed storage. */
int peer_schedule_start(struct peer *p, unsigned delay_ms)
{
    struct timeval tv = { delay_ms / 1000, (delay_ms % 1000) * 1000 };
    struct event *ev;

    ev = malloc(event_get_struct_event_size());
    if (!ev)
        return -1;
    event_assign(ev, p->mgr->base, -1, 0, on_retry, p); /* expect: missing-stop */
    event_add(ev, &tv);
    if (p->start_ev != NULL) {
        /* a start is already pending; keep the earlier one */
        free(ev);
        return 0;
    }
    p->start_ev = ev;
    return 0;
}

int peer_mgr_connect_all(struct peer_mgr *m)
{
    struct timeval to_tv = { PEER_CONNECT_SEC, 0 };
    struct peer *p;
    int started = 0;

    for (p = m->peers; p; p = p->next) {
        struct event *to;

        if (p->fd >= 0 || p->connect_to_ev)
            continue;
        to = evtimer_new(m->base, on_connect_timeout, p); /* expect: created-in-loop */
        if (!to)
            return -1;
        evtimer_add(to, &to_tv);
        if (peer_open_socket(p) != 0) {
            m->connect_failures++;
            continue;
        }
        p->connect_to_ev = to;
        started++;
    }
    return started;
}

/* Re-arm the back-off of every peer that is down, from its attempt count. */
void peer_mgr_rearm_retries(struct peer_mgr *m)
{
    struct peer *p;

    for (p = m->peers; p; p = p->next) {
        struct timeval tv;
        struct event *ev;

        if (p->fd >= 0)
            continue;
        ev = evtimer_new(m->base, on_retry, p);
        if (!ev)
            break;
        tv = backoff_tv(p->attempts);
        if (evtimer_add(ev, &tv) != 0) {
            event_free(ev);
            continue;
        }
        if (p->retry_ev)
            event_free(p->retry_ev);
        p->retry_ev = ev;
    }
}

void peer_mgr_init(struct peer_mgr *m, struct event_base *base)
{
    memset(m, 0, sizeof *m);
    m->base = base;
}

static void peer_free(struct peer *p)
{
    if (p->retry_ev)
        peer_cancel_retry(p);
    if (p->keepalive_ev)
        event_free(p->keepalive_ev);
    if (p->connect_to_ev)
        event_free(p->connect_to_ev);
    if (p->start_ev) {
        event_del(p->start_ev);
        free(p->start_ev);
    }
    if (p->fd >= 0)
        evutil_closesocket(p->fd);
    free(p);
}

void peer_mgr_free(struct peer_mgr *m)
{
    struct peer *p, *next;

    for (p = m->peers; p; p = next) {
        next = p->next;
        peer_free(p);
    }
    m->peers = NULL;
}
