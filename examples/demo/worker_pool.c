/*
 * worker_pool.c - a fixed pthread worker pool plus per-request threads.
 *
 * The pool threads live in pool->threads[] and are all joined by
 * worker_pool_shutdown().  Besides the pool, a request can run on a thread
 * of its own: detached (spawn_detached / run_async), or joined by the
 * caller once the result is in (run_sync).
 */
#include "demo.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

void request_init(struct request *req, int id, int session_id, unsigned cost_ms)
{
	req->id = id;
	req->session_id = session_id;
	req->cost_ms = cost_ms;
	req->status = REQ_PENDING;
	req->done = 0;
	atomic_init(&req->deadline_hit, 0);
	pthread_mutex_init(&req->lock, NULL);
	pthread_cond_init(&req->cv, NULL);
}

/* Do the (simulated) work and publish the result. */
void request_execute(struct request *req)
{
	struct timespec work = ms_to_ts(req->cost_ms);

	while (nanosleep(&work, &work) != 0 && errno == EINTR)
		;
	atomic_fetch_add(&g_stats.requests, 1);
	atomic_fetch_add(&g_stats.busy_ms, req->cost_ms);

	pthread_mutex_lock(&req->lock);
	req->status = REQ_OK;
	req->done = 1;
	pthread_cond_broadcast(&req->cv);
	pthread_mutex_unlock(&req->lock);
}

void request_wait(struct request *req)
{
	pthread_mutex_lock(&req->lock);
	while (!req->done)
		pthread_cond_wait(&req->cv, &req->lock);
	pthread_mutex_unlock(&req->lock);
}

static void *request_thread(void *arg)
{
	request_execute(arg);
	return NULL;
}

static void *worker_main(void *arg)
{
	struct worker_pool *pool = arg;

	for (;;) {
		struct request *req;

		pthread_mutex_lock(&pool->lock);
		while (pool->len == 0 && !pool->stopping)
			pthread_cond_wait(&pool->cond, &pool->lock);
		if (pool->len == 0) {
			/* stopping, and the queue is drained */
			pthread_mutex_unlock(&pool->lock);
			break;
		}
		req = pool->queue[pool->head];
		pool->head = (pool->head + 1) % POOL_QUEUE_CAP;
		pool->len--;
		pthread_mutex_unlock(&pool->lock);

		request_execute(req);
	}
	return NULL;
}

int worker_pool_init(struct worker_pool *pool, size_t nthreads)
{
	size_t i;

	if (nthreads == 0 || nthreads > POOL_MAX_THREADS)
		return -1;
	memset(pool, 0, sizeof *pool);
	pthread_mutex_init(&pool->lock, NULL);
	pthread_cond_init(&pool->cond, NULL);

	for (i = 0; i < nthreads; i++) {
		if (pthread_create(&pool->threads[i], NULL, worker_main, pool) != 0) {
			/* join the ones already running, then give up */
			pool->nthreads = i;
			worker_pool_shutdown(pool);
			return -1;
		}
	}
	pool->nthreads = nthreads;
	return 0;
}

int worker_pool_submit(struct worker_pool *pool, struct request *req)
{
	int rc = -1;

	pthread_mutex_lock(&pool->lock);
	if (!pool->stopping && pool->len < POOL_QUEUE_CAP) {
		pool->queue[(pool->head + pool->len) % POOL_QUEUE_CAP] = req;
		pool->len++;
		pthread_cond_signal(&pool->cond);
		rc = 0;
	}
	pthread_mutex_unlock(&pool->lock);
	return rc;
}

/* Queue a batch; what does not fit in the queue runs on a thread of its own. */
size_t worker_pool_submit_batch(struct worker_pool *pool, struct request *reqs, size_t n)
{
	size_t i, spilled = 0;

	for (i = 0; i < n; i++) {
		pthread_t tid;

		if (worker_pool_submit(pool, &reqs[i]) == 0)
			continue;
		/* BUG: the overflow thread is created joinable and is never joined
		 * or detached, so each spill leaks a thread (stack + TCB). Use
		 * worker_pool_spawn_detached() here. */
		if (pthread_create(&tid, NULL, request_thread, &reqs[i]) != 0) { /* expect: created-in-loop */
			reqs[i].status = REQ_ERROR;
			atomic_fetch_add(&g_stats.errors, 1);
			continue;
		}
		spilled++;
	}
	return spilled;
}

/* Fire and forget, detached through the thread attribute. */
int worker_pool_spawn_detached(struct request *req)
{
	pthread_attr_t attr;
	pthread_t tid;
	int rc;

	if (pthread_attr_init(&attr) != 0)
		return -1;
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	rc = pthread_create(&tid, &attr, request_thread, req);
	pthread_attr_destroy(&attr);
	return rc == 0 ? 0 : -1;
}

/* Fire and forget, detached after naming the thread. */
int worker_pool_run_async(struct request *req)
{
	pthread_t tid;

	if (pthread_create(&tid, NULL, request_thread, req) != 0)
		return -1;
	pthread_setname_np(tid, "req-async");
	pthread_detach(tid);
	return 0;
}

/* Run a request on its own thread and wait for it, at most timeout_ms. */
int worker_pool_run_sync(struct request *req, unsigned timeout_ms)
{
	struct timespec deadline, rel = ms_to_ts(timeout_ms);
	pthread_t tid;

	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += rel.tv_sec;
	deadline.tv_nsec += rel.tv_nsec;
	if (deadline.tv_nsec >= 1000000000L) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000L;
	}

	if (pthread_create(&tid, NULL, request_thread, req) != 0) /* expect: missing-join */
		return -1;

	pthread_mutex_lock(&req->lock);
	while (!req->done) {
		if (pthread_cond_timedwait(&req->cv, &req->lock, &deadline) == ETIMEDOUT) {
			pthread_mutex_unlock(&req->lock);
			atomic_fetch_add(&g_stats.timeouts, 1);
			/* BUG: gives up on the slow request but leaves its thread
			 * joinable; nothing joins or detaches it afterwards.
			 * pthread_detach(tid) before returning. */
			return -ETIMEDOUT;
		}
	}
	pthread_mutex_unlock(&req->lock);

	pthread_join(tid, NULL);
	return req->status == REQ_OK ? 0 : -1;
}

void worker_pool_shutdown(struct worker_pool *pool)
{
	size_t i;

	pthread_mutex_lock(&pool->lock);
	pool->stopping = 1;
	pthread_cond_broadcast(&pool->cond);
	pthread_mutex_unlock(&pool->lock);

	for (i = 0; i < pool->nthreads; i++)
		pthread_join(pool->threads[i], NULL);
	pool->nthreads = 0;
	pthread_cond_destroy(&pool->cond);
	pthread_mutex_destroy(&pool->lock);
}
