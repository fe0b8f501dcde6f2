// Discover Uni (Unistats) data set adapter: the CSV tables of the yearly ZIP.
//
// Format (../shared/feeds/FORMATS.md section 6): HESA's Unistats download,
// "a *.zip file containing the data in both XML format and multiple *.csv
// files". Confirmed headers (real files: Danjones-DJ/hesa-dashboard,
// Danjones-DJ/talent-distribution-uk; joins from office-for-students/
// beta-data-pipelines docs/COURSE.md):
//   KISCOURSE: PUBUKPRN, UKPRN, ..., CRSEURL, DISTANCE, ..., HONOURS, HECOS
//     x5, KISCOURSEID, KISMODE, ..., NUMSTAGE, ..., TITLE, TITLEW,
//     UCASPROGID, UKPRNAPPLY, YEARABROAD, KISAIMCODE, KISLEVEL;
//   INSTITUTION: LEGAL_NAME, FIRST_TRADING_NAME, ..., PROVADDRESS, PROVTEL,
//     PROVURL, PUBUKPRN, UKPRN, ... (several rows per PUBUKPRN);
//   LOCATION: UKPRN, ..., LOCID, LOCNAME, ..., LATITUDE, LONGITUDE, ...;
//   KISAIM: KISAIMCODE, KISAIMLABEL (021 -> "BSc"; a label may be quoted,
//     have a trailing space, or repeat under two codes).
// Likely (third-party loaders only): COURSELOCATION (PUBUKPRN, UKPRN,
// KISCOURSEID, KISMODE, LOCID) and the outcome tables NSS, CONTINUATION,
// GOSALARY (discover_uni_outcomes.h). Not confirmed: the ZIP's size, a
// stable URL, CRLF line ends and a byte order mark (all are handled).
// Values: KISMODE 01 full time, 02 part time, 03 both; DISTANCE 0/1/2
// (2 = optionally by distance); KISLEVEL 03 first degree, 04 other
// undergraduate. A course is PUBUKPRN + KISCOURSEID + KISMODE.
// Columns are found by header name (case-insensitive), not position.
//
// How the tables arrive, two ways:
//  - FeedSettings::url ends in ".zip": the published ZIP is fetched as one
//    page; each table is inflated and read a row at a time (zip_reader.h:
//    limits on each member, the expansion ratio and the total; a member
//    with a bad CRC or cut short fails the sync). The body is never mapped
//    whole.
//  - otherwise url names a directory holding the unpacked files
//    (file:///var/lib/.../discover-uni/ or an https mirror): the adapter asks
//    for each table in turn, KISCOURSE.csv last. Tables other than
//    KISCOURSE and INSTITUTION may be missing (404: that table is skipped).
// Each table is recognised by its header row. The side tables are kept in
// memory (hundreds of institutions and aims, thousands of locations, a
// short record per course); KISCOURSE is read record by record. A table
// whose data ends inside a quoted field, or whose last row has fewer fields
// than its header with no line end after it, was cut short: the sync fails.
// Mapping: institution -> Provider "ukprn:<PUBUKPRN>" kUniversity;
// KISCOURSE row -> Opportunity kHeCourse (source_id
// "<PUBUKPRN>/<KISCOURSEID>/<KISMODE>"), qualification = the KISAIM label
// ("BSc", never the code), level from KISLEVEL and the label (03: 6, or 7
// for an integrated master's such as MEng or MChiro; 04: 5 for a
// foundation degree, HND or DipHE, 4 for an HNC or CertHE; no KISLEVEL:
// 6 when HONOURS=1), mode from KISMODE (03 = full or part time: kFlexible)
// and DISTANCE 1, duration NUMSTAGE years, venue from COURSELOCATION ->
// LOCATION, outcomes from the outcome tables with their caveats.
// Skipped: rows missing key fields, unknown institution, malformed
// LATITUDE/LONGITUDE, invalid UTF-8.
// Thread safety: one thread at a time (keeps the tables between pages).
#include <cctype>
#include <iterator>
#include <map>
#include <set>
#include <unordered_map>

