/* A macro that expands to nothing leaves a gap between statements, and
 * the tokens of its arguments there name a known call. In a TU that
 * parses cleanly nothing was dropped: such a call never runs and is no
 * create (recover.c reads gaps only where clang reported errors). */
#include <signal.h>
#include <time.h>

#define DEBUG_ONLY(stmt)

int probe_clock(void)
{
    timer_t t;

    DEBUG_ONLY(timer_create(CLOCK_MONOTONIC, NULL, &t));
    return 0;
}
