/*
 * dnscache.c - small asynchronous resolver cache on top of uv_getaddrinfo.
 *
 * Answers are kept for ttl_ms; every entry owns a one-shot expiry timer.
 * Each lookup in flight owns a deadline timer; whichever of the answer and
 * the deadline comes first reports to the caller.
 *
 * Built as a tool: dnswatch [-d SECONDS] HOST...  resolves each host once a
 * second through the cache and prints what changed.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <uv.h>

#define container_of(ptr, type, member) \
    ((type *)((char *)(ptr) - offsetof(type, member)))

typedef void (*dns_result_cb)(const char *host, const struct addrinfo *ai,
                              int status, void *arg);

struct dns_cache {
    uv_loop_t *loop;
    struct cache_entry *entries;
    unsigned ttl_ms;
    unsigned timeout_ms;
    int closing;
};

struct cache_entry {
    char *host;
    struct addrinfo *ai;
    uv_timer_t expiry;
    struct dns_cache *cache;
    struct cache_entry *next;
    unsigned hits;
};

struct lookup {
    uv_getaddrinfo_t req;
    uv_timer_t deadline;
    struct dns_cache *cache;
    char *host;
    dns_result_cb cb;
    void *arg;
    int finished;
    int refs;
};

static struct cache_entry *entry_find(struct dns_cache *cache, const char *host)
{
    struct cache_entry *e;

    for (e = cache->entries; e != NULL; e = e->next)
        if (strcmp(e->host, host) == 0)
            return e;
    return NULL;
}

static void entry_unlink(struct dns_cache *cache, struct cache_entry *e)
{
    struct cache_entry **pp;

    for (pp = &cache->entries; *pp != NULL; pp = &(*pp)->next) {
        if (*pp == e) {
            *pp = e->next;
            return;
        }
    }
}

static void on_entry_closed(uv_handle_t *handle)
{
    struct cache_entry *e = container_of(handle, struct cache_entry, expiry);

    if (e->ai != NULL)
        uv_freeaddrinfo(e->ai);
    free(e->host);
    free(e);
}

static void on_entry_expired(uv_timer_t *timer)
{
    struct cache_entry *e = container_of(timer, struct cache_entry, expiry);

    entry_unlink(e->cache, e);
    uv_close((uv_handle_t *)timer, on_entry_closed);
}

static void entry_update(struct dns_cache *cache, struct cache_entry *e,
                         struct addrinfo *ai, unsigned ttl_ms)
{
    if (ai == NULL) {
        entry_unlink(cache, e);
        uv_close((uv_handle_t *)&e->expiry, on_entry_closed);
    } else {
        uv_freeaddrinfo(e->ai);
        e->ai = ai;
    }
    e->hits = 0;
    uv_timer_start(&e->expiry, on_entry_expired, ttl_ms, 0); /* expect: use-after-release */
}

static const struct addrinfo *entry_store(struct dns_cache *cache, const char *host,
                                          struct addrinfo *ai)
{
    struct cache_entry *e = entry_find(cache, host);

    if (cache->closing) {
        if (ai != NULL)
            uv_freeaddrinfo(ai);
        return NULL;
    }
    if (e != NULL) {
        entry_update(cache, e, ai, cache->ttl_ms);
        return ai;
    }
    if (ai == NULL)
        return NULL;
    e = calloc(1, sizeof(*e));
    if (e == NULL || (e->host = strdup(host)) == NULL) {
        free(e);
        uv_freeaddrinfo(ai);
        return NULL;
    }
    e->ai = ai;
    e->cache = cache;
    uv_timer_init(cache->loop, &e->expiry);
    uv_timer_start(&e->expiry, on_entry_expired, cache->ttl_ms, 0);
    e->next = cache->entries;
    cache->entries = e;
    return ai;
}

static void lookup_unref(struct lookup *l)
{
    if (--l->refs > 0)
        return;
    free(l->host);
    free(l);
}

static void on_lookup_timer_closed(uv_handle_t *handle)
{
    lookup_unref(container_of(handle, struct lookup, deadline));
}

static void lookup_finish(struct lookup *l, const struct addrinfo *ai, int status)
{
    if (l->finished)
        return;
    l->finished = 1;
    l->cb(l->host, ai, status, l->arg);
}

static void on_lookup_deadline(uv_timer_t *timer)
{
    struct lookup *l = container_of(timer, struct lookup, deadline);

    lookup_finish(l, NULL, UV_ETIMEDOUT);
    uv_cancel((uv_req_t *)&l->req);
    uv_close((uv_handle_t *)timer, on_lookup_timer_closed);
}

