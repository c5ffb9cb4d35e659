/* win32-min.h: declarations shaped like the Windows SDK's <windows.h>
 * (threadpoollegacyapiset.h, winuser.h, processthreadsapi.h,
 * handleapi.h, synchapi.h, process.h) for the calls the testdata uses:
 * timer-queue timers, window timers, threads and handles. Not an SDK
 * header: calling conventions are empty and the integer types are the
 * host's. */
#ifndef TESTDATA_WIN32_MIN_H
#define TESTDATA_WIN32_MIN_H

#include <stddef.h>
#include <stdint.h>

#define WINAPI
#define CALLBACK
#define VOID void

typedef int BOOL;
typedef unsigned char BOOLEAN;
typedef unsigned long DWORD;
typedef unsigned long ULONG;
typedef unsigned int UINT;
typedef uintptr_t UINT_PTR;
typedef void *HANDLE;
typedef HANDLE *PHANDLE;
typedef void *PVOID;
typedef void *LPVOID;
typedef size_t SIZE_T;
typedef DWORD *LPDWORD;
typedef struct HWND__ *HWND;
typedef struct _SECURITY_ATTRIBUTES *LPSECURITY_ATTRIBUTES;

#define TRUE 1
#define FALSE 0
#define INFINITE 0xFFFFFFFF
#define WAIT_OBJECT_0 0x00000000L
#define WAIT_TIMEOUT 258L
#define INVALID_HANDLE_VALUE ((HANDLE)(intptr_t)-1)
#define WT_EXECUTEDEFAULT 0x00000000
#define WT_EXECUTEONLYONCE 0x00000008
#define ERROR_IO_PENDING 997L

typedef VOID(CALLBACK *WAITORTIMERCALLBACK)(PVOID lpParameter, BOOLEAN TimerOrWaitFired);
typedef DWORD(WINAPI *LPTHREAD_START_ROUTINE)(LPVOID lpThreadParameter);
typedef VOID(CALLBACK *TIMERPROC)(HWND, UINT, UINT_PTR, DWORD);

DWORD WINAPI GetLastError(VOID);

/* threadpoollegacyapiset.h */
HANDLE WINAPI CreateTimerQueue(VOID);
BOOL WINAPI DeleteTimerQueueEx(HANDLE TimerQueue, HANDLE CompletionEvent);
BOOL WINAPI CreateTimerQueueTimer(PHANDLE phNewTimer, HANDLE TimerQueue,
                                  WAITORTIMERCALLBACK Callback, PVOID Parameter,
                                  DWORD DueTime, DWORD Period, ULONG Flags);
BOOL WINAPI ChangeTimerQueueTimer(HANDLE TimerQueue, HANDLE Timer, ULONG DueTime,
                                  ULONG Period);
BOOL WINAPI DeleteTimerQueueTimer(HANDLE TimerQueue, HANDLE Timer,
                                  HANDLE CompletionEvent);

/* winuser.h */
UINT_PTR WINAPI SetTimer(HWND hWnd, UINT_PTR nIDEvent, UINT uElapse, TIMERPROC lpTimerFunc);
BOOL WINAPI KillTimer(HWND hWnd, UINT_PTR uIDEvent);

/* processthreadsapi.h, handleapi.h, synchapi.h, process.h */
HANDLE WINAPI CreateThread(LPSECURITY_ATTRIBUTES lpThreadAttributes, SIZE_T dwStackSize,
                           LPTHREAD_START_ROUTINE lpStartAddress, LPVOID lpParameter,
                           DWORD dwCreationFlags, LPDWORD lpThreadId);
DWORD WINAPI ResumeThread(HANDLE hThread);
BOOL WINAPI GetExitCodeThread(HANDLE hThread, LPDWORD lpExitCode);
DWORD WINAPI WaitForSingleObject(HANDLE hHandle, DWORD dwMilliseconds);
BOOL WINAPI CloseHandle(HANDLE hObject);
uintptr_t _beginthreadex(void *security, unsigned stack_size,
                         unsigned (*start_address)(void *),
                         void *arglist, unsigned initflag, unsigned *thrdaddr);

#define CREATE_SUSPENDED 0x00000004

#endif
