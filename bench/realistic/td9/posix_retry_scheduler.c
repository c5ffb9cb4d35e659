/*
 * posix_retry_scheduler.c - delayed retry of outbound requests.  Each failed
 * request owns a SIGEV_THREAD timer; delays grow from base_ms up to max_ms.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

struct retry_config {
	unsigned int base_ms;
	unsigned int max_ms;
	unsigned int max_attempts;
	unsigned int probe_timeout_ms;
};

struct retry_scheduler {
	pthread_mutex_t     lock;
	struct retry_entry *head;
};

struct retry_entry {
	struct retry_entry     *next;
	struct retry_scheduler *sched;
	uint64_t                req_id;
	timer_t                 timer;
	int                     timer_valid;
	unsigned int            attempt;
	int                     paused;
};

extern const struct retry_config *config_current(void);
extern int  transport_send(uint64_t req_id, unsigned int attempt);
extern int  transport_probe(const char *host, volatile int *cancel);
extern void transport_fail(uint64_t req_id, int err);
extern void log_msg(int level, const char *fmt, ...);

static void its_from_ms(struct itimerspec *its, unsigned int ms)
{
	its->it_value.tv_sec = ms / 1000;
	its->it_value.tv_nsec = (long)(ms % 1000) * 1000000L;
	its->it_interval.tv_sec = 0;
	its->it_interval.tv_nsec = 0;
}

static void its_from_config(struct itimerspec *its,
			    const struct retry_config *cfg, unsigned int attempt)
{
	unsigned int ms = cfg->base_ms;

	while (attempt-- > 0 && ms < cfg->max_ms)
		ms <<= 1;
	its_from_ms(its, ms > cfg->max_ms ? cfg->max_ms : ms);
}

static void its_clear(struct itimerspec *its)
{
	memset(its, 0, sizeof(*its));
}

static void retry_sev_init(struct sigevent *sev, void (*fn)(union sigval), void *ctx)
{
	memset(sev, 0, sizeof(*sev));
	sev->sigev_notify = SIGEV_THREAD;
	sev->sigev_notify_function = fn;
	sev->sigev_value.sival_ptr = ctx;
}

static void retry_timer_release(struct retry_entry *e)
{
	if (!e->timer_valid)
		return;
	timer_delete(e->timer);
	e->timer_valid = 0;
}

/* Called with the scheduler lock held after a failed attempt. */
static void retry_advance(struct retry_entry *e)
{
	const struct retry_config *cfg = config_current();
	struct itimerspec its;

	e->attempt++;
	if (e->attempt >= cfg->max_attempts) {
		timer_delete(e->timer);
		e->timer_valid = 0;
		transport_fail(e->req_id, ETIMEDOUT);
	}
	its_from_config(&its, cfg, e->attempt);
	if (timer_settime(e->timer, 0, &its, NULL) != 0) /* expect: use-after-release */
		log_msg(LOG_ERR, "retry rearm failed: %s", strerror(errno));
}

static void retry_fire(union sigval sv)
{
	struct retry_entry *e = sv.sival_ptr;
	struct retry_scheduler *s = e->sched;

	pthread_mutex_lock(&s->lock);
	if (!e->paused && e->timer_valid) {
		if (transport_send(e->req_id, e->attempt) == 0)
			retry_timer_release(e);
		else
			retry_advance(e);
	}
	pthread_mutex_unlock(&s->lock);
}

struct retry_entry *retry_schedule(struct retry_scheduler *s, uint64_t req_id)
{
	struct retry_entry *e;
	struct sigevent sev;
	struct itimerspec its;

	e = calloc(1, sizeof(*e));
	if (!e)
		return NULL;
	e->sched = s;
	e->req_id = req_id;

	retry_sev_init(&sev, retry_fire, e);
	if (timer_create(CLOCK_MONOTONIC, &sev, &e->timer) != 0) {
		free(e);
		return NULL;
	}
	e->timer_valid = 1;
	its_from_config(&its, config_current(), 0);
	if (timer_settime(e->timer, 0, &its, NULL) != 0) {
		timer_delete(e->timer);
		free(e);
		return NULL;
	}
	pthread_mutex_lock(&s->lock);
	e->next = s->head;
	s->head = e;
	pthread_mutex_unlock(&s->lock);
	return e;
}

/*
 * Schedule an extra attempt of @e after @delay_ms (peer sent Retry-After).
 * An entry that still has a live timer keeps it.
 */
