/*
 * missing-stop (libuv), a handle released by its own callback: a timer
 * whose callback calls uv_close() on it is released when the loop runs
 * that callback. A function that initialises and starts the timer and then
 * runs the loop (uv_run(UV_RUN_DEFAULT) returns once no handle is active
 * or closing) need not close it itself. The callback may reach the handle
 * through its parameter, through container_of() on the struct that embeds
 * it, or through h->data pointing at that struct; it may close only after
 * some repeats (a repeating timer that closes itself once its work is
 * done: the close is on some of the callback's paths, and the loop keeps
 * calling it until one of them is taken).
 *
 * Still missing-stop, on the uv_timer_init line:
 *  - a callback that only stops the timer (uv_timer_stop leaves the handle
 *    linked into the loop's handle queue);
 *  - a path that leaves before the callback was armed: an error between
 *    uv_timer_init and uv_timer_start, or uv_timer_start failing;
 *  - a callback that closes some other handle (a global timer), not the
 *    one it is called for;
 *  - a stack timer whose function returns before any loop run: the
 *    callback never ran while the storage was alive.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <uv.h>

#define container_of(ptr, type, member) \
    ((type *)((char *)(ptr) - offsetof(type, member)))

struct pinger {
    uv_loop_t *loop;
    uv_timer_t timer;
    uint64_t interval_ms;
    int sent;
    int max_pings;
};

/* Another timer, owned by this file: housekeeping_start() starts it. */
static uv_timer_t housekeeping_timer;

extern int pinger_send(struct pinger *p);
extern int load_config(const char *path);

static void on_closed(uv_handle_t *h)
{
    (void)h;
}

static void on_housekeeping(uv_timer_t *h)
{
    (void)h;
}

/* Closes the handle it is called for, on every path. */
static void close_self(uv_timer_t *h)
{
    uv_close((uv_handle_t *)h, on_closed);
}

/* Reaches the struct that embeds the timer and closes the embedded timer. */
static void pinger_done(uv_timer_t *h)
{
    struct pinger *p = container_of(h, struct pinger, timer);

    p->sent++;
    uv_close((uv_handle_t *)&p->timer, NULL);
}

/* The same through h->data, which the starter points at the container. */
static void pinger_done_via_data(uv_timer_t *h)
{
    struct pinger *p = h->data;

    p->sent++;
    uv_close((uv_handle_t *)&p->timer, NULL);
}

/* Repeats; closes its own handle once the pings are sent or one fails. */
static void pinger_tick(uv_timer_t *h)
{
    struct pinger *p = container_of(h, struct pinger, timer);

    if (pinger_send(p) < 0 || ++p->sent >= p->max_pings)
        uv_close((uv_handle_t *)h, NULL);
}

/* Repeats; closes its own handle when the countdown in its data ends. */
static void countdown_tick(uv_timer_t *h)
{
    int *left = h->data;

    if (--*left == 0)
        uv_close((uv_handle_t *)h, on_closed);
}

/* Only stops: the handle stays linked into the loop. */
static void stop_self(uv_timer_t *h)
{
    uv_timer_stop(h);
}

/* Closes the global housekeeping timer, not the handle it is called for. */
static void close_housekeeping(uv_timer_t *h)
{
    (void)h;
    uv_close((uv_handle_t *)&housekeeping_timer, NULL);
}

/* A global timer: an escape, no finding here. */
int housekeeping_start(uv_loop_t *loop)
{
    if (uv_timer_init(loop, &housekeeping_timer) != 0)
        return -1;
    return uv_timer_start(&housekeeping_timer, on_housekeeping, 1000, 1000);
}

/* good: the one-shot's callback closes it; uv_run() returns after the close */
int good_closed_by_own_callback(uv_loop_t *loop)
{
    uv_timer_t t;

    if (uv_timer_init(loop, &t) != 0)
        return -1;
    uv_timer_start(&t, close_self, 10, 0);
    return uv_run(loop, UV_RUN_DEFAULT);
}

/* good: the callback reaches the embedded timer with container_of() */
int good_closed_through_container_of(uv_loop_t *loop, uint64_t ms)
{
    struct pinger p = { .loop = loop, .interval_ms = ms };

    if (uv_timer_init(loop, &p.timer) != 0)
        return -1;
    uv_timer_start(&p.timer, pinger_done, ms, 0);
    uv_run(loop, UV_RUN_DEFAULT);
    return p.sent;
}

