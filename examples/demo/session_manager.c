/*
 * session_manager.c - sessions with idle timeouts, and request handling.
 *
 * Every session owns a one-shot POSIX timer (SIGEV_THREAD) that is re-armed
 * whenever the session handles a request; when it fires the session is
 * marked expired and the housekeeping task reaps it.  session_close() is the
 * single teardown path and deletes the timer.  Requests can carry a
 * deadline, enforced by a per-request one-shot timer.
 */
#include "demo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DISPATCH_DEADLINE_MS 2000

static void session_idle_expired(union sigval sv)
{
	struct session *s = sv.sival_ptr;

	atomic_store(&s->expired, 1);
}

static void request_deadline_expired(union sigval sv)
{
	struct request *req = sv.sival_ptr;

	atomic_store(&req->deadline_hit, 1);
}

int session_manager_init(struct session_manager *m, unsigned idle_ms)
{
	memset(m, 0, sizeof *m);
	m->idle_ms = idle_ms;
	return pthread_mutex_init(&m->lock, NULL) == 0 ? 0 : -1;
}

struct session *session_open(struct session_manager *m, int id)
{
	struct session *s;
	struct sigevent sev;
	struct itimerspec its;
	timer_t t;

	pthread_mutex_lock(&m->lock);
	if (m->count == MAX_SESSIONS) {
		pthread_mutex_unlock(&m->lock);
		return NULL;
	}
	pthread_mutex_unlock(&m->lock);

	s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	s->id = id;
	s->idle_ms = m->idle_ms;
	s->state = SESSION_OPEN;

	memset(&sev, 0, sizeof sev);
	sev.sigev_notify = SIGEV_THREAD;
	sev.sigev_notify_function = session_idle_expired;
	sev.sigev_value.sival_ptr = s;
	if (timer_create(CLOCK_MONOTONIC, &sev, &t) != 0) {
		free(s);
		return NULL;
	}

	s->buf = malloc(SESSION_BUF_SIZE);
	if (!s->buf) {
		timer_delete(t);
		free(s);
		return NULL;
	}
	s->buflen = SESSION_BUF_SIZE;

	its.it_value = ms_to_ts(s->idle_ms);
	its.it_interval = (struct timespec){0, 0};
	if (timer_settime(t, 0, &its, NULL) != 0) {
		timer_delete(t);
		free(s->buf);
		free(s);
		return NULL;
	}
	s->idle_timer = t;

	pthread_mutex_lock(&m->lock);
	m->sessions[m->count++] = s;
	pthread_mutex_unlock(&m->lock);
	return s;
}

/* Activity on the session: push the idle deadline out again. */
void session_touch(struct session *s)
{
	struct itimerspec its;

	its.it_value = ms_to_ts(s->idle_ms);
	its.it_interval = (struct timespec){0, 0};
	if (timer_settime(s->idle_timer, 0, &its, NULL) != 0)
		perror("timer_settime(idle)");
}

/* Graceful logout: stop idle tracking and give the client time to drain. */
int session_begin_logout(struct session *s)
{
	struct itimerspec linger;

	timer_delete(s->idle_timer); /* note[use-after-release]: released here by timer_delete() */
	s->state = SESSION_LINGER;
	linger.it_value = ms_to_ts(SESSION_LINGER_SEC * 1000);
	linger.it_interval = (struct timespec){0, 0};
	/* BUG: re-arms the idle timer for the linger period, but it was deleted
	 * at the top of this function. Arm it instead of deleting it (the
	 * timer is deleted later by session_close()). */
	return timer_settime(s->idle_timer, 0, &linger, NULL); /* expect: use-after-release */ /* note[use-after-release]: timer_settime() here */
}

/* The one teardown path for a session: timer, buffer, struct. */
void session_close(struct session *s)
{
	timer_delete(s->idle_timer);
	free(s->buf);
	free(s);
}

static struct session *session_lookup(struct session_manager *m, int id)
{
	struct session *found = NULL;
	size_t i;

	pthread_mutex_lock(&m->lock);
	for (i = 0; i < m->count; i++) {
		if (m->sessions[i]->id == id) {
			found = m->sessions[i];
			break;
		}
	}
	pthread_mutex_unlock(&m->lock);
	return found;
}

static void process_request(struct session *s, struct request *req)
{
	int n = snprintf(s->buf, s->buflen, "session %d: request %d", s->id, req->id);

	if (n < 0 || (size_t)n >= s->buflen) {
		req->status = REQ_ERROR;
		return;
	}
	s->requests++;
	request_execute(req);
}