static void on_resolved(uv_getaddrinfo_t *req, int status, struct addrinfo *ai)
{
    struct lookup *l = container_of(req, struct lookup, req);
    const struct addrinfo *kept = NULL;

    if (status != UV_EAI_CANCELED)
        kept = entry_store(l->cache, l->host, status == 0 ? ai : NULL);
    else if (ai != NULL)
        uv_freeaddrinfo(ai);
    lookup_finish(l, kept, status);
    if (!uv_is_closing((uv_handle_t *)&l->deadline))
        uv_close((uv_handle_t *)&l->deadline, on_lookup_timer_closed);
    lookup_unref(l);
}

int dns_cache_resolve(struct dns_cache *cache, const char *host,
                      dns_result_cb cb, void *arg)
{
    struct cache_entry *e = entry_find(cache, host);
    struct addrinfo hints;
    struct lookup *l;
    int rc;

    if (e != NULL) {
        e->hits++;
        cb(host, e->ai, 0, arg);
        return 0;
    }
    l = calloc(1, sizeof(*l));
    if (l == NULL || (l->host = strdup(host)) == NULL) {
        free(l);
        return UV_ENOMEM;
    }
    l->cache = cache;
    l->cb = cb;
    l->arg = arg;
    l->refs = 2;
    uv_timer_init(cache->loop, &l->deadline);

    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    rc = uv_getaddrinfo(cache->loop, &l->req, on_resolved, l->host, NULL, &hints);
    if (rc != 0) {
        l->refs = 1;
        uv_close((uv_handle_t *)&l->deadline, on_lookup_timer_closed);
        return rc;
    }
    uv_timer_start(&l->deadline, on_lookup_deadline, cache->timeout_ms, 0);
    return 0;
}

void dns_cache_shutdown(struct dns_cache *cache)
{
    struct cache_entry *e;

    cache->closing = 1;
    while ((e = cache->entries) != NULL) {
        cache->entries = e->next;
        uv_close((uv_handle_t *)&e->expiry, on_entry_closed);
    }
}

static void print_result(const char *host, const struct addrinfo *ai, int status, void *arg)
{
    char buf[64] = "-";

    (void)arg;
    if (ai != NULL && ai->ai_family == AF_INET)
        uv_ip4_name((const struct sockaddr_in *)ai->ai_addr, buf, sizeof(buf));
    else if (ai != NULL && ai->ai_family == AF_INET6)
        uv_ip6_name((const struct sockaddr_in6 *)ai->ai_addr, buf, sizeof(buf));
    printf("%-32s %-40s %s\n", host, buf, status == 0 ? "ok" : uv_strerror(status));
}

struct watch {
    struct dns_cache *cache;
    char **hosts;
    int nhosts;
};

static void on_tick(uv_timer_t *timer)
{
    struct watch *w = timer->data;
    int i;

    for (i = 0; i < w->nhosts; i++)
        dns_cache_resolve(w->cache, w->hosts[i], print_result, NULL);
}

static void on_quit(uv_timer_t *timer)
{
    uv_stop(timer->loop);
}

static void close_walk_cb(uv_handle_t *handle, void *arg)
{
    (void)arg;
    if (!uv_is_closing(handle))
        uv_close(handle, NULL);
}

int main(int argc, char **argv)
{
    uv_loop_t loop;
    struct dns_cache cache = { &loop, NULL, 30000, 2000, 0 };
    struct watch w;
    uv_timer_t tick, quit;
    unsigned seconds = 10;
    int opt;

    while ((opt = getopt(argc, argv, "d:")) != -1)
        if (opt == 'd')
            seconds = (unsigned)atoi(optarg);
    w.cache = &cache;
    w.hosts = argv + optind;
    w.nhosts = argc - optind;

    uv_loop_init(&loop);
    uv_timer_init(&loop, &tick);
    tick.data = &w;
    uv_timer_start(&tick, on_tick, 0, 1000);
    uv_timer_init(&loop, &quit);
    uv_timer_start(&quit, on_quit, seconds * 1000ull, 0);
    uv_run(&loop, UV_RUN_DEFAULT);

    dns_cache_shutdown(&cache);
    uv_walk(&loop, close_walk_cb, NULL);
    uv_run(&loop, UV_RUN_DEFAULT);
    return uv_loop_close(&loop) == 0 ? 0 : 1;
}
