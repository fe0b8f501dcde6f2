// Search text: folding, stemming, sound-alike keys, edit distance. See text.h.
#include "text.h"

#include <dlfcn.h>
#include <libstemmer.h>
#include <sqlite3.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>
#include <unicode/uvernum.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <optional>
#include <type_traits>
#include <vector>

#include "sqlite_util.h"

namespace signpost::catalogue::internal {

std::string_view CutUtf8(std::string_view s, size_t max) {
  if (s.size() <= max) return s;
  size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xc0) == 0x80) --cut;
  return s.substr(0, cut);
}

namespace {

bool IsApostrophe(char32_t c) {
  return c == U'\'' || c == U'\u2019' || c == U'\u2018' || c == U'\u02bc' || c == U'`' ||
         c == U'\u00b4' || c == U'\u2032';
}

// [SECTION] ICU, loaded on first need --------------------------------------------------
//
// Most text is ASCII (FoldAscii below needs no ICU), so ICU's library is
// opened only when other text is first folded: a reader that never meets
// such text does not pay for loading it (about 2 ms of a fresh process's
// CPU). Only ICU's C API is used, by its versioned names (ICU renames every
// entry point by its major version: the headers and the library match).
#define SIGNPOST_ICU_STR2(x) #x
#define SIGNPOST_ICU_STR(x) SIGNPOST_ICU_STR2(x)

struct Icu {
  decltype(&unorm2_getNFKCCasefoldInstance) nfkc_casefold = nullptr;
  decltype(&unorm2_normalize) normalize = nullptr;
  decltype(&u_strFromUTF8WithSub) from_utf8 = nullptr;
  decltype(&u_strToUTF8WithSub) to_utf8 = nullptr;
  decltype(&u_strFoldCase) fold_case = nullptr;
  decltype(&u_isalnum) is_alnum = nullptr;
  bool ok = false;
};

const Icu& LoadIcu() {
  static const Icu icu = [] {
    Icu i;
    // Never closed: the functions stay valid for the process's life.
    void* lib =
        ::dlopen("libicuuc.so." SIGNPOST_ICU_STR(U_ICU_VERSION_MAJOR_NUM), RTLD_NOW | RTLD_LOCAL);
    if (!lib) return i;
    auto get = [lib](auto* fn, const char* name) {
      *fn = reinterpret_cast<std::remove_pointer_t<decltype(fn)>>(::dlsym(lib, name));
      return *fn != nullptr;
    };
    i.ok = get(&i.nfkc_casefold, SIGNPOST_ICU_STR(unorm2_getNFKCCasefoldInstance)) &&
           get(&i.normalize, SIGNPOST_ICU_STR(unorm2_normalize)) &&
           get(&i.from_utf8, SIGNPOST_ICU_STR(u_strFromUTF8WithSub)) &&
           get(&i.to_utf8, SIGNPOST_ICU_STR(u_strToUTF8WithSub)) &&
           get(&i.fold_case, SIGNPOST_ICU_STR(u_strFoldCase)) &&
           get(&i.is_alnum, SIGNPOST_ICU_STR(u_isalnum));
    return i;
  }();
  return icu;
}

// Calls fill(buffer, capacity, &status) with a buffer large enough for its
// answer (ICU's preflight protocol: the first call says how long it needs).
// Empty when ICU said it failed.
template <typename Char, typename Fill>
std::optional<std::basic_string<Char>> IcuString(std::int32_t guess, Fill fill) {
  std::basic_string<Char> out(static_cast<size_t>(std::max(guess, 1)), Char{});
  UErrorCode status = U_ZERO_ERROR;
  std::int32_t n = fill(out.data(), static_cast<std::int32_t>(out.size()), &status);
  if (status == U_BUFFER_OVERFLOW_ERROR && n > 0) {
    out.assign(static_cast<size_t>(n), Char{});
    status = U_ZERO_ERROR;
    n = fill(out.data(), n, &status);
  }
  if (U_FAILURE(status) || n < 0) return std::nullopt;
  out.resize(static_cast<size_t>(n));
  return out;
}

}  // namespace

