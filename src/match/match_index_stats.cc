// Memory accounting of the match index (MatchIndex::Stats): every container it holds, by
// capacity.
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <shared_mutex>

#include "match/match_index_impl.h"

namespace entente::match_internal {

MatchIndexStats MatchIndexImpl::Stats() const {
  CompactIfNeeded();
  std::shared_lock lock(mutex_);
  MatchIndexStats stats;
  stats.entities = live_entities_;
  stats.name_variants = live_names_;
  stats.applied_seq = applied_seq_;
  // Every container the index holds, by capacity. ENTENTE_MATCH_MEMORY=1 prints the parts.
  int64_t birth_date_bytes = 0;  // node, bucket and list per date
  for (const auto& [date, born] : entities_by_birth_date_) {
    birth_date_bytes += 48 + born.capacity() * sizeof(uint32_t);
  }
  birth_date_bytes += entities_by_birth_date_.bucket_count() * sizeof(void*);
  const int64_t entity_bytes = entities_.capacity() * sizeof(EntityRec) +
                               entity_table_.MemoryBytes() + entity_text_.capacity() +
                               entity_facts_.capacity() + birth_date_bytes;
  const int64_t name_bytes =
      names_.capacity() * sizeof(NameRec) + name_text_.capacity() +
      name_tokens_.capacity() * sizeof(uint32_t) + name_keys_.capacity() * sizeof(PartKeys) +
      (dead_bits_.capacity() + organization_bits_.capacity()) * sizeof(uint64_t);
  const int64_t token_bytes = tokens_.capacity() * sizeof(TokenRec) + token_length_.capacity() +
                              token_text_.capacity() + token_table_.MemoryBytes();
  const int64_t key_bytes = key_text_.capacity() + key_text_offset_.capacity() * sizeof(uint32_t) +
                            key_table_.MemoryBytes() + key_live_df_.capacity() * sizeof(uint32_t) +
                            weight_cache_capacity_ * sizeof(uint64_t);
  // A heap block costs its size rounded up to 16 plus an 8-byte header (glibc malloc).
  int64_t posting_bytes = postings_.capacity() * sizeof(std::vector<Posting>);
  int64_t posting_entries = 0;
  for (const auto& p : postings_) {
    if (p.capacity() > 0) posting_bytes += (p.capacity() * sizeof(Posting) + 8 + 15) / 16 * 16;
    posting_entries += static_cast<int64_t>(p.size());
  }
  const int64_t deletion_bytes = static_cast<int64_t>(deletion_.MemoryBytes());
  const int64_t bytes = static_cast<int64_t>(sizeof(*this)) + entity_bytes + name_bytes +
                        token_bytes + key_bytes + posting_bytes + deletion_bytes;
  if (std::getenv("ENTENTE_MATCH_MEMORY") != nullptr) {
    std::fprintf(stderr,
                 "match index memory: entities %.1f MB (%zu), names %.1f MB (%zu, %zu parts), "
                 "parts %.1f MB (%zu), keys %.1f MB (%zu), postings %.1f MB (%lld entries), "
                 "deletion neighbourhoods %.1f MB (%zu + %zu entries)\n",
                 entity_bytes / 1e6, entities_.size(), name_bytes / 1e6, names_.size(),
                 name_tokens_.size(), token_bytes / 1e6, tokens_.size(), key_bytes / 1e6,
                 postings_.size(), posting_bytes / 1e6, static_cast<long long>(posting_entries),
                 deletion_bytes / 1e6, deletion_.compact_entries(), deletion_.overflow_entries());
  }
  stats.memory_bytes = bytes;
  return stats;
}

}  // namespace entente::match_internal
