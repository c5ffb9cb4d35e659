/* rules.h: API families loaded from rules/ (YAML). The only place that knows
 * what a function called "timer_create" does; the front end asks by name.
 * Format: rules/README.md. Run-long object, owned by main. */
#ifndef TL_RULES_H
#define TL_RULES_H

#include <stdint.h>

#include "../ir/ir.h"

/* Roles beyond the IR event kinds (which a role may also name). */
enum {
  ROLE_NORETURN = EV__COUNT, /* never returns: the path ends */
  ROLE_REGISTER,   /* handle-less registration keyed by `key` arguments */
  ROLE_UNREGISTER, /* cancels registrations with the same key */
  ROLE_CLEANUP_MACRO, /* a macro whose expansion runs deferred cleanup
                         (pthread_cleanup_pop) */
  ROLE_DEFER,      /* C++: the object constructed runs callback(data), or
                      its deleter on data, when it goes out of scope */
  ROLE_ALIAS,      /* the call's value is its argument 0 (std::move) */
  ROLE_TEST,       /* a query on the handle whose result, per fails-when,
                      says no object is held (std::thread::joinable) */
  ROLE_FREE,       /* frees the object argument N points to (free, kfree,
                      g_free): the link phase checks that a teardown stops
                      its timers first */
  ROLE_ALLOC,      /* returns new memory nothing else holds (malloc,
                      calloc, kzalloc): freeing it before anything has
                      seen it ends no timer */
  ROLE_HOOK,       /* hands `callback` to a framework that calls it under
                      a contract (frees-after: the object its parameter
                      points to is freed once it returns: libdbus's
                      remove_timeout) */
};

/* Where a function's handle is. */
typedef enum {
  HANDLE_NONE,
  HANDLE_RETURN, /* the result is the handle */
  HANDLE_ARG,    /* argument N's value is the handle (timer_delete(t)) */
  HANDLE_DEREF,  /* the object argument N points to: an out-parameter
                    (timer_create's &t) or caller-owned storage
                    (uv_timer_init(loop, &t)) */
  HANDLE_THIS,   /* C++: the object a constructor makes or a method or
                    destructor is called on (std::thread) */
} RuleHandleKind;

typedef struct {
  const char *name;
  const char *family;
  const char *file; /* where it was defined, for `timerlint rules` */
  int line;
  IrResKind res;
  int role; /* IrEventKind or ROLE_* */
  RuleHandleKind handle;
  int handle_arg;
  IrFail fails;
  int callback, data, attr;  /* argument indices, -1 when absent */
  int notify;                /* create: the destroy notify of the data
                                (GLib's GDestroyNotify), -1 when absent */
  bool io_watch;             /* create: the source watches a channel or fd
                                and ends (G_IO_NVAL) once that is closed */
  bool one_shot;             /* create: runs its callback once by
                                construction (g_idle_add_once) */
  bool data_rest;            /* data is every argument from `data` on */
  int key[2], nkey;          /* register/unregister: identifying arguments */
  int frees_after;           /* hook, frees-after: paramN: the callback's
                                parameter whose object the framework frees
                                when the callback returns; -1 when absent */
  int user_arg;              /* user-data: register/unregister/test: the
                                argument matched by pointer equality
                                beside the key (eloop's user_data): a
                                cancel removes only registrations with the
                                same one, or any with a non-null constant
                                (ELOOP_ALL_CTX); -1 when absent */
  int param_type_arg;        /* when-param {arg, type}: the entry applies
                                only to a function whose parameter N has
                                this canonical type (two APIs, one name:
                                the kernel's and POSIX's timer_delete);
                                -1 when absent */
  const char *param_type;
  int disarm_arg;            /* disarm-when {arg, zero}: -1 when absent */
  const char *disarm_field;  /* ... {arg, zero, field: it_value}: only
                                that member of what arg points to must be
                                zero */
  bool disarm_null;          /* ... {arg, null}: a null pointer disarms
                                (pa time_restart(e, NULL)) */
  int when_arg;              /* when {arg, equals}: -1 when absent */
  const char *when_name;     /* ... equals an identifier (enum, macro) */
  int64_t when_value;        /* ... or an integer */
  bool when_is_value;
  bool arms;                 /* create: the object starts armed */
  bool inert;                /* create, arm (field-check: false): a field
                                holding the object is not checked by the
                                link phase (a stopwatch never fires; a
                                QObject's timers die with it); a leak in a
                                function is still one */
  bool async;                /* release: does not wait for a running callback */
  bool keeps_armed;          /* release: drops a reference; an armed
                                object runs on without it (g_source_unref
                                of an attached source) */
  bool returns_id;           /* arm: returns an id that can stop it later
                                (g_source_attach) */
  bool closing;              /* release: completes later on the loop
                                thread; uses until then are error returns */
  bool idempotent;           /* release, unregister: a no-op when there is
                                nothing to remove */
  bool generic;              /* release, use: takes any object of its
                                handle type (close(fd), CloseHandle) */
  int cb_handle;             /* callback-handle: the callback parameter that
                                gets the object, -1 when absent */
  bool cb_handle_deref;      /* ... "*paramN": it points to the object */
  bool cb_data;              /* callback-data: that parameter gets the data
                                the object was made with, not the object */
  bool storage;              /* create: the handle is the object's memory
                                (libuv's uv_timer_t): it dies with it */
  const char *self_remove[4]; /* callback results that end a source */
  int nself_remove;
  const char *release_api;   /* create: the family's release, for messages */
  const char *prototype, *doc;
} RuleFn;

