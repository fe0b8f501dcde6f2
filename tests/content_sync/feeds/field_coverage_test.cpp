// Key fields, "degraded" and the per-feed record cap (feeds/field_coverage.h).
#include "feeds/field_coverage.h"

#include <gtest/gtest.h>

#include "recording_import.h"

namespace signpost::sync {
namespace {

using testing::RecordingImport;

std::vector<KeyField> VacancyFields() {
  KeyField located{"a location", "vacancies", 0.5, "has the API version changed?"};
  located.opportunity = [](const catalogue::Opportunity& o) { return !o.postcode.empty(); };
  KeyField wage{"a wage", "vacancies", 0, ""};  // reported, never degrading
  wage.opportunity = [](const catalogue::Opportunity& o) { return !o.wage_text.empty(); };
  return {located, wage};
}

catalogue::Opportunity Vacancy(int i, bool located) {
  catalogue::Opportunity o;
  o.source_id = "v" + std::to_string(i);
  o.title = "Apprentice";
  o.provider_id = "ukprn:1";
  if (located) o.postcode = "LS1 4AP";
  return o;
}

TEST(FieldCoverageTest, CountsAcceptedRecordsWithAndWithoutEachKeyField) {
  RecordingImport inner;
  CoverageImport out(inner, VacancyFields());
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(out.AddOpportunity(Vacancy(i, i < 7)).ok());
  catalogue::Opportunity refused;  // no id: the import refuses it, so it is not counted
  EXPECT_FALSE(out.AddOpportunity(refused).ok());
  out.Skip("bad record");
  const FieldCoverage c = out.coverage();
  ASSERT_EQ(c.fields.size(), 2u);
  EXPECT_EQ(c.fields[0].total, 10);
  EXPECT_EQ(c.fields[0].with, 7);
  EXPECT_EQ(c.fields[1].with, 0);
  EXPECT_EQ(c.Degraded("vacancies"), "");  // 70% located; wages are only reported
  EXPECT_EQ(c.Table(), "  a location: 7 of 10 vacancies (70%)\n  a wage: 0 of 10 vacancies (0%)\n");
  EXPECT_EQ(inner.skipped(), 2);
}

TEST(FieldCoverageTest, MostRecordsWithoutAKeyFieldIsDegradedInASentence) {
  RecordingImport inner;
  CoverageImport out(inner, VacancyFields());
  for (int i = 0; i < 2310; ++i) ASSERT_TRUE(out.AddOpportunity(Vacancy(i, false)).ok());
  EXPECT_EQ(out.coverage().Degraded("vacancies"),
            "vacancies: 2,310 vacancies imported, none has a location: has the API version "
            "changed?");
  RecordingImport inner2;
  CoverageImport few(inner2, VacancyFields());
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(few.AddOpportunity(Vacancy(i, i < 4)).ok());
  EXPECT_EQ(few.coverage().Degraded("vacancies"),
            "vacancies: 10 vacancies imported, only 4 have a location: has the API version "
            "changed?");
}

TEST(FieldCoverageTest, AFieldNearlyAllUsedToHaveThatHalvesIsDegradedToo) {
  FieldCoverage before, now;
  before.fields = {{"a phone", "services", 100, 95, 0.2, "?"}};
  now.fields = {{"a phone", "services", 100, 40, 0.2, "?"}};
  EXPECT_EQ(now.Degraded("services"), "");  // above its own threshold...
  EXPECT_NE(now.Degraded("services", &before).find("only 40 have a phone"),
            std::string::npos);  // ...but down from 95%
  now.fields[0].with = 60;
  EXPECT_EQ(now.Degraded("services", &before), "");
}

TEST(FieldCoverageTest, CoverageSurvivesAJsonRoundTrip) {
  FieldCoverage c;
  c.fields = {{"a location", "vacancies", 2310, 0, 0.5, "has the API version changed?"}};
  auto back = FieldCoverage::FromJson(c.ToJson());
  ASSERT_TRUE(back.has_value());
  ASSERT_EQ(back->fields.size(), 1u);
  EXPECT_EQ(back->fields[0].name, "a location");
  EXPECT_EQ(back->fields[0].total, 2310);
  EXPECT_EQ(back->Degraded("vacancies"), c.Degraded("vacancies"));
  EXPECT_FALSE(FieldCoverage::FromJson("not json").has_value());
}

TEST(FieldCoverageTest, PastTheRecordCapEveryRecordIsRefused) {
  RecordingImport inner;
  CoverageImport out(inner, VacancyFields(), 100);
  for (int i = 0; i < 100; ++i) ASSERT_TRUE(out.AddOpportunity(Vacancy(i, true)).ok());
  EXPECT_FALSE(out.over_cap());
  EXPECT_FALSE(out.AddOpportunity(Vacancy(100, true)).ok());
  out.Skip("one more");
  EXPECT_TRUE(out.over_cap());
  EXPECT_EQ(inner.opportunities.size(), 100u);
  EXPECT_TRUE(inner.SkippedFor("more than 100 records in one feed"));
  EXPECT_EQ(inner.skipped(), 1);  // said once, not per refused record
}

}  // namespace
}  // namespace signpost::sync
