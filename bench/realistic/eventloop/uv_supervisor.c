// scan: --link
/*
 * supervisor.c - keeps a set of worker processes running.
 *
 * Each child is described on the command line as [+|!]NAME=PROGRAM[,ARG...]
 * ('+' restarts on every exit, '!' never restarts, default: on failure).
 * When a child exits it is restarted after an exponential backoff delay,
 * unless its policy says otherwise.  A periodic health check makes sure
 * the pid still exists, and a status report is printed every minute.
 */
#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#define BACKOFF_MIN_MS      250u
#define BACKOFF_MAX_MS    30000u
#define HEALTH_PERIOD_MS   5000u
#define STABLE_AFTER_MS   10000u
#define REPORT_PERIOD_MS  60000u
#define MAX_ARGS             16

#define container_of(ptr, type, member) \
    ((type *)((char *)(ptr) - offsetof(type, member)))

enum restart_policy { RESTART_ALWAYS, RESTART_ON_FAILURE, RESTART_NEVER };

struct supervisor;

struct child {
    struct supervisor *sup;
    char *spec;
    char *name;
    char *argv[MAX_ARGS + 1];
    enum restart_policy policy;
    uv_process_t proc;
    uv_timer_t restart_timer;
    uv_timer_t health_timer;
    uint64_t started_at;
    int64_t last_status;
    int last_signal;
    unsigned backoff_ms;
    unsigned restarts;
    int running;
    int open_handles;
    int removing;
    struct child *next;
};

struct supervisor {
    uv_loop_t *loop;
    uv_timer_t report_timer;
    uv_signal_t sigterm;
    struct child *children;
    int shutting_down;
};

static void child_spawn(struct child *c);

static void child_free(struct child *c)
{
    struct child **pp;

    for (pp = &c->sup->children; *pp != NULL; pp = &(*pp)->next) {
        if (*pp == c) {
            *pp = c->next;
            break;
        }
    }
    free(c->spec);
    free(c);
}

static void on_child_timer_closed(uv_handle_t *handle)
{
    struct child *c = handle->data;

    if (--c->open_handles == 0 && c->removing)
        child_free(c);
}

static void child_release_timers(struct child *c)
{
    if (uv_is_closing((uv_handle_t *)&c->restart_timer)) {
        if (c->open_handles == 0)
            child_free(c);
        return;
    }
    uv_timer_stop(&c->restart_timer);
    uv_close((uv_handle_t *)&c->restart_timer, on_child_timer_closed);
}

static unsigned next_backoff(struct child *c)
{
    uint64_t ran_for = uv_now(c->sup->loop) - c->started_at;

    if (ran_for >= STABLE_AFTER_MS)
        c->backoff_ms = BACKOFF_MIN_MS;
    else if (c->backoff_ms < BACKOFF_MAX_MS / 2)
        c->backoff_ms *= 2;
    else
        c->backoff_ms = BACKOFF_MAX_MS;
    return c->backoff_ms;
}

static void on_restart_due(uv_timer_t *timer)
{
    struct child *c = container_of(timer, struct child, restart_timer);

    c->restarts++;
    fprintf(stderr, "supervisor: restarting %s (attempt %u)\n", c->name, c->restarts);
    child_spawn(c);
}

static void on_proc_closed(uv_handle_t *handle)
{
    struct child *c = handle->data;
    unsigned delay;

    c->open_handles--;
    if (c->removing || c->sup->shutting_down) {
        child_release_timers(c);
        return;
    }
    if (c->policy == RESTART_NEVER ||
        (c->policy == RESTART_ON_FAILURE && c->last_status == 0 && c->last_signal == 0)) {
        fprintf(stderr, "supervisor: %s finished, not restarting\n", c->name);
        uv_close((uv_handle_t *)&c->restart_timer, on_child_timer_closed);
    }
    delay = next_backoff(c);
    uv_timer_start(&c->restart_timer, on_restart_due, delay, 0); /* expect: use-after-release */
}

static void on_child_exit(uv_process_t *proc, int64_t exit_status, int term_signal)
{
    struct child *c = container_of(proc, struct child, proc);

    c->running = 0;
    c->last_status = exit_status;
    c->last_signal = term_signal;
    fprintf(stderr, "supervisor: %s exited status=%lld signal=%d\n",
            c->name, (long long)exit_status, term_signal);
    uv_close((uv_handle_t *)proc, on_proc_closed);
}

