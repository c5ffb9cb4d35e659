// scan: --link
/* stop-too-late across functions (#19 item 5): a thread kept in a struct
 * field gets the object as its data; a teardown that frees the object
 * after only asking the thread to stop (pthread_cancel, a stop flag),
 * without joining it, frees memory the thread may still be using.
 * Reported at the free, with where the thread was started. A join or a
 * detach of the field in the teardown (or in a static helper it calls)
 * is fine; so is a teardown that hands the object to code that may join. */
#include <pthread.h>
#include <stdlib.h>

struct worker {
    pthread_t th;
    int stop;
    char *buf;
};

extern void pool_release(struct worker *w);

static void *worker_run(void *arg)
{
    struct worker *w = arg;

    while (!w->stop)
        w->buf[0]++;
    return NULL;
}

int worker_start(struct worker *w)
{
    return pthread_create(&w->th, NULL, worker_run, w);
}

/* bad: cancelled, never joined, then freed */
void worker_free(struct worker *w)
{
    pthread_cancel(w->th);
    free(w->buf);
    free(w); /* expect: stop-too-late */
}

/* good: joined before the free */
void worker_free_joined(struct worker *w)
{
    w->stop = 1;
    pthread_join(w->th, NULL);
    free(w->buf);
    free(w);
}

static void worker_stop(struct worker *w)
{
    w->stop = 1;
    pthread_join(w->th, NULL);
}

/* good: a static helper joins it */
void worker_destroy(struct worker *w)
{
    worker_stop(w);
    free(w->buf);
    free(w);
}

/* bad: a stop flag is a request, not a wait */
void worker_release(struct worker *w)
{
    w->stop = 1;
    free(w->buf);
    free(w); /* expect: stop-too-late */
}

/* good: the pool (no body here) may join it */
void worker_retire(struct worker *w)
{
    w->stop = 1;
    pool_release(w);
    free(w);
}
