// thread_priority.cpp: lower_current_thread_priority (declared in the public engine.h).
#include <ponder/engine.h>

#if defined(_WIN32)
#include <windows.h>
#elif defined(__APPLE__)
#include <pthread.h>
#include <sys/qos.h>
#elif defined(__linux__)
#include <sys/resource.h>
#include <unistd.h>
#endif

namespace ponder {

namespace {
[[maybe_unused]] constexpr int kNiceStep = 2;
}  // namespace

void lower_current_thread_priority() {
#if defined(_WIN32)
    SetThreadPriority(GetCurrentThread(), THREAD_PRIORITY_BELOW_NORMAL);
#elif defined(__APPLE__)
    pthread_set_qos_class_self_np(QOS_CLASS_UTILITY, 0);
#elif defined(__linux__)
    // On Linux a nice value belongs to a thread (its tid), not to the whole process. +2 is enough
    // for a UI thread to win a contended core, while other programs at normal priority take only
    // about a third more than their share from a busy engine (CFS weights 1024 : 655).
    const pid_t tid = gettid();
    const int now = getpriority(PRIO_PROCESS, static_cast<id_t>(tid));
    setpriority(PRIO_PROCESS, static_cast<id_t>(tid), now + kNiceStep > 19 ? 19 : now + kNiceStep);
#endif
}

}  // namespace ponder