static void on_health_check(uv_timer_t *timer)
{
    struct child *c = container_of(timer, struct child, health_timer);

    if (!c->running)
        return;
    if (uv_kill(c->proc.pid, 0) == UV_ESRCH)
        fprintf(stderr, "supervisor: %s (pid %d) vanished\n", c->name, c->proc.pid);
}

static void child_spawn(struct child *c)
{
    uv_process_options_t opts;
    int rc;

    memset(&opts, 0, sizeof(opts));
    opts.file = c->argv[0];
    opts.args = c->argv;
    opts.exit_cb = on_child_exit;
    opts.flags = UV_PROCESS_WINDOWS_HIDE;

    c->started_at = uv_now(c->sup->loop);
    rc = uv_spawn(c->sup->loop, &c->proc, &opts);
    c->proc.data = c;
    c->open_handles++;
    if (rc != 0) {
        fprintf(stderr, "supervisor: spawn %s: %s\n", c->name, uv_strerror(rc));
        c->last_status = 127;
        c->last_signal = 0;
        uv_close((uv_handle_t *)&c->proc, on_proc_closed);
        return;
    }
    c->running = 1;
    uv_timer_start(&c->health_timer, on_health_check, HEALTH_PERIOD_MS, HEALTH_PERIOD_MS); /* expect: field-never-stopped */
}

static void child_remove(struct child *c)
{
    c->removing = 1;
    if (c->running)
        uv_process_kill(&c->proc, SIGTERM);
    else
        child_release_timers(c);
}

static struct child *child_add(struct supervisor *sup, const char *spec)
{
    struct child *c;
    char *eq, *tok;
    int n = 0;

    c = calloc(1, sizeof(*c));
    if (c == NULL || (c->spec = strdup(spec)) == NULL) {
        free(c);
        return NULL;
    }
    eq = strchr(c->spec, '=');
    if (eq == NULL) {
        free(c->spec);
        free(c);
        return NULL;
    }
    *eq = '\0';
    c->name = c->spec;
    c->policy = RESTART_ON_FAILURE;
    if (c->name[0] == '+' || c->name[0] == '!') {
        c->policy = c->name[0] == '+' ? RESTART_ALWAYS : RESTART_NEVER;
        c->name++;
    }
    for (tok = strtok(eq + 1, ","); tok != NULL && n < MAX_ARGS; tok = strtok(NULL, ","))
        c->argv[n++] = tok;
    if (n == 0) {
        free(c->spec);
        free(c);
        return NULL;
    }
    c->backoff_ms = BACKOFF_MIN_MS;
    c->sup = sup;

    uv_timer_init(sup->loop, &c->restart_timer);
    uv_timer_init(sup->loop, &c->health_timer);
    c->restart_timer.data = c->health_timer.data = c;
    c->open_handles = 1;
    c->next = sup->children;
    sup->children = c;
    child_spawn(c);
    return c;
}

static void on_report(uv_timer_t *timer)
{
    struct supervisor *sup = container_of(timer, struct supervisor, report_timer);
    struct child *c;

    for (c = sup->children; c != NULL; c = c->next)
        printf("%-16s %-8s restarts=%u\n", c->name,
               c->running ? "running" : "waiting", c->restarts);
    fflush(stdout);
}

static void supervisor_shutdown(struct supervisor *sup)
{
    struct child *c, *next;

    sup->shutting_down = 1;
    uv_close((uv_handle_t *)&sup->report_timer, NULL);
    uv_close((uv_handle_t *)&sup->sigterm, NULL);
    for (c = sup->children; c != NULL; c = next) {
        next = c->next;
        child_remove(c);
    }
}

static void on_sigterm(uv_signal_t *sig, int signum)
{
    struct supervisor *sup = container_of(sig, struct supervisor, sigterm);

    (void)signum;
    if (!sup->shutting_down)
        supervisor_shutdown(sup);
}

int main(int argc, char **argv)
{
    struct supervisor sup;
    int i;

    memset(&sup, 0, sizeof(sup));
    sup.loop = uv_default_loop();
    uv_timer_init(sup.loop, &sup.report_timer);
    uv_timer_start(&sup.report_timer, on_report, REPORT_PERIOD_MS, REPORT_PERIOD_MS);
    uv_signal_init(sup.loop, &sup.sigterm);
    uv_signal_start(&sup.sigterm, on_sigterm, SIGTERM);

    for (i = 1; i < argc; i++) {
        if (child_add(&sup, argv[i]) == NULL)
            fprintf(stderr, "supervisor: ignoring malformed spec '%s'\n", argv[i]);
    }
    return uv_run(sup.loop, UV_RUN_DEFAULT) == 0 ? 0 : 1;
}
