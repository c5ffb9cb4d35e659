/* jobsched: worker pool; per-job deadlines are POSIX timers; a watchdog checks progress. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>
#define MAX_WORKERS        16
#define WATCHDOG_PERIOD_MS 5000
#define QUIESCE_STEP_MS    50
#define BATCH_TICK_MS      100

struct job {
	int (*fn)(struct job *job); /* long jobs poll job->cancelled */
	void *arg;
	unsigned timeout_ms;
	atomic_int cancelled;
	int rc;
	struct job *next;
};

struct scheduler {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct job *head, *tail;
	unsigned running;
	int stopping;
	atomic_uint pending;
	size_t started;
	pthread_t workers[MAX_WORKERS];
	timer_t watchdog;
	int have_watchdog_timer;
	atomic_uint progress;
	unsigned last_progress;
};

static void ms_to_itimerspec(struct itimerspec *its, unsigned first_ms, unsigned every_ms)
{
	its->it_value.tv_sec = first_ms / 1000;
	its->it_value.tv_nsec = (long)(first_ms % 1000) * 1000000L;
	its->it_interval.tv_sec = every_ms / 1000;
	its->it_interval.tv_nsec = (long)(every_ms % 1000) * 1000000L;
}

static void itimerspec_clear(struct itimerspec *its)
{
	memset(its, 0, sizeof(*its));
}

/* Every scheduler thread is started here, so that failures are logged once. */
static int spawn_worker(pthread_t *out, void *(*fn)(void *), void *arg)
{
	int rc = pthread_create(out, NULL, fn, arg);
	if (rc != 0)
		fprintf(stderr, "jobsched: pthread_create: %s\n", strerror(rc));
	return rc;
}

void scheduler_submit(struct scheduler *s, struct job *job)
{
	job->next = NULL;
	atomic_fetch_add(&s->pending, 1);
	pthread_mutex_lock(&s->lock);
	*(s->tail != NULL ? &s->tail->next : &s->head) = job;
	s->tail = job;
	pthread_cond_signal(&s->cond);
	pthread_mutex_unlock(&s->lock);
}

static void job_deadline_fired(union sigval sv)
{
	atomic_store(&((struct job *)sv.sival_ptr)->cancelled, 1);
}

static int run_job(struct job *job)
{
	struct sigevent sev = { .sigev_notify = SIGEV_THREAD, .sigev_value.sival_ptr = job,
				.sigev_notify_function = job_deadline_fired };
	struct itimerspec its;
	timer_t deadline;
	int rc;
	if (job->timeout_ms == 0)
		return job->fn(job);
	if (timer_create(CLOCK_MONOTONIC, &sev, &deadline) != 0) /* expect: missing-stop */
		return -errno;
	ms_to_itimerspec(&its, job->timeout_ms, 0);
	if (timer_settime(deadline, 0, &its, NULL) != 0) {
		rc = -errno;
		timer_delete(deadline);
		return rc;
	}
	rc = job->fn(job);
	if (atomic_load(&job->cancelled))
		return -ETIMEDOUT; /* the one-shot deadline already went off */
	timer_delete(deadline);
	return rc;
}

static void *worker_main(void *arg)
{
	struct scheduler *s = arg;
	struct job *job;
	pthread_mutex_lock(&s->lock);
	for (;;) {
		while (s->head == NULL && !s->stopping)
			pthread_cond_wait(&s->cond, &s->lock);
		if ((job = s->head) == NULL)
			break;
		if ((s->head = job->next) == NULL)
			s->tail = NULL;
		s->running++;
		pthread_mutex_unlock(&s->lock);
		job->rc = run_job(job);
		atomic_fetch_add(&s->progress, 1);
		atomic_fetch_sub(&s->pending, 1);
		pthread_mutex_lock(&s->lock);
		s->running--;
	}
	pthread_mutex_unlock(&s->lock);
	return NULL;
}

static void watchdog_check(struct scheduler *s)
{
	unsigned now = atomic_load(&s->progress);
	pthread_mutex_lock(&s->lock);
	if (s->running > 0 && now == s->last_progress)
		fprintf(stderr, "jobsched: %u jobs running, none finished lately\n", s->running);
	s->last_progress = now;
	pthread_mutex_unlock(&s->lock);
}

static void watchdog_timer_fired(union sigval sv)
{
	watchdog_check(sv.sival_ptr);
}

static void *watchdog_thread_main(void *arg)
{
	struct scheduler *s = arg;
	const struct timespec period = { WATCHDOG_PERIOD_MS / 1000, 0 };
	int stop;
	do {
		nanosleep(&period, NULL);
		watchdog_check(s);
		pthread_mutex_lock(&s->lock);
		stop = s->stopping;
		pthread_mutex_unlock(&s->lock);
	} while (!stop);
	return NULL;
}

