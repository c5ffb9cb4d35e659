/* checks.h: the rule ids the engine reports. Stable: used in output,
 * suppressions, fingerprints and SARIF. API names never appear here. */
#ifndef TL_CHECKS_H
#define TL_CHECKS_H

/* X(enum, id, one-line summary, help: why it matters and how to fix) */
#define ENG_CHECKS(X)                                                          \
  X(CHK_MISSING_STOP, "missing-stop",                                          \
    "a timer created in a function reaches an exit or is overwritten on "      \
    "some path without being deleted, and has not escaped",                    \
    "A timer that is never deleted keeps its kernel resources and may fire "   \
    "after the state it uses is gone. Delete it on every path (error paths "   \
    "included), or hand it to an owner that does.")                            \
  X(CHK_MISSING_JOIN, "missing-join",                                          \
    "a thread is neither joined nor detached on some path, was not created "   \
    "detached, and has not escaped",                                           \
    "A joinable thread that is never joined leaks its stack and its slot "     \
    "until the process exits. Join it on every path, detach it, or create "    \
    "it with a detached attribute.")                                           \
  X(CHK_CREATED_IN_LOOP, "created-in-loop",                                    \
    "a timer or thread is created on each iteration of a loop while the one "  \
    "from the previous iteration is still alive",                              \
    "Each iteration leaks one object: memory and thread counts grow with "     \
    "traffic. Release it before the iteration ends, or keep one per slot "     \
    "and release them after the loop.")                                        \
  X(CHK_DISARMED, "disarmed-not-released",                                     \
    "a timer is disarmed (stopped) but never deleted or closed on that path",  \
    "Disarming stops the timer from firing but keeps its resources. Delete "   \
    "or close it once it is no longer needed.")                                \
  X(CHK_USE_AFTER_RELEASE, "use-after-release",                                \
    "a timer or thread is used, released or joined again after it was "        \
    "released, joined or detached",                                            \
    "A released handle may already name another object: arming, deleting or " \
    "joining it again is undefined behaviour.")                                \
  X(CHK_HANDLE_DISCARDED, "handle-discarded",                                  \
    "the handle a creating call returns is thrown away, so nothing can ever "  \
    "stop or release it",                                                      \
    "Keep the handle (or the source id) and release it when done.")            \
  X(CHK_STOP_TOO_LATE, "stop-too-late",                                        \
    "a handle is released (typically by deferred cleanup: a cleanup "          \
    "attribute, a cleanup label, pthread_cleanup_pop, a destructor) while a "  \
    "worker started in the function, which uses it, may still run",            \
    "The worker goes on using a deleted timer or a closed descriptor, or "     \
    "never ends. Tell the worker to stop and join it before the cleanup "      \
    "releases what it uses.")                                                  \
  X(CHK_FIELD_NEVER_STOPPED, "field-never-stopped",                            \
    "a timer kept in a struct field or global is started, and no function "    \
    "in the scanned code stops it (the link phase of a whole scan)",           \
    "Stop the timer in the teardown that frees its owner.")                    \
  X(CHK_THREAD_JOINABLE_DESTROYED, "thread-joinable-destroyed",                \
    "a C++ std::thread is destroyed or reassigned while joinable",             \
    "Destroying a joinable std::thread calls std::terminate. Join or detach "  \
    "it on every path, or use std::jthread.")                                  \
  X(CHK_INVALID_SUPPRESSION, "invalid-suppression",                            \
    "a timerlint: ignore[...] comment without a reason or naming an unknown "  \
    "rule",                                                                    \
    "Write // timerlint: ignore[rule-id] followed by why the finding does "    \
    "not apply.")

typedef enum {
#define X(e, id, summary, help) e,
  ENG_CHECKS(X)
#undef X
      CHK__COUNT
} CheckId;

typedef struct {
  const char *id, *summary, *help;
  int implemented; /* 0: reserved id, reported by a later stage */
} CheckInfo;

/* Ids reserved for checks of later stages (design.md §3): none now. */
#define ENG_CHECK_PLANNED(c) ((c) < 0)

const CheckInfo *check_info(CheckId c);
int check_by_id(const char *id); /* -1 when unknown */

#endif
