//===- CompletionUtil.h - waiting on a device's completions -----*- C++ -*-===//
//
// For tests of drivers (internal API): a Completion paired with the
// future it fulfils, and a bounded wait on it.
//
//===----------------------------------------------------------------------===//
#ifndef HCC_RUNTIME_TEST_COMPLETIONUTIL_H
#define HCC_RUNTIME_TEST_COMPLETIONUTIL_H

#include "device.h"

#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <memory>
#include <utility>

namespace hcc::test {

struct Result {
  rt::Status status;
  rt::KernelTiming timing;
};

/// A Completion and the future it fulfils.
inline std::pair<rt::Completion, std::future<Result>> completion() {
  auto promise = std::make_shared<std::promise<Result>>();
  auto future = promise->get_future();
  return {[promise](const rt::Status &s, const rt::KernelTiming &t) {
            promise->set_value({s, t});
          },
          std::move(future)};
}

/// The completion's result, failing the test if it takes over a minute.
inline Result wait(std::future<Result> &f) {
  EXPECT_EQ(f.wait_for(std::chrono::seconds(60)), std::future_status::ready);
  return f.get();
}

} // namespace hcc::test

#endif // HCC_RUNTIME_TEST_COMPLETIONUTIL_H
