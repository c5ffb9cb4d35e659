// flags: -std=c++17
// #12 class 2 in C++: a timer in an object from `new` is lost by
// `delete` of that object (no destructor deletes it), or by the pointer
// dying. A destructor that deletes the timer, or a container taking the
// pointer, is no finding.
#include <signal.h>
#include <time.h>

#include <map>

struct Expiry {
    timer_t id;
    int owner;
};

struct OwnedExpiry {
    timer_t id;
    ~OwnedExpiry() { timer_delete(id); }
};

class Table {
public:
    bool open(int who, bool full);
    bool open_owned(bool full);
    bool keep(int who);

private:
    std::map<int, Expiry *> items_;
};

// bad: the full table deletes the holder, the timer keeps its slot
bool Table::open(int who, bool full)
{
    auto *e = new Expiry{};
    e->owner = who;
    if (timer_create(CLOCK_MONOTONIC, nullptr, &e->id) != 0) { /* expect: missing-stop */
        delete e;
        return false;
    }
    if (full) {
        delete e;
        return false;
    }
    items_.emplace(who, e);
    return true;
}

// good: the destructor deletes the timer
bool Table::open_owned(bool full)
{
    auto *e = new OwnedExpiry{};
    if (timer_create(CLOCK_MONOTONIC, nullptr, &e->id) != 0) {
        delete e;
        return false;
    }
    if (full) {
        delete e;
        return false;
    }
    delete e;
    return true;
}

// good: the container keeps it
bool Table::keep(int who)
{
    Expiry *e = new Expiry();
    if (timer_create(CLOCK_MONOTONIC, nullptr, &e->id) != 0) {
        delete e;
        return false;
    }
    items_[who] = e;
    return true;
}