#include "feeds/adapters.h"
#include "feeds/csv_reader.h"
#include "feeds/discover_uni_outcomes.h"
#include "feeds/feed_util.h"
#include "feeds/zip_reader.h"

namespace signpost::sync {
namespace {

using feeds::Columns;
using feeds::CourseKey;

struct TableFile {
  const char* name;
  bool required;
};
// KISCOURSE last: it needs every other table.
constexpr TableFile kTables[] = {
    {"INSTITUTION.csv", true}, {"LOCATION.csv", false}, {"COURSELOCATION.csv", false},
    {"KISAIM.csv", false},     {"NSS.csv", false},      {"CONTINUATION.csv", false},
    {"GOSALARY.csv", false},   {"KISCOURSE.csv", true}};
constexpr int kTableCount = static_cast<int>(std::size(kTables));

struct Location {
  std::string name;
  std::optional<catalogue::GeoPoint> point;
};

bool IsIntegratedMasters(std::string_view label) {
  label = feeds::Trim(label);
  if (label.empty() || label.front() != 'M') return false;
  // MA is also a Scottish first degree; MB... are medicine (level 7).
  return label != "MA" && label.substr(0, 3) != "MA ";
}

int LevelOf(const std::string& kislevel, const std::string& label, const std::string& honours) {
  const auto level = feeds::ToInt(kislevel);
  const std::string l = feeds::ToLower(label);
  if (level == 3) return IsIntegratedMasters(label) ? 7 : 6;
  if (level == 4) {
    if (l.rfind("fd", 0) == 0 || l.find("foundation degree") != std::string::npos ||
        l.find("hnd") != std::string::npos || l.find("diphe") != std::string::npos ||
        l.find("dip he") != std::string::npos)
      return 5;
    if (l.find("hnc") != std::string::npos || l.find("certhe") != std::string::npos ||
        l.find("cert he") != std::string::npos)
      return 4;
    return -1;
  }
  return honours == "1" ? 6 : -1;
}

class DiscoverUniAdapter final : public FeedAdapter {
 public:
  std::string_view kind() const override { return "discover-uni"; }

  FeedRequest FirstRequest(const FeedSettings& feed) const override {
    if (IsZipUrl(feed.url)) {
      FeedRequest req;
      req.url = feed.url;
      return req;
    }
    return RequestFor(feed, 0);
  }

  std::optional<FeedRequest> NextRequest(const FeedSettings& feed, int page) const override {
    if (IsZipUrl(feed.url) || was_zip_) return std::nullopt;
    if (page + 1 >= kTableCount) return std::nullopt;
    return RequestFor(feed, page + 1);
  }

  std::int64_t MaxBodyBytes() const override { return 256ll << 20; }

  std::vector<KeyField> KeyFields() const override {
    const std::string what = "courses";
    KeyField qualification{"a qualification name (BSc, not its code)", what, 0.5,
                           "is KISAIM.csv missing from the data set?"};
    qualification.opportunity = [](const catalogue::Opportunity& o) {
      return !o.qualification.empty() && !feeds::ToInt(o.qualification);
    };
    KeyField level{"a level", what, 0.5, "has KISLEVEL changed?"};
    level.opportunity = [](const catalogue::Opportunity& o) { return o.level >= 0; };
    KeyField link{"a course web page", what, 0.5, "has CRSEURL changed?"};
    link.opportunity = [](const catalogue::Opportunity& o) { return !o.url.empty(); };
    KeyField venue{"a teaching location", what, 0.3,
                   "are COURSELOCATION.csv or LOCATION.csv missing?"};
    venue.opportunity = [](const catalogue::Opportunity& o) {
      return !o.location_name.empty() || o.location.has_value();
    };
    KeyField outcomes{"student outcome figures", what, 0,
                      "are NSS.csv, CONTINUATION.csv and GOSALARY.csv missing?"};
    outcomes.opportunity = [](const catalogue::Opportunity& o) { return !o.outcomes.empty(); };
    return {qualification, level, link, venue, outcomes};
  }

