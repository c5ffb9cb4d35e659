/* module-idle-watchdog: suspends idle sinks, pings the control peer, watches sinks. */
#include <pulse/mainloop-api.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/time.h>
#include <unistd.h>
#define USEC_PER_SEC 1000000ULL
#define MAX_SINKS 8
struct core {
    pa_mainloop_api *mainloop;
    unsigned n_sinks;
};
struct userdata {
    struct core *core;
    pa_time_event *idle_event;
    pa_time_event *keepalive_event;
    pa_time_event *sink_check[MAX_SINKS];
    pa_defer_event *flush_event;
    pa_io_event *ctl_io;
    int ctl_fd, suspended;
    unsigned idle_sec;
};

static struct timeval deadline_in(uint64_t usec) {
    struct timeval tv;
    gettimeofday(&tv, NULL);
    usec += (uint64_t) tv.tv_usec;
    tv.tv_sec += (time_t) (usec / USEC_PER_SEC);
    tv.tv_usec = (suseconds_t) (usec % USEC_PER_SEC);
    return tv;
}

static void idle_cb(pa_mainloop_api *a, pa_time_event *e, const struct timeval *tv, void *userdata) {
    (void) a; (void) e; (void) tv;
    ((struct userdata *) userdata)->suspended = 1;
}

/* One-shot status line; the event goes away once it has fired. */
static void announce_cb(pa_mainloop_api *a, pa_time_event *e, const struct timeval *tv, void *userdata) {
    struct userdata *u = userdata;
    (void) tv;
    fprintf(stderr, "idle-watchdog: tracking %u sinks\n", u->core->n_sinks);
    a->time_free(e);
}

/* Periodic ping; re-arms itself; the owner frees it at unload. */
static void keepalive_cb(pa_mainloop_api *a, pa_time_event *e, const struct timeval *tv, void *userdata) {
    struct timeval next = deadline_in(5 * USEC_PER_SEC);
    (void) tv; (void) userdata;
    a->time_restart(e, &next);
}

static void flush_cb(pa_mainloop_api *a, pa_defer_event *e, void *userdata) { (void) userdata; a->defer_enable(e, 0); }

static void ctl_io_cb(pa_mainloop_api *a, pa_io_event *e, int fd, pa_io_event_flags_t events, void *userdata) {
    char buf[64];
    (void) a; (void) e; (void) userdata;
    if (events & PA_IO_EVENT_INPUT) (void) !read(fd, buf, sizeof(buf));
}

static void release_event(pa_mainloop_api *a, pa_time_event *e) {
    a->time_free(e);
}

void schedule_announce(struct userdata *u) {
    pa_mainloop_api *api = u->core->mainloop;
    struct timeval tv = deadline_in(1 * USEC_PER_SEC);
    api->time_new(api, &tv, announce_cb, u);
}

void schedule_keepalive_probe(struct userdata *u) {
    struct timeval tv = deadline_in(5 * USEC_PER_SEC);
    u->core->mainloop->time_new(u->core->mainloop, &tv, keepalive_cb, u); /* expect: handle-discarded */
}

static void reset_idle_timer(struct userdata *u) {
    pa_mainloop_api *api = u->core->mainloop;
    struct timeval tv = deadline_in((uint64_t) u->idle_sec * USEC_PER_SEC);
    if (u->idle_event) {
        api->time_free(u->idle_event);
        u->idle_event = NULL;
    }
    u->idle_event = api->time_new(api, &tv, idle_cb, u);
    if (u->idle_event)
        api->time_restart(u->idle_event, &tv);
    u->suspended = 0;
}

int start_control_channel(struct userdata *u, int fd) {
    struct timeval tv = deadline_in(2 * USEC_PER_SEC);
    pa_time_event *handshake = u->core->mainloop->time_new(u->core->mainloop, &tv, keepalive_cb, u); /* expect: missing-stop */
    if (!handshake)
        return -1;
    u->ctl_io = u->core->mainloop->io_new(u->core->mainloop, fd, PA_IO_EVENT_INPUT, ctl_io_cb, u);
    if (!u->ctl_io)
        return -1;
    u->keepalive_event = handshake;
    u->ctl_fd = fd;
    return 0;
}

