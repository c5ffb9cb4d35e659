/* dirindexd: keeps a size index of a directory up to date.  Changes are
 * debounced on the main loop and handed to an indexer thread that runs its
 * own GMainContext; SIGHUP recounts everything. */
#include <gio/gio.h>
#include <glib-unix.h>
#include <signal.h>

#define DEBOUNCE_MS 300
#define RESCAN_SECS 30
#define FLUSH_SECS 60
#define CRAWL_TIMEOUT_US (5 * G_USEC_PER_SEC)

typedef struct {
	GMainContext *ctx;
	GMainLoop *loop;
	GThread *thread;
	GSource *flush_source;
	GHashTable *sizes; /* path -> total bytes */
	guint jobs;
} Indexer;

typedef struct {
	GFile *root;
	GFileMonitor *monitor;
	GHashTable *dirs; /* path -> DirState */
	Indexer *indexer;
	GMainLoop *loop;
	guint debounce_id;
	guint status_id;
	guint sighup_id;
	guint sigterm_id;
} App;

typedef struct { App *app; GFile *dir; guint pending; } DirState;
typedef struct { Indexer *ix; GFile *dir; } IndexJob;
typedef struct { GFile *root; GAsyncQueue *done; guint entries; } CrawlJob;

static guint count_children(GFile *dir, goffset *bytes)
{
	GFileEnumerator *en;
	GFileInfo *info;
	guint n = 0;

	en = g_file_enumerate_children(dir, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE, NULL, NULL);
	if (!en)
		return 0;
	while ((info = g_file_enumerator_next_file(en, NULL, NULL)) != NULL) {
		*bytes += g_file_info_get_size(info);
		n++;
		g_object_unref(info);
	}
	g_object_unref(en);
	return n;
}

static gboolean index_dir_cb(gpointer data)
{
	IndexJob *job = data;
	goffset total = 0;

	count_children(job->dir, &total);
	g_hash_table_insert(job->ix->sizes, g_file_get_path(job->dir), g_memdup2(&total, sizeof(total)));
	job->ix->jobs++;
	return G_SOURCE_REMOVE;
}

static void index_job_free(gpointer data)
{
	IndexJob *job = data;

	g_object_unref(job->dir);
	g_free(job);
}

static gboolean flush_cb(gpointer data)
{
	Indexer *ix = data;

	/* runs on the indexer thread, like the jobs: no locking needed */
	g_message("index: %u directories, %u jobs done", g_hash_table_size(ix->sizes), ix->jobs);
	return G_SOURCE_CONTINUE;
}

static gpointer indexer_thread(gpointer data)
{
	Indexer *ix = data;

	g_main_context_push_thread_default(ix->ctx);
	g_main_loop_run(ix->loop);
	g_main_context_pop_thread_default(ix->ctx);
	return NULL;
}

static Indexer *indexer_new(void)
{
	Indexer *ix = g_new0(Indexer, 1);

	ix->sizes = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	ix->ctx = g_main_context_new();
	ix->loop = g_main_loop_new(ix->ctx, FALSE);
	ix->flush_source = g_timeout_source_new_seconds(FLUSH_SECS);
	g_source_set_callback(ix->flush_source, flush_cb, ix, NULL);
	g_source_attach(ix->flush_source, ix->ctx);
	ix->thread = g_thread_new("indexer", indexer_thread, ix);
	return ix;
}

static void indexer_push(Indexer *ix, GFile *dir)
{
	IndexJob *job = g_new0(IndexJob, 1);

	job->ix = ix;
	job->dir = g_object_ref(dir);
	g_main_context_invoke_full(ix->ctx, G_PRIORITY_DEFAULT, index_dir_cb, job, index_job_free);
}

static void indexer_free(Indexer *ix)
{
	g_main_loop_quit(ix->loop);
	g_thread_join(ix->thread);
	/* drop our reference to the thread object as well */
	g_thread_unref(ix->thread); /* expect: use-after-release */
	g_source_destroy(ix->flush_source);
	g_source_unref(ix->flush_source);
	g_main_loop_unref(ix->loop);
	g_main_context_unref(ix->ctx);
	g_hash_table_unref(ix->sizes);
	g_free(ix);
}

static gboolean dir_rescan_cb(gpointer data)
{
	DirState *ds = data;

	if (ds->pending) {
		indexer_push(ds->app->indexer, ds->dir);
		ds->pending = 0;
	}
	return G_SOURCE_CONTINUE;
}

static void dir_state_free(gpointer data)
{
	DirState *ds = data;

	g_object_unref(ds->dir);
	g_free(ds);
}

static void dir_state_add(App *app, GFile *dir)
{
	DirState *ds = g_new0(DirState, 1);
	GSource *rescan;

	ds->app = app;
	ds->dir = g_object_ref(dir);
	g_hash_table_replace(app->dirs, g_file_get_path(dir), ds);

	/* subdirectories are rescanned on a slower, fixed pace */
	rescan = g_timeout_source_new_seconds(RESCAN_SECS); /* expect: missing-stop */
	g_source_set_callback(rescan, dir_rescan_cb, ds, NULL);
	g_source_attach(rescan, NULL);
}

