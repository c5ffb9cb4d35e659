/* Part of teardown-configs.c: a file of the build that configures
 * accounting out, as its compile command would. */
#define NO_ACCOUNTING 1
#include <stdlib.h>
#include "acct.h"

void bss_free(struct bss *b)
{
    acct_stop(b);
    free(b);
}
