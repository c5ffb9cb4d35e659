// scan: --link
/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * link.c - station link state of a small ELL-based wireless daemon:
 * association deadline, periodic roam scans, GTK rekey watchdog, action
 * frame response wait and off-channel dwell, all on l_timeout.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

#include <ell/ell.h>

#define CONNECT_TIMEOUT_SECS	10
#define ROAM_INTERVAL_SECS	60
#define ROAM_INTERVAL_FAST	5
#define REKEY_TIMEOUT_SECS	30
#define ACTION_WAIT_MS		250
#define DWELL_MS		120
#define DEAUTH_RETRY_SECS	2

struct link {
	uint32_t ifindex;
	struct l_timeout *connect_timeout;	/* association deadline */
	struct l_timeout *roam_timeout;		/* periodic roam scan */
	struct l_timeout *rekey_timeout;	/* GTK rekey watchdog */
	struct l_timeout *action_timeout;	/* action frame response */
	struct l_queue *scan_results;
	unsigned int roam_interval;
	unsigned int n_dwell;
	unsigned int deauth_tries;
	bool connected;
	bool rekey_pending;
};

int netdev_send_frame(uint32_t ifindex, const void *frame, size_t len);
int netdev_deauthenticate(uint32_t ifindex);
int netdev_trigger_scan(uint32_t ifindex);
int offchannel_start(uint32_t ifindex, uint32_t freq);
bool channel_is_usable(uint32_t ifindex);

static void link_connect_failed(struct link *link)
{
	link->connected = false;
	netdev_deauthenticate(link->ifindex);
}

static void connect_timeout_cb(struct l_timeout *timeout, void *user_data)
{
	struct link *link = user_data;

	l_debug("association timed out on %u", link->ifindex);
	l_timeout_remove(timeout);
	link->connect_timeout = NULL;
	link_connect_failed(link);
}

static void roam_timeout_cb(struct l_timeout *timeout, void *user_data)
{
	struct link *link = user_data;

	netdev_trigger_scan(link->ifindex);
	l_timeout_modify(timeout, link->roam_interval);
}

static void rekey_timeout_cb(struct l_timeout *timeout, void *user_data)
{
	struct link *link = user_data;

	(void)timeout;
	link->rekey_pending = true;
	netdev_deauthenticate(link->ifindex);
}

static void action_timeout_cb(struct l_timeout *timeout, void *user_data)
{
	struct link *link = user_data;

	l_timeout_remove(timeout);
	link->action_timeout = NULL;
}

static void dwell_done_cb(struct l_timeout *timeout, void *user_data)
{
	struct link *link = user_data;

	(void)timeout;
	link->n_dwell--;
}

static void deauth_retry_cb(struct l_timeout *timeout, void *user_data)
{
	struct link *link = user_data;

	(void)timeout;
	if (++link->deauth_tries < 3)
		netdev_deauthenticate(link->ifindex);
}

static void exit_after_flush(struct l_timeout *timeout, void *user_data)
{
	(void)user_data;
	l_timeout_remove(timeout);
	l_main_quit();
}

struct link *link_new(uint32_t ifindex)
{
	struct link *link = l_new(struct link, 1);

	link->ifindex = ifindex;
	link->roam_interval = ROAM_INTERVAL_SECS;
	link->scan_results = l_queue_new();
	return link;
}

int link_connect(struct link *link)
{
	if (link->connect_timeout)
		return -EBUSY;

	link->connect_timeout = l_timeout_create(CONNECT_TIMEOUT_SECS,
					connect_timeout_cb, link, NULL);
	if (!link->connect_timeout)
		return -ENOMEM;

	return 0;
}

static void link_start_roaming(struct link *link)
{
	if (link->roam_timeout) {
		l_timeout_modify(link->roam_timeout, link->roam_interval);
		return;
	}

	link->roam_timeout = l_timeout_create(link->roam_interval,
					roam_timeout_cb, link, NULL);
}

