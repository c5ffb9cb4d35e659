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
  X(EV_ESCAPE, "escape", NULL)            /* returned: the caller owns it */   \
  X(EV_COPY, "copy", NULL)                /* slot = slot2 */                   \
  X(EV_ASSIGN, "assign", NULL)            /* slot overwritten (maybe by k) */  \
  X(EV_CALL, "call", NULL)                /* path passed to a function */

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
  const char *field; /* the storage's identity across translation units when
                        it is a struct field ("struct session.timer") or a
                        global ("global g_timer"); NULL otherwise */
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
                             (fires: false, field-check: false) */
  EVF_ASYNC = 1 << 9,     /* release/disarm: does not wait for a running
                             callback (async: true) */
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
 *           (its start routine in the unit, -1 unknown) and uses/nuses.
 *  arm/disarm/release/join/detach/use: slot, api.
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
  const char *frees;       /* call: frees an object of this record type
                              ("struct sensor_priv"; a free rule) */
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

/* A branch condition: `var op k` holds on succ[0]. var = -1: unknown. */
typedef struct {
  int var;
  IrCmp op;
  int64_t k;
  const char *text; /* source text of the condition, for notes */
} IrCond;

typedef struct {
  int to;
  bool back; /* a loop's back edge (for notes and dumps) */
} IrEdge;

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
  int nparams;
  int entry, exit;
  Array(IrBlock) blocks;
  Array(IrSlot) slots;
} IrFunc;

typedef struct {
  Arena *arena; /* owns everything reachable from the unit */
  const char *main_file;
  Array(IrFunc *) funcs;
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
/* Finds or adds the slot for (base, ops); name is the display form. */
int ir_slot(IrFunc *f, const char *name, const char *base, IrBaseKind bk,
            int param, const char *ops);
int ir_slot_find(const IrFunc *f, const char *base, const char *ops);

/* True when path ops `ext` is `pre` or extends it by whole operations. */
bool ir_ops_extends(const char *ext, const char *pre);

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
