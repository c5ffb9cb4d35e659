// flags: -std=c++20
/* stop-too-late with C++ deferred cleanup: a destructor that releases a
 * timer or timerfd at scope exit (a guard class defined here, std::unique_ptr
 * with a deleter function, a lambda-holding Finally guard) while a thread
 * whose lambda captured the handle is still running. Locals are destroyed in
 * reverse order of declaration, so a guard declared AFTER the thread (or its
 * join guard) runs first. Reported on the line declaring the guard. Threads
 * here are detached or joined on every path, so none is
 * thread-joinable-destroyed. */
#include <memory>
#include <signal.h>
#include <sys/timerfd.h>
#include <thread>
#include <time.h>
#include <unistd.h>

extern void may_throw();
extern int configure() noexcept;
extern void handle_tick(int overrun) noexcept;

/* Deletes the timer it holds when it goes out of scope. */
struct TimerGuard {
    timer_t t;
    ~TimerGuard() { timer_delete(t); }
};

/* Closes the fd it holds when it goes out of scope. */
struct FdGuard {
    int fd;
    ~FdGuard() { if (fd >= 0) close(fd); }
};

/* Joins the thread it refers to when it goes out of scope. */
struct JoinGuard {
    std::thread &th;
    ~JoinGuard() { th.join(); }
};

static void timer_deletep(timer_t *t) { timer_delete(*t); }

template <class F> struct Finally {
    F f;
    ~Finally() { f(); }
};
template <class F> Finally<F> finally(F f) { return {f}; }

/* bad: the guard deletes t at return; the detached lambda polls it forever */
int bad_guard_class_detached_forever()
{
    timer_t t;
    if (timer_create(CLOCK_MONOTONIC, nullptr, &t) != 0)
        return -1;
    TimerGuard g{t}; /* expect: stop-too-late */
    std::thread th([&t] {
        for (;;) {
            handle_tick(timer_getoverrun(t));
            pause();
        }
    });
    th.detach();
    return configure();
}

/* bad: unique_ptr's deleter deletes t while the detached worker may still use it */
int bad_unique_ptr_deleter_detached()
{
    timer_t t;
    if (timer_create(CLOCK_MONOTONIC, nullptr, &t) != 0)
        return -1;
    std::unique_ptr<timer_t, decltype(&timer_deletep)> owner(&t, timer_deletep); /* expect: stop-too-late */
    std::thread th([&] { handle_tick(timer_getoverrun(t)); });
    th.detach();
    return 0;
}

/* bad: the Finally guard closes the fd the detached reader is reading */
int bad_finally_closes_fd_under_reader()
{
    int fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
    if (fd < 0)
        return -1;
    auto closer = finally([&fd] { close(fd); }); /* expect: stop-too-late */
    std::thread th([&fd] {
        unsigned long long n;
        while (read(fd, &n, sizeof n) == sizeof n)
            handle_tick((int)n);
    });
    th.detach();
    return configure();
}

/* bad: a by-value capture is the same fd: the guard closes it under the detached worker */
int bad_fd_guard_value_capture()
{
    int fd = timerfd_create(CLOCK_MONOTONIC, 0);
    if (fd < 0)
        return -1;
    FdGuard g{fd}; /* expect: stop-too-late */
    std::thread th([fd] {
        unsigned long long n;
        if (read(fd, &n, sizeof n) == sizeof n)
            handle_tick((int)n);
    });
    th.detach();
    return 0;
}

/* bad: the timer guard is declared after the join guard, so it is destroyed first */
int bad_timer_guard_destroyed_before_join_guard()
{
    timer_t t;
    if (timer_create(CLOCK_MONOTONIC, nullptr, &t) != 0)
        return -1;
    std::thread th([&t] { handle_tick(timer_getoverrun(t)); });
    JoinGuard j{th};
    TimerGuard g{t}; /* expect: stop-too-late */
    return configure();
}

/* bad: joined on the normal path, but when may_throw() throws, g runs before th's destructor joins */
int bad_guard_after_jthread_exception_path()
{
    timer_t t;
    if (timer_create(CLOCK_MONOTONIC, nullptr, &t) != 0)
        return -1;
    std::jthread th([&t](std::stop_token st) {
        while (!st.stop_requested())
            handle_tick(timer_getoverrun(t));
    });
    TimerGuard g{t}; /* expect: stop-too-late */
    may_throw();
    th.request_stop();
    th.join();
    return 0;
}

/* good: the thread is joined before the guard's scope ends */
int good_guard_class_joined()
{
    timer_t t;
    if (timer_create(CLOCK_MONOTONIC, nullptr, &t) != 0)
        return -1;
    TimerGuard g{t};
    std::thread th([&t] { handle_tick(timer_getoverrun(t)); });
    int rc = configure();
    th.join();
    return rc;
}

/* good: unique_ptr with a deleter; the worker is joined before it runs */
int good_unique_ptr_joined()
{
    timer_t t;
    if (timer_create(CLOCK_MONOTONIC, nullptr, &t) != 0)
        return -1;
    std::unique_ptr<timer_t, decltype(&timer_deletep)> owner(&t, timer_deletep);
    std::thread th([&] { handle_tick(timer_getoverrun(t)); });
    th.join();
    return 0;
}

/* good: the Finally lambda joins the reader, then closes its fd */
int good_finally_joins_then_closes()
{
    int fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
    if (fd < 0)
        return -1;
    std::thread th([fd] {
        unsigned long long n;
        if (read(fd, &n, sizeof n) == sizeof n)
            handle_tick((int)n);
    });
    auto done = finally([&] {
        th.join();
        close(fd);
    });
    return configure();
}

/* good: the join guard is declared after the timer guard, so it joins first (also when unwinding) */
int good_join_guard_after_timer_guard()
{
    timer_t t;
    if (timer_create(CLOCK_MONOTONIC, nullptr, &t) != 0)
        return -1;
    TimerGuard g{t};
    std::thread th([&t] { handle_tick(timer_getoverrun(t)); });
    JoinGuard j{th};
    may_throw();
    return 0;
}

/* good: the jthread is declared after the guard, so its destructor joins before the guard deletes */
int good_jthread_after_guard()
{
    timer_t t;
    if (timer_create(CLOCK_MONOTONIC, nullptr, &t) != 0)
        return -1;
    TimerGuard g{t};
    std::jthread th([&t](std::stop_token st) {
        while (!st.stop_requested())
            handle_tick(timer_getoverrun(t));
    });
    may_throw();
    return 0;
}

/* good: the detached lambda captures nothing; it owns (and deletes) its own timer */
int good_detached_captures_nothing()
{
    timer_t t;
    if (timer_create(CLOCK_MONOTONIC, nullptr, &t) != 0)
        return -1;
    TimerGuard g{t};
    std::thread th([] {
        timer_t own;
        if (timer_create(CLOCK_MONOTONIC, nullptr, &own) != 0)
            return;
        handle_tick(timer_getoverrun(own));
        timer_delete(own);
    });
    th.detach();
    return configure();
}

/* good: the detached lambda captures only a plain int, no handle */
int good_detached_captures_plain_value(int period)
{
    int fd = timerfd_create(CLOCK_MONOTONIC, 0);
    if (fd < 0)
        return -1;
    FdGuard g{fd};
    std::thread th([period] { usleep((useconds_t)period); });
    th.detach();
    return configure();
}
