// Discover Uni (Unistats) dataset adapter: the CSV tables of the yearly ZIP.
//
// Format confirmed from public code that reads the published files:
//   KISCOURSE.csv header (PUBUKPRN, UKPRN, ..., CRSEURL, DISTANCE, ...,
//     HONOURS, HECOS x5, KISCOURSEID, KISMODE, ..., NUMSTAGE, ..., TITLE,
//     TITLEW, UCASPROGID, UKPRNAPPLY, YEARABROAD, KISAIMCODE, KISLEVEL),
//   LOCATION.csv (UKPRN, ACCOMURL, ACCOMURLW, LOCID, LOCNAME, LOCNAMEW,
//     LATITUDE, LONGITUDE, LOCUKPRN, LOCCOUNTRY, SUURL, SUURLW),
//   COURSELOCATION.csv (PUBUKPRN, UKPRN, KISCOURSEID, KISMODE, LOCID):
//     jblaski unihelper-model KISCourseParser.java / LocationParser.java /
//     CourseLocationParser.java;
//   INSTITUTION.csv (PUBUKPRN, UKPRN, LEGAL_NAME, FIRST_TRADING_NAME,
//     OTHER_NAMES, PROVADDRESS, PROVTEL, PROVURL, COUNTRY, PUBUKPRNCOUNTRY,
//     ...): a PostgreSQL schema "based on HESA C25061 file structure"
//     (hesa.ac.uk/collection/C25061/filestructure). Older INSTITUTION files
//     without a name column cannot give providers: their courses are skipped.
// Columns are found by header name (case-insensitive), not position.
//
// How the tables arrive, two ways:
//  - FeedSettings::url ends in ".zip": the published ZIP is fetched as one
//    page and the four tables are inflated from it one at a time (stored or
//    deflate; see zip_reader.h), each freed before the next. Peak memory is
//    the ZIP plus the largest of the four tables.
//  - otherwise url names a directory holding the unpacked files
//    (file:///var/lib/.../discover-uni/ or an https mirror): the adapter asks
//    for INSTITUTION.csv, LOCATION.csv, COURSELOCATION.csv, then
//    KISCOURSE.csv, one table per page.
// Each table is recognised by its header row. The first three are kept in
// memory (small: hundreds of institutions, thousands of locations, one short
// key per course); KISCOURSE is streamed record by record.
// Mapping: institution -> Provider "ukprn:<PUBUKPRN>" kUniversity;
// KISCOURSE row -> Opportunity kHeCourse (source_id
// "<PUBUKPRN>/<KISCOURSEID>/<KISMODE>", mode from KISMODE 1/2 and DISTANCE
// 1, level 6 when HONOURS=1 else unknown, duration NUMSTAGE years, venue from
// COURSELOCATION -> LOCATION).
// Skipped: rows missing key fields, unknown institution, malformed
// LATITUDE/LONGITUDE, invalid UTF-8, rows with too few fields.
// Thread safety: one thread at a time (keeps the tables between pages).
#include <cctype>
#include <iterator>
#include <map>
#include <set>
#include <unordered_map>

#include "feeds/adapters.h"
#include "feeds/feed_util.h"
#include "feeds/zip_reader.h"

namespace signpost::sync {
namespace {

constexpr const char* kTables[] = {"INSTITUTION.csv", "LOCATION.csv", "COURSELOCATION.csv",
                                   "KISCOURSE.csv"};

// Column lookup by (upper-case) header name; the first occurrence wins.
class Columns {
 public:
  explicit Columns(const std::vector<std::string>& header) {
    for (std::size_t i = 0; i < header.size(); ++i) {
      std::string name;
      for (char c : feeds::Trim(header[i]))
        name.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
      index_.emplace(name, i);
    }
  }
  bool Has(const char* name) const { return index_.count(name) > 0; }
  // The field, trimmed, or "" when the column or field is missing.
  std::string Get(const std::vector<std::string>& row, const char* name) const {
    auto it = index_.find(name);
    if (it == index_.end() || it->second >= row.size()) return {};
    return std::string(feeds::Trim(row[it->second]));
  }
  std::size_t size() const { return index_.size(); }

 private:
  std::map<std::string, std::size_t> index_;
};

struct Location {
  std::string name;
  std::optional<catalogue::GeoPoint> point;
};

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
    if (page + 1 >= static_cast<int>(std::size(kTables))) return std::nullopt;
    return RequestFor(feed, page + 1);
  }

  Status Parse(std::string_view payload, int page, catalogue::FeedImport& out) override {
    if (page == 0) {
      institutions_.clear();
      locations_.clear();
      course_locations_.clear();
      was_zip_ = false;
    }
    if (feeds::ZipArchive::LooksLikeZip(payload)) return ParseZip(payload, out);
    return ParseTable(payload, out);
  }

 private:
  static constexpr std::uint64_t kMaxTableBytes = 1ull << 30;  // 1 GiB: far above any real table

  static bool IsZipUrl(const std::string& url) {
    std::string_view u = url;
    if (std::size_t q = u.find('?'); q != std::string_view::npos) u = u.substr(0, q);
    return u.size() >= 4 && feeds::EqualsNoCase(u.substr(u.size() - 4), ".zip");
  }

