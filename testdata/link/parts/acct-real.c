/* Part of teardown-configs.c: accounting where it is configured in. */
#include <stddef.h>
#include "../../eloop/eloop.h"
#include "acct.h"

static void acct_interim(void *eloop_ctx, void *timeout_ctx)
{
    struct bss *b = eloop_ctx;

    (void)timeout_ctx;
    b->octets = 0;
    eloop_register_timeout(600, 0, acct_interim, b, NULL);
}

void acct_start(struct bss *b)
{
    eloop_register_timeout(600, 0, acct_interim, b, NULL);
}

void acct_stop(struct bss *b)
{
    eloop_cancel_timeout(acct_interim, b, NULL);
}
