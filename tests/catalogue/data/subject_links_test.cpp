// Tests for the shipped subject links (assets/sample/reference.json
// "subjects" and "reasons", careers.json "subjects"): every suggestion the
// kiosk makes from a school subject is one a careers adviser would defend.
//
// The rule, checked on the files themselves so a bad edit names itself:
//   - a subject -> subject area link is backed by a career in that area that
//     uses the subject (the link goes both ways), or has a stated reason;
//   - a subject -> career link is to a career in one of the subject's own
//     areas, or has a stated reason (for that career, or for careers in its
//     area; "*" gives a reason for every subject, e.g. teaching it);
//   - every reason is used, so the list of reasons stays the list of
//     exceptions.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "data_test_util.h"
#include "signpost/sample_data.h"

namespace signpost {
namespace {

using json = nlohmann::json;
using testing::TempDir;

const std::string kSampleDir = SIGNPOST_TEST_SAMPLE_DIR;
const Day kToday = DayFromCivil(2026, 11, 25);

json ReadJson(const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in) << path;
  return json::parse(in, nullptr, /*allow_exceptions=*/false);
}

// What is wrong with the subject links in the sample at `dir`, one line each
// ("Biology -> hairdresser (Hair, beauty and wellbeing): no reason").
std::vector<std::string> IndefensibleLinks(const std::string& dir) {
  std::vector<std::string> problems;
  const json ref = ReadJson(dir + "/reference.json");
  const json careers = ReadJson(dir + "/careers.json");
  if (!ref.is_object() || !careers.is_object()) return {"the sample files do not parse"};
  const json& subjects = ref.at("subjects");
  const json reasons = ref.value("reasons", json::object());
  std::set<std::pair<std::string, std::string>> used;  // (subject or "*", area or career)
  auto reason = [&](const std::string& subject, const std::string& key) {
    for (const std::string& who : {subject, std::string("*")}) {
      if (!reasons.contains(who) || !reasons[who].contains(key)) continue;
      if (reasons[who][key].get<std::string>().size() < 10)
        problems.push_back(who + " -> " + key + ": the reason says nothing");
      used.insert({who, key});
      return true;
    }
    return false;
  };
  auto areas_of = [&](const std::string& subject) {
    std::vector<std::string> out;
    if (subjects.contains(subject)) out = subjects[subject].get<std::vector<std::string>>();
    return out;
  };
  const json& list = careers.at("careers");
  for (const auto& [subject, areas] : subjects.items()) {
    for (const std::string& area : areas.get<std::vector<std::string>>()) {
      const bool backed = std::any_of(list.begin(), list.end(), [&](const json& c) {
        const auto s = c.value("subjects", std::vector<std::string>{});
        return c.value("area", "") == area && std::count(s.begin(), s.end(), subject);
      });
      if (!backed && !reason(subject, area))
        problems.push_back(subject + " -> " + area +
                           ": no career there uses the subject, and no reason");
    }
  }
  for (const json& c : list) {
    const std::string id = c.value("id", ""), area = c.value("area", "");
    for (const std::string& subject : c.value("subjects", std::vector<std::string>{})) {
      const auto areas = areas_of(subject);
      if (areas.empty()) {
        problems.push_back(subject + " -> " + id + ": the subject has no subject areas");
      } else if (!std::count(areas.begin(), areas.end(), area) && !reason(subject, area) &&
                 !reason(subject, id)) {
        problems.push_back(subject + " -> " + id + " (" + area + "): outside " + subject +
                           "'s areas, and no reason");
      }
    }
  }
  for (const auto& [who, keys] : reasons.items())
    for (const auto& [key, text] : keys.items())
      if (!used.count({who, key}))
        problems.push_back(who + " -> " + key + ": a reason for a link that is not made");
  return problems;
}

// Every subject area a subject reaches in the loaded catalogue: the subject
// areas offered for it and the areas of the careers listed for it.
struct Reach {
  std::set<std::string> offered;       // subject -> subject area rows (the kiosk's chips)
  std::set<std::string> career_areas;  // areas of the careers that use it
  std::set<std::string> careers;       // career ids
};

class LoadedSample {
 public:
  LoadedSample() {
    auto c = catalogue::Catalogue::Open(dir_.File("c.db"));
    EXPECT_TRUE(c.ok()) << c.status().ToString();
    if (!c.ok()) return;
    cat_ = std::move(c.value());
    Status s = LoadSampleCatalogue(cat_.get(), kSampleDir, kToday);
    EXPECT_TRUE(s.ok()) << s.ToString();
    const json careers = ReadJson(kSampleDir + "/careers.json");
    for (const json& career : careers.at("careers"))
      area_of_[career.value("id", "")] = career.value("area", "");
  }
  catalogue::Catalogue* cat() { return cat_.get(); }
  Reach Of(const std::string& subject) {
    Reach r;
    auto links = cat_->SubjectLinks(subject);
    EXPECT_TRUE(links.ok());
    if (!links.ok()) return r;
    for (const auto& l : *links) {
      if (l.career_source_id.empty()) {
        r.offered.insert(l.subject_area);
      } else {
        r.careers.insert(l.career_source_id);
        r.career_areas.insert(area_of_[l.career_source_id]);
      }
    }
    return r;
  }

