/*
 * use-after-release (libuv): a second uv_close() on a timer that was already
 * given to uv_close() on that path (libuv asserts). Reported on the offending
 * call. Stopping a closing handle is not one: the handle stays valid
 * until its close callback runs on a later loop iteration, and libuv
 * defines those calls on it (uv_timer_stop does nothing). Starting or
 * re-arming it returns UV_EINVAL: a caller that drops that result
 * believes the timer runs, and it never fires, so an unchecked start is
 * one (changed in session 8: three independently written modules expected
 * it; a checked start stays fine, closing-handle.c).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <uv.h>

struct session {
    uv_loop_t *loop;
    uint64_t idle_ms;
    bool closing;
    int errors;
};

static void on_idle(uv_timer_t *t)
{
    struct session *s = t->data;

    s->closing = true;
}

static void on_closed(uv_handle_t *h)
{
    free(h);
}

/* Closes its parameter on every path. */
static void shutdown_timer(uv_timer_t *t)
{
    uv_timer_stop(t);
    uv_close((uv_handle_t *)t, NULL);
}

/* bad: the error branch closes the timer and the common exit closes it again */
int bad_double_close(struct session *s)
{
    uv_timer_t t;
    int ret = 0;

    if (uv_timer_init(s->loop, &t) != 0)
        return -1;
    t.data = s;
    if (uv_timer_start(&t, on_idle, s->idle_ms, 0) != 0) {
        s->errors++;
        uv_close((uv_handle_t *)&t, NULL);
        ret = -1;
        goto out;
    }
    uv_run(s->loop, UV_RUN_DEFAULT);
out:
    uv_close((uv_handle_t *)&t, NULL); /* expect: use-after-release */
    uv_run(s->loop, UV_RUN_NOWAIT);
    return ret;
}

/* bad: re-arming a closing timer fails (UV_EINVAL), unchecked */
void bad_restart_after_close(struct session *s, bool reconnect)
{
    uv_timer_t t;

    if (uv_timer_init(s->loop, &t) != 0)
        return;
    t.data = s;
    uv_timer_start(&t, on_idle, s->idle_ms, 0);
    uv_run(s->loop, UV_RUN_DEFAULT);
    uv_close((uv_handle_t *)&t, NULL);
    if (reconnect)
        uv_timer_start(&t, on_idle, s->idle_ms, 0); /* expect: use-after-release */
    uv_run(s->loop, UV_RUN_NOWAIT);
}

/* good: stopping a closing timer does nothing (uv_close stopped it) */
void good_stop_after_close(struct session *s)
{
    uv_timer_t t;

    if (uv_timer_init(s->loop, &t) != 0)
        return;
    uv_timer_start(&t, on_idle, s->idle_ms, s->idle_ms);
    uv_run(s->loop, UV_RUN_ONCE);
    uv_close((uv_handle_t *)&t, NULL);
    uv_timer_stop(&t);
    uv_run(s->loop, UV_RUN_NOWAIT);
}

/* bad: a same-file helper closes the timer; re-arming it fails unchecked */
void bad_again_after_helper_close(struct session *s)
{
    uv_timer_t t;

    if (uv_timer_init(s->loop, &t) != 0)
        return;
    uv_timer_start(&t, on_idle, s->idle_ms, s->idle_ms);
    shutdown_timer(&t);
    uv_timer_again(&t); /* expect: use-after-release */
    uv_run(s->loop, UV_RUN_NOWAIT);
}

/* bad: a timer owned by the caller is closed twice */
void bad_double_close_param(uv_timer_t *t)
{
    uv_timer_stop(t);
    uv_close((uv_handle_t *)t, on_closed);
    uv_close((uv_handle_t *)t, on_closed); /* expect: use-after-release */
}

/* good: closed, re-initialised into the same storage, used, closed again */
void good_reinit_after_close(struct session *s)
{
    uv_timer_t t;

    if (uv_timer_init(s->loop, &t) != 0)
        return;
    uv_close((uv_handle_t *)&t, NULL);
    uv_run(s->loop, UV_RUN_NOWAIT);
    if (uv_timer_init(s->loop, &t) != 0)
        return;
    uv_timer_start(&t, on_idle, s->idle_ms, 0);
    uv_run(s->loop, UV_RUN_DEFAULT);
    uv_close((uv_handle_t *)&t, NULL);
    uv_run(s->loop, UV_RUN_NOWAIT);
}

/* good: closed on one branch, used and then closed on the other */
int good_close_one_branch_use_other(struct session *s, bool cancel)
{
    uv_timer_t t;

    if (uv_timer_init(s->loop, &t) != 0)
        return -1;
    if (cancel) {
        uv_close((uv_handle_t *)&t, NULL);
        uv_run(s->loop, UV_RUN_NOWAIT);
        return 0;
    }
    uv_timer_start(&t, on_idle, s->idle_ms, 0);
    uv_timer_set_repeat(&t, s->idle_ms);
    uv_run(s->loop, UV_RUN_DEFAULT);
    shutdown_timer(&t);
    uv_run(s->loop, UV_RUN_NOWAIT);
    return 1;
}

/* good: uv_is_closing() is valid between uv_close() and its callback */
void good_is_closing_after_close(uv_timer_t *t)
{
    if (!uv_is_closing((uv_handle_t *)t))
        uv_close((uv_handle_t *)t, on_closed);
}
