/* lease_mgr.c - time-limited leases, one POSIX one-shot timer per lease.
 * Expiry (SIGEV_THREAD) wakes the notifier threads, which reap the expired
 * leases under the manager lock. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define LEASE_MAX_NOTIFIERS 8

struct lease {
    uint64_t      id;
    unsigned      ttl_sec;
    timer_t       expiry;
    struct lease *next;
};

struct lease_rec { uint64_t id; unsigned ttl_sec; };

struct lease_mgr {
    pthread_mutex_t lock;
    pthread_cond_t  cond;
    struct lease   *leases;
    int             stopping;
    unsigned        notifiers_ready;
    unsigned        nnotifiers;
    pthread_t       notifiers[LEASE_MAX_NOTIFIERS];
    unsigned long   pending_expiries, delivered, reaped;
};

static void lease_expired(union sigval sv)
{
    struct lease_mgr *m = sv.sival_ptr;

    pthread_mutex_lock(&m->lock);
    m->pending_expiries++;
    pthread_cond_broadcast(&m->cond);
    pthread_mutex_unlock(&m->lock);
}

static void lease_sigevent(struct lease_mgr *m, struct sigevent *sev)
{
    memset(sev, 0, sizeof *sev);
    sev->sigev_notify = SIGEV_THREAD;
    sev->sigev_notify_function = lease_expired;
    sev->sigev_value.sival_ptr = m;
}

/* The *_locked helpers, lease_find and lease_link run under m->lock. */
static struct lease *lease_find(struct lease_mgr *m, uint64_t id)
{
    struct lease *l;

    for (l = m->leases; l; l = l->next)
        if (l->id == id)
            return l;
    return NULL;
}

static void lease_link(struct lease_mgr *m, struct lease *l)
{
    l->next = m->leases;
    m->leases = l;
}

/* Stops the expiry timer of l. */
static void lease_timer_cancel(struct lease *l)
{
    timer_delete(l->expiry);
}

static void lease_sweep_locked(struct lease_mgr *m)
{
    struct lease **pp = &m->leases, *l;
    struct itimerspec cur;

    while ((l = *pp) != NULL) {
        if (timer_gettime(l->expiry, &cur) == 0 && cur.it_value.tv_sec == 0 &&
            cur.it_value.tv_nsec == 0) {
            timer_delete(l->expiry);
            *pp = l->next;
            free(l);
            m->reaped++;
        } else {
            pp = &l->next;
        }
    }
}

int lease_grant(struct lease_mgr *m, uint64_t id, unsigned ttl_sec)
{
    struct itimerspec its = { .it_value = { .tv_sec = ttl_sec } };
    struct sigevent sev;
    struct lease *l;
    int rc;

    if (ttl_sec == 0)
        return -EINVAL;
    l = calloc(1, sizeof *l);
    if (!l)
        return -ENOMEM;
    l->id = id;
    l->ttl_sec = ttl_sec;
    lease_sigevent(m, &sev);
    if (timer_create(CLOCK_MONOTONIC, &sev, &l->expiry) != 0) { /* expect: missing-stop */
        rc = -errno;
        goto fail_free;
    }
    if (timer_settime(l->expiry, 0, &its, NULL) != 0) {
        rc = -errno;
        goto fail_timer;
    }
    pthread_mutex_lock(&m->lock);
    if (lease_find(m, id)) {
        pthread_mutex_unlock(&m->lock);
        rc = -EEXIST;
        goto fail_free;
    }
    lease_link(m, l);
    pthread_mutex_unlock(&m->lock);
    return 0;

fail_timer:
    timer_delete(l->expiry);
fail_free:
    free(l);
    return rc;
}

int lease_renew(struct lease_mgr *m, uint64_t id, unsigned ttl_sec)
{
    struct itimerspec its = { .it_value = { .tv_sec = ttl_sec } };
    struct lease *l;
    int rc = 0;

    pthread_mutex_lock(&m->lock);
    l = lease_find(m, id);
    if (!l) {
        rc = -ENOENT;
        goto out;
    }
    lease_timer_cancel(l);
    l->ttl_sec = ttl_sec;
    if (timer_settime(l->expiry, 0, &its, NULL) != 0) /* expect: use-after-release */
        rc = -errno;
out:
    pthread_mutex_unlock(&m->lock);
    return rc;
}

