// Speaker: read aloud with espeak-ng, offline. Each Say() runs the espeak-ng
// program as a child process (it plays to the default audio device), so the
// UI thread never waits for speech and a crash in the synthesiser cannot take
// the kiosk down. A new Say() or Stop() ends the previous utterance.
// Thread safety: UI thread only.
#pragma once

#include <sys/types.h>
#include <string>

namespace signpost::kiosk {

class Speaker {
 public:
  Speaker();
  ~Speaker();  // stops speech
  Speaker(const Speaker&) = delete;
  Speaker& operator=(const Speaker&) = delete;

  void Say(const std::string& text, const std::string& voice);
  void Stop();
  bool speaking();  // reaps the child when it has finished

  // Tests and headless runs set this to false: nothing is spawned, but the
  // last text is kept for inspection.
  void set_enabled(bool on) { enabled_ = on; }
  const std::string& last_text() const { return last_text_; }

 private:
  pid_t child_ = -1;
  bool enabled_ = true;
  std::string last_text_;
};

}  // namespace signpost::kiosk
