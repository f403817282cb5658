// The ctest fixture that starts and stops the PostgreSQL cluster the `pg:` test runs share:
//   pg_test_cluster start DIR   initdb + start in DIR (a leftover cluster there is wiped)
//   pg_test_cluster stop DIR    stop it and remove DIR
#include <cstdio>
#include <string>

#include "pg_cluster.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: pg_test_cluster start|stop DIR\n");
    return 2;
  }
  std::string verb = argv[1];
  entente::testing::PgCluster cluster(argv[2], /*owned=*/verb == "stop");
  if (verb == "start") {
    std::string why;
    if (!cluster.Start(&why)) {
      std::fprintf(stderr, "pg_test_cluster: %s\n", why.c_str());
      return 1;
    }
    std::printf("PostgreSQL test cluster up in %s\n", argv[2]);
    return 0;  // the destructor stops only what it started and owns: keep it running
  }
  if (verb == "stop") {
    cluster.Down();
    return 0;
  }
  std::fprintf(stderr, "pg_test_cluster: unknown verb %s\n", argv[1]);
  return 2;
}