 private:
  TempDir dir_;
  std::unique_ptr<catalogue::Catalogue> cat_;
  std::map<std::string, std::string> area_of_;
};

TEST(SampleSubjectLinksTest, EveryLinkGoesBothWaysOrHasAStatedReason) {
  const std::vector<std::string> problems = IndefensibleLinks(kSampleDir);
  for (const std::string& p : problems) ADD_FAILURE() << p;
}

TEST(SampleSubjectLinksTest, AnUnexplainedOrStaleLinkIsNamed) {
  TempDir dir;
  for (const auto& e : std::filesystem::directory_iterator(kSampleDir))
    std::filesystem::copy_file(e.path(), std::filesystem::path(dir.path()) / e.path().filename());
  const std::string careers_path = dir.File("careers.json");
  json careers = ReadJson(careers_path);
  for (json& c : careers["careers"])
    if (c["id"] == "hairdresser") c["subjects"].push_back("Biology");
  json ref = ReadJson(dir.File("reference.json"));
  ref["reasons"]["Drama"]["Science and maths"] = "Stage lighting is physics, in a way.";
  ref["subjects"]["Music"].push_back("Logistics and transport");
  std::ofstream(careers_path) << careers.dump(1);
  std::ofstream(dir.File("reference.json")) << ref.dump(1);
  const std::vector<std::string> problems = IndefensibleLinks(dir.path());
  auto has = [&](const std::string& text) {
    return std::any_of(problems.begin(), problems.end(),
                       [&](const std::string& p) { return p.find(text) != std::string::npos; });
  };
  EXPECT_TRUE(has("Biology -> hairdresser (Hair, beauty and wellbeing): outside Biology's areas"));
  EXPECT_TRUE(has("Drama -> Science and maths: a reason for a link that is not made"));
  EXPECT_TRUE(has("Music -> Logistics and transport: no career there uses the subject"));
  EXPECT_EQ(problems.size(), 3u) << ::testing::PrintToString(problems);
}

TEST(SampleSubjectLinksTest, BiologyLeadsToScienceHealthAnimalsAndSportNeverToHairOrBusiness) {
  // The example: Biology offered Business, Humanities and Hair and
  // beauty. A student who likes Biology is shown science, health, animal
  // care and sport science, and careers in those (and teaching it, and
  // psychology, which asks for a science).
  LoadedSample l;
  ASSERT_TRUE(l.cat());
  const Reach bio = l.Of("Biology");
  EXPECT_EQ(bio.offered,
            (std::set<std::string>{"Science and maths", "Health and social care",
                                   "Animal care and land-based", "Sport and public services"}));
  for (const char* never : {"Hair, beauty and wellbeing", "Business and finance",
                            "Retail and customer service", "Catering and hospitality"}) {
    EXPECT_EQ(bio.offered.count(never), 0u) << never;
    EXPECT_EQ(bio.career_areas.count(never), 0u) << "a Biology career in " << never;
  }
  for (const char* career : {"adult-nurse", "biomedical-scientist", "veterinary-nurse",
                             "fitness-instructor", "dietitian"})
    EXPECT_TRUE(bio.careers.count(career)) << career;
  // Chemistry is not a way into hairdressing either, nor Maths into retail.
  EXPECT_EQ(l.Of("Chemistry").career_areas.count("Hair, beauty and wellbeing"), 0u);
  EXPECT_EQ(l.Of("Chemistry").offered.count("Hair, beauty and wellbeing"), 0u);
  EXPECT_EQ(l.Of("Maths").careers.count("retail-assistant"), 0u);
}

TEST(SampleSubjectLinksTest, EverySubjectLeadsToAFewAreasAndNeverToBasicSkills) {
  // No subject leads to ESOL and basic-skills courses, which are not an
  // onward route for it; a list longer than four stops being advice.
  LoadedSample l;
  ASSERT_TRUE(l.cat());
  auto subjects = l.cat()->SchoolSubjects();
  ASSERT_TRUE(subjects.ok());
  EXPECT_GE(subjects->size(), 25u);
  for (const std::string& subject : *subjects) {
    const Reach r = l.Of(subject);
    EXPECT_FALSE(r.offered.empty()) << subject << " leads nowhere";
    EXPECT_LE(r.offered.size(), 4u) << subject;
    EXPECT_EQ(r.offered.count("English, maths and ESOL"), 0u) << subject;
    EXPECT_EQ(r.career_areas.count("English, maths and ESOL"), 0u) << subject;
  }
}

}  // namespace
}  // namespace signpost
