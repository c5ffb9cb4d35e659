// scan: --link
/* Threads kept in records reached through an array of pointers
 * (`pool.workers[i]->thread`), as benchmark tools and thread pools keep
 * them. A join through an element names the field of every element: it
 * is a join of that field for the link phase (which object, the per-path
 * analysis cannot say). A thread its starter joins before returning never
 * outlives that call: a later free elsewhere cannot race it. A join in
 * another function than the start, with a teardown that frees without
 * joining, is still a free under a running thread. */
#include <pthread.h>
#include <stdlib.h>

struct bench_worker {
    pthread_t thread;
    int index;
    long done;
};

struct flusher {
    pthread_t thread;
    int stop;
    char *buf;
};

static struct {
    struct bench_worker **workers;
    int nworkers;
    struct flusher **flushers;
    int nflushers;
} pool;

static void *bench_run(void *arg)
{
    struct bench_worker *w = arg;

    w->done++;
    return NULL;
}

static void *flush_run(void *arg)
{
    struct flusher *f = arg;

    while (!f->stop)
        f->buf[0] = 0;
    return NULL;
}

/* every thread it starts is joined before it returns */
static void run_workers(void)
{
    int i;

    for (i = 0; i < pool.nworkers; i++) {
        struct bench_worker *w = pool.workers[i];
        if (pthread_create(&w->thread, NULL, bench_run, w))
            exit(1);
    }
    for (i = 0; i < pool.nworkers; i++)
        pthread_join(pool.workers[i]->thread, NULL);
}

static void free_worker(struct bench_worker *w)
{
    free(w);
}

/* good: run_workers() joined them all */
static void free_workers(void)
{
    for (int i = 0; i < pool.nworkers; i++) {
        struct bench_worker *w = pool.workers[i];
        if (w)
            free_worker(w);
    }
    free(pool.workers);
}

void bench_main(void)
{
    run_workers();
    free_workers();
}

int start_flushers(void)
{
    for (int i = 0; i < pool.nflushers; i++) {
        struct flusher *f = pool.flushers[i];
        if (pthread_create(&f->thread, NULL, flush_run, f))
            return -1;
    }
    return 0;
}

void stop_flushers(void)
{
    for (int i = 0; i < pool.nflushers; i++) {
        pool.flushers[i]->stop = 1;
        pthread_join(pool.flushers[i]->thread, NULL);
    }
}

/* good: two elements are two threads, each joined once (no event per path:
 * one slot for every element would make the second join a double one) */
void join_first_two(void)
{
    pthread_join(pool.flushers[0]->thread, NULL);
    pthread_join(pool.flushers[1]->thread, NULL);
}

/* good: joins each element before freeing it */
void destroy_flushers(void)
{
    for (int i = 0; i < pool.nflushers; i++) {
        struct flusher *f = pool.flushers[i];
        pool.flushers[i]->stop = 1;
        pthread_join(pool.flushers[i]->thread, NULL);
        free(f->buf);
        free(f);
    }
}

/* bad: asks them to stop, never waits, frees what they use */
void free_flushers(void)
{
    for (int i = 0; i < pool.nflushers; i++) {
        struct flusher *f = pool.flushers[i];
        f->stop = 1;
        free(f->buf);
        free(f); /* expect: stop-too-late */
    }
}
