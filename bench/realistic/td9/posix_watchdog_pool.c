/*
 * posix_watchdog_pool.c - per-worker watchdogs.  A worker must kick its slot
 * more often than its timeout; expiry reports a stall to the supervisor.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#define WD_MAX      64
#define WD_NAME_LEN 32
struct wd_entry {
	timer_t         tid;
	int             in_use;
	int             armed;
	int             worker_id;
	unsigned        timeout_ms;
	char            name[WD_NAME_LEN];
	struct wd_pool *pool;
};

struct wd_pool {
	pthread_mutex_t lock;
	size_t          n;
	clockid_t       clock;
	struct wd_entry e[WD_MAX];
};

extern int  worker_ping(int worker_id);
extern int  worker_busy(int worker_id);
extern int  worker_wait_idle(int worker_id, unsigned timeout_ms);
extern void worker_force_stop(int worker_id);
extern void supervisor_report_stall(int worker_id, const char *name);
extern void log_msg(int level, const char *fmt, ...);

static void wd_its(struct itimerspec *its, unsigned ms)
{
	memset(its, 0, sizeof(*its));
	its->it_value.tv_sec = ms / 1000;
	its->it_value.tv_nsec = (long)(ms % 1000) * 1000000L;
}

static void wd_sev_init(struct sigevent *sev, void (*fn)(union sigval), void *ctx)
{
	memset(sev, 0, sizeof(*sev));
	sev->sigev_notify = SIGEV_THREAD;
	sev->sigev_notify_function = fn;
	sev->sigev_value.sival_ptr = ctx;
}

static void wd_expired(union sigval sv)
{
	struct wd_entry *e = sv.sival_ptr;
	pthread_mutex_lock(&e->pool->lock);
	e->armed = 0;
	pthread_mutex_unlock(&e->pool->lock);
	supervisor_report_stall(e->worker_id, e->name);
}

/* First clock the kernel lets us put timers on; BOOTTIME needs 2.6.39+. */
static clockid_t wd_pick_clock(void)
{
	static const clockid_t candidates[] = { CLOCK_BOOTTIME, CLOCK_MONOTONIC };
	struct sigevent sev = { .sigev_notify = SIGEV_NONE };
	timer_t probe;
	size_t i;

	for (i = 0; i < sizeof(candidates) / sizeof(candidates[0]); i++) {
		if (timer_create(candidates[i], &sev, &probe) != 0)
			continue;
		timer_delete(probe);
		return candidates[i];
	}
	return CLOCK_REALTIME;
}

int wd_pool_init(struct wd_pool *p, size_t n)
{
	struct sigevent sev;
	size_t i;

	if (n > WD_MAX)
		return -EINVAL;
	memset(p, 0, sizeof(*p));
	pthread_mutex_init(&p->lock, NULL);
	p->clock = wd_pick_clock();
	for (i = 0; i < n; i++) {
		struct wd_entry *e = &p->e[i];
		e->pool = p;
		wd_sev_init(&sev, wd_expired, e);
		if (timer_create(p->clock, &sev, &e->tid) != 0) {
			int err = errno;
			while (i-- > 0)
				timer_delete(p->e[i].tid);
			pthread_mutex_destroy(&p->lock);
			return -err;
		}
	}
	p->n = n;
	return 0;
}

/* timeout_ms == 0 registers the slot; it is armed by the first wd_kick(). */
int wd_register(struct wd_pool *p, const char *name, int worker_id, unsigned timeout_ms)
{
	struct itimerspec its;
	size_t i;

	pthread_mutex_lock(&p->lock);
	for (i = 0; i < p->n; i++) {
		struct wd_entry *e = &p->e[i];
		if (e->in_use)
			continue;
		e->in_use = 1;
		e->worker_id = worker_id;
		e->timeout_ms = timeout_ms;
		snprintf(e->name, sizeof(e->name), "%s", name);
		wd_its(&its, timeout_ms);
		timer_settime(e->tid, 0, &its, NULL);
		e->armed = timeout_ms != 0;
		pthread_mutex_unlock(&p->lock);
		return (int)i;
	}
	pthread_mutex_unlock(&p->lock);
	return -ENOSPC;
}

int wd_kick(struct wd_pool *p, int slot)
{
	struct wd_entry *e = &p->e[slot];
	struct itimerspec its;
	int rc = -EINVAL;

	pthread_mutex_lock(&p->lock);
	if (e->in_use) {
		wd_its(&its, e->timeout_ms);
		rc = timer_settime(e->tid, 0, &its, NULL) ? -errno : 0;
		e->armed = rc == 0;
	}
	pthread_mutex_unlock(&p->lock);
	return rc;
}