typedef struct {
  const char *name, *kind, *doc, *file;
  int first, count; /* its functions in Rules.fns */
  /* `headers:` the includes that mean this family's API ("glib.h", or a
   * directory "event2/"), and `pkg-config:` the modules whose --cflags find
   * them, first known wins: for a file with no build command (cli/infer.c).
   * In the rules' arena. */
  const char **headers, **pkg;
  int nheaders, npkg;
  /* `stand-in:` C lines (types, macros) a header standing in for the
   * family's missing ones holds before its prototypes (cli/standin.c). */
  const char **stand_in;
  int nstand_in;
  /* `null-names:` the names the family's headers give the null handle
   * (ODP_TIMER_INVALID): with those headers missing, a token of that name
   * is read as 0 (frontend/recover.c). */
  const char **null_names;
  int nnull_names;
  /* `constants:` integers its headers define (AE_ERR: -1): with those
   * headers missing, a test of a variable against one is read. */
  const char **const_names;
  int64_t *const_values;
  int nconsts;
  /* `internal-types:` record types that are this family's own objects
   * (struct delayed_work): what lies inside one (its timer_list) is their
   * implementation, not an object of another family the program made. */
  const char **internal;
  int ninternal;
} RuleFamily;

typedef struct Rules Rules;

Rules *rules_new(void);
void rules_free(Rules *r);
/* Loads every *.yaml in dir (sorted by name), or one file. On error returns
 * -1 and sets *err to "file:line:col: what" (caller frees). */
int rules_load_path(Rules *r, const char *path, char **err);
/* The newest entry of that name whose `when-param` matches, else the
 * newest without one:
 * param_type(ctx, N) is the canonical type of the callee's parameter N, or
 * NULL when unknown (an entry with a condition does not match then). */
typedef const char *(*RulesParamType)(void *ctx, int arg);
const RuleFn *rules_lookup_typed(const Rules *r, const char *name,
                                 RulesParamType param_type, void *ctx);
const RuleFn *rules_lookup(const Rules *r, const char *name);
int rules_family_count(const Rules *r);
/* Does family `f`'s `headers:` name the include `name` as written (the
 * same name, or under a directory entry "event2/")? */
bool rules_family_includes(const RuleFamily *f, const char *name);
/* Is the header file at `path` one of family `f`'s (its path ends in a
 * name entry, or lies under a directory entry)? */
bool rules_family_header_path(const RuleFamily *f, const char *path);
/* NULL, or a family's null-names entry. */
bool rules_null_name(const Rules *r, const char *name);
/* A family's `constants:` entry: its value in *v. */
bool rules_constant(const Rules *r, const char *name, int64_t *v);
/* The family whose `internal-types` holds the record `name`, or NULL. */
const char *rules_internal_type(const Rules *r, const char *name);
const RuleFamily *rules_family(const Rules *r, int i);
const RuleFn *rules_fn(const Rules *r, int i);
const char *rules_role_name(int role);
/* Words that name a teardown function (remove, finalize, dispose, ...),
 * from the files' `teardown: {names: [...]}`, for the link phase. */
const char *const *rules_teardown_names(const Rules *r, int *n);
/* Words that name a framework's teardown callback (unrealize, dispose,
 * remove; `teardown: {callbacks: [...]}`): such a function that stops some
 * of its object's timer fields must stop all of them. */
const char *const *rules_teardown_callbacks(const Rules *r, int *n);
/* What drops a reference to an object of reference-counted base type
 * `type` (the canonical spelling, "struct _GObject"; `refcounted:` in the
 * files), or NULL when the type is not one. */
const char *rules_refcounted_unref(const Rules *r, const char *type);
/* Hash of every loaded file's bytes, in load order: the cache key part. */
uint64_t rules_hash(const Rules *r);

#endif
