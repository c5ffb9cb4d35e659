/*
 * demo.h - shared types for the timerlint demo service.
 *
 * The service is a toy session server: a metrics reporter (POSIX timer +
 * timerfd flush loop), a session manager with per-session idle timeouts,
 * a pthread worker pool and a C11-threads housekeeping task.
 */
#ifndef TIMERLINT_DEMO_H
#define TIMERLINT_DEMO_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <threads.h>
#include <time.h>

#define MAX_SESSIONS        64
#define SESSION_BUF_SIZE    4096
#define SESSION_LINGER_SEC  2
#define POOL_MAX_THREADS    16
#define POOL_QUEUE_CAP      8
#define METRICS_MAX_SAMPLES 64

enum req_status {
	REQ_PENDING = 0,
	REQ_OK,
	REQ_ERROR,
	REQ_NO_SESSION,
	REQ_TIMED_OUT,
};

enum session_state {
	SESSION_OPEN = 0,
	SESSION_LINGER,
};

struct request {
	int id;
	int session_id;
	unsigned cost_ms;          /* simulated work */
	int status;                /* enum req_status */
	int done;                  /* guarded by lock */
	atomic_int deadline_hit;   /* set by a deadline timer callback */
	pthread_mutex_t lock;
	pthread_cond_t cv;
};

/* Process-wide counters, defined in main.c. */
struct service_stats {
	atomic_ulong requests;
	atomic_ulong errors;
	atomic_ulong timeouts;
	atomic_ulong busy_ms;
	atomic_ulong sessions_reaped;
	atomic_ulong cleanups;
};
extern struct service_stats g_stats;

struct metrics_reporter {
	timer_t timer;                 /* periodic report timer (SIGEV_THREAD) */
	pthread_t flush_thread;        /* runs the timerfd flush loop */
	atomic_int running;
	unsigned interval_ms;
	unsigned flush_interval_ms;
	atomic_ulong ticks;
	atomic_ulong flushes;
	unsigned long last_requests;
	pthread_mutex_t lock;          /* guards samples */
	unsigned long samples[METRICS_MAX_SAMPLES];
	size_t nsamples;
	int verbose;
};

struct session {
	int id;
	timer_t idle_timer;            /* one-shot, re-armed on every request */
	unsigned idle_ms;
	int state;                     /* enum session_state */
	atomic_int expired;            /* set by the idle timer callback */
	char *buf;
	size_t buflen;
	unsigned long requests;
};

struct session_manager {
	pthread_mutex_t lock;
	struct session *sessions[MAX_SESSIONS];
	size_t count;
	unsigned idle_ms;
};

struct worker_pool {
	pthread_t threads[POOL_MAX_THREADS];
	size_t nthreads;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct request *queue[POOL_QUEUE_CAP];
	size_t head, len;
	int stopping;
};

struct housekeeping {
	thrd_t thread;
	atomic_int stop;
	int clock;                     /* clock id for the cleanup timerfd */
	unsigned period_ms;
	struct session_manager *sessions;
	atomic_ulong compactions;
};

static inline struct timespec ms_to_ts(unsigned ms)
{
	struct timespec ts;

	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (long)(ms % 1000) * 1000000L;
	return ts;
}

/* metrics_reporter.c */
int metrics_reporter_init(struct metrics_reporter *r, unsigned interval_ms,
			  unsigned flush_interval_ms, int verbose);
int metrics_reporter_start(struct metrics_reporter *r);
int metrics_sample_burst(struct metrics_reporter *r, unsigned count, unsigned period_ms);
void metrics_reporter_stop(struct metrics_reporter *r);

/* session_manager.c */
int session_manager_init(struct session_manager *m, unsigned idle_ms);
struct session *session_open(struct session_manager *m, int id);
void session_touch(struct session *s);
int session_begin_logout(struct session *s);
void session_close(struct session *s);
int session_call(struct session_manager *m, struct request *req, unsigned deadline_ms);
size_t session_manager_dispatch(struct session_manager *m, struct request *reqs, size_t n);
size_t session_manager_reap(struct session_manager *m);
void session_manager_destroy(struct session_manager *m);

/* worker_pool.c */
void request_init(struct request *req, int id, int session_id, unsigned cost_ms);
void request_execute(struct request *req);
void request_wait(struct request *req);
int worker_pool_init(struct worker_pool *pool, size_t nthreads);
int worker_pool_submit(struct worker_pool *pool, struct request *req);
size_t worker_pool_submit_batch(struct worker_pool *pool, struct request *reqs, size_t n);
int worker_pool_spawn_detached(struct request *req);
int worker_pool_run_async(struct request *req);
int worker_pool_run_sync(struct request *req, unsigned timeout_ms);
void worker_pool_shutdown(struct worker_pool *pool);

/* latency_watch.c */
unsigned long latency_watch_burst(struct worker_pool *pool, struct request *reqs,
				  size_t n, unsigned period_ms);

/* housekeeping.c */
int housekeeping_start(struct housekeeping *hk, struct session_manager *sessions,
		       unsigned period_ms);
int housekeeping_compact(struct housekeeping *hk, int wait);
void housekeeping_stop(struct housekeeping *hk);

#endif /* TIMERLINT_DEMO_H */
