#include "server/plain_http_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>

namespace entente::server {
namespace {

thread_local const void* t_connection = nullptr;

// Waits up to `timeout` for `events` on `fd`; true when they came.
bool WaitFor(int fd, short events, std::chrono::milliseconds timeout) {
  pollfd entry{fd, events, 0};
  while (true) {
    int ready = ::poll(&entry, 1, static_cast<int>(timeout.count()));
    if (ready < 0 && errno == EINTR) continue;
    return ready > 0;
  }
}

void AddressOf(const sockaddr_storage& address, std::string* ip, int* port) {
  char text[INET6_ADDRSTRLEN] = {0};
  if (address.ss_family == AF_INET) {
    const auto* v4 = reinterpret_cast<const sockaddr_in*>(&address);
    inet_ntop(AF_INET, &v4->sin_addr, text, sizeof text);
    *port = ntohs(v4->sin_port);
  } else if (address.ss_family == AF_INET6) {
    const auto* v6 = reinterpret_cast<const sockaddr_in6*>(&address);
    inet_ntop(AF_INET6, &v6->sin6_addr, text, sizeof text);
    *port = ntohs(v6->sin6_port);
  }
  *ip = text;
}

// A socket read through a buffer (the request parser reads a byte at a time), each wait
// bounded by the read or write timeout.
class BufferedSocketStream : public httplib::Stream {
 public:
  BufferedSocketStream(int fd, std::chrono::milliseconds read_timeout,
                       std::chrono::milliseconds write_timeout)
      : fd_(fd), read_timeout_(read_timeout), write_timeout_(write_timeout) {}

  bool is_readable() const override { return begin_ < end_ || WaitFor(fd_, POLLIN, read_timeout_); }
  bool is_writable() const override { return WaitFor(fd_, POLLOUT, write_timeout_); }

  ssize_t read(char* ptr, size_t size) override {
    if (begin_ == end_) {
      if (!is_readable()) return -1;
      if (size >= sizeof buffer_) return Receive(ptr, size);  // large bodies: no copy
      ssize_t got = Receive(buffer_, sizeof buffer_);
      if (got <= 0) return got;
      begin_ = 0;
      end_ = static_cast<size_t>(got);
    }
    size_t n = std::min(size, end_ - begin_);
    std::memcpy(ptr, buffer_ + begin_, n);
    begin_ += n;
    return static_cast<ssize_t>(n);
  }

  ssize_t write(const char* ptr, size_t size) override {
    if (!is_writable()) return -1;
    while (true) {
      ssize_t sent = ::send(fd_, ptr, size, MSG_NOSIGNAL);
      if (sent < 0 && errno == EINTR) continue;
      return sent;
    }
  }

  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    if (getpeername(fd_, reinterpret_cast<sockaddr*>(&address), &length) == 0)
      AddressOf(address, &ip, &port);
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    if (getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length) == 0)
      AddressOf(address, &ip, &port);
  }
  socket_t socket() const override { return fd_; }
  // Bytes of a next request already read.
  bool buffered() const { return begin_ < end_; }

 private:
  ssize_t Receive(char* ptr, size_t size) {
    while (true) {
      ssize_t got = ::recv(fd_, ptr, size, 0);
      if (got < 0 && errno == EINTR) continue;
      return got;
    }
  }

  int fd_;
  std::chrono::milliseconds read_timeout_;
  std::chrono::milliseconds write_timeout_;
  char buffer_[4096];
  size_t begin_ = 0;
  size_t end_ = 0;
};

// A served socket, from its registration with the guard until it is forgotten and closed: also
// when a request throws, so that no stale entry is left (a later cut would shut down a reused
// descriptor) and the socket does not leak.
class ConnectionScope {
 public:
  ConnectionScope(ConnectionGuard* guard, const void* connection, int fd)
      : guard_(guard), connection_(connection), fd_(fd) {
    guard_->Register(connection_, fd_);
    t_connection = connection_;
  }
  ~ConnectionScope() {
    t_connection = nullptr;
    guard_->Forget(connection_);
    ::shutdown(fd_, SHUT_RDWR);
    ::close(fd_);
  }
  ConnectionScope(const ConnectionScope&) = delete;
  ConnectionScope& operator=(const ConnectionScope&) = delete;

 private:
  ConnectionGuard* guard_;
  const void* connection_;
  int fd_;
};

std::chrono::milliseconds Millis(time_t seconds, time_t micros) {
  return std::chrono::milliseconds(seconds * 1000 + micros / 1000);
}

}  // namespace

const void* PlainHttpServer::CurrentConnection() { return t_connection; }

void PlainHttpServer::SetListenBacklog(int backlog) { ::listen(svr_sock_, backlog); }

bool PlainHttpServer::WaitForNextRequest(socket_t sock) const {
  // Checked in short steps so that a stopping server does not wait out the keep-alive time.
  auto until = std::chrono::steady_clock::now() + std::chrono::seconds(keep_alive_timeout_sec_);
  while (is_running()) {
    if (WaitFor(sock, POLLIN, std::chrono::milliseconds(100))) return true;
    if (std::chrono::steady_clock::now() >= until) return false;
  }
  return false;
}

bool PlainHttpServer::process_and_close_socket(socket_t sock) {
  BufferedSocketStream stream(sock, Millis(read_timeout_sec_, read_timeout_usec_),
                              Millis(write_timeout_sec_, write_timeout_usec_));
  ConnectionScope scope(guard_, &stream, sock);
  bool ok = true;
  for (size_t left = keep_alive_max_count_; left > 0; --left) {
    if (!stream.buffered() && !WaitForNextRequest(sock)) break;
    bool closed = false;
    ok = process_request(stream, /*close_connection=*/left == 1, closed, nullptr);
    guard_->ResponseSent(&stream);
    if (!ok || closed) break;
  }
  return ok;
}

}  // namespace entente::server
