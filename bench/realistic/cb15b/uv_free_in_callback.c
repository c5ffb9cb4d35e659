/* Health-check scheduler: one-shot probes, retries and idle connection reaping. */
#include <uv.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define container_of(ptr, type, member) \
    ((type *)((char *)(ptr) - offsetof(type, member)))

struct probe_req {
    uv_timer_t timer;
    char *host;
    int port;
};

struct backoff {
    uv_timer_t timer;
    unsigned attempts;
    unsigned max_attempts;
};

struct job {
    char name[32];
    int priority;
};

struct conn {
    uv_loop_t *loop;
    uv_timer_t idle_timer;
    int fd;
    int closing;
};

static int probes_sent;

static void on_flush_timeout(uv_timer_t *h)
{
    fprintf(stderr, "flush deadline hit\n");
    free(h);
}

int schedule_flush_deadline(uv_loop_t *loop, uint64_t ms)
{
    uv_timer_t *t = malloc(sizeof *t);
    if (t == NULL)
        return UV_ENOMEM;
    uv_timer_init(loop, t); /* expect: missing-stop */
    return uv_timer_start(t, on_flush_timeout, ms, 0);
}

static void on_probe_due(uv_timer_t *h)
{
    struct probe_req *req = container_of(h, struct probe_req, timer);
    printf("probing %s:%d\n", req->host, req->port);
    probes_sent++;
    free(req->host);
    free(req);
}

int schedule_probe(uv_loop_t *loop, const char *host, int port, uint64_t delay)
{
    struct probe_req *req = calloc(1, sizeof *req);
    if (req == NULL)
        return UV_ENOMEM;
    req->host = strdup(host);
    if (req->host == NULL) {
        free(req);
        return UV_ENOMEM;
    }
    req->port = port;
    uv_timer_init(loop, &req->timer); /* expect: missing-stop */
    return uv_timer_start(&req->timer, on_probe_due, delay, 0);
}

static void on_backoff_fire(uv_timer_t *h)
{
    struct backoff *b = h->data;
    if (++b->attempts >= b->max_attempts) {
        fprintf(stderr, "giving up after %u attempts\n", b->attempts);
        free(b);
        return;
    }
    uv_timer_start(h, on_backoff_fire, 100u << b->attempts, 0);
}

int start_backoff(uv_loop_t *loop, unsigned max_attempts)
{
    struct backoff *b = calloc(1, sizeof *b);
    if (b == NULL)
        return UV_ENOMEM;
    b->max_attempts = max_attempts;
    uv_timer_init(loop, &b->timer); /* expect: missing-stop */
    b->timer.data = b;
    return uv_timer_start(&b->timer, on_backoff_fire, 100, 0);
}

static void on_warmup_done(uv_timer_t *h)
{
    uv_timer_stop(h);
    free(h);
}

void schedule_warmup(uv_loop_t *loop)
{
    uv_timer_t *warm = malloc(sizeof(uv_timer_t));
    if (!warm)
        return;
    uv_timer_init(loop, warm); /* expect: missing-stop */
    uv_timer_start(warm, on_warmup_done, 250, 0);
}

static void free_handle_cb(uv_handle_t *h)
{
    free(h);
}

static void on_stats_dump(uv_timer_t *h)
{
    printf("probes sent: %d\n", probes_sent);
    uv_close((uv_handle_t *)h, free_handle_cb);
}

int schedule_stats_dump(uv_loop_t *loop, uint64_t ms)
{
    uv_timer_t *t = malloc(sizeof *t);
    if (t == NULL)
        return UV_ENOMEM;
    uv_timer_init(loop, t);
    return uv_timer_start(t, on_stats_dump, ms, 0);
}

static void on_recheck_closed(uv_handle_t *h)
{
    struct probe_req *req = container_of(h, struct probe_req, timer);
    free(req->host);
    free(req);
}

static void on_recheck_due(uv_timer_t *h)
{
    struct probe_req *req = container_of(h, struct probe_req, timer);
    printf("rechecking %s:%d\n", req->host, req->port);
    uv_close((uv_handle_t *)&req->timer, on_recheck_closed);
}

int schedule_recheck(uv_loop_t *loop, const char *host, int port)
{
    struct probe_req *req = calloc(1, sizeof *req);
    if (req == NULL || (req->host = strdup(host)) == NULL) {
        free(req);
        return UV_ENOMEM;
    }
    req->port = port;
    uv_timer_init(loop, &req->timer);
    return uv_timer_start(&req->timer, on_recheck_due, 5000, 0);
}

static void on_job_due(uv_timer_t *h)
{
    struct job *job = h->data;
    printf("running job %s (prio %d)\n", job->name, job->priority);
    free(job);
    h->data = NULL;
    uv_close((uv_handle_t *)h, free_handle_cb);
}

int defer_job(uv_loop_t *loop, const char *name, int priority, uint64_t ms)
{
    struct job *job = calloc(1, sizeof *job);
    uv_timer_t *t = malloc(sizeof *t);
    if (job == NULL || t == NULL) {
        free(job);
        free(t);
        return UV_ENOMEM;
    }
    snprintf(job->name, sizeof job->name, "%s", name);
    job->priority = priority;
    uv_timer_init(loop, t);
    t->data = job;
    return uv_timer_start(t, on_job_due, ms, 0);
}

static void on_conn_idle(uv_timer_t *h)
{
    struct conn *c = container_of(h, struct conn, idle_timer);
    uv_timer_stop(h);
    c->closing = 1;
}

static void on_conn_timer_closed(uv_handle_t *h)
{
    struct conn *c = container_of(h, struct conn, idle_timer);
    free(c);
}

struct conn *conn_open(uv_loop_t *loop, int fd)
{
    struct conn *c = calloc(1, sizeof *c);
    if (c == NULL)
        return NULL;
    c->loop = loop;
    c->fd = fd;
    uv_timer_init(loop, &c->idle_timer);
    uv_timer_start(&c->idle_timer, on_conn_idle, 30000, 0);
    return c;
}

void conn_teardown(struct conn *c)
{
    uv_timer_stop(&c->idle_timer);
    uv_close((uv_handle_t *)&c->idle_timer, on_conn_timer_closed);
}
