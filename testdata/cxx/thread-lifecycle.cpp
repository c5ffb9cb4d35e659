// flags: -std=c++20
/* thread-joinable-destroyed: a std::thread that is still joinable when it is
 * destroyed (early return, exception unwinding) or move-assigned over calls
 * std::terminate. Reported on the line that constructs the thread (for a
 * move-assignment, the thread being overwritten). std::jthread joins in its
 * destructor and never gets it. may_throw() is a C++ function with no body
 * here and no noexcept, so a call to it can throw; the other helpers are
 * noexcept, and C library calls never throw. */
#include <stdexcept>
#include <thread>
#include <unistd.h>
#include <utility>
#include <vector>

extern void may_throw();
extern int configure() noexcept;
extern void log_line(const char *msg) noexcept;
extern void adopt(std::thread th) noexcept;

static void work() { usleep(1000); }

static int twice(int x) { return 2 * x; }

/* Joins the thread it refers to when it goes out of scope. */
struct JoinGuard {
    std::thread &th;
    ~JoinGuard() { th.join(); }
};

/* bad: the early return destroys a joinable thread */
int bad_early_return(int n)
{
    std::thread t(work); /* expect: thread-joinable-destroyed */ /* note[thread-joinable-destroyed]: thread 't' created here by std::thread::thread() */
    if (n < 0) /* note[thread-joinable-destroyed]: taking the true branch: 'n < 0' is true */
        return -1; /* note[thread-joinable-destroyed]: 't' destroyed here while joinable */
    t.join();
    return 0;
}

/* bad: may_throw() can throw before the join: the unwinding destroys t joinable */
void bad_exception_path()
{
    std::thread t(work); /* expect: thread-joinable-destroyed */
    may_throw(); /* note[thread-joinable-destroyed]: throws: the stack unwinds from here */
    t.join();
}

/* bad: the catch swallows the exception and returns without joining */
int bad_catch_without_join()
{
    std::thread t(work); /* expect: thread-joinable-destroyed */
    try {
        may_throw(); /* note[thread-joinable-destroyed]: throws: the stack unwinds from here */
    } catch (...) {
        return -1; /* note[thread-joinable-destroyed]: 't' destroyed here while joinable */
    }
    t.join();
    return 0;
}

/* bad: move-assigning over a joinable thread */
void bad_move_assign_while_joinable()
{
    std::thread t(work); /* expect: thread-joinable-destroyed */
    t = std::thread(work); /* note[thread-joinable-destroyed]: 't' assigned over here while joinable */
    t.join();
}

/* bad: detached on one branch only */
int bad_detach_on_one_branch(bool background)
{
    std::thread t([] { work(); }); /* expect: thread-joinable-destroyed */
    if (background) /* note[thread-joinable-destroyed]: taking the false branch: 'background' is false */
        t.detach();
    return configure(); /* note[thread-joinable-destroyed]: 't' destroyed here while joinable */
}

/* good: every return joins first */
int good_joined_on_every_return(int n)
{
    std::thread t(work);
    if (n < 0) {
        t.join();
        return -1;
    }
    log_line("running");
    t.join();
    return 0;
}

/* good: the catch joins, then rethrows; the normal path joins too */
void good_catch_join_rethrow()
{
    std::thread t(work);
    try {
        may_throw();
    } catch (...) {
        t.join();
        throw;
    }
    t.join();
}

/* good: detached at once; nothing after it matters */
int good_detached_then_throwing_call()
{
    std::thread t(work);
    t.detach();
    may_throw();
    return 0;
}

/* good: std::jthread joins in its destructor, on the early return and when unwinding */
int good_jthread_early_return_and_throw(int n)
{
    std::jthread t(work);
    if (n < 0)
        return -1;
    may_throw();
    return 0;
}

/* good: std::jthread with a stop token; its destructor requests stop and joins */
void good_jthread_stop_token()
{
    std::jthread t([](std::stop_token st) {
        while (!st.stop_requested())
            work();
    });
    may_throw();
}

/* good: moved into a container the caller owns */
void good_moved_into_vector(std::vector<std::thread> &pool)
{
    std::thread t(work);
    pool.push_back(std::move(t));
}

/* good: handed to code with no body here */
void good_moved_to_unknown_code()
{
    std::thread t(work);
    adopt(std::move(t));
}

/* good: moved into u, which is joined; t is no longer joinable */
void good_move_constructed_then_joined()
{
    std::thread t(work);
    std::thread u = std::move(t);
    u.join();
}

/* good: the guard joins on every exit, the exception path included */
void good_join_guard()
{
    std::thread t(work);
    JoinGuard g{t};
    may_throw();
}

/* good: only noexcept helpers, a C library call and a non-throwing local function before the join */
int good_noexcept_calls_before_join(int x)
{
    std::thread t(work);
    log_line("started");
    usleep(10);
    int r = configure() + twice(x);
    t.join();
    return r;
}

/* good: a default-constructed thread is not joinable; the move-assigned one is joined */
void good_assign_into_empty_thread(bool run)
{
    std::thread t;
    if (!run)
        return;
    t = std::thread(work);
    t.join();
}

/* good: joined before a new thread is move-assigned into it */
void good_join_then_reassign()
{
    std::thread t(work);
    t.join();
    t = std::thread(work);
    t.join();
}

/* good: the joinable() test is true here, so the join always runs */
void good_joinable_check()
{
    std::thread t(work);
    log_line("waiting");
    if (t.joinable())
        t.join();
}
