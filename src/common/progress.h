// A progress bar for long work on a terminal (stderr), silent when stderr is not a terminal.
// Thread-safety: Update() may be called from several threads; output is throttled to ~10/s.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>

namespace entente {

class ProgressBar {
 public:
  // `total` may be 0 when unknown (then only the count and rate are shown).
  ProgressBar(std::string label, uint64_t total);
  ~ProgressBar();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  void Update(uint64_t done);
  void Add(uint64_t delta) { Update(done_.fetch_add(delta) + delta); }
  void SetTotal(uint64_t total) { total_ = total; }
  // Clears the bar's line; called by the destructor too.
  void Finish();
  // Forces the bar on or off (tests); by default it is on only when stderr is a terminal.
  static void SetEnabledForTesting(int enabled);

 private:
  std::string label_;
  std::atomic<uint64_t> total_;
  std::atomic<uint64_t> done_{0};
  int64_t start_ms_;
  int64_t last_draw_ms_ = 0;
  bool enabled_;
  bool finished_ = false;
  std::mutex mutex_;
};

}  // namespace entente
