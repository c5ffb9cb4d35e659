// scan: --link
// with: parts/wrapper-deinit.c
/* A teardown that frees through a static wrapper of its own file: what the
 * wrapper hands the object to, in other files, is on the teardown's path
 * too. svc_cancel_poll() (another file) cancels the poll on the way; the
 * retry, which only svc_ack() cancels, is still registered at the free.
 * The logger given the object first is no hand-off. */
#include <stdlib.h>
#include "parts/svc.h"

static void svc_destroy(struct svc *s)
{
    svc_cancel_poll(s);
    free(s);
}

void svc_remove(struct svc *s)
{
    svc_log(s, "removing");
    svc_destroy(s);
}