  Status ParseZip(std::string_view payload, catalogue::FeedImport& out) {
    was_zip_ = true;
    std::string error;
    std::optional<feeds::ZipArchive> zip = feeds::ZipArchive::Open(payload, &error);
    if (!zip) return Status::InvalidArgument("discover-uni: " + error);
    for (const char* table : kTables) {
      const feeds::ZipEntry* entry = zip->FindByBaseName(table);
      if (!entry) {
        if (std::string_view(table) == "KISCOURSE.csv") {
          return Status::InvalidArgument("discover-uni: the ZIP has no KISCOURSE.csv");
        }
        continue;  // a missing side table only loses names/venues
      }
      std::optional<std::string> text = zip->Extract(*entry, kMaxTableBytes, &error);
      if (!text) return Status::InvalidArgument("discover-uni: " + error);
      if (Status s = ParseTable(*text, out); !s.ok()) return s;
    }
    return Status::Ok();
  }

  Status ParseTable(std::string_view payload, catalogue::FeedImport& out) {
    feeds::CsvReader csv(payload);
    std::vector<std::string> row;
    std::string_view head = feeds::Trim(payload.substr(0, 256));
    if (!head.empty() && head.front() == '<') {
      return Status::InvalidArgument(
          "discover-uni: the response was an HTML page, not a CSV table");
    }
    if (!csv.Next(row)) return Status::InvalidArgument("discover-uni: the table is empty");
    Columns cols(row);
    if (cols.Has("KISCOURSEID") && cols.Has("TITLE") && cols.Has("KISMODE"))
      return Courses(csv, cols, out);
    if (cols.Has("KISCOURSEID") && cols.Has("LOCID")) return CourseLocations(csv, cols, out);
    if (cols.Has("LOCID") && cols.Has("LATITUDE")) return Locations(csv, cols, out);
    if (cols.Has("PUBUKPRN") && !cols.Has("KISCOURSEID")) return Institutions(csv, cols, out);
    std::string first = row.empty() ? std::string() : row[0].substr(0, 40);
    return Status::InvalidArgument("discover-uni: not a Discover Uni table (header starts '" +
                                   first + "')");
  }

  static FeedRequest RequestFor(const FeedSettings& feed, int page) {
    std::string base = feed.url;
    if (!base.empty() && base.back() != '/') base.push_back('/');
    FeedRequest req;
    req.url = base + kTables[page];
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
    while (csv.Next(row)) {
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
      if (institutions_.insert(p.ukprn).second) (void)out.AddProvider(p);
    }
    return Status::Ok();
  }

  Status Locations(feeds::CsvReader& csv, const Columns& cols, catalogue::FeedImport& out) {
    std::vector<std::string> row;
    while (csv.Next(row)) {
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
    while (csv.Next(row)) {
      if (BadUtf8(row)) {
        out.Skip("discover-uni: COURSELOCATION line " + std::to_string(csv.line()) +
                 ": invalid UTF-8");
        continue;
      }
      const std::string locid = cols.Get(row, "LOCID");
      if (locid.empty()) continue;  // LOCID may be empty (distance learning)
      const std::string key = cols.Get(row, "PUBUKPRN") + "|" + cols.Get(row, "KISCOURSEID") + "|" +
                              cols.Get(row, "KISMODE");
      course_locations_.emplace(key, cols.Get(row, "UKPRN") + "|" + locid);  // first wins
    }
    return Status::Ok();
  }

  Status Courses(feeds::CsvReader& csv, const Columns& cols, catalogue::FeedImport& out) {
    std::vector<std::string> row;
    while (csv.Next(row)) {
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
                             : catalogue::StudyMode::kUnknown;
      if (cols.Get(row, "DISTANCE") == "1") o.mode = catalogue::StudyMode::kDistance;
      if (cols.Get(row, "HONOURS") == "1") o.level = 6;
      o.qualification = cols.Get(row, "KISAIMCODE");
      o.url = cols.Get(row, "CRSEURL");
      if (auto stages = feeds::ToInt(cols.Get(row, "NUMSTAGE"));
          stages && *stages > 0 && *stages < 10) {
        o.duration = std::to_string(*stages) + (*stages == 1 ? " year" : " years");
        if (mode_n == 1) o.duration_months = static_cast<int>(*stages) * 12;
      }
      auto cl = course_locations_.find(pubukprn + "|" + course_id + "|" + mode);
      if (cl != course_locations_.end()) {
        auto loc = locations_.find(cl->second);
        if (loc != locations_.end()) {
          o.location_name = loc->second.name;
          o.location = loc->second.point;
        }
      }
      (void)out.AddOpportunity(o);
    }
    return Status::Ok();
  }

  std::set<std::string> institutions_;                             // PUBUKPRNs staged as providers
  std::unordered_map<std::string, Location> locations_;            // "UKPRN|LOCID"
  std::unordered_map<std::string, std::string> course_locations_;  // course key -> location key
  bool was_zip_ = false;  // page 0 was the whole ZIP: no more pages
};

}  // namespace

std::unique_ptr<FeedAdapter> MakeDiscoverUniAdapter() {
  return std::make_unique<DiscoverUniAdapter>();
}

}  // namespace signpost::sync