  Status ParsePayload(const Payload& payload, int page, catalogue::FeedImport& out) override {
    if (page == 0) {
      institutions_.clear();
      locations_.clear();
      course_locations_.clear();
      aims_.clear();
      outcomes_.clear();
      was_zip_ = false;
    }
    if (feeds::ZipArchive::LooksLikeZip(payload)) return ParseZip(payload, out);
    if (payload.empty() && page > 0 && page < kTableCount && !kTables[page].required) {
      return Status::Ok();  // an optional table this mirror does not have
    }
    std::unique_ptr<std::istream> in = payload.Stream();
    return ParseTable(*in, page < kTableCount ? kTables[page].name : "table", out);
  }

  Status Parse(std::string_view payload, int page, catalogue::FeedImport& out) override {
    return ParsePayload(Payload::Borrow(payload), page, out);
  }

 private:
  static bool IsZipUrl(const std::string& url) {
    std::string_view u = url;
    if (std::size_t q = u.find_first_of("?#"); q != std::string_view::npos) u = u.substr(0, q);
    return u.size() >= 4 && feeds::EqualsNoCase(u.substr(u.size() - 4), ".zip");
  }

  Status ParseZip(const Payload& payload, catalogue::FeedImport& out) {
    was_zip_ = true;
    std::string error;
    std::optional<feeds::ZipArchive> zip = feeds::ZipArchive::Open(payload, &error);
    if (!zip) return Status::InvalidArgument("discover-uni: " + error);
    for (const TableFile& table : kTables) {
      const feeds::ZipEntry* entry = zip->FindByBaseName(table.name);
      if (!entry) {
        if (table.required) {
          return Status::InvalidArgument(std::string("discover-uni: the ZIP has no ") + table.name);
        }
        continue;  // a missing side table only loses names, venues or figures
      }
      std::unique_ptr<feeds::ZipMemberStream> member = zip->Read(*entry);
      Status parsed = ParseTable(*member, table.name, out);
      // A damaged member (bad CRC, cut short, a limit) fails the download,
      // even when the rows read so far looked fine.
      if (Status whole = member->Finish(); !whole.ok()) {
        return Status::InvalidArgument("discover-uni: " + whole.message());
      }
      if (!parsed.ok()) return parsed;
    }
    return Status::Ok();
  }

  Status ParseTable(std::istream& in, const std::string& name, catalogue::FeedImport& out) {
    feeds::CsvReader csv(in);
    std::vector<std::string> row;
    if (!csv.Next(row)) {
      if (!csv.error().empty())
        return Status::InvalidArgument("discover-uni: " + name + ": " + csv.error());
      return Status::InvalidArgument("discover-uni: " + name + " is empty");
    }
    if (!row.empty() && !feeds::Trim(row[0]).empty() && feeds::Trim(row[0]).front() == '<') {
      return Status::InvalidArgument(
          "discover-uni: the response was an HTML page, not a CSV table");
    }
    const Columns cols(row);
    Status s;
    const int outcome_table = feeds::OutcomeTables::Recognise(cols);
    if (cols.Has("KISCOURSEID") && cols.Has("TITLE") && cols.Has("KISMODE")) {
      s = Courses(csv, cols, out);
    } else if (cols.Has("KISCOURSEID") && cols.Has("LOCID")) {
      s = CourseLocations(csv, cols, out);
    } else if (outcome_table >= 0) {
      s = Outcomes(csv, cols, outcome_table, out);
    } else if (cols.Has("KISAIMCODE") && cols.Has("KISAIMLABEL")) {
      s = Aims(csv, cols);
    } else if (cols.Has("LOCID") && cols.Has("LATITUDE")) {
      s = Locations(csv, cols, out);
    } else if (cols.Has("PUBUKPRN") && !cols.Has("KISCOURSEID")) {
      s = Institutions(csv, cols, out);
    } else {
      std::string first = row.empty() ? std::string() : row[0].substr(0, 40);
      return Status::InvalidArgument(
          "discover-uni: " + name + " is not a Discover Uni table (header starts '" + first + "')");
    }
    if (!s.ok()) return s;
    // Cut short: the data ended inside a quoted field, or the last row
    // stops before its header's last column with no line end after it.
    if (!csv.error().empty()) {
      return Status::InvalidArgument("discover-uni: " + name + ": " + csv.error());
    }
    if (last_unterminated_ && last_fields_ < cols.size()) {
      return Status::InvalidArgument(
          "discover-uni: " + name + ": the last row (line " + std::to_string(last_line_) +
          ") has " + std::to_string(last_fields_) + " of " + std::to_string(cols.size()) +
          " fields and no line end: a truncated download?");
    }
    return Status::Ok();
  }

