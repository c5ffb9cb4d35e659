/* engine.h: typestate analysis of the lifecycle IR. No libclang here: the
 * build gives this target no clang include path.
 *
 * eng_analyze_unit() summarises every function of the unit (what it does to
 * each parameter path, whether it can return), then runs one path-sensitive
 * typestate analysis per creating event and appends findings. */
#ifndef TL_ENGINE_H
#define TL_ENGINE_H

#include "finding.h"

/* Per-parameter-path effect of a function, as seen by its callers. */
typedef enum {
  EFF_NONE,    /* does nothing to it */
  EFF_USE,     /* uses it, leaves it alive */
  EFF_ARM,     /* arms it on every path */
  EFF_DISARM,  /* disarms it on every path, does not release */
  EFF_RELEASE, /* releases (deletes, closes, joins) it on every path */
  EFF_DETACH,  /* detaches it on every path */
  EFF_ESCAPE,  /* stores or returns it: someone else owns it now */
  EFF_UNKNOWN, /* releases on some paths only, or passes it on unseen */
  EFF_CANCEL,  /* releases it on every path, only with keyed cancels that
                  are no-ops when repeated (eloop_cancel_timeout) */
  EFF_CLOSE,   /* releases it on every path with a closing release
                  (uv_close): uses until it completes are defined */
} EngEffect;

typedef struct {
  int param;
  const char *ops; /* path below the parameter, as IrSlot.ops */
  EngEffect effect;
  bool thread; /* it joins or detaches it: a thread */
} EngSummaryEntry;

typedef struct {
  bool computed, in_progress;
  bool noreturn; /* no path from entry reaches a return */
  const char *release_all; /* it (or a function it calls) ends every object
                              this release ends: a loop's teardown helper */
  uint8_t reaches; /* releases storage it reaches through a pointer:
                      0 not known yet, 1 no, 2 yes, 3 being computed */
  bool called;     /* a function of the unit calls it directly */
  uint64_t ends_known, ends; /* eng_worker_may_end, per parameter < 64 */
  bool kept;       /* handed to a framework that runs it on the program's
                      later calls (a hook without frees-after: a hash
                      table's value destroy function) */
  Array(EngSummaryEntry) entries;
} EngSummary;

/* Functions whose analysis ran past the work budget and so report nothing
 * (their names, in u->arena). */
typedef Array(const char *) EngCuts;

/* Analyses every function of `u`, appending findings (allocated in u->arena)
 * to `out` and, when `link` is not NULL, what the link phase needs; the
 * functions cut short by the work budget to `cuts` when not NULL. */
void eng_analyze_unit(const IrUnit *u, FindingList *out, LinkData *link,
                      EngCuts *cuts);

/* The link phase over a whole run's facts and summaries: field-never-stopped
 * findings (strings in `a`) for storage started somewhere that no function
 * of the scanned code stops; that only an asynchronous stop in a teardown
 * (a function whose name holds one of td->names) stops; or that a teardown
 * leaves running: one that frees its object, or a teardown callback
 * (td->callbacks) that stops the object's other fields. `ntus`: how many
 * TUs the facts came from. */
typedef struct {
  const char *const *names; /* teardown: names */
  int nnames;
  const char *const *callbacks; /* teardown: callbacks */
  int ncallbacks;
} EngTeardown;

void eng_link(const LinkData *all, int ntus, const EngTeardown *td, Arena *a,
              FindingList *out);

#endif
