// scan: --link
/* field-never-stopped sits at the first place the field is armed. A create
 * that arms (l_timeout_create) is such a place, so a re-arm right after it
 * does not move the finding; a create that does not arm (event_new) is not,
 * and the finding sits at the event_add() that arms it. */
#include <ell/ell.h>
#include <event2/event.h>

struct link {
	struct l_timeout *keepalive;
	struct event *flush;
	struct event_base *base;
	unsigned int interval;
};

static void link_keepalive_cb(struct l_timeout *timeout, void *user_data)
{
	(void)timeout;
	(void)user_data;
}

static void link_flush_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
}

void link_up(struct link *l)
{
	struct timeval tv = { 1, 0 };

	l->keepalive = l_timeout_create(30, link_keepalive_cb, l, NULL); /* expect: field-never-stopped */
	l_timeout_modify(l->keepalive, l->interval);
	l->flush = event_new(l->base, -1, EV_PERSIST, link_flush_cb, l);
	event_add(l->flush, &tv); /* expect: field-never-stopped */
}
