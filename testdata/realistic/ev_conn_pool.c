// scan: --link
/*
 * upstream_pool.c - keeps persistent connections to one upstream server.
 *
 * Connections are opened asynchronously with a connect timeout, handed to
 * the proxy for one request at a time, and parked in the idle list between
 * requests.  A parked connection is watched for readability (the server
 * closing it) and closed after idle_tv without use.  Every connection sends
 * a small no-op request every keepalive_tv so that middleboxes keep it open.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <unistd.h>
#include <event2/event.h>
#include <event2/event_struct.h>
#include <event2/util.h>

struct pooled_conn;

typedef void (*pool_ready_cb)(struct pooled_conn *conn, void *arg);

struct conn_pool;

struct pooled_conn {
    struct conn_pool *pool;
    evutil_socket_t fd;
    struct event connect_ev;
    struct event *read_ev;
    struct event *idle_ev;
    struct event *keepalive_ev;
    pool_ready_cb ready_cb;
    void *ready_arg;
    unsigned requests;
    struct pooled_conn *next;
    struct pooled_conn *prev;
};

struct conn_pool {
    struct event_base *base;
    struct sockaddr_in addr;
    struct pooled_conn *idle_head;
    unsigned nidle;
    unsigned nbusy;
    unsigned max_idle;
    unsigned opened;
    struct timeval connect_tv;
    struct timeval idle_tv;
    struct timeval keepalive_tv;
    struct event *reap_ev;
};

static const char keepalive_req[] = "OPTIONS * HTTP/1.1\r\nHost: upstream\r\n\r\n";

static void idle_unlink(struct pooled_conn *c)
{
    if (c->prev != NULL)
        c->prev->next = c->next;
    else if (c->pool->idle_head == c)
        c->pool->idle_head = c->next;
    else
        return;
    if (c->next != NULL)
        c->next->prev = c->prev;
    c->next = c->prev = NULL;
    c->pool->nidle--;
}

static void conn_destroy(struct pooled_conn *c)
{
    idle_unlink(c);
    event_del(&c->connect_ev);
    if (c->read_ev != NULL) {
        event_del(c->read_ev);
        event_free(c->read_ev);
    }
    if (c->idle_ev != NULL) {
        event_del(c->idle_ev);
        event_free(c->idle_ev);
    }
    evutil_closesocket(c->fd);
    free(c);
}

static void on_conn_readable(evutil_socket_t fd, short what, void *arg)
{
    struct pooled_conn *c = arg;
    char buf[256];
    ssize_t n = recv(fd, buf, sizeof(buf), 0);

    (void)what;
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
        conn_destroy(c);
}

static void on_conn_idle(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    conn_destroy(arg);
}

static void on_keepalive(evutil_socket_t fd, short what, void *arg)
{
    struct pooled_conn *c = arg;

    (void)fd;
    (void)what;
    if (c->next != NULL || c->prev != NULL || c->pool->idle_head == c)
        send(c->fd, keepalive_req, sizeof(keepalive_req) - 1, MSG_NOSIGNAL);
}

static void on_connected(evutil_socket_t fd, short what, void *arg)
{
    struct pooled_conn *c = arg;
    struct conn_pool *pool = c->pool;
    pool_ready_cb cb = c->ready_cb;
    void *cb_arg = c->ready_arg;
    int err = 0;
    socklen_t len = sizeof(err);

    if ((what & EV_TIMEOUT) ||
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0 || err != 0)
        goto fail;
    c->read_ev = event_new(pool->base, fd, EV_READ | EV_PERSIST, on_conn_readable, c);
    c->idle_ev = evtimer_new(pool->base, on_conn_idle, c);
    c->keepalive_ev = event_new(pool->base, -1, EV_PERSIST, on_keepalive, c);
    if (c->read_ev == NULL || c->idle_ev == NULL || c->keepalive_ev == NULL)
        goto fail;
    event_add(c->keepalive_ev, &pool->keepalive_tv); /* expect: field-never-stopped */
    pool->nbusy++;
    cb(c, cb_arg);
    return;

