#include "screen/parallel_match.h"

#include <algorithm>
#include <atomic>
#include <thread>

#include "screen/row_query.h"

namespace entente::screen {

int ThreadCount(int requested) {
  if (requested > 0) return std::min(requested, 256);
  unsigned hw = std::thread::hardware_concurrency();
  return hw == 0 ? 2 : static_cast<int>(hw);
}

void ParallelFor(size_t count, int threads, const std::function<void(size_t)>& fn) {
  constexpr size_t kChunk = 16;
  std::atomic<size_t> next{0};
  auto work = [&] {
    while (true) {
      size_t begin = next.fetch_add(kChunk);
      if (begin >= count) return;
      size_t end = std::min(count, begin + kChunk);
      for (size_t item = begin; item < end; ++item) fn(item);
    }
  };
  size_t useful = (count + kChunk - 1) / kChunk;
  int extra =
      static_cast<int>(std::min<size_t>(useful, static_cast<size_t>(std::max(1, threads)))) - 1;
  std::vector<std::thread> pool;
  for (int thread_idx = 0; thread_idx < extra; ++thread_idx) pool.emplace_back(work);
  work();
  for (auto& thread : pool) thread.join();
}

RowMatches MatchRows(const MatchIndex& index, const std::vector<ListRow>& rows, int top,
                     double threshold, int threads) {
  RowMatches out;
  out.hits.resize(rows.size());
  out.errors.resize(rows.size());
  ParallelFor(rows.size(), threads, [&](size_t row_pos) {
    auto result = index.Match(QueryFromRow(rows[row_pos], top, threshold));
    if (result.ok()) {
      out.hits[row_pos] = std::move(result).value();
    } else {
      out.errors[row_pos] = result.status();
    }
  });
  return out;
}

}  // namespace entente::screen
