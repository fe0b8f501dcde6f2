// i18n: the kiosk's UI text in the student's chosen language.
//
// UI strings are written in English in the source and wrapped in tr("...");
// translations live in gettext catalogues (kiosk/po/<lang>.po, compiled to
// .mo by msgfmt at build time). We read the .mo file ourselves instead of
// calling gettext(3) because glibc's gettext only switches language when the
// matching system locale is generated (Debian images rarely have cy_GB), and a
// kiosk must switch language per session without touching the process locale.
// Feed content (course titles, descriptions) is never translated.
//
// Thread safety: SetLanguage() and tr() are for the UI thread only.
#pragma once

#include <string>
#include <vector>

namespace signpost::kiosk {

struct Language {
  const char* code;          // "en", "cy"
  const char* name;          // in its own language: "English", "Cymraeg"
  const char* espeak_voice;  // espeak-ng voice for read aloud
};

// Languages offered on the accessibility bar (English first).
const std::vector<Language>& AvailableLanguages();

// Where .mo files are looked for: $SIGNPOST_LOCALE_DIR, the build tree, then
// the install prefix. Returns false (and stays in English) when `code` has no
// catalogue.
bool SetLanguage(const std::string& code);
const std::string& CurrentLanguage();
const Language& CurrentLanguageInfo();

// The translation of `english` in the current language, or `english` itself.
// The returned pointer stays valid until the language changes.
const char* tr(const char* english) __attribute__((format_arg(1)));

// Marks a string for translation without translating it (for text that is
// looked up later, e.g. words the catalogue returns). xgettext keyword.
constexpr const char* tr_noop(const char* english) { return english; }

// Parses a GNU .mo file image (little- or big-endian); exposed for tests.
bool ParseMo(const std::string& bytes, std::vector<std::pair<std::string, std::string>>* out);

}  // namespace signpost::kiosk
