// scan: --link
// with: parts/iface-p2p.c parts/iface-wps.c
/* Teardowns across files (#19): a teardown that frees its object after
 * handing it to functions of other files tears it down through them. What
 * those functions (and the ones they hand it on to, in any file) cancel,
 * delete or join counts; what none of them does is still live at the
 * free. Handing the object to code with no body in the scanned files, or
 * to a function pointer, gives the benefit of the doubt, as before; so
 * does a cancel for every context anywhere on the way. */
#include <stdlib.h>
#include "../eloop/eloop.h"
#include "parts/iface.h"

static void iface_deinit_all(struct iface *ifc)
{
    p2p_deinit(ifc);
    wps_deinit(ifc);
}

/* bad: p2p_deinit() cancels the formation timeout and wps_deinit() the
 * WPS one, but the listen timeout and the rekey timer are left running
 * (p2p_stop_listen() and rekey_stop() are not called), and the scanner is
 * cancelled without a join. */
void iface_free(struct iface *ifc)
{
    iface_deinit_all(ifc);
    scanner_cancel(ifc);
    free(ifc); /* expect: stop-too-late */ /* note[stop-too-late]: scanner_cancel() */
}

/* good: the station's own release, behind a function pointer, may cancel
 * its ageing */
void station_free(struct station *sta)
{
    sta->ops->release(sta);
    free(sta);
}

/* good: peer_unlink() gives the peer to a library with no body here */
void peer_free(struct peer *p)
{
    peer_unlink(p);
    free(p);
}

/* good: group_deinit() cancels the idle timeout for every group */
void group_free(struct group *g)
{
    group_deinit(g);
    free(g);
}

/* bad: link_shutdown() -> link_clear_timers() cancels the keepalive, not
 * the retry (see iface-p2p.c) */
void link_free(struct link *l)
{
    link_shutdown(l);
    free(l);
}

/* good: pool_stop() joins the thread */
void pool_free(struct pool *p)
{
    pool_stop(p);
    free(p);
}
