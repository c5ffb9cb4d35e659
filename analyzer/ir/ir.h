/* ir.h: the lifecycle IR, the contract between a front end and the engine.
 *
 * A translation unit lowers to an IrUnit: functions, each a control-flow
 * graph of blocks holding events. An event says what a statement does to a
 * tracked storage location (a "slot": a variable, a field path, a
 * temporary holding a call's status), in terms of roles from rules/ —
 * never of libclang types or API names. The engine (analyzer/engine) runs on
 * this alone, so its tests are IR units written as text (tests/engine/)
 * and a second front end could feed it too.
 *
 * Everything here lives in the unit's arena; indices, not pointers, link the
 * parts so IR written by hand stays short and a dump is stable text. */
#ifndef TL_IR_H
#define TL_IR_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "../util/util.h"

/* Event kinds. One table drives the enum, the dump and the role names that
 * the rule files may use (the third column: NULL when no rule may name it). */
#define IR_EVENT_KINDS(X)                                                      \
  X(EV_CREATE, "create", "create")        /* slot now holds a new object */    \
  X(EV_ARM, "arm", "arm")                 /* start / re-arm a timer */         \
  X(EV_DISARM, "disarm", "disarm")        /* stop without releasing */         \
  X(EV_RELEASE, "release", "release")     /* delete / close / free */          \
  X(EV_JOIN, "join", "join")              /* wait for a thread, ends it */     \
  X(EV_DETACH, "detach", "detach")        /* thread ends on its own */         \
  X(EV_USE, "use", "use")                 /* any other operation on it */      \
  X(EV_ATTR_DETACHED, "set-detached", "set-detached") /* attr at slot now  \
                                             makes threads detached */       \
  X(EV_DESTROY, "destroy", "destroy")     /* storage dies (a C++ destructor \
                                             that must not find it live) */  \
  X(EV_RELEASE_ALL, "release-all", "release-all") /* every object released \
                                             by release_api goes (a loop's \
                                             teardown: uv_walk + uv_close, \
                                             eloop_destroy) */              \
  X(EV_ESCAPE, "escape", NULL)            /* returned: the caller owns it */   \
  X(EV_COPY, "copy", NULL)                /* slot = slot2 */                   \
  X(EV_ASSIGN, "assign", NULL)            /* slot overwritten (maybe by k) */  \
  X(EV_CALL, "call", NULL)                /* path passed to a function */      \
  X(EV_VALUE, "value", NULL)              /* argument `arg` of the call of  \
                                             unit function `callee` here is \
                                             the constant k */

typedef enum {
#define X(e, name, role) e,
  IR_EVENT_KINDS(X)
#undef X
      EV__COUNT
} IrEventKind;

const char *ir_event_name(IrEventKind k);
/* The event kind a rule role names, or -1. */
int ir_event_from_role(const char *role);

/* What a create makes: decides the rule ids (missing-stop vs missing-join). */
typedef enum { RES_TIMER, RES_THREAD } IrResKind;

/* Which results of a create mean "failed, no object exists". */
typedef enum {
  FAIL_NEVER,    /* cannot fail, or failure is not signalled by the result */
  FAIL_NONZERO,  /* 0 is success: timer_create, pthread_create */
  FAIL_NEGATIVE, /* < 0 is failure: timerfd_create */
  FAIL_ZERO,     /* 0 / NULL is failure: pointer-returning creates */
} IrFail;

/* Comparison of a tested variable against a constant, for branch facts. */
typedef enum { CMP_EQ, CMP_NE, CMP_LT, CMP_LE, CMP_GT, CMP_GE } IrCmp;

typedef struct {
  const char *file; /* arena string; NULL = unknown */
  int line, col;
} IrLoc;

/* An access path: a base variable and a chain of operations on it. `ops` is a
 * string over "*" (dereference), ".name" (field) and "[]" (any element):
 * p->timer is base p, ops "*.timer". Paths compose across calls: an argument
 * &x passed to a parameter whose slot has ops "*.t" reaches x.t. */
