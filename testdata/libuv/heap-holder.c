/*
 * #12 class 2: a heap uv_timer_t whose last pointer dies while it is
 * started: the loop keeps firing a timer nobody can close (missing-stop at
 * uv_timer_init). No finding when it is returned, stored, or closed.
 */
#include <stdlib.h>
#include <uv.h>

struct watch {
    uv_timer_t timer;
    int hits;
};

static struct watch *g_watch;

static void on_tick(uv_timer_t *t)
{
    (void)t;
}

static void on_closed(uv_handle_t *h)
{
    free(h);
}

/* bad: started and forgotten */
int tick_start(uv_loop_t *loop, uint64_t ms)
{
    uv_timer_t *t = malloc(sizeof *t);

    if (!t)
        return -1;
    uv_timer_init(loop, t); /* expect: missing-stop */
    uv_timer_start(t, on_tick, ms, ms);
    return 0;
}

/* bad: embedded in a record whose pointer dies */
int watch_start(uv_loop_t *loop, uint64_t ms)
{
    struct watch *w = calloc(1, sizeof *w);

    if (!w)
        return -1;
    uv_timer_init(loop, &w->timer); /* expect: missing-stop */
    return uv_timer_start(&w->timer, on_tick, ms, ms);
}

/* good: kept in a global */
int watch_keep(uv_loop_t *loop, uint64_t ms)
{
    struct watch *w = calloc(1, sizeof *w);

    if (!w)
        return -1;
    uv_timer_init(loop, &w->timer);
    uv_timer_start(&w->timer, on_tick, ms, ms);
    g_watch = w;
    return 0;
}

/* good: closed with a callback that frees it */
int tick_once(uv_loop_t *loop, uint64_t ms)
{
    uv_timer_t *t = malloc(sizeof *t);

    if (!t)
        return -1;
    uv_timer_init(loop, t);
    if (uv_timer_start(t, on_tick, ms, 0) != 0) {
        uv_close((uv_handle_t *)t, on_closed);
        return -1;
    }
    uv_run(loop, UV_RUN_DEFAULT);
    uv_close((uv_handle_t *)t, on_closed);
    return 0;
}

/* good: returned to the caller */
uv_timer_t *tick_new(uv_loop_t *loop)
{
    uv_timer_t *t = malloc(sizeof *t);

    if (t)
        uv_timer_init(loop, t);
    return t;
}
