/* observe.h: between the typestate core (objrun.c) and the checks.
 *
 * The core follows one object along every path and says what it sees, as
 * typed observations with the configuration (typestate, flags, witness
 * path) they were seen in. It knows no rule ids and writes no messages. A
 * check (check_*.c, one per rule, listed once in check_list.h) turns the
 * observations it cares about into a verdict: where the finding is, what it
 * says, and the path that proves it. A new rule is a new check file and one
 * table line; a new mechanism in the core shows up as a new observation. */
#ifndef TL_OBSERVE_H
#define TL_OBSERVE_H

#include "engineInt.h"

typedef enum {
  OBS_LOST,           /* the object's last holder goes away while it is
                         held and ours: at a return (slot -1, loc the
                         return) or overwritten (slot, loc) */
  OBS_USED_AFTER_END, /* a role event (role, api) on an object already
                         released, joined or detached (c->ts says which) */
  OBS_DISCARDED,      /* the creating call's handle is dropped */
  OBS_RECREATED,      /* the creating call runs again while its previous
                         object lives and is held nowhere else */
  OBS_DESTROYED_LIVE, /* the storage holding it dies (a C++ destructor, an
                         assignment over it) while the object is live */
  OBS_FREED_LIVE,     /* the object's storage is freed (e, the free) while
                         it is live: here (api NULL), or by the callback
                         armed at loc (api, the callback) */
  OBS_RACE,           /* the path returns (loc) after `race` released what
                         a worker that may still run uses */
} ObsKind;

typedef struct {
  ObsKind kind;
  const Config *c;  /* the configuration the observation was made in */
  const IrEvent *e; /* USED_AFTER_END, DISCARDED, RECREATED, DESTROYED_LIVE,
                       FREED_LIVE; LOST: the free of the memory holding
                       it (holder.c), else NULL */
  IrEventKind role; /* USED_AFTER_END: what the event does to the object */
  const char *api;  /* USED_AFTER_END: the function that does it;
                       FREED_LIVE: the callback; DISCARDED: a function
                       that frees the one-shot's data, or NULL */
  int slot;         /* LOST: the slot overwritten, -1 at a return;
                       DISCARDED with api: the one-shot's data */
  IrLoc loc;        /* LOST, RACE, FREED_LIVE: where */
  const Race *race; /* RACE */
  const IrFunc *in; /* FREED_LIVE: the function the free (e) is in */
} Observation;

/* What a check may know of the object an observation is about. */
typedef struct {
  Arena *a;
  const IrUnit *u;
  const EngSummary *sums; /* per function: noreturn */
  const IrFunc *f;
  const IrEvent *create; /* NULL: a handle made elsewhere (a parameter) */
  const char *handle;    /* its display name */
  bool thread;
} ObsCtx;

/* A check's finding: where, what it says, the path that proves it. */
typedef struct {
  IrLoc loc;
  const char *message;
  const Wit *w;
} Verdict;

typedef bool (*CheckFn)(const ObsCtx *cx, const Observation *o, Verdict *v);

/* How the object is named in messages. */
static inline const char *obs_noun(const ObsCtx *cx) {
  return cx->thread ? "thread" : "timer";
}

/* OBS_LOST: "before the function returns", "before 't' is overwritten";
 * and the note where it happens. */
const char *obs_lost_why(const ObsCtx *cx, const Observation *o);
const char *obs_lost_note(const ObsCtx *cx, const Observation *o);

/* "thread 't' running loop()": the worker a race is about. */
const char *obs_worker_desc(const ObsCtx *cx);
/* "by close()", "by deferred cleanup (closep() as 'fd' ...)". */
const char *obs_release_how(Arena *a, const Race *x);

#define X(e, fn, rank) bool fn(const ObsCtx *cx, const Observation *o, Verdict *v);
#include "check_list.h"
#undef X

#endif
