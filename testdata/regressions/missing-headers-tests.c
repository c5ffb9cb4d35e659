/* Tests of a handle read from tokens (#13 item 5: the realistic modules
 * scanned with every header missing reported one false finding in two).
 * With <stddef.h>, <event2/event.h> and <errno.h> behind a missing project
 * header, NULL, EAGAIN and the events' types are undeclared:
 * - `ev == NULL` is still the null test of ev, and `ev = NULL` its value;
 * - a create stored in a field (`c->ev = event_new(...)`) is not a local
 *   named ev;
 * - a create inside a condition that cannot be read (`(rc = create()) ==
 *   EAGAIN`) is tested some way we cannot see: no path proves it made;
 * - `&p->idle` with the member's type unknown is not `p`.
 * Each of these was a false report; the real bugs around them stay. */
#include "svc_all.h"

struct conn {
    struct event *ev;
    int fd;
};

struct peer {
    uv_timer_t idle;
    uv_timer_t probe;
};

static void on_read(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    (void)arg;
}

/* good: the failed create is tested with NULL, and freed once on the
 * common exit */
int conn_watch(struct event_base *base, int fd, const struct timeval *tv,
               struct event **out)
{
    struct event *ev = NULL;

    if (fd < 0)
        goto fail;
    ev = event_new(base, fd, EV_READ, on_read, NULL);
    if (ev == NULL)
        goto fail;
    if (event_add(ev, tv) < 0)
        goto fail;
    *out = ev;
    return 0;
fail:
    if (ev != NULL)
        event_free(ev);
    return -1;
}

/* bad: freed, then freed again on the common exit */
int conn_watch_twice(struct event_base *base, int fd, const struct timeval *tv,
                     struct event **out)
{
    struct event *ev = NULL;

    ev = event_new(base, fd, EV_READ, on_read, NULL);
    if (ev == NULL)
        goto fail;
    if (event_add(ev, tv) < 0) {
        event_free(ev);
        goto fail;
    }
    *out = ev;
    return 0;
fail:
    if (ev != NULL)
        event_free(ev); /* expect: use-after-release */
    return -1;
}

/* good: the event lives in the connection */
int conn_open(struct conn *c, struct event_base *base)
{
    c->ev = event_new(base, c->fd, EV_READ | EV_PERSIST, on_read, c);
    if (c->ev == NULL)
        return -1;
    return event_add(c->ev, NULL);
}

static void *pool_worker(void *arg)
{
    return arg;
}

/* good: the loop runs again only when the create failed (EAGAIN) */
int pool_spawn(void *pool, pthread_t *out)
{
    pthread_t th;
    int rc, tries = 0;

    while ((rc = pthread_create(&th, NULL, pool_worker, pool)) == EAGAIN &&
           tries++ < 5)
        usleep(1000);
    if (rc != 0)
        return -rc;
    *out = th;
    return 0;
}

/* good: two timers in one peer, not one `p` made twice */
struct peer *peer_new(uv_loop_t *loop)
{
    struct peer *p = calloc(1, sizeof *p);

    if (p == NULL)
        return NULL;
    uv_timer_init(loop, &p->idle);
    uv_timer_init(loop, &p->probe);
    return p;
}

/* bad: still seen with the headers missing */
int ticker_start(struct event_base *base, const struct timeval *tv)
{
    struct event *ev = event_new(base, -1, EV_PERSIST, on_read, NULL); /* expect: missing-stop */

    if (ev == NULL)
        return -1;
    if (event_add(ev, tv) < 0)
        return -1;
    return 0;
}

/* A family's own name for the null handle (null-names in its rule file):
 * good, the failed alloc is tested with it; bad, the allocated one is
 * lost on the error return. */
int flow_timer_arm(odp_timer_pool_t pool, odp_queue_t q, void *flow,
                   odp_timer_t *out)
{
    odp_timer_t tim = odp_timer_alloc(pool, q, flow);

    if (tim == ODP_TIMER_INVALID)
        return -1;
    *out = tim;
    return 0;
}

int flow_timer_arm_checked(odp_timer_pool_t pool, odp_queue_t q, void *flow,
                           odp_timer_t *out, int limit)
{
    odp_timer_t tim = odp_timer_alloc(pool, q, flow); /* expect: missing-stop */

    if (tim == ODP_TIMER_INVALID)
        return -1;
    if (limit < 1)
        return -2;
    *out = tim;
    return 0;
}
