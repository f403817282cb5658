#include "demo/demo_output.h"

#include <cstdio>

namespace entente::demo {

void Heading(int number, const char* title) {
  std::printf("\n== %d. %s ==\n", number, title);
  std::fflush(stdout);
}

void Say(const std::string& line) {
  std::printf("%s\n", line.c_str());
  std::fflush(stdout);
}

}  // namespace entente::demo