static void stop_workers(struct scheduler *s)
{
	pthread_mutex_lock(&s->lock);
	s->stopping = 1;
	pthread_cond_broadcast(&s->cond);
	pthread_mutex_unlock(&s->lock);
	for (size_t i = 0; i < s->started; i++)
		pthread_join(s->workers[i], NULL);
	s->started = 0;
}

int scheduler_start(struct scheduler *s, size_t nworkers)
{
	struct sigevent sev = { .sigev_notify = SIGEV_THREAD, .sigev_value.sival_ptr = s,
				.sigev_notify_function = watchdog_timer_fired };
	struct itimerspec its;
	if (nworkers == 0 || nworkers > MAX_WORKERS)
		return -EINVAL;
	memset(s, 0, sizeof(*s));
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->cond, NULL);
	for (size_t i = 0; i < nworkers; i++) {
		if (spawn_worker(&s->workers[i], worker_main, s) != 0)
			goto fail;
		s->started++;
	}
	if (timer_create(CLOCK_MONOTONIC, &sev, &s->watchdog) != 0) {
		/* no POSIX timers in this sandbox: poll from a thread instead */
		pthread_t wd;
		if (pthread_create(&wd, NULL, watchdog_thread_main, s) != 0) /* expect: missing-join */
			goto fail;
		return 0;
	}
	s->have_watchdog_timer = 1;
	ms_to_itimerspec(&its, WATCHDOG_PERIOD_MS, WATCHDOG_PERIOD_MS);
	timer_settime(s->watchdog, 0, &its, NULL);
	return 0;
fail:
	stop_workers(s);
	return -EAGAIN;
}

void scheduler_shutdown(struct scheduler *s)
{
	if (s->have_watchdog_timer)
		timer_delete(s->watchdog);
	stop_workers(s);
	pthread_cond_destroy(&s->cond);
	pthread_mutex_destroy(&s->lock);
}

/* Wait for the queue to drain, checking every QUIESCE_STEP_MS, for at most limit_ms. */
int scheduler_quiesce(struct scheduler *s, unsigned limit_ms)
{
	struct itimerspec its;
	uint64_t ticks;
	unsigned waited = 0;
	int fd;
	fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC); /* expect: disarmed-not-released */
	if (fd < 0)
		return -errno;
	ms_to_itimerspec(&its, QUIESCE_STEP_MS, QUIESCE_STEP_MS);
	if (timerfd_settime(fd, 0, &its, NULL) < 0) {
		int err = -errno;
		close(fd);
		return err;
	}
	while (atomic_load(&s->pending) > 0 && waited < limit_ms) {
		if (read(fd, &ticks, sizeof(ticks)) != (ssize_t)sizeof(ticks))
			break;
		waited += (unsigned)ticks * QUIESCE_STEP_MS;
	}
	itimerspec_clear(&its);
	timerfd_settime(fd, 0, &its, NULL);
	return atomic_load(&s->pending) > 0 ? -ETIMEDOUT : 0;
}

/* For code that needs a clean TLS: run it on a thread of its own and wait. */
int scheduler_run_isolated(void *(*fn)(void *), void *arg)
{
	pthread_t t;
	void *ret;
	if (spawn_worker(&t, fn, arg) != 0)
		return -EAGAIN;
	pthread_join(t, &ret);
	return (int)(intptr_t)ret;
}

struct batch_ticker {
	int fd;
	atomic_int stop;
	atomic_size_t done;
	size_t total;
};

static void *batch_ticker_main(void *arg)
{
	struct batch_ticker *tk = arg;
	uint64_t ticks;
	while (!atomic_load(&tk->stop)) {
		if (read(tk->fd, &ticks, sizeof(ticks)) != (ssize_t)sizeof(ticks))
			break;
		fprintf(stderr, "\rbatch: %zu/%zu", atomic_load(&tk->done), tk->total);
	}
	return NULL;
}

/* Run a batch on the calling thread, with a progress line on stderr. */
int scheduler_run_batch(struct job **jobs, size_t n)
{
	struct batch_ticker tk = { .total = n };
	struct itimerspec its;
	pthread_t ticker;
	int rc;
	tk.fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
	if (tk.fd < 0)
		return -errno;
	ms_to_itimerspec(&its, BATCH_TICK_MS, BATCH_TICK_MS);
	if (timerfd_settime(tk.fd, 0, &its, NULL) < 0) {
		rc = -errno;
		goto out_fd;
	}
	rc = pthread_create(&ticker, NULL, batch_ticker_main, &tk);
	if (rc != 0) {
		rc = -rc;
		goto out_fd;
	}
	for (size_t i = 0; i < n; i++) {
		rc = run_job(jobs[i]);
		if (rc < 0 && rc != -ETIMEDOUT)
			goto out;
		atomic_fetch_add(&tk.done, 1);
	}
	rc = 0;
out:
	atomic_store(&tk.stop, 1);
	close(tk.fd); /* expect: stop-too-late */
	pthread_join(ticker, NULL);
	return rc;
out_fd:
	close(tk.fd);
	return rc;
}
