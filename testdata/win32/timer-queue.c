/*
 * win32-timer: timer-queue timers from CreateTimerQueueTimer() (the handle
 * is written through the first argument, FALSE means none) are deleted with
 * DeleteTimerQueueTimer(). Window timers (SetTimer/KillTimer) are
 * registrations keyed by (hWnd, nIDEvent), not analysed yet: their cases
 * are known gaps.
 */
#include <stdbool.h>
#include "win32-min.h"

typedef struct {
    HANDLE timer;
    HWND hwnd;
    DWORD period_ms;
    volatile long ticks;
    bool running;
} Poller;

#define IDT_REFRESH 1

extern bool poller_open_device(Poller *p);
extern void poller_keep_timer(Poller *p, HANDLE timer);

static VOID CALLBACK on_tick(PVOID param, BOOLEAN fired)
{
    Poller *p = param;

    (void)fired;
    p->ticks++;
}

static VOID CALLBACK on_refresh(HWND hwnd, UINT msg, UINT_PTR id, DWORD time)
{
    (void)hwnd;
    (void)msg;
    (void)id;
    (void)time;
}

/* Deletes its parameter on every path, waiting for a running callback. */
static void poller_delete_timer(HANDLE t)
{
    DeleteTimerQueueTimer(NULL, t, INVALID_HANDLE_VALUE);
}

/* bad: the device fails to open and the timer keeps firing into p */
BOOL bad_timer_left_on_error(Poller *p)
{
    HANDLE t;

    if (!CreateTimerQueueTimer(&t, NULL, on_tick, p, 0, p->period_ms, WT_EXECUTEDEFAULT)) /* expect: missing-stop */ /* note[missing-stop]: timer 't' created here by CreateTimerQueueTimer() */ /* note[missing-stop]: taking the false branch: '!CreateTimerQueueTimer(&t, NULL, on_tick, p, 0, p->period_ms, WT_EXECUTEDEFAULT)' is false */
        return FALSE;
    if (!poller_open_device(p)) /* note[missing-stop]: taking the true branch: '!poller_open_device(p)' is true */
        return FALSE; /* note[missing-stop]: returning here without DeleteTimerQueueTimer() */
    while (p->ticks < 10)
        ;
    DeleteTimerQueueTimer(NULL, t, INVALID_HANDLE_VALUE);
    return TRUE;
}

/* bad: one timer per attempt, the previous one never deleted */
void bad_timer_per_attempt(Poller *p, int attempts)
{
    for (int i = 0; i < attempts; i++) { /* note[created-in-loop]: taking the true branch: 'i < attempts' is true */
        HANDLE t;

        if (!CreateTimerQueueTimer(&t, NULL, on_tick, p, 100u << i, 0, WT_EXECUTEONLYONCE)) /* expect: created-in-loop */ /* note[created-in-loop]: taking the false branch: '!CreateTimerQueueTimer(&t, NULL, on_tick, p, 100u << i, 0, WT_EXECUTEONLYONCE)' is false */ /* note[created-in-loop]: CreateTimerQueueTimer() runs again here */
            return;
        if (poller_open_device(p)) /* note[created-in-loop]: taking the false branch: 'poller_open_device(p)' is false */
            break;
    }
}

/* bad: re-armed after it was deleted */
void bad_change_after_delete(Poller *p)
{
    HANDLE t;

    if (!CreateTimerQueueTimer(&t, NULL, on_tick, p, p->period_ms, p->period_ms, WT_EXECUTEDEFAULT)) /* note[use-after-release]: taking the false branch: the condition is false */
        return;
    poller_delete_timer(t); /* note[use-after-release]: released here by poller_delete_timer() */
    if (p->running) /* note[use-after-release]: taking the true branch: 'p->running' is true */
        ChangeTimerQueueTimer(NULL, t, 0, p->period_ms); /* expect: use-after-release */ /* note[use-after-release]: ChangeTimerQueueTimer() here */
}

/* bad: deleted twice on the stop path */
void bad_double_delete(Poller *p)
{
    HANDLE t;

    if (!CreateTimerQueueTimer(&t, NULL, on_tick, p, p->period_ms, p->period_ms, WT_EXECUTEDEFAULT))
        return;
    if (!poller_open_device(p)) /* note[use-after-release]: taking the true branch: '!poller_open_device(p)' is true */
        DeleteTimerQueueTimer(NULL, t, NULL); /* note[use-after-release]: released here by DeleteTimerQueueTimer() */
    DeleteTimerQueueTimer(NULL, t, INVALID_HANDLE_VALUE); /* expect: use-after-release */ /* note[use-after-release]: DeleteTimerQueueTimer() here */
}

/* good: FALSE means no timer; deleted on every other path */
BOOL good_deleted_every_path(Poller *p)
{
    HANDLE t = NULL;

    if (!CreateTimerQueueTimer(&t, NULL, on_tick, p, 0, p->period_ms, WT_EXECUTEDEFAULT))
        return FALSE;
    if (!poller_open_device(p)) {
        poller_delete_timer(t);
        return FALSE;
    }
    ChangeTimerQueueTimer(NULL, t, 0, p->period_ms * 2);
    DeleteTimerQueueTimer(NULL, t, INVALID_HANDLE_VALUE);
    return TRUE;
}

/* good: the timer handle is kept in the poller, reached through a pointer */
BOOL good_kept_in_struct(Poller *p)
{
    return CreateTimerQueueTimer(&p->timer, NULL, on_tick, p, 0, p->period_ms, WT_EXECUTEDEFAULT);
}

/* good: handed to code outside this file */
void good_handed_on(Poller *p)
{
    HANDLE t;

    if (CreateTimerQueueTimer(&t, NULL, on_tick, p, 0, p->period_ms, WT_EXECUTEDEFAULT))
        poller_keep_timer(p, t);
}

/* bad: the refresh timer is not killed when the device fails to open */
BOOL bad_window_timer_left(Poller *p)
{
    if (!SetTimer(p->hwnd, IDT_REFRESH, 500, on_refresh)) /* known-gap: missing-stop */
        return FALSE;
    if (!poller_open_device(p))
        return FALSE;
    KillTimer(p->hwnd, IDT_REFRESH);
    return TRUE;
}

/* good: the window timer's return value is nIDEvent itself: ignoring it is fine */
void good_window_timer_killed(Poller *p)
{
    SetTimer(p->hwnd, IDT_REFRESH, 500, on_refresh);
    poller_open_device(p);
    KillTimer(p->hwnd, IDT_REFRESH);
}
