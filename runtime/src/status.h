//===- status.h - Internal status with a message ----------------*- C++ -*-===//
#ifndef HCC_RUNTIME_STATUS_H
#define HCC_RUNTIME_STATUS_H

#include "hcc/runtime.h"

#include <string>
#include <utility>

namespace hcc {
namespace rt {

/// Internal result of a fallible operation; the C API turns it into an
/// hcc_status_t plus the thread's last-error message.
class [[nodiscard]] Status {
public:
  Status() = default;
  Status(hcc_status_t code, std::string message)
      : code_(code), message_(std::move(message)) {}
  static Status ok() { return Status(); }

  bool isOk() const { return code_ == HCC_OK; }
  explicit operator bool() const { return isOk(); }
  hcc_status_t code() const { return code_; }
  const std::string &message() const { return message_; }

private:
  hcc_status_t code_ = HCC_OK;
  std::string message_;
};

inline Status invalidBundle(std::string message) {
  return Status(HCC_ERROR_INVALID_BUNDLE, std::move(message));
}
inline Status invalidArgument(std::string message) {
  return Status(HCC_ERROR_INVALID_ARGUMENT, std::move(message));
}

#define HCC_RETURN_IF_ERROR(expr)                                              \
  do {                                                                         \
    ::hcc::rt::Status status_ = (expr);                                        \
    if (!status_.isOk())                                                       \
      return status_;                                                          \
  } while (0)

} // namespace rt
} // namespace hcc

#endif // HCC_RUNTIME_STATUS_H
