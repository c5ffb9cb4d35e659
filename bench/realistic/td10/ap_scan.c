/*
 * apd - background scanning
 *
 * The AP scans periodically to keep track of overlapping BSSs. A scan is
 * started from scan_timeout(), results are polled from the driver and a
 * failed attempt is retried with an exponential backoff.
 */

#include "ap.h"

#define SCAN_POLL_INTERVAL_US 200000
#define SCAN_MAX_POLLS 25
#define SCAN_RETRY_BASE 2
#define SCAN_MAX_RETRIES 5

struct ap_scan {
	struct ap_iface *iface;
	unsigned int interval;
	unsigned int retries;
	unsigned int polls;
	int running;
	int last_count;
	unsigned int completed;
};

static void scan_timeout(void *eloop_ctx, void *user_ctx);
static void scan_retry_timeout(void *eloop_ctx, void *user_ctx);
static void scan_result_poll(void *eloop_ctx, void *user_ctx);


static unsigned int scan_backoff(const struct ap_scan *scan)
{
	unsigned int shift = scan->retries < 4 ? scan->retries : 4;

	return SCAN_RETRY_BASE << shift;
}


static void scan_schedule_retry(struct ap_scan *scan)
{
	unsigned int delay = scan_backoff(scan);

	if (eloop_is_timeout_registered(scan_retry_timeout, scan, NULL)) {
		wpa_printf(MSG_DEBUG, "%s: scan retry already pending, rescheduling in %u s",
			   scan->iface->ifname, delay);
		eloop_register_timeout(delay, 0, scan_retry_timeout, scan, NULL); /* expect: missing-stop */
		return;
	}

	scan->retries++;
	wpa_printf(MSG_DEBUG, "%s: retrying scan in %u s (attempt %u)",
		   scan->iface->ifname, delay, scan->retries);
	eloop_register_timeout(delay, 0, scan_retry_timeout, scan, NULL);
}


static void scan_start(struct ap_scan *scan)
{
	struct ap_iface *iface = scan->iface;

	if (scan->running) {
		wpa_printf(MSG_DEBUG, "%s: scan already running", iface->ifname);
		return;
	}

	if (ap_drv_trigger_scan(iface->drv_priv) < 0) {
		wpa_printf(MSG_DEBUG, "%s: failed to trigger scan",
			   iface->ifname);
		scan_schedule_retry(scan);
		return;
	}

	scan->running = 1;
	scan->polls = 0;
	eloop_register_timeout(0, SCAN_POLL_INTERVAL_US, scan_result_poll,
			       scan, NULL);
}


static void scan_timeout(void *eloop_ctx, void *user_ctx)
{
	struct ap_scan *scan = eloop_ctx;

	scan_start(scan);
}


static void scan_retry_timeout(void *eloop_ctx, void *user_ctx)
{
	struct ap_scan *scan = eloop_ctx;

	if (scan->retries > SCAN_MAX_RETRIES) {
		wpa_printf(MSG_INFO, "%s: giving up after %u scan attempts",
			   scan->iface->ifname, scan->retries);
		scan->retries = 0;
		if (scan->interval)
			ap_scan_request(scan, scan->interval);
		return;
	}
	scan_start(scan);
}


static void scan_result_poll(void *eloop_ctx, void *user_ctx)
{
	struct ap_scan *scan = eloop_ctx;
	struct ap_iface *iface = scan->iface;
	int res;

	res = ap_drv_get_scan_results(iface->drv_priv);
	if (res < 0) {
		if (++scan->polls < SCAN_MAX_POLLS) {
			eloop_register_timeout(0, SCAN_POLL_INTERVAL_US,
					       scan_result_poll, scan, NULL);
			return;
		}
		wpa_printf(MSG_DEBUG, "%s: no scan results after %u polls",
			   iface->ifname, scan->polls);
		scan->running = 0;
		scan_schedule_retry(scan);
		return;
	}

	scan->running = 0;
	scan->retries = 0;
	scan->last_count = res;
	scan->completed++;
	wpa_printf(MSG_DEBUG, "%s: scan completed, %d BSS(s) found",
		   iface->ifname, res);

	if (scan->interval)
		ap_scan_request(scan, scan->interval);
}


void ap_scan_request(struct ap_scan *scan, unsigned int secs)
{
	if (scan == NULL)
		return;

	if (eloop_is_timeout_registered(scan_timeout, scan, NULL)) {
		wpa_printf(MSG_DEBUG, "%s: rescheduling scan in %u s",
			   scan->iface->ifname, secs);
		eloop_cancel_timeout(scan_timeout, scan, NULL);
	}
	eloop_register_timeout(secs, 0, scan_timeout, scan, NULL);
}


void ap_scan_restart(struct ap_scan *scan)
{
	if (scan == NULL || scan->running)
		return;

	eloop_cancel_timeout(scan_retry_timeout, scan, NULL);
	scan->retries = 0;

	/* Keep an already scheduled scan, otherwise start one right away */
	if (!eloop_is_timeout_registered(scan_timeout, scan, NULL))
		eloop_register_timeout(0, 0, scan_timeout, scan, NULL);
}


void ap_scan_set_interval(struct ap_scan *scan, unsigned int interval)
{
	if (scan == NULL || scan->interval == interval)
		return;
	scan->interval = interval;
	if (interval && !scan->running)
		ap_scan_request(scan, interval);
}


int ap_scan_last_count(const struct ap_scan *scan)
{
	return scan ? scan->last_count : -1;
}


struct ap_scan *ap_scan_init(struct ap_iface *iface)
{
	struct ap_scan *scan;

	scan = os_zalloc(sizeof(*scan));
	if (scan == NULL)
		return NULL;
	scan->iface = iface;
	scan->interval = iface->conf.scan_interval;
	scan->last_count = -1;
	return scan;
}


static void scan_stop(struct ap_scan *scan)
{
	eloop_cancel_timeout(scan_timeout, scan, NULL);
	eloop_cancel_timeout(scan_retry_timeout, scan, NULL);
	scan->running = 0;
}


void ap_scan_deinit(struct ap_scan *scan)
{
	if (scan == NULL)
		return;

	wpa_printf(MSG_DEBUG, "%s: stopping scans (%u completed)",
		   scan->iface->ifname, scan->completed);
	scan_stop(scan);
	/* Result polling is per radio, so drop every pending poll */
	eloop_cancel_timeout(scan_result_poll, ELOOP_ALL_CTX, ELOOP_ALL_CTX);
	os_free(scan);
}
