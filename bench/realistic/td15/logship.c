// scan: --link
/*
 * logship.c - ships the agent's log spool to the collector.
 *
 * A worker thread drains the spool; a timer-queue timer forces a flush
 * every few seconds; local clients (the tray app, the CLI) connect to a
 * loopback control port, one thread each.
 */
#include <winsock2.h>
#include <windows.h>
#include <process.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#pragma comment(lib, "ws2_32.lib")

#define FLUSH_PERIOD_MS   5000
#define UPLOAD_TIMEOUT_MS 30000

typedef struct shipper {
	CRITICAL_SECTION lock;
	HANDLE hTimerQueue;
	HANDLE hFlushTimer;
	HANDLE hWorker;
	HANDLE hStopEvent;
	HANDLE hWakeEvent;
	SOCKET collector;
	LONG nclients;
	char *spool;
	size_t spool_len;
} shipper_t;

typedef struct upload_job {
	shipper_t *s;
	char *data;
	size_t len;
	volatile LONG result;
} upload_job_t;

static BOOL send_all(SOCKET sock, const char *p, size_t len)
{
	while (len > 0) {
		int n = send(sock, p, (int)(len > 65536 ? 65536 : len), 0);
		if (n == SOCKET_ERROR)
			return FALSE;
		p += n;
		len -= (size_t)n;
	}
	return TRUE;
}

static VOID CALLBACK flush_timer_cb(PVOID param, BOOLEAN fired)
{
	shipper_t *s = param;

	(void)fired;
	SetEvent(s->hWakeEvent);
}

static unsigned __stdcall worker_main(void *arg)
{
	shipper_t *s = arg;
	HANDLE waits[2] = { s->hStopEvent, s->hWakeEvent };

	while (WaitForMultipleObjects(2, waits, FALSE, INFINITE) == WAIT_OBJECT_0 + 1) {
		EnterCriticalSection(&s->lock);
		if (s->spool_len && send_all(s->collector, s->spool, s->spool_len))
			s->spool_len = 0;
		LeaveCriticalSection(&s->lock);
	}
	return 0;
}

BOOL shipper_append(shipper_t *s, const char *line, size_t len)
{
	char *p;

	EnterCriticalSection(&s->lock);
	p = realloc(s->spool, s->spool_len + len);
	if (p) {
		memcpy(p + s->spool_len, line, len);
		s->spool = p;
		s->spool_len += len;
	}
	LeaveCriticalSection(&s->lock);
	if (p && s->spool_len > 64 * 1024)
		SetEvent(s->hWakeEvent);
	return p != NULL;
}

static VOID CALLBACK deadline_cb(PVOID param, BOOLEAN fired)
{
	SOCKET *sock = param;

	(void)fired;
	CancelIoEx((HANDLE)*sock, NULL);
}

BOOL shipper_send_batch(shipper_t *s, const char *batch, size_t len, DWORD deadline_ms)
{
	HANDLE hDeadline;
	SOCKET sock = s->collector;

	if (!CreateTimerQueueTimer(&hDeadline, s->hTimerQueue, deadline_cb, &sock, /* expect: missing-stop */
				   deadline_ms, 0, WT_EXECUTEONLYONCE))
		return send_all(sock, batch, len);

	if (!send_all(sock, batch, len)) {
		fprintf(stderr, "logship: send failed (%d)\n", WSAGetLastError());
		return FALSE;
	}
	DeleteTimerQueueTimer(s->hTimerQueue, hDeadline, INVALID_HANDLE_VALUE);
	return TRUE;
}

static DWORD WINAPI upload_thread(LPVOID arg)
{
	upload_job_t *job = arg;

	job->result = send_all(job->s->collector, job->data, job->len) ? 1 : -1;
	return 0;
}

BOOL shipper_upload_file(shipper_t *s, char *data, size_t len)
{
	upload_job_t *job = calloc(1, sizeof(*job));
	HANDLE h;

	if (!job)
		return FALSE;
	job->s = s;
	job->data = data;
	job->len = len;

	h = CreateThread(NULL, 0, upload_thread, job, 0, NULL); /* expect: missing-join */
	if (h == NULL) {
		free(job);
		return FALSE;
	}
	if (WaitForSingleObject(h, UPLOAD_TIMEOUT_MS) == WAIT_TIMEOUT) {
		/* the upload keeps going; the job stays with it */
		fprintf(stderr, "logship: upload still running after %u ms\n", UPLOAD_TIMEOUT_MS);
		return FALSE;
	}
	CloseHandle(h);
	free(job);
	return TRUE;
}

