/* Upstream proxy: request deadlines, cache expiry, keepalive pings and upload
 * progress ticks on a libuv loop.
 * Expectation note: a uv timer whose memory is released with free() from its own
 * callback, without uv_close(), is expected as missing-stop at its uv_timer_init():
 * the handle is never closed, so the loop still links it in its handle queue after
 * the memory is gone (no rule of the table names "freed while registered"). */
#include <uv.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define container_of(ptr, type, member) \
    ((type *)((char *)(ptr) - offsetof(type, member)))

struct cache_entry { uv_timer_t expiry; char *key, *value; };

struct upstream_req { uv_timer_t deadline; unsigned id; char *path; };

struct pinger { uv_timer_t timer; unsigned sent, limit; };

struct retry_ctx {
    uv_timer_t timer;
    int attempts;
    int (*attempt)(void *arg);
    void *arg;
};

struct session {
    uv_loop_t *loop;
    uv_timer_t keepalive;
    int fd;
    int idle_ticks;
    int closing;
};

struct upload { uv_timer_t progress; char *name; size_t done, total; };

struct flush_job { char target[64]; size_t bytes; };

static unsigned long expired_entries;

static void release_timer(uv_handle_t *h)
{
    free(h);
}

/* ---- linger deadline ---- */

static void on_linger_expired(uv_timer_t *h)
{
    fprintf(stderr, "linger period over\n");
    free(h);
}

int arm_linger(uv_loop_t *loop, uint64_t ms)
{
    uv_timer_t *t = malloc(sizeof *t);
    if (t == NULL)
        return UV_ENOMEM;
    uv_timer_init(loop, t); /* expect: missing-stop */
    return uv_timer_start(t, on_linger_expired, ms, 0);
}

/* ---- cache expiry ---- */

static void cache_entry_destroy(struct cache_entry *e)
{
    free(e->key);
    free(e->value);
    free(e);
}

static void on_entry_expired(uv_timer_t *h)
{
    struct cache_entry *e = container_of(h, struct cache_entry, expiry);
    expired_entries++;
    cache_entry_destroy(e);
}

int cache_insert(uv_loop_t *loop, const char *key, const char *value, uint64_t ttl)
{
    struct cache_entry *e = calloc(1, sizeof *e);
    if (e == NULL)
        return UV_ENOMEM;
    e->key = strdup(key);
    e->value = strdup(value);
    if (e->key == NULL || e->value == NULL) {
        cache_entry_destroy(e);
        return UV_ENOMEM;
    }
    uv_timer_init(loop, &e->expiry); /* expect: missing-stop */
    return uv_timer_start(&e->expiry, on_entry_expired, ttl, 0);
}

/* ---- upstream request deadline ---- */

static void on_request_deadline(uv_timer_t *h)
{
    struct upstream_req *r = h->data;
    fprintf(stderr, "request %u (%s) timed out\n", r->id, r->path);
    free(r->path);
    free(h->data);
}

int upstream_send(uv_loop_t *loop, unsigned id, const char *path, uint64_t timeout)
{
    struct upstream_req *r = calloc(1, sizeof *r);
    if (r == NULL || (r->path = strdup(path)) == NULL) {
        free(r);
        return UV_ENOMEM;
    }
    r->id = id;
    uv_timer_init(loop, &r->deadline); /* expect: missing-stop */
    r->deadline.data = r;
    return uv_timer_start(&r->deadline, on_request_deadline, timeout, 0);
}

/* ---- keepalive pinger ---- */

static void on_ping(uv_timer_t *h)
{
    struct pinger *p = container_of(h, struct pinger, timer);
    if (++p->sent < p->limit)
        return;
    uv_timer_stop(h);
    free(p);
}

int start_pinger(uv_loop_t *loop, unsigned interval, unsigned limit)
{
    struct pinger *p = calloc(1, sizeof *p);
    if (p == NULL)
        return UV_ENOMEM;
    p->limit = limit;
    uv_timer_init(loop, &p->timer); /* expect: missing-stop */
    return uv_timer_start(&p->timer, on_ping, interval, interval);
}

/* ---- retries with backoff ---- */

static void on_retry_closed(uv_handle_t *h)
{
    free(container_of(h, struct retry_ctx, timer));
}

