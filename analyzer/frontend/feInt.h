/* feInt.h: shared by the front end's files only. */
#ifndef TL_FE_INT_H
#define TL_FE_INT_H

#include <clang-c/Index.h>

#include "fe.h"

struct FeCtx {
  const Rules *rules;
  CXIndex index;
  bool has_cleanup_macros; /* any rule with role cleanup-macro */
};

/* An access path under construction; see IrSlot. */
typedef struct {
  const char *base; /* identity of the base variable, NULL: no path */
  const char *name; /* display name of the base variable */
  IrBaseKind bk;
  int param;
  const char *ops;
  const IrKey *key; /* see IrSlot.key: set by a field access or a global
                        and cleared by any operation after it */
} FePath;

/* What an expression evaluates to, as far as lifecycles care. */
typedef enum { VAL_NONE, VAL_PATH, VAL_ADDR, VAL_CONST, VAL_CREATE } ValKind;

typedef struct {
  ValKind kind;
  bool moved;       /* VAL_PATH from std::move: a move leaves it empty */
  const char *from_usr; /* VAL_NONE: the result of a call to this function
                           (the link phase asks whether it makes a timer) */
  const char *from_name;
  bool unit_call;   /* VAL_NONE: from_usr is a function of this unit */
  bool fresh;       /* VAL_NONE: new memory from an allocator (role alloc) */
  FePath p;         /* VAL_PATH, VAL_ADDR */
  int64_t k;        /* VAL_CONST */
  int ev_block;     /* VAL_CREATE: the event whose result the value is: a
                       create, or a test (t.joinable()) whose condition
                       says whether an object is held */
  int ev_index;
  bool ret_handle;  /* VAL_CREATE: the value is the handle itself */
} Val;

typedef struct {
  const char *name;
  int block;
} Label;

typedef struct {
  CXFile file;
  const char *name;
} FileName;

typedef struct {
  const char *name;
  CXCursor def; /* null cursor: no such macro */
} MacroName;

/* Something that runs when its scope ends: a variable's cleanup function
 * (or, in C++, its destructor). Kept on a stack while lowering, so every
 * way out of a scope (its end, return, break, continue, goto) runs the
 * cleanups it leaves, innermost first. */
typedef enum {
  CL_CALL,   /* fn(&var) or a deleter fn(data): an EV_CALL */
  CL_ROLE,   /* a destructor the rules know: its role's event on var */
  CL_INLINE, /* a destructor body in the project, lowered with this = var */
  CL_LAMBDA, /* a scope guard's lambda body, lowered in place */
} CleanupKind;

typedef struct {
  CleanupKind kind;
  int slot;         /* CL_CALL: the argument; CL_ROLE: the variable */
  bool addr;        /* CL_CALL: the argument is &slot */
  int callee;       /* CL_CALL: the function in the unit, -1 unknown */
  const char *fn;   /* its name */
  const RuleFn *rule; /* CL_ROLE */
  CXCursor body;    /* CL_INLINE, CL_LAMBDA */
  FePath self;      /* CL_INLINE: the object */
  const char *why;  /* for notes: "closep() as 'fd' goes out of scope" */
  IrLoc decl;       /* where the variable was declared */
  CXCursor scope;   /* the compound statement it belongs to */
} Cleanup;

/* A C++ reference bound to a path: `T &r = x;`, an aggregate's reference
 * member initialised with x. References never change what they name. */
typedef struct {
  const char *base, *ops; /* the reference's path */
  FePath to;
} RefBind;