namespace {

bool AsciiWordChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

// FoldForSearch for text that is all ASCII, without ICU: NFKC_Casefold maps
// ASCII only by lower-casing A-Z, and the apostrophe rules below are the same
// as the general path's, byte by byte. Most of what is typed and every line
// of aliases.txt take this path.
std::string FoldAscii(std::string_view text) {
  std::string folded(text);
  for (char& c : folded) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  if (folded.find_first_of("'`") == std::string::npos) return folded;
  std::string out;
  const size_t n = folded.size();
  for (size_t i = 0; i < n;) {
    const char c = folded[i];
    const size_t next = i + 1;
    if (c == '\'' || c == '`') {
      const bool after_word = i > 0 && AsciiWordChar(folded[i - 1]);
      if (after_word && next < n && folded[next] == 's') {
        const size_t after_s = next + 1;
        if (after_s >= n || !AsciiWordChar(folded[after_s])) {
          i = after_s;  // possessive 's
          continue;
        }
      }
      if (after_word && (next >= n || !AsciiWordChar(folded[next]))) {
        i = next;  // plural possessive: "plumbers'"
        continue;
      }
      out += '\'';
      i = next;
      continue;
    }
    out += c;
    i = next;
  }
  return out;
}

}  // namespace

std::string FoldForSearch(std::string_view text) {
  text = CutUtf8(text, kMaxQueryBytes);
  if (std::all_of(text.begin(), text.end(),
                  [](char c) { return (static_cast<unsigned char>(c) & 0x80) == 0; })) {
    return FoldAscii(text);
  }
  return FoldForSearchWithIcu(text);
}

std::string FoldForSearchWithIcu(std::string_view text) {
  text = CutUtf8(text, kMaxQueryBytes);
  const Icu& icu = LoadIcu();
  if (!icu.ok) return FoldAscii(text);  // no ICU installed: ASCII letters only
  const auto len = static_cast<std::int32_t>(text.size());
  // UTF-8 -> UTF-16 (bad bytes become U+FFFD), then NFKC case folding.
  const std::u16string in =
      IcuString<char16_t>(len, [&](UChar* buf, std::int32_t cap, UErrorCode* st) {
        std::int32_t n = 0;
        icu.from_utf8(buf, cap, &n, text.data(), len, 0xfffd, nullptr, st);
        return n;
      }).value_or(std::u16string());
  UErrorCode status = U_ZERO_ERROR;
  const UNormalizer2* nfkc = icu.nfkc_casefold(&status);
  std::optional<std::u16string> normalized;
  if (U_SUCCESS(status) && nfkc) {
    normalized = IcuString<char16_t>(
        static_cast<std::int32_t>(in.size()) * 2 + 8,
        [&](UChar* buf, std::int32_t cap, UErrorCode* st) {
          return icu.normalize(nfkc, in.data(), static_cast<std::int32_t>(in.size()), buf, cap, st);
        });
  }
  if (!normalized) {
    normalized = IcuString<char16_t>(static_cast<std::int32_t>(in.size()) + 8,
                                     [&](UChar* buf, std::int32_t cap, UErrorCode* st) {
                                       return icu.fold_case(buf, cap, in.data(),
                                                            static_cast<std::int32_t>(in.size()),
                                                            U_FOLD_CASE_DEFAULT, st);
                                     });
  }
  const std::u16string folded = normalized.value_or(in);
  // Apostrophes: "plumber's" / "plumbers’" -> "plumber" / "plumbers"; any other
  // apostrophe-like character becomes a plain "'" (a word join, see query.cpp).
  const UChar* s = folded.data();
  const auto n = static_cast<std::int32_t>(folded.size());
  auto at = [&](std::int32_t i) {
    UChar32 c = 0;
    U16_GET(s, 0, i, n, c);
    return c;
  };
  auto next_of = [&](std::int32_t i) {
    U16_FWD_1(s, i, n);
    return i;
  };
  auto word_char = [&](UChar32 c) { return icu.is_alnum(c) != 0; };
  std::u16string out;
  for (std::int32_t i = 0; i < n;) {
    const UChar32 c = at(i);
    const std::int32_t next = next_of(i);
    if (IsApostrophe(static_cast<char32_t>(c))) {
      std::int32_t before = i;
      if (i > 0) U16_BACK_1(s, 0, before);
      const bool after_word = i > 0 && word_char(at(before));
      if (after_word && next < n && at(next) == U's') {
        const std::int32_t after_s = next_of(next);
        if (after_s >= n || !word_char(at(after_s))) {
          i = after_s;  // possessive 's
          continue;
        }
      }
      if (after_word && (next >= n || !word_char(at(next)))) {
        i = next;  // plural possessive: "plumbers'"
        continue;
      }
      out += u'\'';
      i = next;
      continue;
    }
    out.append(folded, static_cast<size_t>(i), static_cast<size_t>(next - i));
    i = next;
  }
  return IcuString<char>(static_cast<std::int32_t>(out.size()) * 3 + 4,
                         [&](char* buf, std::int32_t cap, UErrorCode* st) {
                           std::int32_t written = 0;
                           icu.to_utf8(buf, cap, &written, out.data(),
                                       static_cast<std::int32_t>(out.size()), 0xfffd, nullptr, st);
                           return written;
                         })
      .value_or(std::string());
}

