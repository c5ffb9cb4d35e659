/*
 * throttle.c - line echo service with per-client and global token buckets.
 *
 * Each client may send CLIENT_RATE lines per second with bursts of
 * CLIENT_BURST; the whole service is capped at GLOBAL_RATE.  A client that
 * runs dry stops being read until its bucket refills; one that keeps
 * hitting the limit is suspended for a while, and one that is still
 * flooding after that is told so and disconnected after a short linger.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <unistd.h>
#include <event2/event.h>
#include <event2/util.h>

#define CLIENT_RATE     20.0
#define CLIENT_BURST    40.0
#define GLOBAL_RATE   2000.0
#define GLOBAL_BURST  4000.0
#define REFILL_MS        100
#define STRIKE_LIMIT       5
#define HARD_STRIKES      50
#define PENALTY_S         10

struct limiter;

struct client {
    struct limiter *lim;
    evutil_socket_t fd;
    struct event *read_ev;
    struct event *refill_ev;
    double tokens;
    int blocked;
    unsigned strikes;
    unsigned total_strikes;
    struct client *next;
};

struct limiter {
    struct event_base *base;
    struct client *clients;
    double global_tokens;
    struct timeval refill_tv;
    struct timeval linger_tv;
};

static const char flood_msg[] = "ERR rate limit exceeded, closing\n";

static void client_unlink(struct client *cl)
{
    struct client **pp;

    for (pp = &cl->lim->clients; *pp != NULL; pp = &(*pp)->next) {
        if (*pp == cl) {
            *pp = cl->next;
            return;
        }
    }
}

static void client_destroy(struct client *cl, int close_fd)
{
    client_unlink(cl);
    event_free(cl->read_ev);
    event_del(cl->refill_ev);
    event_free(cl->refill_ev);
    if (close_fd)
        evutil_closesocket(cl->fd);
    free(cl);
}

static void on_linger_done(evutil_socket_t fd, short what, void *arg)
{
    struct event *self = arg;

    (void)what;
    evutil_closesocket(fd);
    event_free(self);
}

static void client_kick(struct client *cl)
{
    struct limiter *lim = cl->lim;
    evutil_socket_t fd = cl->fd;
    struct event *linger;

    send(fd, flood_msg, sizeof(flood_msg) - 1, MSG_NOSIGNAL);
    shutdown(fd, SHUT_RD);
    client_destroy(cl, 0);
    linger = event_new(lim->base, fd, 0, on_linger_done, event_self_cbarg());
    if (linger == NULL || event_add(linger, &lim->linger_tv) < 0) {
        if (linger != NULL)
            event_free(linger);
        evutil_closesocket(fd);
    }
}

static void client_block(struct client *cl)
{
    if (cl->blocked)
        return;
    event_del(cl->read_ev);
    cl->blocked = 1;
    cl->strikes++;
    cl->total_strikes++;
}

static void on_client_read(evutil_socket_t fd, short what, void *arg)
{
    struct client *cl = arg;
    struct limiter *lim = cl->lim;
    char buf[512];
    ssize_t n;

    (void)what;
    if (cl->tokens < 1.0 || lim->global_tokens < 1.0) {
        if (cl->total_strikes >= HARD_STRIKES)
            client_kick(cl);
        else
            client_block(cl);
        return;
    }
    n = recv(fd, buf, sizeof(buf), 0);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
        client_destroy(cl, 1);
        return;
    }
    if (n > 0) {
        cl->tokens -= 1.0;
        lim->global_tokens -= 1.0;
        send(fd, buf, (size_t)n, MSG_NOSIGNAL);
    }
}

static void on_client_refill(evutil_socket_t fd, short what, void *arg)
{
    struct client *cl = arg;

    (void)fd;
    (void)what;
    cl->tokens += CLIENT_RATE * REFILL_MS / 1000.0;
    if (cl->tokens > CLIENT_BURST)
        cl->tokens = CLIENT_BURST;
    if (cl->blocked && cl->tokens >= 1.0 && cl->strikes < STRIKE_LIMIT) {
        cl->blocked = 0;
        event_add(cl->read_ev, NULL);
    }
    evtimer_add(cl->refill_ev, &cl->lim->refill_tv);
}

static void on_penalty_over(evutil_socket_t fd, short what, void *arg)
{
    struct client *cl = arg;

    (void)fd;
    (void)what;
    cl->blocked = 0;
    event_add(cl->read_ev, NULL);
}

static void limiter_suspend_repeat_offenders(struct limiter *lim)
{
    struct timeval penalty_tv = { PENALTY_S, 0 };
    struct client *cl;

    for (cl = lim->clients; cl != NULL; cl = cl->next) {
        struct event *ev;

        if (cl->strikes < STRIKE_LIMIT)
            continue;
        client_block(cl);
        cl->strikes = 0;
        ev = evtimer_new(lim->base, on_penalty_over, cl); /* expect: created-in-loop */
        if (ev == NULL)
            continue;
        evtimer_add(ev, &penalty_tv);
    }
}

