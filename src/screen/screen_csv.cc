#include "screen/screen_csv.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <thread>
#include <unordered_map>

#include "common/csv.h"
#include "common/text.h"
#include "model/country.h"

namespace entente::match {

namespace {

Result<std::unordered_map<std::string, size_t>> ReadHeader(CsvReader& reader,
                                                           const std::string& path,
                                                           std::vector<std::string>* fields) {
  Status error;
  if (!reader.Next(fields, &error)) return InvalidArgument(path + ": empty file, no header");
  ENTENTE_RETURN_IF_ERROR(error.WithContext(path + " line 1"));
  std::unordered_map<std::string, size_t> column;
  for (size_t i = 0; i < fields->size(); ++i) {
    std::string name = ToLowerAscii(Trim((*fields)[i]));
    // A UTF-8 byte-order mark on the first header cell.
    if (i == 0 && name.rfind("\xEF\xBB\xBF", 0) == 0) name = name.substr(3);
    column[name] = i;
  }
  return column;
}

std::string Field(const std::vector<std::string>& fields,
                  const std::unordered_map<std::string, size_t>& column, const char* name) {
  auto it = column.find(name);
  if (it == column.end() || it->second >= fields.size()) return "";
  return std::string(Trim(fields[it->second]));
}

}  // namespace

Result<std::vector<QueryRow>> ReadQueryCsv(const std::string& path) {
  ENTENTE_ASSIGN_OR_RETURN(std::unique_ptr<CsvReader> reader, CsvReader::Open(path));
  std::vector<std::string> fields;
  ENTENTE_ASSIGN_OR_RETURN(auto column, ReadHeader(*reader, path, &fields));
  for (const char* required : {"id", "name"}) {
    if (!column.count(required)) {
      return InvalidArgument(path + " line 1: missing column '" + std::string(required) +
                             "' (need id,name; optional birth_date,nationality,id_number)");
    }
  }
  std::vector<QueryRow> rows;
  Status error;
  while (reader->Next(&fields, &error)) {
    QueryRow row;
    row.line = reader->line();
    const std::string where = path + " line " + std::to_string(row.line);
    if (!error.ok()) {
      row.skip_reason = where + ": " + error.message();
      error = Status::Ok();
      rows.push_back(std::move(row));
      continue;
    }
    row.id = Field(fields, column, "id");
    row.query.name = Field(fields, column, "name");
    if (row.id.empty()) {
      row.skip_reason = where + ": empty id";
    }
    std::string dob = Field(fields, column, "birth_date");
    if (!dob.empty()) {
      std::string why;
      std::optional<PartialDate> date = PartialDate::Parse(dob, &why);
      if (!date) date = PartialDate::ParseLoose(dob, &why);
      if (date) {
        row.query.birth_date = date;
      } else {
        row.warnings.push_back(where + ": birth_date '" + dob + "' ignored: " + why);
      }
    }
    std::string nationality = Field(fields, column, "nationality");
    if (!nationality.empty()) {
      std::string code = NormalizeCountryCode(nationality);
      if (code.empty()) {
        row.warnings.push_back(where + ": nationality '" + nationality +
                               "' ignored: unknown country code");
      } else {
        row.query.nationality = code;
      }
    }
    row.query.id_number = Field(fields, column, "id_number");
    std::string type = ToLowerAscii(Field(fields, column, "type"));
    if (!type.empty()) {
      std::optional<EntityType> parsed = ParseEntityType(type);
      if (parsed && (*parsed == EntityType::kPerson || *parsed == EntityType::kOrganization)) {
        row.query.type = parsed;
      } else {
        row.warnings.push_back(where + ": type '" + type + "' ignored: not person/organization");
      }
    }
    std::string gender = ToLowerAscii(Field(fields, column, "gender"));
    if (!gender.empty()) {
      std::optional<Gender> parsed = ParseGender(gender);
      if (parsed) {
        row.query.gender = *parsed;
      } else {
        row.warnings.push_back(where + ": gender '" + gender + "' ignored");
      }
    }
    rows.push_back(std::move(row));
  }
  if (!error.ok()) return error.WithContext(path);
  return rows;
}

std::string ScreenSummary::ToString() const {
  char buf[256];
  std::snprintf(buf, sizeof(buf),
                "screened %lld of %lld rows (%lld skipped, %lld warnings): %lld hits for %lld "
                "queries in %.2f s (%.0f queries/s)",
                static_cast<long long>(screened), static_cast<long long>(rows),
                static_cast<long long>(skipped), static_cast<long long>(warnings),
                static_cast<long long>(hits), static_cast<long long>(queries_with_hits), seconds,
                seconds > 0 ? screened / seconds : 0.0);
  return buf;
}

ScreenSummary ScreenQueries(const MatchIndex& index, std::vector<QueryRow>& rows,
                            const ScreenOptions& options,
                            std::vector<std::vector<MatchResult>>* results, ProgressBar* progress) {
  const auto start = std::chrono::steady_clock::now();
  results->assign(rows.size(), {});
  std::atomic<size_t> next{0};
  constexpr size_t kBatch = 64;
  auto worker = [&]() {
    for (;;) {
      const size_t begin = next.fetch_add(kBatch);
      if (begin >= rows.size()) break;
      const size_t end = std::min(rows.size(), begin + kBatch);
      for (size_t row_idx = begin; row_idx < end; ++row_idx) {
        QueryRow& row = rows[row_idx];
        if (!row.skip_reason.empty()) continue;
        MatchQuery query = row.query;
        query.top = options.top;
        query.threshold = options.threshold;
        Result<std::vector<MatchResult>> matched = index.Match(query);
        if (matched.ok()) {
          (*results)[row_idx] = std::move(matched).value();
        } else {
          row.skip_reason = "line " + std::to_string(row.line) + ": " + matched.status().message();
        }
      }
      if (progress != nullptr) progress->Add(end - begin);
    }
  };
  const int threads = std::max(1, options.threads);
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (std::thread& thread : pool) thread.join();

  ScreenSummary summary;
  summary.rows = static_cast<int64_t>(rows.size());
  for (size_t row_idx = 0; row_idx < rows.size(); ++row_idx) {
    summary.warnings += static_cast<int64_t>(rows[row_idx].warnings.size());
    if (!rows[row_idx].skip_reason.empty()) {
      ++summary.skipped;
      continue;
    }
    ++summary.screened;
    summary.hits += static_cast<int64_t>((*results)[row_idx].size());
    if (!(*results)[row_idx].empty()) ++summary.queries_with_hits;
  }
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return summary;
}

Status WriteHitsCsv(const std::string& path, const std::vector<QueryRow>& rows,
                    const std::vector<std::vector<MatchResult>>& results) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return IOError(path + ": cannot open for writing");
  out << "query_id,entity_id,source_id,score,matched_name,explanation\n";
  char score[32];
  for (size_t row_idx = 0; row_idx < rows.size() && row_idx < results.size(); ++row_idx) {
    for (const MatchResult& hit : results[row_idx]) {
      std::snprintf(score, sizeof(score), "%.4f", hit.score);
      out << CsvField(rows[row_idx].id) << ',' << CsvField(hit.entity_id) << ','
          << CsvField(hit.source_record_id) << ',' << score << ',' << CsvField(hit.matched_name)
          << ',' << CsvField(hit.Explanation()) << '\n';
    }
  }
  out.flush();
  if (!out) return IOError(path + ": write failed");
  return Status::Ok();
}