static void on_retry(uv_timer_t *h)
{
    struct retry_ctx *ctx = container_of(h, struct retry_ctx, timer);
    if (ctx->attempt(ctx->arg) == 0) {
        uv_close((uv_handle_t *)h, on_retry_closed);
        return;
    }
    if (++ctx->attempts < 5) {
        uv_timer_start(h, on_retry, 50u << ctx->attempts, 0);
        return;
    }
    fprintf(stderr, "giving up after %d attempts\n", ctx->attempts);
    free(ctx);
}

int retry_later(uv_loop_t *loop, int (*attempt)(void *), void *arg)
{
    struct retry_ctx *ctx = calloc(1, sizeof *ctx);
    if (ctx == NULL)
        return UV_ENOMEM;
    ctx->attempt = attempt;
    ctx->arg = arg;
    uv_timer_init(loop, &ctx->timer); /* expect: missing-stop */
    return uv_timer_start(&ctx->timer, on_retry, 50, 0);
}

/* ---- deferred flush jobs ---- */

static void on_flush_due(uv_timer_t *h)
{
    struct flush_job *job = h->data;
    printf("flushing %zu bytes to %s\n", job->bytes, job->target);
    free(job);
    h->data = NULL;
    uv_close((uv_handle_t *)h, release_timer);
}

int schedule_flush(uv_loop_t *loop, const char *target, size_t bytes, uint64_t ms)
{
    struct flush_job *job = calloc(1, sizeof *job);
    uv_timer_t *t;
    if (job == NULL)
        return UV_ENOMEM;
    t = malloc(sizeof *t);
    if (t == NULL) {
        free(job);
        return UV_ENOMEM;
    }
    snprintf(job->target, sizeof job->target, "%s", target);
    job->bytes = bytes;
    uv_timer_init(loop, t);
    t->data = job;
    if (uv_timer_start(t, on_flush_due, ms, 0) != 0) {
        free(job);
        uv_close((uv_handle_t *)t, release_timer);
        return UV_EINVAL;
    }
    return 0;
}

/* ---- session keepalive ---- */

static void on_keepalive(uv_timer_t *h)
{
    struct session *s = container_of(h, struct session, keepalive);
    if (++s->idle_ticks >= 3) {
        uv_timer_stop(h);
        s->closing = 1;
    }
}

static void on_session_closed(uv_handle_t *h)
{
    struct session *s = container_of(h, struct session, keepalive);
    free(s);
}

struct session *session_open(uv_loop_t *loop, int fd)
{
    struct session *s = calloc(1, sizeof *s);
    if (s == NULL)
        return NULL;
    s->loop = loop;
    s->fd = fd;
    uv_timer_init(loop, &s->keepalive);
    uv_timer_start(&s->keepalive, on_keepalive, 10000, 10000);
    return s;
}

void session_close(struct session *s)
{
    uv_timer_stop(&s->keepalive);
    uv_close((uv_handle_t *)&s->keepalive, on_session_closed);
}

/* ---- upload progress ---- */

static void on_upload_closed(uv_handle_t *h)
{
    struct upload *u = h->data;
    free(u->name);
    free(u);
}

static void on_upload_tick(uv_timer_t *h)
{
    struct upload *u = h->data;
    printf("%s: %zu/%zu\n", u->name, u->done, u->total);
    if (u->done >= u->total)
        uv_close((uv_handle_t *)h, on_upload_closed);
}

struct upload *upload_track(uv_loop_t *loop, const char *name, size_t total)
{
    struct upload *u = calloc(1, sizeof *u);
    if (u == NULL || (u->name = strdup(name)) == NULL) {
        free(u);
        return NULL;
    }
    u->total = total;
    uv_timer_init(loop, &u->progress);
    u->progress.data = u;
    uv_timer_start(&u->progress, on_upload_tick, 500, 500);
    return u;
}

void upload_advance(struct upload *u, size_t n)
{
    u->done = u->done + n > u->total ? u->total : u->done + n;
}

/* ---- synchronous settle delay ---- */

static void on_settled(uv_timer_t *h)
{
    *(int *)h->data = 1;
}

int wait_for_settle(uv_loop_t *loop, uint64_t ms)
{
    uv_timer_t t;
    int settled = 0;
    uv_timer_init(loop, &t);
    t.data = &settled;
    uv_timer_start(&t, on_settled, ms, 0);
    uv_run(loop, UV_RUN_DEFAULT);
    uv_close((uv_handle_t *)&t, NULL);
    uv_run(loop, UV_RUN_NOWAIT);
    return settled ? 0 : -1;
}
