// `entente demo` end to end: the real binary (ENTENTE_BINARY) in a temp workdir with small
// sizes. Checks the story the officer reads: the two-node exchange received records and traced
// a hit to DGSN-DGST, hit/no-hit gave a hit, a no-hit and an approved follow-up, and the
// applicant linked through the partner's record is rated high or critical; a second run in the
// same workdir works; a nodes folder the demo did not make is left alone.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>

#include "../run_entente.h"
#include "common/ids.h"

namespace entente::demo {
namespace {

namespace fs = std::filesystem;

using entente::testing::CommandResult;
using entente::testing::RunEntente;

class DemoCommand : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(ENTENTE_BINARY))
      GTEST_SKIP() << "no entente binary at " << ENTENTE_BINARY << ": build target entente";
    dir_ = (fs::temp_directory_path() / ("entente-demo-test-" + RandomHex(6))).string();
    fs::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ec;
    if (!dir_.empty()) fs::remove_all(dir_, ec);
  }

  // As `make demo` does: a fresh main store, the same workdir.
  CommandResult RunDemo() {
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(dir_ + "/entente.db" + suffix);
    return RunEntente("--db " + dir_ + "/entente.db demo --workdir " + dir_ +
                      " --persons 200 --applicants 300");
  }

  // The first number captured by `pattern` in `text`; -1 when absent.
  static long long Number(const std::string& text, const std::string& pattern) {
    std::smatch m;
    if (!std::regex_search(text, m, std::regex(pattern))) return -1;
    return std::stoll(m[1].str());
  }

  std::string dir_;
};

TEST_F(DemoCommand, TellsTheWholeStory) {
  CommandResult r = RunDemo();
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const std::string& out = r.output;

  // Exchange: records shared and held back, received by France, a hit traced to Morocco.
  EXPECT_GT(Number(out, R"(under the agreement (\d+) are shared with DGSI)"), 0) << out;
  EXPECT_GT(Number(out, R"(and (\d+) held back)"), 0) << out;
  long long received = Number(out, R"(France received (\d+) records from DGSN-DGST)");
  EXPECT_GT(received, 0) << out;
  EXPECT_EQ(Number(out, R"((\d+) rejected\))"), 0) << out;
  EXPECT_GT(Number(out, R"((\d+) hit\(s\) trace back to DGSN-DGST records)"), 0) << out;
  EXPECT_NE(out.find("traced to DGSN-DGST: "), std::string::npos) << out;
  EXPECT_TRUE(std::regex_search(
      out,
      std::regex(
          R"(traced to DGSN-DGST: .* - from DGSN-DGST .*TLP:AMBER.*received signed by DGSN-DGST key)")))
      << out;

  // Hit/no-hit: a hit with a reference and band, a no-hit, the private mode leaking nothing, an
  // approved follow-up whose record arrived with Morocco's provenance.
  EXPECT_TRUE(std::regex_search(
      out,
      std::regex(R"(traveller 1 \(.*\): hit, reference hnh-[0-9a-f]+, band (high|medium|low))")))
      << out;
  EXPECT_TRUE(std::regex_search(out, std::regex(R"(traveller 2 \(.*\): no-hit)"))) << out;
  EXPECT_NE(out.find("answers hit, no-hit;"), std::string::npos) << out;
  EXPECT_NE(out.find("in the clear: none"), std::string::npos) << out;
  EXPECT_TRUE(std::regex_search(out, std::regex(R"(Follow-up fu-\S+ approved by ma-liaison)")))
      << out;
  EXPECT_TRUE(std::regex_search(out, std::regex(R"(approved: .*; 1 record\(s\) stored)"))) << out;
  EXPECT_TRUE(std::regex_search(out, std::regex(R"(received at DGSI: .* - from DGSN-DGST)")))
      << out;

  // Link analysis and risk.
  EXPECT_NE(out.find("smuggling ring (narcotics)"), std::string::npos) << out;
  EXPECT_NE(out.find("trafficking ring (human-trafficking)"), std::string::npos) << out;
  EXPECT_NE(out.find("found first: yes"), std::string::npos) << out;
  EXPECT_TRUE(
      std::regex_search(out, std::regex(R"(linked applicant APP-LINKED: (high|critical) )")))
      << out;
  EXPECT_TRUE(std::regex_search(out, std::regex(R"(records only\.)"))) << out;

  EXPECT_NE(out.find("Morocco's server is stopped"), std::string::npos) << out;

  // Again in the same workdir: the nodes are rebuilt from scratch, the figures repeat.
  CommandResult again = RunDemo();
  ASSERT_EQ(again.exit_code, 0) << again.output;
  EXPECT_EQ(Number(again.output, R"(France received (\d+) records from DGSN-DGST)"), received)
      << again.output;
}

TEST_F(DemoCommand, LeavesAFolderItDidNotMakeAlone) {
  fs::create_directories(dir_ + "/nodes");
  std::ofstream(dir_ + "/nodes/precious.txt") << "not the demo's\n";
  CommandResult r = RunDemo();
  EXPECT_NE(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("was not made by `entente demo`"), std::string::npos) << r.output;
  EXPECT_TRUE(fs::exists(dir_ + "/nodes/precious.txt"));
}

TEST_F(DemoCommand, HelpNamesTheOptions) {
  CommandResult r = RunEntente("demo --help");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("--workdir"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("--persons"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace entente::demo
