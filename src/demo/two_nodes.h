// The two nodes of the demo's exchange steps, each with its own store under <workdir>/nodes:
//
//   <workdir>/nodes/pki/          a CA, Morocco's server certificate ("localhost", 127.0.0.1)
//                                 and France's client certificate (CN "dgsi")
//   <workdir>/nodes/dgsn-dgst.db  Morocco's store: its sample records, its node key, its
//                                 agreement with France and the hit/no-hit settings for France
//   <workdir>/nodes/dgsi.db       France's store (filled by the exchange step)
//   <workdir>/nodes/hnh-secret    the secret both services share for privacy-preserving queries
//
// Morocco's node is a real entente HttpServer in this process: HTTPS with mutual TLS on an
// ephemeral loopback port, serving TAXII 2.1 and hit/no-hit to the partner "dgsi" (identified
// by its client certificate). Stop() (or the destructor) stops it, whatever happened before.
//
// Every run starts from an empty <workdir>/nodes: a folder left by an earlier run (it carries
// the marker file .entente-demo) is removed first; a folder without the marker is refused.
//
// Thread-safety: one thread.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "exchange/agreement.h"
#include "model/codec.h"
#include "server/http_server.h"
#include "store/database.h"

namespace entente::demo {

struct NodePaths {
  std::string root;
  std::string pki;
  std::string morocco_db;
  std::string france_db;
  std::string secret_file;
};

class TwoNodes {
 public:
  // Creates the folder, the PKI and Morocco's store (`moroccan` records besides
  // exchange::DemoMoroccanRecords()), then starts Morocco's server. Errors: IOError (files,
  // bind), Conflict (a folder <workdir>/nodes the demo did not make), the store's errors.
  static Result<std::unique_ptr<TwoNodes>> Start(const std::string& workdir,
                                                 const std::vector<Record>& moroccan);
  ~TwoNodes();
  TwoNodes(const TwoNodes&) = delete;
  TwoNodes& operator=(const TwoNodes&) = delete;

  // Stops Morocco's server (in-flight requests finish). Idempotent.
  void Stop();

  const NodePaths& paths() const { return paths_; }
  std::string morocco_url() const;  // "https://127.0.0.1:<port>"
  const std::string& morocco_public_key() const { return morocco_public_key_; }
  // Morocco's agreement with France (partner "dgsi").
  const exchange::Agreement& agreement() const { return agreement_; }
  // The demo's own connections to each store (the server has its own).
  Database& morocco() { return *morocco_; }
  Database& france() { return *france_; }

 private:
  TwoNodes() = default;

  NodePaths paths_;
  std::string morocco_public_key_;
  exchange::Agreement agreement_;
  std::unique_ptr<Database> morocco_;
  std::unique_ptr<Database> france_;
  std::unique_ptr<server::HttpServer> server_;
};

}  // namespace entente::demo
