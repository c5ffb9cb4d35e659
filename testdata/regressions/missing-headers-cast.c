/* A Windows listener scanned with its project's socket header missing:
 * SOCKET is unknown, so `SOCKET s = accept(...)` is no declaration and
 * every statement naming `s` is an expression with errors. The thread
 * create inside one is still read from its tokens, through the cast its
 * result needs (`h = (HANDLE)_beginthreadex(...)`): each accepted client
 * gets a thread whose handle the next iteration overwrites. <windows.h>
 * and <process.h> are the stand-ins timerlint writes. */
#include <windows.h>
#include <process.h>
#include "netio.h"

static unsigned __stdcall serve_client(void *arg)
{
	(void)arg;
	return 0;
}

void serve_forever(SOCKET listener)
{
	for (;;) {
		SOCKET s = accept(listener, NULL, NULL);
		HANDLE h;

		h = (HANDLE)_beginthreadex(NULL, 0, serve_client, (void *)(ULONG_PTR)s, 0, NULL); /* expect: created-in-loop */
		if (h == 0)
			continue;
		net_count_client();
	}
}

void serve_closing(SOCKET listener)
{
	for (;;) {
		SOCKET s = accept(listener, NULL, NULL);
		HANDLE h;

		h = (HANDLE)_beginthreadex(NULL, 0, serve_client, (void *)(ULONG_PTR)s, 0, NULL);
		if (h == 0)
			continue;
		CloseHandle(h);
	}
}
