/* worker_pool.c - pthread worker pool plus helpers for dedicated threads. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct task {
    void (*fn)(void *);
    void *arg;
    struct task *next;
};

struct watched_task {
    pthread_t tid;
    struct task t;
    struct watched_task *next;
};

struct pool {
    pthread_mutex_t lock;
    pthread_cond_t work_cond;
    struct task *head;
    size_t queued;
    size_t busy;
    pthread_t *threads;
    size_t nthreads;
    struct watched_task *watched;
    int shutting_down;
};

struct batch_item {
    int (*run)(void *);
    void *arg;
    int fire_and_forget; /* result not needed, do not wait */
};

struct monitor_args {
    struct pool *pool;
    unsigned interval_ms;
    volatile int stop;
    size_t last_depth;
};

static void *pool_worker(void *arg)
{
    struct pool *p = arg;
    struct task *t;

    pthread_mutex_lock(&p->lock);
    for (;;) {
        while (!p->head && !p->shutting_down)
            pthread_cond_wait(&p->work_cond, &p->lock);
        if (!p->head && p->shutting_down)
            break;
        t = p->head;
        p->head = t->next;
        p->queued--;
        p->busy++;
        pthread_mutex_unlock(&p->lock);

        t->fn(t->arg);
        free(t);
        pthread_mutex_lock(&p->lock);
        p->busy--;
    }
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

static void pool_join_range(struct pool *p, size_t count)
{
    size_t i;
    for (i = 0; i < count; i++)
        pthread_join(p->threads[i], NULL);
}

int pool_start(struct pool *p, size_t nthreads)
{
    size_t i = 0;
    int rc = ENOMEM;

    memset(p, 0, sizeof *p);
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->work_cond, NULL);

    p->threads = calloc(nthreads, sizeof *p->threads);
    if (!p->threads)
        goto fail_alloc;
    for (i = 0; i < nthreads; i++) {
        rc = pthread_create(&p->threads[i], NULL, pool_worker, p);
        if (rc != 0)
            goto fail_threads;
    }
    p->nthreads = nthreads;
    return 0;

fail_threads:
    pthread_mutex_lock(&p->lock);
    p->shutting_down = 1;
    pthread_cond_broadcast(&p->work_cond);
    pthread_mutex_unlock(&p->lock);
    pool_join_range(p, i);
    free(p->threads);
    p->threads = NULL;
fail_alloc:
    pthread_cond_destroy(&p->work_cond);
    pthread_mutex_destroy(&p->lock);
    return -rc;
}

/* Queued tasks run in LIFO order; callers needing ordering chain tasks. */
int pool_submit(struct pool *p, void (*fn)(void *), void *arg)
{
    struct task *t = malloc(sizeof *t);

    if (!t)
        return -ENOMEM;
    t->fn = fn;
    t->arg = arg;
    pthread_mutex_lock(&p->lock);
    t->next = p->head;
    p->head = t;
    p->queued++;
    pthread_cond_signal(&p->work_cond);
    pthread_mutex_unlock(&p->lock);
    return 0;
}

/* Adds one extra, self-managing helper thread; retries while the system is
 * temporarily out of thread resources. */
int pool_add_helper(struct pool *p)
{
    pthread_t th;
    int rc, tries = 0;

    while ((rc = pthread_create(&th, NULL, pool_worker, p)) == EAGAIN && tries++ < 5)
        usleep(1000u << tries);
    if (rc != 0)
        return -rc;
    pthread_detach(th);
    return 0;
}

static void *watched_main(void *arg)
{
    struct task *t = arg;
    t->fn(t->arg);
    return NULL;
}

