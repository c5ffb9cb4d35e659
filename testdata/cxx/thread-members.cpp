// flags: -std=c++17
// #12 class 7: std::thread members and temporaries. A member no function
// of the file joins, detaches, moves or hands on is destroyed joinable with
// its object (std::terminate): thread-joinable-destroyed where it starts.
// A temporary std::thread as a statement dies joinable at its end.
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

static void join_if(std::thread &t)
{
    if (t.joinable())
        t.join();
}

// bad: the destructor only signals the worker
class Uploader {
public:
    Uploader() : running_(true), worker_(&Uploader::run, this) {} /* expect: thread-joinable-destroyed */
    ~Uploader()
    {
        running_ = false;
        cv_.notify_all();
    }

private:
    void run() {}
    std::atomic<bool> running_;
    std::condition_variable cv_;
    std::thread worker_;
};

// bad: started by a member function, never ended by any
class Poller {
public:
    void start() { t_ = std::thread(&Poller::poll, this); } /* expect: thread-joinable-destroyed */
    void pause() { paused_ = true; }

private:
    void poll() {}
    bool paused_ = false;
    std::thread t_;
};

// good: joined in the destructor
class Sampler {
public:
    Sampler() : t_(&Sampler::run, this) {}
    ~Sampler() { t_.join(); }

private:
    void run() {}
    std::thread t_;
};

// good: joined through a reference helper in stop()
class Flusher {
public:
    void start() { t_ = std::thread(&Flusher::run, this); }
    void stop() { join_if(t_); }

private:
    void run() {}
    std::thread t_;
};

// good: detached where it starts
class Beacon {
public:
    void start() { t_ = std::thread([] {}); t_.detach(); }

private:
    std::thread t_;
};

// good: joined through a pointer
class Watcher {
public:
    Watcher() : t_([] {}) {}
    ~Watcher()
    {
        std::thread *p = &t_;
        if (p->joinable())
            p->join();
    }

private:
    std::thread t_;
};

// good: moved into a pool that joins
class Spawner {
public:
    void spawn()
    {
        t_ = std::thread([] {});
        pool_.push_back(std::move(t_));
    }
    ~Spawner()
    {
        for (auto &t : pool_)
            t.join();
    }

private:
    std::thread t_;
    std::vector<std::thread> pool_;
};

// bad: a temporary dies joinable at the end of the statement
void kick(int n)
{
    std::thread([n] { (void)n; }); /* expect: thread-joinable-destroyed */
}

// good: temporaries detached or joined in the same statement
void kick_detached(int n)
{
    std::thread([n] { (void)n; }).detach();
    std::thread([n] { (void)n; }).join();
}
