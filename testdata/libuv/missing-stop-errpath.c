/*
 * missing-stop (libuv): a uv_timer_t initialised with uv_timer_init() is
 * linked into the loop's handle queue; a path that leaves the function
 * without uv_close() leaves the loop pointing at dead storage. Reported on
 * the uv_timer_init line.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <uv.h>

struct probe {
    const char *name;
    uint64_t timeout_ms;
    int fired;
    int last_error;
};

static void on_probe_timeout(uv_timer_t *t)
{
    struct probe *p = t->data;

    p->fired++;
}

/* Same-file helper that only reads the timer: neither a release nor an escape. */
static uint64_t remaining_ms(const uv_timer_t *t)
{
    return uv_timer_get_due_in(t);
}

/* bad: uv_timer_start fails and the error path returns without uv_close */
int bad_start_error_returns(uv_loop_t *loop, struct probe *p)
{
    uv_timer_t t;
    int r;

    r = uv_timer_init(loop, &t); /* expect: missing-stop */ /* note[missing-stop]: timer 't' created here by uv_timer_init() */
    if (r != 0) /* note[missing-stop]: taking the false branch: 'r != 0' is false */
        return r;
    t.data = p;
    r = uv_timer_start(&t, on_probe_timeout, p->timeout_ms, 0);
    if (r < 0) { /* note[missing-stop]: taking the true branch: 'r < 0' is true */
        p->last_error = r;
        fprintf(stderr, "%s: uv_timer_start: %s\n", p->name, uv_strerror(r));
        return r; /* note[missing-stop]: returning here without uv_close() */
    }
    uv_run(loop, UV_RUN_DEFAULT);
    uv_close((uv_handle_t *)&t, NULL);
    uv_run(loop, UV_RUN_NOWAIT);
    return 0;
}

/* bad: the timer is initialised before the argument check that bails out */
int bad_init_before_validation(uv_loop_t *loop, struct probe *p)
{
    uv_timer_t t;

    if (uv_timer_init(loop, &t) != 0) /* expect: missing-stop */ /* note[missing-stop]: taking the false branch: 'uv_timer_init(loop, &t) != 0' is false */
        return -1;
    if (p->name == NULL || p->timeout_ms == 0)
        return -1; /* note[missing-stop]: returning here without uv_close() */
    uv_timer_start(&t, on_probe_timeout, p->timeout_ms, 0);
    uv_run(loop, UV_RUN_DEFAULT);
    uv_close((uv_handle_t *)&t, NULL);
    uv_run(loop, UV_RUN_NOWAIT);
    return 0;
}

/* bad: a heap timer is closed on success, but the goto skips the close label
 * and frees it while the loop still links it. A handle created into storage
 * reached through a pointer counts as escaped: the engine does not know that
 * t points to memory this function allocated. */
int bad_goto_skips_close(uv_loop_t *loop, struct probe *p)
{
    uv_timer_t *t = malloc(sizeof(*t));
    int ret = -1;

    if (t == NULL)
        return -1;
    if (uv_timer_init(loop, t) != 0) /* expect: missing-stop */
        goto out_free;
    if (uv_timer_start(t, on_probe_timeout, p->timeout_ms, 0) != 0)
        goto out_free;
    uv_run(loop, UV_RUN_DEFAULT);
    ret = p->fired ? 0 : -1;
    uv_close((uv_handle_t *)t, NULL);
    uv_run(loop, UV_RUN_NOWAIT);
out_free:
    free(t);
    return ret;
}

/* bad: the switch's default case rejects the mode with the timer still open */
int bad_switch_default(uv_loop_t *loop, struct probe *p, int mode)
{
    uv_timer_t t;
    uint64_t repeat;

    if (uv_timer_init(loop, &t) < 0) /* expect: missing-stop */ /* note[missing-stop]: taking the false branch: 'uv_timer_init(loop, &t) < 0' is false */
        return -1;
    switch (mode) {
    case 0:
        repeat = 0;
        break;
    case 1:
        repeat = p->timeout_ms;
        break;
    default:
        fprintf(stderr, "%s: bad mode %d\n", p->name, mode);
        return -1; /* note[missing-stop]: returning here without uv_close() */
    }
    uv_timer_start(&t, on_probe_timeout, p->timeout_ms, repeat);
    uv_run(loop, UV_RUN_DEFAULT);
    uv_close((uv_handle_t *)&t, NULL);
    uv_run(loop, UV_RUN_NOWAIT);
    return 0;
}

/* bad: the timer is only stopped on the early-fire path, never closed there */
int bad_early_fire_path(uv_loop_t *loop, struct probe *p)
{
    uv_timer_t t;

    uv_timer_init(loop, &t); /* expect: missing-stop */
    uv_timer_start(&t, on_probe_timeout, p->timeout_ms, p->timeout_ms);
    uv_run(loop, UV_RUN_ONCE);
    if (p->fired > 0 && remaining_ms(&t) == 0) /* note[missing-stop]: taking the true branch: 'p->fired > 0' is true */ /* note[missing-stop]: taking the true branch: 'remaining_ms(&t) == 0' is true */
        return 1; /* note[missing-stop]: returning here without uv_close() */
    uv_timer_stop(&t);
    uv_close((uv_handle_t *)&t, NULL);
    uv_run(loop, UV_RUN_NOWAIT);
    return 0;
}

/* bad: the second init overwrites a timer that is still linked into the loop */
int bad_reinit_without_close(uv_loop_t *loop, struct probe *p, bool restart)
{
    uv_timer_t t;

    if (uv_timer_init(loop, &t) != 0) /* expect: missing-stop */
        return -1;
    uv_timer_start(&t, on_probe_timeout, p->timeout_ms, 0);
    if (restart) { /* note[missing-stop]: taking the true branch: 'restart' is true */
        if (uv_timer_init(loop, &t) != 0) /* note[missing-stop]: 't' overwritten here: the previous timer is lost */
            return -1;
        uv_timer_start(&t, on_probe_timeout, 2 * p->timeout_ms, 0);
    }
    uv_run(loop, UV_RUN_DEFAULT);
    uv_close((uv_handle_t *)&t, NULL);
    uv_run(loop, UV_RUN_NOWAIT);
    return 0;
}
