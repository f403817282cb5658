// Shared set-up for the server tests: a temp folder with a real SQLite store, a CA and server
// and client certificates made by server/pki.h, one user per role, and a real HttpServer on a
// free loopback port speaking HTTPS. Clients verify the server certificate against the CA.
#pragma once

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "../temp_dir.h"
#include "../test_store_target.h"
#include "auth/user_store.h"
#include "common/ids.h"
#include "ingest/record_ids.h"
#include "model/codec.h"
#include "server/http_server.h"
#include "server/pki.h"
#include "store/database.h"
#include "store/record_store.h"

namespace entente::server::testing {

using entente::testing::MakeTempDir;

inline Entity MakePerson(const std::string& name, Tlp tlp, const std::string& service = "DGSN-DGST",
                         std::vector<std::string> releasable_to = {}) {
  Entity person;
  person.type = EntityType::kPerson;
  person.meta.id = RandomId("person");
  person.meta.provenance = {service, "test", person.meta.id, "", ""};
  person.meta.grades = {'B', 2};
  person.meta.category = ThreatCategory::kTerrorism;
  person.meta.marking = {tlp, std::move(releasable_to)};
  person.names.push_back({name, NameKind::kPrimary, "Latn"});
  person.nationalities = {"MA"};
  return person;
}

// An organization built as MakePerson builds a person (its own id, the same defaults).
inline Entity MakeOrganization(const std::string& name, Tlp tlp,
                               const std::string& service = "DGSN-DGST") {
  Entity organization = MakePerson(name, tlp, service);
  organization.type = EntityType::kOrganization;
  organization.meta.id = RandomId("organization");
  organization.meta.provenance.source_record_id = organization.meta.id;
  return organization;
}

struct TestUser {
  std::string name;
  Role role;
  Tlp clearance;
  std::string service;
  std::string token;
};

class TestServer {
 public:
  // `configure` may change the config before start (limits, partners). `store`: the store
  // target; empty: StoreTarget(<dir>/store.db), the run's store.
  explicit TestServer(const std::function<void(ServerConfig&)>& configure = nullptr,
                      const std::string& store = "") {
    spdlog::set_level(spdlog::level::warn);
    dir_ = MakeTempDir("entente-server-test");
    pki_dir_ = dir_ + "/pki";
    Status ca = CreateCa(pki_dir_, "test CA");
    EXPECT_TRUE(ca.ok()) << ca.ToString();
    Status server_cert =
        IssueCertificate(pki_dir_, "server",
                         {"localhost", CertificateKind::kServer, {"localhost"}, {"127.0.0.1"}, 30});
    EXPECT_TRUE(server_cert.ok()) << server_cert.ToString();
    db_path_ = store.empty() ? ::entente::testing::StoreTarget(dir_ + "/store.db") : store;
    {
      auto db = Database::Open(db_path_);
      EXPECT_TRUE(db.ok());
      EXPECT_TRUE(RecordStore::Migrate(**db).ok());
      EXPECT_TRUE(UserStore::Migrate(**db).ok());
      auto key = TokenKey::LoadOrCreate(DefaultTokenKeyPath(db_path_));
      EXPECT_TRUE(key.ok());
      UserStore users(db->get(), *key);
      AddUser(users, "ana", Role::kAnalyst, Tlp::kRed, "DGSN-DGST");
      AddUser(users, "sam", Role::kScreeningOfficer, Tlp::kAmber, "DGSN-DGST");
      AddUser(users, "lia", Role::kLiaison, Tlp::kAmber, "DGSN-DGST");
      AddUser(users, "adm", Role::kAdmin, Tlp::kGreen, "DGSN-DGST");
      AddUser(users, "aud", Role::kAuditor, Tlp::kRed, "DGSN-DGST");
      AddUser(users, "par", Role::kPartner, Tlp::kGreen, "DGSI");
      AddUser(users, "green-analyst", Role::kAnalyst, Tlp::kGreen, "DGSN-DGST");
      AddUser(users, "fr-analyst", Role::kAnalyst, Tlp::kRed, "DGSI");
    }
    ServerConfig config;
    config.db_target = db_path_;
    config.host = "127.0.0.1";
    config.port = 0;
    config.service = "DGSN-DGST";
    config.tls_cert = pki_dir_ + "/server.crt";
    config.tls_key = pki_dir_ + "/server.key";
    config.client_ca = pki_dir_ + "/ca.crt";
    config.limits.max_connections = 16;
    // A PostgreSQL store given by the test has no default record-id key file.
    if (ingest::DefaultRecordIdKeyPath(db_path_).empty()) config.id_key_file = dir_ + "/id-key";
    if (configure) configure(config);
    config_ = config;
    server_ = std::make_unique<HttpServer>(config);
  }

