// scan: --link
/* module-card-idle: suspends the card when idle, pings its controller,
 * rescans hotplugged sinks and probes per-sink latency, all through the
 * pa_mainloop_api vtable of the core. */
#include <errno.h>
#include <stdlib.h>
#include <sys/time.h>
#include <unistd.h>

#include <pulse/mainloop-api.h>
#include <pulse/timeval.h>

#define IDLE_USEC        (5 * PA_USEC_PER_SEC)
#define PING_USEC        (1 * PA_USEC_PER_SEC)
#define RESCAN_USEC      (250 * PA_USEC_PER_MSEC)
#define PROBE_USEC       (100 * PA_USEC_PER_MSEC)
#define RECONNECT_USEC   (2 * PA_USEC_PER_SEC)
enum { MAX_SINKS = 8, MAX_MISSED_PINGS = 3 };

typedef struct pa_core { pa_mainloop_api *mainloop; unsigned n_sinks; } pa_core;
typedef struct pa_module { pa_core *core; void *userdata; const char *argument; } pa_module;

struct userdata;

struct sink_probe {
    unsigned index;
    int fd;
    pa_time_event *timer;
    struct userdata *u;
};

struct stream_monitor {
    pa_mainloop_api *api;
    pa_time_event *report_event;
    pa_io_event *io;
    unsigned long bytes;
};

struct userdata {
    pa_core *core;
    pa_module *module;
    pa_time_event *idle_event;
    pa_time_event *ping_event;
    pa_time_event *rescan_event;
    pa_defer_event *flush_defer;
    pa_io_event *ctl_io;
    int ctl_fd;
    unsigned missed_pings;
    unsigned latency;
    struct sink_probe probes[MAX_SINKS];
    unsigned n_probes;
    struct stream_monitor *monitor;
};

/* provided by the card backend */
extern int card_ctl_open(const char *argument);
extern int card_ctl_ping(int fd);
extern int card_ctl_suspend(int fd, int suspend);
extern int card_ctl_read_latency(int fd, unsigned idx, unsigned *latency);
extern int sink_ctl_open(unsigned idx);
extern unsigned card_ctl_count_sinks(int fd);

static struct timeval *timeval_after(struct timeval *tv, pa_usec_t usec) {
    pa_gettimeofday(tv);
    return pa_timeval_add(tv, usec);
}

static void idle_cb(pa_mainloop_api *a, pa_time_event *e, const struct timeval *tv, void *userdata) {
    struct userdata *u = userdata;
    a->time_free(e);
    u->idle_event = NULL;
    card_ctl_suspend(u->ctl_fd, 1);
}

static void ping_cb(pa_mainloop_api *a, pa_time_event *e, const struct timeval *tv, void *userdata) {
    struct userdata *u = userdata;
    struct timeval next;
    if (card_ctl_ping(u->ctl_fd) < 0 && ++u->missed_pings > MAX_MISSED_PINGS) {
        a->time_free(e);
        u->ping_event = NULL;
        return;
    }
    a->time_restart(e, timeval_after(&next, PING_USEC));
}

static void rescan_cb(pa_mainloop_api *a, pa_time_event *e, const struct timeval *tv, void *userdata) {
    struct userdata *u = userdata;
    struct timeval next;
    u->core->n_sinks = card_ctl_count_sinks(u->ctl_fd);
    if (u->core->n_sinks == 0)
        a->time_restart(e, timeval_after(&next, RESCAN_USEC));
}

static void probe_timeout_cb(pa_mainloop_api *a, pa_time_event *e, const struct timeval *tv, void *userdata) {
    struct sink_probe *p = userdata;
    unsigned lat;
    if (card_ctl_read_latency(p->fd, p->index, &lat) == 0 && lat > p->u->latency)
        p->u->latency = lat;
}

static void guard_cb(pa_mainloop_api *a, pa_time_event *e, const struct timeval *tv, void *userdata) {
    ((struct userdata *) userdata)->missed_pings++;
}

static void reconnect_cb(pa_mainloop_api *a, pa_time_event *e, const struct timeval *tv, void *userdata) {
    struct userdata *u = userdata;
    if (u->ctl_fd < 0)
        u->ctl_fd = card_ctl_open(u->module->argument);
}

