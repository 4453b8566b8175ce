// The real clock: wall time from the system clock and waits that really sleep. Tests use a
// fake Clock instead, so no test ever sleeps.
#include <thread>

#include "stackaudit/connectors/http.hpp"

namespace stackaudit::connectors::http {

namespace {

class SystemClock final : public Clock {
public:
    TimePoint now() override { return std::chrono::system_clock::now(); }
    void sleep_for(Millis duration) override {
        if (duration > Millis{0}) std::this_thread::sleep_for(duration);
    }
};

}  // namespace

Clock& system_clock() {
    static SystemClock clock;
    return clock;
}

}  // namespace stackaudit::connectors::http
