/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Minimal declarations shaped on the OpenDataPlane timer API
 * (include/odp/api/spec/timer.h, v1.4x): opaque handles; a timer pool is
 * created and started, timers are allocated from it, armed with
 * odp_timer_start()/odp_timer_restart(), disarmed with odp_timer_cancel()
 * (which hands back the timeout event) and released with odp_timer_free().
 */
#ifndef ODP_API_SPEC_TIMER_H_
#define ODP_API_SPEC_TIMER_H_

#include <stdint.h>

typedef struct odp_timer_pool_s *odp_timer_pool_t;
typedef struct odp_timer_s *odp_timer_t;
typedef struct odp_queue_s *odp_queue_t;
typedef struct odp_event_s *odp_event_t;
typedef struct odp_timeout_s *odp_timeout_t;
typedef struct odp_pool_s *odp_pool_t;
typedef struct odp_packet_s *odp_packet_t;

#define ODP_TIMER_POOL_INVALID	((odp_timer_pool_t)0)
#define ODP_TIMER_INVALID	((odp_timer_t)0)
#define ODP_EVENT_INVALID	((odp_event_t)0)
#define ODP_TIMEOUT_INVALID	((odp_timeout_t)0)

typedef enum {
	ODP_CLOCK_DEFAULT = 0,
	ODP_CLOCK_SRC_1
} odp_timer_clk_src_t;

typedef enum {
	ODP_TIMER_TICK_REL = 0,
	ODP_TIMER_TICK_ABS
} odp_timer_tick_type_t;

typedef struct {
	uint64_t res_ns;
	uint64_t min_tmo;
	uint64_t max_tmo;
	uint32_t num_timers;
	int priv;
	odp_timer_clk_src_t clk_src;
} odp_timer_pool_param_t;

typedef struct {
	int tick_type;
	uint64_t tick;
	odp_event_t tmo_ev;
} odp_timer_start_t;

/* odp_timer_start()/odp_timer_restart() results */
#define ODP_TIMER_SUCCESS	0
#define ODP_TIMER_TOO_NEAR	(-1)
#define ODP_TIMER_TOO_FAR	(-2)
#define ODP_TIMER_FAIL		(-3)

void odp_timer_pool_param_init(odp_timer_pool_param_t *param);
odp_timer_pool_t odp_timer_pool_create(const char *name,
				       const odp_timer_pool_param_t *params);
void odp_timer_pool_start(void);
void odp_timer_pool_destroy(odp_timer_pool_t tp);

odp_timer_t odp_timer_alloc(odp_timer_pool_t tp, odp_queue_t queue,
			    const void *user_ptr);
int odp_timer_free(odp_timer_t tim);
int odp_timer_start(odp_timer_t tim, const odp_timer_start_t *start_param);
int odp_timer_restart(odp_timer_t tim, const odp_timer_start_t *start_param);
int odp_timer_cancel(odp_timer_t tim, odp_event_t *tmo_ev);
uint64_t odp_timer_ns_to_tick(odp_timer_pool_t tp, uint64_t ns);

odp_timeout_t odp_timeout_alloc(odp_pool_t pool);
void odp_timeout_free(odp_timeout_t tmo);
odp_event_t odp_timeout_to_event(odp_timeout_t tmo);
void odp_event_free(odp_event_t ev);
odp_event_t odp_queue_deq(odp_queue_t queue);
uint32_t odp_packet_flow_hash(odp_packet_t pkt);
uint64_t odp_time_local_ns(void);

#endif /* ODP_API_SPEC_TIMER_H_ */
