/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * flow_timers.c - per-flow timers of a small OpenDataPlane packet
 * pipeline: idle aging of flow table entries, session probes, RTT
 * measurement, retransmission of marked packets and a start-up
 * calibration of the timer pool latency.
 */
#include <stddef.h>
#include <stdint.h>

#include "odp-timer-pool.h"

#define FLOW_TABLE_SIZE		1024
#define NS_PER_MS		1000000ull
#define FLOW_IDLE_NS		(30000ull * NS_PER_MS)
#define PROBE_NS		(50ull * NS_PER_MS)
#define RETX_NS			(200ull * NS_PER_MS)
#define CALIBRATE_SPINS		1000000

struct flow_entry {
	uint32_t hash;
	int in_use;
	odp_timer_t idle_timer;		/* ages the entry out */
	odp_timer_t probe_timer;	/* session probe deadline */
	uint64_t last_seen_ns;
	uint64_t rtt_ns;
};

static struct {
	odp_timer_pool_t tp;
	odp_queue_t tmo_queue;
	odp_pool_t tmo_pool;
	uint64_t retx_armed;
	struct flow_entry flows[FLOW_TABLE_SIZE];
} gbl;

int probe_send(uint32_t hash);
int probe_wait_reply(uint32_t hash, uint64_t timeout_ns, uint64_t *rtt_ns);
int pkt_needs_retransmit(odp_packet_t pkt);

static int timer_arm(odp_timer_t tim, uint64_t ns)
{
	odp_timeout_t tmo = odp_timeout_alloc(gbl.tmo_pool);
	odp_timer_start_t sp;

	if (tmo == ODP_TIMEOUT_INVALID)
		return -1;

	sp.tick_type = ODP_TIMER_TICK_REL;
	sp.tick = odp_timer_ns_to_tick(gbl.tp, ns);
	sp.tmo_ev = odp_timeout_to_event(tmo);

	if (odp_timer_start(tim, &sp) != ODP_TIMER_SUCCESS) {
		odp_timeout_free(tmo);
		return -1;
	}
	return 0;
}

static void timer_release(odp_timer_t tim)
{
	odp_event_t ev;

	if (odp_timer_cancel(tim, &ev) == 0)
		odp_event_free(ev);
	odp_timer_free(tim);
}

int flow_timers_init(odp_queue_t tmo_queue, odp_pool_t tmo_pool)
{
	odp_timer_pool_param_t param;

	odp_timer_pool_param_init(&param);
	param.res_ns = NS_PER_MS;
	param.min_tmo = NS_PER_MS;
	param.max_tmo = 2 * FLOW_IDLE_NS;
	param.num_timers = 2 * FLOW_TABLE_SIZE + 64;
	param.clk_src = ODP_CLOCK_DEFAULT;

	gbl.tp = odp_timer_pool_create("flow_timers", &param);
	if (gbl.tp == ODP_TIMER_POOL_INVALID)
		return -1;

	odp_timer_pool_start();
	gbl.tmo_queue = tmo_queue;
	gbl.tmo_pool = tmo_pool;
	return 0;
}

struct flow_entry *flow_insert(uint32_t hash, uint64_t now_ns)
{
	struct flow_entry *f = &gbl.flows[hash % FLOW_TABLE_SIZE];
	odp_timer_t tim;

	if (f->in_use)
		return f->hash == hash ? f : NULL;

	tim = odp_timer_alloc(gbl.tp, gbl.tmo_queue, f);
	if (tim == ODP_TIMER_INVALID)
		return NULL;

	if (timer_arm(tim, FLOW_IDLE_NS) < 0) {
		odp_timer_free(tim);
		return NULL;
	}

	f->idle_timer = tim;
	f->hash = hash;
	f->in_use = 1;
	f->last_seen_ns = now_ns;
	return f;
}

void flow_evict(struct flow_entry *f)
{
	odp_timer_t tim = f->idle_timer;
	odp_event_t ev;

	f->idle_timer = ODP_TIMER_INVALID;
	f->in_use = 0;

	odp_timer_free(tim);
	if (odp_timer_cancel(tim, &ev) == 0) /* expect: use-after-release */
		odp_event_free(ev);
}

int flow_start_probe(struct flow_entry *f)
{
	odp_timer_t tim;

	tim = odp_timer_alloc(gbl.tp, gbl.tmo_queue, f); /* expect: missing-stop */
	if (tim == ODP_TIMER_INVALID)
		return -1;

	if (timer_arm(tim, PROBE_NS) < 0)
		return -1;

	if (probe_send(f->hash) < 0) {
		timer_release(tim);
		return -1;
	}

	f->probe_timer = tim;
	return 0;
}