  // Reads the next row, remembering how the last one ended (ParseTable
  // checks it for a cut).
  bool NextRow(feeds::CsvReader& csv, std::vector<std::string>& row) {
    if (!csv.Next(row)) return false;
    last_unterminated_ = csv.last_record_unterminated();
    last_fields_ = row.size();
    last_line_ = csv.line();
    return true;
  }

  static FeedRequest RequestFor(const FeedSettings& feed, int page) {
    std::string base = feed.url;
    if (!base.empty() && base.back() != '/') base.push_back('/');
    FeedRequest req;
    req.url = base + kTables[page].name;
    req.may_be_missing = !kTables[page].required;
    return req;
  }

  static bool BadUtf8(const std::vector<std::string>& row) {
    for (const std::string& f : row) {
      if (!feeds::IsValidUtf8(f)) return true;
    }
    return false;
  }

  Status Institutions(feeds::CsvReader& csv, const Columns& cols, catalogue::FeedImport& out) {
    std::vector<std::string> row;
    last_unterminated_ = false;
    while (NextRow(csv, row)) {
      const std::string where = "discover-uni: INSTITUTION line " + std::to_string(csv.line());
      if (BadUtf8(row)) {
        out.Skip(where + ": invalid UTF-8");
        continue;
      }
      catalogue::Provider p;
      p.ukprn = cols.Get(row, "PUBUKPRN");
      p.id = feeds::ProviderIdForUkprn(p.ukprn);
      if (p.id.empty()) {
        out.Skip(where + ": missing PUBUKPRN");
        continue;
      }
      p.name = cols.Get(row, "FIRST_TRADING_NAME");
      if (p.name.empty()) p.name = cols.Get(row, "LEGAL_NAME");
      if (p.name.empty()) {
        out.Skip(where + " (" + p.ukprn + "): no LEGAL_NAME or FIRST_TRADING_NAME");
        continue;
      }
      p.kind = catalogue::ProviderKind::kUniversity;
      p.address = cols.Get(row, "PROVADDRESS");
      p.postcode = feeds::PostcodeFromAddress(p.address);
      p.phone = cols.Get(row, "PROVTEL");
      p.website = cols.Get(row, "PROVURL");
      if (!p.website.empty() && p.website.find("://") == std::string::npos) {
        p.website = "https://" + p.website;  // "www.anglia.ac.uk"
      }
      if (institutions_.insert(p.ukprn).second) (void)out.AddProvider(p);
    }
    return Status::Ok();
  }

