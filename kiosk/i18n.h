// i18n: the kiosk's UI text in the student's chosen language.
//
// UI strings are written in English in the source and wrapped in tr("...");
// a string with a count in it is trn("singular", "plural", n), which picks
// the language's plural form for n (gettext's ngettext: English has 2 forms,
// Welsh 6). Translations live in gettext catalogues (kiosk/po/<lang>.po,
// compiled to .mo by msgfmt at build time; kiosk/po/update-po.sh refreshes
// the template and merges it into each language). We read the .mo file ourselves instead of
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

// The form of a counted message for n in the current language (ngettext):
// `singular` / `plural` are the English forms (n == 1 / otherwise), and the
// translation's forms are chosen by its catalogue's Plural-Forms rule. Both
// forms must take the same printf arguments. xgettext keyword trn:1,2.
const char* trn(const char* singular, const char* plural, long long n)
    __attribute__((format_arg(1))) __attribute__((format_arg(2)));

// Marks a string for translation without translating it (for text that is
// looked up later, e.g. words the catalogue returns). xgettext keyword.
constexpr const char* tr_noop(const char* english) { return english; }

// One message of a .mo file: msgid (the singular, for plural messages) and
// its translations (one per plural form; one for an ordinary message).
struct MoEntry {
  std::string id;
  std::vector<std::string> forms;
};
// Parses a GNU .mo file image (little- or big-endian); exposed for tests.
// The header (msgid "") is kept as an entry with an empty id.
bool ParseMo(const std::string& bytes, std::vector<MoEntry>* out);

// A gettext Plural-Forms rule ("nplurals=6; plural=(n==0) ? 0 : ...;"),
// parsed once: C-like integer expressions over n with ?:, ||, &&, ==, !=,
// <, >, <=, >=, +, -, *, /, %, ! and parentheses. Parsing is bounded (at
// most 256 tokens, 32 levels deep); a rule it cannot read gives English
// rules (n != 1). Exposed for tests.
class PluralRule {
 public:
  PluralRule() = default;
  // False (and English rules) when `header` has no readable Plural-Forms.
  bool Parse(const std::string& header);
  int count() const { return nplurals_; }
  int Index(long long n) const;  // 0 .. count()-1

 private:
  struct Node {
    char op = 0;  // 'n' (the number), 'c' (constant), or an operator
    long long value = 0;
    int a = -1, b = -1, c = -1;  // operands (indices into nodes_)
  };
  long long Eval(int node, long long n, int depth) const;
  int nplurals_ = 2;
  std::vector<Node> nodes_;
  int root_ = -1;  // -1: English (n != 1)
};

}  // namespace signpost::kiosk
