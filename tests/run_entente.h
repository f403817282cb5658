// Runs the built `entente` binary (ENTENTE_BINARY) the way a user would, for the tests that check
// what a command prints and how it exits.
#pragma once

#include <sys/wait.h>

#include <cstdio>
#include <string>

namespace entente::testing {

struct CommandResult {
  int exit_code = -1;  // -1 when the process did not exit normally
  std::string output;  // stdout and stderr
};

// Runs `entente ARGS` through the shell (args are not quoted for you) and waits for it.
inline CommandResult RunEntente(const std::string& args) {
  CommandResult result;
  std::string command = std::string(ENTENTE_BINARY) + " " + args + " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return result;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) result.output.append(buffer, n);
  int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

}  // namespace entente::testing
