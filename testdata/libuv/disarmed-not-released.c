/*
 * disarmed-not-released (libuv): uv_timer_stop() only stops the timer; the
 * handle stays linked into the loop until uv_close(). Reported on the
 * uv_timer_init line.
 */
#include <stdbool.h>
#include <stdint.h>
#include <uv.h>

struct watchdog {
    uint64_t timeout_ms;
    int kicks;
    bool expired;
};

static void on_expire(uv_timer_t *t)
{
    struct watchdog *w = t->data;

    w->expired = true;
}

/* Only stops its parameter: a disarm, not a release. */
static void pause_timer(uv_timer_t *t)
{
    uv_timer_stop(t);
}

/* bad: the watchdog is stopped at the end but never closed */
int bad_stop_only(uv_loop_t *loop, struct watchdog *w)
{
    uv_timer_t t;

    if (uv_timer_init(loop, &t) != 0) /* expect: disarmed-not-released */
        return -1;
    t.data = w;
    uv_timer_start(&t, on_expire, w->timeout_ms, 0);
    uv_run(loop, UV_RUN_DEFAULT);
    uv_timer_stop(&t);
    return w->expired ? -1 : 0;
}

/* bad: a same-file helper that only stops the timer does not close it */
void bad_helper_only_stops(uv_loop_t *loop, struct watchdog *w)
{
    uv_timer_t t;

    uv_timer_init(loop, &t); /* expect: disarmed-not-released */
    t.data = w;
    uv_timer_start(&t, on_expire, w->timeout_ms, w->timeout_ms);
    while (w->kicks-- > 0)
        uv_run(loop, UV_RUN_ONCE);
    pause_timer(&t);
}

/* good: stopped, then closed */
void good_stop_then_close(uv_loop_t *loop, struct watchdog *w)
{
    uv_timer_t t;

    if (uv_timer_init(loop, &t) != 0)
        return;
    t.data = w;
    uv_timer_start(&t, on_expire, w->timeout_ms, 0);
    uv_run(loop, UV_RUN_DEFAULT);
    uv_timer_stop(&t);
    uv_close((uv_handle_t *)&t, NULL);
    uv_run(loop, UV_RUN_NOWAIT);
}