fail:
    conn_destroy(c);
    cb(NULL, cb_arg);
}

static int conn_open(struct conn_pool *pool, pool_ready_cb cb, void *arg)
{
    struct pooled_conn *c = calloc(1, sizeof(*c));

    if (c == NULL)
        return -1;
    c->pool = pool;
    c->ready_cb = cb;
    c->ready_arg = arg;
    c->fd = socket(AF_INET, SOCK_STREAM, 0);
    if (c->fd < 0 || evutil_make_socket_nonblocking(c->fd) < 0) {
        if (c->fd >= 0)
            evutil_closesocket(c->fd);
        free(c);
        return -1;
    }
    if (connect(c->fd, (struct sockaddr *)&pool->addr, sizeof(pool->addr)) < 0 &&
        errno != EINPROGRESS) {
        evutil_closesocket(c->fd);
        free(c);
        return -1;
    }
    event_assign(&c->connect_ev, pool->base, c->fd, EV_WRITE, on_connected, c);
    event_add(&c->connect_ev, &pool->connect_tv);
    pool->opened++;
    return 0;
}

int conn_pool_checkout(struct conn_pool *pool, pool_ready_cb cb, void *arg)
{
    struct pooled_conn *c = pool->idle_head;

    if (c == NULL)
        return conn_open(pool, cb, arg);
    idle_unlink(c);
    evtimer_del(c->idle_ev);
    event_del(c->read_ev);
    pool->nbusy++;
    cb(c, arg);
    return 0;
}

void conn_pool_checkin(struct pooled_conn *c, int reusable)
{
    struct conn_pool *pool = c->pool;

    pool->nbusy--;
    c->requests++;
    if (!reusable || pool->nidle >= pool->max_idle) {
        conn_destroy(c);
        return;
    }
    c->next = pool->idle_head;
    if (c->next != NULL)
        c->next->prev = c;
    pool->idle_head = c;
    pool->nidle++;
    event_add(c->read_ev, NULL);
    evtimer_add(c->idle_ev, &pool->idle_tv);
}

/* The TLS layer hands back a different descriptor for the same session. */
int conn_pool_rebind(struct pooled_conn *c, evutil_socket_t fd)
{
    event_del(c->read_ev);
    event_free(c->read_ev);
    evutil_closesocket(c->fd);
    c->fd = fd;
    if (event_add(c->read_ev, NULL) < 0) /* expect: use-after-release */
        return -1;
    return 0;
}

static void on_pool_reap(evutil_socket_t fd, short what, void *arg)
{
    struct conn_pool *pool = arg;

    (void)fd;
    (void)what;
    while (pool->nidle > pool->max_idle && pool->idle_head != NULL)
        conn_destroy(pool->idle_head);
}

struct conn_pool *conn_pool_new(struct event_base *base, const char *ip, unsigned short port)
{
    struct conn_pool *pool = calloc(1, sizeof(*pool));
    struct timeval reap_tv = { 30, 0 };

    if (pool == NULL)
        return NULL;
    pool->base = base;
    pool->addr.sin_family = AF_INET;
    pool->addr.sin_port = htons(port);
    if (inet_pton(AF_INET, ip, &pool->addr.sin_addr) != 1) {
        free(pool);
        return NULL;
    }
    pool->max_idle = 16;
    pool->connect_tv.tv_sec = 3;
    pool->idle_tv.tv_sec = 60;
    pool->keepalive_tv.tv_sec = 20;
    pool->reap_ev = event_new(base, -1, EV_PERSIST, on_pool_reap, pool);
    if (pool->reap_ev == NULL) {
        free(pool);
        return NULL;
    }
    event_add(pool->reap_ev, &reap_tv);
    return pool;
}

void conn_pool_free(struct conn_pool *pool)
{
    while (pool->idle_head != NULL)
        conn_destroy(pool->idle_head);
    event_free(pool->reap_ev);
    free(pool);
}
