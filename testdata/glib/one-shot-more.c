// flags: -I/usr/include/glib-2.0 -I/usr/lib/x86_64-linux-gnu/glib-2.0/include -I/usr/lib/aarch64-linux-gnu/glib-2.0/include
/*
 * handle-discarded (glib), one-shot sources, more shapes: child watches and
 * the _once variants are one-shot by construction; a destroy notify makes
 * the data the source's; a callback that never reads its data does not mind
 * it being freed; an object freed only through a same-file helper counts.
 */
#include <glib.h>
#include <sys/types.h>

struct job {
    GPid pid;
    char *name;
    int status;
};

struct session {
    char *user;
    int idle;
};

static void job_destroy(struct job *j)
{
    g_free(j->name);
    g_free(j);
}

void job_cancel(struct job *j)
{
    job_destroy(j);
}

static void session_free(struct session *s)
{
    g_free(s->user);
    g_free(s);
}

void session_close(struct session *s)
{
    session_free(s);
}

static void on_child_exit(GPid pid, gint status, gpointer data)
{
    struct job *j = data;

    j->status = status;
    g_spawn_close_pid(pid);
}

static void on_child_exit_free(GPid pid, gint status, gpointer data)
{
    struct job *j = data;

    (void)status;
    g_spawn_close_pid(pid);
    job_destroy(j);
}

static void touch_session(gpointer data)
{
    struct session *s = data;

    s->idle = 0;
}

static void tick_once(gpointer data)
{
    (void)data;
    g_print("tick\n");
}

static gboolean expire_session(gpointer data)
{
    struct session *s = data;

    s->idle++;
    return G_SOURCE_REMOVE;
}

/* bad: job_cancel() may destroy the job before the child exits */
void watch_job(struct job *j)
{
    g_child_watch_add(j->pid, on_child_exit, j); /* expect: handle-discarded */
}

/* good: the callback destroys the job: the watch owns it */
void watch_job_owned(struct job *j)
{
    g_child_watch_add(j->pid, on_child_exit_free, j);
}

/* good: the destroy notify owns the job */
void watch_job_notify(struct job *j)
{
    g_child_watch_add_full(G_PRIORITY_DEFAULT, j->pid, on_child_exit, j, (GDestroyNotify)job_destroy);
}

/* bad: session_close() may free the session before the idle runs */
void touch_later(struct session *s)
{
    g_idle_add_once(touch_session, s); /* expect: handle-discarded */
}

/* good: the callback never reads its data */
void tick_later(struct session *s)
{
    g_timeout_add_once(10, tick_once, s);
}

/* bad: a self-removing timeout, its id cast away */
void expire_later(struct session *s)
{
    (void)g_timeout_add_seconds(30, expire_session, s); /* expect: handle-discarded */
}

/* good: the id is kept: the caller can remove it before the free */
guint expire_later_kept(struct session *s)
{
    return g_timeout_add_seconds(30, expire_session, s);
}

/* good: no data */
void tick_soon(void)
{
    g_idle_add_once(tick_once, NULL);
}

struct link {
    GIOChannel *io;
    int pending;
};

static void link_free(struct link *l)
{
    g_io_channel_shutdown(l->io, TRUE, NULL);
    g_io_channel_unref(l->io);
    g_free(l);
}

void link_close(struct link *l)
{
    link_free(l);
}

static gboolean on_link_readable(GIOChannel *io, GIOCondition cond, gpointer data)
{
    struct link *l = data;

    (void)io;
    if (cond & (G_IO_HUP | G_IO_ERR | G_IO_NVAL))
        return FALSE;
    l->pending++;
    return FALSE;
}

/* good: an I/O watch ends with its channel, which link_free() shuts down
 * (the next dispatch is G_IO_NVAL, before the data is touched) */
void link_watch(struct link *l)
{
    g_io_add_watch(l->io, G_IO_IN | G_IO_HUP | G_IO_ERR | G_IO_NVAL, on_link_readable, l);
}

struct step {
    char *name;
    int done;
};

static GList *steps;

static void step_free(gpointer data)
{
    struct step *st = data;

    g_free(st->name);
    g_free(st);
}

static gboolean run_step(gpointer data)
{
    struct step *st = data;

    st->done = 1;
    return G_SOURCE_REMOVE;
}

/* good: steps are freed only by the list's destroy notify, when the runner
 * is done with all of them (step_free is never called directly) */
void queue_step(struct step *st)
{
    steps = g_list_append(steps, st);
    g_idle_add(run_step, st);
}

void steps_finish(void)
{
    g_list_free_full(steps, step_free);
    steps = NULL;
}
