// flags: -I/usr/include/glib-2.0 -I/usr/lib/x86_64-linux-gnu/glib-2.0/include -I/usr/lib/aarch64-linux-gnu/glib-2.0/include
/* bluez gdbus/object.c add_pending(): the old idle source's id is saved,
 * a new source replaces it in the same field, then the old one is removed.
 * The new source's callback gets the struct, but the id removed is the
 * previous source's, not anything the new one uses: no stop-too-late. */
#include <glib.h>

struct generic_data {
    guint process_id;
    int pending;
};

static gboolean process_changes(gpointer user_data)
{
    struct generic_data *data = user_data;

    data->process_id = 0;
    data->pending = 0;
    return FALSE;
}

void good_replace_pending_source(struct generic_data *data)
{
    guint old_id = data->process_id;

    data->process_id = g_idle_add(process_changes, data);
    if (old_id > 0) {
        g_source_remove(old_id);
        return;
    }
    data->pending = 1;
}

static gboolean poll_data(gpointer user_data)
{
    ((struct generic_data *)user_data)->pending++;
    return TRUE;
}

/* bad: a source that never ends is given data; a source id kept in data
 * is removed while it runs (the worker reaches all of data); and the new
 * source's own id is dropped on return */
void bad_release_field_under_source(struct generic_data *data, guint *other)
{
    guint id = g_timeout_add(10, poll_data, data); /* expect: missing-stop */
    g_source_remove(data->process_id); /* expect: stop-too-late */
    *other = 0;
    (void)id;
}

/* bad: a copy of the id kept in data, removed while the new source runs,
 * with the field still holding it for the callback to read */
void bad_release_copy_under_source(struct generic_data *data, guint *out)
{
    guint id = g_timeout_add(10, poll_data, data);
    guint old = data->process_id;

    g_source_remove(old); /* expect: stop-too-late */
    *out = id;
}

/* good: the field is cleared before its copy is removed
 * (g_clear_handle_id's expansion): the callback reads 0 */
void good_clear_copy_under_source(struct generic_data *data, guint *out)
{
    guint id = g_timeout_add(10, poll_data, data);
    guint old = data->process_id;

    data->process_id = 0;
    g_source_remove(old);
    *out = id;
}
