#include "common/secret_file.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>

#include "common/ids.h"

namespace entente {
namespace {

std::string Named(std::string_view what, const std::string& path, std::string_view reason) {
  return std::string(what) + " " + path + ": " + std::string(reason);
}

// Writes all of `text` to `fd` and syncs it to disk.
bool WriteAndSync(int fd, const std::string& text) {
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return ::fsync(fd) == 0;
}

// Syncs the folder holding `path`, so that a new name in it survives a crash.
void SyncFolderOf(const std::string& path) {
  size_t slash = path.rfind('/');
  std::string folder = slash == std::string::npos ? "." : path.substr(0, slash + 1);
  int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

// Creates `path` holding `hex` and a newline, mode 0600 from the start (no umask): the bytes are
// written and synced in a temporary file that is then linked to `path`, so that nobody ever
// reads `path` half-written. False when another process made `path` first.
Result<bool> CreateExclusive(const std::string& path, const std::string& hex,
                             std::string_view what) {
  std::string temp = path + ".new-XXXXXX";
  int fd = ::mkstemp(temp.data());  // O_CREAT | O_EXCL, mode 0600
  if (fd < 0) return IOError(Named(what, path, std::string("cannot create: ") + strerror(errno)));
  bool written = ::fchmod(fd, 0600) == 0 && WriteAndSync(fd, hex + "\n");
  written = ::close(fd) == 0 && written;
  if (!written) {
    ::unlink(temp.c_str());
    return IOError(Named(what, path, "cannot write"));
  }
  int linked = ::link(temp.c_str(), path.c_str());
  int link_errno = errno;
  ::unlink(temp.c_str());
  if (linked != 0 && link_errno == EEXIST) return false;
  if (linked != 0)
    return IOError(Named(what, path, std::string("cannot create: ") + strerror(link_errno)));
  SyncFolderOf(path);
  return true;
}

// PermissionDenied when the file at `path` may be read by its group or by others.
Status CheckPrivate(const std::string& path, std::string_view what) {
  struct stat info;
  if (::stat(path.c_str(), &info) != 0) return IOError(Named(what, path, "cannot stat"));
  if ((info.st_mode & 077) == 0) return Status::Ok();
  char mode[8];
  std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(info.st_mode & 07777));
  return PermissionDenied(Named(what, path,
                                std::string("mode ") + mode +
                                    " lets its group or others read it; make it private with"
                                    " `chmod 600 " +
                                    path + "` (and think whether it leaked)"));
}

}  // namespace

Result<SecretBytes> LoadOrCreateSecretFile(const std::string& path, std::string_view what) {
  if (sodium_init() < 0) return Internal("libsodium failed to initialise");
  std::ifstream in(path);
  if (!in) {
    ENTENTE_ASSIGN_OR_RETURN(bool created, CreateExclusive(path, RandomHex(kSecretSize), what));
    in.open(path);
    if (!in) return IOError(Named(what, path, created ? "cannot read it back" : "cannot create"));
  }
  std::string hex;
  in >> hex;
  SecretBytes bytes{};
  size_t length = 0;
  if (hex.size() != kSecretSize * 2 ||
      sodium_hex2bin(bytes.data(), bytes.size(), hex.data(), hex.size(), nullptr, &length,
                     nullptr) != 0 ||
      length != kSecretSize) {
    return Corruption(Named(what, path, "expected 64 hex characters"));
  }
  ENTENTE_RETURN_IF_ERROR(CheckPrivate(path, what));
  return bytes;
}

}  // namespace entente
