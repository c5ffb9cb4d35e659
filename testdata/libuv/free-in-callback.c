/*
 * missing-stop (libuv), a timer freed in its own callback without
 * uv_close(): uv_timer_init() links the handle into the loop's handle
 * queue, and only uv_close() (completed by the loop) unlinks it. A callback
 * that free()s its handle, or the struct that embeds it (container_of(),
 * h->data), leaves the loop pointing at freed memory: the next uv_run(),
 * uv_walk() or uv_loop_close() reads it (and a repeating timer is still in
 * the timer heap). This is the "freed while pending, inside its
 * own callback".
 *
 * Which rule: missing-stop, reported on the uv_timer_init line, with a
 * note on the free() in the callback. The obligation uv_timer_init()
 * creates (uv_close before the storage goes) is never met: the handle's
 * life ends in free(), which is not a release, exactly as a stack timer's
 * life ends at a return (missing-stop-errpath.c) or a heap timer's at a
 * free() after a skipped close (bad_goto_skips_close there). It is not
 * use-after-release: nothing released the handle before the free(), and
 * free() is not a timer call on a released handle. The timer is created
 * into heap storage through a pointer, normally an escape; here the
 * callback registered with it shows where that storage ends.
 *
 * No finding when the callback closes the handle and the close callback
 * frees it (directly or through container_of), or when the callback frees
 * only its data, a separate object, and the handle is closed.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <uv.h>

#define container_of(ptr, type, member) \
    ((type *)((char *)(ptr) - offsetof(type, member)))

struct req {
    uv_timer_t timer;
    int id;
    int attempts;
};

struct payload {
    char *buf;
    size_t len;
};

extern void req_timed_out(int id);
extern void consume(struct payload *pl);

static void free_handle(uv_handle_t *h)
{
    free(h);
}

static void on_req_closed(uv_handle_t *h)
{
    free(container_of((uv_timer_t *)h, struct req, timer));
}

/* Frees its own handle without uv_close(). */
static void on_fire_free(uv_timer_t *h)
{
    free(h); /* note[missing-stop]: without uv_close() */
}

/* Frees the struct that embeds its handle, without uv_close(). */
static void on_req_timeout_free(uv_timer_t *h)
{
    struct req *r = container_of(h, struct req, timer);

    req_timed_out(r->id);
    free(r); /* note[missing-stop]: without uv_close() */
}

/* The same through h->data, which points at the embedding struct. */
static void on_req_timeout_free_data(uv_timer_t *h)
{
    struct req *r = h->data;

    req_timed_out(r->id);
    free(r);
}

/* Repeats; after three attempts stops and frees the request, never closing it. */
static void on_retry_free(uv_timer_t *h)
{
    struct req *r = container_of(h, struct req, timer);

    if (++r->attempts < 3)
        return;
    req_timed_out(r->id);
    free(r);
}

/* Closes its handle; the close callback frees it. */
static void on_fire_close(uv_timer_t *h)
{
    uv_close((uv_handle_t *)h, free_handle);
}

/* Closes the embedded handle; the close callback frees the request. */
static void on_req_timeout_close(uv_timer_t *h)
{
    struct req *r = container_of(h, struct req, timer);

    req_timed_out(r->id);
    uv_close((uv_handle_t *)&r->timer, on_req_closed);
}

/* Frees its data, a separate object, and closes the handle. */
static void on_payload_ready(uv_timer_t *h)
{
    struct payload *pl = h->data;

    consume(pl);
    free(pl->buf);
    free(pl);
    h->data = NULL;
    uv_close((uv_handle_t *)h, free_handle);
}

/* bad: a fire-and-forget heap timer whose callback frees it */
int bad_free_own_handle(uv_loop_t *loop, uint64_t ms)
{
    uv_timer_t *t = malloc(sizeof(*t));

    if (t == NULL)
        return -1;
    if (uv_timer_init(loop, t) != 0) { /* expect: missing-stop */ /* note[missing-stop]: created here by uv_timer_init() */
        free(t);
        return -1;
    }
    return uv_timer_start(t, on_fire_free, ms, 0);
}

/* bad: the request's timeout frees the request, timer included */
int bad_free_container(uv_loop_t *loop, int id, uint64_t ms)
{
    struct req *r = calloc(1, sizeof(*r));

    if (r == NULL)
        return -1;
    r->id = id;
    if (uv_timer_init(loop, &r->timer) != 0) { /* expect: missing-stop */
        free(r);
        return -1;
    }
    return uv_timer_start(&r->timer, on_req_timeout_free, ms, 0);
}

/* bad: the same, the callback reaching the request through h->data */
int bad_free_container_via_data(uv_loop_t *loop, int id, uint64_t ms)
{
    struct req *r = calloc(1, sizeof(*r));

    if (r == NULL)
        return -1;
    r->id = id;
    if (uv_timer_init(loop, &r->timer) != 0) { /* expect: missing-stop */
        free(r);
        return -1;
    }
    r->timer.data = r;
    return uv_timer_start(&r->timer, on_req_timeout_free_data, ms, 0);
}

/* bad: a repeating timer freed, still in the timer heap, after three runs */
int bad_free_repeating(uv_loop_t *loop, int id, uint64_t ms)
{
    struct req *r = calloc(1, sizeof(*r));

    if (r == NULL)
        return -1;
    r->id = id;
    if (uv_timer_init(loop, &r->timer) != 0) { /* expect: missing-stop */
        free(r);
        return -1;
    }
    return uv_timer_start(&r->timer, on_retry_free, ms, ms);
}

/* good: the callback closes the handle; the close callback frees it */
int good_close_then_free(uv_loop_t *loop, uint64_t ms)
{
    uv_timer_t *t = malloc(sizeof(*t));

    if (t == NULL)
        return -1;
    if (uv_timer_init(loop, t) != 0) {
        free(t);
        return -1;
    }
    return uv_timer_start(t, on_fire_close, ms, 0);
}

/* good: the same with the request freed from its close callback */
int good_close_container_then_free(uv_loop_t *loop, int id, uint64_t ms)
{
    struct req *r = calloc(1, sizeof(*r));

    if (r == NULL)
        return -1;
    r->id = id;
    if (uv_timer_init(loop, &r->timer) != 0) {
        free(r);
        return -1;
    }
    return uv_timer_start(&r->timer, on_req_timeout_close, ms, 0);
}

/* good: the callback frees its data, not the handle, and closes the handle */
int good_free_data_close_handle(uv_loop_t *loop, struct payload *pl, uint64_t ms)
{
    uv_timer_t *t = malloc(sizeof(*t));

    if (t == NULL)
        return -1;
    if (uv_timer_init(loop, t) != 0) {
        free(t);
        return -1;
    }
    t->data = pl;
    return uv_timer_start(t, on_payload_ready, ms, 0);
}
