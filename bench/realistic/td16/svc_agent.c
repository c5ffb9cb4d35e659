// scan: --link
/* svc_agent.c - TelemetryAgent service core (svc_main.c talks to the SCM): an
 * uploader thread ships records to the local broker over a named pipe,
 * collector threads start per source, heartbeat and log-rotation timers run on
 * the default timer queue. */
#define WIN32_LEAN_AND_MEAN
#include <windows.h>
#include <process.h>
#include <strsafe.h>
#include <errno.h>
#include <stdlib.h>

#include "svc_agent.h"

#define AGENT_PIPE_NAME          L"\\\\.\\pipe\\telemetry-broker"
#define AGENT_HEARTBEAT_MS       15000
#define AGENT_CONNECT_ATTEMPTS   5
#define AGENT_CONNECT_TIMEOUT_MS 2000
#define AGENT_RETRY_DELAY_MS     500
#define AGENT_FLUSH_GUARD_MS     10000
#define AGENT_CONTROL_FLUSH      128

struct COLLECT_JOB {
	AGENT *agent;
	WCHAR source[MAX_PATH];
};

struct AGENT {
	HANDLE hStopEvent;
	HANDLE hUploader;        /* uploader thread */
	HANDLE hHeartbeatTimer;
	HANDLE hRotateTimer;
	HANDLE hPipe;            /* owned by the uploader thread */
	DWORD rotateMinutes;
	BOOL retryFlush;
	volatile LONG pending;
};

#define AgentLog(fmt, ...) do {							\
	WCHAR line_[512];							\
	StringCchPrintfW(line_, ARRAYSIZE(line_), L"TelemetryAgent: " fmt L"\n", ##__VA_ARGS__); \
	OutputDebugStringW(line_);						\
} while (0)

static BOOL AgentWritePipe(AGENT *a, const char *rec, DWORD len)
{
	DWORD written = 0;

	/* a message-mode pipe: writes from the timer callbacks do not interleave */
	return a->hPipe != INVALID_HANDLE_VALUE &&
	       WriteFile(a->hPipe, rec, len, &written, NULL) && written == len;
}

static VOID CALLBACK HeartbeatCallback(PVOID param, BOOLEAN fired)
{
	(void)fired;
	AgentWritePipe((AGENT *)param, "HB\n", 3);
}

static VOID CALLBACK RotateCallback(PVOID param, BOOLEAN fired)
{
	(void)fired;
	AgentWritePipe((AGENT *)param, "ROTATE\n", 7);
}

/* Breaks a connect attempt that hangs in the uploader thread. */
static VOID CALLBACK ConnectWatchdogCallback(PVOID param, BOOLEAN fired)
{
	(void)fired;
	CancelSynchronousIo(((AGENT *)param)->hUploader);
}

static VOID CALLBACK FlushGuardCallback(PVOID param, BOOLEAN fired)
{
	(void)param;
	(void)fired;
	AgentLog(L"flush is taking too long");
}

