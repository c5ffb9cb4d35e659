/*
 * hc_sched.c - periodic health checks for upstream backends (libuv).
 *
 * Every backend owns a heap-allocated probe timer.  The memory of a probe
 * timer is given back from its close callback, as libuv requires: a handle
 * must stay valid until uv_close() has called back.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#define HC_MAX_FAILURES 3
#define HC_REPORT_MS    10000

struct backend_cfg {
    const char *name;
    unsigned    interval_ms;
};

struct hc_sched;

struct backend {
    char            *name;
    unsigned         interval_ms;
    unsigned         failures;
    unsigned long    probes;
    int              enabled;
    uv_timer_t      *probe_timer;
    struct hc_sched *owner;
    struct backend  *next;
};

struct hc_sched {
    uv_loop_t      *loop;
    struct backend *backends;
    uv_timer_t      report_timer;
    unsigned long   results;
};

static void on_timer_closed(uv_handle_t *handle)
{
    free(handle);
}

static void on_probe(uv_timer_t *timer)
{
    struct backend *be = timer->data;

    /* the request itself is sent by the transport layer; count it here */
    be->probes++;
}

static void on_report(uv_timer_t *timer)
{
    struct hc_sched *s = timer->data;
    struct backend *be;

    for (be = s->backends; be; be = be->next)
        fprintf(stderr, "hc: %s probes=%lu failures=%u%s\n", be->name,
                be->probes, be->failures, be->enabled ? "" : " (quarantined)");
}

static struct backend *hc_find(struct hc_sched *s, const char *name)
{
    struct backend *be;

    for (be = s->backends; be; be = be->next)
        if (strcmp(be->name, name) == 0)
            return be;
    return NULL;
}

static void hc_unlink(struct hc_sched *s, struct backend *be)
{
    struct backend **pp;

    for (pp = &s->backends; *pp; pp = &(*pp)->next) {
        if (*pp == be) {
            *pp = be->next;
            return;
        }
    }
}

/* Allocates and initialises a probe timer for be; the caller starts it. */
static uv_timer_t *probe_timer_new(uv_loop_t *loop, struct backend *be)
{
    uv_timer_t *t = malloc(sizeof *t);

    if (!t)
        return NULL;
    uv_timer_init(loop, t);
    t->data = be;
    return t;
}

/* Stops the probe timer and hands its memory to on_timer_closed. */
static void probe_timer_release(uv_timer_t *t)
{
    uv_timer_stop(t);
    uv_close((uv_handle_t *)t, on_timer_closed);
}

/* Closes the probe timer once the backend failed too often; returns 1 then. */
static int backend_retire_if_dead(struct backend *be)
{
    if (be->failures < HC_MAX_FAILURES)
        return 0;
    probe_timer_release(be->probe_timer);
    be->probe_timer = NULL;
    return 1;
}

/* Take a backend out of rotation and look at it again after holdoff_ms. */
static void backend_quarantine(struct backend *be, unsigned holdoff_ms)
{
    probe_timer_release(be->probe_timer);
    be->enabled = 0;
    be->failures = 0;
    uv_timer_start(be->probe_timer, on_probe, holdoff_ms, be->interval_ms); /* expect: use-after-release */
}

static void hc_clear(struct hc_sched *s)
{
    struct backend *be, *next;

    for (be = s->backends; be; be = next) {
        next = be->next;
        if (be->probe_timer)
            probe_timer_release(be->probe_timer);
        free(be->name);
        free(be);
    }
    s->backends = NULL;
}

int hc_init(struct hc_sched *s, uv_loop_t *loop)
{
    memset(s, 0, sizeof *s);
    s->loop = loop;
    uv_timer_init(loop, &s->report_timer);
    s->report_timer.data = s;
    return uv_timer_start(&s->report_timer, on_report, HC_REPORT_MS, HC_REPORT_MS);
}

