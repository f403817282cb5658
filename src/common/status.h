// Status and Result<T>: how every fallible call across a subsystem boundary reports failure.
//
// A Status is a code plus a message that names the file, line or field at fault and the reason.
// OK carries no allocation. Result<T> holds either a value or a non-OK Status; it is kept thin so
// that it can become std::expected when the project moves to C++23.
//
// Only the CLI's main and the server's handler layer turn a Status into an exit code or an HTTP
// error; everything below passes it up. Thread-safety: values, no shared state.
#pragma once

#include <cassert>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace entente {

enum class StatusCode {
  kOk = 0,
  kNotFound,           // the thing named does not exist
  kInvalidArgument,    // bad input: a row, a field, a flag
  kPermissionDenied,   // authenticated but not allowed (role, marking, agreement)
  kUnauthenticated,    // who is asking is not known
  kConflict,           // concurrent change, duplicate, already decided
  kCorruption,         // stored data does not verify (audit chain, signature)
  kIOError,            // file or network failure
  kUnavailable,        // busy or locked; try again
  kResourceExhausted,  // quota, rate or size limit
  kInternal,           // a bug
};

std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }
  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // "InvalidArgument: people.csv line 4, field birth_date: no such day 2023-02-30"
  std::string ToString() const;

  // Prefixes the message with context ("people.csv: " + message), keeping the code.
  Status WithContext(std::string_view context) const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

inline Status NotFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
inline Status InvalidArgument(std::string m) {
  return {StatusCode::kInvalidArgument, std::move(m)};
}
inline Status PermissionDenied(std::string m) {
  return {StatusCode::kPermissionDenied, std::move(m)};
}
inline Status Unauthenticated(std::string m) {
  return {StatusCode::kUnauthenticated, std::move(m)};
}
inline Status Conflict(std::string m) { return {StatusCode::kConflict, std::move(m)}; }
inline Status Corruption(std::string m) { return {StatusCode::kCorruption, std::move(m)}; }
inline Status IOError(std::string m) { return {StatusCode::kIOError, std::move(m)}; }
inline Status Unavailable(std::string m) { return {StatusCode::kUnavailable, std::move(m)}; }
inline Status ResourceExhausted(std::string m) {
  return {StatusCode::kResourceExhausted, std::move(m)};
}
inline Status Internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : data_(std::move(value)) {}        // NOLINT: implicit by design
  Result(Status status) : data_(std::move(status)) {  // NOLINT: implicit by design
    assert(!std::get<Status>(data_).ok() && "Result built from an OK Status");
  }

  bool ok() const { return std::holds_alternative<T>(data_); }
  // The error; OK when a value is held.
  Status status() const { return ok() ? Status() : std::get<Status>(data_); }

  // REQUIRES: ok().
  T& value() & { return std::get<T>(data_); }
  const T& value() const& { return std::get<T>(data_); }
  T&& value() && { return std::get<T>(std::move(data_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> data_;
};

}  // namespace entente

// Returns early from the enclosing function when `expr` (a Status) is not OK.
#define ENTENTE_RETURN_IF_ERROR(expr)                  \
  do {                                                 \
    ::entente::Status entente_status_ = (expr);        \
    if (!entente_status_.ok()) return entente_status_; \
  } while (0)

#define ENTENTE_CONCAT_INNER_(a, b) a##b
#define ENTENTE_CONCAT_(a, b) ENTENTE_CONCAT_INNER_(a, b)
// Declares `lhs` from a Result, or returns its Status from the enclosing function.
#define ENTENTE_ASSIGN_OR_RETURN(lhs, expr) \
  ENTENTE_ASSIGN_OR_RETURN_IMPL_(ENTENTE_CONCAT_(entente_result_, __LINE__), lhs, expr)
#define ENTENTE_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                   \
  if (!tmp.ok()) return tmp.status();                  \
  lhs = std::move(tmp).value()