/* Lowering state of one function (and the TU it belongs to). */
typedef struct {
  FeCtx *fe;
  CXTranslationUnit tu;
  IrUnit *u;
  IrFunc *f;
  Arena *a;
  CXCursor fn_cursor;
  bool tu_errors; /* the TU parsed with errors: dropped statements may hide
                     known calls (recover.c) */
  /* Functions with a body in this unit, by canonical cursor: an open
   * addressing table (size a power of two), index = IrUnit function. */
  struct FnSlot {
    CXCursor canon;
    int index; /* -1: empty */
  } *fn_table;
  unsigned fn_mask;
  bool *fn_needed; /* called from lowered code: lower it too */
  enum { THROWS_UNKNOWN, THROWS_NO, THROWS_YES } *throws; /* per function:
                      does its body throw (fe_may_throw's cache) */
  Array(FileName) files;
  /* Bases of the variables referenced in the current function, by decl
   * cursor: computing one visits and tokenizes its attributes (profiled:
   * the largest share of lowering before this cache). */
  struct BaseSlot {
    CXCursor decl;
    FePath path;
    bool ok, used;
  } *bases;
  unsigned base_mask, nbases;
  int cur;       /* block being filled; -1 after a jump (dead code) */
  int brk, cont; /* -1 outside loops/switches */
  int brk_depth, cont_depth; /* cleanups live where brk / cont lead */
  bool cont_back;
  Array(Cleanup) cleanups; /* in scope now, outermost first */
  const char *defer_why;   /* events emitted now run as deferred cleanup:
                              after a cleanup label, inside a cleanup macro */
  Array(CXCursor) assigned; /* variables assigned or address-taken in the
                               function (pre-pass): not constant aliases */
  bool in_prepass;
  bool recover_no_create; /* recovering an unreadable condition: its
                             creates' status is unknown (recover.c) */
  Array(MacroName) macros;  /* macro definitions looked up, per TU */
  bool cxx;                 /* the TU is C++ */
  bool has_this;            /* lowering a destructor inline: */
  FePath this_path;         /* ... the object it runs on */
  int inline_exit, inline_depth; /* where an inlined body's return goes */
  IrLoc defer_loc, defer_at; /* inlined cleanup: reported at defer_loc (the
                                guard), runs at defer_at (the scope exit) */
  bool defer_inline;
  Array(RefBind) refs;
  Cleanup pending;          /* a scope guard the initializer just built */
  bool has_pending;
  int try_target, try_depth; /* innermost try: its dispatch block, and the
                                cleanups live at its start; -1 outside */
  int sw_block;
  bool sw_default;
  /* A switch on a variable: its cases are a chain of tests `var == k`
   * (sw_var; -1: the old any-successor dispatch), sw_block the next test,
   * sw_default_to the default's block (-1: none yet), sw_text the
   * condition as written, for notes. */
  int sw_var, sw_default_to;
  const char *sw_text;
  Array(Label) labels;
  Array(const char *) mutated;        /* bases whose fields are assigned */
  int ntemps;
  CXFile api_file; /* family_api's last header asked, and its answer */
  bool api_hit;
} Lower;

/* cursor.c */
typedef struct {
  CXCursor *v;
  int n;
} Kids;
Kids fe_kids(Lower *L, CXCursor c);
CXCursor fe_strip(CXCursor c); /* parens and implicit casts */
IrLoc fe_loc(Lower *L, CXCursor c);
IrLoc fe_loc_end(Lower *L, CXCursor c);
unsigned fe_offset(CXSourceLocation loc);
const char *fe_spelling(Lower *L, CXCursor c);
const char *fe_source_text(Lower *L, CXCursor c, int max);
bool fe_eval_int(CXCursor c, int64_t *out);
/* An initializer list (or compound literal, or literal) zero at every
 * leaf: `{0}`, `{{0, 0}, {0}}`. */
bool fe_all_zero(Lower *L, CXCursor c);
/* recover.c: the known calls in an expression clang could not type (an
 * UnexposedExpr with no children), from its tokens. */
void fe_recover_calls(Lower *L, CXCursor c);
/* An errored expression that is only the token NULL (its header missing). */
bool fe_recover_null(Lower *L, CXCursor c);
/* The TU being lowered parsed with errors (cursor.c's fe_strip asks). */
extern _Thread_local bool fe_strip_errors;
/* A local whose initializer libclang 19 dropped for its errors: the known
 * calls of `= ...` read from the tokens up to its `;` or `,`. True when it
 * is `= NULL` or `= 0` (the caller assigns 0). */
