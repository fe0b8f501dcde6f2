#include "signpost/dates.h"

#include <gtest/gtest.h>

namespace signpost {
namespace {

TEST(DatesTest, CivilRoundTripsOverFourCenturies) {
  for (Day d = -200000; d < 200000; d += 37) {
    int y;
    unsigned m, dd;
    CivilFromDay(d, &y, &m, &dd);
    EXPECT_EQ(DayFromCivil(y, m, dd), d);
  }
  EXPECT_EQ(DayFromCivil(1970, 1, 1), 0);
  EXPECT_EQ(DayFromCivil(2026, 11, 25), 20782);
}

TEST(DatesTest, ParsesIsoDatesAndRejectsImpossibleOnes) {
  EXPECT_EQ(ParseIsoDate("2026-09-07"), DayFromCivil(2026, 9, 7));
  EXPECT_EQ(ParseIsoDate("2026-09-07T09:00:00Z"), DayFromCivil(2026, 9, 7));
  EXPECT_EQ(ParseIsoDate("2024-02-29"), DayFromCivil(2024, 2, 29));
  EXPECT_FALSE(ParseIsoDate("2026-02-29"));
  EXPECT_FALSE(ParseIsoDate("2026-13-01"));
  EXPECT_FALSE(ParseIsoDate("07/09/2026"));
  EXPECT_FALSE(ParseIsoDate(""));
  EXPECT_FALSE(ParseIsoDate("2026-09-0x"));
  EXPECT_EQ(FormatIsoDate(DayFromCivil(2026, 9, 7)), "2026-09-07");
}

TEST(DatesTest, TimestampsHonourZonesAndFractions) {
  const UnixTime base = static_cast<UnixTime>(DayFromCivil(2026, 9, 7)) * 86400;
  EXPECT_EQ(ParseIsoTimestamp("2026-09-07T09:30:00Z"), base + 9 * 3600 + 30 * 60);
  EXPECT_EQ(ParseIsoTimestamp("2026-09-07T10:30:00+01:00"), base + 9 * 3600 + 30 * 60);
  EXPECT_EQ(ParseIsoTimestamp("2026-09-07T09:30:00.123Z"), base + 9 * 3600 + 30 * 60);
  EXPECT_EQ(ParseIsoTimestamp("2026-09-07 09:30"), base + 9 * 3600 + 30 * 60);
  EXPECT_EQ(ParseIsoTimestamp("2026-09-07"), base);
  EXPECT_FALSE(ParseIsoTimestamp("2026-09-07T25:00:00Z"));
  EXPECT_FALSE(ParseIsoTimestamp("2026-09-07T09:30:00+1"));
  EXPECT_EQ(FormatIsoTimestamp(base + 3661), "2026-09-07T01:01:01Z");
}

TEST(DatesTest, HumanDatesNameTheWeekday) {
  EXPECT_EQ(FormatHumanDate(DayFromCivil(2026, 11, 25)), "Wed 25 Nov 2026");
  EXPECT_EQ(FormatHumanDate(DayFromCivil(1970, 1, 1), false), "Thu 1 Jan");
}

}  // namespace
}  // namespace signpost
