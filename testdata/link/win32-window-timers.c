// scan: --link
/* field-never-stopped for window timers: SetTimer(hwnd, id, ...) is keyed
 * by the window and the id (its return value is the id: no handle); a
 * window that is destroyed must have KillTimer'd every id it set. */
#include "../win32/win32-min.h"

#define IDT_REFRESH 1
#define IDT_BLINK 2

typedef struct {
    HWND hwnd;
    int frames;
} View;

static VOID CALLBACK on_timer(HWND hwnd, UINT msg, UINT_PTR id, DWORD time)
{
    (void)hwnd;
    (void)msg;
    (void)id;
    (void)time;
}

void view_show(View *v)
{
    SetTimer(v->hwnd, IDT_REFRESH, 40, on_timer);
    SetTimer(v->hwnd, IDT_BLINK, 500, on_timer); /* expect: field-never-stopped */
}

/* kills the refresh timer, forgets the blink one */
void view_destroy(View *v)
{
    KillTimer(v->hwnd, IDT_REFRESH);
}
