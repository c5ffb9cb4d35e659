/*
 * missing-stop (libuv), loop teardown: the usual shutdown closes every
 * handle of a loop at once, with uv_walk(loop, close_walk_cb, NULL) whose
 * walk callback closes each handle not already closing
 * (`if (!uv_is_closing(h)) uv_close(h, NULL);`), then uv_run() so the
 * closes complete, then uv_loop_close(). After the walk every handle
 * initialised on that loop is closing or closed: it is released, and no
 * missing-stop is reported for it. It may be done by a same-file helper
 * given the loop, and the loop may be named by two calls of
 * uv_default_loop() (the same loop each time).
 *
 * Still missing-stop, on the uv_timer_init line: a walk whose callback
 * does not close (it only counts the handles), a walk over another loop
 * than the one the timer was initialised on, a path that leaves before the
 * walk. And a handle the walk closed is released: closing it again after
 * the walk is a use-after-release (libuv asserts !uv__is_closing), while a
 * handle closed before the walk is skipped by the walk callback's guard.
 */
#include <stdint.h>
#include <stdio.h>
#include <uv.h>

struct stats {
    int ticks;
    int max_ticks;
};

/* Closes every handle that is not already closing. */
static void close_walk_cb(uv_handle_t *h, void *arg)
{
    (void)arg;
    if (!uv_is_closing(h))
        uv_close(h, NULL);
}

/* Closes the loop's timers only (the other handles belong to someone else). */
static void close_timers_walk_cb(uv_handle_t *h, void *arg)
{
    (void)arg;
    if (uv_handle_get_type(h) == UV_TIMER && !uv_is_closing(h))
        uv_close(h, NULL);
}

/* Counts the handles: closes nothing. */
static void count_walk_cb(uv_handle_t *h, void *arg)
{
    int *n = arg;

    if (uv_is_active(h))
        (*n)++;
}

/* Repeats until max_ticks, then stops the loop: uv_run() returns with the
 * timer still active, for the teardown to close. */
static void on_tick(uv_timer_t *t)
{
    struct stats *s = t->data;

    if (++s->ticks >= s->max_ticks)
        uv_stop(uv_handle_get_loop((uv_handle_t *)t));
}

/* Closes every handle of the loop, lets the closes complete, closes the loop. */
static int loop_teardown(uv_loop_t *loop)
{
    uv_walk(loop, close_walk_cb, NULL);
    uv_run(loop, UV_RUN_DEFAULT);
    return uv_loop_close(loop);
}

/* good: walk-close, run, loop close: the timer is closed by the walk */
int good_walk_closes_all(uv_loop_t *loop, struct stats *s)
{
    uv_timer_t t;

    if (uv_timer_init(loop, &t) != 0)
        return -1;
    t.data = s;
    uv_timer_start(&t, on_tick, 100, 100);
    uv_run(loop, UV_RUN_DEFAULT);
    uv_walk(loop, close_walk_cb, NULL);
    uv_run(loop, UV_RUN_DEFAULT);
    return uv_loop_close(loop);
}

/* good: a loop of its own with two timers, both closed by the walk */
int good_own_loop_two_timers(struct stats *s)
{
    uv_loop_t loop;
    uv_timer_t fast, slow;

    if (uv_loop_init(&loop) != 0)
        return -1;
    uv_timer_init(&loop, &fast);
    uv_timer_init(&loop, &slow);
    fast.data = s;
    slow.data = s;
    uv_timer_start(&fast, on_tick, 10, 10);
    uv_timer_start(&slow, on_tick, 1000, 1000);
    uv_run(&loop, UV_RUN_DEFAULT);
    uv_walk(&loop, close_walk_cb, NULL);
    uv_run(&loop, UV_RUN_DEFAULT);
    return uv_loop_close(&loop);
}

/* good: the teardown is a same-file helper given the loop */
int good_teardown_helper(uv_loop_t *loop, struct stats *s)
{
    uv_timer_t t;

    if (uv_timer_init(loop, &t) != 0)
        return -1;
    t.data = s;
    uv_timer_start(&t, on_tick, 100, 100);
    uv_run(loop, UV_RUN_DEFAULT);
    return loop_teardown(loop);
}