typedef enum {
  BASE_LOCAL,  /* automatic variable of this function */
  BASE_PARAM,  /* parameter number `param` */
  BASE_GLOBAL, /* global or static storage */
  BASE_TEMP,   /* a call's result compared in a condition */
} IrBaseKind;

/* A record type's identity across translation units: its spelling and
 * where it is defined. Two programs of one tree may each have their own
 * `struct conn` (memcached's server and its test client). */
typedef struct {
  const char *name; /* "struct session", "Worker"; NULL: any object */
  const char *file; /* where it is defined; NULL when no definition seen */
  int line;
} IrRecord;

/* A link key: the identity of storage across translation units, so the
 * link phase can join what one file starts with what another stops.
 * Built, compared, shown and serialised only through the ir_key_*
 * functions (key.c), which alone know the text form the store keeps. */
typedef enum {
  KEY_FIELD,        /* rec.name: a field of a record type */
  KEY_GLOBAL,       /* name: a global; file: its file when static */
  KEY_REGISTRATION, /* name: a handle-less registration's key arguments
                       ("handler", "handler,id 3") on an object of record
                       rec (rec.name NULL: on any object, a wildcard) */
  KEY_RECORD,       /* rec: any object of the record type (what a free
                       frees) */
  KEY_ALL,          /* name: every object this release ends (a loop's
                       teardown) */
} IrKeyKind;

typedef struct {
  IrKeyKind kind;
  IrRecord rec;
  const char *name;
  const char *file;
  const char *text; /* the serialised form: equal keys, equal texts */
} IrKey;

const IrKey *ir_key_field(Arena *a, IrRecord rec, const char *field);
const IrKey *ir_key_global(Arena *a, const char *name, const char *file);
const IrKey *ir_key_registration(Arena *a, const char *what,
                                 const IrRecord *on);
const IrKey *ir_key_record(Arena *a, IrRecord rec);
const IrKey *ir_key_all(Arena *a, const char *release_api);
/* The key whose serialised form is `text` (a KEY_RECORD when `record`,
 * which the text alone cannot tell from a field of a placeless record). */
const IrKey *ir_key_parse(Arena *a, const char *text, bool record);
int ir_key_cmp(const IrKey *x, const IrKey *y);
bool ir_record_eq(const IrRecord *x, const IrRecord *y);
/* `field` is a field of the record type `record` names. */
bool ir_key_is_of(const IrKey *field, const IrKey *record);
/* Two different fields of one record type. */
bool ir_key_siblings(const IrKey *x, const IrKey *y);
/* `any` is the registration of k's key arguments on any object. */
bool ir_key_wildcard_of(const IrKey *any, const IrKey *k);
/* How a key reads in messages: "'struct session.timer'", "global 'g_t'",
 * "the registration of beacon_timer on struct hostapd_data". No place:
 * fingerprints built from it survive edits. */
const char *ir_key_display(Arena *a, const IrKey *k);

/* A slot: one access path that may hold a handle or a tested value.
 * `local` is true when the storage dies with the function (an automatic
 * variable or a field of one, no dereference, no array element): a handle
 * held only outside such storage has escaped. */
typedef struct {
  const char *name; /* display form, e.g. "s->timer" */
  const char *base; /* identity of the base variable, unique in the function */
  IrBaseKind base_kind;
  int param; /* BASE_PARAM: parameter index */
  const char *ops;
  bool local;
  const IrKey *key; /* the storage's identity across translation units when
                       it is a struct field, a global or a registration;
                       NULL otherwise */
} IrSlot;