std::string EvalReport::ToString() const {
  char buf[512];
  std::snprintf(buf, sizeof(buf),
                "queries %lld (should hit %lld), answered %lld: TP %lld FP %lld FN %lld\n"
                "precision %.4f  recall %.4f  F1 %.4f  recall@5 %.4f",
                static_cast<long long>(queries), static_cast<long long>(expected_hits),
                static_cast<long long>(answered), static_cast<long long>(true_positives),
                static_cast<long long>(false_positives),
                static_cast<long long>(expected_hits - true_positives), precision, recall, f1,
                recall_at_5);
  std::string out = buf;
  if (unknown_queries > 0) {
    out += "\nwarning: " + std::to_string(unknown_queries) +
           " hit rows name query ids that are not in the truth file";
  }
  return out;
}

Result<EvalReport> EvaluateHits(const std::string& truth_path, const std::string& hits_path,
                                std::optional<double> threshold) {
  // Truth.
  ENTENTE_ASSIGN_OR_RETURN(std::unique_ptr<CsvReader> truth, CsvReader::Open(truth_path));
  std::vector<std::string> fields;
  ENTENTE_ASSIGN_OR_RETURN(auto truth_cols, ReadHeader(*truth, truth_path, &fields));
  for (const char* required : {"query_id", "expected_watchlist_id"}) {
    if (!truth_cols.count(required)) {
      return InvalidArgument(truth_path + " line 1: missing column '" + std::string(required) +
                             "'");
    }
  }
  std::unordered_map<std::string, std::string> expected;
  std::vector<std::string> order;
  Status error;
  while (truth->Next(&fields, &error)) {
    ENTENTE_RETURN_IF_ERROR(
        error.WithContext(truth_path + " line " + std::to_string(truth->line())));
    std::string id = Field(fields, truth_cols, "query_id");
    if (id.empty()) {
      return InvalidArgument(truth_path + " line " + std::to_string(truth->line()) +
                             ": empty query_id");
    }
    if (!expected.emplace(id, Field(fields, truth_cols, "expected_watchlist_id")).second) {
      return InvalidArgument(truth_path + " line " + std::to_string(truth->line()) +
                             ": duplicate query_id '" + id + "'");
    }
    order.push_back(id);
  }
  ENTENTE_RETURN_IF_ERROR(error.WithContext(truth_path));

  // Hits, grouped per query.
  ENTENTE_ASSIGN_OR_RETURN(std::unique_ptr<CsvReader> hits, CsvReader::Open(hits_path));
  ENTENTE_ASSIGN_OR_RETURN(auto hit_cols, ReadHeader(*hits, hits_path, &fields));
  for (const char* required : {"query_id", "source_id", "score"}) {
    if (!hit_cols.count(required)) {
      return InvalidArgument(hits_path + " line 1: missing column '" + std::string(required) + "'");
    }
  }
  std::unordered_map<std::string, std::vector<std::pair<double, std::string>>> by_query;
  EvalReport report;
  while (hits->Next(&fields, &error)) {
    const std::string where = hits_path + " line " + std::to_string(hits->line());
    ENTENTE_RETURN_IF_ERROR(error.WithContext(where));
    std::string id = Field(fields, hit_cols, "query_id");
    std::string score_text = Field(fields, hit_cols, "score");
    char* end = nullptr;
    double score = std::strtod(score_text.c_str(), &end);
    if (score_text.empty() || end == nullptr || *end != '\0') {
      return InvalidArgument(where + ", column score: not a number '" + score_text + "'");
    }
    if (threshold && score < *threshold) continue;
    if (!expected.count(id)) {
      ++report.unknown_queries;
      continue;
    }
    by_query[id].emplace_back(score, Field(fields, hit_cols, "source_id"));
  }
  ENTENTE_RETURN_IF_ERROR(error.WithContext(hits_path));

  report.queries = static_cast<int64_t>(order.size());
  for (const std::string& id : order) {
    const std::string& want = expected[id];
    if (!want.empty()) ++report.expected_hits;
    auto it = by_query.find(id);
    if (it == by_query.end() || it->second.empty()) continue;
    auto& list = it->second;
    std::stable_sort(list.begin(), list.end(),
                     [](const auto& a, const auto& b) { return a.first > b.first; });
    ++report.answered;
    if (!want.empty() && list.front().second == want) {
      ++report.true_positives;
    } else {
      ++report.false_positives;
    }
    if (!want.empty()) {
      for (size_t i = 0; i < list.size() && i < 5; ++i) {
        if (list[i].second == want) {
          ++report.in_top5;
          break;
        }
      }
    }
  }
  report.precision =
      report.answered > 0 ? static_cast<double>(report.true_positives) / report.answered : 0.0;
  report.recall = report.expected_hits > 0
                      ? static_cast<double>(report.true_positives) / report.expected_hits
                      : 0.0;
  report.f1 = report.precision + report.recall > 0
                  ? 2 * report.precision * report.recall / (report.precision + report.recall)
                  : 0.0;
  report.recall_at_5 =
      report.expected_hits > 0 ? static_cast<double>(report.in_top5) / report.expected_hits : 0.0;
  return report;
}

}  // namespace entente::match
