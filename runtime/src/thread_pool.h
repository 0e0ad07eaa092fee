//===- thread_pool.h - The runtime's worker threads -------------*- C++ -*-===//
//
// One pool per session. Kernels run on its workers, and so does the
// intra-kernel parallelism of generated code (the MLIR async runtime API in
// async_runtime.cpp submits to the pool of the calling worker). A thread
// that blocks waiting for pool work runs queued tasks meanwhile, so nested
// waits never deadlock however few workers there are. A pool may count its
// caller among its threads: then it starts one worker fewer, and whoever
// waits for its work (a session's caller) runs it too, which saves the
// hand-offs between threads (waking a worker, waking the caller) that a
// run would otherwise pay at its start and end.
//
//===----------------------------------------------------------------------===//
#ifndef HCC_RUNTIME_THREAD_POOL_H
#define HCC_RUNTIME_THREAD_POOL_H

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace hcc {
namespace rt {

class ThreadPool {
public:
  /// threads <= 0 means one per hardware thread. Throws std::system_error
  /// (with no thread left running) when the threads cannot be started.
  explicit ThreadPool(int threads) : ThreadPool(threads, false) {}
  /// With `callerRuns`, threads - 1 workers start (none for one thread):
  /// the last thread is one that helps (helpUntil), as worker threads - 1.
  ThreadPool(int threads, bool callerRuns);
  /// Finishes queued tasks, then joins the workers.
  ~ThreadPool();
  ThreadPool(const ThreadPool &) = delete;
  ThreadPool &operator=(const ThreadPool &) = delete;

  void submit(std::function<void()> task);
  /// Like submit, but called from a worker of this pool while it runs a
  /// task at its top level, the task runs on that worker as soon as its
  /// current task returns, ahead of the queue (unless one already waits). A
  /// finished kernel hands its successor on this way: the successor finds
  /// its inputs in this core's cache and skips a round trip through the
  /// queue. Elsewhere (other threads, tasks run while helping) it queues.
  void submitNext(std::function<void()> task);
  /// Runs one queued task on the calling thread; false if none was queued
  /// or another thread held the queue's lock (pollers call it again).
  bool runOne();
  /// Runs queued tasks on this thread (with this pool current) until
  /// ready() holds, sleeping on the pool's own condition, which submit()
  /// and signalDone() notify: the caller's part in a pool that counts it.
  void helpUntil(const std::function<bool()> &ready);
  /// Runs `done` (what makes a helper's ready() true) under the pool's lock
  /// and wakes the helpers. The pool stays alive until the helper returns.
  void signalDone(const std::function<void()> &done);
  /// Whether tasks are queued (a lock-free hint for spinning waiters).
  bool hasQueued() const { return queued.load(std::memory_order_acquire) > 0; }
  /// The threads the pool's work runs on (its workers and its caller).
  int size() const { return threads; }
  /// Whether the pool counts on a helper among its threads.
  bool runsOnCaller() const { return callerRuns; }

  /// The pool whose worker is calling, or the one installed by a
  /// ScopedCurrentPool; nullptr elsewhere.
  static ThreadPool *current();
  /// Index of the calling worker in its pool; -1 on other threads.
  static int currentWorkerIndex();
  /// A process-wide pool for async API calls made outside any pool
  /// (created on first use, never destroyed).
  static ThreadPool &fallback();
  /// How many times this process is a child of fork since the runtime
  /// first looked: pools and sessions made before a fork are unusable in
  /// the child (their threads are gone, their locks may be held).
  static unsigned forks();

  /// Makes `pool` current on this thread for the scope (for code that runs
  /// kernels on a non-worker thread, and for tests).
  class ScopedCurrentPool {
  public:
    explicit ScopedCurrentPool(ThreadPool *pool);
    ~ScopedCurrentPool();

  private:
    ThreadPool *saved;
  };

  /// How long an idle worker polls for new tasks, and a waiter for what it
  /// waits on, before it sleeps: waking a sleeping thread costs tens of
  /// microseconds (more in a virtual machine), the length of a small
  /// kernel's whole parallel loop.
  static constexpr int kSpinMicroseconds = 300;

private:
  /// Finishes queued tasks, then joins the workers.
  void stop();
  void workerLoop(int index);
  /// Takes the oldest queued task; false if none, or if another thread
  /// holds the lock (see popTask).
  bool popTask(std::function<void()> &task);
  /// Runs `task`, then what it handed on with submitNext, in a loop.
  void runChain(std::function<void()> task);
  /// Polls `queued` for up to kSpinMicroseconds; true if work arrived.
  bool spinForWork();

  std::mutex mu;
  std::condition_variable cv;
  std::deque<std::function<void()>> queue;
  /// queue.size(), readable without the lock (spinning workers).
  std::atomic<int> queued{0};
  bool stopping = false;
  int threads = 1;
  bool callerRuns = false;
  /// Helpers asleep in helpUntil (guarded by mu).
  int sleepingHelpers = 0;
  std::vector<std::thread> workers;
};

/// Blocks until ready() holds, running tasks of the current (or fallback)
/// pool meanwhile; `mu`/`cv` are notified by whoever makes ready() true.
void helpUntil(const std::function<bool()> &ready, std::mutex &mu,
               std::condition_variable &cv);

} // namespace rt
} // namespace hcc

#endif // HCC_RUNTIME_THREAD_POOL_H
