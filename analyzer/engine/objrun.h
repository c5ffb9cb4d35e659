/* objrun.h: the typestate core's own state for one object, shared by
 * its files and nobody else: objrun.c (transfer functions, the sweep, the
 * merge), prepare.c (what a run computes before it sweeps), worker.c (what a
 * running worker reaches, races), verdict.c (observations to checks,
 * ranking, findings). */
#ifndef TL_OBJRUN_H
#define TL_OBJRUN_H

#include <string.h>

#include "observe.h"

typedef struct {
  CheckId chk;
  IrLoc loc;
  const char *message;
  const Wit *w;
} Candidate;

typedef struct ObjRun {
  EngCtx *cx;
  ObsCtx ox; /* what the checks may know of the object */
  const IrFunc *f;
  int fn; /* f's index in the unit */
  Arena *a;
  const IrEvent *create; /* NULL when summarising or external */
  int holder; /* the local pointer whose new memory holds the created
                 handle (holder.c), -1: none; held there it is ours */
  int param_slot;
  bool external; /* a handle made elsewhere: only use-after-release */
  bool thread;   /* a thread handle (from the create, or joined/detached) */
  bool *in_loop; /* per block: in a loop whose body contains the create */
  bool *reach;   /* per slot: holds what the worker was given (or a copy) */
  Array(struct LateReach { int slot; const IrEvent *copy; }) late;
                 /* slots the worker reaches only once `copy` (storing them
                    into what it was given) has run */
  int *bit;              /* slot -> bit, -1: cannot hold the object */
  int *rpo, nrpo;
  ConfigSet *in;
  bool overflow;
  Candidate leak; /* the best leak finding so far (one per object) */
  int leak_rank;
  bool has_leak;
  Array(Candidate) other; /* use-after-release, handle-discarded */
  unsigned exit_ts;       /* summarising: typestates seen at returns */
  unsigned exit_flags;
  unsigned exit_and; /* flags every return had (exits: how many) */
  int exits;
  bool guarded_live;      /* summarising: reached a return still holding it
                             only where a test said the handle is unset */
  bool returns;
  bool idempotent_call; /* applying a summarised call that only cancels */
  /* Per object, computed once (not on every path and sweep): */
  bool oneshot_known;
  const char *oneshot_freer; /* eng_oneshot_data_freer of the create */
  int oneshot_slot;
  struct { const IrEvent *arm, *freed; } freed_by_cb[8];
  int nfreed_by_cb;          /* eng_callback_frees_live per arm event */
} ObjRun;

static inline bool run_same_base(const IrSlot *a, const IrSlot *b) {
  return strcmp(a->base, b->base) == 0;
}

/* prepare.c */
void run_compute_rpo(ObjRun *r);
/* Slots that may hold the object: its own, plus copies, to a fixpoint. */
bool run_compute_bits(ObjRun *r, int seed);
void run_compute_loops(ObjRun *r, int create_block);

/* holder.c */
int eng_holder_of(EngCtx *cx, const IrFunc *f, const IrEvent *cr, int block,
                  int index);
void run_holder_event(ObjRun *r, Config *c, const IrEvent *e);

/* worker.c */
void run_worker_reach(ObjRun *r);
bool run_worker_reaches(const ObjRun *r, const IrSlot *base, const char *ops);
/* The same where release `e` of slot `slot` runs: a slot stored into the
 * worker's data later (`s->conn = copy;` after `free(copy)` on an error
 * path) is not reached yet. */
bool run_worker_reaches_at(const ObjRun *r, int slot, const IrEvent *e);
void run_uses_assigned(const ObjRun *r, Config *c, int slot);
void run_worker_race(ObjRun *r, Config *c, const IrEvent *e,
                     const char *what, const char *api);

/* verdict.c */
const char *run_handle_name(const ObjRun *r);
const Wit *run_wit(ObjRun *r, const Wit *prev, IrLoc loc, const char *t);
void run_observe(ObjRun *r, const Observation *o);
void run_lost(ObjRun *r, const Config *c, IrLoc where, int slot);
void run_emit(ObjRun *r);

#endif
