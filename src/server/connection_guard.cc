#include "server/connection_guard.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <vector>

namespace entente::server {
namespace {

int FreeIndex(CRYPTO_EX_free* free_fn) {
  static const int index = SSL_get_ex_new_index(0, nullptr, nullptr, nullptr, free_fn);
  return index;
}

// The peer's IP address of socket `fd` and its group: the address itself for IPv4 (an
// IPv4-mapped IPv6 address counts as IPv4), the /64 for IPv6 ("" for both when it has none).
void PeerAddress(int fd, std::string* address, std::string* group) {
  sockaddr_storage peer{};
  socklen_t length = sizeof peer;
  if (getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &length) != 0) return;
  char text[INET6_ADDRSTRLEN] = {0};
  if (peer.ss_family == AF_INET) {
    inet_ntop(AF_INET, &reinterpret_cast<sockaddr_in*>(&peer)->sin_addr, text, sizeof text);
    *address = *group = text;
  } else if (peer.ss_family == AF_INET6) {
    in6_addr ip = reinterpret_cast<sockaddr_in6*>(&peer)->sin6_addr;
    inet_ntop(AF_INET6, &ip, text, sizeof text);
    *address = *group = text;
    if (IN6_IS_ADDR_V4MAPPED(&ip)) return;
    std::memset(&ip.s6_addr[8], 0, 8);
    inet_ntop(AF_INET6, &ip, text, sizeof text);
    *group = std::string(text) + "/64";
  }
}

}  // namespace

ConnectionGuard::ConnectionGuard(const ConnectionGuardLimits& limits) : limits_(limits) {
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
  guard->RegisterTls(mutable_ssl);
}

void ConnectionGuard::FreeCallback(void* parent, void* ptr, CRYPTO_EX_DATA*, int, long, void*) {
  if (ptr != nullptr) static_cast<ConnectionGuard*>(ptr)->Forget(parent);
}

void ConnectionGuard::RegisterTls(SSL* ssl) {
  SSL_set_ex_data(ssl, FreeIndex(nullptr), this);
  Register(ssl, SSL_get_fd(ssl));
}

void ConnectionGuard::Register(const void* connection, int fd) {
  std::string address;
  std::string group;
  PeerAddress(fd, &address, &group);
  auto now = std::chrono::steady_clock::now();
  std::lock_guard<std::mutex> lock(mutex_);
  Entry& entry = entries_[connection];
  entry.fd = fd;
  entry.address = std::move(address);
  entry.group = std::move(group);
  entry.handling = false;
  entry.head_read = false;
  entry.reading_since = now;
  entry.deadline = now + limits_.request_timeout;
}

void ConnectionGuard::Forget(const void* connection) {
  std::lock_guard<std::mutex> lock(mutex_);
  entries_.erase(connection);
}

void ConnectionGuard::HeadRead(const void* connection) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = entries_.find(connection);
  if (it != entries_.end()) it->second.head_read = true;
}

void ConnectionGuard::RequestStarted(const void* connection) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = entries_.find(connection);
  if (it == entries_.end()) return;
  it->second.handling = true;
  it->second.head_read = true;
}

void ConnectionGuard::ResponseSent(const void* connection) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = entries_.find(connection);
  if (it == entries_.end()) return;
  auto now = std::chrono::steady_clock::now();
  it->second.handling = false;
  it->second.head_read = false;
  it->second.reading_since = now;
  it->second.deadline = now + limits_.idle_timeout + limits_.request_timeout;
}

int64_t ConnectionGuard::cut() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return cut_;
}

void ConnectionGuard::Cut(Entry& entry, const char* why) {
  spdlog::info("slow client: connection cut ({})", why);
  spdlog::debug("slow client: connection from {} cut ({})", entry.address, why);
  ::shutdown(entry.fd, SHUT_RDWR);
  entry.fd = -1;
  cut_++;
}

void ConnectionGuard::CutPastDeadline(std::chrono::steady_clock::time_point now) {
  for (auto& [connection, entry] : entries_) {
    if (!entry.handling && entry.fd >= 0 && entry.deadline <= now) Cut(entry, "request timeout");
  }
}

std::vector<ConnectionGuard::Entry*> ConnectionGuard::SlowReaders(
    std::chrono::steady_clock::time_point now) {
  std::vector<Entry*> slow;
  for (auto& [connection, entry] : entries_) {
    if (entry.fd >= 0 && !entry.head_read && !entry.handling &&
        now - entry.reading_since >= limits_.slow_after)
      slow.push_back(&entry);
  }
  // Oldest first.
  std::sort(slow.begin(), slow.end(),
            [](const Entry* a, const Entry* b) { return a->reading_since < b->reading_since; });
  return slow;
}

void ConnectionGuard::CutOverAddressCap(std::chrono::steady_clock::time_point now) {
  if (limits_.max_slow_per_address <= 0) return;
  std::map<std::string, std::vector<Entry*>> by_group;
  for (Entry* entry : SlowReaders(now)) by_group[entry->group].push_back(entry);
  auto cap = static_cast<size_t>(limits_.max_slow_per_address);
  for (auto& [group, entries] : by_group) {
    for (size_t i = cap; i < entries.size(); ++i) Cut(*entries[i], "over the per-address cap");
  }
}

void ConnectionGuard::CutOverReadingBound(std::chrono::steady_clock::time_point now) {
  if (limits_.max_reading <= 0) return;
  std::vector<Entry*> slow = SlowReaders(now);
  auto bound = static_cast<size_t>(limits_.max_reading);
  for (size_t i = 0; i + bound < slow.size(); ++i) Cut(*slow[i], "over the bound on all addresses");
}

void ConnectionGuard::Run() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stopping_) {
    stop_cv_.wait_for(lock, std::chrono::milliseconds(250));
    auto now = std::chrono::steady_clock::now();
    CutPastDeadline(now);
    CutOverAddressCap(now);
    CutOverReadingBound(now);
  }
}

}  // namespace entente::server
