/* mdns-publisher: announces a service, retries on collision, expires stale peers. */
#include <avahi-common/watch.h>
#include <avahi-common/timeval.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#define MAX_PEERS 16

struct publisher {
    const AvahiPoll *poll_api;
    AvahiTimeout *retry_timeout;
    AvahiTimeout *expire_timeout, *grace_timeout;
    AvahiTimeout *peer_timeout[MAX_PEERS];
    AvahiWatch *sock_watch;
    int fd;
    unsigned n_peers, retries, collisions;
};

struct goodbye {
    struct publisher *pub;
    char name[64];
};

static void retry_cb(AvahiTimeout *t, void *userdata) {
    struct publisher *p = userdata;
    struct timeval tv;
    p->retries++;
    p->poll_api->timeout_update(t, avahi_elapse_time(&tv, 1000 * p->retries, 100));
}

static void expire_cb(AvahiTimeout *t, void *userdata) {
    struct publisher *p = userdata;
    (void) t;
    if (p->n_peers > 0) p->n_peers--;
}

/* Final goodbye packet; nothing refers to the timeout once it has fired. */
static void goodbye_cb(AvahiTimeout *t, void *userdata) {
    struct goodbye *g = userdata;
    fprintf(stderr, "mdns: goodbye for %s\n", g->name);
    g->pub->poll_api->timeout_free(t);
    free(g);
}

static void sock_cb(AvahiWatch *w, int fd, AvahiWatchEvent ev, void *userdata) {
    struct publisher *p = userdata;
    char buf[512];
    if ((ev & AVAHI_WATCH_IN) && read(fd, buf, sizeof(buf)) <= 0)
        p->poll_api->watch_update(w, (AvahiWatchEvent) 0);
}

static void drop_timeout(const AvahiPoll *api, AvahiTimeout *t) {
    api->timeout_free(t);
}

int send_goodbye(struct publisher *p, const char *name) {
    struct goodbye *g = calloc(1, sizeof(*g));
    struct timeval tv;
    if (!g)
        return -1;
    g->pub = p;
    snprintf(g->name, sizeof(g->name), "%s", name);
    if (!p->poll_api->timeout_new(p->poll_api, avahi_elapse_time(&tv, 250, 50), goodbye_cb, g)) {
        free(g);
        return -1;
    }
    return 0;
}

void schedule_retry(struct publisher *p) {
    struct timeval tv;
    (void) p->poll_api->timeout_new(p->poll_api, avahi_elapse_time(&tv, 1000, 100), retry_cb, p); /* expect: handle-discarded */
}

void reschedule_retry(struct publisher *p, unsigned msec) {
    const AvahiPoll *api = p->poll_api;
    struct timeval tv;
    if (p->retry_timeout) {
        api->timeout_free(p->retry_timeout);
        p->retry_timeout = NULL;
    }
    p->retry_timeout = api->timeout_new(api, avahi_elapse_time(&tv, msec, msec / 10), retry_cb, p);
    if (p->retry_timeout)
        api->timeout_update(p->retry_timeout, &tv);
}

int start_listening(struct publisher *p, int fd) {
    const AvahiPoll *api = p->poll_api;
    struct timeval tv;
    AvahiTimeout *probe_timeout = api->timeout_new(api, avahi_elapse_time(&tv, 3000, 0), retry_cb, p); /* expect: missing-stop */
    if (!probe_timeout)
        return -1;
    p->sock_watch = api->watch_new(api, fd, AVAHI_WATCH_IN, sock_cb, p);
    if (!p->sock_watch) {
        fprintf(stderr, "mdns: cannot watch fd %d: %s\n", fd, strerror(errno));
        return -1;
    }
    p->retry_timeout = probe_timeout;
    p->fd = fd;
    return 0;
}

/* The grace timeout starts disabled; it is armed when a peer goes quiet. */
int start_expiry(struct publisher *p) {
    const AvahiPoll *api = p->poll_api;
    AvahiTimeout *expiry;
    struct timeval tv;
    expiry = api->timeout_new(api, avahi_elapse_time(&tv, 120 * 1000, 0), expire_cb, p);
    if (!expiry)
        return -1;
    if (!(p->grace_timeout = api->timeout_new(api, NULL, expire_cb, p)))
        goto fail;
    p->expire_timeout = expiry;
    return 0;
fail:
    api->timeout_free(expiry);
    return -1;
}

