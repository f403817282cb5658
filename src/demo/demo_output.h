// How the demo's steps print: a numbered heading, then short indented lines an officer reads.
// Shared by the step files of src/demo so that every step looks the same.
//
// Thread-safety: writes to stdout; call from one thread.
#pragma once

#include <string>

namespace entente::demo {

// "\n== 7. Title ==".
void Heading(int number, const char* title);
// A line of explanation in plain words, wrapped by the caller (no trailing newline needed).
void Say(const std::string& line);

}  // namespace entente::demo