/* A subdirectory settled: look at it again once its writers are done. */
static void recheck_size_cb(gpointer data)
{
	DirState *ds = data;

	ds->pending++;
}

static gboolean debounce_cb(gpointer data)
{
	App *app = data;

	app->debounce_id = 0;
	indexer_push(app->indexer, app->root);
	return G_SOURCE_REMOVE;
}

static void on_changed(GFileMonitor *monitor, GFile *file, GFile *other, GFileMonitorEvent event, gpointer data)
{
	App *app = data;
	char *path = g_file_get_path(file);
	DirState *ds;

	(void)monitor, (void)other;
	if (event == G_FILE_MONITOR_EVENT_CREATED &&
	    g_file_query_file_type(file, G_FILE_QUERY_INFO_NONE, NULL) == G_FILE_TYPE_DIRECTORY) {
		dir_state_add(app, file);
	} else if (event == G_FILE_MONITOR_EVENT_DELETED) {
		g_hash_table_remove(app->dirs, path);
	} else if (event == G_FILE_MONITOR_EVENT_CHANGES_DONE_HINT &&
		   (ds = g_hash_table_lookup(app->dirs, path)) != NULL) {
		g_timeout_add_once(2000, recheck_size_cb, ds); /* expect: handle-discarded */
	}
	g_free(path);
	if (app->debounce_id)
		g_source_remove(app->debounce_id);
	app->debounce_id = g_timeout_add(DEBOUNCE_MS, debounce_cb, app);
}

static gpointer crawl_thread(gpointer data)
{
	CrawlJob *job = data;
	goffset bytes = 0;

	job->entries = count_children(job->root, &bytes);
	g_async_queue_push(job->done, GINT_TO_POINTER(1));
	return NULL;
}

/* SIGHUP: recount the tree, without holding up the main loop for long. */
static gboolean on_sighup(gpointer data)
{
	App *app = data;
	CrawlJob *job = g_new0(CrawlJob, 1);
	GThread *t;

	job->root = g_object_ref(app->root);
	job->done = g_async_queue_new();
	t = g_thread_new("crawl", crawl_thread, job); /* expect: missing-join */
	if (!g_async_queue_timeout_pop(job->done, CRAWL_TIMEOUT_US)) {
		g_warning("recount still running, leaving it in the background");
		return G_SOURCE_CONTINUE;
	}
	g_thread_join(t);
	g_message("recount: %u entries", job->entries);
	g_async_queue_unref(job->done);
	g_object_unref(job->root);
	g_free(job);
	return G_SOURCE_CONTINUE;
}

static gboolean on_sigterm(gpointer data)
{
	g_main_loop_quit(((App *)data)->loop);
	return G_SOURCE_CONTINUE;
}

static gboolean status_cb(gpointer data)
{
	g_message("watching %u subdirectories", g_hash_table_size(((App *)data)->dirs));
	return G_SOURCE_CONTINUE;
}

static guint app_add_status(App *app)
{
	GSource *src = g_timeout_source_new_seconds(FLUSH_SECS);
	guint id;

	g_source_set_callback(src, status_cb, app, NULL);
	id = g_source_attach(src, NULL);
	g_source_unref(src); /* the default context holds it from here on */
	return id;
}

static void app_free(App *app)
{
	g_clear_handle_id(&app->debounce_id, g_source_remove);
	g_clear_handle_id(&app->status_id, g_source_remove);
	g_clear_handle_id(&app->sighup_id, g_source_remove);
	g_clear_handle_id(&app->sigterm_id, g_source_remove);
	g_clear_object(&app->monitor);
	g_hash_table_unref(app->dirs);
	indexer_free(app->indexer);
	g_object_unref(app->root);
	g_main_loop_unref(app->loop);
	g_free(app);
}

int main(int argc, char **argv)
{
	GError *error = NULL;
	App *app = g_new0(App, 1);

	app->root = g_file_new_for_commandline_arg(argc > 1 ? argv[1] : ".");
	app->loop = g_main_loop_new(NULL, FALSE);
	app->dirs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, dir_state_free);
	app->indexer = indexer_new();

	app->monitor = g_file_monitor_directory(app->root, G_FILE_MONITOR_WATCH_MOVES, NULL, &error);
	if (!app->monitor) {
		g_printerr("dirindexd: %s\n", error->message);
		g_error_free(error);
		app_free(app);
		return 1;
	}
	g_signal_connect(app->monitor, "changed", G_CALLBACK(on_changed), app);
	app->status_id = app_add_status(app);
	app->sighup_id = g_unix_signal_add(SIGHUP, on_sighup, app);
	app->sigterm_id = g_unix_signal_add(SIGTERM, on_sigterm, app);
	indexer_push(app->indexer, app->root);
	g_main_loop_run(app->loop);
	app_free(app);
	return 0;
}
