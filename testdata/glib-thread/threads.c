// flags: -I/usr/include/glib-2.0 -I/usr/lib/x86_64-linux-gnu/glib-2.0/include -I/usr/lib/aarch64-linux-gnu/glib-2.0/include
/*
 * glib-thread: a GThread from g_thread_new()/g_thread_try_new() must be
 * joined (g_thread_join) or its reference dropped (g_thread_unref, the
 * detach). missing-join and handle-discarded are reported on the creating
 * line, use-after-release on the offending call.
 */
#include <glib.h>

typedef struct {
    GAsyncQueue *queue;
    int n_workers;
    gboolean abort_early;
    int done;
} Pool;

static gpointer worker(gpointer data)
{
    Pool *pool = data;

    g_async_queue_pop(pool->queue);
    return NULL;
}

extern gboolean pool_prepare(Pool *pool, GError **error);
extern void pool_adopt_thread(Pool *pool, GThread *t);

/* Joins its parameter on every path. */
static void join_worker(GThread *t, Pool *pool)
{
    g_thread_join(t);
    pool->done++;
}

/* bad: the prepare error returns with the thread neither joined nor unreffed */
gboolean bad_thread_left_on_error(Pool *pool, GError **error)
{
    GThread *t = g_thread_new("loader", worker, pool); /* expect: missing-join */ /* note[missing-join]: thread 't' created here by g_thread_new() */

    if (!pool_prepare(pool, error)) /* note[missing-join]: taking the true branch: '!pool_prepare(pool, error)' is true */
        return FALSE; /* note[missing-join]: returning here: the thread is neither joined nor detached */
    g_async_queue_push(pool->queue, GINT_TO_POINTER(1));
    g_thread_join(t);
    return TRUE;
}

/* bad: g_thread_try_new succeeded, but the early-abort path forgets it */
int bad_try_new_abort_path(Pool *pool, GError **error)
{
    GThread *t = g_thread_try_new("saver", worker, pool, error); /* expect: missing-join */ /* note[missing-join]: thread 't' created here by g_thread_try_new() */

    if (t == NULL) /* note[missing-join]: taking the false branch: 't == NULL' is false */
        return -1;
    if (pool->abort_early) /* note[missing-join]: taking the true branch: 'pool->abort_early' is true */
        return 0; /* note[missing-join]: returning here: the thread is neither joined nor detached */
    g_async_queue_push(pool->queue, GINT_TO_POINTER(1));
    join_worker(t, pool);
    return 1;
}

/* bad: one thread per slot, the previous one never joined */
void bad_thread_per_slot(Pool *pool)
{
    for (int i = 0; i < pool->n_workers; i++) { /* note[created-in-loop]: taking the true branch: 'i < pool->n_workers' is true */
        GThread *t = g_thread_new("worker", worker, pool); /* expect: created-in-loop */ /* note[created-in-loop]: g_thread_new() runs again here */

        g_async_queue_push(pool->queue, GINT_TO_POINTER(i + 1));
        (void)t;
    }
}

/* bad: the GThread is dropped: never joined, its reference leaked */
void bad_thread_dropped(Pool *pool)
{
    g_thread_new("fire-and-forget", worker, pool); /* expect: handle-discarded */ /* note[handle-discarded]: g_thread_new() called here */
}

/* bad: joined after its reference was dropped */
void bad_join_after_unref(Pool *pool)
{
    GThread *t = g_thread_new("flusher", worker, pool);

    g_async_queue_push(pool->queue, GINT_TO_POINTER(1));
    g_thread_unref(t); /* note[use-after-release]: detached here by g_thread_unref() */
    g_thread_join(t); /* expect: use-after-release */ /* note[use-after-release]: g_thread_join() here */
}

/* bad: joined twice */
void bad_double_join(Pool *pool)
{
    GThread *t = g_thread_new("indexer", worker, pool);

    g_async_queue_push(pool->queue, GINT_TO_POINTER(1));
    join_worker(t, pool); /* note[use-after-release]: joined here by join_worker() */
    g_thread_join(t); /* expect: use-after-release */ /* note[use-after-release]: g_thread_join() here */
}

/* good: g_thread_unref(g_thread_new(...)) is the detached-thread idiom */
void good_detached_idiom(Pool *pool)
{
    g_thread_unref(g_thread_new("detached", worker, pool));
}

/* good: created, then unreffed: the thread runs on by itself */
void good_unref_later(Pool *pool)
{
    GThread *t = g_thread_new("background", worker, pool);

    g_async_queue_push(pool->queue, GINT_TO_POINTER(1));
    g_thread_unref(t);
}

/* good: a failed g_thread_try_new leaves nothing to join */
gboolean good_try_new_checked(Pool *pool, GError **error)
{
    GThread *t;

    if ((t = g_thread_try_new("checked", worker, pool, error)) == NULL)
        return FALSE;
    g_async_queue_push(pool->queue, GINT_TO_POINTER(1));
    g_thread_join(t);
    return TRUE;
}

/* good: the threads are handed to the pool, outside this file */
void good_adopted(Pool *pool)
{
    for (int i = 0; i < pool->n_workers; i++)
        pool_adopt_thread(pool, g_thread_new("pooled", worker, pool));
}

/* good: joined on every path */
int good_joined_every_path(Pool *pool, GError **error)
{
    GThread *t = g_thread_new("joined", worker, pool);
    int ok = pool_prepare(pool, error) ? 1 : 0;

    g_async_queue_push(pool->queue, GINT_TO_POINTER(1));
    g_thread_join(t);
    return ok;
}
