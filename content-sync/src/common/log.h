// Log: one line per event to stderr, which journald picks up.
//
// When stderr is the journal (JOURNAL_STREAM matches it), each line gets a
// "<N>" syslog priority prefix so `journalctl -p warning` works; otherwise a
// plain "content-sync: level: message" line. Callers never pass secrets: URLs
// go through RedactUrl and request headers are never logged.
// Thread safety: Log() writes each line with one write(2); safe from threads.
#pragma once

#include <functional>
#include <string>

namespace signpost::sync {

enum class LogLevel { kError = 3, kWarning = 4, kInfo = 6, kDebug = 7 };

// Where log lines go; tests capture them.
using LogSink = std::function<void(LogLevel, const std::string&)>;

// The default sink: stderr, journald-aware.
void LogToStderr(LogLevel level, const std::string& line);
// To `sink`, or to stderr when it is empty.
void LogTo(const LogSink& sink, LogLevel level, const std::string& line);
// The first line of a message, for one-line log entries and status fields.
std::string FirstLine(const std::string& s);

}  // namespace signpost::sync
