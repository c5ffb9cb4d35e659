/* A plugin scanned without its build (#13 item 1): the project header that
 * would bring <pthread.h> and <glib.h> is missing, so pthread_t, GThread
 * and gpointer are undeclared, their declarations dropped and every call
 * that uses them an expression with errors. The known calls are still
 * read from their tokens: a thread never joined is still missing-join; one
 * joined, detached, handed to other code or stored is not. */
#include "plugin_threads.h"

struct plugin {
    int running;
};

extern void plugin_register_thread(void *th);

static void *scan_loop(void *arg)
{
    return arg;
}

int plugin_start(struct plugin *p)
{
    pthread_t th;

    if (pthread_create(&th, NULL, scan_loop, p) != 0) /* expect: missing-join */
        return -1;
    p->running = 1;
    return 0;
}

int plugin_probe(struct plugin *p)
{
    pthread_t th;

    if (pthread_create(&th, NULL, scan_loop, p) != 0)
        return -1;
    pthread_join(th, NULL);
    return 0;
}

int plugin_spawn(struct plugin *p)
{
    pthread_t th;

    if (pthread_create(&th, NULL, scan_loop, p) != 0)
        return -1;
    pthread_detach(th);
    return 0;
}

int plugin_hand_over(struct plugin *p)
{
    pthread_t th;

    if (pthread_create(&th, NULL, scan_loop, p) != 0)
        return -1;
    plugin_register_thread(&th);
    return 0;
}

static gpointer gl_worker(gpointer data)
{
    return data;
}

void plugin_init(void)
{
    GThread *t = g_thread_new("plugin", gl_worker, NULL); /* expect: missing-join */
    (void)t;
}

void plugin_run_once(void)
{
    GThread *t = g_thread_new("once", gl_worker, NULL);
    g_thread_join(t);
}

/* A parameter of a type the missing header declares: the declaration is
 * invalid, its body still lowered, the parameter opaque. */
int plugin_start_with(plugin_cfg_t *cfg, struct plugin *p)
{
    pthread_t th;

    if (pthread_create(&th, NULL, scan_loop, p) != 0) /* expect: missing-join */
        return -1;
    if (plugin_cfg_async(cfg))
        return 0;
    pthread_join(th, NULL);
    return 0;
}

/* good: joined on both paths, whatever the opaque parameter says */
int plugin_probe_with(plugin_cfg_t *cfg, struct plugin *p)
{
    pthread_t th;

    if (pthread_create(&th, NULL, scan_loop, p) != 0)
        return -1;
    if (plugin_cfg_async(cfg)) {
        pthread_join(th, NULL);
        return 1;
    }
    pthread_join(th, NULL);
    return 0;
}
