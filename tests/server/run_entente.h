// Runs the built `entente` binary (ENTENTE_BINARY) from a server test and waits for it.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace entente::server::testing {

// Starts entente with `args`, stdout into the file `out` and stderr into `err` (the same file
// when equal); returns its pid without waiting.
inline pid_t SpawnEntente(const std::vector<std::string>& args, const std::string& out,
                          const std::string& err) {
  pid_t pid = fork();
  if (pid == 0) {
    if (!freopen(out.c_str(), "w", stdout) ||
        !freopen(err.c_str(), err == out ? "a" : "w", stderr))
      _exit(127);
    std::vector<std::string> copy = args;
    std::vector<char*> argv = {const_cast<char*>(ENTENTE_BINARY)};
    for (auto& arg : copy) argv.push_back(arg.data());
    argv.push_back(nullptr);
    execv(ENTENTE_BINARY, argv.data());
    _exit(127);
  }
  return pid;
}

// Runs entente with `args`, stdout and stderr into the file `log`; returns its exit code.
inline int RunEntente(const std::vector<std::string>& args, const std::string& log) {
  pid_t pid = SpawnEntente(args, log, log);
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

inline std::string ReadLog(const std::string& log) {
  std::ifstream in(log);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace entente::server::testing