// [SECTION] Words -------------------------------------------------------------------

namespace {

fts5_api* Fts5Api(sqlite3* db) {
  fts5_api* api = nullptr;
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &stmt, nullptr) == SQLITE_OK) {
    sqlite3_bind_pointer(stmt, 1, static_cast<void*>(&api), "fts5_api_ptr", nullptr);
    sqlite3_step(stmt);
  }
  sqlite3_finalize(stmt);
  return api;
}

struct SplitContext {
  const std::function<bool(std::string_view, int, int)>* fn;
};

int OnWord(void* ctx, int flags, const char* token, int n, int start, int end) {
  if (flags & FTS5_TOKEN_COLOCATED) return SQLITE_OK;
  auto* c = static_cast<SplitContext*>(ctx);
  return (*c->fn)(std::string_view(token, static_cast<size_t>(n)), start, end) ? SQLITE_OK
                                                                               : SQLITE_DONE;
}

}  // namespace

WordSplitter::WordSplitter(sqlite3* db) {
  fts5_api* api = Fts5Api(db);
  if (!api) throw SqliteError(SQLITE_ERROR, "this SQLite has no full-text search (FTS5)");
  auto tok = std::make_unique<fts5_tokenizer>();
  void* user = nullptr;
  if (api->xFindTokenizer(api, "unicode61", &user, tok.get()) != SQLITE_OK) {
    throw SqliteError(SQLITE_ERROR, "FTS5 has no unicode61 tokenizer");
  }
  const char* args[] = {"remove_diacritics", "2"};
  if (tok->xCreate(user, args, 2, &tokenizer_) != SQLITE_OK) {
    throw SqliteError(SQLITE_ERROR, "cannot create the unicode61 tokenizer");
  }
  api_ = tok.release();
}

WordSplitter::~WordSplitter() {
  if (api_ && tokenizer_) api_->xDelete(tokenizer_);
  delete api_;
}

void WordSplitter::Split(std::string_view text,
                         const std::function<bool(std::string_view, int, int)>& fn) const {
  if (text.empty()) return;
  SplitContext ctx{&fn};
  api_->xTokenize(tokenizer_, &ctx, FTS5_TOKENIZE_DOCUMENT, text.data(),
                  static_cast<int>(text.size()), OnWord);
}

namespace {

bool Letter(char c) { return c >= 'a' && c <= 'z'; }

// Of a word and a number written together: the number of letters; else 0.
size_t LettersBeforeNumber(std::string_view w) {
  size_t letters = 0;
  while (letters < w.size() && Letter(w[letters])) ++letters;
  const size_t digits = w.size() - letters;
  if (letters < 2 || digits < 1 || digits > 3) return 0;
  for (size_t i = letters; i < w.size(); ++i) {
    if (w[i] < '0' || w[i] > '9') return 0;
  }
  return letters;
}

}  // namespace

void SplitAsTyped(const WordSplitter& splitter, std::string_view text, size_t max_bytes,
                  const std::function<bool(std::string_view, int, int)>& fn) {
  std::string word;  // the word held back: the next may join it ("i" "." "t")
  int start = 0, end = 0;
  bool held = false, dotted = false, go = true;
  auto release = [&] {
    if (!held) return true;
    held = false;
    if (const size_t letters = LettersBeforeNumber(word)) {
      const int mid = start + static_cast<int>(letters);
      const std::string_view w(word);
      return fn(w.substr(0, letters), start, mid) && fn(w.substr(letters), mid, end);
    }
    return fn(word, start, end);
  };
  splitter.Split(text, [&](std::string_view w, int s, int e) {
    w = CutUtf8(w, max_bytes);
    if (held && w.size() == 1 && Letter(w[0]) && word.size() < 6 &&
        text.substr(static_cast<size_t>(end), static_cast<size_t>(s - end)) == "." &&
        (dotted || (word.size() == 1 && Letter(word[0])))) {
      word += w;
      end = e;
      dotted = true;
      return true;
    }
    if (!release()) return go = false;
    word.assign(w);
    start = s;
    end = e;
    held = true;
    dotted = false;
    return true;
  });
  if (go) release();
}

