#include "demo/two_nodes.h"

#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "common/ids.h"
#include "demo/sample_data.h"
#include "exchange/demo_flow.h"
#include "exchange/exchange_store.h"
#include "exchange/hitnohit/hitnohit_store.h"
#include "server/pki.h"
#include "store/record_store.h"

namespace entente::demo {
namespace {

namespace fs = std::filesystem;

constexpr char kMarker[] = ".entente-demo";

// An empty <workdir>/nodes, removing only what an earlier demo run left there.
Status FreshFolder(const std::string& root) {
  std::error_code ec;
  if (fs::exists(root, ec)) {
    if (!fs::exists(fs::path(root) / kMarker, ec))
      return Conflict(root +
                      ": exists and was not made by `entente demo`; remove it or choose "
                      "another --workdir");
    fs::remove_all(root, ec);
    if (ec) return IOError(root + ": cannot remove the previous run's nodes: " + ec.message());
  }
  fs::create_directories(root, ec);
  if (ec) return IOError(root + ": cannot create folder: " + ec.message());
  std::ofstream marker(fs::path(root) / kMarker);
  marker << "made by `entente demo`; removed and rebuilt on each run\n";
  if (!marker) return IOError(root + "/" + kMarker + ": cannot write");
  return Status::Ok();
}

Status WriteSecret(const std::string& path) {
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << RandomHex(32) << "\n";
    if (!out) return IOError(path + ": cannot write");
  }
  if (chmod(path.c_str(), 0600) != 0) return IOError(path + ": cannot restrict to its owner");
  return Status::Ok();
}

Status MakePki(const std::string& dir) {
  ENTENTE_RETURN_IF_ERROR(server::CreateCa(dir, "entente demo CA", 30));
  ENTENTE_RETURN_IF_ERROR(server::IssueCertificate(
      dir, "server",
      {"localhost", server::CertificateKind::kServer, {"localhost"}, {"127.0.0.1"}, 30}));
  return server::IssueCertificate(dir, "dgsi",
                                  {"dgsi", server::CertificateKind::kClient, {}, {}, 30});
}

}  // namespace

Result<std::unique_ptr<TwoNodes>> TwoNodes::Start(const std::string& workdir,
                                                  const std::vector<Record>& moroccan) {
  std::unique_ptr<TwoNodes> nodes(new TwoNodes());
  NodePaths& p = nodes->paths_;
  p.root = (fs::path(workdir) / "nodes").string();
  p.pki = p.root + "/pki";
  p.morocco_db = p.root + "/dgsn-dgst.db";
  p.france_db = p.root + "/dgsi.db";
  p.secret_file = p.root + "/hnh-secret";
  ENTENTE_RETURN_IF_ERROR(FreshFolder(p.root));
  ENTENTE_RETURN_IF_ERROR(MakePki(p.pki));
  ENTENTE_RETURN_IF_ERROR(WriteSecret(p.secret_file));

  // Morocco: key, agreement with France, its records, and what France may search.
  ENTENTE_ASSIGN_OR_RETURN(nodes->morocco_, Database::Open(p.morocco_db));
  Database& ma = *nodes->morocco_;
  ENTENTE_ASSIGN_OR_RETURN(nodes->morocco_public_key_, exchange::PrepareMoroccanNode(ma));
  {
    RecordStore store(&ma);
    ENTENTE_ASSIGN_OR_RETURN(WriteSummary written, store.PutAll(moroccan));
    (void)written;
  }
  ENTENTE_RETURN_IF_ERROR(exchange::hitnohit::HitNoHitStore::Migrate(ma));
  ENTENTE_ASSIGN_OR_RETURN(nodes->agreement_, exchange::ExchangeStore(&ma).GetAgreement("dgsi"));
  // Searchable for hit/no-hit: wider than what is shared outright (narcotics too), since a hit
  // reveals only that a record exists; a follow-up still needs the liaison's approval.
  ENTENTE_RETURN_IF_ERROR(exchange::hitnohit::HitNoHitStore(&ma).PutSettingsText(
      nodes->agreement_,
      "[hitnohit]\n"
      "categories = [\"terrorism\", \"organized-crime\", \"human-trafficking\", \"narcotics\"]\n"
      "max_tlp = \"AMBER\"\nrelease_max_tlp = \"AMBER\"\nprivacy = \"allowed\"\n"
      "secret_file = \"" +
          p.secret_file + "\"\n"));

  ENTENTE_ASSIGN_OR_RETURN(nodes->france_, Database::Open(p.france_db));

  server::ServerConfig config;
  config.db_target = p.morocco_db;
  config.host = "127.0.0.1";
  config.port = 0;  // ephemeral
  config.service = kMoroccanService;
  config.log_level = "warn";
  config.tls_cert = p.pki + "/server.crt";
  config.tls_key = p.pki + "/server.key";
  config.client_ca = p.pki + "/ca.crt";
  config.limits.max_connections = 8;
  config.partners.push_back({"dgsi", kFrenchService, "dgsi", "", Tlp::kAmber});
  spdlog::set_level(spdlog::level::warn);  // the server's request log would drown the story
  nodes->server_ = std::make_unique<server::HttpServer>(config);
  Status started = nodes->server_->Start();
  if (!started.ok()) {
    nodes->server_.reset();
    return started;
  }
  return nodes;
}

TwoNodes::~TwoNodes() { Stop(); }

void TwoNodes::Stop() {
  if (server_) {
    server_->Stop();
    server_.reset();
  }
}

std::string TwoNodes::morocco_url() const { return server_ ? server_->url() : ""; }

}  // namespace entente::demo
