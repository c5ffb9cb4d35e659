/*
 * use-after-release (libuv), a closing handle: uv_close() only marks the
 * handle closing and stops it; the loop completes the close on a later
 * iteration, on the loop thread, and then calls the close callback. Until
 * the close callback frees it, the storage is valid and libuv defines what
 * the timer calls do on it (uv__is_closing() covers both closing and
 * closed):
 *  - uv_timer_start() returns UV_EINVAL;
 *  - uv_timer_again() returns UV_EINVAL (or 0 without repeat): it restarts
 *    through uv_timer_start();
 *  - uv_timer_stop() returns 0: uv_close() already stopped it;
 *  - uv_is_closing() and uv_is_active() answer.
 * None of these is a use-after-release, whether or not the loop ran after
 * the close. Two things are:
 *  - a second uv_close(): libuv asserts !uv__is_closing(handle), closing
 *    or already closed;
 *  - any call on a handle whose close callback freed it, once the loop ran
 *    after uv_close() (uv_run() completes pending closes, NOWAIT too).
 * Reported on the offending call.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <uv.h>

struct link {
    uv_loop_t *loop;
    uint64_t timeout_ms;
    int restarts;
};

static void on_timeout(uv_timer_t *t)
{
    struct link *l = t->data;

    l->restarts++;
}

static void free_handle(uv_handle_t *h)
{
    free(h);
}

/* Closes its parameter on every path. */
static void close_timer(uv_timer_t *t)
{
    uv_close((uv_handle_t *)t, NULL);
}

/* good: a restart after the close is refused with UV_EINVAL */
int good_start_after_close(struct link *l)
{
    uv_timer_t t;
    int r;

    if (uv_timer_init(l->loop, &t) != 0)
        return -1;
    t.data = l;
    uv_timer_start(&t, on_timeout, l->timeout_ms, 0);
    uv_run(l->loop, UV_RUN_DEFAULT);
    uv_close((uv_handle_t *)&t, NULL);
    r = uv_timer_start(&t, on_timeout, l->timeout_ms, 0);
    if (r == UV_EINVAL)
        fprintf(stderr, "timer already closing\n");
    uv_run(l->loop, UV_RUN_NOWAIT);
    return r;
}

/* good: the same after the close completed: the stack storage is still
 * there and the handle is closed, so the start is still UV_EINVAL */
int good_start_after_close_completed(struct link *l)
{
    uv_timer_t t;

    if (uv_timer_init(l->loop, &t) != 0)
        return -1;
    uv_close((uv_handle_t *)&t, NULL);
    uv_run(l->loop, UV_RUN_NOWAIT);
    return uv_timer_start(&t, on_timeout, l->timeout_ms, 0);
}

/* good: a stop after the close returns 0: the close stopped it already */
void good_stop_after_close(struct link *l)
{
    uv_timer_t t;

    if (uv_timer_init(l->loop, &t) != 0)
        return;
    t.data = l;
    uv_timer_start(&t, on_timeout, l->timeout_ms, l->timeout_ms);
    uv_run(l->loop, UV_RUN_ONCE);
    uv_close((uv_handle_t *)&t, NULL);
    uv_timer_stop(&t);
    uv_run(l->loop, UV_RUN_NOWAIT);
}

/* good: a same-file helper closed it; the caller's uv_timer_again is refused */
int good_again_after_helper_close(struct link *l)
{
    uv_timer_t t;
    int r;

    if (uv_timer_init(l->loop, &t) != 0)
        return -1;
    t.data = l;
    uv_timer_start(&t, on_timeout, l->timeout_ms, l->timeout_ms);
    uv_run(l->loop, UV_RUN_ONCE);
    close_timer(&t);
    r = uv_timer_again(&t);
    uv_run(l->loop, UV_RUN_NOWAIT);
    return r;
}

/* good: the second close is guarded by uv_is_closing(): it never runs */
void good_guarded_second_close(struct link *l, bool abort_early)
{
    uv_timer_t t;

    if (uv_timer_init(l->loop, &t) != 0)
        return;
    if (abort_early)
        uv_close((uv_handle_t *)&t, NULL);
    if (!uv_is_closing((uv_handle_t *)&t))
        uv_close((uv_handle_t *)&t, NULL);
    uv_run(l->loop, UV_RUN_NOWAIT);
}

/* good: a heap timer closed with a freeing callback, restarted before the
 * loop ran: the storage is still there, the start returns UV_EINVAL */
int good_heap_start_before_close_completes(struct link *l)
{
    uv_timer_t *t = malloc(sizeof(*t));
    int r;

    if (t == NULL)
        return -1;
    if (uv_timer_init(l->loop, t) != 0) {
        free(t);
        return -1;
    }
    uv_close((uv_handle_t *)t, free_handle);
    r = uv_timer_start(t, on_timeout, l->timeout_ms, 0);
    uv_run(l->loop, UV_RUN_NOWAIT);
    return r;
}

/* bad: closed twice in a row */
void bad_close_twice(struct link *l)
{
    uv_timer_t t;

    if (uv_timer_init(l->loop, &t) != 0)
        return;
    uv_close((uv_handle_t *)&t, NULL); /* note[use-after-release]: released here by uv_close() */
    uv_close((uv_handle_t *)&t, NULL); /* expect: use-after-release */ /* note[use-after-release]: uv_close() here */
    uv_run(l->loop, UV_RUN_NOWAIT);
}

/* bad: closed again after the loop completed the first close */
void bad_close_after_close_completed(struct link *l)
{
    uv_timer_t t;

    if (uv_timer_init(l->loop, &t) != 0)
        return;
    t.data = l;
    uv_timer_start(&t, on_timeout, l->timeout_ms, 0);
    uv_run(l->loop, UV_RUN_DEFAULT);
    uv_close((uv_handle_t *)&t, NULL);
    uv_run(l->loop, UV_RUN_NOWAIT);
    uv_close((uv_handle_t *)&t, NULL); /* expect: use-after-release */
    uv_run(l->loop, UV_RUN_NOWAIT);
}

/* bad: a same-file helper closes it, then the caller closes it again */
void bad_close_after_helper_close(struct link *l, bool failed)
{
    uv_timer_t t;

    if (uv_timer_init(l->loop, &t) != 0)
        return;
    t.data = l;
    uv_timer_start(&t, on_timeout, l->timeout_ms, 0);
    if (failed)
        close_timer(&t);
    else
        uv_run(l->loop, UV_RUN_DEFAULT);
    uv_close((uv_handle_t *)&t, NULL); /* expect: use-after-release */
    uv_run(l->loop, UV_RUN_NOWAIT);
}

/* bad: the close callback freed the heap timer during uv_run(); the
 * restart touches freed memory */
int bad_start_after_close_callback_freed(struct link *l)
{
    uv_timer_t *t = malloc(sizeof(*t));

    if (t == NULL)
        return -1;
    if (uv_timer_init(l->loop, t) != 0) {
        free(t);
        return -1;
    }
    t->data = l;
    uv_timer_start(t, on_timeout, l->timeout_ms, 0);
    uv_run(l->loop, UV_RUN_DEFAULT);
    uv_close((uv_handle_t *)t, free_handle);
    uv_run(l->loop, UV_RUN_NOWAIT);
    return uv_timer_start(t, on_timeout, l->timeout_ms, 0); /* known-gap: use-after-release */
}
