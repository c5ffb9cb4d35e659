// scan: --link
/* A module of a server built on redis's ae loop, scanned alone: "ae.h" is
 * the server's own header and is not here, so timerlint stands in for it
 * from rules/redis-ae.yaml (aeEventLoop, aeTimeProc, AE_ERR, AE_NOMORE).
 * Without it, `long long id = aeCreateTimeEvent(...)` still reads, but a
 * time proc's declaration and the tests against AE_* do not. */
#include <stdlib.h>
#include "ae.h"

struct replica {
	aeEventLoop *el;
	long long ping_id;
	long long timeout_id;
	int missed;
};

static int replica_ping(aeEventLoop *el, long long id, void *data)
{
	struct replica *r = data;

	(void)el;
	(void)id;
	return r->missed > 3 ? AE_NOMORE : 1000;
}

static int replica_timeout(aeEventLoop *el, long long id, void *data)
{
	struct replica *r = data;

	(void)el;
	(void)id;
	r->missed++;
	return 5000;
}

static int replica_handshake(struct replica *r);

int replica_connect(struct replica *r)
{
	long long id = aeCreateTimeEvent(r->el, 1000, replica_ping, r, NULL); /* expect: missing-stop */

	if (id == AE_ERR) {
		return -1;
	}
	if (replica_handshake(r) < 0) {
		return -1;
	}
	r->ping_id = id;
	return 0;
}

int replica_watch(struct replica *r)
{
	r->timeout_id = aeCreateTimeEvent(r->el, 5000, replica_timeout, r, NULL); /* expect: field-never-stopped */
	if (r->timeout_id == AE_ERR) {
		return -1;
	}
	return 0;
}

void replica_free(struct replica *r)
{
	if (r->ping_id != AE_ERR) {
		aeDeleteTimeEvent(r->el, r->ping_id);
	}
	free(r);
}