  Status Locations(feeds::CsvReader& csv, const Columns& cols, catalogue::FeedImport& out) {
    std::vector<std::string> row;
    last_unterminated_ = false;
    while (NextRow(csv, row)) {
      const std::string where = "discover-uni: LOCATION line " + std::to_string(csv.line());
      if (BadUtf8(row)) {
        out.Skip(where + ": invalid UTF-8");
        continue;
      }
      const std::string ukprn = cols.Get(row, "UKPRN");
      const std::string locid = cols.Get(row, "LOCID");
      if (ukprn.empty() || locid.empty()) {
        out.Skip(where + ": missing UKPRN or LOCID");
        continue;
      }
      Location loc;
      loc.name = cols.Get(row, "LOCNAME");
      const std::string lat_s = cols.Get(row, "LATITUDE");
      const std::string lon_s = cols.Get(row, "LONGITUDE");
      if (!lat_s.empty() || !lon_s.empty()) {
        auto lat = feeds::ToDouble(lat_s);
        auto lon = feeds::ToDouble(lon_s);
        if (!lat || !lon || *lat < -90 || *lat > 90 || *lon < -180 || *lon > 180) {
          out.Skip(where + " (" + locid + "): malformed LATITUDE/LONGITUDE");
          continue;
        }
        loc.point = catalogue::GeoPoint{*lat, *lon};
      }
      locations_[ukprn + "|" + locid] = std::move(loc);
    }
    return Status::Ok();
  }

  Status CourseLocations(feeds::CsvReader& csv, const Columns& cols, catalogue::FeedImport& out) {
    std::vector<std::string> row;
    last_unterminated_ = false;
    while (NextRow(csv, row)) {
      if (BadUtf8(row)) {
        out.Skip("discover-uni: COURSELOCATION line " + std::to_string(csv.line()) +
                 ": invalid UTF-8");
        continue;
      }
      const std::string locid = cols.Get(row, "LOCID");
      if (locid.empty()) continue;  // LOCID may be empty (distance learning)
      const std::string key = CourseKey(cols.Get(row, "PUBUKPRN"), cols.Get(row, "KISCOURSEID"),
                                        cols.Get(row, "KISMODE"));
      course_locations_.emplace(key, cols.Get(row, "UKPRN") + "|" + locid);  // first wins
    }
    return Status::Ok();
  }

  Status Aims(feeds::CsvReader& csv, const Columns& cols) {
    std::vector<std::string> row;
    last_unterminated_ = false;
    while (NextRow(csv, row)) {
      if (BadUtf8(row)) continue;
      const std::string code = cols.Get(row, "KISAIMCODE");
      const std::string label = cols.Get(row, "KISAIMLABEL");  // trimmed: "MMathStat "
      if (!code.empty() && !label.empty()) aims_.emplace(code, label);
    }
    return Status::Ok();
  }

  Status Outcomes(feeds::CsvReader& csv, const Columns& cols, int table,
                  catalogue::FeedImport& out) {
    std::vector<std::string> row;
    last_unterminated_ = false;
    while (NextRow(csv, row)) {
      if (BadUtf8(row)) {
        out.Skip("discover-uni: outcome table line " + std::to_string(csv.line()) +
                 ": invalid UTF-8");
        continue;
      }
      outcomes_.Add(table, cols, row);
    }
    return Status::Ok();
  }

