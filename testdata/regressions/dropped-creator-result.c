// flags: -I/usr/include/glib-2.0 -I/usr/lib/x86_64-linux-gnu/glib-2.0/include -I/usr/lib/aarch64-linux-gnu/glib-2.0/include
/*
 * #12 class 5: the result of a same-file creator thrown away (`helper(...);`
 * as a statement, or cast to void) is the handle thrown away:
 * handle-discarded at the call, as for the family's own create. A one-shot
 * source, or a creator called once for the program from main, is none.
 */
#include <glib.h>
#include <pthread.h>

static gboolean on_retry(gpointer data)
{
    (void)data;
    return G_SOURCE_CONTINUE;
}

static gboolean on_once(gpointer data)
{
    (void)data;
    return G_SOURCE_REMOVE;
}

static void *pump(void *arg)
{
    return arg;
}

static guint schedule_retry(void *l, guint ms)
{
    return g_timeout_add(ms, on_retry, l);
}

static guint schedule_once(void *l, guint ms)
{
    return g_timeout_add(ms, on_once, l);
}

static pthread_t start_pump(void *arg)
{
    pthread_t t;

    if (pthread_create(&t, NULL, pump, arg) != 0)
        return 0;
    return t;
}

/* bad: the repeating source can never be removed */
void link_lost(void *l)
{
    schedule_retry(l, 500); /* expect: handle-discarded */
}

/* bad: the same, cast to void */
void link_lost_void(void *l)
{
    (void)schedule_retry(l, 500); /* expect: handle-discarded */
}

/* bad: a pump thread nobody can join */
void pump_lost(void *arg)
{
    start_pump(arg); /* expect: handle-discarded */
}

/* good: a one-shot ends itself */
void link_kick(void *l)
{
    schedule_once(l, 10);
}

/* good: kept */
guint link_kept(void *l)
{
    guint id = schedule_retry(l, 500);

    return id;
}