int refresh_peer(struct publisher *p) {
    const AvahiPoll *api = p->poll_api;
    struct timeval tv;
    uint32_t ttl = 0;
    int r = -1;
    AvahiTimeout *t = api->timeout_new(api, avahi_elapse_time(&tv, 1000, 0), expire_cb, p);
    if (!t)
        return -1;
    if (read(p->fd, &ttl, sizeof(ttl)) != (ssize_t) sizeof(ttl)) {
        api->timeout_free(t);
        goto out;
    }
    api->timeout_update(t, avahi_elapse_time(&tv, ttl * 1000, 0));
    r = (int) ttl;
out:
    api->timeout_free(t); /* expect: use-after-release */
    return r;
}

int wait_for_reply(struct publisher *p) {
    const AvahiPoll *api = p->poll_api;
    struct timeval tv;
    char buf[256];
    ssize_t n;
    AvahiTimeout *deadline = api->timeout_new(api, avahi_elapse_time(&tv, 2000, 0), expire_cb, p); /* expect: disarmed-not-released */
    if (!deadline)
        return -1;
    n = read(p->fd, buf, sizeof(buf));
    api->timeout_update(deadline, NULL);
    return n > 0 ? 0 : -1;
}

int query_once(struct publisher *p) {
    const AvahiPoll *api = p->poll_api;
    struct timeval tv;
    char buf[256];
    ssize_t n;
    AvahiTimeout *deadline = api->timeout_new(api, avahi_elapse_time(&tv, 2000, 0), expire_cb, p);
    if (!deadline)
        return -1;
    n = read(p->fd, buf, sizeof(buf));
    api->timeout_update(deadline, NULL);
    if (n <= 0) {
        api->timeout_free(deadline);
        return -1;
    }
    drop_timeout(api, deadline);
    return 0;
}

void probe_peers(struct publisher *p) {
    const AvahiPoll *api = p->poll_api;
    struct timeval tv;
    unsigned i;
    for (i = 0; i < p->n_peers; i++) {
        AvahiTimeout *t = api->timeout_new(api, avahi_elapse_time(&tv, 100 * (i + 1), 20), retry_cb, p); /* expect: created-in-loop */
        if (!t)
            break;
        api->timeout_update(t, avahi_elapse_time(&tv, 200 * (i + 1), 20));
    }
}

void ping_peers(struct publisher *p) {
    const AvahiPoll *api = p->poll_api;
    struct timeval tv;
    unsigned i;
    for (i = 0; i < p->n_peers; i++) {
        AvahiTimeout *t = api->timeout_new(api, avahi_elapse_time(&tv, 500, 0), expire_cb, p);
        if (!t)
            continue;
        if (write(p->fd, &i, sizeof(i)) < 0) {
            api->timeout_free(t);
            continue;
        }
        drop_timeout(api, t);
    }
}

void arm_peer_expiry(struct publisher *p) {
    const AvahiPoll *api = p->poll_api;
    struct timeval tv;
    unsigned i;
    for (i = 0; i < p->n_peers && i < MAX_PEERS; i++)
        p->peer_timeout[i] = api->timeout_new(api, avahi_elapse_time(&tv, 4500, 500), expire_cb, p);
}

void publisher_free(struct publisher *p) {
    const AvahiPoll *api = p->poll_api;
    unsigned i;
    for (i = 0; i < MAX_PEERS; i++)
        if (p->peer_timeout[i]) api->timeout_free(p->peer_timeout[i]);
    if (p->retry_timeout) api->timeout_free(p->retry_timeout);
    if (p->expire_timeout) api->timeout_free(p->expire_timeout);
    if (p->grace_timeout) api->timeout_free(p->grace_timeout);
    if (p->sock_watch) api->watch_free(p->sock_watch);
    if (p->fd >= 0) close(p->fd);
    free(p);
}
