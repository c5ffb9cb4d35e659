/* engineInt.h: what the engine's files share and nobody else sees.
 *
 * The analysis is ESP-style property simulation: for one object (one
 * creating event, or one parameter path when summarising), each block holds a
 * set of configurations. A configuration is the object's typestate, the slots
 * that hold it, whether it escaped, the branch facts known on the paths that
 * reach it, and one witness path. Configurations with equal typestate, slots
 * and flags merge (their facts intersect, the first witness stays), so the
 * cost is blocks x distinct typestates, never the number of paths. */
#ifndef TL_ENGINE_INT_H
#define TL_ENGINE_INT_H

#include <string.h>

#include "checks.h"
#include "engine.h"

typedef enum {
  TS_NONE,     /* no object: not created yet, or its creation failed */
  TS_LIVE,     /* created (thread running), not armed */
  TS_ARMED,    /* timer armed */
  TS_DISARMED, /* timer stopped, resources still held */
  TS_RELEASED, /* deleted / closed / joined */
  TS_DETACHED, /* thread detached: ends on its own */
  TS_UNKNOWN,  /* lost track (unknown code had it): never reported */
} TypeState;

static inline bool ts_holds(int ts) {
  return ts == TS_LIVE || ts == TS_ARMED || ts == TS_DISARMED;
}

/* CF_ATTR_DETACHED: the attribute the create will be given is (maybe) set
 * detached on this path; part of the merge key, so `if (bg) setdetached`
 * keeps the detached and the joinable paths apart.
 * CF_RUNNING: the object is a worker (it received handles when started)
 * that may still run here: not joined, and never in code that could have
 * joined it. Detaching does not clear it. */
enum {
  CF_ESCAPED = 1,
  CF_USED = 2,
  CF_ATTR_DETACHED = 4,
  CF_RUNNING = 8,
  CF_IN_GLOBAL = 16, /* the worker's handle is in global storage: any call
                        into unknown code may join it */
  CF_USES_STALE = 32, /* a pointer the worker's data was reached through
                         was assigned since: its name means other storage */
  CF_CLOSING = 64,    /* released by a closing release (uv_close): uses
                         until it completes are defined error returns */
  CF_HARD_RELEASE = 128, /* a release on the path that is not a keyed,
                            repeatable cancel (summaries tell EFF_CANCEL) */
  CF_UNREFFED = 512, /* an armed source whose reference was dropped
                        (keeps-armed): it runs on, and nothing here can
                        reach it any more */
  CF_SELF_ENDS = 1024, /* given a callback that can end it (a one-shot
                          set_callback): dropping it armed is fine */
  CF_LOOPED = 256,  /* crossed a back edge of a loop around the create
                       since it ran: the next iteration is under way */
};

/* A branch fact: slot `var` satisfies `var op k`. */
typedef struct {
  int var;
  IrCmp op;
  int64_t k;
} Fact;

enum {
  MAX_FACTS = 8,
  MAX_CONFIGS = 64,
  MAX_SWEEPS = 64,
  MAX_BITS = 64,
  MAX_RACES = 4,
};
/* Block visits (a configuration through one block) one function may cost,
 * over all its objects: the largest of the five real trees'
 * (wpa_supplicant_ctrl_iface_process) takes 124,000; 2,000 timers in one
 * 48,000-line function would take minutes and gigabytes. */
#define FN_STEP_BUDGET 2000000ull

/* Witness path: a persistent list, newest first, shared between configs. */
typedef struct Wit {
  const struct Wit *prev;
  IrLoc loc;
  const char *text;
} Wit;

/* A release of something a running worker uses: the event, the handle's
 * name and the releasing function (a helper's for a summarised call). */
typedef struct {
  const IrEvent *e;
  const char *what, *api;
} Race;

typedef struct {
  uint8_t ts;
  uint16_t flags;
  uint64_t slots; /* bits (see ObjRun.bit) of the slots holding the object */
  int status;     /* slot holding the creating call's unchecked result */
  uint8_t status_fail; /* IrFail: which results of it mean "no object" */
  uint8_t nraced;
  const Race *raced[MAX_RACES]; /* releases of what the running worker uses,
                                   reported if the path returns */
  int nfacts;
  Fact facts[MAX_FACTS];
  const Wit *w;
} Config;