/* Flags of an event. */
enum {
  EVF_DISCARDED = 1 << 0, /* create: the handle (its result) is dropped */
  EVF_ESCAPED = 1 << 1,   /* create: the handle went straight to unknown code */
  EVF_DETACHED = 1 << 2,  /* create: ends on its own: a thread created with
                             a detached attr, a source whose callback
                             always removes it */
  EVF_ARMS = 1 << 3,      /* create: the object starts armed */
  EVF_ADDR = 1 << 4,      /* call: the argument is &path (see compose) */
  EVF_CONST = 1 << 5,     /* assign: the new value is the constant k */
  EVF_DEFERRED = 1 << 6,  /* runs as deferred cleanup (a cleanup attribute,
                             a cleanup label, pthread_cleanup_pop, a
                             destructor): `why` says which, `at` where */
  EVF_IF_LIVE = 1 << 7,   /* acts only on a live object (a destructor:
                             std::jthread joins if joinable) */
  EVF_INERT = 1 << 8,     /* create, arm: not a field the link phase checks
                             (field-check: false) */
  EVF_ASYNC = 1 << 9,     /* release/disarm: does not wait for a running
                             callback (async: true) */
  EVF_CB_DEREF = 1 << 10, /* create/arm/release-all with a callback: its
                             parameter `arg` points to the object (libuv's
                             uv_timer_t *), rather than being it */
  EVF_CLOSING = 1 << 11,  /* release: completes later on the loop thread;
                             until then uses are defined error returns
                             (closing: true), a second release is not */
  EVF_IDEMPOTENT = 1 << 12, /* release: removing what is not there is a
                               no-op (keyed cancellation: idempotent: true) */
  EVF_CB_DATA = 1 << 13,  /* with a callback: its parameter `arg` gets the
                             data, through which it may reach the object */
  EVF_STORAGE = 1 << 14,  /* create: the handle is the object's memory
                             (storage: true): it dies with its variable */
  EVF_SCALAR = 1 << 15,   /* call to unknown code: the argument is a number
                             (an int, an enum, a pid): it reaches no storage */
  EVF_TO_WORKER = 1 << 16, /* call: the argument is the data a create
                             right after hands to its worker or callback
                             (what that does is its summary's business) */
  EVF_POINTER = 1 << 17,  /* call to unknown code: the argument is a pointer
                             value (or an array of numbers) read from its
                             path: the callee reaches what it points to, not
                             the record the path is a field of */
  EVF_FRESH = 1 << 18,    /* assign: the value is new memory from an
                             allocator (role alloc) */
  EVF_FREE = 1 << 19,     /* call: a free rule (free, g_free, kfree): it
                             runs none of the program's code */
  EVF_SPEC = 1 << 21,     /* arm: disarms if what slot2 names is zero
                             where it runs (disarm-when zero, decided by
                             the engine's value analysis: value.c) */
  EVF_DTOR_CHECKS = 1 << 22, /* create: a C++ object whose destructor
                             must not find it live (std::thread's
                             terminates): a rule's destroy role */
  EVF_ADDS = 1 << 23,     /* create: adds another object to a container
                             (v.emplace_back(f) on a vector of threads):
                             running again overwrites nothing */
  EVF_UNCHECKED = 1 << 24, /* arm: its result is dropped (the call is an
                             expression statement): an error it returns
                             goes unseen */
  EVF_KEEPS_ARMED = 1 << 25, /* release: drops a reference; an armed object
                             runs on without it (keeps-armed: true) */
  EVF_RETURNS_ID = 1 << 26, /* arm: returns an id that can stop it later
                             (returns-id: true) */
  EVF_GENERIC = 1 << 27,  /* release/use of any object of its handle type
                             (close, read, CloseHandle: generic: true): it
                             names a timer or thread only when one is
                             followed there */
  EVF_FAMILY_API = 1 << 28, /* call to unknown code: a function a family's
                             header declares that its rules do not list
                             (k_timer_init, uv_timer_get_repeat): the
                             family's API is what its rules say, so it
                             does not stop a record's field for the link
                             phase (a path still takes it as unknown:
                             rules/zephyr.yaml's status_sync) */
  EVF_FORMAT = 1 << 20,   /* call to unknown code that is printf-like
                             (variadic after a `const char *` format): a
                             logger, which formats what it gets and hands
                             it nowhere */

};

