// Commands of src/exchange: sharing agreements and keys (`share`), partner pulls (`sync`), and
// (taxii_commands.cc) the TAXII API roots and collections this node serves. The STIX 2.1
// format of `entente import` / `entente export` is registered here with the ingest format registry.
#include <cstdio>
#include <iostream>

#include "cli/cli_context.h"
#include "common/crash_point.h"
#include "common/text.h"
#include "exchange/agreement.h"
#include "exchange/collection.h"
#include "exchange/exchange_store.h"
#include "exchange/partner_sync.h"
#include "exchange/stix_bundle.h"
#include "model/codec.h"

namespace entente::cli {
namespace {

using exchange::ExchangeStore;

// Opens the store with the exchange tables; reports and returns null on failure.
// Stores an agreement and its audit entry in one transaction: both or neither.
Status StoreAgreement(CliContext& ctx, Database& db, const exchange::Agreement& agreement,
                      const std::string& file) {
  Transaction tx(&db);
  ENTENTE_RETURN_IF_ERROR(tx.status());
  ENTENTE_RETURN_IF_ERROR(ExchangeStore(&db).PutAgreement(agreement));
  ENTENTE_RETURN_IF_ERROR(
      server::AuditLog::Append(
          db, ctx.LocalAuditEvent("share.agreement.set", agreement.partner.name,
                                  {{"service", agreement.partner.service},
                                   {"max_tlp", std::string(TlpName(agreement.share.max_tlp))},
                                   {"file", file}}))
          .status());
  CrashPoint("share.agreement_before_commit");
  return tx.Commit();
}

std::unique_ptr<Database> OpenExchange(CliContext& ctx) {
  auto db = ctx.OpenDatabase();
  if (!db.ok()) {
    ctx.exit_code = ReportError(db.status());
    return nullptr;
  }
  Status migrated = ExchangeStore::Migrate(**db);
  if (!migrated.ok()) {
    ctx.exit_code = ReportError(migrated);
    return nullptr;
  }
  return std::move(*db);
}

void RegisterShare(CLI::App& app, CliContext& ctx) {
  CLI::App* share =
      app.add_subcommand("share", "Sharing agreements, signing keys, and why a record is shared");
  share->require_subcommand(1);

  CLI::App* keygen = share->add_subcommand(
      "keygen",
      "Create this node's Ed25519 signing key (kept when it exists) and print the public key");
  keygen->callback([&ctx] {
    auto db = OpenExchange(ctx);
    if (!db) return;
    auto key = ExchangeStore(db.get()).EnsureNodeKey();
    if (!key.ok()) {
      ctx.exit_code = ReportError(key.status());
      return;
    }
    if (!ctx.Check(server::AuditLog::Migrate(*db))) return;
    auto audited = server::AuditLog::AppendAlone(
        *db, ctx.LocalAuditEvent("share.keygen", key->KeyId(), {{"public_key", key->public_key}}));
    if (!ctx.Check(audited.status())) return;
    std::printf("%s\n", key->public_key.c_str());
    std::fprintf(stderr,
                 "key id %s (give the public key to partners for their agreement's public_key)\n",
                 key->KeyId().c_str());
  });

  static std::string agreement_file;
  CLI::App* set = share->add_subcommand(
      "set-agreement",
      "Load (or replace) a partner's agreement from a TOML file; takes effect at once");
  set->add_option("file", agreement_file, "Agreement TOML (see config/agreements/*.example.toml)")
      ->required();
  set->callback([&ctx] {
    auto agreement = exchange::LoadAgreementFile(agreement_file);
    if (!agreement.ok()) {
      ctx.exit_code = ReportError(agreement.status());
      return;
    }
    auto db = OpenExchange(ctx);
    if (!db) return;
    if (!ctx.Check(server::AuditLog::Migrate(*db))) return;
    if (!ctx.Check(StoreAgreement(ctx, *db, *agreement, agreement_file))) return;
    std::printf("agreement with %s (%s) stored; outbound collection %s, inbound %s\n",
                agreement->partner.name.c_str(), agreement->partner.service.c_str(),
                ExchangeStore(db.get()).OutboundCollectionId(agreement->partner.name).c_str(),
                ExchangeStore(db.get()).InboundCollectionId(agreement->partner.name).c_str());
  });

  CLI::App* list = share->add_subcommand("agreements", "List the stored agreements");
  list->callback([&ctx] {
    auto db = OpenExchange(ctx);
    if (!db) return;
    auto all = ExchangeStore(db.get()).ListAgreements();
    if (!all.ok()) {
      ctx.exit_code = ReportError(all.status());
      return;
    }
    for (const auto& a : *all)
      std::printf("%s\t%s\tmax TLP:%s\tmay_write=%s\t%s\n", a.partner.name.c_str(),
                  a.partner.service.c_str(), std::string(TlpName(a.share.max_tlp)).c_str(),
                  a.may_write ? "true" : "false", a.partner.url.c_str());
  });

  static std::string explain_id, explain_partner;
  CLI::App* explain =
      share->add_subcommand("explain", "Say why a record is or is not shared with a partner");
  explain->add_option("id", explain_id, "Record id (person--...)")->required();
  explain->add_option("partner", explain_partner, "Partner name from its agreement")->required();
  explain->callback([&ctx] {
    auto db = OpenExchange(ctx);
    if (!db) return;
    auto agreement = ExchangeStore(db.get()).GetAgreement(explain_partner);
    if (!agreement.ok()) {
      ctx.exit_code = ReportError(agreement.status());
      return;
    }
    RecordStore store(db.get());
    auto record = store.Get(explain_id);
    if (!record.ok()) {
      ctx.exit_code = ReportError(record.status());
      return;
    }
    exchange::EndpointCheck endpoint = [&](const std::string& id) -> Result<bool> {
      auto r = store.Get(id);
      if (!r.ok()) return r.status();
      return !MetaOf(*r).revoked && exchange::Evaluate(*agreement, ctx.service, *r).shared;
    };
    if (MetaOf(*record).revoked) {
      std::printf(
          "%s is NOT shared with %s:\n  - the record is revoked (a partner that had it receives "
          "the revocation)\n",
          explain_id.c_str(), explain_partner.c_str());
      return;
    }
    auto d = exchange::Evaluate(*agreement, ctx.service, *record, endpoint);
    if (d.shared) {
      std::printf("%s IS shared with %s", explain_id.c_str(), explain_partner.c_str());
      if (d.applied.empty()) {
        std::printf(" in full\n");
      } else {
        std::printf(", with:\n");
        for (const auto& a : d.applied) std::printf("  - %s\n", a.c_str());
      }
    } else {
      std::printf("%s is NOT shared with %s:\n", explain_id.c_str(), explain_partner.c_str());
      for (const auto& r : d.reasons) std::printf("  - %s\n", r.c_str());
      ctx.exit_code = 0;
    }
  });

  static std::string publish_partner;
  CLI::App* publish = share->add_subcommand("publish",
                                            "Bring a partner's outbound collection up to date now "
                                            "(the server also does it on each read)");
  publish->add_option("partner", publish_partner, "Partner name")->required();
  publish->callback([&ctx] {
    auto db = OpenExchange(ctx);
    if (!db) return;
    auto agreement = ExchangeStore(db.get()).GetAgreement(publish_partner);
    if (!agreement.ok()) {
      ctx.exit_code = ReportError(agreement.status());
      return;
    }
    auto s = exchange::PublishOutbound(*db, ctx.service, *agreement);
    if (!s.ok()) {
      ctx.exit_code = ReportError(s.status());
      return;
    }
    std::printf("%s: %lld records considered, %lld versions added, %lld revoked%s\n",
                publish_partner.c_str(), static_cast<long long>(s->considered),
                static_cast<long long>(s->added), static_cast<long long>(s->revoked),
                s->full ? " (full re-evaluation)" : "");
  });
}

void RegisterSync(CLI::App& app, CliContext& ctx) {
  static std::string partner;
  static exchange::SyncOptions options;
  CLI::App* sync = app.add_subcommand(
      "sync", "Pull a partner's collection over TAXII 2.1 (resumable; idempotent)");
  sync->add_option("partner", partner, "Partner name from its agreement")->required();
  sync->add_option("--page-size", options.page_size, "Objects per TAXII page")
      ->check(CLI::Range(1, 10000));
  sync->add_option("--max-pages", options.max_pages, "Stop after this many pages (0: all)");
  sync->add_option("--pause-ms", options.pause_ms_after_page,
                   "Pause after each committed page (testing)");
  sync->callback([&ctx] {
    auto db = OpenExchange(ctx);
    if (!db) return;
    options.actor = "cli:" + ctx.user;
    auto report = exchange::SyncPartner(*db, ctx.service, partner, options);
    if (!report.ok()) {
      ctx.exit_code = ReportError(report.status());
      return;
    }
    std::printf(
        "%s: %lld objects in %lld pages: %lld created, %lld updated, %lld revoked, "
        "%lld unchanged, %lld skipped, %lld rejected; cursor %s\n",
        partner.c_str(), static_cast<long long>(report->objects),
        static_cast<long long>(report->pages), static_cast<long long>(report->created),
        static_cast<long long>(report->updated), static_cast<long long>(report->revoked),
        static_cast<long long>(report->unchanged), static_cast<long long>(report->skipped),
        static_cast<long long>(report->rejected),
        report->cursor.empty() ? "(unchanged)" : report->cursor.c_str());
    if (report->rejected > 0) ctx.exit_code = 6;
  });
}

}  // namespace

void RegisterExchangeCommands(CLI::App& app, CliContext& ctx) {
  Status registered = exchange::RegisterStixFormats();
  if (!registered.ok())
    std::fprintf(stderr, "warning: STIX format: %s\n", registered.message().c_str());
  RegisterShare(app, ctx);
  RegisterSync(app, ctx);
  RegisterTaxiiCommands(app, ctx);
}

}  // namespace entente::cli
