/*
 * main.c - wires the demo service together and runs it for about a second.
 *
 * This file holds no timers or threads of its own; the bugs timerlint should
 * find are in the four component files (see the expect markers).
 */
#include "demo.h"

#include <stdio.h>
#include <stdlib.h>

#define NDISPATCH 4
#define NBATCH    12

struct service_stats g_stats;

static struct request dispatch_reqs[NDISPATCH];
static struct request batch_reqs[NBATCH];
static struct request sync_req, async_req, detached_req, call_req;

static void sleep_ms(unsigned ms)
{
	struct timespec ts = ms_to_ts(ms);

	nanosleep(&ts, NULL);
}

int main(void)
{
	struct metrics_reporter metrics;
	struct session_manager sessions;
	struct worker_pool pool;
	struct housekeeping hk;
	sigset_t set;
	size_t i, spilled, dispatched;
	int id;

	/* Block the burst sampler's signal before any thread exists, so every
	 * thread inherits the mask and only sigwait() consumes it. */
	sigemptyset(&set);
	sigaddset(&set, SIGRTMIN);
	if (pthread_sigmask(SIG_BLOCK, &set, NULL) != 0)
		return EXIT_FAILURE;

	if (metrics_reporter_init(&metrics, 100, 250, 1) != 0 ||
	    metrics_reporter_start(&metrics) != 0) {
		fprintf(stderr, "demo: cannot start the metrics reporter\n");
		return EXIT_FAILURE;
	}
	if (session_manager_init(&sessions, 300) != 0) {
		metrics_reporter_stop(&metrics);
		return EXIT_FAILURE;
	}
	for (id = 1; id <= 4; id++) {
		if (!session_open(&sessions, id))
			fprintf(stderr, "demo: cannot open session %d\n", id);
	}
	if (worker_pool_init(&pool, 3) != 0) {
		session_manager_destroy(&sessions);
		metrics_reporter_stop(&metrics);
		return EXIT_FAILURE;
	}
	if (housekeeping_start(&hk, &sessions, 200) != 0) {
		worker_pool_shutdown(&pool);
		session_manager_destroy(&sessions);
		metrics_reporter_stop(&metrics);
		return EXIT_FAILURE;
	}

	/* Session traffic: one request goes to a session that does not exist. */
	for (i = 0; i < NDISPATCH; i++)
		request_init(&dispatch_reqs[i], (int)i, i == 3 ? 99 : (int)i + 1, 5);
	dispatched = session_manager_dispatch(&sessions, dispatch_reqs, NDISPATCH);
	request_init(&call_req, 100, 2, 5);
	if (session_call(&sessions, &call_req, 500) != 0)
		fprintf(stderr, "demo: session_call failed (status %d)\n", call_req.status);

	/* Pool traffic: more than the queue holds, so some requests spill. */
	for (i = 0; i < NBATCH; i++)
		request_init(&batch_reqs[i], 200 + (int)i, 1, 20);
	spilled = worker_pool_submit_batch(&pool, batch_reqs, NBATCH);
	printf("demo: %lu latency samples\n",
	       latency_watch_burst(&pool, dispatch_reqs, NDISPATCH, 10));

	request_init(&sync_req, 300, 1, 10);
	if (worker_pool_run_sync(&sync_req, 1000) != 0)
		fprintf(stderr, "demo: synchronous request failed\n");
	request_init(&async_req, 301, 1, 10);
	if (worker_pool_run_async(&async_req) != 0)
		request_execute(&async_req);
	request_init(&detached_req, 302, 1, 10);
	if (worker_pool_spawn_detached(&detached_req) != 0)
		request_execute(&detached_req);

	metrics_sample_burst(&metrics, 5, 20);
	if (housekeeping_compact(&hk, 1) != 0)
		fprintf(stderr, "demo: compaction failed\n");

	for (i = 0; i < NBATCH; i++) {
		if (batch_reqs[i].status != REQ_ERROR)
			request_wait(&batch_reqs[i]);
	}
	request_wait(&async_req);
	request_wait(&detached_req);

	/* Let the idle sessions expire and the housekeeping thread reap them. */
	sleep_ms(700);

	housekeeping_stop(&hk);
	worker_pool_shutdown(&pool);
	metrics_reporter_stop(&metrics);
	session_manager_destroy(&sessions);

	printf("demo: %zu dispatched, %zu spilled, %lu requests, %lu errors, "
	       "%lu timeouts, %lu ms busy, %lu sessions reaped, %lu cleanups, "
	       "%lu compactions, %lu report ticks\n",
	       dispatched, spilled, atomic_load(&g_stats.requests),
	       atomic_load(&g_stats.errors), atomic_load(&g_stats.timeouts),
	       atomic_load(&g_stats.busy_ms), atomic_load(&g_stats.sessions_reaped),
	       atomic_load(&g_stats.cleanups), atomic_load(&hk.compactions),
	       atomic_load(&metrics.ticks));
	return EXIT_SUCCESS;
}
