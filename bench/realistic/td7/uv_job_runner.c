// scan: --link
/* runnerd: schedules delayed jobs, pings connected agents, reconnects to
 * storage backends with back-off and flushes metrics sinks, on one libuv
 * loop.  Every timer is a uv_timer_t embedded in the object it serves. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#define PING_MS          5000
#define RECONNECT_MS     1000
#define FLUSH_MS         10000

struct buf_pool;
struct endpoint;
struct metrics_registry;

/* pool.c, endpoint.c, metrics.c, log.c */
extern void buf_pool_release(struct buf_pool *pool);
extern void log_str(const char *s);
extern int agent_send_ping(const char *addr);
extern int endpoint_connect(struct endpoint *ep);
extern void endpoint_release(struct endpoint *ep);
extern void metrics_write(struct metrics_registry *reg, const char *path);
extern void metrics_unregister(struct metrics_registry *reg, void *sink);

struct agent {
    uv_timer_t ping;
    struct buf_pool *pool;
    char *addr;
    unsigned misses;
};

struct job {
    uv_timer_t timer;
    char *name;
    void (*run)(const char *name);
};

struct backend;
struct backend_ops {
    const char *kind;
    void (*connect)(struct backend *b);
    void (*destroy)(struct backend *b);
};

struct backend {
    const struct backend_ops *ops;
    uv_timer_t reconnect;
    struct endpoint *ep;
    char *host;
    unsigned attempts;
};

struct metrics_sink {
    uv_timer_t flush;
    char *path;
    struct metrics_registry *reg;
};

/* ---- agents --------------------------------------------------------- */

static void agent_ping_cb(uv_timer_t *t)
{
    struct agent *a = t->data;

    if (agent_send_ping(a->addr) < 0)
        a->misses++;
}

struct agent *agent_connect(uv_loop_t *loop, const char *addr,
                            struct buf_pool *pool)
{
    struct agent *a = calloc(1, sizeof(*a));

    if (!a)
        return NULL;
    a->addr = strdup(addr);
    a->pool = pool;
    uv_timer_init(loop, &a->ping);
    a->ping.data = a;
    uv_timer_start(&a->ping, agent_ping_cb, PING_MS, PING_MS); /* expect: field-never-stopped */
    return a;
}

/* The agent switched to push mode and reports on its own. */
void agent_quiesce(struct agent *a)
{
    uv_timer_stop(&a->ping);
    uv_close((uv_handle_t *)&a->ping, NULL);
}

void agent_destroy(struct agent *a)
{
    buf_pool_release(a->pool);
    log_str(a->addr);
    free(a->addr);
    free(a);
}

/* ---- delayed jobs --------------------------------------------------- */

static void job_free(struct job *j)
{
    free(j->name);
    free(j);
}

static void job_on_closed(uv_handle_t *h)
{
    struct job *j = h->data;

    free(j->name);
    free(j);
}

static void job_fire(uv_timer_t *t)
{
    struct job *j = t->data;

    j->run(j->name);
    uv_close((uv_handle_t *)&j->timer, job_on_closed);
}

struct job *job_schedule(uv_loop_t *loop, const char *name, uint64_t delay_ms,
                         void (*run)(const char *name))
{
    struct job *j = malloc(sizeof(*j));

    if (!j)
        return NULL;
    j->run = run;
    j->name = strdup(name);
    if (!j->name) {
        job_free(j);
        return NULL;
    }
    if (uv_timer_init(loop, &j->timer) != 0) {
        job_free(j);
        return NULL;
    }
    j->timer.data = j;
    uv_timer_start(&j->timer, job_fire, delay_ms, 0);
    return j;
}

void job_cancel(struct job *j)
{
    uv_timer_stop(&j->timer);
    uv_close((uv_handle_t *)&j->timer, job_on_closed);
}

/* ---- storage backends ----------------------------------------------- */

static void tcp_backend_connect(struct backend *b);

static void backend_reconnect_cb(uv_timer_t *t)
{
    struct backend *b = t->data;

    b->ops->connect(b);
}

static void tcp_backend_connect(struct backend *b)
{
    if (endpoint_connect(b->ep) == 0) {
        b->attempts = 0;
        return;
    }
    b->attempts++;
    uv_timer_start(&b->reconnect, backend_reconnect_cb, /* expect: field-never-stopped */
                   RECONNECT_MS * (b->attempts < 8 ? b->attempts : 8), 0);
}

static void tcp_backend_destroy(struct backend *b)
{
    endpoint_release(b->ep);
    free(b->host);
    free(b);
}

static const struct backend_ops tcp_backend_ops = {
    .kind = "tcp",
    .connect = tcp_backend_connect,
    .destroy = tcp_backend_destroy,
};

struct backend *backend_open(uv_loop_t *loop, const char *host,
                             struct endpoint *ep)
{
    struct backend *b = calloc(1, sizeof(*b));

    if (!b)
        return NULL;
    b->ops = &tcp_backend_ops;
    b->host = strdup(host);
    b->ep = ep;
    uv_timer_init(loop, &b->reconnect);
    b->reconnect.data = b;
    b->ops->connect(b);
    return b;
}

/* Backend marked read-only by the operator: no further reconnects. */
void backend_park(struct backend *b)
{
    uv_close((uv_handle_t *)&b->reconnect, NULL);
}

/* ---- metrics sinks -------------------------------------------------- */

static void sink_flush_cb(uv_timer_t *t)
{
    struct metrics_sink *s = t->data;

    metrics_write(s->reg, s->path);
}

struct metrics_sink *sink_open(uv_loop_t *loop, struct metrics_registry *reg,
                               const char *path)
{
    struct metrics_sink *s = calloc(1, sizeof(*s));

    if (!s)
        return NULL;
    s->reg = reg;
    s->path = strdup(path);
    uv_timer_init(loop, &s->flush);
    s->flush.data = s;
    uv_timer_start(&s->flush, sink_flush_cb, FLUSH_MS, FLUSH_MS);
    return s;
}

void sink_suspend(struct metrics_sink *s)
{
    uv_close((uv_handle_t *)&s->flush, NULL);
}

void sink_destroy(struct metrics_sink *s)
{
    metrics_unregister(s->reg, s);
    free(s->path);
    free(s);
}
