// flags: -std=c++17
/* POSIX threads from C++: nullptr attributes, lambdas as start routines,
 * handles kept in members (escaped), and what is not lowered yet. */
#include <pthread.h>
#include <memory>
#include <thread>
#include <vector>

struct Pool {
  std::vector<std::thread> threads;
  pthread_t monitor;

  /* good: the member handle is owned by the object (joined in stop) */
  void start()
  {
    for (int i = 0; i < 4; i++)
      threads.emplace_back([this] { work(); });
    pthread_create(&monitor, nullptr, [](void *) -> void * { return nullptr; }, nullptr);
  }
  void stop()
  {
    for (auto &t : threads)
      t.join();
    pthread_join(monitor, nullptr);
  }
  void work() {}
};

/* bad: a nullptr attribute is no attribute: the thread is joinable */
int bad_lambda_thread_never_joined()
{
    pthread_t t;
    if (pthread_create(&t, nullptr, [](void *) -> void * { return nullptr; }, nullptr) != 0) /* expect: missing-join */
        return -1;
    auto guard = std::make_unique<int>(3);
    return *guard;
}

/* good: joined before the scope guard goes away */
int good_lambda_thread_joined()
{
    pthread_t t;
    if (pthread_create(&t, NULL, [](void *) -> void * { return nullptr; }, nullptr) != 0)
        return -1;
    auto guard = std::make_unique<int>(3);
    pthread_join(t, nullptr);
    return *guard;
}

/* bad, not found yet: function templates are not lowered (only their
 * instantiations would be, and libclang exposes none by cursor) */
template <typename T> int bad_in_template(T x)
{
    pthread_t t;
    if (pthread_create(&t, nullptr, nullptr, nullptr)) /* known-gap: missing-join */
        return -1;
    return (int)x;
}

int use_template() { return bad_in_template(1); }
