// scan: --link
/* mdns-announcer: announces a service name on the local links, probes each
 * interface for name conflicts and browses for peers, all through the
 * AvahiPoll abstraction so it runs on the simple, threaded or glib poll. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <avahi-common/timeval.h>
#include <avahi-common/watch.h>

#define RETRY_MS        1000
#define REFRESH_MS      (60 * 1000)
#define LINGER_MS       3000
#define PROBE_MS        250
#define BYE_MS      5000
#define ALL_FOR_NOW_MS  1500
#define MAX_IFACES      8
#define MAX_RETRIES     6

struct publisher;

struct iface_probe {
    int ifindex;
    int fd;
    AvahiTimeout *timeout;
    struct publisher *pub;
};

struct publisher {
    const AvahiPoll *poll_api;
    AvahiTimeout *retry_timeout;
    AvahiTimeout *refresh_timeout;
    AvahiTimeout *linger_timeout;
    AvahiWatch *ctl_watch;
    int ctl_fd;
    unsigned retries;
    unsigned conflicts;
    char *name;
    struct iface_probe probes[MAX_IFACES];
    unsigned n_probes;
};

struct browse_job {
    const AvahiPoll *poll_api;
    AvahiTimeout *all_for_now;
    AvahiWatch *watch;
    int fd;
    unsigned found;
    int done;
};

/* wire helpers, implemented in mdns-wire.c */
extern int mdns_open_iface(int ifindex);
extern int mdns_send_announce(int fd, const char *name);
extern int mdns_send_bye(int fd, const char *name);
extern int mdns_send_query(int fd, const char *name);
extern int mdns_read_reply(int fd, char *buf, size_t len);

static void retry_cb(AvahiTimeout *t, void *userdata) {
    struct publisher *p = userdata;
    struct timeval tv;
    if (mdns_send_announce(p->ctl_fd, p->name) == 0 || ++p->retries >= MAX_RETRIES) {
        /* keep the object around for the next publisher_schedule_retry() */
        p->poll_api->timeout_update(t, NULL);
        return;
    }
    p->poll_api->timeout_update(t, avahi_elapse_time(&tv, RETRY_MS << p->retries, 100));
}

static void refresh_cb(AvahiTimeout *t, void *userdata) {
    struct publisher *p = userdata;
    struct timeval tv;
    mdns_send_announce(p->ctl_fd, p->name);
    p->poll_api->timeout_update(t, avahi_elapse_time(&tv, REFRESH_MS, REFRESH_MS / 10));
}

static void linger_cb(AvahiTimeout *t, void *userdata) {
    struct publisher *p = userdata;
    p->poll_api->timeout_free(t);
    p->linger_timeout = NULL;
    mdns_send_bye(p->ctl_fd, p->name);
}

static void bye_cb(AvahiTimeout *t, void *userdata) {
    struct publisher *p = userdata;
    mdns_send_bye(p->ctl_fd, p->name);
}

static void ctl_deadline_cb(AvahiTimeout *t, void *userdata) {
    struct publisher *p = userdata;
    p->conflicts++;
}

static void iface_probe_cb(AvahiTimeout *t, void *userdata) {
    struct iface_probe *ip = userdata;
    struct timeval tv;
    char buf[512];
    if (mdns_read_reply(ip->fd, buf, sizeof(buf)) > 0) {
        ip->pub->conflicts++;
        ip->pub->poll_api->timeout_free(t);
        ip->timeout = NULL;
        return;
    }
    ip->pub->poll_api->timeout_update(t, avahi_elapse_time(&tv, PROBE_MS, 0));
}

static void ctl_watch_cb(AvahiWatch *w, int fd, AvahiWatchEvent event, void *userdata) {
    struct publisher *p = userdata;
    char buf[512];
    if (event & (AVAHI_WATCH_HUP | AVAHI_WATCH_ERR)) {
        p->poll_api->watch_free(w);
        p->ctl_watch = NULL;
        return;
    }
    if (mdns_read_reply(fd, buf, sizeof(buf)) > 0 && strstr(buf, p->name))
        p->conflicts++;
}

