#include "store/record_encoding.h"

#include <sodium.h>

#include <cstdio>

#include "common/text.h"

namespace entente {
namespace {

constexpr char kHexDigits[] = "0123456789abcdef";

// Length of the valid UTF-8 sequence starting at text[i], or 0 when it is not one
// (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF).
size_t Utf8SequenceLength(std::string_view text, size_t i) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char lead = byte(i);
  size_t n = text.size() - i;
  auto cont = [&](size_t k) { return k < n && (byte(i + k) & 0xC0) == 0x80; };
  if (lead >= 0xC2 && lead <= 0xDF) return cont(1) ? 2 : 0;
  if (lead >= 0xE0 && lead <= 0xEF) {
    if (!cont(1) || !cont(2)) return 0;
    unsigned char second = byte(i + 1);
    if (lead == 0xE0 && second < 0xA0) return 0;  // overlong
    if (lead == 0xED && second > 0x9F) return 0;  // surrogate
    return 3;
  }
  if (lead >= 0xF0 && lead <= 0xF4) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    unsigned char second = byte(i + 1);
    if (lead == 0xF0 && second < 0x90) return 0;  // overlong
    if (lead == 0xF4 && second > 0x8F) return 0;  // above U+10FFFF
    return 4;
  }
  return 0;
}

// Appends JSON members to a buffer. Commas are placed by tracking whether the current object
// or array already has a member.
class JsonOut {
 public:
  explicit JsonOut(std::string* out) : out_(out) {}

  void BeginObject() {
    Separate();
    out_->push_back('{');
    empty_ = true;
  }
  void EndObject() {
    out_->push_back('}');
    empty_ = false;
  }
  void BeginArray(std::string_view key) {
    Key(key);
    after_key_ = false;
    out_->push_back('[');
    empty_ = true;
  }
  void EndArray() {
    out_->push_back(']');
    empty_ = false;
  }
  void Key(std::string_view key) {
    Separate();
    out_->push_back('"');
    out_->append(key);  // keys are fixed ASCII identifiers
    out_->append("\":");
    after_key_ = true;
  }
  // A key that comes from data (attribute names): escaped like a value.
  void DataKey(std::string_view key) {
    Separate();
    AppendJsonString(key, out_);
    out_->push_back(':');
    after_key_ = true;
  }
  void StringValue(std::string_view value) {
    Separate();
    AppendJsonString(value, out_);
    empty_ = false;
  }
  void String(std::string_view key, std::string_view value) {
    Key(key);
    StringValue(value);
  }
  void Int(std::string_view key, int64_t value) {
    Key(key);
    after_key_ = false;
    char digits[24];
    int n = std::snprintf(digits, sizeof digits, "%lld", static_cast<long long>(value));
    out_->append(digits, static_cast<size_t>(n));
    empty_ = false;
  }
  void True(std::string_view key) {
    Key(key);
    after_key_ = false;
    out_->append("true");
    empty_ = false;
  }
  void StringList(std::string_view key, const std::vector<std::string>& values) {
    BeginArray(key);
    for (const std::string& v : values) StringValue(v);
    EndArray();
  }

 private:
  // Before a key or a value: a comma unless it is the first member, or the value of a key.
  void Separate() {
    if (after_key_) {
      after_key_ = false;
      return;
    }
    if (!empty_) out_->push_back(',');
  }

  std::string* out_;
  bool empty_ = true;
  bool after_key_ = false;
};

void WriteContentMeta(const RecordMeta& m, JsonOut& w) {
  w.String("id", m.id);
  w.String("reliability", std::string_view(&m.grades.reliability, 1));
  w.Int("credibility", m.grades.credibility);
  w.String("category", ThreatCategoryName(m.category));
  w.Key("marking");
  w.BeginObject();
  w.String("tlp", TlpName(m.marking.tlp));
  w.StringList("releasable_to", m.marking.releasable_to);
  w.EndObject();
  if (m.revoked) w.True("revoked");
}

