// scan: --link
/* A Windows uploader scanned on a machine with no Windows SDK: nothing has
 * <windows.h> or <process.h>, so timerlint stands in for them from
 * rules/win32-thread.yaml and rules/win32-timer.yaml (HANDLE, DWORD,
 * WINAPI, INFINITE, the thread and timer-queue calls). */
#include <windows.h>
#include <process.h>
#include <stdlib.h>

struct uploader {
	HANDLE worker;
	HANDLE retry_timer;
	HANDLE queue;
	volatile LONG stop;
	int pending;
};

static DWORD WINAPI upload_main(LPVOID arg)
{
	struct uploader *u = arg;

	while (!u->stop) {
		Sleep(100);
	}
	return 0;
}

static unsigned __stdcall scan_main(void *arg)
{
	struct uploader *u = arg;

	u->pending = 0;
	return 0;
}

static VOID CALLBACK retry_fired(PVOID arg, BOOLEAN fired)
{
	struct uploader *u = arg;

	(void)fired;
	u->pending++;
}

static int open_spool(struct uploader *u);

int uploader_scan_once(struct uploader *u)
{
	HANDLE h = (HANDLE)_beginthreadex(NULL, 0, scan_main, u, 0, NULL);

	if (h == NULL) {
		return -1;
	}
	WaitForSingleObject(h, INFINITE);
	CloseHandle(h);
	return 0;
}

int uploader_start(struct uploader *u)
{
	HANDLE h = CreateThread(NULL, 0, upload_main, u, 0, NULL); /* expect: missing-join */

	if (h == NULL) {
		return -1;
	}
	if (open_spool(u) < 0) {
		return -1;
	}
	u->worker = h;
	return 0;
}

int uploader_arm_retry(struct uploader *u, DWORD due_ms)
{
	if (!CreateTimerQueueTimer(&u->retry_timer, u->queue, retry_fired, u, /* expect: field-never-stopped */
	                           due_ms, 0, WT_EXECUTEONLYONCE)) {
		return -1;
	}
	return 0;
}

void uploader_stop(struct uploader *u)
{
	InterlockedExchange(&u->stop, 1);
	WaitForSingleObject(u->worker, INFINITE);
	CloseHandle(u->worker);
	free(u);
}
