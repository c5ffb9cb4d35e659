// scan: --link
/* A timeout whose callback re-arms it on some paths (l_timeout_modify on
 * its own handle) has not been stopped by that callback: re-arming ends
 * nothing. Kept in a field that no function removes, it is never stopped,
 * however the callback leaves: freeing the record that holds it is not
 * removing it. A callback that removes its own handle on a path keeps the
 * benefit of the doubt. */
#include <ell/ell.h>

struct peer {
	struct l_timeout *expire;
	struct l_timeout *probe;
	struct l_timeout *retry;
	unsigned int missed;
};

static void peer_free(struct peer *p)
{
	l_timeout_remove(p->expire);
	l_free(p);
}

static void peer_probe_cb(struct l_timeout *timeout, void *user_data)
{
	struct peer *p = user_data;

	if (++p->missed > 3) {
		peer_free(p);
		return;
	}
	l_timeout_modify(timeout, 1);
}

static void peer_retry_cb(struct l_timeout *timeout, void *user_data)
{
	struct peer *p = user_data;

	if (++p->missed > 3) {
		l_timeout_remove(timeout);
		return;
	}
	l_timeout_modify(timeout, 2);
}

static void peer_expire_cb(struct l_timeout *timeout, void *user_data)
{
	struct peer *p = user_data;

	(void)timeout;
	p->missed = 0;
	if (!p->probe)
		p->probe = l_timeout_create(1, peer_probe_cb, p, NULL); /* expect: field-never-stopped */
	if (!p->retry)
		p->retry = l_timeout_create(2, peer_retry_cb, p, NULL);
}

struct peer *peer_new(void)
{
	struct peer *p = l_new(struct peer, 1);

	p->expire = l_timeout_create(30, peer_expire_cb, p, NULL);
	return p;
}

void peer_drop(struct peer *p)
{
	peer_free(p);
}