/* good: the callback reaches the embedded timer through h->data */
int good_closed_through_data(uv_loop_t *loop, uint64_t ms)
{
    struct pinger p = { .loop = loop, .interval_ms = ms };

    if (uv_timer_init(loop, &p.timer) != 0)
        return -1;
    p.timer.data = &p;
    uv_timer_start(&p.timer, pinger_done_via_data, ms, 0);
    uv_run(loop, UV_RUN_DEFAULT);
    return p.sent;
}

/* good: a repeating timer whose callback closes it after max_pings runs
 * (on some of its paths); uv_run() returns only once it did */
int good_closed_after_repeats(uv_loop_t *loop, uint64_t ms, int n)
{
    struct pinger p = { .loop = loop, .interval_ms = ms, .max_pings = n };

    if (uv_timer_init(loop, &p.timer) != 0)
        return -1;
    if (uv_timer_start(&p.timer, pinger_tick, ms, ms) != 0) {
        uv_close((uv_handle_t *)&p.timer, NULL);
        uv_run(loop, UV_RUN_NOWAIT);
        return -1;
    }
    uv_run(loop, UV_RUN_DEFAULT);
    return p.sent;
}

/* good: the same with the countdown kept in a local the timer points at */
void good_countdown_closes(uv_loop_t *loop)
{
    uv_timer_t t;
    int left = 3;

    uv_timer_init(loop, &t);
    t.data = &left;
    uv_timer_start(&t, countdown_tick, 100, 100);
    uv_run(loop, UV_RUN_DEFAULT);
}

/* bad: the callback only stops the repeating timer; nothing closes it */
int bad_callback_only_stops(uv_loop_t *loop)
{
    uv_timer_t t;

    if (uv_timer_init(loop, &t) != 0) /* expect: missing-stop */ /* note[missing-stop]: timer 't' created here by uv_timer_init() */
        return -1;
    uv_timer_start(&t, stop_self, 10, 10);
    return uv_run(loop, UV_RUN_DEFAULT); /* note[missing-stop]: returning here without uv_close() */
}

/* bad: the configuration error returns before the self-closing callback is
 * armed: the initialised timer is never closed on that path */
int bad_error_before_start(uv_loop_t *loop, const char *path)
{
    uv_timer_t t;

    if (uv_timer_init(loop, &t) != 0) /* expect: missing-stop */
        return -1;
    if (load_config(path) < 0) /* note[missing-stop]: taking the true branch: 'load_config(path) < 0' is true */
        return -1; /* note[missing-stop]: returning here without uv_close() */
    uv_timer_start(&t, close_self, 10, 0);
    return uv_run(loop, UV_RUN_DEFAULT);
}

/* bad: uv_timer_start fails, so its callback will never run to close it */
int bad_start_fails(uv_loop_t *loop)
{
    uv_timer_t t;
    int r;

    r = uv_timer_init(loop, &t); /* known-gap: missing-stop */
    if (r != 0)
        return r;
    r = uv_timer_start(&t, close_self, 10, 0);
    if (r != 0) { /* note-gap[missing-stop]: taking the true branch: 'r != 0' is true */
        fprintf(stderr, "uv_timer_start: %s\n", uv_strerror(r));
        return r; /* note-gap[missing-stop]: returning here without uv_close() */
    }
    return uv_run(loop, UV_RUN_DEFAULT);
}

/* bad: the callback closes the global housekeeping timer, not 't' */
int bad_callback_closes_other_handle(uv_loop_t *loop)
{
    uv_timer_t t;

    if (uv_timer_init(loop, &t) != 0) /* expect: missing-stop */
        return -1;
    uv_timer_start(&t, close_housekeeping, 10, 0);
    return uv_run(loop, UV_RUN_DEFAULT);
}

/* bad: the callback would close it, but the function returns before the
 * loop runs: the stack timer dies still linked into the loop */
void bad_returns_before_loop_runs(uv_loop_t *loop)
{
    uv_timer_t t;

    if (uv_timer_init(loop, &t) != 0) /* known-gap: missing-stop */
        return;
    uv_timer_start(&t, close_self, 10, 0);
}