void publisher_schedule_retry(struct publisher *p) {
    const AvahiPoll *api = p->poll_api;
    struct timeval tv;
    p->retries = 0;
    avahi_elapse_time(&tv, RETRY_MS, 100);
    if (!p->retry_timeout)
        p->retry_timeout = api->timeout_new(api, &tv, retry_cb, p);
    else
        api->timeout_update(p->retry_timeout, &tv);
}

/* Suspend announcing while the link is down; publisher_resume() re-arms. */
void publisher_hold(struct publisher *p) {
    if (p->retry_timeout)
        p->poll_api->timeout_update(p->retry_timeout, NULL);
}

void publisher_resume(struct publisher *p) {
    struct timeval tv;
    if (p->retry_timeout)
        p->poll_api->timeout_update(p->retry_timeout, avahi_elapse_time(&tv, RETRY_MS, 0));
}

static void publisher_start_refresh(struct publisher *p) {
    struct timeval tv;
    p->refresh_timeout = p->poll_api->timeout_new(p->poll_api, avahi_elapse_time(&tv, REFRESH_MS, 0), refresh_cb, p); /* expect: field-never-stopped */
}

void publisher_linger(struct publisher *p, unsigned ms) {
    const AvahiPoll *api = p->poll_api;
    struct timeval tv;
    if (ms == 0) {
        if (p->linger_timeout) {
            api->timeout_free(p->linger_timeout);
            p->linger_timeout = NULL;
        }
        return;
    }
    if (!p->linger_timeout)
        p->linger_timeout = api->timeout_new(api, avahi_elapse_time(&tv, ms, 0), linger_cb, p);
    else
        api->timeout_update(p->linger_timeout, avahi_elapse_time(&tv, ms, 0));
}

void publisher_withdraw(struct publisher *p) {
    struct timeval tv;
    publisher_hold(p);
    p->poll_api->timeout_new(p->poll_api, avahi_elapse_time(&tv, BYE_MS, 0), bye_cb, p); /* expect: handle-discarded */
}

static unsigned publisher_probe_ifaces(struct publisher *p, const int *ifindexes, unsigned n_ifaces) {
    const AvahiPoll *api = p->poll_api;
    struct timeval tv;
    unsigned i;
    for (i = 0; i < n_ifaces && p->n_probes < MAX_IFACES; i++) {
        struct iface_probe *ip = &p->probes[p->n_probes];
        AvahiTimeout *t;
        int fd = mdns_open_iface(ifindexes[i]);
        if (fd < 0)
            continue;
        t = api->timeout_new(api, avahi_elapse_time(&tv, PROBE_MS, PROBE_MS / 2), iface_probe_cb, ip); /* expect: created-in-loop */
        if (mdns_send_query(fd, p->name) < 0) {
            close(fd);
            continue;
        }
        ip->ifindex = ifindexes[i];
        ip->fd = fd;
        ip->pub = p;
        ip->timeout = t;
        p->n_probes++;
    }
    return p->n_probes;
}

static int publisher_handshake(struct publisher *p) {
    const AvahiPoll *api = p->poll_api;
    struct timeval tv;
    AvahiTimeout *deadline;
    char buf[512];
    deadline = api->timeout_new(api, avahi_elapse_time(&tv, 2000, 0), ctl_deadline_cb, p); /* expect: missing-stop */
    if (mdns_send_announce(p->ctl_fd, p->name) < 0)
        return -1;
    mdns_read_reply(p->ctl_fd, buf, sizeof(buf));
    api->timeout_free(deadline);
    return 0;
}

