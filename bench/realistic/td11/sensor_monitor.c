/*
 * sensor_monitor.c - polls sysfs-style sensor files from a GLib main loop.
 *
 * Each sensor keeps its own references to the GSources that drive it, so
 * that it can destroy them when it is removed or moved to another context.
 */
#include <fcntl.h>
#include <glib.h>
#include <unistd.h>

#define HEARTBEAT_MS   5000
#define ALARM_CHECK_MS 1000
#define FLUSH_SEC      30

typedef struct _SensorMonitor SensorMonitor;

typedef struct {
    gchar         *name;
    gchar         *path;
    gint           fd;
    guint          interval_ms;
    gdouble        threshold;
    gdouble        value;
    gint64         updated_us;
    gboolean       stale;
    GSource       *poll_src;  /* owned reference, attached */
    GSource       *stale_src; /* owned reference, attached, or NULL */
    SensorMonitor *monitor;
} Sensor;

struct _SensorMonitor {
    GMainContext *ctx;
    GPtrArray    *sensors;
    guint         stale_ms;
    guint         flush_id;
    guint         alarms_raised;
    guint         beats;
};

static GSource *sensor_source_new(GMainContext *ctx, guint ms, GSourceFunc fn, Sensor *s)
{
    GSource *src = g_timeout_source_new(ms);

    g_source_set_callback(src, fn, s, NULL);
    g_source_attach(src, ctx);
    return src;
}

static void sensor_source_release(GSource *src)
{
    g_source_destroy(src);
    g_source_unref(src);
}

static gboolean sensor_stale_cb(gpointer data)
{
    Sensor *s = data;

    if (!s->stale)
        g_message("sensor %s: no reading for %u ms", s->name, s->monitor->stale_ms);
    s->stale = TRUE;
    return G_SOURCE_CONTINUE;
}

/* A fresh reading arrived: restart the staleness deadline from now. */
static void sensor_touch(Sensor *s, gdouble value)
{
    s->value = value;
    s->stale = FALSE;
    s->updated_us = g_get_monotonic_time();
    if (s->stale_src)
        sensor_source_release(s->stale_src);
    s->stale_src = sensor_source_new(s->monitor->ctx, s->monitor->stale_ms,
                                     sensor_stale_cb, s);
}

static gboolean sensor_poll_cb(gpointer data)
{
    Sensor *s = data;
    gchar buf[64];
    gssize n;

    if (lseek(s->fd, 0, SEEK_SET) < 0)
        return G_SOURCE_CONTINUE;
    n = read(s->fd, buf, sizeof buf - 1);
    if (n <= 0)
        return G_SOURCE_CONTINUE;
    buf[n] = '\0';
    sensor_touch(s, g_ascii_strtod(buf, NULL));
    return G_SOURCE_CONTINUE;
}

static gboolean alarm_check_cb(gpointer data)
{
    Sensor *s = data;

    if (!s->stale && s->value > s->threshold) {
        s->monitor->alarms_raised++;
        g_warning("sensor %s: %.2f above %.2f", s->name, s->value, s->threshold);
    }
    return G_SOURCE_CONTINUE;
}

static gboolean heartbeat_cb(gpointer data)
{
    SensorMonitor *m = data;

    m->beats++;
    return G_SOURCE_CONTINUE;
}

static gboolean flush_cb(gpointer data)
{
    SensorMonitor *m = data;

    g_debug("flush: %u sensors, %u alarms", m->sensors->len, m->alarms_raised);
    return G_SOURCE_CONTINUE;
}

static void monitor_arm_heartbeat(SensorMonitor *m)
{
    GSource *src = g_timeout_source_new(HEARTBEAT_MS); /* expect: missing-stop */

    g_source_set_callback(src, heartbeat_cb, m, NULL);
    g_source_attach(src, m->ctx);
    g_source_unref(src);
}

static Sensor *monitor_lookup(SensorMonitor *m, const gchar *name)
{
    guint i;

    for (i = 0; i < m->sensors->len; i++) {
        Sensor *s = g_ptr_array_index(m->sensors, i);
        if (g_strcmp0(s->name, name) == 0)
            return s;
    }
    return NULL;
}

