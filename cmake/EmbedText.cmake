# Turns a text file into a C++ function returning it, at build time:
#   cmake -DIN=file.txt -DOUT=file.cpp -DFUNCTION=Name -DNAMESPACE=a::b -P EmbedText.cmake
# Used for data the library must carry itself (assets/search/aliases.txt),
# so every program that searches reads the same list with no file to find.
file(READ "${IN}" text)
string(FIND "${text}" ")SIGNPOST_TEXT" clash)
if(NOT clash EQUAL -1)
  message(FATAL_ERROR "${IN} contains )SIGNPOST_TEXT, which ends the embedded text")
endif()
file(WRITE "${OUT}.tmp" "// Generated from ${IN} by cmake/EmbedText.cmake: edit that file, not this one.
#include <string_view>

namespace ${NAMESPACE} {

std::string_view ${FUNCTION}() {
  static constexpr char kText[] = R\"SIGNPOST_TEXT(${text})SIGNPOST_TEXT\";
  return {kText, sizeof kText - 1};
}

}  // namespace ${NAMESPACE}
")
file(COPY_FILE "${OUT}.tmp" "${OUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUT}.tmp")
