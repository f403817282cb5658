#include "server/connection_guard.h"

#include <sys/socket.h>

namespace entente::server {
namespace {

int FreeIndex(CRYPTO_EX_free* free_fn) {
  static const int index = SSL_get_ex_new_index(0, nullptr, nullptr, nullptr, free_fn);
  return index;
}

}  // namespace

ConnectionGuard::ConnectionGuard(std::chrono::seconds request_timeout,
                                 std::chrono::seconds idle_timeout)
    : request_timeout_(request_timeout), idle_timeout_(idle_timeout) {
  thread_ = std::thread([this] { Run(); });
}

ConnectionGuard::~ConnectionGuard() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  stop_cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void ConnectionGuard::Install(SSL_CTX* ctx) {
  FreeIndex(&ConnectionGuard::FreeCallback);
  SSL_CTX_set_app_data(ctx, this);
  SSL_CTX_set_info_callback(ctx, &ConnectionGuard::InfoCallback);
}

void ConnectionGuard::InfoCallback(const SSL* ssl, int where, int ret) {
  if (!(where & SSL_CB_HANDSHAKE_START)) return;
  SSL* mutable_ssl = const_cast<SSL*>(ssl);
  auto* guard = static_cast<ConnectionGuard*>(SSL_CTX_get_app_data(SSL_get_SSL_CTX(ssl)));
  if (guard == nullptr || SSL_get_ex_data(mutable_ssl, FreeIndex(nullptr)) != nullptr) return;
  guard->Register(mutable_ssl);
}

void ConnectionGuard::FreeCallback(void* parent, void* ptr, CRYPTO_EX_DATA*, int, long, void*) {
  if (ptr != nullptr) static_cast<ConnectionGuard*>(ptr)->Forget(static_cast<const SSL*>(parent));
}

void ConnectionGuard::Register(SSL* ssl) {
  SSL_set_ex_data(ssl, FreeIndex(nullptr), this);
  std::lock_guard<std::mutex> lock(mutex_);
  Entry& entry = entries_[ssl];
  entry.fd = SSL_get_fd(ssl);
  entry.handling = false;
  entry.deadline = std::chrono::steady_clock::now() + request_timeout_;
}

void ConnectionGuard::Forget(const SSL* ssl) {
  std::lock_guard<std::mutex> lock(mutex_);
  entries_.erase(ssl);
}

void ConnectionGuard::RequestStarted(const SSL* ssl) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = entries_.find(ssl);
  if (it != entries_.end()) it->second.handling = true;
}

void ConnectionGuard::ResponseSent(const SSL* ssl) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = entries_.find(ssl);
  if (it == entries_.end()) return;
  it->second.handling = false;
  it->second.deadline = std::chrono::steady_clock::now() + idle_timeout_ + request_timeout_;
}

int64_t ConnectionGuard::cut() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return cut_;
}

void ConnectionGuard::Run() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stopping_) {
    stop_cv_.wait_for(lock, std::chrono::milliseconds(250));
    auto now = std::chrono::steady_clock::now();
    for (auto& [ssl, entry] : entries_) {
      if (entry.handling || entry.fd < 0 || entry.deadline > now) continue;
      // The socket stays open (cpp-httplib closes it); shutdown makes its reads fail now.
      ::shutdown(entry.fd, SHUT_RDWR);
      entry.fd = -1;
      cut_++;
    }
  }
}

}  // namespace entente::server