int hc_add_backend(struct hc_sched *s, const char *name, unsigned interval_ms)
{
    struct backend *be;
    uv_timer_t *t;
    int rc = UV_ENOMEM;

    if (interval_ms == 0)
        return UV_EINVAL;
    be = calloc(1, sizeof *be);
    if (!be)
        return UV_ENOMEM;
    t = malloc(sizeof *t);
    if (!t) {
        free(be);
        return UV_ENOMEM;
    }
    be->owner = s;
    be->interval_ms = interval_ms;
    be->enabled = 1;
    uv_timer_init(s->loop, t); /* expect: missing-stop */
    t->data = be;
    uv_timer_start(t, on_probe, 0, interval_ms);

    be->name = strdup(name);
    if (!be->name)
        goto fail;
    if (hc_find(s, name)) {
        rc = UV_EEXIST;
        free(be->name);
        goto fail;
    }
    be->probe_timer = t;
    be->next = s->backends;
    s->backends = be;
    return 0;

fail:
    free(t);
    free(be);
    return rc;
}

int hc_load(struct hc_sched *s, const struct backend_cfg *cfg, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        struct backend *be;
        uv_timer_t *t;

        if (cfg[i].interval_ms == 0 || hc_find(s, cfg[i].name))
            continue;
        be = calloc(1, sizeof *be);
        t = malloc(sizeof *t);
        if (!be || !t) {
            free(be);
            free(t);
            goto fail;
        }
        be->owner = s;
        be->interval_ms = cfg[i].interval_ms;
        be->enabled = 1;
        uv_timer_init(s->loop, t); /* expect: missing-stop */
        t->data = be;
        /* stagger the first probes so the backends are not hit at once */
        uv_timer_start(t, on_probe, (uint64_t)i * 100, be->interval_ms);
        be->name = strdup(cfg[i].name);
        if (!be->name) {
            free(be);
            goto fail;
        }
        be->probe_timer = t;
        be->next = s->backends;
        s->backends = be;
    }
    return 0;

fail:
    hc_clear(s);
    return UV_ENOMEM;
}

int hc_set_interval(struct hc_sched *s, const char *name, unsigned interval_ms)
{
    struct backend *be = hc_find(s, name);

    if (!be || !be->probe_timer || interval_ms == 0)
        return UV_EINVAL;
    be->interval_ms = interval_ms;
    uv_timer_stop(be->probe_timer);
    return uv_timer_start(be->probe_timer, on_probe, interval_ms, interval_ms);
}

void hc_report_result(struct hc_sched *s, const char *name, int ok)
{
    struct backend *be = hc_find(s, name);

    if (!be || !be->probe_timer)
        return;
    s->results++;
    if (ok) {
        be->failures = 0;
        return;
    }
    be->failures++;
    if (backend_retire_if_dead(be)) {
        hc_unlink(s, be);
        free(be->name);
        free(be);
        return;
    }
    /* probe again sooner after a failure */
    uv_timer_start(be->probe_timer, on_probe, be->interval_ms / 2, be->interval_ms);
}

int hc_quarantine(struct hc_sched *s, const char *name, unsigned holdoff_ms)
{
    struct backend *be = hc_find(s, name);

    if (!be || !be->probe_timer)
        return UV_ENOENT;
    backend_quarantine(be, holdoff_ms);
    return 0;
}

/* After a configuration reload: start over with a new handle, first probe now. */
int hc_restart_backend(struct hc_sched *s, const char *name)
{
    struct backend *be = hc_find(s, name);

    if (!be || !be->probe_timer)
        return UV_ENOENT;
    probe_timer_release(be->probe_timer);
    be->probe_timer = probe_timer_new(s->loop, be);
    if (!be->probe_timer)
        return UV_ENOMEM;
    be->enabled = 1;
    be->failures = 0;
    return uv_timer_start(be->probe_timer, on_probe, 0, be->interval_ms);
}

void hc_shutdown(struct hc_sched *s)
{
    hc_clear(s);
    uv_timer_stop(&s->report_timer);
    uv_close((uv_handle_t *)&s->report_timer, NULL);
}
