//===- session.h - Runs a model's kernel DAG --------------------*- C++ -*-===//
#ifndef HCC_RUNTIME_SESSION_H
#define HCC_RUNTIME_SESSION_H

#include "api_objects.h"
#include "device.h"
#include "execution_plan.h"
#include "model.h"
#include "thread_pool.h"
#include "trace.h"

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>

namespace hcc {
namespace rt {

/// Completion of one run; shared by the run and its hcc_fence.
struct RunFence {
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;
  Status status;
  /// `done`, readable without the lock (threads that poll while helping).
  std::atomic<bool> finished{false};
  void signal(Status s);
  Status wait();
};

class Session {
public:
  static Status create(Model *model, const hcc_session_options *options,
                       std::unique_ptr<Session> &out);
  /// Waits for an in-flight run and writes the requested trace.
  ~Session();

  /// Validates the binding, fills NULL output slots, and starts the run.
  /// The returned fence completes when every kernel finished.
  Status start(hcc_tensor_t *const *inputs, size_t nIn, hcc_tensor_t **outputs,
               size_t nOut, std::shared_ptr<RunFence> &fence);
  /// Validates and starts a run as start() does, then waits for it, running
  /// kernels meanwhile: the calling thread is one of the session's threads
  /// (its pool starts one worker fewer).
  Status run(hcc_tensor_t *const *inputs, size_t nIn, hcc_tensor_t **outputs,
             size_t nOut);
  /// Whether this process is a child of fork made after the session: the
  /// session must not be used (runs fail) nor destroyed (hcc_session_release
  /// leaks it) here.
  bool forkedAway() const { return ThreadPool::forks() != forksAtCreation; }

  Status writeTrace(const std::string &path) const {
    return trace.write(path, model->manifest());
  }
  hcc_memory_stats_t memoryStats() const;
  const TraceRecorder &traceRecorder() const { return trace; }
  const Manifest &manifest() const { return model->manifest(); }

  /// The device that runs manifest device `d` (null if nothing uses it).
  const Device *device(size_t d) const { return devices[d].get(); }

  /// A tensor in the memory of the session's `kind` device (not the host):
  /// the tensor keeps the device alive.
  Status createDeviceTensor(const std::string &kind, hcc_tensor *t);

private:
  struct RunState;
  explicit Session(Model *model);
  /// start() without the bookkeeping of a caller or a helper.
  Status begin(hcc_tensor_t *const *inputs, size_t nIn, hcc_tensor_t **outputs,
               size_t nOut, std::shared_ptr<RunFence> &fence);
  Status createDevices(const hcc_session_options *options);
  Status allocateMemory();
  Status preloadWeights();
  Status checkBinding(hcc_tensor_t *const *inputs, size_t nIn,
                      hcc_tensor_t **outputs, size_t nOut);
  Status bindDeviceTensors(RunState &run, hcc_tensor_t *const *inputs,
                           size_t nIn, hcc_tensor_t **outputs, size_t nOut);
  size_t deviceIndex(const Device *device) const;
  void launchKernel(const std::shared_ptr<RunState> &run, size_t k);
  void startTransfer(const std::shared_ptr<RunState> &run, size_t k,
                     Completion done);
  void completeKernel(const std::shared_ptr<RunState> &run, size_t k,
                      const Status &status, const KernelTiming &t);
  void finishRun(const std::shared_ptr<RunState> &run);
  /// An error when forkedAway().
  Status checkNotForked() const;
  /// Runs the pool's queued tasks on this thread until `fence` completes.
  void help(const std::shared_ptr<RunFence> &fence);
  /// Counts a call in progress (see `callers`) for its scope.
  struct CallerScope {
    explicit CallerScope(Session *s);
    ~CallerScope();
    Session *s;
  };

  Model *model;
  hcc_allocator_t allocator;
  std::string tracePath;
  std::unique_ptr<ThreadPool> pool;
  std::vector<std::shared_ptr<Device>> devices; // per manifest device
  ExecutionPlan plan;
  void *arena = nullptr;               // device 0's (host) arena
  std::vector<DeviceMemory> arenas;    // per device; [0] unused
  std::vector<DeviceMemory> deviceMem; // per buffer on a device other than 0
  std::vector<bool> persistent;        // per buffer: outside the arenas
  std::vector<bool> preloaded;         // per kernel: done once at creation
  TraceRecorder trace;
  size_t runCount = 0;
  unsigned forksAtCreation = ThreadPool::forks();

  // One run at a time: the arena is shared. `callers` counts the calls of
  // start() and run() in progress (validating, waiting for the run before,
  // or running a run's kernels) and the fallback-pool threads that run an
  // asynchronous run's kernels in the caller's place: the destructor
  // (hcc_session_release) waits for them as for a run.
  std::mutex busyMu;
  std::condition_variable busyCv;
  bool busy = false;
  int callers = 0;
};

} // namespace rt
} // namespace hcc

#endif // HCC_RUNTIME_SESSION_H
