//===- async_runtime.cpp - MLIR async runtime C API over our pool --------===//
//
// Same contract as MLIR's reference AsyncRuntime.cpp (reference counts,
// tokens and values created with two references: one for the caller, one
// dropped when emplaced), but tasks go to the session's ThreadPool and
// blocking awaits help run queued tasks instead of just sleeping.
//
//===----------------------------------------------------------------------===//

#include "async_runtime.h"
#include "thread_pool.h"

#include <atomic>
#include <cstdio>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

using hcc::rt::ThreadPool;

namespace {

std::atomic<int64_t> liveObjects{0};

struct RefCounted {
  explicit RefCounted(int64_t refs) : refCount(refs) { ++liveObjects; }
  virtual ~RefCounted() { --liveObjects; }
  void addRef(int64_t n) { refCount.fetch_add(n); }
  void dropRef(int64_t n) {
    if (refCount.fetch_sub(n) == n)
      delete this;
  }
  std::atomic<int64_t> refCount;
};

enum class State : int8_t { Unavailable, Available, Error };

/// Shared by tokens and values: a terminal state plus awaiters to run when
/// it is reached.
struct Awaitable : RefCounted {
  using RefCounted::RefCounted;
  std::atomic<State> state{State::Unavailable};
  std::mutex mu;
  std::condition_variable cv;
  std::vector<std::function<void()>> awaiters;

  bool ready() const { return state.load() != State::Unavailable; }

  void setState(State s) {
    std::vector<std::function<void()>> toRun;
    {
      std::lock_guard<std::mutex> lock(mu);
      state.store(s);
      toRun.swap(awaiters);
    }
    cv.notify_all();
    for (auto &fn : toRun)
      fn();
    // Drop the reference held on behalf of the producing task.
    dropRef(1);
  }

  void onReady(std::function<void()> fn) {
    {
      std::unique_lock<std::mutex> lock(mu);
      if (!ready()) {
        awaiters.push_back(std::move(fn));
        return;
      }
    }
    fn();
  }

  void await() {
    if (!ready())
      hcc::rt::helpUntil([this] { return ready(); }, mu, cv);
  }
};

ThreadPool &poolForCaller() {
  ThreadPool *pool = ThreadPool::current();
  return pool ? *pool : ThreadPool::fallback();
}

} // namespace

struct HccAsyncToken : Awaitable {
  HccAsyncToken() : Awaitable(2) {}
};

struct HccAsyncValue : Awaitable {
  explicit HccAsyncValue(int64_t size)
      : Awaitable(2), storage(static_cast<size_t>(size > 0 ? size : 0)) {}
  std::vector<unsigned char> storage;
};

struct HccAsyncGroup : RefCounted {
  explicit HccAsyncGroup(int64_t size)
      : RefCounted(1), pending(static_cast<int>(size)) {}
  std::atomic<int> pending;
  std::atomic<int> errors{0};
  std::atomic<int> rank{0};
  std::mutex mu;
  std::condition_variable cv;
  std::vector<std::function<void()>> awaiters;

  bool ready() const { return pending.load() <= 0; }

  void tokenDone(bool error) {
    if (error)
      errors.fetch_add(1);
    std::vector<std::function<void()>> toRun;
    {
      std::lock_guard<std::mutex> lock(mu);
      if (pending.fetch_sub(1) != 1)
        return;
      toRun.swap(awaiters);
    }
    cv.notify_all();
    for (auto &fn : toRun)
      fn();
  }
};

namespace hcc {
namespace rt {
int64_t asyncLiveObjects() { return liveObjects.load(); }
} // namespace rt
} // namespace hcc

void mlirAsyncRuntimeAddRef(void *obj, int64_t count) {
  static_cast<RefCounted *>(obj)->addRef(count);
}

void mlirAsyncRuntimeDropRef(void *obj, int64_t count) {
  static_cast<RefCounted *>(obj)->dropRef(count);
}

HccAsyncToken *mlirAsyncRuntimeCreateToken() { return new HccAsyncToken(); }

HccAsyncValue *mlirAsyncRuntimeCreateValue(int64_t size) {
  return new HccAsyncValue(size);
}

HccAsyncGroup *mlirAsyncRuntimeCreateGroup(int64_t size) {
  return new HccAsyncGroup(size);
}

int64_t mlirAsyncRuntimeAddTokenToGroup(HccAsyncToken *token,
                                        HccAsyncGroup *group) {
  int64_t rank = group->rank.fetch_add(1);
  // The group must outlive the token's completion callback.
  group->addRef(1);
  token->onReady([token, group] {
    group->tokenDone(token->state.load() == State::Error);
    group->dropRef(1);
  });
  return rank;
}

void mlirAsyncRuntimeEmplaceToken(HccAsyncToken *token) {
  token->setState(State::Available);
}
void mlirAsyncRuntimeEmplaceValue(HccAsyncValue *value) {
  value->setState(State::Available);
}
void mlirAsyncRuntimeSetTokenError(HccAsyncToken *token) {
  token->setState(State::Error);
}
void mlirAsyncRuntimeSetValueError(HccAsyncValue *value) {
  value->setState(State::Error);
}
bool mlirAsyncRuntimeIsTokenError(HccAsyncToken *token) {
  return token->state.load() == State::Error;
}
bool mlirAsyncRuntimeIsValueError(HccAsyncValue *value) {
  return value->state.load() == State::Error;
}
bool mlirAsyncRuntimeIsGroupError(HccAsyncGroup *group) {
  return group->errors.load() > 0;
}

void mlirAsyncRuntimeAwaitToken(HccAsyncToken *token) { token->await(); }
void mlirAsyncRuntimeAwaitValue(HccAsyncValue *value) { value->await(); }

void mlirAsyncRuntimeAwaitAllInGroup(HccAsyncGroup *group) {
  if (!group->ready())
    hcc::rt::helpUntil([group] { return group->ready(); }, group->mu,
                       group->cv);
}

void *mlirAsyncRuntimeGetValueStorage(HccAsyncValue *value) {
  return value->storage.data();
}

void mlirAsyncRuntimeExecute(HccCoroHandle handle, HccCoroResume resume) {
  poolForCaller().submit([handle, resume] { resume(handle); });
}

void mlirAsyncRuntimeAwaitTokenAndExecute(HccAsyncToken *token,
                                          HccCoroHandle handle,
                                          HccCoroResume resume) {
  token->onReady([handle, resume] { resume(handle); });
}

void mlirAsyncRuntimeAwaitValueAndExecute(HccAsyncValue *value,
                                          HccCoroHandle handle,
                                          HccCoroResume resume) {
  value->onReady([handle, resume] { resume(handle); });
}

void mlirAsyncRuntimeAwaitAllInGroupAndExecute(HccAsyncGroup *group,
                                               HccCoroHandle handle,
                                               HccCoroResume resume) {
  {
    std::unique_lock<std::mutex> lock(group->mu);
    if (!group->ready()) {
      group->awaiters.push_back([handle, resume] { resume(handle); });
      return;
    }
  }
  resume(handle);
}

int64_t mlirAsyncRuntimGetNumWorkerThreads() { return poolForCaller().size(); }

int64_t hcc_cpu_worker_index() { return ThreadPool::currentWorkerIndex(); }

void mlirAsyncRuntimePrintCurrentThreadId() {
  std::printf("Current thread id: %d\n", ThreadPool::currentWorkerIndex());
}
