/*
 * created-in-loop (libuv): uv_timer_init() inside a loop body on a handle
 * that is still open when the iteration ends. Reported on the uv_timer_init
 * line.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <uv.h>

struct retry {
    int attempts;
    uint64_t backoff_ms;
    int done;
};

static void on_retry(uv_timer_t *t)
{
    struct retry *r = t->data;

    r->done = 1;
}

static void close_timer(uv_timer_t *t)
{
    uv_close((uv_handle_t *)t, NULL);
}

/* bad: each attempt re-initialises the same timer without closing the last one */
int bad_reinit_each_attempt(uv_loop_t *loop, struct retry *r)
{
    uv_timer_t t;

    for (int i = 0; i < r->attempts; i++) {
        if (uv_timer_init(loop, &t) != 0) /* expect: created-in-loop */
            return -1;
        t.data = r;
        uv_timer_start(&t, on_retry, r->backoff_ms << i, 0);
        uv_run(loop, UV_RUN_DEFAULT);
        if (r->done)
            break;
    }
    return r->done ? 0 : -1;
}

/* bad: the stop at the end of the iteration is not a close */
void bad_stop_is_not_close(uv_loop_t *loop, struct retry *r)
{
    while (!r->done) { /* note[created-in-loop]: taking the true branch: '!r->done' is true */
        uv_timer_t t;

        uv_timer_init(loop, &t); /* expect: created-in-loop */ /* note[created-in-loop]: timer 't' created here by uv_timer_init() */ /* note[created-in-loop]: uv_timer_init() runs again here */
        t.data = r;
        uv_timer_start(&t, on_retry, r->backoff_ms, 0);
        uv_run(loop, UV_RUN_ONCE);
        uv_timer_stop(&t);
    }
}

/* bad: `continue` on a failed start skips the close at the bottom of the body */
int bad_continue_skips_close(uv_loop_t *loop, struct retry *r)
{
    int ok = 0;

    for (int i = 0; i < r->attempts; i++) {
        uv_timer_t t;

        if (uv_timer_init(loop, &t) != 0) /* expect: created-in-loop */
            continue;
        t.data = r;
        if (uv_timer_start(&t, on_retry, r->backoff_ms, 0) != 0)
            continue;
        uv_run(loop, UV_RUN_DEFAULT);
        ok += r->done;
        uv_close((uv_handle_t *)&t, NULL);
        uv_run(loop, UV_RUN_NOWAIT);
    }
    return ok;
}

/* good: every iteration closes its timer (through a same-file helper) */
int good_close_each_iteration(uv_loop_t *loop, struct retry *r)
{
    for (int i = 0; i < r->attempts && !r->done; i++) {
        uv_timer_t t;

        if (uv_timer_init(loop, &t) != 0)
            return -1;
        t.data = r;
        uv_timer_start(&t, on_retry, r->backoff_ms, 0);
        uv_run(loop, UV_RUN_DEFAULT);
        close_timer(&t);
        uv_run(loop, UV_RUN_NOWAIT);
    }
    return r->done ? 0 : -1;
}

/* good: one timer outside the loop, re-armed inside it with uv_timer_again */
int good_init_outside_loop(uv_loop_t *loop, struct retry *r)
{
    uv_timer_t t;

    if (uv_timer_init(loop, &t) != 0)
        return -1;
    t.data = r;
    uv_timer_start(&t, on_retry, r->backoff_ms, r->backoff_ms);
    for (int i = 0; i < r->attempts && !r->done; i++) {
        uv_timer_again(&t);
        uv_run(loop, UV_RUN_ONCE);
    }
    uv_close((uv_handle_t *)&t, NULL);
    uv_run(loop, UV_RUN_NOWAIT);
    return r->done ? 0 : -1;
}

/* good: timers initialised in a loop are stored in caller-owned array slots */
int good_array_of_timers(uv_loop_t *loop, uv_timer_t *timers, int n, struct retry *r)
{
    for (int i = 0; i < n; i++) {
        if (uv_timer_init(loop, &timers[i]) != 0)
            return -1;
        timers[i].data = r;
        uv_timer_start(&timers[i], on_retry, r->backoff_ms * (uint64_t)(i + 1), 0);
    }
    return 0;
}
