/*
 * missing-stop (libuv), a heap uv_timer_t freed while live: the memory is
 * the handle (uv_timer_init links it into the loop), so free() before
 * uv_close() leaves the loop pointing at freed memory. Reported on the
 * uv_timer_init line, with the free as the last note. #12 class 2.
 *
 * No finding when the handle was closed and the close callback frees it,
 * when unknown code got the pointer first (it may close it), or when the
 * free is of a different object.
 */
#include <stdlib.h>
#include <uv.h>

struct probe {
    uv_timer_t timer;
    int fired;
    char *label;
};

extern int probe_register(uv_timer_t *t);

static void on_fire(uv_timer_t *h)
{
    struct probe *p = h->data;

    p->fired = 1;
}

static void on_closed(uv_handle_t *h)
{
    free(h->data);
}

/* bad: the start fails and the struct embedding the timer is freed */
int probe_start(uv_loop_t *loop, uint64_t ms)
{
    struct probe *p = calloc(1, sizeof(*p));

    if (p == NULL)
        return -1;
    if (uv_timer_init(loop, &p->timer) != 0) { /* expect: missing-stop */
        free(p);
        return -1;
    }
    p->timer.data = p;
    if (uv_timer_start(&p->timer, on_fire, ms, 0) != 0) {
        free(p); /* note[missing-stop]: 'p' freed here by free() without uv_close() */
        return -1;
    }
    return 0;
}

/* bad: a bare heap timer freed after the loop ran, never closed */
int wait_once(uv_loop_t *loop, uint64_t ms)
{
    uv_timer_t *t = malloc(sizeof(*t));

    if (t == NULL)
        return -1;
    uv_timer_init(loop, t); /* expect: missing-stop */
    uv_timer_start(t, NULL, ms, 0);
    uv_run(loop, UV_RUN_DEFAULT);
    free(t);
    return 0;
}

/* good: closed, and the close callback frees it */
int probe_start_closed(uv_loop_t *loop, uint64_t ms)
{
    struct probe *p = calloc(1, sizeof(*p));

    if (p == NULL)
        return -1;
    if (uv_timer_init(loop, &p->timer) != 0) {
        free(p);
        return -1;
    }
    p->timer.data = p;
    if (uv_timer_start(&p->timer, on_fire, ms, 0) != 0) {
        uv_close((uv_handle_t *)&p->timer, on_closed);
        return -1;
    }
    return 0;
}

/* good: unknown code got the timer first and may have closed it */
int probe_start_registered(uv_loop_t *loop)
{
    struct probe *p = calloc(1, sizeof(*p));

    if (p == NULL)
        return -1;
    if (uv_timer_init(loop, &p->timer) != 0) {
        free(p);
        return -1;
    }
    if (probe_register(&p->timer) != 0) {
        free(p);
        return -1;
    }
    return 0;
}

/* good: what is freed is the label, not the memory of the timer */
int probe_relabel(uv_loop_t *loop, struct probe *p, char *label)
{
    if (uv_timer_init(loop, &p->timer) != 0)
        return -1;
    free(p->label);
    p->label = label;
    return 0;
}
