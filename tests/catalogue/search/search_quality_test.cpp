// The judged query set (judged_queries.txt): things students type, each with
// what a good first screen must show on the sample catalogue. Scores the
// share of queries whose first screen is right in every session tried, and
// fails below the floor written in the file (the floor only ever rises).
// Prints every query that fails and what its first screen showed, so a
// change that makes search worse says where.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "search_test_util.h"

namespace signpost::catalogue {
namespace {

using testing::FirstScreen;
using testing::SampleCatalogue;

constexpr std::uint64_t kSessions[] = {1, 2, 3, 4, 5, 6};

struct Judged {
  std::string query;
  std::vector<std::string> expectations;
  int line = 0;
};

std::string Trim(std::string s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  size_t i = 0;
  while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
  return s.substr(i);
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

struct JudgedSet {
  std::vector<Judged> queries;
  double floor = -1;
};

JudgedSet ReadJudged() {
  JudgedSet set;
  std::ifstream in(SIGNPOST_JUDGED_QUERIES);
  EXPECT_TRUE(in) << "cannot read " << SIGNPOST_JUDGED_QUERIES;
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    if (line.rfind("# floor:", 0) == 0) set.floor = std::stod(line.substr(8));
    if (line.empty() || line[0] == '#') continue;
    const size_t arrow = line.find("=>");
    EXPECT_NE(arrow, std::string::npos) << "line " << n << " has no =>: " << line;
    if (arrow == std::string::npos) continue;
    Judged j;
    j.line = n;
    j.query = Trim(line.substr(0, arrow));
    if (j.query.size() >= 2 && j.query.front() == '"' && j.query.back() == '"') {
      j.query = j.query.substr(1, j.query.size() - 2);
    }
    std::stringstream rest(line.substr(arrow + 2));
    for (std::string e; std::getline(rest, e, ';');) {
      e = Trim(e);
      if (!e.empty()) j.expectations.push_back(e);
    }
    EXPECT_FALSE(j.expectations.empty()) << "line " << n << " expects nothing";
    set.queries.push_back(std::move(j));
  }
  return set;
}

bool TitleHas(const std::string& title, const std::string& any_of) {
  std::stringstream alts(any_of);
  for (std::string a; std::getline(alts, a, '|');) {
    if (!a.empty() && Lower(title).find(Lower(Trim(a))) != std::string::npos) return true;
  }
  return false;
}

// "" when the expectation holds, else why not.
std::string Check(const std::string& e, const FirstScreen& s) {
  const size_t colon = e.find(':');
  const std::string kind = e.substr(0, colon);
  const std::string arg = colon == std::string::npos ? "" : Trim(e.substr(colon + 1));
  auto any = [&](auto pred) { return std::any_of(s.lines.begin(), s.lines.end(), pred); };
  bool ok = false;
  if (kind == "results") {
    ok = !s.lines.empty();
  } else if (kind == "route") {
    auto r = ParseRoute(arg);
    EXPECT_TRUE(r.has_value()) << e;
    ok = r && any([&](const testing::ScreenLine& l) {
           return l.kind == ResultKind::kOpportunity && l.route == *r;
         });
  } else if (kind == "title") {
    ok = any([&](const testing::ScreenLine& l) { return TitleHas(l.title, arg); });
  } else if (kind == "career" || kind == "event" || kind == "local") {
    const ResultKind want = kind == "career"  ? ResultKind::kCareer
                            : kind == "event" ? ResultKind::kEvent
                                              : ResultKind::kLocal;
    ok =
        any([&](const testing::ScreenLine& l) { return l.kind == want && TitleHas(l.title, arg); });
  } else if (kind == "showing") {
    ok = Lower(s.showing).find(Lower(arg)) != std::string::npos;
  } else {
    ADD_FAILURE() << "unknown expectation " << e;
  }
  return ok ? "" : e;
}

std::string Describe(const FirstScreen& s) {
  std::string out;
  if (!s.showing.empty()) out += "    (showing results for \"" + s.showing + "\")\n";
  for (const auto& l : s.lines) {
    out += "    " +
           std::string(l.kind == ResultKind::kOpportunity ? RouteKey(l.route)
                                                          : ResultKindKey(l.kind)) +
           ": " + l.title + "\n";
  }
  return out.empty() ? "    (nothing)\n" : out;
}

TEST(SearchQualityTest, JudgedQueriesScoreAtLeastTheFloor) {
  const JudgedSet set = ReadJudged();
  ASSERT_GE(set.queries.size(), 150u) << "the judged set should hold at least 150 queries";
  ASSERT_GT(set.floor, 0) << "judged_queries.txt needs a '# floor: 0.xx' line";
  SampleCatalogue& sample = SampleCatalogue::Get();
  int passed = 0;
  std::string failures;
  for (const Judged& j : set.queries) {
    std::string why;
    for (std::uint64_t seed : kSessions) {
      const FirstScreen screen = sample.Search(j.query, seed);
      for (const std::string& e : j.expectations) {
        if (std::string miss = Check(e, screen); !miss.empty()) {
          why = "  line " + std::to_string(j.line) + " \"" + j.query + "\": no " + miss +
                " (session " + std::to_string(seed) + ")\n" + Describe(screen);
          break;
        }
      }
      if (!why.empty()) break;
    }
    if (why.empty()) {
      ++passed;
    } else {
      failures += why;
    }
  }
  const double score = static_cast<double>(passed) / static_cast<double>(set.queries.size());
  std::printf("Judged query set: %d of %zu queries right (score %.3f, floor %.2f)\n", passed,
              set.queries.size(), score, set.floor);
  if (!failures.empty()) std::printf("Queries whose first screen is wrong:\n%s", failures.c_str());
  EXPECT_GE(score + 1e-9, set.floor) << "search got worse on the judged query set";
  if (score >= set.floor + 0.01) {
    std::printf("The score is above the floor: raise '# floor:' in judged_queries.txt to %.2f\n",
                std::floor(score * 100) / 100);
  }
}

// Snowball gives "animals" and "animation" one stem ("anim"), and
// "physics" and "physical" another: a student asking for one must not get
// the other.
TEST(SearchQualityTest, WordsThatOnlyShareAStemDoNotFindEachOther) {
  auto has = [](const FirstScreen& f, std::string_view text) {
    for (const auto& l : f.lines) {
      if (l.title.find(text) != std::string::npos) return true;
    }
    return false;
  };
  auto& sample = SampleCatalogue::Get();
  const FirstScreen animation = sample.Search("animation", 1);
  EXPECT_FALSE(has(animation, "Veterinary"));
  EXPECT_FALSE(has(animation, "Animal"));
  const FirstScreen animals = sample.Search("animals", 1);
  EXPECT_TRUE(has(animals, "Animal"));
  EXPECT_FALSE(has(animals, "Games Art"));
  const FirstScreen physics = sample.Search("physics", 1);
  EXPECT_TRUE(has(physics, "Physics"));
  EXPECT_FALSE(has(physics, "Physical Education"));
}

// How a word is written does not change what it finds: letters with dots
// ("i.t.") are the word ("it"); a word and a number written together
// ("level3") are the two written with a hyphen ("level-3").
TEST(SearchQualityTest, WordsWrittenWithDotsOrNumbersFindWhatTheWordFinds) {
  auto& sample = SampleCatalogue::Get();
  auto rows = [&](const std::string& text) {
    auto r = sample.engine().Search({.text = text, .origin = sample.origin(), .session_seed = 4});
    EXPECT_TRUE(r.ok()) << text;
    return r.ok() ? r->Rows(0, r->size()) : std::vector<std::int64_t>{};
  };
  for (const auto& [written, plain] :
       std::vector<std::pair<std::string, std::string>>{{"i.t.", "it"},
                                                        {"p.e.", "pe"},
                                                        {"I.T", "it"},
                                                        {"level3", "level-3"},
                                                        {"gcse9", "gcse-9"},
                                                        {"level2 business", "level-2 business"}}) {
    SCOPED_TRACE(written);
    const std::vector<std::int64_t> want = rows(plain);
    ASSERT_FALSE(want.empty()) << plain;
    EXPECT_EQ(rows(written), want);
  }
  // Not every word with a digit is split: "a2" (an alias) and "3d" keep their own meaning.
  EXPECT_FALSE(rows("a2").empty());
  EXPECT_FALSE(rows("3d").empty());
}

}  // namespace
}  // namespace signpost::catalogue