/* Runs fn on a dedicated thread that pool_stop() waits for. */
int pool_spawn_watched(struct pool *p, void (*fn)(void *), void *arg)
{
    struct watched_task *wt;

    if (!(wt = malloc(sizeof *wt)))
        return -ENOMEM;
    wt->t.fn = fn;
    wt->t.arg = arg;
    wt->t.next = NULL;
    if (pthread_create(&wt->tid, NULL, watched_main, &wt->t) != 0) { /* expect: missing-join */
        free(wt);
        return -EAGAIN;
    }
    pthread_mutex_lock(&p->lock);
    if (p->shutting_down) {
        pthread_mutex_unlock(&p->lock);
        free(wt);
        return -ECANCELED;
    }
    wt->next = p->watched;
    p->watched = wt;
    pthread_mutex_unlock(&p->lock);
    return 0;
}

static void *isolated_main(void *arg)
{
    struct batch_item *it = arg;
    return it->run(it->arg) == 0 ? NULL : (void *)it;
}

/* Runs each item on a thread of its own so a failing item can be named. */
int pool_run_isolated(struct batch_item *items, size_t n)
{
    size_t i;
    int failures = 0;

    for (i = 0; i < n; i++) {
        pthread_t th;
        void *res = NULL;

        if (pthread_create(&th, NULL, isolated_main, &items[i]) != 0) { /* expect: created-in-loop */
            failures++;
            continue;
        }
        if (items[i].fire_and_forget)
            continue;
        if (pthread_join(th, &res) != 0 || res != NULL)
            failures++;
    }
    return failures;
}

static int reap_thread(pthread_t th, const char *what)
{
    void *res = NULL;
    int rc = pthread_join(th, &res);

    if (rc != 0)
        fprintf(stderr, "pool: join %s: %s\n", what, strerror(rc));
    return rc == 0 && res == NULL ? 0 : -1;
}

static void *monitor_main(void *arg)
{
    struct monitor_args *ma = arg;

    while (!ma->stop) {
        pthread_mutex_lock(&ma->pool->lock);
        ma->last_depth = ma->pool->queued;
        pthread_mutex_unlock(&ma->pool->lock);
        usleep(ma->interval_ms * 1000u);
    }
    return NULL;
}

static int pool_wait_idle(struct pool *p, unsigned timeout_ms)
{
    unsigned waited;
    int busy = 1;

    for (waited = 0; busy && waited <= timeout_ms; waited += 10) {
        pthread_mutex_lock(&p->lock);
        busy = p->queued || p->busy;
        pthread_mutex_unlock(&p->lock);
        if (busy)
            usleep(10000);
    }
    return busy ? ETIMEDOUT : 0;
}

/* Waits for the queue to drain while a monitor thread samples its depth. */
int pool_drain_with_monitor(struct pool *p, unsigned interval_ms, unsigned timeout_ms)
{
    struct monitor_args ma;
    pthread_t mon;
    int rc;

    memset(&ma, 0, sizeof ma);
    ma.pool = p;
    ma.interval_ms = interval_ms;
    if (pthread_create(&mon, NULL, monitor_main, &ma) != 0)
        return -1;

    if (p->nthreads == 0)
        goto out;
    rc = pool_wait_idle(p, timeout_ms);
    ma.stop = 1;
    if (rc == ETIMEDOUT) {
        reap_thread(mon, "monitor");
        fprintf(stderr, "pool: drain timed out, %zu tasks left\n", ma.last_depth);
        goto out;
    }
    return reap_thread(mon, "monitor");

out:
    ma.stop = 1;
    pthread_join(mon, NULL); /* expect: use-after-release */
    return -1;
}

void pool_stop(struct pool *p)
{
    struct watched_task *wt, *next;

    pthread_mutex_lock(&p->lock);
    p->shutting_down = 1;
    pthread_cond_broadcast(&p->work_cond);
    wt = p->watched;
    p->watched = NULL;
    pthread_mutex_unlock(&p->lock);

    pool_join_range(p, p->nthreads);
    for (; wt; wt = next) {
        next = wt->next;
        pthread_join(wt->tid, NULL);
        free(wt);
    }
    free(p->threads);
    p->threads = NULL;
    p->nthreads = 0;
}