/* good: uv_default_loop() names the same loop at the init and at the walk */
int good_default_loop(struct stats *s)
{
    uv_timer_t t;

    if (uv_timer_init(uv_default_loop(), &t) != 0)
        return -1;
    t.data = s;
    uv_timer_start(&t, on_tick, 100, 100);
    uv_run(uv_default_loop(), UV_RUN_DEFAULT);
    uv_walk(uv_default_loop(), close_walk_cb, NULL);
    uv_run(uv_default_loop(), UV_RUN_DEFAULT);
    return uv_loop_close(uv_default_loop());
}

/* good: the walk callback closes every timer of the loop */
int good_walk_closes_timers(uv_loop_t *loop, struct stats *s)
{
    uv_timer_t t;

    if (uv_timer_init(loop, &t) != 0)
        return -1;
    t.data = s;
    uv_timer_start(&t, on_tick, 100, 100);
    uv_run(loop, UV_RUN_DEFAULT);
    uv_walk(loop, close_timers_walk_cb, NULL);
    uv_run(loop, UV_RUN_DEFAULT);
    return 0;
}

/* good: closed before the walk; the walk callback's guard skips it: one close */
int good_closed_then_walk(uv_loop_t *loop, struct stats *s)
{
    uv_timer_t t;

    if (uv_timer_init(loop, &t) != 0)
        return -1;
    t.data = s;
    uv_timer_start(&t, on_tick, 100, 100);
    uv_run(loop, UV_RUN_DEFAULT);
    uv_close((uv_handle_t *)&t, NULL);
    uv_walk(loop, close_walk_cb, NULL);
    uv_run(loop, UV_RUN_DEFAULT);
    return uv_loop_close(loop);
}

/* bad: the walk only counts the active handles; the timer is never closed */
int bad_walk_only_counts(uv_loop_t *loop, struct stats *s)
{
    uv_timer_t t;
    int active = 0;

    if (uv_timer_init(loop, &t) != 0) /* expect: missing-stop */ /* note[missing-stop]: timer 't' created here by uv_timer_init() */
        return -1;
    t.data = s;
    uv_timer_start(&t, on_tick, 100, 100);
    uv_run(loop, UV_RUN_DEFAULT);
    uv_walk(loop, count_walk_cb, &active);
    fprintf(stderr, "%d handles still active\n", active);
    return uv_loop_close(loop); /* note[missing-stop]: returning here without uv_close() */
}

/* bad: the timer is on the aux loop; only the main loop is walked and closed */
int bad_walk_other_loop(struct stats *s)
{
    uv_loop_t main_loop, aux_loop;
    uv_timer_t t;

    if (uv_loop_init(&main_loop) != 0)
        return -1;
    if (uv_loop_init(&aux_loop) != 0) {
        uv_loop_close(&main_loop);
        return -1;
    }
    uv_timer_init(&aux_loop, &t); /* known-gap: missing-stop */
    t.data = s;
    uv_timer_start(&t, on_tick, 100, 100);
    uv_run(&aux_loop, UV_RUN_DEFAULT);
    uv_walk(&main_loop, close_walk_cb, NULL);
    uv_run(&main_loop, UV_RUN_DEFAULT);
    uv_loop_close(&main_loop);
    return uv_loop_close(&aux_loop);
}

/* bad: the run error returns before the teardown walk */
int bad_return_before_walk(uv_loop_t *loop, struct stats *s)
{
    uv_timer_t t;
    int r;

    if (uv_timer_init(loop, &t) != 0) /* expect: missing-stop */
        return -1;
    t.data = s;
    uv_timer_start(&t, on_tick, 100, 100);
    r = uv_run(loop, UV_RUN_DEFAULT);
    if (s->ticks < s->max_ticks) /* note[missing-stop]: taking the true branch: 's->ticks < s->max_ticks' is true */
        return -1; /* note[missing-stop]: returning here without uv_close() */
    uv_walk(loop, close_walk_cb, NULL);
    uv_run(loop, UV_RUN_DEFAULT);
    uv_loop_close(loop);
    return r;
}

/* bad: the walk closed the timer (it was not closing before); closing it
 * again asserts in libuv */
int bad_close_after_walk(uv_loop_t *loop, struct stats *s)
{
    uv_timer_t t;

    if (uv_timer_init(loop, &t) != 0)
        return -1;
    t.data = s;
    uv_timer_start(&t, on_tick, 100, 100);
    uv_run(loop, UV_RUN_DEFAULT);
    uv_walk(loop, close_walk_cb, NULL);
    uv_close((uv_handle_t *)&t, NULL); /* known-gap: use-after-release */
    uv_run(loop, UV_RUN_DEFAULT);
    return uv_loop_close(loop);
}
