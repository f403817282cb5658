// Test bodies of the bulk write path that run on both back ends (record_store_batch_test.cc on
// SQLite, postgres_store_test.cc on PostgreSQL): Database::InsertRows (COPY on PostgreSQL) and
// Writer batches that mix new records with stored ones, on a fresh store and on a used one.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "store/database.h"
#include "store/record_store.h"
#include "test_store.h"

namespace entente::testing {

// Text with every character COPY's text format escapes, a literal "\N", empty text and NULL
// come back exactly as given; so do integers and reals.
inline void ExpectInsertRowsKeepsEveryValue(Database& db) {
  ASSERT_TRUE(db.ExecuteScript("CREATE TABLE bulk (k BIGINT PRIMARY KEY, t TEXT, x DOUBLE "
                               "PRECISION)")
                  .ok());
  const std::vector<std::string> texts = {"tab\there",      "new\nline", "back\\slash",
                                          "cr\r",           "\\N",       "",
                                          "d\xC3\xA9j\xC3\xA0 \"q\""};
  const std::string_view columns[] = {"k", "t", "x"};
  const size_t rows = texts.size() + 1;  // the last row's text is NULL
  Status s = db.InsertRows("bulk", columns, rows, [&](size_t row, std::vector<SqlParam>* out) {
    out->push_back(static_cast<int64_t>(row) - 3);
    out->push_back(row < texts.size() ? SqlParam(std::string_view(texts[row])) : SqlParam());
    out->push_back(row * 0.25);
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
  auto got = db.Query("SELECT k, t, x FROM bulk ORDER BY k");
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  ASSERT_EQ(got->size(), rows);
  for (size_t row = 0; row < rows; ++row) {
    const SqlRow& r = (*got)[row];
    EXPECT_EQ(r.Int(0), static_cast<int64_t>(row) - 3);
    if (row < texts.size()) {
      EXPECT_EQ(r.Text(1), texts[row]) << "row " << row;
    } else {
      EXPECT_TRUE(r.IsNull(1));
    }
    EXPECT_DOUBLE_EQ(r.Real(2), row * 0.25);
  }
}

// A row whose key is stored already fails the whole call with Conflict: none of its rows stay.
// A row given the wrong number of values is refused without a crash, and nothing stays either.
inline void ExpectInsertRowsRefusesAnExistingKeyAndABadRow(Database& db) {
  ASSERT_TRUE(db.ExecuteScript("CREATE TABLE keyed (k BIGINT PRIMARY KEY, t TEXT)").ok());
  ASSERT_TRUE(db.Execute("INSERT INTO keyed (k, t) VALUES (1, 'first')").ok());
  const std::string_view columns[] = {"k", "t"};
  Status s = db.InsertRows("keyed", columns, 3, [](size_t row, std::vector<SqlParam>* out) {
    out->push_back(int64_t{row == 2 ? 1 : 10 + static_cast<int64_t>(row)});
    out->push_back(std::string_view("again"));
  });
  EXPECT_EQ(s.code(), StatusCode::kConflict) << s.ToString();
  s = db.InsertRows("keyed", columns, 2, [](size_t row, std::vector<SqlParam>* out) {
    out->push_back(int64_t{20 + static_cast<int64_t>(row)});
    if (row == 0) out->push_back(std::string_view("one value short on the next row"));
  });
  EXPECT_FALSE(s.ok());
  auto got = db.Query("SELECT k, t FROM keyed ORDER BY k");
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  ASSERT_EQ(got->size(), 1u);
  EXPECT_EQ((*got)[0].Text(1), "first");
}

// People "<tag>0".."<tag>n-1", one name each.
inline std::vector<Record> Persons(int n, const std::string& tag) {
  std::vector<Record> out;
  for (int i = 0; i < n; ++i)
    out.push_back(SamplePerson(tag + std::to_string(i), "Person " + tag + std::to_string(i)));
  return out;
}

// On a fresh store a Writer skips looking up ids it has not written, but one it wrote in an
// earlier batch is still found (an update, not a second row); a later Writer sees everything.
// Batches larger than one write (512 records) cross the split.
inline void ExpectBatchesMixingNewAndStoredRecords(RecordStore& store) {
  std::vector<Record> first = Persons(700, "a");
  {
    auto writer = store.BeginWrite();
    ASSERT_TRUE(writer.ok()) << writer.status().ToString();
    ASSERT_TRUE((*writer)->PutBatch(first, nullptr).ok());
    // The same Writer again: 3 of its own records changed, one unchanged, 2 new.
    std::vector<Record> again;
    for (int i : {5, 600, 699}) {
      Entity e = std::get<Entity>(first[i]);
      e.names.push_back({"Alias " + std::to_string(i), NameKind::kAlias, "Latn"});
      again.push_back(e);
    }
    again.push_back(first[10]);
    for (Record& r : Persons(2, "b")) again.push_back(std::move(r));
    std::vector<PutOutcome> outcomes;
    Status s = (*writer)->PutBatch(again, &outcomes);
    ASSERT_TRUE(s.ok()) << s.ToString();
    EXPECT_EQ(outcomes[0].effect, PutOutcome::Effect::kUpdated);
    EXPECT_EQ(outcomes[0].version, 2);
    EXPECT_EQ(outcomes[2].effect, PutOutcome::Effect::kUpdated);
    EXPECT_EQ(outcomes[3].effect, PutOutcome::Effect::kUnchanged);
    EXPECT_EQ(outcomes[4].effect, PutOutcome::Effect::kCreated);
    ASSERT_TRUE((*writer)->Commit().ok());
    EXPECT_EQ((*writer)->summary().created, 702);
    EXPECT_EQ((*writer)->summary().updated, 3);
  }
  // A Writer on a used store: every id is looked up.
  std::vector<Record> mixed = {first[1], Persons(1, "c")[0]};
  Entity changed = std::get<Entity>(first[2]);
  changed.names.push_back({"Another", NameKind::kAlias, "Latn"});
  mixed.push_back(changed);
  auto summary = store.PutAll(mixed);
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  EXPECT_EQ(summary->unchanged, 1);
  EXPECT_EQ(summary->created, 1);
  EXPECT_EQ(summary->updated, 1);
  auto stats = store.Stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->records, 703);
  EXPECT_EQ(stats->versions, 703 + 4);
  auto history = store.History(MetaOf(first[5]).id);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 2u);
  auto feed = store.ChangesSince(0, 10000);
  ASSERT_TRUE(feed.ok());
  ASSERT_EQ(feed->size(), 707u);
  for (size_t i = 0; i < feed->size(); ++i) EXPECT_EQ((*feed)[i].seq, static_cast<int64_t>(i + 1));
}

}  // namespace entente::testing
