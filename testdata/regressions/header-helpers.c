/* Summaries of helpers defined in a project header (see header-helpers.h). */
#include "header-helpers.h"

extern int configure(void);

/* good: the header helper deletes the timer on every path */
int good_header_helper_releases(void)
{
    timer_t t;

    if (timer_create(CLOCK_MONOTONIC, NULL, &t) != 0)
        return -1;
    configure();
    timer_stop_and_delete(t);
    return 0;
}

/* bad: the header helper only disarms; the timer is never deleted */
int bad_header_helper_only_disarms(void)
{
    timer_t t;

    if (timer_create(CLOCK_MONOTONIC, NULL, &t) != 0) /* expect: disarmed-not-released */
        return -1;
    timer_pause(t);
    return 0;
}