/* Ends a request deadline and says whether it had fired. Deletes the timer
 * on every path. */
static int deadline_finish(timer_t t)
{
	struct itimerspec left;
	int fired = 0;

	if (timer_gettime(t, &left) == 0 &&
	    left.it_value.tv_sec == 0 && left.it_value.tv_nsec == 0)
		fired = 1;
	timer_delete(t);
	return fired;
}

/* Run one request on its session with a deadline. */
int session_call(struct session_manager *m, struct request *req, unsigned deadline_ms)
{
	struct session *s = session_lookup(m, req->session_id);
	struct sigevent sev;
	struct itimerspec its;
	timer_t t;

	if (!s) {
		req->status = REQ_NO_SESSION;
		return -1;
	}
	session_touch(s);

	memset(&sev, 0, sizeof sev);
	sev.sigev_notify = SIGEV_THREAD;
	sev.sigev_notify_function = request_deadline_expired;
	sev.sigev_value.sival_ptr = req;
	if (timer_create(CLOCK_MONOTONIC, &sev, &t) != 0)
		return -1;
	its.it_value = ms_to_ts(deadline_ms);
	its.it_interval = (struct timespec){0, 0};
	if (timer_settime(t, 0, &its, NULL) != 0) {
		timer_delete(t);
		return -1;
	}

	process_request(s, req);
	if (deadline_finish(t)) {
		req->status = REQ_TIMED_OUT;
		atomic_fetch_add(&g_stats.timeouts, 1);
	}
	return req->status == REQ_OK ? 0 : -1;
}

/* Batch fast path: the deadline setup of session_call(), inlined. */
size_t session_manager_dispatch(struct session_manager *m, struct request *reqs, size_t n)
{
	size_t i, done = 0;

	for (i = 0; i < n; i++) { /* note[created-in-loop]: taking the true branch: 'i < n' is true */
		struct request *req = &reqs[i];
		struct session *s = session_lookup(m, req->session_id);
		struct sigevent sev;
		struct itimerspec its;
		timer_t deadline;

		if (!s) { /* note[created-in-loop]: taking the false branch: '!s' is false */
			req->status = REQ_NO_SESSION;
			continue;
		}
		session_touch(s);

		memset(&sev, 0, sizeof sev);
		sev.sigev_notify = SIGEV_THREAD;
		sev.sigev_notify_function = request_deadline_expired;
		sev.sigev_value.sival_ptr = req;
		if (timer_create(CLOCK_MONOTONIC, &sev, &deadline) != 0) { /* expect: created-in-loop */ /* note[created-in-loop]: timer 'deadline' created here by timer_create() */ /* note[created-in-loop]: taking the false branch: 'timer_create(CLOCK_MONOTONIC, &sev, &deadline) != 0' is false */ /* note[created-in-loop]: timer_create() runs again here */
			req->status = REQ_ERROR;
			continue;
		}
		its.it_value = ms_to_ts(DISPATCH_DEADLINE_MS);
		its.it_interval = (struct timespec){0, 0};
		timer_settime(deadline, 0, &its, NULL);

		process_request(s, req);
		done++;
		/* BUG: the per-request deadline timer is never deleted (one-shot
		 * timers are not freed when they fire): one leaked kernel timer
		 * per request. session_call() gets this right via deadline_finish(). */
	}
	return done;
}

/* Close every session whose idle timer has fired. */
size_t session_manager_reap(struct session_manager *m)
{
	size_t i = 0, reaped = 0;

	pthread_mutex_lock(&m->lock);
	while (i < m->count) {
		struct session *s = m->sessions[i];

		if (!atomic_load(&s->expired)) {
			i++;
			continue;
		}
		m->sessions[i] = m->sessions[--m->count];
		m->sessions[m->count] = NULL;
		session_close(s);
		reaped++;
	}
	pthread_mutex_unlock(&m->lock);
	atomic_fetch_add(&g_stats.sessions_reaped, reaped);
	return reaped;
}

void session_manager_destroy(struct session_manager *m)
{
	size_t i;

	pthread_mutex_lock(&m->lock);
	for (i = 0; i < m->count; i++) {
		session_close(m->sessions[i]);
		m->sessions[i] = NULL;
	}
	m->count = 0;
	pthread_mutex_unlock(&m->lock);
	pthread_mutex_destroy(&m->lock);
}
