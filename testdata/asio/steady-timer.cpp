// flags: -std=c++20
// scan: --link
/* Asio's steady_timer (standalone Asio from libasio-dev). The destructor
 * cancels any wait, so a local timer is released where its scope ends: the
 * bug is a worker still using it then. */
#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>
#include <chrono>
#include <thread>

extern int configure() noexcept;

/* bad: the detached thread waits on t, which is destroyed at return */
int bad_timer_destroyed_under_thread(asio::io_context &io)
{
    asio::steady_timer t(io); /* expect: stop-too-late */
    t.expires_after(std::chrono::seconds(1));
    std::thread th([&t] { t.wait(); }); /* note[stop-too-late]: thread 'th' created here by std::thread::thread() */
    th.detach(); /* note[stop-too-late]: detached here by std::thread::detach() */
    return configure(); /* note[stop-too-late]: 't' released here by deferred cleanup (the destructor of 't') while thread 'th' */
}

/* good: joined before the timer goes away */
int good_thread_joined(asio::io_context &io)
{
    asio::steady_timer t(io);
    t.expires_after(std::chrono::milliseconds(10));
    std::thread th([&t] { t.wait(); });
    th.join();
    return configure();
}

/* good: a local timer is cancelled by its destructor, armed or not */
void good_local_timer(asio::io_context &io, bool arm)
{
    asio::steady_timer t(io);
    if (arm)
        t.expires_after(std::chrono::seconds(5));
    t.async_wait([](const std::error_code &) {});
}

/* good: the thread owns its own timer */
void good_thread_with_own_timer(asio::io_context &io)
{
    std::thread th([&io] {
        asio::steady_timer own(io);
        own.expires_after(std::chrono::milliseconds(1));
        own.wait();
    });
    th.detach();
}

/* good: a member timer is cancelled with its owner */
struct Session {
    asio::steady_timer idle;
    explicit Session(asio::io_context &io) : idle(io) {}
    void touch() { idle.expires_after(std::chrono::seconds(30)); }
};
