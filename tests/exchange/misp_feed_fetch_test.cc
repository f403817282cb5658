// A MISP feed imported by URL (exchange/misp_feed_fetch.h): a real HTTP server on loopback
// serves manifest.json and the event files, as a MISP instance publishes a feed; the fetch
// writes them to a folder the MISP reader imports, and refuses what is not a whole feed.
#include "exchange/misp_feed_fetch.h"

#include <gtest/gtest.h>
#include <httplib.h>
#include <stdlib.h>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "../run_entente.h"
#include "../test_store_target.h"
#include "ingest/importer.h"
#include "store/database.h"
#include "store/record_store.h"

namespace entente::exchange {
namespace {

constexpr const char* kEvent = "5f4b2c1e-1a2b-4c3d-8e9f-0a1b2c3d4e21";

std::string EventJson() {
  nlohmann::json attribute = {{"uuid", "5f4b2c1e-1a2b-4c3d-8e9f-0a1b2c3d4f31"},
                              {"type", "full-name"},
                              {"category", "Person"},
                              {"value", "Karim BEN SALAH"},
                              {"to_ids", false}};
  return nlohmann::json{{"Event",
                         {{"uuid", kEvent},
                          {"info", "Financing network of a terrorist cell"},
                          {"date", "2025-10-05"},
                          {"threat_level_id", "1"},
                          {"analysis", "1"},
                          {"timestamp", "1700000100"},
                          {"Orgc", {{"name", "CIRCL"}}},
                          {"Tag", {{{"name", "tlp:green"}}, {{"name", "terrorism"}}}},
                          {"Attribute", {attribute}}}}}
      .dump();
}

std::string ManifestJson() {
  return nlohmann::json{{kEvent,
                         {{"info", "Financing network of a terrorist cell"},
                          {"date", "2025-10-05"},
                          {"timestamp", "1700000100"}}}}
      .dump();
}

// Serves the files of `files_` under /feed/; any other path is a 404.
class FeedServer {
 public:
  FeedServer() {
    files_ = {{"/feed/manifest.json", ManifestJson()},
              {std::string("/feed/") + kEvent + ".json", EventJson()}};
    server_.Get(".*", [this](const httplib::Request& req, httplib::Response& res) {
      auto found = files_.find(req.path);
      if (found == files_.end()) {
        res.status = 404;
        return;
      }
      res.set_content(found->second, "application/json");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::yield();
  }
  ~FeedServer() {
    server_.stop();
    thread_.join();
  }
  std::string Url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/feed/"; }
  std::map<std::string, std::string>& files() { return files_; }

 private:
  std::map<std::string, std::string> files_;
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
};

class Folder {
 public:
  Folder() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "entente-feed-test-XXXXXX").string();
    path_ = mkdtemp(pattern.data());
  }
  ~Folder() { std::filesystem::remove_all(path_); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

TEST(MispFeedFetch, AFeedFetchedByUrlImportsAsItsFolderWould) {
  FeedServer feed;
  Folder folder;
  auto fetched = FetchMispFeed(feed.Url(), folder.path());
  ASSERT_TRUE(fetched.ok()) << fetched.status().ToString();
  EXPECT_EQ(*fetched, 1);
  EXPECT_TRUE(std::filesystem::exists(folder.path() + "/manifest.json"));
  EXPECT_TRUE(std::filesystem::exists(folder.path() + "/" + kEvent + ".json"));
  auto db = Database::Open(::entente::testing::StoreTarget(folder.path() + "/store.db"));
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(RecordStore::Migrate(**db).ok());
  RecordStore store(db->get());
  ingest::ImportOptions options;
  options.format = "misp";
  options.paths = {folder.path()};
  options.defaults.service = "DGSI";
  options.progress = false;
  auto report = ingest::RunImport(store, options);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_GE(report->created, 2) << "the event and the person it names";
}

TEST(MispFeedFetch, WhatIsNotAWholeFeedIsRefusedNamingTheUrl) {
  FeedServer feed;
  auto fails = [&](const std::string& url, StatusCode code, const std::string& part,
                   const FeedFetchOptions& options = {}) {
    Folder folder;
    auto fetched = FetchMispFeed(url, folder.path(), options);
    ASSERT_FALSE(fetched.ok()) << url;
    EXPECT_EQ(fetched.status().code(), code) << fetched.status().ToString();
    EXPECT_NE(fetched.status().message().find(part), std::string::npos)
        << fetched.status().ToString();
    EXPECT_FALSE(std::filesystem::exists(folder.path() + "/manifest.json"))
        << "a feed not fetched whole leaves no manifest to import";
  };
  fails(feed.Url() + "../nowhere/", StatusCode::kNotFound,
        "manifest.json: the server answered HTTP 404");
  fails("ftp://127.0.0.1/feed/", StatusCode::kInvalidArgument, "https:// or http://");
  FeedFetchOptions tiny;
  tiny.max_file_bytes = 40;
  fails(feed.Url(), StatusCode::kResourceExhausted, "more than 40 bytes", tiny);
  feed.files()["/feed/manifest.json"] = "[1, 2, 3]";
  fails(feed.Url(), StatusCode::kInvalidArgument, "not a MISP feed manifest");
  feed.files()["/feed/manifest.json"] = R"({"../../etc/passwd": {}})";
  fails(feed.Url(), StatusCode::kInvalidArgument, "not an event uuid");
  feed.files()["/feed/manifest.json"] = ManifestJson();
  feed.files().erase(std::string("/feed/") + kEvent + ".json");
  fails(feed.Url(), StatusCode::kNotFound,
        std::string(kEvent) + ".json: the server answered HTTP 404");
}

TEST(MispFeedFetch, TheImportCommandTakesAFeedUrl) {
  FeedServer feed;
  Folder folder;
  const std::string db = ::entente::testing::StoreTarget(folder.path() + "/cli.db");
  std::string out;
  ASSERT_EQ(::entente::testing::RunEntente({"--db", db, "import", "--quiet", feed.Url()}, &out), 0)
      << out;
  EXPECT_NE(out.find("fetched 1 event from " + feed.Url()), std::string::npos) << out;
  EXPECT_NE(out.find("imported"), std::string::npos) << out;
  feed.files().clear();
  EXPECT_NE(::entente::testing::RunEntente({"--db", db, "import", feed.Url()}, &out), 0);
  EXPECT_NE(out.find("import failed, nothing was written"), std::string::npos) << out;
  EXPECT_NE(
      ::entente::testing::RunEntente({"--db", db, "import", "--format", "csv", feed.Url()}, &out),
      0);
  EXPECT_NE(out.find("only a MISP feed"), std::string::npos) << out;
}

}  // namespace
}  // namespace entente::exchange
