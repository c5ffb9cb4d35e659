// scan: --link
/* field-never-stopped (libuv), a teardown that closes the field: uv_close()
 * in a teardown (conn_destroy, session_free) does not race with a running
 * callback the way an asynchronous kernel del_timer() can: libuv runs on
 * one thread, the teardown runs on the loop thread, where no callback of
 * the timer runs at the same time, and after uv_close() the timer callback
 * is never called again. The object is freed by the close callback, once
 * the close completed. A field closed in a teardown is stopped: no finding.
 * A field that no function closes, or that is closed somewhere but whose
 * teardown frees the object without closing it, is field-never-stopped,
 * reported where it is started. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <uv.h>

#define container_of(ptr, type, member) \
    ((type *)((char *)(ptr) - offsetof(type, member)))

struct conn {
    uv_timer_t idle;        /* closed in conn_destroy: good */
    uint64_t idle_ms;
    int requests;
};

struct session {
    uv_timer_t ping;        /* both closed in session_free: good */
    uv_timer_t resend;
    int pending_closes;
};

struct stream {
    uv_timer_t watchdog;    /* closed by a same-file helper from stream_destroy: good */
    int bytes;
};

struct peer {
    uv_timer_t heartbeat;   /* started, closed by no function: bad */
    int misses;
};

struct chan {
    uv_timer_t flush;       /* closed in chan_close, but chan_free frees without it: bad */
    int queued;
};

static void on_timer(uv_timer_t *t)
{
    (void)t;
}

static void on_conn_closed(uv_handle_t *h)
{
    free(container_of((uv_timer_t *)h, struct conn, idle));
}

/* Frees the session once both of its timers finished closing. */
static void on_session_timer_closed(uv_handle_t *h)
{
    struct session *s = h->data;

    if (--s->pending_closes == 0)
        free(s);
}

static void close_timer(uv_timer_t *t)
{
    uv_close((uv_handle_t *)t, NULL);
}

int conn_start(uv_loop_t *loop, struct conn *c)
{
    if (uv_timer_init(loop, &c->idle) != 0)
        return -1;
    return uv_timer_start(&c->idle, on_timer, c->idle_ms, c->idle_ms);
}

/* good: the teardown closes the timer; the close callback frees the conn */
void conn_destroy(struct conn *c)
{
    uv_close((uv_handle_t *)&c->idle, on_conn_closed);
}

int session_start(uv_loop_t *loop, struct session *s)
{
    if (uv_timer_init(loop, &s->ping) != 0)
        return -1;
    if (uv_timer_init(loop, &s->resend) != 0)
        return -1;
    s->ping.data = s;
    s->resend.data = s;
    uv_timer_start(&s->ping, on_timer, 1000, 1000);
    return uv_timer_start(&s->resend, on_timer, 200, 0);
}

/* good: both timers closed; the last close callback frees the session */
void session_free(struct session *s)
{
    s->pending_closes = 2;
    uv_close((uv_handle_t *)&s->ping, on_session_timer_closed);
    uv_close((uv_handle_t *)&s->resend, on_session_timer_closed);
}

int stream_open(uv_loop_t *loop, struct stream *st)
{
    if (uv_timer_init(loop, &st->watchdog) != 0)
        return -1;
    return uv_timer_start(&st->watchdog, on_timer, 5000, 0);
}

/* good: the teardown closes the field through a same-file helper */
void stream_destroy(struct stream *st)
{
    close_timer(&st->watchdog);
}

int peer_start(uv_loop_t *loop, struct peer *p)
{
    if (uv_timer_init(loop, &p->heartbeat) != 0)
        return -1;
    return uv_timer_start(&p->heartbeat, on_timer, 1000, 1000); /* expect: field-never-stopped */
}

/* bad: the teardown neither closes the heartbeat nor calls anything that does */
void peer_destroy(struct peer *p)
{
    p->misses = 0;
    free(p);
}

int chan_open(uv_loop_t *loop, struct chan *ch)
{
    if (uv_timer_init(loop, &ch->flush) != 0)
        return -1;
    return uv_timer_start(&ch->flush, on_timer, 50, 50); /* expect: field-never-stopped */
}

void chan_close(struct chan *ch)
{
    uv_close((uv_handle_t *)&ch->flush, NULL);
}

/* bad: frees the channel without chan_close(): the loop still links ch->flush */
void chan_free(struct chan *ch)
{
    free(ch);
}