/* What a worker (a thread's start routine, a callback) receives when it is
 * started: the path of its data argument or of a lambda capture. With
 * `addr`, the worker gets &path and reaches path and below; without, it
 * gets the value and reaches what it points to. */
typedef struct {
  int slot;
  bool addr;
} IrUse;

/* An event. Kind-specific fields:
 *  create:  slot (-1 when discarded), status (slot whose value is the call's
 *           result, -1 if none), slot2 (the attribute object it was given,
 *           -1 if none), fail, res, api, release_api; for a worker, callee
 *           (its start routine in the unit, -1 unknown) and uses/nuses;
 *           with a callback that gets the object, arg (its parameter, see
 *           EVF_CB_DEREF; -1 when it gets none).
 *  arm/disarm/release/join/detach/use: slot, api; an arm with a callback:
 *           callee and arg as for a create; a release with a completion
 *           callback (uv_close's close_cb): callee, which runs after it.
 *  release-all: release_api (which objects), api; callee/arg: the callback
 *           it runs on each object (-1: it releases them itself).
 *  set-detached: slot = the thread attribute object.
 *  escape:  slot (every slot extending its path escapes too).
 *  copy:    slot = destination, slot2 = source.
 *  assign:  slot overwritten; with EVF_CONST, by the constant k.
 *  call:    callee (function index in the unit, -1 = body unknown), arg
 *           (parameter index), slot = the argument's path (EVF_ADDR: &path).
 *  destroy: slot, api (the destructor). */
typedef struct {
  IrEventKind kind;
  unsigned flags;
  int slot, slot2, status;
  int callee, arg;
  int64_t k;
  IrFail fail;
  IrResKind res;
  const char *api;         /* the called function, for messages */
  const char *release_api; /* create: what would release it, for messages */
  const IrUse *uses;       /* create: what the worker receives */
  int nuses;
  const char *why;         /* EVF_DEFERRED: "cleanup of 'fd'", ... */
  const IrKey *frees;      /* call: frees an object of this record type
                              (a KEY_RECORD; a free rule) */
  const IrKey *data_rec;   /* create: the record type its data points to
                              (a KEY_RECORD) when the caller keeps the data:
                              no destroy notify hands it to the source */
  const char *data_unref;  /* create: data_rec is reference counted (a
                              GObject): what drops the last reference and
                              frees it (`refcounted:` in the rules) */
  const char *user;        /* register/unregister with user-data: what it
                              names (rules.h user_arg): "0" a null
                              pointer, "*" any, else the record text of
                              the object; NULL: nothing known, which
                              matches every other */
  const char *later_usr;   /* call to unknown code given a function and
                              this object beside it (event_once(-1,
                              EV_TIMEOUT, free_cb, c, NULL)): the function
                              the code will run with the object, the C
                              callback idiom; NULL when none */
  int later_param;         /* its parameter that gets the object */
  const char *usr;         /* call to unknown code: the callee's USR, when
                              it is a named function (a link-phase key);
                              assign: the function whose result is stored */
  IrLoc loc;
  IrLoc at;                /* EVF_DEFERRED: where the cleanup runs (loc is
                              where it was written) */
} IrEvent;

/* How a block ends. */
typedef enum {
  TERM_GOTO,     /* one successor */
  TERM_BRANCH,   /* succ[0] when cond holds, succ[1] when not */
  TERM_SWITCH,   /* any successor, no facts */
  TERM_RETURN,   /* leaves the function (loc = the return or closing brace) */
  TERM_NORETURN, /* the call before never returns (exit, abort) */
  TERM_EXIT,     /* the unique exit block all returns reach */
  TERM_INVOKE,   /* a call that may throw: succ[0] when it returns, succ[1]
                    when it throws (cond.text names the call) */
} IrTermKind;

/* A branch condition: `var op k` holds on succ[0]. var = -1: unknown.
 * `text` is what the code wrote, for notes ("taking the false branch: '!t'
 * is false"), and need not be the test: a front end lowers `!x` as a test
 * of x with the successors swapped. Two flags map one to the other; neither
 * changes the facts. */
