/* finding.h: what the engine reports and report writers read. Plain data;
 * strings live in the unit's arena (or the store's, once loaded back). */
#ifndef TL_FINDING_H
#define TL_FINDING_H

#include "../ir/ir.h"

/* One step of the path that proves a finding. */
typedef struct {
  IrLoc loc;
  const char *text;
} Note;

typedef struct {
  const char *rule;     /* stable rule id, e.g. "missing-stop" */
  IrLoc loc;            /* primary location */
  const char *function; /* enclosing function */
  const char *message;
  const char *handle; /* display form of the handle, "" when none */
  const char *api;    /* the creating API */
  Note *notes;        /* the witness path, in order */
  int nnotes;
  int fn_start, fn_end; /* lines of the enclosing function (pre-commit mode) */
  /* Filled after analysis (store/fingerprint.c, suppressions): */
  const char *fingerprint; /* stable identity across edits, or NULL */
  bool suppressed;
  const char *suppress_reason;
} Finding;

typedef Array(Finding) FindingList;

/* What one TU tells the link phase (design.md §5), stored with its findings
 * and joined over the whole run: where timers kept in struct fields and
 * globals are started and stopped, and what each function does to its
 * parameters, so that a stop in another file is seen. */
typedef enum {
  LF_START, /* created or armed into field storage */
  LF_STOP,  /* released, disarmed or joined there (or by a helper) */
  LF_HIDE,  /* handed to code that may stop it and that no summary covers
               (a function pointer, a summarised "unknown") */
  LF_PASS,  /* handed to a function defined in another TU: its summary
               (link phase) says whether that stops it */
  LF_FROM,  /* given the result of a function: a start when its summary
               says it returns a new timer (a project's own wrapper) */
  LF_FREE,  /* an object of record type `key` is freed here, by a function
               that gave it to no unknown code first */
  LF_STOP_ALL, /* every object that `release_api` releases is stopped here
                  (a loop's teardown; key: a KEY_ALL) */
  LF_HANDS, /* `function` hands its parameter `param` (the pointer itself)
               to `callee` (a USR; api: its name) as argument `arg`, or to
               code with no name (callee NULL: a function pointer). The
               teardown path across files follows these (key: a KEY_ALL of
               no API, the same for all) */
} LinkFactKind; /* stored as integers: append, never renumber */

typedef struct {
  LinkFactKind kind;
  const IrKey *key;        /* IrSlot.key; LF_FREE: a KEY_RECORD */
  const char *api;         /* the call */
  const char *release_api; /* LF_START of a create: the family's release */
  const char *callee;      /* LF_PASS: the callee's USR; LF_FREE: the free
                              wrapper's (api: its name), NULL for a free
                              rule */
  int arg;                 /* LF_PASS: argument index; LF_FREE: the
                              parameter of `function` that is the object
                              freed, -1 when none (what makes a function
                              a teardown by what it does); LF_START: 1 for
                              a thread, 2 for a create that arms */
  bool addr;               /* LF_PASS: &field was passed */
  bool async;              /* LF_STOP: the stop does not wait for a running
                              callback (del_timer, uv_close) */
  bool shared;             /* LF_STOP: the function also hands the object
                              the field lives in to unknown code; LF_FREE:
                              it handed the object (its parameter `arg`) to
                              named functions first, whose LF_HANDS and
                              stops the link phase follows */
  int param;               /* LF_HANDS: the object of `function` handed
                              on: its parameter N, or 1000 + N for the
                              pointer its N-th local holds; LF_FREE: the
                              object freed, so numbered; -1 otherwise */
  const char *fn_usr;      /* the USR of `function` */
  const char *function;
  IrLoc loc;
  int fn_start, fn_end;
  const char *guard;       /* the fact holds only where these parameters of
                              `function` have these values: "1:3,4;2:0"
                              (parameter 1 is 3 or 4, parameter 2 is 0);
                              NULL: wherever the function runs */
  const char *consts;      /* LF_HANDS: what the call gives the callee's
                              other parameters: "1=3" (the constant 3),
                              "2=p0" (the caller's parameter 0); NULL:
                              nothing known */
  const char *user;        /* LF_START/LF_STOP of a registration: its
                              user-data (IrEvent.user); NULL: unknown.
                              LF_FREE by a hook (IrHook): the context the
                              registrations it ends live on (the record
                              text of the hook's data; "*": any); NULL for
                              every other free */
} LinkFact;

/* A function callable from other TUs stops (1) or leaves alone (0) what
 * its parameter `param` (its value: ops "", or what it points to: "*")
 * holds; -1: unknown (it stores or passes it on). With param -1 and stops
 * LS_MAKES: it returns a new timer made by `ops` (the creating API). */
enum { LS_MAKES = 2 };
/* With param LS_BODY: the function has a body in the run (the teardown
 * path across files follows only calls into such functions). */
enum { LS_BODY = -2 };
/* With param LS_TARGET: the function `ops` is stored in the struct field
 * `usr` names ("field:KEY", IrTarget): a call through the field may run
 * it. */
enum { LS_TARGET = -3 };
typedef struct {
  const char *usr;
  int param;
  const char *ops;
  int stops;
} LinkSummary;

typedef struct {
  Array(LinkFact) facts;
  Array(LinkSummary) sums;
} LinkData;

void eng_link_data_free(LinkData *d);

/* Sorts by file, line, column, rule and drops exact duplicates (a function
 * from a header seen by several TUs is reported once). */
void findings_sort_unique(FindingList *l);

/* Fingerprint lookup for baselines and diffs: findings_by_fingerprint fills
 * `index` with pointers into `l` sorted by fingerprint (caller frees with
 * array_free); findings_lookup finds one in O(log n). */
typedef Array(const Finding *) FindingIndex;
void findings_by_fingerprint(const FindingList *l, FindingIndex *index);
const Finding *findings_lookup(const FindingIndex *index, const char *fp);

#endif
