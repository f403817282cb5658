// Named crash points, for the recovery tests: with ENTENTE_CRASH_AT=<point>[:<n>] in its
// environment, the process kills itself with SIGKILL the n-th time (default: the first) it
// passes the point of that name, exactly as a power cut or `kill -9` would stop it there.
// Without the variable a crash point costs one load of a flag.
//
// Every point is listed in CrashPoints() (name, the step it interrupts, the test that runs it):
// the recovery tests run each one and fail when it does not fire, so the list and the calls in
// the code cannot drift apart; docs/SECURITY.md lists them.
//
// Thread-safety: CrashPoint() may be called from any thread.
#pragma once

#include <span>
#include <string_view>

namespace entente {

struct CrashPointInfo {
  std::string_view name;   // "import.before_commit"
  std::string_view where;  // what has been done and what not when it fires
  // The recovery test that runs it: most run in the one-node workflow of
  // tests/recovery/crash_points_test.cc; a partner pull needs two nodes, a follow-up decision
  // a partner's request.
  std::string_view tested_in = kOneNodeRecoveryTest;

  static constexpr std::string_view kOneNodeRecoveryTest = "tests/recovery/crash_points_test.cc";
  static constexpr std::string_view kTwoNodeRecoveryTest = "tests/server/two_node_test.cc";
  static constexpr std::string_view kFollowupRecoveryTest = "tests/server/hitnohit_routes_test.cc";
};

// Every crash point compiled into entente.
std::span<const CrashPointInfo> CrashPoints();

// Kills the process here when ENTENTE_CRASH_AT names `point` and this is its n-th pass.
void CrashPoint(std::string_view point);

}  // namespace entente