static void on_global_refill(evutil_socket_t fd, short what, void *arg)
{
    struct limiter *lim = arg;

    (void)fd;
    (void)what;
    lim->global_tokens += GLOBAL_RATE * REFILL_MS / 1000.0;
    if (lim->global_tokens > GLOBAL_BURST)
        lim->global_tokens = GLOBAL_BURST;
    limiter_suspend_repeat_offenders(lim);
}

static void on_accept(evutil_socket_t listen_fd, short what, void *arg)
{
    struct limiter *lim = arg;
    struct client *cl;
    struct event *refill;
    evutil_socket_t fd;

    (void)what;
    fd = accept(listen_fd, NULL, NULL);
    if (fd < 0)
        return;
    cl = calloc(1, sizeof(*cl));
    if (cl == NULL || evutil_make_socket_nonblocking(fd) < 0) {
        free(cl);
        evutil_closesocket(fd);
        return;
    }
    cl->lim = lim;
    cl->fd = fd;
    cl->tokens = CLIENT_BURST;
    cl->read_ev = event_new(lim->base, fd, EV_READ | EV_PERSIST, on_client_read, cl);
    refill = evtimer_new(lim->base, on_client_refill, cl); /* expect: missing-stop */
    if (cl->read_ev == NULL || refill == NULL) {
        if (cl->read_ev != NULL)
            event_free(cl->read_ev);
        if (refill != NULL)
            event_free(refill);
        evutil_closesocket(fd);
        free(cl);
        return;
    }
    if (event_add(cl->read_ev, NULL) < 0) {
        event_free(cl->read_ev);
        evutil_closesocket(fd);
        free(cl);
        return;
    }
    cl->refill_ev = refill;
    evtimer_add(cl->refill_ev, &lim->refill_tv);
    cl->next = lim->clients;
    lim->clients = cl;
}

int main(int argc, char **argv)
{
    struct limiter lim;
    struct sockaddr_in sin;
    struct event *accept_ev, *refill_ev;
    evutil_socket_t listen_fd;
    int one = 1;

    memset(&lim, 0, sizeof(lim));
    lim.global_tokens = GLOBAL_BURST;
    lim.refill_tv.tv_usec = REFILL_MS * 1000;
    lim.linger_tv.tv_usec = 200 * 1000;
    lim.base = event_base_new();
    if (lim.base == NULL)
        return 1;

    memset(&sin, 0, sizeof(sin));
    sin.sin_family = AF_INET;
    sin.sin_port = htons(argc > 1 ? (unsigned short)atoi(argv[1]) : 7007);
    listen_fd = socket(AF_INET, SOCK_STREAM, 0);
    if (listen_fd < 0 ||
        setsockopt(listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
        bind(listen_fd, (struct sockaddr *)&sin, sizeof(sin)) < 0 ||
        listen(listen_fd, 64) < 0) {
        perror("throttle: listen");
        return 1;
    }
    evutil_make_socket_nonblocking(listen_fd);
    accept_ev = event_new(lim.base, listen_fd, EV_READ | EV_PERSIST, on_accept, &lim);
    refill_ev = event_new(lim.base, -1, EV_PERSIST, on_global_refill, &lim);
    if (accept_ev == NULL || refill_ev == NULL)
        return 1;
    event_add(accept_ev, NULL);
    event_add(refill_ev, &lim.refill_tv);
    return event_base_dispatch(lim.base) < 0 ? 1 : 0;
}