int retry_defer(struct retry_entry *e, unsigned int delay_ms)
{
	struct retry_scheduler *s = e->sched;
	struct sigevent sev;
	struct itimerspec its;
	timer_t t;

	retry_sev_init(&sev, retry_fire, e);
	if (timer_create(CLOCK_MONOTONIC, &sev, &t) != 0) /* expect: missing-stop */
		return -errno;
	its_from_ms(&its, delay_ms);
	if (timer_settime(t, 0, &its, NULL) != 0) {
		int err = errno;
		timer_delete(t);
		return -err;
	}
	pthread_mutex_lock(&s->lock);
	if (e->timer_valid) {
		pthread_mutex_unlock(&s->lock);
		return 0;
	}
	e->timer = t;
	e->timer_valid = 1;
	e->paused = 0;
	pthread_mutex_unlock(&s->lock);
	return 0;
}

void retry_pause(struct retry_entry *e)
{
	struct itimerspec its;

	pthread_mutex_lock(&e->sched->lock);
	if (e->timer_valid && !e->paused) {
		its_from_ms(&its, 0);
		timer_settime(e->timer, 0, &its, NULL);
		e->paused = 1;
	}
	pthread_mutex_unlock(&e->sched->lock);
}

/* Used when the upstream link goes down: hold everything where it is. */
void retry_pause_all(struct retry_scheduler *s)
{
	static const struct itimerspec disarm;
	struct retry_entry *e;

	pthread_mutex_lock(&s->lock);
	for (e = s->head; e; e = e->next) {
		if (!e->timer_valid)
			continue;
		timer_settime(e->timer, 0, &disarm, NULL);
		e->paused = 1;
	}
	pthread_mutex_unlock(&s->lock);
}

int retry_cancel(struct retry_scheduler *s, uint64_t req_id)
{
	struct itimerspec off = { 0 };
	struct retry_entry **pp, *e;

	pthread_mutex_lock(&s->lock);
	for (pp = &s->head; (e = *pp) != NULL; pp = &e->next) {
		if (e->req_id != req_id)
			continue;
		*pp = e->next;
		if (e->timer_valid)
			timer_settime(e->timer, 0, &off, NULL);
		retry_timer_release(e);
		pthread_mutex_unlock(&s->lock);
		free(e);
		return 0;
	}
	pthread_mutex_unlock(&s->lock);
	return -ENOENT;
}

void retry_shutdown(struct retry_scheduler *s)
{
	struct retry_entry *e, *next;

	pthread_mutex_lock(&s->lock);
	for (e = s->head; e; e = next) {
		next = e->next;
		if (e->timer_valid)
			timer_settime(e->timer, 0, &(struct itimerspec){ 0 }, NULL);
		retry_timer_release(e);
		free(e);
	}
	s->head = NULL;
	pthread_mutex_unlock(&s->lock);
}

static void probe_deadline(union sigval sv)
{
	*(volatile int *)sv.sival_ptr = 1;
}

/* Check that @host answers before the next round of retries goes out. */
int retry_probe_host(const char *host)
{
	const struct retry_config *cfg = config_current();
	volatile int cancel = 0;
	struct sigevent sev;
	struct itimerspec its;
	timer_t deadline;
	int rc;

	retry_sev_init(&sev, probe_deadline, (void *)&cancel);
	if (timer_create(CLOCK_MONOTONIC, &sev, &deadline) != 0) /* expect: disarmed-not-released */
		return -errno;
	its_from_ms(&its, cfg->probe_timeout_ms);
	if (timer_settime(deadline, 0, &its, NULL) != 0) {
		rc = -errno;
		timer_delete(deadline);
		return rc;
	}
	rc = transport_probe(host, &cancel);
	its.it_value.tv_sec = 0;
	its.it_value.tv_nsec = 0;
	timer_settime(deadline, 0, &its, NULL);
	if (rc < 0 && cancel)
		log_msg(LOG_WARNING, "probe %s timed out", host);
	return rc;
}

/* Startup check; some container runtimes restrict timer_create. */
int retry_selftest(void)
{
	struct sigevent sev = { .sigev_notify = SIGEV_NONE };
	struct itimerspec its, cur;
	timer_t t;
	int rc;

	if (timer_create(CLOCK_MONOTONIC, &sev, &t) != 0) /* expect: disarmed-not-released */
		return -1;
	its_from_ms(&its, 250);
	if (timer_settime(t, 0, &its, NULL) != 0) {
		timer_delete(t);
		return -1;
	}
	rc = timer_gettime(t, &cur);
	its_clear(&its);
	timer_settime(t, 0, &its, NULL);
	if (rc != 0 || (cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec == 0)) {
		log_msg(LOG_ERR, "timer self-test: timer not running");
		return -1;
	}
	timer_delete(t);
	return 0;
}
