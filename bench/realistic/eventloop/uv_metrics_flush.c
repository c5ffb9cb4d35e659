/*
 * statsagent.c - aggregates "name:value|c" counters received over UDP and
 * forwards the sums upstream once per flush interval.
 *
 * Counters are spread over NSHARDS shards; at every flush the shards are
 * sent one after the other, a few milliseconds apart, so that upstream
 * does not see one large burst.  A compaction pass drops idle counters.
 */
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#define NSHARDS               8
#define SHARD_SLOTS         256
#define FLUSH_INTERVAL_MS 10000
#define SHARD_STAGGER_MS     15
#define COMPACT_DELAY_MS    500
#define RESEND_INTERVAL_MS 1000
#define MAX_SEND_ATTEMPTS     5

#define container_of(ptr, type, member) \
    ((type *)((char *)(ptr) - offsetof(type, member)))

struct counter {
    char name[48];
    long long value;
    unsigned idle_flushes;
};

struct shard {
    struct agent *agent;
    unsigned index;
    struct counter slots[SHARD_SLOTS];
};

struct agent {
    uv_loop_t *loop;
    uv_udp_t sock;
    uv_timer_t flush_timer;
    struct sockaddr_in upstream;
    struct shard shards[NSHARDS];
    unsigned flush_ms;
    unsigned flushes;
};

struct shard_job {
    uv_timer_t timer;
    struct shard *shard;
};

struct pending_send {
    struct agent *agent;
    char *payload;
    size_t len;
    unsigned attempts;
};

static unsigned hash_name(const char *s, size_t n)
{
    unsigned h = 2166136261u;

    while (n-- > 0)
        h = (h ^ (unsigned char)*s++) * 16777619u;
    return h;
}

static int upstream_send(struct agent *a, const char *payload, size_t len)
{
    uv_buf_t buf = uv_buf_init((char *)payload, (unsigned int)len);
    int rc = uv_udp_try_send(&a->sock, &buf, 1, (const struct sockaddr *)&a->upstream);

    return rc < 0 ? rc : 0;
}

static void on_resend_tick(uv_timer_t *timer)
{
    struct pending_send *ps = timer->data;

    if (upstream_send(ps->agent, ps->payload, ps->len) == 0 ||
        ++ps->attempts >= MAX_SEND_ATTEMPTS) {
        free(ps->payload);
        free(ps);
        free(timer);
    }
}

static void schedule_resend(struct agent *a, char *payload, size_t len)
{
    struct pending_send *ps = malloc(sizeof(*ps));
    uv_timer_t *timer = malloc(sizeof(*timer));

    if (ps == NULL || timer == NULL) {
        free(ps);
        free(timer);
        free(payload);
        return;
    }
    ps->agent = a;
    ps->payload = payload;
    ps->len = len;
    ps->attempts = 0;
    uv_timer_init(a->loop, timer); /* expect: missing-stop */
    timer->data = ps;
    uv_timer_start(timer, on_resend_tick, RESEND_INTERVAL_MS, RESEND_INTERVAL_MS);
}

static void shard_flush(struct shard *s)
{
    char *out = malloc(SHARD_SLOTS * 72);
    size_t len = 0;
    unsigned i;

    if (out == NULL)
        return;
    for (i = 0; i < SHARD_SLOTS; i++) {
        struct counter *c = &s->slots[i];

        if (c->name[0] == '\0')
            continue;
        if (c->value == 0) {
            c->idle_flushes++;
            continue;
        }
        len += (size_t)snprintf(out + len, 72, "%s:%lld|c\n", c->name, c->value);
        c->value = 0;
        c->idle_flushes = 0;
    }
    if (len == 0 || upstream_send(s->agent, out, len) == 0)
        free(out);
    else
        schedule_resend(s->agent, out, len);
}

static void free_job_cb(uv_handle_t *handle)
{
    free(container_of(handle, struct shard_job, timer));
}

static void on_shard_flush(uv_timer_t *timer)
{
    struct shard_job *job = container_of(timer, struct shard_job, timer);

    shard_flush(job->shard);
    uv_close((uv_handle_t *)timer, free_job_cb);
}

static void schedule_shard_flushes(struct agent *a)
{
    unsigned i;

    for (i = 0; i < NSHARDS; i++) {
        struct shard_job *job = malloc(sizeof(*job));

        if (job == NULL) {
            shard_flush(&a->shards[i]);
            continue;
        }
        job->shard = &a->shards[i];
        uv_timer_init(a->loop, &job->timer);
        uv_timer_start(&job->timer, on_shard_flush, (uint64_t)i * SHARD_STAGGER_MS, 0);
    }
}

