// Runs the built `entente` binary (ENTENTE_BINARY) the way a user would, for the tests that check
// what a command prints and how it exits. The one helper of its kind: every test that runs a
// command uses it.
#pragma once

#include <sys/wait.h>

#include <cstdio>
#include <string>
#include <vector>

namespace entente::testing {

struct CommandResult {
  int exit_code = -1;  // -1 when the process did not exit normally
  std::string output;  // stdout and stderr
};

// Runs `command` through the shell, stderr folded into the output, and waits for it.
inline CommandResult RunCommand(const std::string& command) {
  CommandResult result;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (!pipe) return result;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) result.output.append(buffer, n);
  int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

// Runs `entente ARGS` (args are shell words: not quoted for you).
inline CommandResult RunEntente(const std::string& args) {
  return RunCommand(std::string(ENTENTE_BINARY) + " " + args);
}

// Runs `entente` with each of `args` quoted as one word; the exit code, the output in *output.
inline int RunEntente(const std::vector<std::string>& args, std::string* output = nullptr) {
  std::string command = ENTENTE_BINARY;
  for (const std::string& arg : args) command += " '" + arg + "'";
  CommandResult result = RunCommand(command);
  if (output) *output = result.output;
  return result.exit_code;
}

}  // namespace entente::testing
