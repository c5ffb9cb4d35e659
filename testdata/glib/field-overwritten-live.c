// flags: -I/usr/include/glib-2.0 -I/usr/lib/x86_64-linux-gnu/glib-2.0/include -I/usr/lib/aarch64-linux-gnu/glib-2.0/include
/*
 * missing-stop (glib, libevent), a stored handle overwritten while the
 * code itself has just seen that it holds one (#19 item 1): a source id
 * or event pointer kept in a struct field is tested non-zero on the path
 * and then overwritten (by 0, NULL or a new create) with nothing on the
 * path that removes, frees or hands it on. The old source keeps firing
 * and nothing can remove it any more. Reported at the overwrite.
 *
 * No finding when the path removes it (directly, g_clear_handle_id), hands
 * it (or its object) to other code first, never tested it, tested it zero,
 * or is the source's own callback clearing its id as it ends.
 */
#include <glib.h>
#include <event2/event.h>

struct led {
    gboolean on;
    guint blink_id;
    guint fade_id;
};

struct link {
    int fd;
    struct event *retry_ev;
    struct event_base *base;
    guint keepalive_id;
};

extern void led_hw_set(gboolean on);
extern void link_forget(struct link *l);

static gboolean blink_cb(gpointer data)
{
    struct led *l = data;

    l->on = !l->on;
    led_hw_set(l->on);
    return G_SOURCE_CONTINUE;
}

static gboolean fade_cb(gpointer data)
{
    struct led *l = data;

    if (l->fade_id)
        l->fade_id = 0;
    return G_SOURCE_REMOVE;
}

static void retry_cb(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    (void)arg;
}

void led_blink(struct led *l)
{
    l->blink_id = g_timeout_add(500, blink_cb, l);
}

void led_fade(struct led *l)
{
    l->fade_id = g_timeout_add(40, fade_cb, l);
}

/* bad: the early return proves an id is held, then it is dropped */
void led_stop(struct led *l)
{
    if (!l->blink_id)
        return;
    l->on = FALSE;
    led_hw_set(FALSE);
    l->blink_id = 0; /* expect: missing-stop */
}

/* good: removed first */
void led_stop_ok(struct led *l)
{
    if (!l->blink_id)
        return;
    g_source_remove(l->blink_id);
    l->blink_id = 0;
}

/* bad: a held id replaced by a new source */
void led_restart(struct led *l)
{
    if (l->blink_id > 0)
        led_hw_set(TRUE);
    l->blink_id = g_timeout_add(250, blink_cb, l); /* expect: missing-stop */
}

/* good: the usual re-arm */
void led_restart_ok(struct led *l)
{
    if (l->blink_id > 0)
        g_source_remove(l->blink_id);
    l->blink_id = g_timeout_add(250, blink_cb, l);
}

/* good: g_clear_handle_id() removes and zeroes */
void led_restart_clear(struct led *l)
{
    g_clear_handle_id(&l->blink_id, g_source_remove);
    l->blink_id = g_timeout_add(250, blink_cb, l);
}

/* good: never tested here: whether it held one is not known */
void led_reset(struct led *l)
{
    l->blink_id = 0;
}

/* good: tested zero before the new source */
void led_ensure(struct led *l)
{
    if (l->blink_id == 0)
        l->blink_id = g_timeout_add(500, blink_cb, l);
}

/* bad: the event is known to exist and is dropped without event_free() */
void link_cancel_retry(struct link *l)
{
    if (l->retry_ev != NULL) {
        l->fd = -1;
        l->retry_ev = NULL; /* expect: missing-stop */
    }
}

/* good: freed first */
void link_cancel_retry_ok(struct link *l)
{
    if (l->retry_ev != NULL) {
        event_free(l->retry_ev);
        l->retry_ev = NULL;
    }
}

void link_arm_retry(struct link *l)
{
    struct timeval tv = {1, 0};

    l->retry_ev = evtimer_new(l->base, retry_cb, l);
    if (l->retry_ev)
        evtimer_add(l->retry_ev, &tv);
}

void link_keepalive(struct link *l)
{
    l->keepalive_id = g_timeout_add_seconds(10, blink_cb, l);
}

/* good: the whole link goes to other code first, which may remove it */
void link_drop(struct link *l)
{
    if (l->keepalive_id) {
        link_forget(l);
        l->keepalive_id = 0;
    }
}

/* The object freed while the path has seen that its field holds a
 * source: the callback then runs on freed memory. Reported at the free. */
struct watch {
    char *name;
    guint id;
};

extern void watch_log(const char *name);

static gboolean watch_cb(gpointer data)
{
    (void)data;
    return G_SOURCE_CONTINUE;
}

void watch_start(struct watch *w)
{
    w->id = g_timeout_add_seconds(5, watch_cb, w);
}

/* bad: tested held, then freed */
void watch_free(struct watch *w)
{
    if (w->id)
        watch_log(w->name);
    g_free(w->name);
    g_free(w); /* expect: missing-stop */
}

/* good: removed first */
void watch_free_ok(struct watch *w)
{
    if (w->id)
        g_source_remove(w->id);
    g_free(w->name);
    g_free(w);
}

/* good: never tested here */
void watch_discard(struct watch *w)
{
    g_free(w->name);
    g_free(w);
}