static void flush_defer_cb(pa_mainloop_api *a, pa_defer_event *e, void *userdata) {
    struct userdata *u = userdata;
    a->defer_enable(e, 0);
    card_ctl_suspend(u->ctl_fd, 0);
}

static void ctl_io_cb(pa_mainloop_api *a, pa_io_event *e, int fd, pa_io_event_flags_t events, void *userdata) {
    struct userdata *u = userdata;
    if (events & (PA_IO_EVENT_HANGUP | PA_IO_EVENT_ERROR)) {
        a->io_free(e);
        u->ctl_io = NULL;
        return;
    }
    u->core->mainloop->defer_enable(u->flush_defer, 1);
}

static void ping_destroy_cb(pa_mainloop_api *a, pa_time_event *e, void *userdata) {
    ((struct userdata *) userdata)->missed_pings = 0;
}

static void schedule_rescan(struct userdata *u) {
    struct timeval tv;
    if (!u->rescan_event) {
        u->rescan_event = u->core->mainloop->time_new(u->core->mainloop, timeval_after(&tv, RESCAN_USEC), rescan_cb, u); /* expect: field-never-stopped */
        return;
    }
    u->core->mainloop->time_restart(u->rescan_event, timeval_after(&tv, RESCAN_USEC));
}

static void schedule_reconnect(struct userdata *u) {
    struct timeval tv;
    u->core->mainloop->time_new(u->core->mainloop, timeval_after(&tv, RECONNECT_USEC), reconnect_cb, u); /* expect: handle-discarded */
}

/* Called by the sink whenever it changes between running and idle. */
void module_card_idle_sink_state(struct userdata *u, int busy) {
    pa_mainloop_api *api = u->core->mainloop;
    struct timeval tv;
    if (!u->idle_event) {
        if (!busy)
            u->idle_event = api->time_new(api, timeval_after(&tv, IDLE_USEC), idle_cb, u);
        return;
    }
    if (busy)
        api->time_free(u->idle_event);
    api->time_restart(u->idle_event, timeval_after(&tv, IDLE_USEC)); /* expect: use-after-release */
}

void module_card_idle_set_ping(struct userdata *u, int enable) {
    pa_mainloop_api *api = u->core->mainloop;
    struct timeval tv;
    if (u->ping_event) {
        api->time_free(u->ping_event);
        u->ping_event = NULL;
    }
    if (!enable)
        return;
    u->ping_event = api->time_new(api, timeval_after(&tv, PING_USEC), ping_cb, u);
    if (!u->ping_event)
        return;
    api->time_set_destroy(u->ping_event, ping_destroy_cb);
}

static int start_probes(struct userdata *u) {
    pa_mainloop_api *api = u->core->mainloop;
    struct timeval tv;
    unsigned i, started = 0;
    for (i = 0; i < u->core->n_sinks && i < MAX_SINKS; i++) {
        struct sink_probe *p = &u->probes[i];
        pa_time_event *e;
        p->index = i;
        p->u = u;
        p->timer = NULL;
        e = api->time_new(api, timeval_after(&tv, PROBE_USEC), probe_timeout_cb, p); /* expect: created-in-loop */
        p->fd = sink_ctl_open(i);
        if (p->fd < 0)
            continue;
        p->timer = e;
        started++;
    }
    u->n_probes = i;
    return started ? 0 : -1;
}

static void stop_probes(struct userdata *u) {
    pa_mainloop_api *api = u->core->mainloop;
    unsigned i;
    for (i = 0; i < u->n_probes; i++) {
        struct sink_probe *p = &u->probes[i];
        if (p->timer) {
            api->time_free(p->timer);
            p->timer = NULL;
        }
        if (p->fd >= 0)
            close(p->fd);
    }
    u->n_probes = 0;
}

static int query_card_latency(struct userdata *u, unsigned idx, unsigned *latency) {
    pa_mainloop_api *api = u->core->mainloop;
    struct timeval tv;
    pa_time_event *guard;
    int r;
    guard = api->time_new(api, timeval_after(&tv, 5 * PROBE_USEC), guard_cb, u); /* expect: missing-stop */
    r = card_ctl_read_latency(u->ctl_fd, idx, latency);
    if (r == -EAGAIN)
        return 0;
    api->time_free(guard);
    return r;
}

