// flags: -std=c++17
// #12 class 7: threads kept in a local vector are destroyed with it; the
// vector is safe once a loop joined (or detached) each element. RAII owners
// of the project (a lambda scope guard, a unique_ptr with a deleter type)
// release at scope exit, which a detached thread still using the handle
// makes too late. Threads walked through a braced list of their addresses
// are joined by the loop.
#include <signal.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include <memory>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

extern void work(int i) noexcept;
extern bool ready() noexcept;
extern void poll_timer(timer_t t) noexcept;
extern void drain(int fd) noexcept;

template <class F> class OnExit {
public:
    explicit OnExit(F f) : f_(std::move(f)) {}
    ~OnExit() { f_(); }
    OnExit(const OnExit &) = delete;

private:
    F f_;
};
template <class F> OnExit<F> on_exit(F f) { return OnExit<F>(std::move(f)); }

struct TimerDelete {
    using pointer = timer_t;
    void operator()(timer_t t) const noexcept { timer_delete(t); }
};
using OwnedTimer = std::unique_ptr<std::remove_pointer_t<timer_t>, TimerDelete>;

// bad: the early return destroys the vector with joinable threads
bool run_batch(int n)
{
    std::vector<std::thread> ts;
    for (int i = 0; i < n; i++)
        ts.emplace_back(work, i); /* expect: thread-joinable-destroyed */
    if (!ready())
        return false;
    for (auto &t : ts)
        t.join();
    return true;
}

// good: joined on every path
bool run_batch_joined(int n)
{
    std::vector<std::thread> ts;
    ts.reserve(n);
    for (int i = 0; i < n; i++)
        ts.push_back(std::thread(work, i));
    bool ok = ready();
    for (std::thread &t : ts)
        t.join();
    return ok;
}

// good: detached one by one
void fire_batch(int n)
{
    std::vector<std::thread> ts;
    for (int i = 0; i < n; i++)
        ts.emplace_back(work, i);
    for (auto &t : ts)
        t.detach();
}

// good: handed to code that owns it now
extern void adopt(std::vector<std::thread> &ts);
void give_batch(int n)
{
    std::vector<std::thread> ts;
    for (int i = 0; i < n; i++)
        ts.emplace_back(work, i);
    adopt(ts);
}

// bad: the guard closes fd while the detached thread drains it
void watch(long ms)
{
    int fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
    if (fd < 0)
        return;
    auto closer = on_exit([fd] { close(fd); }); /* expect: stop-too-late */
    itimerspec its{};
    its.it_value.tv_nsec = ms * 1000000L;
    if (timerfd_settime(fd, 0, &its, nullptr) != 0)
        return;
    std::thread(drain, fd).detach();
}

// good: the guard closes it after the thread was joined
void watch_wait(long ms)
{
    int fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
    if (fd < 0)
        return;
    auto closer = on_exit([fd] { close(fd); });
    itimerspec its{};
    its.it_value.tv_nsec = ms * 1000000L;
    if (timerfd_settime(fd, 0, &its, nullptr) != 0)
        return;
    std::thread t(drain, fd);
    t.join();
}

// bad: the deleter deletes the timer the detached poller reads
bool deadline(unsigned s)
{
    timer_t raw = nullptr;
    if (timer_create(CLOCK_MONOTONIC, nullptr, &raw) != 0)
        return false;
    OwnedTimer owner(raw); /* expect: stop-too-late */
    itimerspec its{};
    its.it_value.tv_sec = s;
    if (timer_settime(owner.get(), 0, &its, nullptr) != 0)
        return false;
    std::thread(poll_timer, owner.get()).detach();
    return ready();
}

// good: the deleter deletes it on every path: no leak, no late release
bool deadline_local(unsigned s)
{
    timer_t raw = nullptr;
    if (timer_create(CLOCK_MONOTONIC, nullptr, &raw) != 0)
        return false;
    OwnedTimer owner(raw);
    itimerspec its{};
    its.it_value.tv_sec = s;
    return timer_settime(owner.get(), 0, &its, nullptr) == 0 && ready();
}

// good: both probes joined through the braced list of their addresses
void probes()
{
    std::thread a(work, 1);
    std::thread b(work, 2);
    for (std::thread *t : {&a, &b})
        t->join();
}

// good: a helper of the file joins them through its reference
static void join_all(std::vector<std::thread> &ts)
{
    for (auto &t : ts)
        if (t.joinable())
            t.join();
    ts.clear();
}

void run_helper_joined(int n)
{
    std::vector<std::thread> ts;
    for (int i = 0; i < n; i++)
        ts.emplace_back(work, i);
    join_all(ts);
}