void wd_unregister(struct wd_pool *p, int slot)
{
	static const struct itimerspec off = { { 0, 0 }, { 0, 0 } };
	struct wd_entry *e = &p->e[slot];

	pthread_mutex_lock(&p->lock);
	if (e->in_use) {
		timer_settime(e->tid, 0, &off, NULL);
		e->armed = 0;
		e->in_use = 0;
	}
	pthread_mutex_unlock(&p->lock);
}

/* Maintenance mode: stop every watchdog but keep the registrations. */
void wd_disarm_all(struct wd_pool *p)
{
	struct itimerspec its;
	size_t i;

	wd_its(&its, 0);
	pthread_mutex_lock(&p->lock);
	for (i = 0; i < p->n; i++) {
		if (!p->e[i].armed)
			continue;
		timer_settime(p->e[i].tid, 0, &its, NULL);
		p->e[i].armed = 0;
	}
	pthread_mutex_unlock(&p->lock);
}

/* Move a slot to another clock, carrying over a running deadline. */
int wd_set_clock(struct wd_pool *p, int slot, clockid_t clock)
{
	struct wd_entry *e = &p->e[slot];
	struct sigevent sev;
	struct itimerspec its;
	timer_t t, old;

	wd_sev_init(&sev, wd_expired, e);
	if (timer_create(clock, &sev, &t) != 0)
		return -errno;
	pthread_mutex_lock(&p->lock);
	if (e->armed) {
		wd_its(&its, e->timeout_ms);
		if (timer_settime(t, 0, &its, NULL) != 0) {
			int err = errno;
			pthread_mutex_unlock(&p->lock);
			timer_delete(t);
			return -err;
		}
	}
	old = e->tid;
	e->tid = t;
	pthread_mutex_unlock(&p->lock);
	timer_delete(old);
	return 0;
}

static void wd_budget_expired(union sigval sv)
{
	*(volatile int *)sv.sival_ptr = 1;
}

/* Ping every registered worker; stop sweeping once @budget_ms has passed. */
int wd_pool_sweep(struct wd_pool *p, unsigned budget_ms)
{
	volatile int overrun = 0;
	struct sigevent sev;
	struct itimerspec its;
	timer_t budget;
	int pinged = 0, rc;
	size_t i;

	wd_sev_init(&sev, wd_budget_expired, (void *)&overrun);
	if (timer_create(CLOCK_MONOTONIC, &sev, &budget) != 0) /* expect: missing-stop */
		return -errno;
	wd_its(&its, budget_ms);
	if (timer_settime(budget, 0, &its, NULL) != 0) {
		rc = -errno;
		timer_delete(budget);
		return rc;
	}
	for (i = 0; i < p->n && !overrun; i++) {
		struct wd_entry *e = &p->e[i];
		if (!e->in_use)
			continue;
		rc = worker_ping(e->worker_id);
		if (rc == -EPIPE) {
			log_msg(LOG_ERR, "watchdog %s: worker is gone", e->name);
			return rc;
		}
		if (rc == 0)
			pinged++;
	}
	timer_delete(budget);
	return overrun ? -ETIMEDOUT : pinged;
}

static void wd_grace_expired(union sigval sv)
{
	struct wd_entry *e = sv.sival_ptr;
	log_msg(LOG_WARNING, "watchdog %s: grace period over", e->name);
	worker_force_stop(e->worker_id);
}

/* Give each busy worker @grace_ms to go idle, then stop it from the callback. */
int wd_pool_quiesce(struct wd_pool *p, unsigned grace_ms)
{
	struct sigevent sev;
	struct itimerspec its;
	timer_t grace;
	int armed = 0, waited = 0;
	size_t i;

	wd_its(&its, grace_ms);
	for (i = 0; i < p->n; i++) {
		struct wd_entry *e = &p->e[i];
		if (!e->in_use || !worker_busy(e->worker_id))
			continue;
		wd_sev_init(&sev, wd_grace_expired, e);
		if (timer_create(CLOCK_MONOTONIC, &sev, &grace) != 0) { /* expect: created-in-loop */
			worker_force_stop(e->worker_id);
			continue;
		}
		armed = 1;
		timer_settime(grace, 0, &its, NULL);
		worker_wait_idle(e->worker_id, grace_ms);
		waited++;
	}
	if (armed)
		timer_delete(grace);
	return waited;
}

void wd_pool_destroy(struct wd_pool *p)
{
	struct itimerspec left;
	size_t i;

	pthread_mutex_lock(&p->lock);
	for (i = 0; i < p->n; i++) {
		struct wd_entry *e = &p->e[i];
		timer_delete(e->tid);
		if (!e->in_use || !e->armed)
			continue;
		if (timer_gettime(e->tid, &left) == 0) /* expect: use-after-release */
			log_msg(LOG_INFO, "watchdog %s: %lds left", e->name, (long)left.it_value.tv_sec);
	}
	p->n = 0;
	pthread_mutex_unlock(&p->lock);
	pthread_mutex_destroy(&p->lock);
}
