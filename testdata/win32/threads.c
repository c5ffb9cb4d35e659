/*
 * win32-thread: a thread handle from CreateThread()/_beginthreadex() must
 * be closed with CloseHandle(); WaitForSingleObject() waits but does not
 * close. Leaks are missing-join (reported on the creating call); a wait or
 * a second close after CloseHandle() is use-after-release.
 */
#include <stdbool.h>
#include "win32-min.h"

typedef struct {
    HANDLE worker;
    volatile long done;
    int jobs;
} Pool;

extern bool pool_prepare(Pool *p);
extern void pool_adopt(Pool *p, HANDLE h);

static DWORD WINAPI worker_main(LPVOID arg)
{
    Pool *p = arg;

    p->done = 1;
    return 0;
}

static unsigned crt_worker_main(void *arg)
{
    Pool *p = arg;

    p->jobs = 0;
    return 0;
}

/* Waits for and closes its parameter on every path. */
static void join_and_close(HANDLE h)
{
    WaitForSingleObject(h, INFINITE);
    CloseHandle(h);
}

/* bad: the prepare error returns without closing the thread handle */
int bad_handle_left_on_error(Pool *p)
{
    HANDLE h = CreateThread(NULL, 0, worker_main, p, 0, NULL); /* expect: missing-join */ /* note[missing-join]: thread 'h' created here by CreateThread() */

    if (h == NULL) /* note[missing-join]: taking the false branch: 'h == NULL' is false */
        return -1;
    if (!pool_prepare(p)) /* note[missing-join]: taking the true branch: '!pool_prepare(p)' is true */
        return -1; /* note[missing-join]: returning here: the thread is neither joined nor detached */
    join_and_close(h);
    return 0;
}

/* bad: waited for, but never closed */
DWORD bad_wait_without_close(Pool *p)
{
    DWORD code = 0;
    HANDLE h = CreateThread(NULL, 0, worker_main, p, 0, NULL); /* expect: missing-join */

    if (!h) /* note[missing-join]: taking the false branch: '!h' is false */
        return (DWORD)-1;
    WaitForSingleObject(h, INFINITE);
    GetExitCodeThread(h, &code);
    return code; /* note[missing-join]: returning here: the thread is neither joined nor detached */
}

/* bad: one thread per job, handles never closed */
void bad_thread_per_job(Pool *p)
{
    for (int i = 0; i < p->jobs; i++) {
        HANDLE h = CreateThread(NULL, 0, worker_main, p, 0, NULL); /* expect: created-in-loop */

        if (h == NULL)
            break;
    }
}

/* bad: the handle is dropped */
void bad_handle_dropped(Pool *p)
{
    CreateThread(NULL, 0, worker_main, p, 0, NULL); /* expect: handle-discarded */
}

/* bad: waited for after the handle was closed */
void bad_wait_after_close(Pool *p)
{
    HANDLE h = CreateThread(NULL, 0, worker_main, p, 0, NULL);

    if (h == NULL) /* note[use-after-release]: taking the false branch: 'h == NULL' is false */
        return;
    CloseHandle(h); /* note[use-after-release]: here by CloseHandle() */
    WaitForSingleObject(h, INFINITE); /* expect: use-after-release */ /* note[use-after-release]: WaitForSingleObject() here */
}

/* bad: closed twice through a same-file helper */
void bad_double_close(Pool *p)
{
    HANDLE h = CreateThread(NULL, 0, worker_main, p, CREATE_SUSPENDED, NULL);

    if (h == NULL)
        return;
    ResumeThread(h);
    join_and_close(h); /* note[use-after-release]: here by join_and_close() */
    CloseHandle(h); /* expect: use-after-release */ /* note[use-after-release]: CloseHandle() here */
}

/* bad: a _beginthreadex handle (cast to HANDLE) leaks on the error path */
int bad_crt_thread_left(Pool *p)
{
    HANDLE h = (HANDLE)_beginthreadex(NULL, 0, crt_worker_main, p, 0, NULL); /* expect: missing-join */ /* note[missing-join]: thread 'h' created here by _beginthreadex() */

    if (h == 0) /* note[missing-join]: taking the false branch: 'h == 0' is false */
        return -1;
    if (!pool_prepare(p)) /* note[missing-join]: taking the true branch: '!pool_prepare(p)' is true */
        return -1;
    join_and_close(h);
    return 0;
}

/* good: closing the handle right away lets the thread run on */
BOOL good_closed_immediately(Pool *p)
{
    HANDLE h = CreateThread(NULL, 0, worker_main, p, 0, NULL);

    if (h == NULL)
        return FALSE;
    CloseHandle(h);
    return TRUE;
}

/* good: waited for and closed on every path */
int good_wait_and_close(Pool *p)
{
    HANDLE h = CreateThread(NULL, 0, worker_main, p, 0, NULL);

    if (h == NULL)
        return -1;
    if (!pool_prepare(p)) {
        join_and_close(h);
        return -1;
    }
    WaitForSingleObject(h, INFINITE);
    CloseHandle(h);
    return 0;
}

/* good: the handle is kept in the pool */
void good_kept_in_pool(Pool *p)
{
    p->worker = CreateThread(NULL, 0, worker_main, p, 0, NULL);
}

/* good: handed to code outside this file */
void good_adopted(Pool *p)
{
    HANDLE h = CreateThread(NULL, 0, worker_main, p, 0, NULL);

    if (h != NULL)
        pool_adopt(p, h);
}
