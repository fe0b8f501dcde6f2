// Read aloud, what changed (app.h: App::Announce): a screen that is already
// being read says the part that changed (the results once typing pauses, the
// answer after choosing a subject) without reading the whole screen again.
// The whole-screen reading (App::Say, collected in App::Frame) stays in
// app.cpp.
// Thread safety: UI thread only.
#include "kiosk/app.h"
#include "kiosk/i18n.h"

namespace signpost::kiosk {

void App::Announce(const std::string& text) {
  if (!session_.settings.read_aloud || text.empty()) return;
  // This frame reads the whole screen: the change is part of that reading.
  if (collecting_speech_) return;
  speaker_.Say(text, CurrentLanguageInfo().espeak_voice);
}

}  // namespace signpost::kiosk
