// The text rules search reads typing with: Unicode folding, apostrophes,
// stems, sound-alike keys, edit distance, and the alias list (shipped and
// from a local pack).
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "aliases.h"
#include "text.h"

namespace signpost::catalogue::internal {
namespace {

class Db {
 public:
  Db() { sqlite3_open(":memory:", &db_); }
  ~Db() { sqlite3_close(db_); }
  sqlite3* get() { return db_; }

 private:
  sqlite3* db_ = nullptr;
};

TEST(SearchTextTest, FoldingUndoesLigaturesFullWidthAndCase) {
  EXPECT_EQ(FoldForSearch("\xEF\xAC\x81nance"), "finance");          // U+FB01 ligature
  EXPECT_EQ(FoldForSearch("\xEF\xBC\xAE\xEF\xBD\x95rse"), "nurse");  // full-width N, u
  EXPECT_EQ(FoldForSearch("ENGINEERING"), "engineering");
  EXPECT_EQ(FoldForSearch("Straße"), "strasse");
}

TEST(SearchTextTest, PossessivesGoAndOtherApostrophesBecomePlain) {
  EXPECT_EQ(FoldForSearch("plumber's mate"), "plumber mate");
  EXPECT_EQ(FoldForSearch("plumber\xE2\x80\x99s mate"), "plumber mate");  // curly ’
  EXPECT_EQ(FoldForSearch("plumbers' tools"), "plumbers tools");
  EXPECT_EQ(FoldForSearch("o\xE2\x80\x99neill"), "o'neill");
  EXPECT_EQ(FoldForSearch("'s"), "'s");  // nothing before it: not a possessive
}

TEST(SearchTextTest, AsciiIsFoldedExactlyAsIcuFoldsIt) {
  // Every string of up to 5 characters over letters of both cases, digits,
  // apostrophes, spaces and punctuation (a bounded, complete set), plus
  // control characters and a long one: the ICU-free path for ASCII must give
  // what ICU gives.
  const std::string alphabet = "aSs'`Z9 -/";
  std::vector<std::string> texts = {"\t\x01\x7f", "PLUMBER'S MATE", "o'neill's", "''s'",
                                    std::string(600, 'Q')};
  std::vector<std::string> level = {""};
  for (int len = 1; len <= 5; ++len) {
    std::vector<std::string> next;
    for (const std::string& t : level) {
      for (char c : alphabet) next.push_back(t + c);
    }
    texts.insert(texts.end(), next.begin(), next.end());
    level = std::move(next);
  }
  for (const std::string& t : texts) {
    ASSERT_EQ(FoldForSearch(t), FoldForSearchWithIcu(t)) << "\"" << t << "\"";
  }
}

TEST(SearchTextTest, FoldingIsBoundedAndSurvivesBrokenUtf8) {
  const std::string huge(100000, 'a');
  EXPECT_LE(FoldForSearch(huge).size(), kMaxQueryBytes);
  EXPECT_FALSE(FoldForSearch("\xff\xfe\xc3").empty());  // replacement characters, no crash
  EXPECT_EQ(FoldForSearch(""), "");
}

TEST(SearchTextTest, PluralsAndWordFormsShareAStem) {
  Stemmer s;
  EXPECT_EQ(s.Stem("levels"), s.Stem("level"));
  EXPECT_EQ(s.Stem("nursing"), s.Stem("nurse"));
  EXPECT_EQ(s.Stem("apprenticeships"), s.Stem("apprenticeship"));
  EXPECT_EQ(s.Stem("cooking"), s.Stem("cook"));
  EXPECT_NE(s.Stem("careers"), s.Stem("care"));
  EXPECT_EQ(s.Stem("it"), "it");  // short words are their own stem
  EXPECT_EQ(s.Stem("a2"), "a2");  // and words with digits
}

TEST(SearchTextTest, AStemSharedByDifferentWordsIsNotTakenForOneWord) {
  Stemmer s;
  // Snowball gives each pair one stem; only the first group are one word.
  for (auto [a, b] : {std::pair{"levels", "level"},
                      {"nursing", "nurse"},
                      {"planning", "plan"},
                      {"studies", "study"},
                      {"engineering", "engineer"},
                      {"travelling", "travel"},
                      {"accountant", "accounting"},
                      {"biological", "biology"}}) {
    EXPECT_EQ(s.Stem(a), s.Stem(b)) << a << " " << b;
    EXPECT_TRUE(SameWordInflected(a, b)) << a << " " << b;
    EXPECT_TRUE(SameWordInflected(b, a)) << b << " " << a;
  }
  for (auto [a, b] : {std::pair{"animals", "animation"},
                      {"physics", "physical"},
                      {"engine", "engineering"},
                      {"business", "busy"},
                      {"university", "universal"}}) {
    EXPECT_EQ(s.Stem(a), s.Stem(b)) << a << " " << b;
    EXPECT_FALSE(SameWordInflected(a, b)) << a << " " << b;
  }
}

TEST(SearchTextTest, MisspellingsByEarShareASoundAlikeKey) {
  EXPECT_EQ(PhoneticKey("fysics"), PhoneticKey("physics"));
  EXPECT_EQ(PhoneticKey("nurce"), PhoneticKey("nurse"));
  EXPECT_EQ(PhoneticKey("plumer"), PhoneticKey("plumber"));
  EXPECT_EQ(PhoneticKey("sykology"), PhoneticKey("psychology"));
  EXPECT_EQ(PhoneticKey("enjineer"), PhoneticKey("engineer"));
  EXPECT_EQ(PhoneticKey("buisness"), PhoneticKey("business"));
  EXPECT_EQ(PhoneticKey("sience"), PhoneticKey("science"));
  EXPECT_EQ(PhoneticKey("docter"), PhoneticKey("doctor"));
  EXPECT_EQ(PhoneticKey("kemistry"), PhoneticKey("chemistry"));
  EXPECT_EQ(PhoneticKey("mecanic"), PhoneticKey("mechanic"));
  EXPECT_NE(PhoneticKey("nurse"), PhoneticKey("plumber"));
  EXPECT_EQ(PhoneticKey(""), "");
}

TEST(SearchTextTest, EditDistanceCountsTranspositionsAndStopsAtTheCap) {
  EXPECT_EQ(EditDistance("nurse", "nurse", 2), 0);
  EXPECT_EQ(EditDistance("nusre", "nurse", 2), 1);  // swapped letters
  EXPECT_EQ(EditDistance("biolgy", "biology", 2), 1);
  EXPECT_EQ(EditDistance("aprentiship", "apprenticeship", 5), 3);
  EXPECT_EQ(EditDistance("abc", "xyzxyzxyz", 2), 3);  // cap + 1
  EXPECT_EQ(EditDistance("", "abc", 5), 3);
}

TEST(SearchTextTest, WordsAreSplitAsTheIndexSplitsThem) {
  Db db;
  WordSplitter splitter(db.get());
  EXPECT_EQ(SplitWords("Health & Social-Care", splitter),
            (std::vector<std::string>{"health", "social", "care"}));
  EXPECT_EQ(SplitWords("Café ÉCOLE", splitter), (std::vector<std::string>{"cafe", "ecole"}));
  EXPECT_EQ(SplitWords("a b c d e f g h i j", splitter, 3).size(), 3u);
  // As students write them (the alias list and the query read words alike):
  // dotted letters are one word, a word and a number are two.
  EXPECT_EQ(SplitWords("I.T. and P.E", splitter), (std::vector<std::string>{"it", "and", "pe"}));
  EXPECT_EQ(SplitWords("Level3 year12 a2 3d ks5", splitter),
            (std::vector<std::string>{"level", "3", "year", "12", "a2", "3d", "ks", "5"}));
  EXPECT_EQ(SplitWords("b.sc st.helens", splitter),
            (std::vector<std::string>{"b", "sc", "st", "helens"}));
}

TEST(SearchTextTest, TheShippedAliasListReadsWithoutProblems) {
  Db db;
  WordSplitter splitter(db.get());
  Stemmer stemmer;
  AliasTable table;
  std::vector<std::string> problems;
  table.AddText(ShippedAliasText(), splitter, stemmer, &problems);
  EXPECT_TRUE(problems.empty()) << problems.front();
  EXPECT_GT(table.size(), 100u);
  // Keys match on stems: "a levels", "A-Level" and "a level" are one key.
  std::vector<std::string> stems = {stemmer.Stem("a"), stemmer.Stem("levels")};
  const AliasTable::Match m = table.LongestAt(stems, {"a", "levels"}, 0);
  ASSERT_NE(m.alias, nullptr);
  EXPECT_EQ(m.length, 2u);
  const std::vector<std::string> uni = {"uni"};
  ASSERT_NE(table.LongestAt(uni, uni, 0).alias, nullptr);
  EXPECT_TRUE(table.LongestAt(uni, uni, 0).alias->route_word);
  // ... but not on a stem two different words share ("animation" -> "anim").
  EXPECT_NE(table.LongestAt({stemmer.Stem("animals")}, {"animals"}, 0).alias, nullptr);
  EXPECT_EQ(table.LongestAt({stemmer.Stem("animation")}, {"animation"}, 0).alias, nullptr);
  EXPECT_TRUE(std::binary_search(table.KeyWords().begin(), table.KeyWords().end(), "doctor"));
}

TEST(SearchTextTest, BadAliasLinesAreReportedAndSkipped) {
  Db db;
  WordSplitter splitter(db.get());
  Stemmer stemmer;
  AliasTable table;
  std::vector<std::string> problems;
  table.AddText(
      "# a comment\n"
      "no equals sign here\n"
      "dofe = route:space\n"
      "= nothing before\n"
      "nothing after =\n"
      "d of e, dofe = duke of edinburgh, ~volunteering\n",
      splitter, stemmer, &problems);
  ASSERT_EQ(problems.size(), 4u);
  EXPECT_NE(problems[0].find("line 2"), std::string::npos) << problems[0];
  EXPECT_NE(problems[1].find("unknown route"), std::string::npos) << problems[1];
  EXPECT_EQ(table.size(), 1u);
  const std::vector<std::string> dofe = {"d", "of", "e"};
  const AliasTable::Match m = table.LongestAt(dofe, dofe, 0);
  ASSERT_NE(m.alias, nullptr);
  ASSERT_EQ(m.alias->targets.size(), 2u);
  EXPECT_EQ(m.alias->targets[0].words, (std::vector<std::string>{"duke", "of", "edinburgh"}));
  EXPECT_TRUE(m.alias->targets[1].weak);
}

// The search words table the writer keeps in the snapshot (so that a new
// process does not parse the list) is the very table it was made from, is
// used only for the source it was made from, and damaged bytes are refused
// without reading outside them.
TEST(SearchTextTest, AKeptAliasTableIsTheTableItWasMadeFromAndOnlyForItsSource) {
  Db db;
  ASSERT_EQ(
      sqlite3_exec(db.get(),
                   "CREATE TABLE search_alias(id INTEGER PRIMARY KEY, feed TEXT, words TEXT, "
                   "means TEXT);"
                   "INSERT INTO search_alias(feed, words, means) VALUES"
                   "('school', 'the works, works placement', 'harland, ~route:apprenticeship'),"
                   "('school', 'x', 'route:space');",
                   nullptr, nullptr, nullptr),
      SQLITE_OK);
  WordSplitter splitter(db.get());
  Stemmer stemmer;
  const AliasSource source = ReadAliasSource(db.get());
  ASSERT_EQ(source.local.size(), 2u);
  AliasTable built;
  std::vector<std::string> problems;
  built.Build(source, splitter, stemmer, &problems);
  ASSERT_EQ(problems.size(), 1u);  // the local line with no such route
  EXPECT_NE(problems[0].find("feed school: unknown route"), std::string::npos) << problems[0];
  EXPECT_GT(built.size(), 100u);
  const std::string bytes = built.Serialize(source.hash, problems);

  AliasTable kept;
  std::vector<std::string> kept_problems;
  ASSERT_TRUE(kept.Restore(bytes, source.hash, &kept_problems));
  EXPECT_TRUE(kept == built);
  EXPECT_EQ(kept_problems, problems);
  EXPECT_EQ(kept.KeyWords(), built.KeyWords());
  const std::vector<std::string> works = {"the", "work"}, typed = {"the", "works"};
  const AliasTable::Match m = kept.LongestAt(works, typed, 0);
  ASSERT_NE(m.alias, nullptr);
  EXPECT_EQ(m.length, 2u);
  EXPECT_TRUE(m.alias->route_word);

  // Another source (a local line changed, or a program with another list).
  ASSERT_EQ(sqlite3_exec(db.get(), "UPDATE search_alias SET means = 'harland' WHERE id = 1",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  const AliasSource changed = ReadAliasSource(db.get());
  EXPECT_NE(changed.hash, source.hash);
  EXPECT_FALSE(kept.Restore(bytes, changed.hash, &kept_problems));
  EXPECT_EQ(kept.size(), 0u);

  // Cut anywhere, or a byte changed anywhere: refused or read within bounds
  // (ASan checks the reads); never a table with an index out of range.
  for (size_t cut = 0; cut < bytes.size(); cut += 1 + cut / 16) {
    EXPECT_FALSE(kept.Restore(std::string_view(bytes).substr(0, cut), source.hash, nullptr))
        << "cut at " << cut;
  }
  std::mt19937 rng(7);
  int refused = 0;
  for (int i = 0; i < 400; ++i) {
    std::string damaged = bytes;
    damaged[std::uniform_int_distribution<size_t>(0, damaged.size() - 1)(rng)] =
        static_cast<char>(rng());
    if (!kept.Restore(damaged, source.hash, nullptr)) {
      ++refused;
      EXPECT_EQ(kept.size(), 0u);
      continue;
    }
    for (const std::string& w : kept.KeyWords()) {
      const std::vector<std::string> one = {stemmer.Stem(w)}, as_typed = {w};
      const AliasTable::Match hit = kept.LongestAt(one, as_typed, 0);
      if (hit.alias) {
        EXPECT_FALSE(hit.alias->targets.empty());
      }
    }
  }
  EXPECT_GT(refused, 0);
}

}  // namespace
}  // namespace signpost::catalogue::internal