static int probe_name_conflict(struct publisher *p) {
    const AvahiPoll *api = p->poll_api;
    struct timeval tv;
    AvahiTimeout *deadline;
    char buf[512];
    int n;
    deadline = api->timeout_new(api, avahi_elapse_time(&tv, 3 * PROBE_MS, 0), ctl_deadline_cb, p);
    if (!deadline)
        return -1;
    if (mdns_send_query(p->ctl_fd, p->name) < 0) {
        api->timeout_update(deadline, NULL);
        api->timeout_free(deadline);
        return -1;
    }
    n = mdns_read_reply(p->ctl_fd, buf, sizeof(buf));
    api->timeout_free(deadline);
    if (n == 0) {
        /* nobody answered yet: give the network another window */
        api->timeout_update(deadline, avahi_elapse_time(&tv, PROBE_MS, 0)); /* expect: use-after-release */
        return 1;
    }
    return n > 0;
}

void publisher_free(struct publisher *p) {
    const AvahiPoll *api = p->poll_api;
    unsigned i;
    if (p->retry_timeout) {
        api->timeout_update(p->retry_timeout, NULL);
        api->timeout_free(p->retry_timeout);
    }
    if (p->linger_timeout)
        api->timeout_free(p->linger_timeout);
    for (i = 0; i < p->n_probes; i++) {
        if (p->probes[i].timeout)
            api->timeout_free(p->probes[i].timeout);
        close(p->probes[i].fd);
    }
    if (p->ctl_watch)
        api->watch_free(p->ctl_watch);
    free(p->name);
    free(p);
}

struct publisher *publisher_new(const AvahiPoll *api, int ctl_fd, const char *name, const int *ifindexes, unsigned n_ifaces) {
    struct publisher *p = calloc(1, sizeof(*p));
    if (!p)
        return NULL;
    p->poll_api = api;
    p->ctl_fd = ctl_fd;
    p->name = strdup(name);
    if (!p->name)
        goto fail;
    p->ctl_watch = api->watch_new(api, ctl_fd, AVAHI_WATCH_IN, ctl_watch_cb, p);
    if (!p->ctl_watch || publisher_handshake(p) < 0)
        goto fail;
    if (probe_name_conflict(p) != 0 || publisher_probe_ifaces(p, ifindexes, n_ifaces) == 0)
        publisher_schedule_retry(p);
    publisher_start_refresh(p);
    return p;
fail:
    publisher_free(p);
    return NULL;
}

static void browse_all_for_now_cb(AvahiTimeout *t, void *userdata) {
    struct browse_job *job = userdata;
    job->done = 1;
}

static void browse_watch_cb(AvahiWatch *w, int fd, AvahiWatchEvent event, void *userdata) {
    struct browse_job *job = userdata;
    char buf[512];
    if (mdns_read_reply(fd, buf, sizeof(buf)) > 0)
        job->found++;
    if (job->done)
        job->poll_api->watch_update(w, 0);
}

static void browse_job_arm(struct browse_job *job) {
    struct timeval tv;
    job->all_for_now = job->poll_api->timeout_new(job->poll_api, avahi_elapse_time(&tv, ALL_FOR_NOW_MS, 0), browse_all_for_now_cb, job); /* expect: field-never-stopped */
}

void browse_job_free(struct browse_job *job) {
    if (job->watch)
        job->poll_api->watch_free(job->watch);
    close(job->fd);
    free(job);
}

struct browse_job *browse_job_new(const AvahiPoll *api, int ifindex, const char *type) {
    struct browse_job *job = calloc(1, sizeof(*job));
    if (!job)
        return NULL;
    job->poll_api = api;
    job->fd = mdns_open_iface(ifindex);
    if (job->fd < 0) {
        free(job);
        return NULL;
    }
    job->watch = api->watch_new(api, job->fd, AVAHI_WATCH_IN, browse_watch_cb, job);
    if (!job->watch || mdns_send_query(job->fd, type) < 0) {
        browse_job_free(job);
        return NULL;
    }
    browse_job_arm(job);
    return job;
}
