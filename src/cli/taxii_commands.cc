// `entente taxii`: the TAXII 2.1 API roots and collections this node serves.
//
//   taxii roots [list]                          every API root (the default one first)
//   taxii roots add NAME --title T [--description D]
//   taxii collections [list]                    every collection, its root, who reads and writes
//   taxii collections add --title T [--root NAME] [--id UUID] [--description D]
//                         [--media-type M] [--agreement PARTNER]
//   taxii collections grant ID user:NAME|role:ROLE read|write|read-write|none
//
// Every change is audited (taxii.root.add, taxii.collection.add, taxii.collection.grant).
#include <cstdio>

#include "auth/collection_access.h"
#include "cli/cli_context.h"
#include "common/text.h"
#include "exchange/exchange_store.h"
#include "exchange/taxii_collections.h"
#include "exchange/taxii_roots.h"

namespace entente::cli {
namespace {

using exchange::ExchangeStore;

// The store with the exchange tables, or null (reported).
std::unique_ptr<Database> OpenTaxii(CliContext& ctx) {
  auto db = ctx.OpenOrReport();
  if (!db || !ctx.Check(ExchangeStore::Migrate(*db))) return nullptr;
  return db;
}

// Appends a local audit entry for a change made by this command.
bool AuditChange(CliContext& ctx, Database& db, const std::string& action,
                 const std::string& target, server::AuditDetail detail) {
  if (!ctx.Check(server::AuditLog::Migrate(db))) return false;
  auto audited =
      server::AuditLog::AppendAlone(db, ctx.LocalAuditEvent(action, target, std::move(detail)));
  return ctx.Check(audited.status());
}

void ListRoots(CliContext& ctx) {
  auto db = OpenTaxii(ctx);
  if (!db) return;
  auto roots = exchange::ListApiRoots(*db);
  if (!ctx.Check(roots.status())) return;
  std::printf("%-24s  %-32s  %s\n", "root", "path", "title");
  for (const auto& r : *roots)
    std::printf("%-24s  %-32s  %s%s\n", r.name.c_str(), exchange::ApiRootPath(r.name).c_str(),
                r.title.c_str(), r.name == exchange::kDefaultApiRoot ? " (default)" : "");
}

void RegisterRoots(CLI::App* taxii, CliContext& ctx) {
  CLI::App* roots = taxii->add_subcommand("roots", "API roots: list (the default), add");
  roots->require_subcommand(0, 1);
  roots->callback([&ctx, roots] {
    if (roots->get_subcommands().empty()) ListRoots(ctx);
  });
  roots->add_subcommand("list", "List the API roots")->callback([&ctx] { ListRoots(ctx); });
  static exchange::ApiRoot root;
  CLI::App* add = roots->add_subcommand("add", "Add an API root, served at /taxii2/NAME/");
  add->add_option("name", root.name, "Root name: its URL segment ([a-z0-9._-])")->required();
  add->add_option("--title", root.title, "Title shown to TAXII clients")->required();
  add->add_option("--description", root.description, "Description");
  add->callback([&ctx] {
    auto db = OpenTaxii(ctx);
    if (!db || !ctx.Check(exchange::AddApiRoot(*db, root))) return;
    if (!AuditChange(ctx, *db, "taxii.root.add", root.name, {{"title", root.title}})) return;
    std::printf("API root %s added at %s (entente taxii collections add --root %s ...)\n",
                root.name.c_str(), exchange::ApiRootPath(root.name).c_str(), root.name.c_str());
  });
}

std::string GranteesWith(const exchange::ConfiguredCollection& c, bool write) {
  std::vector<std::string> names;
  for (const auto& g : c.grants)
    if (write ? g.can_write : g.can_read) names.push_back(g.grantee);
  return names.empty() ? "-" : Join(names, ",");
}

// Prints every collection: the agreement ones, then the configured ones with their grants.
void ListAllCollections(CliContext& ctx) {
  auto db = OpenTaxii(ctx);
  if (!db) return;
  auto all = ExchangeStore(db.get()).ListCollections();
  if (!ctx.Check(all.status())) return;
  auto configured = exchange::ListConfiguredCollections(*db);
  if (!ctx.Check(configured.status())) return;
  const char* row = "%-36s  %-4s  %-12s  %-20s  %-20s  %s\n";
  std::printf(row, "id", "dir", "root", "read", "write", "title");
  for (const auto& c : *all)
    std::printf(row, c.id.c_str(), c.direction.c_str(), exchange::kDefaultApiRoot,
                c.can_read ? c.partner.c_str() : "-", c.can_write ? c.partner.c_str() : "-",
                c.title.c_str());
  for (const auto& c : *configured) {
    std::string title = c.title + (c.agreement.empty() ? "" : " (agreement " + c.agreement + ")");
    std::printf(row, c.id.c_str(), "conf", c.api_root.c_str(), GranteesWith(c, false).c_str(),
                GranteesWith(c, true).c_str(), title.c_str());
  }
}

void RegisterCollectionAdd(CLI::App* collections, CliContext& ctx) {
  static exchange::ConfiguredCollection collection;
  CLI::App* add = collections->add_subcommand("add", "Add a configured TAXII collection");
  add->add_option("--id", collection.id, "Collection id, a UUID (default: a random one)");
  add->add_option("--title", collection.title, "Title shown to TAXII clients")->required();
  add->add_option("--description", collection.description, "Description");
  add->add_option("--root", collection.api_root,
                  "API root it is served under (default: entente; entente taxii roots list)");
  add->add_option("--media-type", collection.media_types,
                  "Media types (default application/stix+json;version=2.1)");
  add->add_option("--agreement", collection.agreement,
                  "Partner whose agreement filters what it publishes and makes records of "
                  "what it accepts");
  add->callback([&ctx] {
    auto db = OpenTaxii(ctx);
    if (!db || !ctx.Check(exchange::AddConfiguredCollection(*db, &collection))) return;
    if (!AuditChange(ctx, *db, "taxii.collection.add", collection.id,
                     {{"title", collection.title},
                      {"root", collection.api_root},
                      {"agreement", collection.agreement}}))
      return;
    std::printf(
        "collection %s added to %s (no one may use it until granted: entente taxii collections"
        " grant %s user:NAME read-write)\n",
        collection.id.c_str(), exchange::ApiRootPath(collection.api_root).c_str(),
        collection.id.c_str());
  });
}

void RegisterCollectionGrant(CLI::App* collections, CliContext& ctx) {
  static std::string id, grantee, access;
  CLI::App* grant = collections->add_subcommand(
      "grant", "Give a user or a role read, write, read-write or no access to a collection");
  grant->add_option("id", id, "Collection id")->required();
  grant->add_option("grantee", grantee, "user:NAME or role:ROLE")->required();
  grant->add_option("access", access, "read, write, read-write or none")->required();
  grant->callback([&ctx] {
    auto parsed = server::ParseCollectionGrant(grantee, access);
    if (!ctx.Check(parsed.status())) return;
    auto db = OpenTaxii(ctx);
    if (!db) return;
    exchange::StoredGrant g{server::GranteeText(*parsed), parsed->can_read, parsed->can_write};
    if (!ctx.Check(exchange::GrantConfiguredCollection(*db, id, g))) return;
    if (!AuditChange(ctx, *db, "taxii.collection.grant", id,
                     {{"grantee", g.grantee}, {"access", AccessText(*parsed)}}))
      return;
    std::printf("%s: %s %s\n", id.c_str(), g.grantee.c_str(), server::AccessText(*parsed).c_str());
  });
}

void RegisterCollections(CLI::App* taxii, CliContext& ctx) {
  CLI::App* collections =
      taxii->add_subcommand("collections", "Collections: list (the default), add, grant");
  collections->require_subcommand(0, 1);
  collections->callback([&ctx, collections] {
    if (collections->get_subcommands().empty()) ListAllCollections(ctx);
  });
  collections->add_subcommand("list", "List collections with who may read and write each")
      ->callback([&ctx] { ListAllCollections(ctx); });
  RegisterCollectionAdd(collections, ctx);
  RegisterCollectionGrant(collections, ctx);
}

}  // namespace

void RegisterTaxiiCommands(CLI::App& app, CliContext& ctx) {
  CLI::App* taxii =
      app.add_subcommand("taxii", "The TAXII 2.1 API roots and collections this node serves");
  taxii->require_subcommand(1);
  RegisterRoots(taxii, ctx);
  RegisterCollections(taxii, ctx);
}

}  // namespace entente::cli
