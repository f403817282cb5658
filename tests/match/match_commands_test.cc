// `entente match`, `entente screen` and `entente eval` as a user runs them: a real process, a
// real SQLite store in a temp dir, filled by `entente import --format csv`.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "../run_entente.h"

namespace entente {
namespace {

using entente::testing::RunCommand;
using CommandRun = entente::testing::CommandResult;

class MatchCommandsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(ENTENTE_BINARY)) GTEST_SKIP() << "no " << ENTENTE_BINARY;
    dir_ = std::filesystem::temp_directory_path() /
           ("entente_match_cli_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    Write("watchlist.csv",
          "id,name,aliases,birth_date,nationality,id_number,category\n"
          "W1,\"EL IDRISSI, Mohammed\",Muhammad bin Abd al-Qadir al-Idrisi,1987-03-04,MA,,TEST\n"
          "W2,\"MARTIN, Jean\",,1960-01-01,FR,,TEST\n"
          "W3,AL-BARAKAT TRADING COMPANY LLC,,,,,TEST\n");
    entente_ = std::string(ENTENTE_BINARY) + " --db " + (dir_ / "store.db").string();
    CommandRun imported = RunCommand(entente_ + " import --format csv " + Path("watchlist.csv"));
    if (imported.exit_code != 0) {
      GTEST_SKIP() << "entente import --format csv is not available yet: " << imported.output;
    }
  }
  void TearDown() override {
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }
  std::string Path(const std::string& name) { return (dir_ / name).string(); }
  void Write(const std::string& name, const std::string& text) {
    std::ofstream(Path(name), std::ios::binary) << text;
  }
  std::string Read(const std::string& name) {
    std::ifstream in(Path(name));
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
  }
  std::filesystem::path dir_;
  std::string entente_;
};

TEST_F(MatchCommandsTest, MatchPrintsRankedExplainedResults) {
  CommandRun run = RunCommand(entente_ +
                              " match 'Mohamed Ben Abdelkader EL IDRISSI' --birth-date 1987-03-04 "
                              "--nationality MA --top 3");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find(" 1. "), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("W1"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("HIT"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("birth_date"), std::string::npos) << run.output;
}

TEST_F(MatchCommandsTest, MatchRejectsBadInput) {
  EXPECT_EQ(RunCommand(entente_ + " match Al").exit_code, 2);
  EXPECT_EQ(RunCommand(entente_ + " match 'Jean Martin' --birth-date 31/02/1990").exit_code, 2);
  EXPECT_EQ(RunCommand(entente_ + " match 'Jean Martin' --nationality QQ").exit_code, 2);
  EXPECT_EQ(RunCommand(entente_ + " match 'Jean Martin' --type vehicle").exit_code, 2);
  EXPECT_EQ(RunCommand(entente_ + " match --help").exit_code, 0);
}

TEST_F(MatchCommandsTest, ScreenThenEval) {
  Write("queries.csv",
        "id,name,birth_date,nationality,id_number\n"
        "Q1,Muhammad al-Idrisi,1987-03-04,MA,\n"
        "Q2,Someone Else Entirely,,,\n"
        "Q3,Al,0000-00-00,,\n");
  CommandRun run = RunCommand(entente_ + " screen --input " + Path("queries.csv") + " --output " +
                              Path("hits.csv") + " --threads 2");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("screened 2 of 3 rows (1 skipped"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("line 4"), std::string::npos) << run.output;
  std::string hits = Read("hits.csv");
  EXPECT_EQ(hits.rfind("query_id,entity_id,source_id,score,matched_name,explanation\n", 0), 0u);
  EXPECT_NE(hits.find("Q1,"), std::string::npos) << hits;
  EXPECT_NE(hits.find(",W1,"), std::string::npos) << hits;

  Write("truth.csv", "query_id,expected_watchlist_id\nQ1,W1\nQ2,\nQ3,\n");
  CommandRun eval =
      RunCommand(entente_ + " eval --truth " + Path("truth.csv") + " --hits " + Path("hits.csv"));
  ASSERT_EQ(eval.exit_code, 0) << eval.output;
  EXPECT_NE(eval.output.find("precision 1.0000"), std::string::npos) << eval.output;
  EXPECT_NE(eval.output.find("recall 1.0000"), std::string::npos) << eval.output;
}

TEST_F(MatchCommandsTest, ScreenRejectsFileWithoutNameColumn) {
  Write("bad.csv", "id,birth_date\nQ1,1990\n");
  CommandRun run =
      RunCommand(entente_ + " screen --input " + Path("bad.csv") + " --output " + Path("hits.csv"));
  EXPECT_EQ(run.exit_code, 2) << run.output;
  EXPECT_NE(run.output.find("missing column 'name'"), std::string::npos) << run.output;
}

}  // namespace
}  // namespace entente