static int calibrate_latency(struct userdata *u) {
    pa_mainloop_api *api = u->core->mainloop;
    pa_time_event *t;
    struct timeval tv;
    unsigned lat;
    t = api->time_new(api, timeval_after(&tv, PROBE_USEC), guard_cb, u);
    if (card_ctl_read_latency(u->ctl_fd, 0, &lat) < 0)
        goto fail;
    if (lat > 500000) {
        api->time_free(t);
        goto fail;
    }
    api->time_free(t);
    u->latency = lat;
    return 0;
fail:
    api->time_free(t); /* expect: use-after-release */
    return -1;
}

static void monitor_io_cb(pa_mainloop_api *a, pa_io_event *e, int fd, pa_io_event_flags_t events, void *userdata) {
    ((struct stream_monitor *) userdata)->bytes++;
}

static void monitor_report_cb(pa_mainloop_api *a, pa_time_event *e, const struct timeval *tv, void *userdata) {
    struct stream_monitor *sm = userdata;
    struct timeval next;
    sm->bytes = 0;
    a->time_restart(e, timeval_after(&next, PA_USEC_PER_SEC));
}

static struct stream_monitor *stream_monitor_new(pa_mainloop_api *api, int fd) {
    struct stream_monitor *sm;
    struct timeval tv;
    sm = calloc(1, sizeof(*sm));
    if (!sm)
        return NULL;
    sm->api = api;
    sm->report_event = api->time_new(api, timeval_after(&tv, PA_USEC_PER_SEC), monitor_report_cb, sm); /* expect: field-never-stopped */
    sm->io = api->io_new(api, fd, PA_IO_EVENT_INPUT, monitor_io_cb, sm);
    if (!sm->io) {
        api->time_free(sm->report_event);
        free(sm);
        return NULL;
    }
    return sm;
}

static void stream_monitor_free(struct stream_monitor *sm) {
    if (sm->io)
        sm->api->io_free(sm->io);
    free(sm);
}

void pa__done(pa_module *m);

int pa__init(pa_module *m) {
    struct userdata *u;
    pa_mainloop_api *api = m->core->mainloop;
    struct timeval tv;
    u = calloc(1, sizeof(*u));
    if (!u)
        return -1;
    m->userdata = u;
    u->core = m->core;
    u->module = m;
    u->ctl_fd = card_ctl_open(m->argument);
    if (u->ctl_fd < 0) {
        schedule_reconnect(u);
        return 0;
    }
    if (calibrate_latency(u) < 0)
        goto fail;
    u->ping_event = m->core->mainloop->time_new(m->core->mainloop, timeval_after(&tv, PING_USEC), ping_cb, u);
    u->flush_defer = api->defer_new(api, flush_defer_cb, u);
    api->defer_enable(u->flush_defer, 0);
    u->ctl_io = api->io_new(api, u->ctl_fd, PA_IO_EVENT_INPUT, ctl_io_cb, u);
    if (!u->ctl_io)
        goto fail;
    u->monitor = stream_monitor_new(api, u->ctl_fd);
    if (!u->monitor)
        goto fail;
    if (start_probes(u) < 0)
        schedule_rescan(u);
    else
        query_card_latency(u, 0, &u->latency);
    return 0;

fail:
    pa__done(m);
    return -1;
}

void pa__done(pa_module *m) {
    struct userdata *u = m->userdata;
    pa_mainloop_api *api;
    if (!u)
        return;
    api = u->core->mainloop;
    if (u->idle_event) api->time_free(u->idle_event);
    if (u->ping_event) api->time_free(u->ping_event);
    stop_probes(u);
    if (u->monitor) stream_monitor_free(u->monitor);
    if (u->ctl_io) api->io_free(u->ctl_io);
    if (u->flush_defer) api->defer_free(u->flush_defer);
    if (u->ctl_fd >= 0) close(u->ctl_fd);
    free(u);
    m->userdata = NULL;
}
