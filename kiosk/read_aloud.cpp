// Read aloud (app.h): App::Say collects a screen's main text on the frame
// that reads it whole (App::Frame speaks it); App::Announce says what changed
// on a screen already read (the results once typing pauses, the answer after
// choosing a subject) without reading the whole screen again. A view that
// waits to announce gives App::NextDeadline() its time (View::NextDeadline).
// Thread safety: UI thread only.
#include "kiosk/app.h"
#include "kiosk/i18n.h"

namespace signpost::kiosk {

void App::Say(const std::string& text) {
  if (!collecting_speech_ || text.empty()) return;
  if (!speech_text_.empty()) speech_text_ += ". ";
  speech_text_ += text;
}

void App::Say(const char* text) {
  if (collecting_speech_ && text) Say(std::string(text));
}

void App::Announce(const std::string& text) {
  if (!session_.settings.read_aloud || text.empty()) return;
  // This frame reads the whole screen: the change is part of that reading.
  if (collecting_speech_) return;
  speaker_.Say(text, CurrentLanguageInfo().espeak_voice);
}

}  // namespace signpost::kiosk
