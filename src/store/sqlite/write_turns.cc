#include "store/sqlite/write_turns.h"

#include <algorithm>
#include <filesystem>
#include <map>

namespace entente {

std::shared_ptr<WriteTurns> WriteTurns::For(const std::string& path) {
  if (path.empty() || path[0] == ':' || path.find("mode=memory") != std::string::npos)
    return nullptr;
  std::error_code error;
  std::string key = std::filesystem::weakly_canonical(path, error).string();
  if (error) key = path;
  static std::mutex registry_mutex;
  static std::map<std::string, std::weak_ptr<WriteTurns>> registry;
  std::lock_guard lock(registry_mutex);
  std::shared_ptr<WriteTurns> turns = registry[key].lock();
  if (!turns) {
    turns = std::make_shared<WriteTurns>();
    registry[key] = turns;
  }
  return turns;
}

bool WriteTurns::Take(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  const uint64_t ticket = next_ticket_++;
  waiting_.push_back(ticket);
  bool mine =
      changed_.wait_for(lock, timeout, [&] { return !taken_ && waiting_.front() == ticket; });
  if (!mine) {
    waiting_.erase(std::find(waiting_.begin(), waiting_.end(), ticket));
    changed_.notify_all();  // the one behind may be first now
    return false;
  }
  waiting_.pop_front();
  taken_ = true;
  return true;
}

void WriteTurns::Give() {
  {
    std::lock_guard lock(mutex_);
    taken_ = false;
  }
  changed_.notify_all();
}

}  // namespace entente
