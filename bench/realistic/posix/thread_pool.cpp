// thread_pool.cpp - general purpose thread pool with delayed jobs and an
// isolated "run with deadline" helper for untrusted callbacks.

#include <sys/timerfd.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <functional>
#include <memory>
#include <mutex>
#include <queue>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace workq {

struct DelayedJob {
    std::chrono::milliseconds delay;
    std::function<void()> fn;
};

class ThreadPool {
public:
    explicit ThreadPool(std::size_t n);
    ~ThreadPool();

    ThreadPool(const ThreadPool &) = delete;
    ThreadPool &operator=(const ThreadPool &) = delete;

    void submit(std::function<void()> fn);
    std::size_t run_delayed(const std::vector<DelayedJob> &jobs);
    bool run_isolated(std::function<void()> fn, std::chrono::milliseconds limit);
    void resize(std::size_t n);
    std::size_t size() const { return workers_.size(); }

private:
    void worker_loop();
    void spawn_workers(std::size_t count);
    void retire_all();

    std::mutex mu_;
    std::condition_variable cv_;
    std::queue<std::function<void()>> tasks_;
    bool stopping_ = false;
    std::vector<std::thread> workers_;
};

struct IsolatedState {
    std::mutex mu;
    std::condition_variable cv;
    bool done = false;
};

static void join_all(std::vector<std::thread> &threads)
{
    for (auto &t : threads) {
        if (t.joinable())
            t.join();
    }
    threads.clear();
}

ThreadPool::ThreadPool(std::size_t n)
{
    spawn_workers(n);
}

ThreadPool::~ThreadPool()
{
    retire_all();
}

void ThreadPool::spawn_workers(std::size_t count)
{
    workers_.reserve(workers_.size() + count);
    for (std::size_t i = 0; i < count; ++i) {
        std::thread t(&ThreadPool::worker_loop, this);
        workers_.push_back(std::move(t));
    }
}

void ThreadPool::retire_all()
{
    {
        std::lock_guard<std::mutex> lk(mu_);
        stopping_ = true;
    }
    cv_.notify_all();
    join_all(workers_);
}

void ThreadPool::resize(std::size_t n)
{
    retire_all();
    {
        std::lock_guard<std::mutex> lk(mu_);
        stopping_ = false;
    }
    spawn_workers(n);
}

void ThreadPool::worker_loop()
{
    for (;;) {
        std::function<void()> task;
        {
            std::unique_lock<std::mutex> lk(mu_);
            cv_.wait(lk, [this] { return stopping_ || !tasks_.empty(); });
            if (stopping_ && tasks_.empty())
                return;
            task = std::move(tasks_.front());
            tasks_.pop();
        }
        task();
    }
}

void ThreadPool::submit(std::function<void()> fn)
{
    {
        std::lock_guard<std::mutex> lk(mu_);
        tasks_.push(std::move(fn));
    }
    cv_.notify_one();
}

// Waits out each job's delay on a timerfd, then queues the job.  Jobs are
// processed in order; the call returns once all of them are queued.
std::size_t ThreadPool::run_delayed(const std::vector<DelayedJob> &jobs)
{
    std::size_t queued = 0;

    for (const auto &job : jobs) {
        if (job.delay.count() <= 0) {
            submit(job.fn);
            ++queued;
            continue;
        }
        int fd = ::timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC); /* expect: created-in-loop */
        if (fd < 0)
            continue;

        itimerspec its{};
        its.it_value.tv_sec = static_cast<time_t>(job.delay.count() / 1000);
        its.it_value.tv_nsec = static_cast<long>(job.delay.count() % 1000) * 1000000L;
        if (::timerfd_settime(fd, 0, &its, nullptr) != 0)
            continue;

        std::uint64_t expirations = 0;
        if (::read(fd, &expirations, sizeof expirations) == static_cast<ssize_t>(sizeof expirations)) {
            submit(job.fn);
            ++queued;
        }
        ::close(fd);
    }
    return queued;
}

// Runs fn on a dedicated thread and waits at most `limit` for it.
bool ThreadPool::run_isolated(std::function<void()> fn, std::chrono::milliseconds limit)
{
    auto state = std::make_shared<IsolatedState>();

    std::thread t([state, fn = std::move(fn)] { /* expect: thread-joinable-destroyed */
        fn();
        std::lock_guard<std::mutex> lk(state->mu);
        state->done = true;
        state->cv.notify_all();
    });

    std::unique_lock<std::mutex> lk(state->mu);
    if (!state->cv.wait_for(lk, limit, [&state] { return state->done; })) {
        std::fprintf(stderr, "workq: isolated task exceeded %lld ms\n",
                     static_cast<long long>(limit.count()));
        return false;
    }
    lk.unlock();
    t.join();
    return true;
}

} // namespace workq

// Runs a list of commands concurrently, one thread each, and waits for all.
int run_parallel(const std::vector<std::function<int()>> &cmds)
{
    std::vector<std::thread> threads;
    std::vector<int> results(cmds.size(), 0);

    threads.reserve(cmds.size());
    for (std::size_t i = 0; i < cmds.size(); ++i)
        threads.emplace_back([&results, &cmds, i] { results[i] = cmds[i](); });

    workq::join_all(threads);

    int failures = 0;
    for (int r : results)
        failures += r != 0;
    return failures;
}
