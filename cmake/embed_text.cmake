# Writes a C++ source that returns the bytes of a text file, so data the binary needs is
# compiled in from its one committed copy (no generated source in git, no data file at run time).
#
#   cmake -DINPUT=file.tsv -DOUTPUT=out.cc -DNAMESPACE=entente::match -DFUNCTION=Name -P embed_text.cmake
#
# The function is `std::string FUNCTION()` in NAMESPACE; the bytes are written as a char array
# (not a string literal), so any content, length or encoding is carried exactly.
foreach(var INPUT OUTPUT NAMESPACE FUNCTION)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "embed_text.cmake: -D${var}=... is required")
  endif()
endforeach()
file(READ "${INPUT}" hex HEX)
string(LENGTH "${hex}" hex_length)
math(EXPR byte_count "${hex_length} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "'\\\\x\\1'," bytes "${hex}")
# One line per 32 bytes keeps the generated file readable by tools.
string(REGEX REPLACE "(('[^']+',){32})" "\\1\n" bytes "${bytes}")
file(WRITE "${OUTPUT}.tmp" "// Generated at build time by cmake/embed_text.cmake from
// ${INPUT}. Do not edit; edit that file.
#include <string>

namespace ${NAMESPACE} {
namespace {
const char kBytes[${byte_count} + 1] = {
${bytes}'\\0'};
}  // namespace

std::string ${FUNCTION}() { return std::string(kBytes, ${byte_count}); }

}  // namespace ${NAMESPACE}
")
file(RENAME "${OUTPUT}.tmp" "${OUTPUT}")
