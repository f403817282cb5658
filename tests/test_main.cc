// Shared GoogleTest entry point for every test binary.
#include <gtest/gtest.h>

#include <csignal>

#include "test_store_target.h"

int main(int argc, char** argv) {
  // Tests talk to real servers over sockets and pipes; a peer that closes early must show up
  // as an error the test can assert on, not kill the test process.
  std::signal(SIGPIPE, SIG_IGN);
  ::testing::InitGoogleTest(&argc, argv);
  entente::testing::InstallStoreCleanup();
  return RUN_ALL_TESTS();
}