bool fe_recover_decl(Lower *L, CXCursor var);
/* The same for the tokens of `range` (statements clang dropped: a
 * declaration of an unknown type); `at` gives the file. */
void fe_recover_range(Lower *L, CXSourceRange range, CXCursor at);
/* A condition clang could not type that is one known create compared with
 * a constant (`pthread_create(&th, ...) != 0`, `!g_thread_try_new(...)`):
 * the create, its status slot as *var and the comparison. */
bool fe_recover_cond(Lower *L, CXCursor c, int *var, IrCmp *cmp, int64_t *k);
/* The function an expression names (`f`, `&f`, a cast), or a null cursor. */
CXCursor fe_named_function(Lower *L, CXCursor expr);
/* "field:KEY" of a FieldDecl, or NULL (see IrTarget). */
const char *fe_field_usr(Lower *L, CXCursor fd);
/* `field = value` where value names a function: a target of the field. */
void fe_store_target(Lower *L, CXCursor field, CXCursor value);
/* The functions an initializer stores in fields (`static const struct ops
 * o = {.init = f}`, arrays of them, nested records): targets. */
void fe_init_targets(Lower *L, CXType t, CXCursor init, int depth);
bool fe_in_scope(Lower *L, CXCursor c, CXFile main);

/* path.c */
bool fe_path_of(Lower *L, CXCursor c, Val *out); /* pure: emits nothing */
bool fe_is_assigned(Lower *L, CXCursor var);
/* A record type's identity: spelling and where it is defined. */
IrRecord fe_record(Lower *L, CXType t);
/* A file's name as locations give it (relative to the working directory
 * when under it). */
const char *fe_file_name(Lower *L, CXFile f);
/* A local pointer initialised to &x and never assigned: its value is &x. */
bool fe_alias_of(Lower *L, CXCursor var, Val *out);
bool fe_var_path(Lower *L, CXCursor var, FePath *p); /* a VarDecl's path */
void fe_bases_reset(Lower *L); /* at each function: parameters differ */
int fe_slot(Lower *L, const FePath *p);
int fe_temp(Lower *L, const char *name, FePath *p);
bool fe_member_init_path(Lower *L, CXCursor member, Val *out);
bool fe_member_of(Lower *L, const FePath *obj, CXCursor member, FePath *out);
FePath fe_deref(Lower *L, const Val *v, bool *ok);

/* lower_expr.c */
Val fe_lower_expr(Lower *L, CXCursor c);
void fe_lower_cond(Lower *L, CXCursor c, int on_true, int on_false);
void fe_assign(Lower *L, Val lhs, Val rhs, IrLoc loc);
int fe_block(Lower *L); /* the current block, made if dead */
void fe_goto(Lower *L, int target, bool back);
void fe_prepass(Lower *L, CXCursor body);

/* cleanup.c */
const char *fe_cleanup_fn(Lower *L, CXCursor var);
int fe_fn_by_name(Lower *L, const char *name);
const char *fe_cleanup_macro(Lower *L, CXCursor call);

/* cxx.c */
const char *fe_qualified(Lower *L, CXCursor fn);
const RuleFn *fe_rule_for(Lower *L, CXCursor callee);
const RuleFn *fe_member_rule(Lower *L, CXCursor field);
/* idx: the callee's function in the unit, or -1 (its answer is cached). */
bool fe_may_throw(Lower *L, CXCursor callee, int idx);
int fe_lambda_uses(Lower *L, CXCursor lambda, IrUse **uses);
const RuleFn *fe_dtor_rule(Lower *L, CXCursor cls);
CXCursor fe_thread_container(Lower *L, CXType t);
bool fe_local_dtor(Lower *L, CXCursor var, const RuleFn **rule,
                   CXCursor *body);

/* lower_stmt.c */
void fe_unwind(Lower *L, IrLoc loc, const char *text);
void fe_run_cleanups(Lower *L, int depth, IrLoc at);
void fe_lower_stmt(Lower *L, CXCursor c);
void fe_declare_function(Lower *L, CXCursor fn);
void fe_lower_function(Lower *L, CXCursor fn, int index);

#endif