typedef struct {
  int var;
  IrCmp op;
  int64_t k;
  const char *text;    /* source text, for notes; NULL: "the condition",
                          the whole condition as written */
  bool text_negated;   /* text holds on succ[1]: '!t' over a test of t */
  bool branch_negated; /* a `!` outside text turns the written branch
                          around: under `!(a && b)`, a true 'a' leads to
                          the false branch */
} IrCond;

typedef struct {
  int to;
  bool back; /* a loop's back edge (for notes and dumps) */
} IrEdge;

/* A stop of a field reached through an array element
 * (`pthread_join(pool.workers[i]->thread, NULL)`): which element, the
 * per-path analysis cannot say, so it makes no event of it; for the link
 * phase it is a stop of that field key in its function. */
typedef struct {
  IrEventKind kind; /* release, disarm, join or detach */
  const char *api;
  const IrKey *key; /* a KEY_FIELD */
  bool async;
  IrLoc loc;
} IrElemStop;

typedef struct {
  Array(IrEvent) ev;
  Array(IrEdge) succ;
  Array(int) pred;
  IrTermKind term;
  IrCond cond; /* TERM_BRANCH */
  IrLoc loc;   /* TERM_BRANCH: the condition; TERM_RETURN: the return */
} IrBlock;

/* A function: blocks[entry] starts it, blocks[exit] is TERM_EXIT. */
typedef struct {
  const char *name;
  const char *usr; /* cross-TU identity (libclang USR for C) */
  IrLoc loc;
  int end_line; /* last line of the body: "is this function changed?" */
  bool opaque;  /* body not lowered (a header function nothing here calls):
                   the engine treats a call to it as unknown code */
  bool called_only; /* internal linkage, and the main file names it only
                       to call it: no pointer to it exists, so the calls
                       here are all there are */
  int nparams;
  int entry, exit;
  Array(IrBlock) blocks;
  Array(IrSlot) slots;
  Array(IrElemStop) elem_stops;
} IrFunc;

/* A function whose address the unit stores in a struct field (an ops
 * table `{.init = simple_init}`, `ops->init = f`): a call through that
 * field may run it. `field` is "field:" and the field's key text, what an
 * indirect call through the field names as its callee's USR. */
typedef struct {
  const char *field;
  const char *usr;
} IrTarget;

/* A function the unit hands to a framework whose contract frees the object
 * its parameter `param` points to once it returns (a `hook` rule: libdbus
 * frees the DBusTimeout after remove_timeout): for the link phase it frees
 * that object, a record of type `rec`, at its end. param -1 (rec NULL):
 * the framework keeps the function and runs it when the program's later
 * calls make it (g_hash_table_new_full's value_destroy_func on each
 * removal): it may run at any time, as if the unit called it. */
typedef struct {
  const char *usr; /* the function */
  int param;
  const IrKey *rec; /* a KEY_RECORD; NULL when param is -1 */
  const char *api;  /* the hook */
  const char *ctx;  /* the record text of what the hook's data points to,
                       which the function gets beside the object: the
                       context its registrations live on; NULL: unknown */
} IrHook;

typedef struct {
  Arena *arena; /* owns everything reachable from the unit */
  const char *main_file; /* as IrLoc.file names it */
  Array(IrFunc *) funcs;
  Array(IrTarget) targets;
  Array(IrHook) hooks;
} IrUnit;

/* Builder. The caller owns `arena` and frees it after the unit and the
 * findings that point into it are done. */
IrUnit *ir_unit_new(Arena *arena, const char *main_file);
void ir_unit_free(IrUnit *u); /* frees arrays; the arena is the caller's */
IrFunc *ir_func_new(IrUnit *u, const char *name, const char *usr, IrLoc loc,
                    int nparams);