typedef Array(Config) ConfigSet;

/* facts.c */
bool fact_holds(IrCmp op, int64_t x, int64_t k);
bool facts_sat(IrCmp op1, int64_t k1, IrCmp op2, int64_t k2);
IrCmp cmp_negate(IrCmp op);
/* 1: every value satisfying (op k) means failure; -1: none does; 0: unsure */
int fail_implied(IrFail fail, IrCmp op, int64_t k);
void config_kill_facts(Config *c, int var);
void config_add_fact(Config *c, int var, IrCmp op, int64_t k);
const char *cmp_text(IrCmp op);

typedef Array(const IrKey *) EngKeyList;
typedef struct {
  const IrKey *key;
  const IrEvent *e;
} EngKeyedEvent;
typedef Array(EngKeyedEvent) EngKeyed;

/* summary.c */
typedef struct {
  const IrUnit *u;
  EngSummary *sums; /* one per function */
  FindingList *out;
  bool *lifetime;   /* per function: runs once for the whole program (main,
                       or called only from such functions): what it makes
                       ends with the process */
  uint64_t *hands;  /* link_collect.c: per function, the parameters it
                       hands on to code without a body here (hands_on) */
  EngKeyed keyed;   /* held.c: creates and arms into keyed storage */
  bool keyed_done;
  int *by_usr;      /* the unit's functions that have a USR, sorted by it
                       (eng_fn_of_usr) */
  int nby_usr;
  EngKeyList back;  /* link_collect.c: fields whose value leads
                                back to their object (back_linked) */
  /* The work budget of the function being analysed (#16 item 2): block
   * visits of all its object runs; past FN_STEP_BUDGET its remaining runs
   * are skipped and it is named in `cuts`. */
  uint64_t fn_steps;
  bool fn_cut;
  EngCuts *cuts;
} EngCtx;

/* held.c: the unit's creates and arms into keyed storage (once per unit). */
const EngKeyed *eng_keyed(EngCtx *cx);

/* A call handing on the value of a field (`bus_unref(dev->bus)`, a number,
 * characters): the callee gets what the field points to or holds, not
 * the record the field is in (#15 item 7). */
static inline bool eng_field_value_call(const IrFunc *f, const IrEvent *e) {
  return e->kind == EV_CALL && e->slot >= 0 && f->slots.v[e->slot].ops[0] &&
         !(e->flags & EVF_ADDR) && (e->flags & (EVF_SCALAR | EVF_POINTER));
}

/* A function's name from its USR: the last part ("c:@F@name",
 * "c:a.h@F@name"). */
static inline const char *eng_usr_name(const char *usr) {
  const char *at = strrchr(usr, '@');
  return at ? at + 1 : usr;
}

/* A call of a printf-like function given the object (`wpa_msg(wpa_s,
 * ...)`, `log(c, "%p", c)`): it formats and keeps nothing, so it stops
 * nothing and is no hand-off. */
static inline bool eng_logger_call(const IrEvent *e) {
  return e->kind == EV_CALL && (e->flags & EVF_FORMAT);
}

/* members.c: C++ thread members no function of the unit ends */
void eng_check_members(EngCtx *cx);

/* held.c: stored handles overwritten while held (#19 item 1) */
void eng_check_held(EngCtx *cx, int fn);

/* engine.c */
void eng_compute_lifetime(EngCtx *cx);

const EngSummary *eng_summary(EngCtx *cx, int fn);
/* The summary entry by which call `e` (in f) ends what slot `s` holds
 * (`retire_timer(et->id)`, `conn_close(c)` for c->timer), or NULL. */
const EngSummaryEntry *eng_call_ends(EngCtx *cx, const IrFunc *f,
                                     const IrEvent *e, int s);
/* Releases, closes or detaches (what a use-after-release run starts at). */
bool eng_effect_ends(EngEffect e);
/* The caller's path that summary entry `en` of call `e` (in f) acts on,
 * below the call's argument; NULL when they do not meet (&x given where
 * the callee reads p.f). objrun.c's compose, for whole entries. */
const char *eng_compose_ops(Arena *a, const IrFunc *f, const IrEvent *e,
                            const EngSummaryEntry *en);
