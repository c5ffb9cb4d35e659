/* Helpers in a project header: lowered only because header-helpers.c calls
 * them (a header function no scanned TU calls is not analysed). */
#include <signal.h>
#include <time.h>

static inline void timer_stop_and_delete(timer_t t)
{
    struct itimerspec zero = {0};
    timer_settime(t, 0, &zero, NULL);
    timer_delete(t);
}

static inline void timer_pause(timer_t t)
{
    struct itimerspec zero = {0};
    timer_settime(t, 0, &zero, NULL);
}

static inline int timer_unused_helper(void)
{
    timer_t t;
    return timer_create(CLOCK_MONOTONIC, NULL, &t);
}