int setup_flush(struct userdata *u) {
    pa_mainloop_api *api = u->core->mainloop;
    struct timeval tv = deadline_in(500 * 1000);
    pa_time_event *guard = api->time_new(api, &tv, idle_cb, u);
    if (!guard)
        return -1;
    u->flush_event = api->defer_new(api, flush_cb, u);
    if (!u->flush_event)
        goto fail;
    u->idle_event = guard;
    return 0;
fail:
    api->time_free(guard);
    return -1;
}

void finish_drain(struct userdata *u, int force) {
    pa_mainloop_api *api = u->core->mainloop;
    pa_time_event *drain;
    struct timeval tv = deadline_in(200 * 1000);
    drain = api->time_new(api, &tv, idle_cb, u);
    if (!drain)
        return;
    if (force) {
        api->time_free(drain);
        u->suspended = 1;
    }
    /* push the deadline back while sinks are still playing */
    if (u->core->n_sinks > 0) {
        tv = deadline_in(100 * 1000);
        api->time_restart(drain, &tv); /* expect: use-after-release */
    }
    if (!force)
        u->idle_event = drain;
}

int probe_sink_latency(struct userdata *u, int fd) {
    pa_mainloop_api *api = u->core->mainloop;
    pa_time_event *timeout;
    uint32_t latency = 0;
    ssize_t n;
    struct timeval tv = deadline_in(300 * 1000);
    timeout = api->time_new(api, &tv, idle_cb, u); /* expect: disarmed-not-released */
    if (!timeout)
        return -1;
    n = read(fd, &latency, sizeof(latency));
    api->time_restart(timeout, NULL);
    if (n != (ssize_t) sizeof(latency))
        return -1;
    return (int) latency;
}

int measure_roundtrip(struct userdata *u) {
    pa_mainloop_api *api = u->core->mainloop;
    char c = 0;
    struct timeval tv = deadline_in(1 * USEC_PER_SEC);
    pa_time_event *e = api->time_new(api, &tv, idle_cb, u);
    if (!e)
        return -1;
    if (u->ctl_fd < 0 || write(u->ctl_fd, &c, 1) != 1) {
        release_event(api, e);
        return -1;
    }
    /* reply seen: cancel the deadline, then drop it */
    api->time_restart(e, NULL);
    release_event(api, e);
    return 0;
}

void run_self_test(struct userdata *u, int with_watchdog) {
    pa_mainloop_api *api = u->core->mainloop;
    pa_time_event *wd = NULL;
    if (with_watchdog) {
        struct timeval tv = deadline_in(3 * USEC_PER_SEC);
        wd = api->time_new(api, &tv, idle_cb, u);
        if (!wd)
            return;
    }
    u->suspended = 0;
    reset_idle_timer(u);
    if (with_watchdog)
        api->time_free(wd);
}

void schedule_sink_checks(struct userdata *u) {
    pa_mainloop_api *api = u->core->mainloop;
    unsigned i;
    for (i = 0; i < u->core->n_sinks && i < MAX_SINKS; i++) {
        struct timeval tv = deadline_in((uint64_t) (i + 1) * USEC_PER_SEC);
        u->sink_check[i] = api->time_new(api, &tv, idle_cb, u);
    }
}

void rescan_sinks(struct userdata *u) {
    pa_mainloop_api *api = u->core->mainloop;
    unsigned i;
    for (i = 0; i < u->core->n_sinks; i++) {
        struct timeval tv = deadline_in(250 * 1000);
        pa_time_event *check = api->time_new(api, &tv, idle_cb, u); /* expect: created-in-loop */
        if (!check)
            continue;
        api->time_restart(check, &tv);
    }
}

void module_done(struct userdata *u) {
    pa_mainloop_api *api = u->core->mainloop;
    unsigned i;
    for (i = 0; i < MAX_SINKS; i++)
        if (u->sink_check[i]) api->time_free(u->sink_check[i]);
    if (u->idle_event) api->time_free(u->idle_event);
    if (u->keepalive_event) api->time_free(u->keepalive_event);
    if (u->flush_event) api->defer_free(u->flush_event);
    if (u->ctl_io) api->io_free(u->ctl_io);
    free(u);
}