void WriteEntityContent(const Entity& e, JsonOut& w) {
  w.String("type", EntityTypeName(e.type));
  w.BeginArray("names");
  for (const Name& n : e.names) {
    w.BeginObject();
    w.String("full", n.full);
    w.String("kind", NameKindName(n.kind));
    if (!n.script.empty()) w.String("script", n.script);
    w.EndObject();
  }
  w.EndArray();
  if (!e.birth_dates.empty()) {
    w.BeginArray("birth_dates");
    for (const PartialDate& d : e.birth_dates) w.StringValue(d.ToString());
    w.EndArray();
  }
  if (!e.birth_places.empty()) w.StringList("birth_places", e.birth_places);
  if (!e.nationalities.empty()) w.StringList("nationalities", e.nationalities);
  if (e.gender != Gender::kUnknown) w.String("gender", GenderName(e.gender));
  if (!e.documents.empty()) {
    w.BeginArray("documents");
    for (const IdentityDocumentInfo& d : e.documents) {
      w.BeginObject();
      w.String("type", d.type);
      w.String("number", d.number);
      if (!d.country.empty()) w.String("country", d.country);
      if (!d.valid_from.empty()) w.String("valid_from", d.valid_from);
      if (!d.valid_until.empty()) w.String("valid_until", d.valid_until);
      w.EndObject();
    }
    w.EndArray();
  }
  if (!e.addresses.empty()) w.StringList("addresses", e.addresses);
  if (!e.attributes.empty()) {
    w.Key("attributes");
    w.BeginObject();
    for (const auto& [key, value] : e.attributes) {
      w.DataKey(key);
      w.StringValue(value);
    }
    w.EndObject();
  }
}

void WriteRelationshipContent(const Relationship& r, JsonOut& w) {
  w.String("type", "relationship");
  w.String("relationship_type", RelationshipTypeName(r.type));
  w.String("source_id", r.source_id);
  w.String("target_id", r.target_id);
  if (!r.start.empty()) w.String("start", r.start);
  if (!r.stop.empty()) w.String("stop", r.stop);
  if (!r.description.empty()) w.String("description", r.description);
}

}  // namespace

void RecordEncoder::EncodeContent(const Record& record) {
  buffer_.clear();
  JsonOut w(&buffer_);
  w.BeginObject();
  const RecordMeta& meta = MetaOf(record);
  WriteContentMeta(meta, w);
  if (const Entity* e = std::get_if<Entity>(&record)) {
    WriteEntityContent(*e, w);
  } else {
    WriteRelationshipContent(std::get<Relationship>(record), w);
  }
  // The provenance object comes last and stays open: its stable fields are content, its
  // first_seen and last_seen are appended by Finish().
  w.Key("provenance");
  w.BeginObject();
  w.String("service", meta.provenance.service);
  w.String("source", meta.provenance.source);
  w.String("source_record_id", meta.provenance.source_record_id);
  content_size_ = buffer_.size();

  static const bool sodium_ready = sodium_init() >= 0;  // picks the fastest BLAKE2b code
  (void)sodium_ready;
  unsigned char digest[crypto_generichash_BYTES];
  crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char*>(buffer_.data()),
                     content_size_, nullptr, 0);
  hash_.assign(kContentHashTag);
  for (unsigned char b : digest) {
    hash_.push_back(kHexDigits[b >> 4]);
    hash_.push_back(kHexDigits[b & 0xF]);
  }
}

void RecordEncoder::Finish(const VolatileFields& fields) {
  buffer_.resize(content_size_);
  std::string* out = &buffer_;
  out->append(",\"first_seen\":");
  AppendJsonString(fields.first_seen, out);
  out->append(",\"last_seen\":");
  AppendJsonString(fields.last_seen, out);
  out->append("},\"version\":");
  out->append(std::to_string(fields.version));
  out->append(",\"created\":");
  AppendJsonString(fields.created, out);
  out->append(",\"modified\":");
  AppendJsonString(fields.modified, out);
  if (fields.change_seq) {
    out->append(",\"change_seq\":");
    out->append(std::to_string(fields.change_seq));
  }
  out->push_back('}');
}

void AppendJsonString(std::string_view text, std::string* out) {
  out->push_back('"');
  size_t run_start = 0;
  size_t i = 0;
  auto flush = [&](size_t end) {
    if (end > run_start) out->append(text.data() + run_start, end - run_start);
  };
  while (i < text.size()) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
      ++i;
      continue;
    }
    if (c >= 0x80) {
      size_t length = Utf8SequenceLength(text, i);
      if (length) {
        i += length;
        continue;
      }
      flush(i);
      out->append("\xEF\xBF\xBD");  // U+FFFD
      run_start = ++i;
      continue;
    }
    flush(i);
    AppendJsonEscape(c, out);
    run_start = ++i;
  }
  flush(i);
  out->push_back('"');
}

}  // namespace entente
