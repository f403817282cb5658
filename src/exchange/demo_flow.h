// The two-node exchange of `entente demo`: a Moroccan node (DGSN-DGST) shares under an
// agreement, a French node (DGSI) pulls over TAXII 2.1 with mutual TLS and verifies the
// signatures, then screens against what it received.
//
// The HTTP server and the PKI live in src/server, which depends on this library, so the demo
// command (src/cli/demo_command.cc) drives the steps:
//
//   1. PrepareMoroccanNode(ma_db)            key, sample records, agreement with "dgsi"
//   2. server::CreateCa / IssueCertificate   (pki dir: ca, server "localhost", client "dgsi")
//      start Morocco's HttpServer with client_ca and [[partners]] {name "dgsi", service "DGSI",
//      cert_cn "dgsi", clearance AMBER}; note its url
//   3. PullFranceFromMorocco(fr_db, url, pki)  France's key and agreement, then SyncPartner
//   4. screen France's store; DescribeReceived(fr_db, id) prints the Moroccan provenance,
//      markings and the signer of a hit
//
// Thread-safety: functions over the Database passed in.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "exchange/partner_sync.h"
#include "model/codec.h"
#include "model/entity.h"
#include "store/database.h"

namespace entente::exchange {

inline constexpr char kDemoMoroccoService[] = "DGSN-DGST";
inline constexpr char kDemoFranceService[] = "DGSI";

// The Moroccan sample records: persons in several categories and markings (some shared with
// DGSI, some held back: narcotics, RED, low reliability), with Arabic-script name variants.
std::vector<Record> DemoMoroccanRecords();

// Migrates, creates the node key, writes DemoMoroccanRecords() and the agreement with France
// (partner "dgsi": terrorism + organized crime + human trafficking, up to AMBER, reliability B
// or better, addresses dropped, source redacted). Returns the Moroccan public key.
Result<std::string> PrepareMoroccanNode(Database& ma);

// Migrates France's store, creates its key, stores its agreement with Morocco (partner "dgst",
// url `morocco_url` + "/taxii2/", Morocco's public key, mutual TLS with
// <pki_dir>/ca.crt and <pki_dir>/dgsi.crt/.key) and pulls.
Result<SyncReport> PullFranceFromMorocco(Database& fr, const std::string& morocco_url,
                                         const std::string& morocco_public_key,
                                         const std::string& pki_dir);

// "person--… EL IDRISSI, Mohammed — from DGSN-DGST (source [redacted]), TLP:AMBER, releasable
// to DGSI, grades B2, terrorism; received signed by key 3f9a…". NotFound when absent.
Result<std::string> DescribeReceived(Database& fr, const std::string& record_id);

}  // namespace entente::exchange
