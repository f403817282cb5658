// Runs the built `entente` binary (ENTENTE_BINARY) from a server test and waits for it.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
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

// The port a spawned `entente serve` printed to `out` ("entente serving on https://HOST:PORT"),
// waiting up to a minute; 0 when it did not start.
inline int PortWhenServing(const std::string& out) {
  for (int attempt = 0; attempt < 1200; ++attempt) {
    const std::string text = ReadLog(out);
    size_t at = text.find("serving on http");
    size_t line_end = at == std::string::npos ? at : text.find('\n', at);
    if (line_end != std::string::npos) {  // the whole line is written
      size_t colon = text.rfind(':', line_end);
      return std::atoi(text.substr(colon + 1, line_end - colon - 1).c_str());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return 0;
}

}  // namespace entente::server::testing