int flow_measure_rtt(struct flow_entry *f)
{
	odp_timer_t tim;
	odp_event_t ev;
	uint64_t rtt = 0;
	int ret;

	tim = odp_timer_alloc(gbl.tp, gbl.tmo_queue, f); /* expect: disarmed-not-released */
	if (tim == ODP_TIMER_INVALID)
		return -1;

	if (timer_arm(tim, PROBE_NS) < 0) {
		odp_timer_free(tim);
		return -1;
	}

	ret = probe_send(f->hash);
	if (ret == 0)
		ret = probe_wait_reply(f->hash, PROBE_NS, &rtt);

	if (odp_timer_cancel(tim, &ev) == 0)
		odp_event_free(ev);

	if (ret == 0)
		f->rtt_ns = rtt;
	return ret;
}

odp_timer_t flow_keepalive_timer(struct flow_entry *f, uint64_t period_ns)
{
	odp_timer_t tim = odp_timer_alloc(gbl.tp, gbl.tmo_queue, f);

	if (tim == ODP_TIMER_INVALID)
		return ODP_TIMER_INVALID;

	if (timer_arm(tim, period_ns) < 0) {
		odp_timer_free(tim);
		return ODP_TIMER_INVALID;
	}
	return tim;
}

unsigned int rx_burst_retransmit(odp_packet_t pkts[], int num)
{
	unsigned int armed = 0;
	int i;

	for (i = 0; i < num; i++) {
		odp_timer_t tim;

		if (!pkt_needs_retransmit(pkts[i]))
			continue;

		tim = odp_timer_alloc(gbl.tp, gbl.tmo_queue, pkts[i]); /* expect: created-in-loop */
		if (tim == ODP_TIMER_INVALID)
			break;

		if (timer_arm(tim, RETX_NS) < 0) {
			odp_timer_free(tim);
			continue;
		}
		armed++;
	}

	gbl.retx_armed += armed;
	return armed;
}

int flow_table_prealloc(uint32_t first, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++) {
		struct flow_entry *f = &gbl.flows[(first + i) % FLOW_TABLE_SIZE];

		if (f->idle_timer != ODP_TIMER_INVALID)
			continue;

		f->idle_timer = odp_timer_alloc(gbl.tp, gbl.tmo_queue, f);
		if (f->idle_timer == ODP_TIMER_INVALID)
			return -1;
	}
	return 0;
}

int flow_timers_check_headroom(void)
{
	/* refuse new tunnels once the pool cannot hand out a timer */
	if (odp_timer_alloc(gbl.tp, gbl.tmo_queue, NULL) == ODP_TIMER_INVALID) /* expect: handle-discarded */
		return -1;
	return 0;
}

int flow_timers_calibrate(uint64_t ns, uint64_t *late_ns)
{
	odp_event_t ev = ODP_EVENT_INVALID;
	odp_timer_t tim;
	uint64_t t0;
	int spins, ret = -1;

	tim = odp_timer_alloc(gbl.tp, gbl.tmo_queue, NULL);
	if (tim == ODP_TIMER_INVALID)
		return -1;

	t0 = odp_time_local_ns();
	if (timer_arm(tim, ns) < 0)
		goto out_free;

	for (spins = 0; spins < CALIBRATE_SPINS; spins++) {
		ev = odp_queue_deq(gbl.tmo_queue);
		if (ev != ODP_EVENT_INVALID)
			break;
	}

	if (ev == ODP_EVENT_INVALID) {
		if (odp_timer_cancel(tim, &ev) == 0)
			odp_event_free(ev);
		goto out_free;
	}

	*late_ns = odp_time_local_ns() - t0 - ns;
	odp_event_free(ev);
	ret = 0;

out_free:
	odp_timer_free(tim);
	return ret;
}

void flow_timers_term(void)
{
	uint32_t i;

	for (i = 0; i < FLOW_TABLE_SIZE; i++) {
		struct flow_entry *f = &gbl.flows[i];

		if (f->idle_timer != ODP_TIMER_INVALID)
			timer_release(f->idle_timer);
		if (f->probe_timer != ODP_TIMER_INVALID)
			timer_release(f->probe_timer);
		f->idle_timer = ODP_TIMER_INVALID;
		f->probe_timer = ODP_TIMER_INVALID;
		f->in_use = 0;
	}

	odp_timer_pool_destroy(gbl.tp);
	gbl.tp = ODP_TIMER_POOL_INVALID;
}