int ir_block_new(IrFunc *f);
void ir_edge(IrFunc *f, int from, int to, bool back);
IrEvent *ir_emit(IrFunc *f, int block, IrEventKind kind, int slot, IrLoc loc);
void ir_term(IrFunc *f, int block, IrTermKind term, IrLoc loc);
void ir_branch(IrFunc *f, int block, IrCond cond, int on_true, int on_false,
               IrLoc loc);
/* Event `index` of `block`, to complete after ir_emit (its address moves
 * when the block grows: keep (block, index), not the pointer). */
IrEvent *ir_event_at(IrFunc *f, int block, int index);
int ir_block_nevents(const IrFunc *f, int block);
/* A create whose handle nothing keeps (only compared, or dropped as a
 * statement) is discarded, unless it already went somewhere. */
void ir_create_discard(IrEvent *e);
/* Ends `block` in a switch (successors added with ir_edge, no facts). */
void ir_switch(IrFunc *f, int block, IrLoc loc);
/* Ends `block` in a call that may throw (`text` names it): `normal` when
 * it returns, `unwind` when it throws. */
void ir_invoke(IrFunc *f, int block, const char *text, int normal,
               int unwind, IrLoc loc);
/* Marks the edge from -> to as a loop's back edge. */
void ir_mark_back(IrFunc *f, int from, int to);
/* Finds or adds the slot for (base, ops); name is the display form. */
int ir_slot(IrFunc *f, const char *name, const char *base, IrBaseKind bk,
            int param, const char *ops);
/* Gives a slot its cross-TU identity (a field, a global, a registration). */
void ir_slot_set_key(IrFunc *f, int slot, const IrKey *key);
int ir_slot_find(const IrFunc *f, const char *base, const char *ops);

/* Every event of a function, block by block, in index order:
 *   for (IrEvIter it = ir_events(f); ir_events_next(&it);)
 *     use(it.e, it.block, it.index);
 * The one walk the engine's flow-insensitive passes share. */
typedef struct {
  const IrFunc *f;
  int block, index;
  const IrEvent *e;
} IrEvIter;

static inline IrEvIter ir_events(const IrFunc *f) {
  IrEvIter it = {f, 0, -1, NULL};
  return it;
}

static inline bool ir_events_next(IrEvIter *it) {
  while (it->block < it->f->blocks.n) {
    const IrBlock *b = &it->f->blocks.v[it->block];
    if (++it->index < b->ev.n) {
      it->e = &b->ev.v[it->index];
      return true;
    }
    it->block++;
    it->index = -1;
  }
  return false;
}

/* The natural loop of the back edge from -> header: body[b] is set for the
 * blocks that reach `from` without passing `header`, and the header.
 * `body` and `stack` hold f->blocks.n entries each (the caller's). */
void ir_natural_loop(const IrFunc *f, int from, int header, bool *body,
                     int *stack);

/* True when path ops `ext` is `pre` or extends it by whole operations. */
bool ir_ops_extends(const char *ext, const char *pre);

/* A same-unit function that returns a timer or thread it makes is a
 * creator: each `x = helper(...)` of the unit becomes that create, named
 * after the helper (lift.c). The front end's last step. */
void ir_lift_creators(IrUnit *u);
/* values.c: an arm whose value (EVF_SPEC) is zero on every path to it is a
 * disarm (disarm-when zero, #12 class 1). */
void ir_decide_disarms(IrUnit *u);

/* Stable text form of a function, for --dump-ir and golden tests. It holds
 * every field the engine reads; the grammar is described in ir_text.c. */
void ir_dump_func(FILE *out, const IrFunc *f);
void ir_dump_unit(FILE *out, const IrUnit *u);

/* Reads the text form (what ir_dump_unit writes, or an engine test) into a
 * new unit in `arena`, built as a front end builds one; `name` names the
 * text in messages and becomes the unit's main_file. Lines starting with
 * ';' are comments. On malformed input returns NULL and sets *err to
 * "name:line:col: what" (in `arena`); the caller frees a unit it gets with
 * ir_unit_free. */
IrUnit *ir_read(Arena *arena, const char *name, const char *text,
                const char **err);

#endif
