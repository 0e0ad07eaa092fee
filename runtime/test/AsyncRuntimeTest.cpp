//===- AsyncRuntimeTest.cpp - Thread pool and MLIR async runtime API -----===//
//
// Drives the C API the way convert-async-to-llvm output does: tokens and
// groups, coroutine-style resume callbacks, blocking and non-blocking awaits.
//
//===----------------------------------------------------------------------===//

#include "async_runtime.h"
#include "thread_pool.h"

#include <atomic>
#include <chrono>
#include <future>
#include <gtest/gtest.h>
#include <thread>

using namespace hcc::rt;

namespace {

/// Async objects whose last reference a worker thread holds are released on
/// that thread just after it wakes the awaiting one, so "no live objects"
/// is checked with a grace period (2 s) instead of at one instant.
int64_t liveObjectsAfterWorkersSettle() {
  for (int i = 0; i < 2000 && asyncLiveObjects() != 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  return asyncLiveObjects();
}

TEST(ThreadPool, RunsEverySubmittedTask) {
  std::atomic<int> sum{0};
  {
    ThreadPool pool(3);
    EXPECT_EQ(pool.size(), 3);
    for (int i = 1; i <= 1000; ++i)
      pool.submit([&sum, i] { sum += i; });
  } // destructor drains the queue
  EXPECT_EQ(sum.load(), 500500);
}

TEST(ThreadPool, WorkersKnowTheirPool) {
  ThreadPool pool(2);
  std::promise<std::pair<ThreadPool *, int>> where;
  pool.submit([&] {
    where.set_value({ThreadPool::current(), ThreadPool::currentWorkerIndex()});
  });
  auto got = where.get_future().get();
  EXPECT_EQ(got.first, &pool);
  EXPECT_GE(got.second, 0);
  EXPECT_EQ(ThreadPool::current(), nullptr);
}

TEST(ThreadPool, OneThreadRunsOnItsCaller) {
  // A one-thread pool whose caller runs the work starts no worker: tasks
  // (and what they queue) run on the thread that helps, as worker 0.
  ThreadPool pool(1, /*callerRuns=*/true);
  EXPECT_TRUE(pool.runsOnCaller());
  EXPECT_EQ(pool.size(), 1);
  std::thread::id here = std::this_thread::get_id();
  std::atomic<int> onCaller{0}, asWorker0{0};
  std::atomic<bool> done{false};
  auto check = [&] {
    onCaller += std::this_thread::get_id() == here;
    asWorker0 +=
        ThreadPool::current() == &pool && ThreadPool::currentWorkerIndex() == 0;
  };
  pool.submit([&] {
    check();
    pool.submit([&] {
      check();
      pool.signalDone([&] { done = true; });
    });
  });
  pool.helpUntil([&] { return done.load(); });
  EXPECT_EQ(onCaller.load(), 2);
  EXPECT_EQ(asWorker0.load(), 2);
  EXPECT_EQ(ThreadPool::current(), nullptr);
  EXPECT_EQ(ThreadPool::currentWorkerIndex(), -1);
}

TEST(ThreadPool, HelperWakesForWorkFromOtherThreads) {
  // Work queued by another thread (a device's completion) while the caller
  // sleeps wakes it; so does the end signalled from another thread.
  ThreadPool pool(1, /*callerRuns=*/true);
  std::atomic<bool> ran{false}, done{false};
  std::thread device([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    pool.submit([&] { ran = true; });
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    pool.signalDone([&] { done = true; });
  });
  pool.helpUntil([&] { return done.load(); });
  device.join();
  EXPECT_TRUE(ran.load());
}

TEST(ThreadPool, SubmitNextRunsOnTheSameWorkerAfterItsTask) {
  // A chain of 100 tasks each handing on the next: all run on the worker
  // that took the first, one after another, never nested. (The pool is
  // declared last: it joins its workers before the locals they touch die.)
  std::atomic<int> steps{0}, depth{0}, deepest{0};
  std::atomic<bool> sameWorker{true};
  std::promise<void> done;
  ThreadPool pool(4);
  std::function<void(int, int)> step = [&](int left, int worker) {
    int d = ++depth;
    deepest = std::max(deepest.load(), d);
    if (ThreadPool::currentWorkerIndex() != worker)
      sameWorker = false;
    ++steps;
    if (left != 0)
      pool.submitNext([&, left, worker] { step(left - 1, worker); });
    --depth;
    // Last: the test's locals die once it is signalled.
    if (left == 0)
      done.set_value();
  };
  pool.submit([&] { step(99, ThreadPool::currentWorkerIndex()); });
  done.get_future().get();
  EXPECT_EQ(steps.load(), 100);
  EXPECT_TRUE(sameWorker.load());
  EXPECT_EQ(deepest.load(), 1);
}

TEST(ThreadPool, SubmitNextQueuesWhatItCannotKeep) {
  // One worker, so whatever is queued runs only if someone helps.
  std::atomic<int> ran{0};
  std::atomic<bool> handedOn{false};
  std::promise<bool> helped;
  ThreadPool pool(1);
  pool.submitNext([&] { ++ran; }); // off the pool: queued
  pool.submit([&] {
    pool.submitNext([&] { ++ran; });
    pool.submitNext([&] { ++ran; }); // the slot is taken: queued
  });
  pool.submit([&] {
    // A task run while helping hands on through the queue: the helper
    // finds it there instead of deadlocking on its own slot.
    pool.submit([&] { pool.submitNext([&] { handedOn = true; }); });
    auto start = std::chrono::steady_clock::now();
    while (!handedOn.load() &&
           std::chrono::steady_clock::now() - start < std::chrono::seconds(2))
      pool.runOne();
    helped.set_value(handedOn.load());
  });
  EXPECT_TRUE(helped.get_future().get());
  for (int i = 0; i < 2000 && ran.load() < 3; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  EXPECT_EQ(ran.load(), 3);
}

TEST(AsyncRuntime, KernelsSeeTheirWorkerIndex) {
  // Generated parallel loops start at the part of this index.
  EXPECT_EQ(hcc_cpu_worker_index(), -1);
  ThreadPool pool(2);
  std::promise<std::pair<int64_t, int>> seen;
  pool.submit([&] {
    seen.set_value({hcc_cpu_worker_index(), ThreadPool::currentWorkerIndex()});
  });
  auto got = seen.get_future().get();
  EXPECT_GE(got.first, 0);
  EXPECT_LT(got.first, 2);
  EXPECT_EQ(got.first, got.second);
}

/// One block of a parallel-for: emplaces its token when done.
struct Block {
  std::atomic<int> *counter;
  HccAsyncToken *token;
};
void runBlock(void *p) {
  auto *b = static_cast<Block *>(p);
  b->counter->fetch_add(1);
  mlirAsyncRuntimeEmplaceToken(b->token);
}

/// What async-parallel-for generates for a kernel: dispatch blocks with
/// mlirAsyncRuntimeExecute, await the group, drop references.
void parallelFor(int n, std::atomic<int> &counter) {
  std::vector<Block> blocks(n);
  HccAsyncGroup *group = mlirAsyncRuntimeCreateGroup(n);
  for (int i = 0; i < n; ++i) {
    blocks[i] = {&counter, mlirAsyncRuntimeCreateToken()};
    EXPECT_EQ(mlirAsyncRuntimeAddTokenToGroup(blocks[i].token, group), i);
    mlirAsyncRuntimeExecute(&blocks[i], runBlock);
  }
  mlirAsyncRuntimeAwaitAllInGroup(group);
  EXPECT_FALSE(mlirAsyncRuntimeIsGroupError(group));
  for (Block &b : blocks)
    mlirAsyncRuntimeDropRef(b.token, 1);
  mlirAsyncRuntimeDropRef(group, 1);
}

TEST(AsyncRuntime, ParallelForOnSessionPool) {
  for (int threads : {1, 2, 4}) {
    ThreadPool pool(threads);
    std::atomic<int> counter{0};
    std::promise<int64_t> workers;
    // Several "kernels" at once, each a parallel-for, on a pool possibly
    // smaller than the number of blocking waiters: must not deadlock.
    std::atomic<int> kernelsDone{0};
    for (int k = 0; k < 8; ++k)
      pool.submit([&] {
        parallelFor(64, counter);
        if (++kernelsDone == 8)
          workers.set_value(mlirAsyncRuntimGetNumWorkerThreads());
      });
    EXPECT_EQ(workers.get_future().get(), threads);
    EXPECT_EQ(counter.load(), 8 * 64);
  }
  EXPECT_EQ(liveObjectsAfterWorkersSettle(), 0);
}

TEST(AsyncRuntime, ParallelForOnCallerRunPool) {
  // A kernel's parallel loop on a pool without workers runs every block on
  // the helping caller, which the loop sees as one worker thread.
  ThreadPool pool(1, /*callerRuns=*/true);
  std::atomic<int> counter{0};
  std::atomic<int64_t> workers{0};
  std::atomic<bool> done{false};
  pool.submit([&] {
    parallelFor(64, counter);
    workers = mlirAsyncRuntimGetNumWorkerThreads();
    pool.signalDone([&] { done = true; });
  });
  pool.helpUntil([&] { return done.load(); });
  EXPECT_EQ(counter.load(), 64);
  EXPECT_EQ(workers.load(), 1);
  EXPECT_EQ(liveObjectsAfterWorkersSettle(), 0);
}

TEST(AsyncRuntime, OutsideAnyPoolUsesFallback) {
  std::atomic<int> counter{0};
  parallelFor(16, counter);
  EXPECT_EQ(counter.load(), 16);
  EXPECT_EQ(liveObjectsAfterWorkersSettle(), 0);
}

struct Resume {
  std::atomic<int> *resumed;
  std::promise<void> *done;
};
void resumeFn(void *p) {
  auto *r = static_cast<Resume *>(p);
  r->resumed->fetch_add(1);
  r->done->set_value();
}

TEST(AsyncRuntime, AwaitAndExecuteResumesOnceReady) {
  ThreadPool pool(2);
  ThreadPool::ScopedCurrentPool scope(&pool);
  std::atomic<int> resumed{0};
  std::promise<void> done;
  Resume r{&resumed, &done};
  HccAsyncToken *token = mlirAsyncRuntimeCreateToken();
  mlirAsyncRuntimeAwaitTokenAndExecute(token, &r, resumeFn);
  EXPECT_EQ(resumed.load(), 0); // not ready yet: the coroutine is parked
  mlirAsyncRuntimeEmplaceToken(token);
  done.get_future().get();
  EXPECT_EQ(resumed.load(), 1);
  EXPECT_FALSE(mlirAsyncRuntimeIsTokenError(token));
  mlirAsyncRuntimeDropRef(token, 1);

  // Errors propagate to groups.
  HccAsyncGroup *group = mlirAsyncRuntimeCreateGroup(1);
  HccAsyncToken *bad = mlirAsyncRuntimeCreateToken();
  mlirAsyncRuntimeAddTokenToGroup(bad, group);
  std::promise<void> done2;
  Resume r2{&resumed, &done2};
  mlirAsyncRuntimeAwaitAllInGroupAndExecute(group, &r2, resumeFn);
  mlirAsyncRuntimeSetTokenError(bad);
  done2.get_future().get();
  EXPECT_TRUE(mlirAsyncRuntimeIsTokenError(bad));
  EXPECT_TRUE(mlirAsyncRuntimeIsGroupError(group));
  mlirAsyncRuntimeDropRef(bad, 1);
  mlirAsyncRuntimeDropRef(group, 1);
  EXPECT_EQ(liveObjectsAfterWorkersSettle(), 0);
}

TEST(AsyncRuntime, ValuesCarryStorage) {
  HccAsyncValue *value = mlirAsyncRuntimeCreateValue(sizeof(int64_t));
  std::thread producer([value] {
    *static_cast<int64_t *>(mlirAsyncRuntimeGetValueStorage(value)) = 42;
    mlirAsyncRuntimeEmplaceValue(value);
  });
  mlirAsyncRuntimeAwaitValue(value);
  EXPECT_EQ(*static_cast<int64_t *>(mlirAsyncRuntimeGetValueStorage(value)),
            42);
  EXPECT_FALSE(mlirAsyncRuntimeIsValueError(value));
  producer.join();
  mlirAsyncRuntimeDropRef(value, 1);
  EXPECT_EQ(liveObjectsAfterWorkersSettle(), 0);
}

} // namespace
