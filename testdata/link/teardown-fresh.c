// scan: --link
/* field-never-stopped, the teardown case, and new memory: a teardown that
 * frees the object without stopping its timer field is the bug only when
 * the object can hold a running timer. A static free helper that is only
 * ever called on a constructor's error path, right after the allocation
 * and before anything was started or handed out, frees no running timer.
 * The same helper called after the timer was armed, called from a close
 * path, or whose address escapes (an ops table, a callback) is a teardown
 * like any other. Reported where the field is armed. */
#include <signal.h>
#include <stdlib.h>
#include <time.h>

struct conn {
    char *rbuf;
    timer_t idle;
};

struct sess {
    char *key;
    timer_t expiry;
};

struct peer {
    char *addr;
    timer_t keepalive;
};

struct job {
    char *name;
    timer_t deadline;
};

struct peer_ops {
    void (*destroy)(struct peer *p);
};

extern void log_str(const char *s);

/* Only conn_new() calls it, before the timer exists. */
static void conn_free(struct conn *c)
{
    free(c->rbuf);
    free(c);
}

/* good: conn_free() runs only on new memory; the timer is made after */
struct conn *conn_new(size_t bufsize)
{
    struct itimerspec its = {{30, 0}, {30, 0}};
    struct conn *c = calloc(1, sizeof *c);

    if (c == NULL)
        return NULL;
    c->rbuf = malloc(bufsize);
    if (c->rbuf == NULL) {
        log_str("no memory for the read buffer");
        conn_free(c);
        return NULL;
    }
    if (timer_create(CLOCK_MONOTONIC, NULL, &c->idle) != 0) {
        free(c->rbuf);
        free(c);
        return NULL;
    }
    timer_settime(c->idle, 0, &its, NULL);
    return c;
}

void conn_close(struct conn *c)
{
    timer_delete(c->idle);
    free(c->rbuf);
    free(c);
}

static void sess_free(struct sess *s)
{
    free(s->key);
    free(s);
}

struct sess *sess_new(const char *key)
{
    struct itimerspec its = {{0, 0}, {300, 0}};
    struct sess *s = calloc(1, sizeof *s);

    if (s == NULL)
        return NULL;
    s->key = malloc(64);
    if (s->key == NULL) {
        sess_free(s);
        return NULL;
    }
    if (timer_create(CLOCK_REALTIME, NULL, &s->expiry) != 0) {
        sess_free(s);
        return NULL;
    }
    timer_settime(s->expiry, 0, &its, NULL); /* expect: field-never-stopped */
    return s;
}

void sess_touch(struct sess *s)
{
    timer_delete(s->expiry);
}

/* bad: the close path frees a session whose expiry may be armed */
void sess_close(struct sess *s)
{
    sess_free(s);
}

static void peer_free(struct peer *p)
{
    free(p->addr);
    free(p);
}

/* Its address is in a table: anyone may call it, on any peer. */
const struct peer_ops peer_default_ops = {
    .destroy = peer_free,
};

struct peer *peer_new(void)
{
    struct itimerspec its = {{15, 0}, {15, 0}};
    struct peer *p = calloc(1, sizeof *p);

    if (p == NULL)
        return NULL;
    p->addr = malloc(46);
    if (p->addr == NULL) {
        peer_free(p);
        return NULL;
    }
    if (timer_create(CLOCK_MONOTONIC, NULL, &p->keepalive) != 0) {
        free(p->addr);
        free(p);
        return NULL;
    }
    timer_settime(p->keepalive, 0, &its, NULL); /* expect: field-never-stopped */
    return p;
}

void peer_quiet(struct peer *p)
{
    timer_delete(p->keepalive);
}

static void job_free(struct job *j)
{
    free(j->name);
    free(j);
}

/* bad: job_free() runs after the deadline was armed */
struct job *job_new(int secs)
{
    struct itimerspec its = {{0, 0}, {secs, 0}};
    struct job *j = calloc(1, sizeof *j);

    if (j == NULL)
        return NULL;
    if (timer_create(CLOCK_MONOTONIC, NULL, &j->deadline) != 0) {
        free(j);
        return NULL;
    }
    timer_settime(j->deadline, 0, &its, NULL); /* expect: field-never-stopped */
    j->name = malloc(32);
    if (j->name == NULL) {
        job_free(j);
        return NULL;
    }
    return j;
}

void job_done(struct job *j)
{
    timer_delete(j->deadline);
    free(j->name);
    free(j);
}