static void link_start_rekey(struct link *link)
{
	link->rekey_pending = false;
	link->rekey_timeout = l_timeout_create(REKEY_TIMEOUT_SECS, /* expect: field-never-stopped */
					rekey_timeout_cb, link, NULL);
}

void link_connected(struct link *link)
{
	l_timeout_remove(link->connect_timeout);
	link->connect_timeout = NULL;
	link->connected = true;

	link_start_roaming(link);
	link_start_rekey(link);
}

void link_rekey_done(struct link *link)
{
	l_timeout_remove(link->rekey_timeout);
	link->rekey_timeout = NULL;
	link->rekey_pending = false;
}

void link_signal_low(struct link *link)
{
	/* poor signal: replace the periodic roam scan by a fast one */
	l_timeout_remove(link->roam_timeout);
	link->roam_interval = ROAM_INTERVAL_FAST;
	link->roam_timeout = l_timeout_create(link->roam_interval,
					roam_timeout_cb, link, NULL);
	if (link->roam_timeout)
		l_timeout_modify(link->roam_timeout, 1);
}

void link_roam_reset(struct link *link, bool still_connected)
{
	l_timeout_remove(link->roam_timeout);
	link->roam_interval = ROAM_INTERVAL_SECS;
	l_queue_clear(link->scan_results, NULL);

	if (still_connected)
		l_timeout_modify(link->roam_timeout, link->roam_interval); /* expect: use-after-release */
}

int link_send_action(struct link *link, const void *frame, size_t len)
{
	struct l_timeout *wait;

	if (link->action_timeout)
		return -EBUSY;

	wait = l_timeout_create_ms(ACTION_WAIT_MS, action_timeout_cb, /* expect: missing-stop */
							link, NULL);
	if (!wait)
		return -ENOMEM;

	if (!channel_is_usable(link->ifindex))
		return -ENETDOWN;

	if (netdev_send_frame(link->ifindex, frame, len) < 0) {
		l_timeout_remove(wait);
		return -EIO;
	}

	link->action_timeout = wait;
	return 0;
}

int link_probe_channels(struct link *link, const uint32_t *freqs,
							unsigned int n_freqs)
{
	unsigned int i;

	for (i = 0; i < n_freqs; i++) {
		struct l_timeout *dwell;

		dwell = l_timeout_create_ms(DWELL_MS, dwell_done_cb, link, NULL); /* expect: created-in-loop */
		if (!dwell)
			return -ENOMEM;

		if (offchannel_start(link->ifindex, freqs[i]) < 0) {
			l_timeout_remove(dwell);
			continue;
		}

		link->n_dwell++;
	}

	return 0;
}

struct l_timeout *link_arm_watchdog(struct link *link, unsigned int secs)
{
	struct l_timeout *wd;

	wd = l_timeout_create(secs, rekey_timeout_cb, link, NULL);
	if (!wd)
		return NULL;

	if (secs > REKEY_TIMEOUT_SECS)
		l_timeout_modify(wd, REKEY_TIMEOUT_SECS);

	return wd;
}

int link_disconnect(struct link *link)
{
	int err;

	err = netdev_deauthenticate(link->ifindex);
	if (err < 0)
		l_timeout_create(DEAUTH_RETRY_SECS, deauth_retry_cb, link, NULL); /* expect: handle-discarded */

	l_timeout_remove(link->roam_timeout);
	link->roam_timeout = NULL;
	link->connected = false;
	return err;
}

void link_shutdown_daemon(void)
{
	/* give pending netlink replies a second before leaving the loop */
	l_timeout_create(1, exit_after_flush, NULL, NULL);
}

void link_free(struct link *link)
{
	l_timeout_remove(link->connect_timeout);
	l_timeout_remove(link->roam_timeout);
	l_timeout_remove(link->action_timeout);
	l_queue_destroy(link->scan_results, NULL);
	l_free(link);
}