int lease_revoke(struct lease_mgr *m, uint64_t id)
{
    struct lease **pp, *l = NULL;

    pthread_mutex_lock(&m->lock);
    for (pp = &m->leases; *pp; pp = &(*pp)->next) {
        if ((*pp)->id == id) {
            l = *pp;
            *pp = l->next;
            break;
        }
    }
    pthread_mutex_unlock(&m->lock);
    if (!l)
        return -ENOENT;
    lease_timer_cancel(l);
    free(l);
    return 0;
}

/* Re-create the leases saved at the last shutdown; *restored gets the count. */
int lease_restore(struct lease_mgr *m, const struct lease_rec *recs, size_t n,
                  size_t *restored)
{
    struct sigevent sev;
    size_t i, done = 0;

    lease_sigevent(m, &sev);
    for (i = 0; i < n; i++) {
        struct itimerspec its = { .it_value = { .tv_sec = recs[i].ttl_sec } };
        struct lease *l;
        timer_t t;

        if (recs[i].ttl_sec == 0)
            continue; /* ran out while we were down */
        if (timer_create(CLOCK_MONOTONIC, &sev, &t) != 0) /* expect: created-in-loop */
            return -errno;
        if (timer_settime(t, 0, &its, NULL) != 0) {
            timer_delete(t);
            continue;
        }
        l = calloc(1, sizeof *l);
        if (!l)
            continue;
        l->id = recs[i].id;
        l->ttl_sec = recs[i].ttl_sec;
        l->expiry = t;
        pthread_mutex_lock(&m->lock);
        lease_link(m, l);
        pthread_mutex_unlock(&m->lock);
        done++;
    }
    *restored = done;
    return 0;
}

static void *notifier_main(void *arg)
{
    struct lease_mgr *m = arg;

    pthread_mutex_lock(&m->lock);
    m->notifiers_ready++;
    pthread_cond_broadcast(&m->cond);
    while (!m->stopping) {
        while (!m->stopping && m->pending_expiries == 0)
            pthread_cond_wait(&m->cond, &m->lock);
        if (m->pending_expiries > 0) {
            m->pending_expiries--;
            m->delivered++;
            lease_sweep_locked(m);
        }
    }
    pthread_mutex_unlock(&m->lock);
    return NULL;
}

static int notifier_wait_ready(struct lease_mgr *m, unsigned want, unsigned timeout_sec)
{
    struct timespec deadline;
    int rc = 0, ready;

    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += timeout_sec;
    pthread_mutex_lock(&m->lock);
    while (m->notifiers_ready < want && rc == 0)
        rc = pthread_cond_timedwait(&m->cond, &m->lock, &deadline);
    ready = m->notifiers_ready >= want;
    pthread_mutex_unlock(&m->lock);
    return ready ? 0 : -ETIMEDOUT;
}

static int lease_mgr_start_notifiers(struct lease_mgr *m, unsigned n)
{
    unsigned i;

    if (n > LEASE_MAX_NOTIFIERS)
        n = LEASE_MAX_NOTIFIERS;
    for (i = 0; i < n; i++) {
        pthread_t tid;

        if (pthread_create(&tid, NULL, notifier_main, m) != 0) /* expect: missing-join */
            break;
        if (notifier_wait_ready(m, i + 1, 2) != 0)
            break; /* did not come up in time; run with what we have */
        m->notifiers[i] = tid;
    }
    m->nnotifiers = i;
    return i > 0 ? 0 : -EAGAIN;
}

int lease_mgr_init(struct lease_mgr *m, unsigned nnotifiers)
{
    int rc;

    memset(m, 0, sizeof *m);
    pthread_mutex_init(&m->lock, NULL);
    pthread_cond_init(&m->cond, NULL);
    rc = lease_mgr_start_notifiers(m, nnotifiers);
    if (rc != 0) {
        pthread_cond_destroy(&m->cond);
        pthread_mutex_destroy(&m->lock);
    }
    return rc;
}

void lease_mgr_destroy(struct lease_mgr *m)
{
    struct lease *l, *next;
    unsigned i;

    pthread_mutex_lock(&m->lock);
    m->stopping = 1;
    pthread_cond_broadcast(&m->cond);
    pthread_mutex_unlock(&m->lock);
    for (i = 0; i < m->nnotifiers; i++)
        pthread_join(m->notifiers[i], NULL);
    for (l = m->leases; l; l = next) {
        next = l->next;
        timer_delete(l->expiry);
        free(l);
    }
    m->leases = NULL;
    pthread_cond_destroy(&m->cond);
    pthread_mutex_destroy(&m->lock);
}
