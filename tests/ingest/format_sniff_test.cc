// Import format sniffing (ingest/format_sniff.h) on the real published files of
// ../shared/data, on renamed copies (the name never decides), on files that must be refused
// with the reason, and `entente import PATH` without --format as a user runs it.
#include "ingest/format_sniff.h"

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "ingest_test_util.h"

namespace entente::ingest {
namespace {

using testing::SharedDir;
using testing::TempDir;

std::string Data(const std::string& relative) {
  std::string path = SharedDir() + "/data/" + relative;
  EXPECT_TRUE(std::filesystem::exists(path)) << path << " is missing";
  return path;
}

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void ExpectFormat(const std::string& path, const std::string& format) {
  auto found = SniffFormat(path);
  ASSERT_TRUE(found.ok()) << path << ": " << found.status().ToString();
  EXPECT_EQ(found->format, format) << path << " (" << found->evidence << ")";
  EXPECT_FALSE(found->evidence.empty()) << path;
}

void ExpectRefused(const std::string& path, const std::string& says) {
  auto found = SniffFormat(path);
  ASSERT_FALSE(found.ok()) << path << " sniffed as " << found->format;
  EXPECT_EQ(found.status().code(), StatusCode::kInvalidArgument) << found.status().ToString();
  EXPECT_NE(found.status().message().find(path), std::string::npos) << found.status().ToString();
  EXPECT_NE(found.status().message().find(says), std::string::npos) << found.status().ToString();
}

TEST(FormatSniff, TellsEveryRealPublishedFile) {
  ExpectFormat(Data("stix/oasis_examples/apt1.json"), "stix");
  ExpectFormat(Data("stix/mitre_attack/ics-attack-18.1.json"), "stix");
  ExpectFormat(Data("un_sc/consolidated_2025-11-20.xml"), "un");
  ExpectFormat(Data("ofac_sdn"), "sdn");
  ExpectFormat(Data("ofac_sdn/sdn.csv"), "sdn");
  ExpectFormat(Data("opensanctions/yente_zala_entities.ftm.json"), "ftm");
  ExpectFormat(Data("opensanctions/yente_t1_entities.ftm.json"), "ftm");
  ExpectFormat(Data("opensanctions/yente_t2_20240527194702_entities.delta.json"), "ftm");
  ExpectFormat(Data("eu_fsf"), "eu-fsf");
  ExpectFormat(Data("eu_fsf/output_namealias_english_2.csv"), "eu-fsf");
  ExpectFormat(Data("eu_fsf/eu-list-BirthDate-src.csv"), "eu-fsf");  // with a BOM
  ExpectFormat(Data("uk_fcdo/uk_sanctions_list_2025-08-11.csv"), "uk-fcdo");
  ExpectFormat(Data("uk_hmt_conlist_sample/ConList.csv"), "uk-hmt");  // shifted header
  for (const auto& entry : std::filesystem::directory_iterator(Data("stix/oasis_examples")))
    if (entry.path().extension() == ".json") ExpectFormat(entry.path().string(), "stix");
}

TEST(FormatSniff, TheNameNeverDecides) {
  TempDir dir;
  // Real content under misleading names.
  ExpectFormat(dir.Write("list.csv", Slurp(Data("stix/oasis_examples/apt1.json"))), "stix");
  ExpectFormat(dir.Write("bundle.json", Slurp(Data("uk_hmt_conlist_sample/ConList.csv"))),
               "uk-hmt");
  ExpectFormat(dir.Write("x.txt", Slurp(Data("un_sc/consolidated_2025-04-19.xml"))), "un");
  // Hand-written files of the other formats.
  ExpectFormat(dir.Write("event.json", R"({"Event": {"uuid": "5e1f", "info": "x"}})"), "misp");
  ExpectFormat(dir.Write("events.json", R"([{"Event": {"uuid": "5e1f"}}])"), "misp");
  ExpectFormat(dir.Write("search.json", R"({"response": [{"Event": {}}]})"), "misp");
  ExpectFormat(dir.Write("gels.json", R"({"Publications": {"PublicationDetail": []}})"), "fr-gels");
  ExpectFormat(dir.Write("people.csv", "id,name,birth_date\nA-1,\"DUPONT, Jean\",1970\n"), "csv");
  ExpectFormat(dir.Write("rows.jsonl", "{\"id\":\"W-1\",\"name\":\"X\"}\n{\"id\":\"W-2\"}\n"),
               "jsonl");
  ExpectFormat(
      dir.Write("export.jsonl", "{\"id\":\"person--1\",\"type\":\"person\",\"names\":[]}\n"),
      "jsonl");
  ExpectFormat(dir.Write("fsf.xml",
                         "<?xml version=\"1.0\"?>\n<!-- EU -->\n<export "
                         "xmlns=\"http://eu.europa.ec/fpi/fsd/export\"><sanction"
                         "Entity/></export>"),
               "eu-fsf");
  std::filesystem::create_directories(dir.File("feed"));
  dir.Write("feed/manifest.json", "{}");
  ExpectFormat(dir.File("feed"), "misp");
}

TEST(FormatSniff, RefusesWhatItCannotTellSayingWhy) {
  TempDir dir;
  ExpectRefused(dir.Write("empty.json", ""), "empty file");
  ExpectRefused(dir.Write("blank.csv", " \n\n"), "empty file");
  ExpectRefused(Data("ofac_consolidated/consolidated.xml"), "<sdnList>");
  ExpectRefused(Data("ofac_sdn/alt.csv"), "OFAC SDN part");
  ExpectRefused(dir.Write("other.xml", "<rss version=\"2.0\"><channel/></rss>"), "<rss>");
  ExpectRefused(dir.Write("config.json", R"({"server": {"port": 8443}, "tls": {}})"),
                "\"server\", \"tls\"");
  ExpectRefused(dir.Write("list.json", R"([{"a": 1}])"), "first item has \"a\"");
  ExpectRefused(
      dir.Write("manifest.json", R"({"5e1f0a2b-1c2d-4e5f-8a9b-0c1d2e3f4a5b": {"info": "x"}})"),
      "MISP feed manifest");
  ExpectRefused(dir.Write("notes.txt", "just some words\nmore words\n"), "just some words");
  ExpectRefused(dir.Write("image.png", std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16)), "binary");
  std::filesystem::create_directories(dir.File("folder"));
  dir.Write("folder/readme.txt", "hello");
  ExpectRefused(dir.File("folder"), "neither sdn.csv");
  auto missing = SniffFormat(dir.File("nothing-here.json"));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
}

// `entente import PATH` without --format, the real binary.
struct CliRun {
  int exit_code;
  std::string out;
};

CliRun Import(const TempDir& dir, const std::vector<std::string>& paths) {
  std::string cmd =
      std::string(ENTENTE_BINARY) + " --db " + dir.File("store.db") + " import --quiet";
  for (const std::string& p : paths) cmd += " '" + p + "'";
  cmd += " > " + dir.File("out.txt") + " 2>&1";
  int status = std::system(cmd.c_str());
  return {WEXITSTATUS(status), Slurp(dir.File("out.txt"))};
}

TEST(FormatSniff, ImportWithoutFormatNamesWhatItFoundOrRefuses) {
  TempDir dir;
  CliRun un = Import(dir, {Data("un_sc/consolidated_2025-11-20.xml")});
  EXPECT_EQ(un.exit_code, 0) << un.out;
  EXPECT_NE(un.out.find("format un: XML whose root is <CONSOLIDATED_LIST>"), std::string::npos)
      << un.out;
  EXPECT_NE(un.out.find("created"), std::string::npos) << un.out;
  CliRun stix = Import(dir, {Data("stix/oasis_examples/apt1.json")});
  EXPECT_EQ(stix.exit_code, 0) << stix.out;
  EXPECT_NE(stix.out.find("format stix:"), std::string::npos) << stix.out;
  // Refused: nothing written, the reason printed.
  TempDir other;
  std::string config = other.Write("config.json", R"({"server": {}})");
  CliRun refused = Import(other, {config});
  EXPECT_NE(refused.exit_code, 0) << refused.out;
  EXPECT_NE(refused.out.find("cannot tell the import format"), std::string::npos) << refused.out;
  EXPECT_NE(refused.out.find("\"server\""), std::string::npos) << refused.out;
  EXPECT_FALSE(std::filesystem::exists(other.File("store.db"))) << "a store was created";
  // Two paths of different formats.
  CliRun mixed = Import(other, {Data("ofac_sdn"), Data("un_sc/consolidated_2025-04-19.xml")});
  EXPECT_NE(mixed.exit_code, 0) << mixed.out;
  EXPECT_NE(mixed.out.find("is un"), std::string::npos) << mixed.out;
  EXPECT_NE(mixed.out.find("import them separately"), std::string::npos) << mixed.out;
}

}  // namespace
}  // namespace entente::ingest