/* May callback `fn`, given the object as its parameter `param` (deref: a
 * pointer to it), release it (close it on some path, hand it on, reach it
 * through container_of)? Then whoever armed it may leave that to it. */
bool eng_callback_may_release(EngCtx *cx, int fn, int param, unsigned how);
/* May callback `fn`, given a create's data in parameter `param`, end an
 * object it reaches through that data (release or free what it reaches,
 * hand the data or a part to code not seen or to a function that may,
 * store it, make another object in it)? true when not known. */
bool eng_worker_may_end(EngCtx *cx, int fn, int param);
/* The unit's function with that USR, or -1. */
int eng_fn_of_usr(const EngCtx *cx, const char *usr);
void eng_index_usrs(EngCtx *cx);
/* The free() in callback `fn` (given the handle, EVF_CB_DEREF) of the
 * handle's storage or of the record `container` (the create slot's field
 * key) that embeds it, in a callback that closes nothing first; NULL when
 * there is none. The loop still links a handle freed so (libuv). */
const IrEvent *eng_callback_frees_live(EngCtx *cx, int fn, int param,
                                       unsigned how, const IrKey *container);
/* A one-shot source (EVF_DETACHED) whose data (*data_slot, a pointer the
 * caller keeps) is of a record type that a function of the unit frees,
 * while its callback neither frees such an object nor hands a pointer to
 * unknown code: that function's name (the object may go before the source
 * runs; for a reference-counted object, what drops its last reference),
 * else NULL. */
const char *eng_oneshot_data_freer(EngCtx *cx, const IrEvent *e,
                                   const IrFunc *f, int *data_slot);
/* A disarm whose callback may release the object it gets (libevent's
 * event_finalize with a finalizer that frees the event) hands it over. */
bool eng_disarm_hands_over(EngCtx *cx, const IrEvent *e);
/* The release whose every object event `e` ends (a release-all, or a call
 * of a function that does one), or NULL. */
const char *eng_release_all(EngCtx *cx, const IrEvent *e);
void eng_compute_noreturn(EngCtx *cx);

/* objrun.c: analyse one object. create_block/create_index name its creating
 * event; param_slot >= 0 instead follows a handle that exists at entry:
 * summarising (external=false) returns the effect on a parameter path;
 * external=true reports use-after-release on a handle made elsewhere. */
EngEffect eng_run_object(EngCtx *cx, int fn, int create_block,
                         int create_index, int param_slot, bool external);

/* holder.c: the slots of `slot`'s variable and the variables it is copied
 * into (with `locals`, only locals); caller frees. */
bool *eng_object_slots(const IrFunc *f, int slot, bool locals);
/* Does pointer `slot` hold new memory no one was given, just before event
 * `at` of block `b`, on every path there? */
bool eng_fresh_at(const IrFunc *f, int b, int at, int slot);

/* link_guard.c: the teardown path's context. Per block of f, the values
 * its parameters have wherever the block runs ("1:3,4"; NULL: any), from
 * its tests of them (an array of f->blocks.n, xfree it; strings in a). */
const char **eng_param_guards(const IrFunc *f, Arena *a);
/* What the call at event i of block b (guard: the block's) gives the
 * callee's other parameters: "1=3;2=p0"; NULL: nothing known. */
const char *eng_hand_consts(const IrFunc *f, int b, int i, const char *guard,
                            Arena *a);
/* Does context `ctx` ("1=3") give a parameter a value `guard` excludes? */
bool eng_guard_excludes(const char *guard, const char *ctx);
/* The callee's context of a hand-off with `consts`, from its caller's
 * context `ctx` (a "p0" takes ctx's parameter 0, when it has one). */
const char *eng_ctx_compose(const char *consts, const char *ctx, Arena *a);

/* link_collect.c: the facts and summaries of this unit for the link phase. */
void eng_link_collect(EngCtx *cx, LinkData *out);

/* observe.c: a witness step (none without a location). */
const Wit *eng_wit(Arena *a, const Wit *prev, IrLoc loc, const char *text);

/* engine.c */
void eng_add_finding(EngCtx *cx, const IrFunc *f, CheckId chk, IrLoc loc,
                     const char *message, const char *handle, const char *api,
                     const Wit *w);

#endif