static DWORD WINAPI compress_thread(LPVOID arg)
{
	shipper_t *s = arg;
	DWORD rc = 0;

	EnterCriticalSection(&s->lock);
	if (s->spool_len > (1u << 20))
		rc = 1;		/* real compression lives in spool.c */
	LeaveCriticalSection(&s->lock);
	return rc;
}

BOOL shipper_compact(shipper_t *s)
{
	DWORD code = 1;
	HANDLE h = CreateThread(NULL, 0, compress_thread, s, 0, NULL);

	if (h == NULL)
		return FALSE;
	WaitForSingleObject(h, INFINITE);
	CloseHandle(h);
	if (!GetExitCodeThread(h, &code) || code != 0) /* expect: use-after-release */
		return FALSE;
	return TRUE;
}

static unsigned __stdcall client_thread(void *arg)
{
	SOCKET c = (SOCKET)(ULONG_PTR)arg;
	char cmd[64];
	int n = recv(c, cmd, sizeof(cmd) - 1, 0);

	if (n > 0) {
		cmd[n] = '\0';
		send(c, "OK\n", 3, 0);
	}
	closesocket(c);
	return 0;
}

void shipper_serve_control(shipper_t *s, SOCKET listener)
{
	for (;;) {
		SOCKET c = accept(listener, NULL, NULL);
		HANDLE h;

		if (c == INVALID_SOCKET)
			break;
		h = (HANDLE)_beginthreadex(NULL, 0, client_thread, (void *)(ULONG_PTR)c, 0, NULL); /* expect: created-in-loop */
		if (h == 0) {
			closesocket(c);
			continue;
		}
		InterlockedIncrement(&s->nclients);
	}
}

static DWORD WINAPI probe_thread(LPVOID arg)
{
	SOCKET sock = (SOCKET)(ULONG_PTR)arg;

	return send(sock, "PING\n", 5, 0) == 5 ? 0 : 1;
}

void shipper_probe_collector(shipper_t *s)
{
	HANDLE h = CreateThread(NULL, 0, probe_thread, (LPVOID)(ULONG_PTR)s->collector, 0, NULL);

	/* fire and forget: closing our handle does not stop the thread */
	if (h != NULL)
		CloseHandle(h);
}

static void shipper_stop(shipper_t *s)
{
	SetEvent(s->hStopEvent);
	WaitForSingleObject(s->hWorker, INFINITE);
	CloseHandle(s->hWorker);
	s->hWorker = NULL;
}

shipper_t *shipper_create(SOCKET collector)
{
	shipper_t *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	InitializeCriticalSection(&s->lock);
	s->collector = collector;
	s->hStopEvent = CreateEvent(NULL, TRUE, FALSE, NULL);
	s->hWakeEvent = CreateEvent(NULL, FALSE, FALSE, NULL);
	s->hTimerQueue = CreateTimerQueue();
	if (!s->hStopEvent || !s->hWakeEvent || !s->hTimerQueue)
		goto fail;

	s->hWorker = (HANDLE)_beginthreadex(NULL, 0, worker_main, s, 0, NULL);
	if (s->hWorker == NULL)
		goto fail;

	if (!CreateTimerQueueTimer(&s->hFlushTimer, s->hTimerQueue, flush_timer_cb, s, /* expect: field-never-stopped */
				   FLUSH_PERIOD_MS, FLUSH_PERIOD_MS, WT_EXECUTEDEFAULT)) {
		shipper_stop(s);
		goto fail;
	}
	return s;

fail:
	if (s->hTimerQueue)
		DeleteTimerQueueEx(s->hTimerQueue, INVALID_HANDLE_VALUE);
	if (s->hWakeEvent)
		CloseHandle(s->hWakeEvent);
	if (s->hStopEvent)
		CloseHandle(s->hStopEvent);
	DeleteCriticalSection(&s->lock);
	free(s);
	return NULL;
}

void shipper_destroy(shipper_t *s)
{
	if (!s)
		return;
	/* returns at once; the queue drops the timer */
	DeleteTimerQueueTimer(s->hTimerQueue, s->hFlushTimer, NULL);
	shipper_stop(s);
	DeleteTimerQueueEx(s->hTimerQueue, NULL);
	CloseHandle(s->hWakeEvent);
	CloseHandle(s->hStopEvent);
	DeleteCriticalSection(&s->lock);
	free(s->spool);
	free(s);
}
