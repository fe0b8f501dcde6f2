#include "kiosk/speech.h"

#include <spawn.h>
#include <sys/wait.h>
#include <csignal>

#include <vector>

extern char** environ;

namespace signpost::kiosk {

Speaker::Speaker() = default;

Speaker::~Speaker() { Stop(); }

void Speaker::Stop() {
  if (child_ > 0) {
    kill(child_, SIGTERM);
    waitpid(child_, nullptr, 0);
    child_ = -1;
  }
}

bool Speaker::speaking() {
  if (child_ <= 0) return false;
  int status = 0;
  if (waitpid(child_, &status, WNOHANG) == child_) child_ = -1;
  return child_ > 0;
}

void Speaker::Say(const std::string& text, const std::string& voice) {
  Stop();
  last_text_ = text;
  if (!enabled_ || text.empty()) return;
  // Long pages: the first ~2,000 characters are plenty for one utterance.
  std::string clipped = text.substr(0, 2000);
  std::vector<std::string> args = {
      "espeak-ng", "-v", voice.empty() ? "en-gb" : voice, "-s", "150", "--", clipped};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", 1, 0);  // O_WRONLY
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", 1, 0);
  pid_t pid = -1;
  if (posix_spawnp(&pid, "espeak-ng", &actions, nullptr, argv.data(), environ) == 0) child_ = pid;
  posix_spawn_file_actions_destroy(&actions);
}

}  // namespace signpost::kiosk