static void on_shard_compact(uv_timer_t *timer)
{
    struct shard *s = timer->data;
    unsigned i;

    for (i = 0; i < SHARD_SLOTS; i++)
        if (s->slots[i].idle_flushes >= 6)
            memset(&s->slots[i], 0, sizeof(s->slots[i]));
}

static void schedule_compactions(struct agent *a)
{
    unsigned i;

    for (i = 0; i < NSHARDS; i++) {
        uv_timer_t *timer = malloc(sizeof(*timer));

        if (timer == NULL)
            break;
        uv_timer_init(a->loop, timer); /* expect: created-in-loop */
        timer->data = &a->shards[i];
        uv_timer_start(timer, on_shard_compact, COMPACT_DELAY_MS + (uint64_t)i * SHARD_STAGGER_MS, 0);
    }
}

static void on_flush_tick(uv_timer_t *timer)
{
    struct agent *a = container_of(timer, struct agent, flush_timer);

    schedule_shard_flushes(a);
    if (++a->flushes % 30 == 0)
        schedule_compactions(a);
}

static void record(struct agent *a, const char *line, size_t n)
{
    const char *colon = memchr(line, ':', n);
    struct shard *s;
    unsigned h, i;
    size_t namelen;

    if (colon == NULL || (namelen = (size_t)(colon - line)) == 0 || namelen >= 48)
        return;
    h = hash_name(line, namelen);
    s = &a->shards[h % NSHARDS];
    for (i = 0; i < SHARD_SLOTS; i++) {
        struct counter *c = &s->slots[(h / NSHARDS + i) % SHARD_SLOTS];

        if (c->name[0] == '\0') {
            memcpy(c->name, line, namelen);
            c->name[namelen] = '\0';
        } else if (strncmp(c->name, line, namelen) != 0 || c->name[namelen] != '\0') {
            continue;
        }
        c->value += strtoll(colon + 1, NULL, 10);
        return;
    }
}

static void alloc_cb(uv_handle_t *handle, size_t suggested, uv_buf_t *buf)
{
    (void)handle;
    buf->base = malloc(suggested);
    buf->len = buf->base != NULL ? suggested : 0;
}

static void on_datagram(uv_udp_t *sock, ssize_t nread, const uv_buf_t *buf,
                        const struct sockaddr *from, unsigned flags)
{
    struct agent *a = container_of(sock, struct agent, sock);
    const char *p = buf->base, *end = buf->base + (nread > 0 ? nread : 0);

    (void)from;
    (void)flags;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));

        if (nl == NULL)
            nl = end;
        record(a, p, (size_t)(nl - p));
        p = nl + 1;
    }
    free(buf->base);
}

static void on_signal(uv_signal_t *sig, int signum)
{
    struct agent *a = sig->data;

    if (signum == SIGHUP) {
        a->flush_ms = a->flush_ms > 1000 ? a->flush_ms / 2 : FLUSH_INTERVAL_MS;
        uv_timer_set_repeat(&a->flush_timer, a->flush_ms);
        uv_timer_again(&a->flush_timer);
        return;
    }
    uv_stop(sig->loop);
}

int main(void)
{
    static struct agent a;
    struct sockaddr_in bind_addr;
    uv_signal_t sighup, sigint;
    unsigned i;

    a.loop = uv_default_loop();
    a.flush_ms = FLUSH_INTERVAL_MS;
    for (i = 0; i < NSHARDS; i++) {
        a.shards[i].agent = &a;
        a.shards[i].index = i;
    }
    uv_ip4_addr("127.0.0.1", 2003, &a.upstream);
    uv_ip4_addr("0.0.0.0", 8125, &bind_addr);
    uv_udp_init(a.loop, &a.sock);
    if (uv_udp_bind(&a.sock, (const struct sockaddr *)&bind_addr, 0) != 0 ||
        uv_udp_recv_start(&a.sock, alloc_cb, on_datagram) != 0) {
        fprintf(stderr, "statsagent: cannot listen on :8125\n");
        return 1;
    }
    uv_timer_init(a.loop, &a.flush_timer);
    uv_timer_start(&a.flush_timer, on_flush_tick, a.flush_ms, a.flush_ms);

    uv_signal_init(a.loop, &sighup);
    uv_signal_init(a.loop, &sigint);
    sighup.data = sigint.data = &a;
    uv_signal_start(&sighup, on_signal, SIGHUP);
    uv_signal_start(&sigint, on_signal, SIGINT);
    uv_run(a.loop, UV_RUN_DEFAULT);
    return 0;
}