static gboolean sensor_open(Sensor *s)
{
    s->fd = open(s->path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    return s->fd >= 0;
}

static void sensor_free(Sensor *s)
{
    if (s->poll_src)
        sensor_source_release(s->poll_src);
    if (s->stale_src)
        sensor_source_release(s->stale_src);
    if (s->fd >= 0)
        close(s->fd);
    g_free(s->path);
    g_free(s->name);
    g_free(s);
}

SensorMonitor *monitor_new(guint stale_ms)
{
    SensorMonitor *m = g_new0(SensorMonitor, 1);

    m->ctx = g_main_context_default();
    m->sensors = g_ptr_array_new();
    m->stale_ms = stale_ms;
    m->flush_id = g_timeout_add_seconds(FLUSH_SEC, flush_cb, m);
    monitor_arm_heartbeat(m);
    return m;
}

Sensor *monitor_add_sensor(SensorMonitor *m, const gchar *name, const gchar *path,
                           guint interval_ms)
{
    Sensor *s;

    g_return_val_if_fail(interval_ms > 0, NULL);
    if (monitor_lookup(m, name))
        return NULL;
    s = g_new0(Sensor, 1);
    s->name = g_strdup(name);
    s->path = g_strdup(path);
    s->fd = -1;
    s->interval_ms = interval_ms;
    s->monitor = m;
    s->poll_src = g_timeout_source_new(interval_ms); /* expect: missing-stop */
    g_source_set_callback(s->poll_src, sensor_poll_cb, s, NULL);
    g_source_attach(s->poll_src, m->ctx);
    if (!sensor_open(s)) {
        g_warning("sensor %s: cannot open %s", name, path);
        goto fail;
    }
    g_ptr_array_add(m->sensors, s);
    return s;

fail:
    g_source_unref(s->poll_src);
    g_free(s->path);
    g_free(s->name);
    g_free(s);
    return NULL;
}

gboolean monitor_remove_sensor(SensorMonitor *m, const gchar *name)
{
    Sensor *s = monitor_lookup(m, name);

    if (!s)
        return FALSE;
    g_ptr_array_remove(m->sensors, s);
    sensor_free(s);
    return TRUE;
}

/* Move the polling of one sensor to another context (a worker thread's). */
void monitor_move_sensor(SensorMonitor *m, Sensor *s, GMainContext *ctx)
{
    if (ctx == m->ctx || !s->poll_src)
        return;
    /* take it off the old context, then put it on the new one */
    sensor_source_release(s->poll_src);
    g_source_attach(s->poll_src, ctx); /* expect: use-after-release */
    if (s->stale_src) {
        sensor_source_release(s->stale_src);
        s->stale_src = sensor_source_new(ctx, m->stale_ms, sensor_stale_cb, s);
    }
}

/* Start threshold checks for every sensor that has a threshold configured. */
guint monitor_enable_alarms(SensorMonitor *m)
{
    guint i, n = 0;

    for (i = 0; i < m->sensors->len; i++) {
        Sensor *s = g_ptr_array_index(m->sensors, i);
        GSource *src;

        if (s->threshold <= 0.0)
            continue;
        src = g_timeout_source_new(ALARM_CHECK_MS); /* expect: created-in-loop */
        g_source_set_callback(src, alarm_check_cb, s, NULL);
        g_source_attach(src, m->ctx);
        g_source_unref(src);
        n++;
    }
    return n;
}

void monitor_pause_all(SensorMonitor *m)
{
    guint i;

    for (i = 0; i < m->sensors->len; i++) {
        Sensor *s = g_ptr_array_index(m->sensors, i);

        if (!s->poll_src)
            continue;
        sensor_source_release(s->poll_src);
        s->poll_src = NULL;
    }
}

void monitor_resume_all(SensorMonitor *m)
{
    guint i;

    for (i = 0; i < m->sensors->len; i++) {
        Sensor *s = g_ptr_array_index(m->sensors, i);
        GSource *src;

        if (s->poll_src)
            continue;
        src = g_timeout_source_new(s->interval_ms);
        g_source_set_callback(src, sensor_poll_cb, s, NULL);
        g_source_attach(src, m->ctx);
        s->poll_src = src;
    }
}

void monitor_free(SensorMonitor *m)
{
    guint i;

    if (m->flush_id)
        g_source_remove(m->flush_id);
    for (i = 0; i < m->sensors->len; i++)
        sensor_free(g_ptr_array_index(m->sensors, i));
    g_ptr_array_free(m->sensors, TRUE);
    g_free(m);
}
