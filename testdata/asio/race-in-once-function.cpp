// flags: -std=c++17 -pthread
/*
 * stop-too-late in a function that main() calls once: program lifetime
 * (class 9) excuses what such a function leaves alive at the end, since
 * the process ends it, but not a release under a running worker: the
 * function returns into a program that goes on (here for a minute) while
 * the detached worker still uses the timer its return destroyed. Only
 * main's own return ends the process.
 */
#include <asio.hpp>
#include <chrono>
#include <thread>

using namespace std::chrono_literals;

void emit(int i);

static void pace(asio::io_context &io, int count)
{
    asio::steady_timer beat(io); /* expect: stop-too-late */
    std::thread ticker([&beat, count] {
        for (int i = 0; i < count; ++i) {
            beat.expires_after(200ms);
            beat.wait();
            emit(i);
        }
    });
    ticker.detach();
}

/* good: joined before the timer goes */
static void pace_joined(asio::io_context &io, int count)
{
    asio::steady_timer beat(io);
    std::thread ticker([&beat, count] {
        for (int i = 0; i < count; ++i) {
            beat.expires_after(200ms);
            beat.wait();
            emit(i);
        }
    });
    ticker.join();
}

/* good, by the lifetime rule: main's own return is the process's exit,
 * which ends the detached worker with everything else */
int main(int argc, char **argv)
{
    (void)argv;
    asio::io_context io;
    pace(io, argc);
    pace_joined(io, argc);
    asio::steady_timer last(io);
    std::thread tail([&last] {
        last.expires_after(1s);
        last.wait();
        emit(-1);
    });
    tail.detach();
    std::this_thread::sleep_for(60s);
    return 0;
}