// [SECTION] Stemming -----------------------------------------------------------------

Stemmer::Stemmer() : stemmer_(sb_stemmer_new("english", "UTF_8")) {}

Stemmer::~Stemmer() {
  if (stemmer_) sb_stemmer_delete(stemmer_);
}

std::string Stemmer::Stem(std::string_view word) {
  if (!stemmer_ || word.size() <= 3 || word.size() > 64) return std::string(word);
  if (std::any_of(word.begin(), word.end(),
                  [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
    return std::string(word);
  }
  const sb_symbol* s = sb_stemmer_stem(stemmer_, reinterpret_cast<const sb_symbol*>(word.data()),
                                       static_cast<int>(word.size()));
  if (!s) return std::string(word);
  return std::string(reinterpret_cast<const char*>(s),
                     static_cast<size_t>(sb_stemmer_length(stemmer_)));
}

// [SECTION] Forms of one word -----------------------------------------------------

namespace {

bool IsInflection(std::string_view rest) {
  static constexpr std::string_view kEndings[] = {
      "",    "s",   "es",  "e",    "ed",  "ing",  "ings", "er",   "ers",   "y",
      "ies", "ied", "ier", "iers", "ant", "ants", "ancy", "ical", "ically"};
  for (std::string_view e : kEndings) {
    if (rest == e) return true;
  }
  return false;
}

// rest follows `common`: an inflection, or one after a doubled last letter.
bool InflectionAfter(std::string_view common, std::string_view rest) {
  if (IsInflection(rest)) return true;
  return !common.empty() && rest.size() > 1 && rest[0] == common.back() &&
         IsInflection(rest.substr(1));
}

}  // namespace

bool SameWordInflected(std::string_view a, std::string_view b) {
  std::size_t n = 0;
  while (n < a.size() && n < b.size() && a[n] == b[n]) ++n;
  const std::string_view common = a.substr(0, n);
  return InflectionAfter(common, a.substr(n)) && InflectionAfter(common, b.substr(n));
}

// [SECTION] Sound-alike keys ---------------------------------------------------------

namespace {

bool Vowel(char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y'; }

bool StartsWith(std::string_view s, size_t i, std::string_view p) {
  return s.substr(i, p.size()) == p;
}

}  // namespace

std::string PhoneticKey(std::string_view w) {
  std::string key;
  if (w.empty()) return key;
  size_t i = 0;
  // Silent or soft beginnings.
  for (std::string_view p : {"kn", "gn", "pn", "wr", "ps"}) {
    if (StartsWith(w, 0, p)) {
      i = 1;
      break;
    }
  }
  if (i == 0 && Vowel(w[0]) && w[0] != 'y') {
    key += 'a';  // a word starting with a vowel keeps one vowel mark
    i = 1;
  }
  auto emit = [&](char c) {
    if (key.empty() || key.back() != c) key += c;
  };
  const size_t n = w.size();
  while (i < n) {
    const char c = w[i];
    const char next = i + 1 < n ? w[i + 1] : '\0';
    const char next2 = i + 2 < n ? w[i + 2] : '\0';
    const bool front = next == 'e' || next == 'i' || next == 'y';
    if (static_cast<unsigned char>(c) >= 0x80 || !std::isalpha(static_cast<unsigned char>(c))) {
      key += c;  // digits, other scripts: kept
      ++i;
      continue;
    }
    if (Vowel(c)) {
      // "ci"/"ti"/"si" + vowel sound "sh" (special, nation, mission).
      ++i;
      continue;
    }
    switch (c) {
      case 'p':
        if (next == 'h') {
          emit('f');
          i += 2;
          continue;
        }
        emit('p');
        break;
      case 'c':
        if (next == 'k' || next == 'q') {
          emit('k');
          i += 2;
          continue;
        }
        if (next == 'h') {
          // Greek "ch" (chemistry, psychology, mechanic, technology,
          // architect) sounds "k"; otherwise "ch" as in "church".
          const bool greek = StartsWith(w, i, "chem") || StartsWith(w, i, "chor") ||
                             StartsWith(w, i, "chr") || StartsWith(w, i, "chl") ||
                             StartsWith(w, i, "chara") || StartsWith(w, i, "chit") ||
                             (i > 0 && w[i - 1] == 'y') ||
                             (i > 1 && w[i - 1] == 'e' && (w[i - 2] == 't' || w[i - 2] == 'm')) ||
                             (i > 1 && w[i - 1] == 'r' && w[i - 2] == 'a' && next2 == 'i');
          emit(greek ? 'k' : 'x');
          i += 2;
          continue;
        }
        if (next == 'i' && (next2 == 'a' || next2 == 'o' || next2 == 'e')) {
          emit('x');  // special, physician
          i += 2;
          continue;
        }
        emit(front ? 's' : 'k');
        break;
      case 's':
        if (next == 'h') {
          emit('x');
          i += 2;
          continue;
        }
        if (next == 'c' && (next2 == 'e' || next2 == 'i' || next2 == 'y')) {
          emit('s');  // science
          i += 2;
          continue;
        }
        if (next == 'c' && next2 == 'h') {
          emit('s');  // school
          emit('k');
          i += 3;
          continue;
        }
        if (next == 'i' && (next2 == 'o' || next2 == 'a')) {
          emit('x');  // mission, asia
          i += 2;
          continue;
        }
        emit('s');
        break;
      case 't':
        if (next == 'i' && (next2 == 'o' || next2 == 'a')) {
          emit('x');  // nation, potential
          i += 2;
          continue;
        }
        if (next == 'h') {
          emit('0');
          i += 2;
          continue;
        }
        if (next == 'c' && next2 == 'h') {
          emit('x');
          i += 3;
          continue;
        }
        emit('t');
        break;
      case 'd':
        if (next == 'g' && (next2 == 'e' || next2 == 'i' || next2 == 'y')) {
          emit('j');
          i += 3;
          continue;
        }
        emit('t');  // "d"/"t" are often swapped in spelling by ear
        break;
      case 'g':
        if (next == 'h') {
          if (i + 2 >= n) emit('f');  // tough
          i += 2;                     // night
          continue;
        }
        if (next == 'n' && i + 2 >= n) {  // sign
          emit('n');
          i += 2;
          continue;
        }
        emit(front ? 'j' : 'k');
        break;
      case 'm':
        emit('m');
        if (next == 'b') {
          i += 2;  // plumber, climb
          continue;
        }
        break;
      case 'q':
      case 'k':
        emit('k');
        break;
      case 'x':
        emit('k');
        emit('s');
        break;
      case 'z':
        emit('s');
        break;
      case 'w':
        if (next == 'h') {
          emit('w');
          i += 2;
          continue;
        }
        if (i > 0 && Vowel(w[i - 1]) && (i + 1 >= n || !Vowel(next))) break;  // "law", "brown"
        emit('w');
        break;
      case 'h':
        if (i > 0 && !Vowel(w[i - 1])) break;  // silent after a consonant
        if (i + 1 >= n || !Vowel(next)) break;
        emit('h');
        break;
      case 'v':
        emit('f');
        break;
      case 'b':
        emit('p');  // b/p and d/t: the pairs dyslexic spellings swap most
        break;
      default:
        emit(c);
    }
    ++i;
  }
  return key;
}

// [SECTION] Edit distance ------------------------------------------------------------

int EditDistance(std::string_view a, std::string_view b, int cap) {
  const size_t n = a.size(), m = b.size();
  if (static_cast<int>(n > m ? n - m : m - n) > cap) return cap + 1;
  if (n == 0) return static_cast<int>(m);
  if (m == 0) return static_cast<int>(n);
  thread_local std::vector<int> rows;
  rows.assign(3 * (m + 1), 0);
  int* prev2 = rows.data();
  int* prev = prev2 + (m + 1);
  int* cur = prev + (m + 1);
  for (size_t j = 0; j <= m; ++j) prev[j] = static_cast<int>(j);
  for (size_t i = 1; i <= n; ++i) {
    cur[0] = static_cast<int>(i);
    int row_min = cur[0];
    for (size_t j = 1; j <= m; ++j) {
      const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        cur[j] = std::min(cur[j], prev2[j - 2] + 1);
      }
      row_min = std::min(row_min, cur[j]);
    }
    if (row_min > cap) return cap + 1;
    int* t = prev2;
    prev2 = prev;
    prev = cur;
    cur = t;
  }
  return std::min(prev[m], cap + 1);
}

}  // namespace signpost::catalogue::internal