  ~TestServer() {
    server_.reset();
    std::error_code error;
    std::filesystem::remove_all(dir_, error);
  }

  void Start() {
    Status started = server_->Start();
    ASSERT_TRUE(started.ok()) << started.ToString();
  }

  // Stops the server and starts a new one over the same store and settings (on a new port).
  void Restart() {
    server_.reset();
    server_ = std::make_unique<HttpServer>(config_);
    Start();
  }

  HttpServer& server() { return *server_; }
  const std::string& dir() const { return dir_; }
  const std::string& pki_dir() const { return pki_dir_; }
  const std::string& db_path() const { return db_path_; }
  const TestUser& user(const std::string& name) { return users_.at(name); }
  const std::map<std::string, TestUser>& users() const { return users_; }

  // Adds a user (before or after Start); their token is in user(name).token.
  void AddUserNow(const std::string& name, Role role, Tlp clearance, const std::string& service) {
    auto db = Database::Open(db_path_);
    ASSERT_TRUE(db.ok());
    auto key = TokenKey::LoadOrCreate(DefaultTokenKeyPath(db_path_));
    ASSERT_TRUE(key.ok());
    UserStore users(db->get(), *key);
    AddUser(users, name, role, clearance, service);
  }

  // Writes records straight into the store (the trusted layer).
  void Put(const std::vector<Record>& records) {
    auto db = Database::Open(db_path_);
    ASSERT_TRUE(db.ok());
    RecordStore store(db->get());
    auto written = store.PutAll(records);
    ASSERT_TRUE(written.ok()) << written.status().ToString();
  }

  std::unique_ptr<httplib::SSLClient> Client() {
    auto client = std::make_unique<httplib::SSLClient>("127.0.0.1", server_->port());
    client->set_ca_cert_path((pki_dir_ + "/ca.crt").c_str());
    client->enable_server_certificate_verification(true);
    client->set_connection_timeout(5);
    client->set_read_timeout(20);
    return client;
  }

  httplib::Headers Auth(const std::string& user_name) {
    if (user_name.empty()) return {};
    return {{"Authorization", "Bearer " + users_.at(user_name).token}};
  }

  // One request; `user` empty: no credentials. Returns status (or -1 on transport error) and body.
  std::pair<int, std::string> Call(const std::string& method, const std::string& path,
                                   const std::string& user, const std::string& body = "",
                                   const std::string& content_type = "application/json") {
    auto client = Client();
    httplib::Headers headers = Auth(user);
    auto send = [&]() -> httplib::Result {
      if (method == "POST") return client->Post(path.c_str(), headers, body, content_type.c_str());
      if (method == "PUT") return client->Put(path.c_str(), headers, body, content_type.c_str());
      if (method == "PATCH")
        return client->Patch(path.c_str(), headers, body, content_type.c_str());
      if (method == "DELETE")
        return client->Delete(path.c_str(), headers, body, content_type.c_str());
      return client->Get(path.c_str(), headers);
    };
    httplib::Result result = send();
    if (!result) return {-1, httplib::to_string(result.error())};
    return {result->status, result->body};
  }

 private:
  void AddUser(UserStore& users, const std::string& name, Role role, Tlp clearance,
               const std::string& service) {
    auto made = users.AddUser({"test", "local", service}, {name, role, clearance, service, ""});
    ASSERT_TRUE(made.ok()) << made.status().ToString();
    users_[name] = {name, role, clearance, service, made->token};
  }

  std::string dir_;
  std::string pki_dir_;
  std::string db_path_;
  std::map<std::string, TestUser> users_;
  ServerConfig config_;
  std::unique_ptr<HttpServer> server_;
};

// Percent-encodes everything but unreserved characters (RFC 3986).
// Opens a raw TCP connection to 127.0.0.1:`port`; -1 when it cannot.
inline int ConnectRaw(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

inline std::string UrlEncode(const std::string& text) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

inline nlohmann::json ParseJson(const std::string& text) {
  return nlohmann::json::parse(text, nullptr, false);
}

}  // namespace entente::server::testing
