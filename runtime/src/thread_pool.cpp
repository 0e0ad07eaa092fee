//===- thread_pool.cpp - The runtime's worker threads --------------------===//

#include "thread_pool.h"

#include <chrono>
#include <new>
#include <pthread.h>
#include <string>
#include <system_error>

namespace hcc {
namespace rt {

namespace {
thread_local ThreadPool *currentPool = nullptr;
thread_local int currentIndex = -1;
// Where a worker keeps the task it runs next (submitNext); null when the
// calling thread is not a worker at its top level (runChain).
thread_local std::function<void()> *nextTask = nullptr;
} // namespace

ThreadPool::ThreadPool(int threads, bool callerRuns) {
  if (threads <= 0)
    threads =
        static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  this->threads = threads;
  this->callerRuns = callerRuns;
  int count = callerRuns ? threads - 1 : threads;
  workers.reserve(count);
  try {
    for (int i = 0; i < count; ++i)
      workers.emplace_back([this, i] { workerLoop(i); });
  } catch (const std::system_error &e) {
    // Joinable threads destroyed during unwinding would call
    // std::terminate: stop and join those that started.
    stop();
    throw std::system_error(e.code(), "cannot start " +
                                          std::to_string(threads) +
                                          " worker threads");
  }
}

void ThreadPool::stop() {
  {
    std::lock_guard<std::mutex> lock(mu);
    stopping = true;
  }
  cv.notify_all();
  for (std::thread &t : workers)
    t.join();
  workers.clear();
}

ThreadPool::~ThreadPool() { stop(); }

void ThreadPool::submit(std::function<void()> task) {
  {
    std::lock_guard<std::mutex> lock(mu);
    queue.push_back(std::move(task));
    queued.fetch_add(1, std::memory_order_release);
  }
  cv.notify_one();
}

void ThreadPool::submitNext(std::function<void()> task) {
  if (currentPool != this || !nextTask || *nextTask)
    return submit(std::move(task));
  *nextTask = std::move(task);
}

void ThreadPool::runChain(std::function<void()> task) {
  std::function<void()> next;
  nextTask = &next;
  for (;;) {
    task();
    if (!next)
      break;
    task = std::move(next);
    next = nullptr;
  }
  nextTask = nullptr;
}

bool ThreadPool::spinForWork() {
  auto start = std::chrono::steady_clock::now();
  for (unsigned i = 1;; ++i) {
    if (queued.load(std::memory_order_acquire) > 0)
      return true;
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
    if (i % 64 == 0 && std::chrono::steady_clock::now() - start >
                           std::chrono::microseconds(kSpinMicroseconds))
      return false;
  }
}

bool ThreadPool::popTask(std::function<void()> &task) {
  // Pollers (a spinning worker, a helper) race for the same task: the one
  // that finds the lock taken goes back to polling rather than sleeping on
  // it, which in a virtual machine costs a futex wait and a wake-up (tens of
  // microseconds) for a task the other thread has most likely taken.
  std::unique_lock<std::mutex> lock(mu, std::try_to_lock);
  if (!lock.owns_lock())
    return false;
  if (queue.empty())
    return false;
  task = std::move(queue.front());
  queue.pop_front();
  queued.fetch_sub(1, std::memory_order_relaxed);
  return true;
}

bool ThreadPool::runOne() {
  std::function<void()> task;
  if (!popTask(task))
    return false;
  // A task run while helping must not keep its successor on this thread:
  // the helper's own work waits behind it.
  std::function<void()> *saved = nextTask;
  nextTask = nullptr;
  task();
  nextTask = saved;
  return true;
}

void ThreadPool::workerLoop(int index) {
  currentPool = this;
  currentIndex = index;
  for (;;) {
    // Kernels dispatch their tiles one after another: a worker that has
    // just finished polls briefly before it sleeps, since waking a sleeping
    // thread costs more than most tiles. Seeing work queued is no promise
    // of getting it (a waiter helping its own loop often takes it back):
    // a worker that loses the race polls again rather than sleeping.
    std::function<void()> task;
    if (spinForWork()) {
      if (popTask(task))
        runChain(std::move(task));
      continue;
    }
    {
      std::unique_lock<std::mutex> lock(mu);
      cv.wait(lock, [this] { return stopping || !queue.empty(); });
      if (queue.empty())
        return; // stopping, and everything queued has run
      task = std::move(queue.front());
      queue.pop_front();
      queued.fetch_sub(1, std::memory_order_relaxed);
    }
    runChain(std::move(task));
  }
}

namespace {
/// Until ready() holds: runs `pool`'s queued tasks (if `pool`), polls, and
/// after kSpinMicroseconds without a task calls sleep(), which returns when
/// it is worth looking again. A template: every await of a kernel's parallel
/// loop comes here, and a std::function of the callers' sleeps would
/// allocate.
template <typename Sleep>
void pollHelping(ThreadPool *pool, const std::function<bool()> &ready,
                 Sleep &&sleep) {
  auto spinStart = std::chrono::steady_clock::now();
  for (unsigned i = 1; !ready(); ++i) {
    if (pool && pool->hasQueued() && pool->runOne()) {
      spinStart = std::chrono::steady_clock::now();
      continue;
    }
    if (i % 64 != 0 ||
        std::chrono::steady_clock::now() - spinStart <
            std::chrono::microseconds(ThreadPool::kSpinMicroseconds)) {
#if defined(__x86_64__) || defined(__i386__)
      __builtin_ia32_pause();
#endif
      continue;
    }
    sleep();
  }
}
} // namespace

void ThreadPool::helpUntil(const std::function<bool()> &ready) {
  ScopedCurrentPool scope(this);
  // A helper of a pool that counts it is its last worker meanwhile.
  int savedIndex = currentIndex;
  if (callerRuns)
    currentIndex = static_cast<int>(workers.size());
  // Poll (and help) before sleeping, as workers do.
  pollHelping(this, ready, [&] {
    std::unique_lock<std::mutex> lock(mu);
    ++sleepingHelpers;
    cv.wait(lock, [&] { return !queue.empty() || ready(); });
    --sleepingHelpers;
  });
  currentIndex = savedIndex;
  // ready() may have held before signalDone released the lock: the caller
  // may destroy the pool as soon as this returns.
  std::lock_guard<std::mutex> lock(mu);
}

void ThreadPool::signalDone(const std::function<void()> &done) {
  std::lock_guard<std::mutex> lock(mu);
  done();
  if (sleepingHelpers > 0)
    cv.notify_all();
}

ThreadPool *ThreadPool::current() { return currentPool; }
int ThreadPool::currentWorkerIndex() { return currentIndex; }

namespace {
std::mutex fallbackMu;
ThreadPool *fallbackPool = nullptr;
std::atomic<unsigned> forkCount{0};

/// In a child of fork only the forking thread exists: every pool's workers
/// are gone, and locks their threads held stay held. The child makes a new
/// fallback pool on first use (the old one is leaked, its state possibly
/// mid-use, and its lock made anew); what was created before counts the
/// fork (ThreadPool::forks) and refuses to be used.
void afterForkInChild() {
  new (&fallbackMu) std::mutex();
  fallbackPool = nullptr;
  forkCount.fetch_add(1);
}

void watchForks() {
  static const int registered =
      pthread_atfork(nullptr, nullptr, afterForkInChild);
  (void)registered;
}
} // namespace

unsigned ThreadPool::forks() {
  watchForks();
  return forkCount.load();
}

ThreadPool &ThreadPool::fallback() {
  watchForks();
  std::lock_guard<std::mutex> lock(fallbackMu);
  // Leaked on purpose: joining workers during static destruction could race
  // with kernels still tearing down.
  if (!fallbackPool)
    fallbackPool = new ThreadPool(0);
  return *fallbackPool;
}

ThreadPool::ScopedCurrentPool::ScopedCurrentPool(ThreadPool *pool)
    : saved(currentPool) {
  currentPool = pool;
}
ThreadPool::ScopedCurrentPool::~ScopedCurrentPool() { currentPool = saved; }

void helpUntil(const std::function<bool()> &ready, std::mutex &mu,
               std::condition_variable &cv) {
  // What is awaited is usually the last tiles of a parallel loop running on
  // other workers: poll for it (and for tasks to help with) before sleeping.
  pollHelping(ThreadPool::current(), ready, [&] {
    // Nothing to help with: sleep until notified, but look at the queue
    // again soon in case the work we wait for gets queued meanwhile.
    std::unique_lock<std::mutex> lock(mu);
    cv.wait_for(lock, std::chrono::microseconds(200), ready);
  });
}

} // namespace rt
} // namespace hcc
