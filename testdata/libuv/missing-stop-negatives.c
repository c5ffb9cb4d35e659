/*
 * missing-stop (libuv), negatives: every function here closes its timer on
 * every path, or the timer escapes (a struct field reached through a
 * pointer, a global, code not in this file), or the status check says no
 * timer was initialised. No finding, except where marked.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <uv.h>

struct conn {
    uv_loop_t *loop;
    uv_timer_t keepalive;
    uv_timer_t *retry;
    uint64_t period_ms;
    int misses;
};

static uv_timer_t stats_timer;

/* Body not in this file and not in the rules: passing the timer to it is an escape. */
extern void registry_adopt_timer(uv_timer_t *t);

static void on_keepalive(uv_timer_t *t)
{
    struct conn *c = t->data;

    c->misses++;
}

static void on_stats(uv_timer_t *t)
{
    (void)t;
}

static void free_on_close(uv_handle_t *h)
{
    free(h);
}

/* Closes its parameter on every path. */
static void close_timer(uv_timer_t *t)
{
    if (uv_is_active((uv_handle_t *)t))
        uv_timer_stop(t);
    uv_close((uv_handle_t *)t, NULL);
}

/* good: `r = uv_timer_init(...); if (r) return r;` - no timer on that return */
int good_status_in_variable(uv_loop_t *loop, struct conn *c)
{
    uv_timer_t t;
    int r;

    r = uv_timer_init(loop, &t);
    if (r)
        return r;
    t.data = c;
    r = uv_timer_start(&t, on_keepalive, c->period_ms, 0);
    if (r == 0)
        uv_run(loop, UV_RUN_DEFAULT);
    uv_close((uv_handle_t *)&t, NULL);
    uv_run(loop, UV_RUN_NOWAIT);
    return r;
}

/* good: `if ((r = uv_timer_init(...)) < 0) return r;` */
int good_status_assigned_in_condition(uv_loop_t *loop, struct conn *c)
{
    uv_timer_t t;
    int r;

    if ((r = uv_timer_init(loop, &t)) < 0) {
        fprintf(stderr, "uv_timer_init: %s\n", uv_strerror(r));
        return r;
    }
    t.data = c;
    uv_timer_start(&t, on_keepalive, c->period_ms, 0);
    uv_run(loop, UV_RUN_DEFAULT);
    close_timer(&t);
    uv_run(loop, UV_RUN_NOWAIT);
    return 0;
}

/* good: every error path after the init goes through the close label */
int good_goto_close_label(uv_loop_t *loop, struct conn *c)
{
    uv_timer_t t;
    int r;

    r = uv_timer_init(loop, &t);
    if (r != 0)
        goto out;
    t.data = c;
    r = uv_timer_start(&t, on_keepalive, c->period_ms, c->period_ms);
    if (r != 0)
        goto out_close;
    uv_run(loop, UV_RUN_DEFAULT);
out_close:
    uv_close((uv_handle_t *)&t, NULL);
    uv_run(loop, UV_RUN_NOWAIT);
out:
    return r;
}

/* good: the timer lives in a struct reached through a pointer: the owner closes it */
int good_field_through_pointer(struct conn *c)
{
    if (uv_timer_init(c->loop, &c->keepalive) != 0)
        return -1;
    c->keepalive.data = c;
    return uv_timer_start(&c->keepalive, on_keepalive, c->period_ms, c->period_ms);
}

/* good: a heap timer stored in the connection, freed by its close callback later */
int good_heap_timer_stored(struct conn *c)
{
    uv_timer_t *t = malloc(sizeof(*t));

    if (t == NULL)
        return -1;
    if (uv_timer_init(c->loop, t) != 0) {
        free(t);
        return -1;
    }
    t->data = c;
    c->retry = t;
    return 0;
}

/* good: a heap timer closed with a callback that frees it */
void good_close_with_free_callback(uv_loop_t *loop, uint64_t ms)
{
    uv_timer_t *t = malloc(sizeof(*t));

    if (t == NULL || uv_timer_init(loop, t) != 0) {
        free(t);
        return;
    }
    uv_timer_start(t, on_stats, ms, 0);
    uv_run(loop, UV_RUN_DEFAULT);
    uv_close((uv_handle_t *)t, free_on_close);
}

/* good: a global timer, stopped at exit by whoever owns the loop */
int good_global_timer(uv_loop_t *loop, uint64_t ms)
{
    if (uv_timer_init(loop, &stats_timer) != 0)
        return -1;
    return uv_timer_start(&stats_timer, on_stats, ms, ms);
}

/* good: the timer is handed to code outside this file */
void good_passed_to_unknown(uv_loop_t *loop, uv_timer_t *t, uint64_t ms)
{
    if (uv_timer_init(loop, t) != 0)
        return;
    uv_timer_start(t, on_stats, ms, 0);
    registry_adopt_timer(t);
}

/* good: a flag tested twice: the timer exists exactly when it is closed */
void good_flag_tested_twice(uv_loop_t *loop, struct conn *c, bool with_timeout)
{
    uv_timer_t t;

    if (with_timeout) {
        uv_timer_init(loop, &t);
        t.data = c;
        uv_timer_start(&t, on_keepalive, c->period_ms, 0);
    }
    uv_run(loop, UV_RUN_DEFAULT);
    if (with_timeout)
        uv_close((uv_handle_t *)&t, NULL);
    uv_run(loop, UV_RUN_NOWAIT);
}

/* good: the path that does not close ends in abort() */
void good_abort_path(uv_loop_t *loop, struct conn *c)
{
    uv_timer_t t;

    if (uv_timer_init(loop, &t) != 0)
        abort();
    if (uv_timer_start(&t, on_keepalive, c->period_ms, 0) != 0) {
        fprintf(stderr, "cannot start keepalive\n");
        abort();
    }
    uv_run(loop, UV_RUN_DEFAULT);
    uv_close((uv_handle_t *)&t, NULL);
    uv_run(loop, UV_RUN_NOWAIT);
}

/* The teardown frees the connection without closing c->keepalive, which
 * good_field_through_pointer() started: a cross-function bug for the link
 * phase, not an intraprocedural leak. */
void conn_free(struct conn *c)
{
    free(c->retry);
    free(c);
}

void conn_start(struct conn *c)
{
    uv_timer_init(c->loop, &c->keepalive);
    c->keepalive.data = c;
    uv_timer_start(&c->keepalive, on_keepalive, c->period_ms, c->period_ms); /* known-gap: field-never-stopped */
}

/* A function that runs once for the program (called only from main(),
 * outside its loop) still may not leave a stack uv_timer_t initialised:
 * the handle's memory dies at its return while the loop still links it. */
static int run_drain(uv_loop_t *loop, int pending)
{
    uv_timer_t deadline;

    uv_timer_init(loop, &deadline); /* expect: missing-stop */
    if (pending == 0)
        return 0;
    uv_run(loop, UV_RUN_DEFAULT);
    uv_close((uv_handle_t *)&deadline, NULL);
    uv_run(loop, UV_RUN_NOWAIT);
    return 0;
}

int main(void)
{
    uv_loop_t *loop = uv_default_loop();
    uv_timer_t forever;

    uv_timer_init(loop, &forever); /* main's own storage lives until exit */
    return run_drain(loop, 1);
}