static HANDLE AgentConnectBroker(AGENT *a)
{
	int attempt;

	for (attempt = 0; attempt < AGENT_CONNECT_ATTEMPTS; attempt++) {
		HANDLE hWatchdog = NULL;
		HANDLE hPipe;

		if (!CreateTimerQueueTimer(&hWatchdog, NULL, ConnectWatchdogCallback, a, /* expect: created-in-loop */
					   AGENT_CONNECT_TIMEOUT_MS, 0, WT_EXECUTEONLYONCE))
			return INVALID_HANDLE_VALUE;
		hPipe = CreateFileW(AGENT_PIPE_NAME, GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
		if (hPipe == INVALID_HANDLE_VALUE) {
			if (GetLastError() == ERROR_PIPE_BUSY)
				WaitNamedPipeW(AGENT_PIPE_NAME, AGENT_CONNECT_TIMEOUT_MS);
			else
				Sleep(AGENT_RETRY_DELAY_MS);
			continue;
		}
		DeleteTimerQueueTimer(NULL, hWatchdog, INVALID_HANDLE_VALUE);
		return hPipe;
	}
	return INVALID_HANDLE_VALUE;
}

static BOOL AgentUploadPending(AGENT *a)
{
	while (InterlockedCompareExchange(&a->pending, 0, 0) > 0) {
		if (!AgentWritePipe(a, "REC\n", 4))
			return FALSE;
		InterlockedDecrement(&a->pending);
	}
	return TRUE;
}

static unsigned __stdcall UploaderThread(void *param)
{
	AGENT *a = param;

	while (WaitForSingleObject(a->hStopEvent, 1000) == WAIT_TIMEOUT) {
		if (a->hPipe == INVALID_HANDLE_VALUE) {
			a->hPipe = AgentConnectBroker(a);
		} else if (!AgentUploadPending(a)) {
			CloseHandle(a->hPipe);
			a->hPipe = INVALID_HANDLE_VALUE;
		}
	}
	return 0;
}

/* SERVICE_CONTROL 128 from the tray tool: push everything out now. */
static void AgentFlushNow(AGENT *a)
{
	HANDLE hGuard = NULL;
	BOOL ok;

	if (!CreateTimerQueueTimer(&hGuard, NULL, FlushGuardCallback, a, AGENT_FLUSH_GUARD_MS, 0,
				   WT_EXECUTEONLYONCE)) {
		AgentLog(L"flush guard: %lu", GetLastError());
		return;
	}
	ok = AgentUploadPending(a);
	DeleteTimerQueueTimer(NULL, hGuard, INVALID_HANDLE_VALUE);
	if (!ok && a->retryFlush) {
		/* one more try under a fresh guard period */
		ChangeTimerQueueTimer(NULL, hGuard, AGENT_FLUSH_GUARD_MS, 0); /* expect: use-after-release */
		ok = AgentUploadPending(a);
	}
	if (!ok)
		AgentLog(L"flush incomplete, %ld records left", a->pending);
}

static unsigned __stdcall CollectorThread(void *param)
{
	COLLECT_JOB *job = param;

	InterlockedIncrement(&job->agent->pending);
	free(job);
	return 0;
}

/* The caller owns the job until this returns TRUE. */
BOOL AgentSpawnCollector(AGENT *a, COLLECT_JOB *job)
{
	HANDLE h;

	h = (HANDLE)_beginthreadex(NULL, 0, CollectorThread, job, CREATE_SUSPENDED, NULL); /* expect: missing-join */
	if (h == NULL) {
		AgentLog(L"collector for %s: errno %d", job->source, errno);
		return FALSE;
	}
	if (WaitForSingleObject(a->hStopEvent, 0) == WAIT_OBJECT_0) {
		/* the service is going down: start no new collectors */
		return FALSE;
	}
	ResumeThread(h);
	CloseHandle(h);
	return TRUE;
}

static BOOL AgentArmRotation(AGENT *a)
{
	DWORD period = a->rotateMinutes * 60 * 1000;

	return CreateTimerQueueTimer(&a->hRotateTimer, NULL, RotateCallback, a, period, period, /* expect: field-never-stopped */
				     WT_EXECUTELONGFUNCTION);
}

static void AgentReconfigure(AGENT *a, DWORD rotateMinutes)
{
	if (a->hRotateTimer != NULL) {
		DeleteTimerQueueTimer(NULL, a->hRotateTimer, INVALID_HANDLE_VALUE);
		a->hRotateTimer = NULL;
	}
	a->rotateMinutes = rotateMinutes;
	if (rotateMinutes != 0 && !AgentArmRotation(a))
		AgentLog(L"rotation timer: %lu", GetLastError());
}

static DWORD WINAPI ReloadThread(LPVOID param)
{
	AGENT *a = param;
	DWORD minutes = 60, size = sizeof(minutes);

	RegGetValueW(HKEY_LOCAL_MACHINE, L"SOFTWARE\\Contoso\\TelemetryAgent", L"RotateMinutes",
		     RRF_RT_REG_DWORD, NULL, &minutes, &size);
	AgentReconfigure(a, minutes);
	return 0;
}

/* The control handler must return quickly: reread the settings on a thread. */
static void AgentReloadAsync(AGENT *a)
{
	if (CreateThread(NULL, 0, ReloadThread, a, 0, NULL) == NULL) /* expect: handle-discarded */
		AgentLog(L"reload thread: %lu", GetLastError());
}

static BOOL AgentStart(AGENT *a)
{
	a->hPipe = INVALID_HANDLE_VALUE;
	a->hStopEvent = CreateEventW(NULL, TRUE, FALSE, NULL);
	if (a->hStopEvent == NULL)
		return FALSE;
	a->hUploader = (HANDLE)_beginthreadex(NULL, 0, UploaderThread, a, 0, NULL);
	if (a->hUploader == NULL)
		goto fail_event;
	if (!CreateTimerQueueTimer(&a->hHeartbeatTimer, NULL, HeartbeatCallback, a,
				   AGENT_HEARTBEAT_MS, AGENT_HEARTBEAT_MS, WT_EXECUTEDEFAULT))
		goto fail_thread;
	if (a->rotateMinutes != 0 && !AgentArmRotation(a)) {
		DeleteTimerQueueTimer(NULL, a->hHeartbeatTimer, INVALID_HANDLE_VALUE);
		a->hHeartbeatTimer = NULL;
		goto fail_thread;
	}
	return TRUE;

fail_thread:
	SetEvent(a->hStopEvent);
	WaitForSingleObject(a->hUploader, INFINITE);
	CloseHandle(a->hUploader);
	a->hUploader = NULL;
fail_event:
	CloseHandle(a->hStopEvent);
	a->hStopEvent = NULL;
	return FALSE;
}

void AgentDestroy(AGENT *a)
{
	if (a->hUploader != NULL) {
		SetEvent(a->hStopEvent);
		WaitForSingleObject(a->hUploader, INFINITE);
		CloseHandle(a->hUploader);
	}
	/* INVALID_HANDLE_VALUE: wait for a callback that is running right now */
	if (a->hHeartbeatTimer != NULL)
		DeleteTimerQueueTimer(NULL, a->hHeartbeatTimer, INVALID_HANDLE_VALUE);
	if (a->hPipe != INVALID_HANDLE_VALUE)
		CloseHandle(a->hPipe);
	if (a->hStopEvent != NULL)
		CloseHandle(a->hStopEvent);
	free(a);
}

/* From the service control handler: must return quickly. */
DWORD AgentControl(AGENT *a, DWORD ctrl)
{
	switch (ctrl) {
	case SERVICE_CONTROL_STOP:
	case SERVICE_CONTROL_SHUTDOWN:
		SetEvent(a->hStopEvent);
		return NO_ERROR;
	case SERVICE_CONTROL_PARAMCHANGE:
		AgentReloadAsync(a);
		return NO_ERROR;
	case AGENT_CONTROL_FLUSH:
		AgentFlushNow(a);
		return NO_ERROR;
	default:
		return ERROR_CALL_NOT_IMPLEMENTED;
	}
}

AGENT *AgentCreate(DWORD rotateMinutes)
{
	AGENT *a = calloc(1, sizeof(*a));

	if (a == NULL)
		return NULL;
	a->rotateMinutes = rotateMinutes;
	a->retryFlush = TRUE;
	if (!AgentStart(a)) {
		free(a);
		return NULL;
	}
	return a;
}
