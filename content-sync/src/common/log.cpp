#include "common/log.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include "signpost/printable.h"

namespace signpost::sync {
namespace {

bool StderrIsJournal() {
  const char* stream = std::getenv("JOURNAL_STREAM");
  if (stream == nullptr) return false;
  unsigned long long dev = 0, ino = 0;
  if (std::sscanf(stream, "%llu:%llu", &dev, &ino) != 2) return false;
  struct stat st {};
  if (fstat(STDERR_FILENO, &st) != 0) return false;
  return st.st_dev == dev && st.st_ino == ino;
}

const char* LevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kError:
      return "error";
    case LogLevel::kWarning:
      return "warning";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kDebug:
      return "debug";
  }
  return "info";
}

}  // namespace

void LogToStderr(LogLevel level, const std::string& line) {
  static const bool journal = StderrIsJournal();
  std::string flat = line;
  for (char& c : flat) {
    if (c == '\r' || c == '\n') c = ' ';  // one event, one line
  }
  // Feed text in a message (a title, an error) never reaches a terminal raw.
  flat = Printable(flat);
  std::string out;
  if (journal) {
    out = "<" + std::to_string(static_cast<int>(level)) + ">" + flat + "\n";
  } else {
    out = std::string("content-sync: ") + LevelName(level) + ": " + flat + "\n";
  }
  [[maybe_unused]] ssize_t n = write(STDERR_FILENO, out.data(), out.size());
}

void LogTo(const LogSink& sink, LogLevel level, const std::string& line) {
  if (sink) {
    sink(level, line);
  } else {
    LogToStderr(level, line);
  }
}

std::string FirstLine(const std::string& s) { return s.substr(0, s.find('\n')); }

}  // namespace signpost::sync