  Status Courses(feeds::CsvReader& csv, const Columns& cols, catalogue::FeedImport& out) {
    std::vector<std::string> row;
    last_unterminated_ = false;
    // A table found cut short afterwards fails the whole parse, and the
    // engine then discards everything staged (ParseTable).
    while (NextRow(csv, row)) {
      const std::string where = "discover-uni: KISCOURSE line " + std::to_string(csv.line());
      if (row.size() < 3) {
        out.Skip(where + ": too few fields");
        continue;
      }
      if (BadUtf8(row)) {
        out.Skip(where + ": invalid UTF-8");
        continue;
      }
      const std::string pubukprn = cols.Get(row, "PUBUKPRN");
      const std::string course_id = cols.Get(row, "KISCOURSEID");
      const std::string mode = cols.Get(row, "KISMODE");
      catalogue::Opportunity o;
      o.title = cols.Get(row, "TITLE");
      if (pubukprn.empty() || course_id.empty() || mode.empty()) {
        out.Skip(where + ": missing PUBUKPRN, KISCOURSEID or KISMODE");
        continue;
      }
      o.source_id = pubukprn + "/" + course_id + "/" + mode;
      if (o.title.empty()) {
        out.Skip(where + " (" + o.source_id + "): missing TITLE");
        continue;
      }
      if (!institutions_.empty() && institutions_.count(pubukprn) == 0) {
        out.Skip(where + " (" + o.source_id + "): institution " + pubukprn + " not in INSTITUTION");
        continue;
      }
      o.kind = catalogue::OpportunityKind::kHeCourse;
      o.route = catalogue::Route::kHigherEducation;
      o.provider_id = feeds::ProviderIdForUkprn(pubukprn);
      const auto mode_n = feeds::ToInt(mode);
      o.mode = mode_n == 1   ? catalogue::StudyMode::kFullTime
               : mode_n == 2 ? catalogue::StudyMode::kPartTime
               : mode_n == 3 ? catalogue::StudyMode::kFlexible
                             : catalogue::StudyMode::kUnknown;
      const std::string distance = cols.Get(row, "DISTANCE");
      if (distance == "1") o.mode = catalogue::StudyMode::kDistance;
      const std::string code = cols.Get(row, "KISAIMCODE");
      if (auto aim = aims_.find(code); aim != aims_.end()) o.qualification = aim->second;
      o.level = LevelOf(cols.Get(row, "KISLEVEL"), o.qualification, cols.Get(row, "HONOURS"));
      o.url = cols.Get(row, "CRSEURL");
      std::vector<std::string> notes;
      if (mode_n == 3) notes.push_back("Can be studied full time or part time.");
      if (distance == "2") notes.push_back("Can also be studied by distance learning.");
      if (cols.Get(row, "SANDWICH") == "1") notes.push_back("Includes a placement year.");
      if (cols.Get(row, "YEARABROAD") == "1") notes.push_back("Includes a year abroad.");
      if (cols.Get(row, "FOUNDATION") == "1") notes.push_back("Includes a foundation year.");
      o.description = feeds::JoinNonEmpty(notes, " ");
      if (auto stages = feeds::ToInt(cols.Get(row, "NUMSTAGE"));
          stages && *stages > 0 && *stages < 10) {
        o.duration = std::to_string(*stages) + (*stages == 1 ? " year" : " years");
        if (mode_n == 1) o.duration_months = static_cast<int>(*stages) * 12;
      }
      const std::string key = CourseKey(pubukprn, course_id, mode);
      auto cl = course_locations_.find(key);
      if (cl != course_locations_.end()) {
        auto loc = locations_.find(cl->second);
        if (loc != locations_.end()) {
          o.location_name = loc->second.name;
          o.location = loc->second.point;
        }
      }
      o.outcomes = outcomes_.For(key);
      (void)out.AddOpportunity(o);
    }
    return Status::Ok();
  }

  std::set<std::string> institutions_;                             // PUBUKPRNs staged as providers
  std::unordered_map<std::string, Location> locations_;            // "UKPRN|LOCID"
  std::unordered_map<std::string, std::string> course_locations_;  // course key -> location key
  std::unordered_map<std::string, std::string> aims_;              // KISAIMCODE -> label
  feeds::OutcomeTables outcomes_;
  bool was_zip_ = false;            // page 0 was the whole ZIP: no more pages
  bool last_unterminated_ = false;  // the last row read had no line end after it
  std::size_t last_fields_ = 0;     // ... and this many fields
  std::int64_t last_line_ = 0;
};

}  // namespace

std::unique_ptr<FeedAdapter> MakeDiscoverUniAdapter() {
  return std::make_unique<DiscoverUniAdapter>();
}

}  // namespace signpost::sync
