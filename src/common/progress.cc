#include "common/progress.h"

#include <unistd.h>

#include <cstdio>

#include "common/time.h"

namespace entente {
namespace {
int g_forced = -1;
}

void ProgressBar::SetEnabledForTesting(int enabled) { g_forced = enabled; }

ProgressBar::ProgressBar(std::string label, uint64_t total)
    : label_(std::move(label)), total_(total), start_ms_(NowMillis()) {
  enabled_ = g_forced >= 0 ? g_forced == 1 : isatty(STDERR_FILENO) == 1;
}

ProgressBar::~ProgressBar() { Finish(); }

void ProgressBar::Update(uint64_t done) {
  done_ = done;
  if (!enabled_) return;
  std::lock_guard<std::mutex> lock(mutex_);
  int64_t now = NowMillis();
  uint64_t total = total_;
  if (now - last_draw_ms_ < 100 && done != total) return;
  last_draw_ms_ = now;
  double seconds = (now - start_ms_) / 1000.0;
  double rate = seconds > 0 ? done / seconds : 0;
  if (total > 0) {
    int width = 30;
    int filled = static_cast<int>(width * std::min<double>(1.0, double(done) / total));
    std::string bar(filled, '#');
    bar.append(width - filled, '.');
    double eta = rate > 0 ? (total - std::min(done, total)) / rate : 0;
    std::fprintf(stderr, "\r%s [%s] %llu/%llu %5.1f%% %.0f/s eta %.0fs   ", label_.c_str(),
                 bar.c_str(), (unsigned long long)done, (unsigned long long)total,
                 100.0 * done / total, rate, eta);
  } else {
    std::fprintf(stderr, "\r%s %llu %.0f/s   ", label_.c_str(), (unsigned long long)done, rate);
  }
  std::fflush(stderr);
}

void ProgressBar::Finish() {
  if (!enabled_ || finished_) return;
  finished_ = true;
  std::fprintf(stderr, "\r\033[K");
  std::fflush(stderr);
}

}  // namespace entente
