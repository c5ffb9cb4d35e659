/* A file that does not build here (its project headers are missing:
 * every use of what they declare is an error) still gets its findings,
 * however many errors come first: clang stops at 20 errors unless told
 * otherwise, and what follows would be lost (#13 item 1). */
#include <signal.h>
#include <time.h>
#include "project_config.h"

int configure(void)
{
    int rc = 0;
    rc |= cfg_set(CFG_KEY_0, CFG_DEFAULT_0);
    rc |= cfg_set(CFG_KEY_1, CFG_DEFAULT_1);
    rc |= cfg_set(CFG_KEY_2, CFG_DEFAULT_2);
    rc |= cfg_set(CFG_KEY_3, CFG_DEFAULT_3);
    rc |= cfg_set(CFG_KEY_4, CFG_DEFAULT_4);
    rc |= cfg_set(CFG_KEY_5, CFG_DEFAULT_5);
    rc |= cfg_set(CFG_KEY_6, CFG_DEFAULT_6);
    rc |= cfg_set(CFG_KEY_7, CFG_DEFAULT_7);
    rc |= cfg_set(CFG_KEY_8, CFG_DEFAULT_8);
    rc |= cfg_set(CFG_KEY_9, CFG_DEFAULT_9);
    rc |= cfg_set(CFG_KEY_10, CFG_DEFAULT_10);
    rc |= cfg_set(CFG_KEY_11, CFG_DEFAULT_11);
    rc |= cfg_set(CFG_KEY_12, CFG_DEFAULT_12);
    rc |= cfg_set(CFG_KEY_13, CFG_DEFAULT_13);
    rc |= cfg_set(CFG_KEY_14, CFG_DEFAULT_14);
    rc |= cfg_set(CFG_KEY_15, CFG_DEFAULT_15);
    rc |= cfg_set(CFG_KEY_16, CFG_DEFAULT_16);
    rc |= cfg_set(CFG_KEY_17, CFG_DEFAULT_17);
    rc |= cfg_set(CFG_KEY_18, CFG_DEFAULT_18);
    rc |= cfg_set(CFG_KEY_19, CFG_DEFAULT_19);
    rc |= cfg_set(CFG_KEY_20, CFG_DEFAULT_20);
    rc |= cfg_set(CFG_KEY_21, CFG_DEFAULT_21);
    rc |= cfg_set(CFG_KEY_22, CFG_DEFAULT_22);
    rc |= cfg_set(CFG_KEY_23, CFG_DEFAULT_23);
    rc |= cfg_set(CFG_KEY_24, CFG_DEFAULT_24);
    return rc;
}

int arm_watchdog(void)
{
    timer_t t;

    if (timer_create(CLOCK_MONOTONIC, NULL, &t) != 0) /* expect: missing-stop */
        return -1;
    return 0;
}
