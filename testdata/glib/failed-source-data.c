// flags: -I/usr/include/glib-2.0 -I/usr/lib/x86_64-linux-gnu/glib-2.0/include -I/usr/lib/aarch64-linux-gnu/glib-2.0/include
/*
 * A source id of 0 means no source was made (fails-when: zero): freeing
 * its data on that branch races nothing, even for a source whose callback
 * can end it (bluez's src/shared/timeout-glib.c wraps g_timeout_add_full
 * this way). Freeing the data of a source that was made is stop-too-late.
 */
#include <glib.h>

struct timeout_data {
    gboolean (*func)(gpointer);
    gpointer user_data;
};

static gboolean on_timeout(gpointer user_data)
{
    struct timeout_data *data = user_data;

    return data->func(data->user_data) ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

static void data_free(gpointer user_data)
{
    g_free(user_data);
}

/* good: the data is freed only where no source exists */
guint good_wrapper(guint ms, gboolean (*func)(gpointer), gpointer user_data)
{
    struct timeout_data *data = g_new0(struct timeout_data, 1);
    guint id;

    data->func = func;
    data->user_data = user_data;
    id = g_timeout_add_full(G_PRIORITY_DEFAULT, ms, on_timeout, data, data_free);
    if (!id)
        g_free(data);
    return id;
}

/* bad: the data is freed while the source that gets it is pending */
guint bad_wrapper_frees_data(guint ms, gboolean (*func)(gpointer),
                             gpointer user_data)
{
    struct timeout_data *data = g_new0(struct timeout_data, 1);
    guint id;

    data->func = func;
    data->user_data = user_data;
    id = g_timeout_add_full(G_PRIORITY_DEFAULT, ms, on_timeout, data, NULL);
    g_free(data); /* expect: stop-too-late */
    return id;
}
