/*
 * tcpprobe.c - periodic TCP reachability checks.
 *
 *   tcpprobe NAME=IP:PORT ...
 *
 * Every target is checked once per interval by opening a non-blocking
 * connection with a timeout.  Failing targets are retried with a growing
 * delay; SIGHUP retries every failing target right away.  First checks are spread over the first second so that a long
 * target list does not open all its sockets at once.  SIGINT prints a
 * summary and exits.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#include <event2/event.h>
#include <event2/util.h>

#define INTERVAL_S        15
#define CONNECT_TIMEOUT_S  3
#define MAX_BACKOFF_S    300

struct prober;

struct target {
    struct prober *pr;
    char *name;
    struct sockaddr_in addr;
    evutil_socket_t fd;
    struct event *interval_ev;
    struct event *conn_ev;
    struct timeval started;
    unsigned failures;
    unsigned checks;
    double last_ms;
    int up;
    struct target *next;
};

struct prober {
    struct event_base *base;
    struct target *targets;
    struct timeval interval;
    struct timeval timeout;
};

static void on_check_done(evutil_socket_t fd, short what, void *arg);

static void report(const struct target *t, int was_up)
{
    if (t->up != was_up || t->checks == 1)
        printf("%-20s %s (%.1f ms, %u failures)\n", t->name,
               t->up ? "UP" : "DOWN", t->last_ms, t->failures);
}

static void schedule_next(struct target *t)
{
    struct timeval delay = t->pr->interval;
    unsigned shift = t->failures < 5 ? t->failures : 5;

    if (!t->up) {
        delay.tv_sec = (time_t)CONNECT_TIMEOUT_S << shift;
        if (delay.tv_sec > MAX_BACKOFF_S)
            delay.tv_sec = MAX_BACKOFF_S;
    }
    evtimer_add(t->interval_ev, &delay);
}

static int target_start_check(struct target *t)
{
    struct prober *pr = t->pr;
    struct event *ev = NULL;
    evutil_socket_t fd;

    fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return -1;
    if (evutil_make_socket_nonblocking(fd) < 0)
        goto fail;
    ev = event_new(pr->base, fd, EV_WRITE, on_check_done, t);
    if (ev == NULL)
        goto fail;
    if (connect(fd, (struct sockaddr *)&t->addr, sizeof(t->addr)) < 0 &&
        errno != EINPROGRESS) {
        event_free(ev);
        goto fail;
    }
    if (event_add(ev, &pr->timeout) < 0)
        goto fail;
    gettimeofday(&t->started, NULL);
    t->fd = fd;
    t->conn_ev = ev;
    return 0;

fail:
    if (ev != NULL)
        event_free(ev); /* expect: use-after-release */
    evutil_closesocket(fd);
    return -1;
}

static void record_result(struct target *t, int ok)
{
    int was_up = t->up;
    struct timeval now, elapsed;

    gettimeofday(&now, NULL);
    evutil_timersub(&now, &t->started, &elapsed);
    t->last_ms = elapsed.tv_sec * 1000.0 + elapsed.tv_usec / 1000.0;
    t->checks++;
    t->up = ok;
    t->failures = ok ? 0 : t->failures + 1;
    report(t, was_up);
}

static void on_check_done(evutil_socket_t fd, short what, void *arg)
{
    struct target *t = arg;
    int err = 0;
    socklen_t len = sizeof(err);
    int ok;

    ok = !(what & EV_TIMEOUT) &&
         getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0 && err == 0;
    event_free(t->conn_ev);
    t->conn_ev = NULL;
    evutil_closesocket(fd);
    t->fd = -1;
    record_result(t, ok);
    schedule_next(t);
}

static void on_interval(evutil_socket_t fd, short what, void *arg)
{
    struct target *t = arg;

    (void)fd;
    (void)what;
    if (target_start_check(t) < 0) {
        gettimeofday(&t->started, NULL);
        record_result(t, 0);
        schedule_next(t);
    }
}

static struct target *target_new(struct prober *pr, const char *spec)
{
    const char *eq = strchr(spec, '='), *colon;
    struct target *t;
    char ip[64];

    if (eq == NULL || (colon = strrchr(eq, ':')) == NULL ||
        (size_t)(colon - eq - 1) >= sizeof(ip))
        return NULL;
    t = calloc(1, sizeof(*t));
    if (t == NULL)
        return NULL;
    memcpy(ip, eq + 1, (size_t)(colon - eq - 1));
    ip[colon - eq - 1] = '\0';
    t->addr.sin_family = AF_INET;
    t->addr.sin_port = htons((unsigned short)atoi(colon + 1));
    if (inet_pton(AF_INET, ip, &t->addr.sin_addr) != 1 ||
        (t->name = strndup(spec, (size_t)(eq - spec))) == NULL) {
        free(t);
        return NULL;
    }
    t->pr = pr;
    t->fd = -1;
    t->up = 1;
    t->interval_ev = evtimer_new(pr->base, on_interval, t);
    if (t->interval_ev == NULL) {
        free(t->name);
        free(t);
        return NULL;
    }
    t->next = pr->targets;
    pr->targets = t;
    return t;
}

static void target_destroy(struct target *t)
{
    event_free(t->interval_ev);
    if (t->conn_ev != NULL) {
        event_free(t->conn_ev);
        evutil_closesocket(t->fd);
    }
    free(t->name);
    free(t);
}

static void on_sighup(evutil_socket_t sig, short what, void *arg)
{
    struct prober *pr = arg;
    struct timeval soon = { 0, 0 };
    struct target *t;

    (void)sig;
    (void)what;
    for (t = pr->targets; t != NULL; t = t->next) {
        if (t->up || t->conn_ev != NULL)
            continue;
        t->failures = 0;
        evtimer_del(t->interval_ev);
        evtimer_add(t->interval_ev, &soon);
    }
}

static void on_sigint(evutil_socket_t sig, short what, void *arg)
{
    (void)sig;
    (void)what;
    event_base_loopexit(arg, NULL);
}

int main(int argc, char **argv)
{
    struct prober pr;
    struct event *sigint_ev, *sighup_ev;
    struct target *t, *next;
    int i;

    memset(&pr, 0, sizeof(pr));
    pr.interval.tv_sec = INTERVAL_S;
    pr.timeout.tv_sec = CONNECT_TIMEOUT_S;
    pr.base = event_base_new();
    if (pr.base == NULL)
        return 1;
    sigint_ev = evsignal_new(pr.base, SIGINT, on_sigint, pr.base);
    sighup_ev = evsignal_new(pr.base, SIGHUP, on_sighup, &pr);
    event_add(sigint_ev, NULL);
    event_add(sighup_ev, NULL);

    for (i = 1; i < argc; i++) {
        struct timeval stagger = { 0, (suseconds_t)((i * 37) % 1000) * 1000 };

        t = target_new(&pr, argv[i]);
        if (t == NULL) {
            fprintf(stderr, "tcpprobe: cannot parse target '%s'\n", argv[i]);
            continue;
        }
        event_base_once(pr.base, -1, EV_TIMEOUT, on_interval, t, &stagger);
    }
    event_base_dispatch(pr.base);

    for (t = pr.targets; t != NULL; t = next) {
        next = t->next;
        printf("%-20s %s after %u checks\n", t->name, t->up ? "up" : "down", t->checks);
        target_destroy(t);
    }
    event_free(sighup_ev);
    event_free(sigint_ev);
    event_base_free(pr.base);
    return 0;
}
