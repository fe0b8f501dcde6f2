// Export: a feed's records back out as model structs (see signpost/export.h).
#include "signpost/export.h"

#include <string_view>

#include "local_rows.h"
#include "sqlite_util.h"

namespace signpost::catalogue {

using internal::Guard;
using internal::Stmt;

namespace {

// Thrown from inside Guard when the visitor says stop; carries its Status.
struct VisitorStop {
  Status status;
};

void Check(const Status& st) {
  if (!st.ok()) throw VisitorStop{st};
}

std::vector<std::string> Split(std::string_view s, char sep) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < s.size()) {
    std::size_t end = s.find(sep, start);
    if (end == std::string_view::npos) end = s.size();
    if (end > start) out.emplace_back(s.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

std::optional<Day> OptDay(const Stmt& s, int col) {
  if (s.IsNull(col)) return std::nullopt;
  return ParseIsoDate(s.TextView(col));
}

std::optional<GeoPoint> OptPoint(const Stmt& s, int lat, int lon) {
  if (s.IsNull(lat) || s.IsNull(lon)) return std::nullopt;
  return GeoPoint{s.Double(lat), s.Double(lon)};
}

void ExportProviders(sqlite3* db, const std::string& feed, RecordVisitor& v) {
  Stmt s(db,
         "SELECT id, name, kind, ukprn, address, town, postcode, lat, lon, phone, email, website, "
         "feed = ?1 FROM provider WHERE feed = ?1 OR id IN (SELECT provider_id FROM opportunity "
         "WHERE feed "
         "= ?1) OR id IN (SELECT provider_id FROM event WHERE feed = ?1 AND provider_id IS NOT "
         "NULL) ORDER BY id");
  s.Bind(1, feed);
  while (s.Step()) {
    Provider p;
    p.id = s.Text(0);
    p.name = s.Text(1);
    p.kind = ParseProviderKind(s.TextView(2)).value_or(ProviderKind::kOther);
    p.ukprn = s.Text(3);
    p.address = s.Text(4);
    p.town = s.Text(5);
    p.postcode = s.Text(6);
    p.location = OptPoint(s, 7, 8);
    p.phone = s.Text(9);
    p.email = s.Text(10);
    p.website = s.Text(11);
    Check(v.OnProvider(p, s.Int(12) != 0));
  }
}

void ExportOpportunities(sqlite3* db, const std::string& feed, RecordVisitor& v) {
  Stmt s(db,
         "SELECT source_id, kind, route, title, provider_id, employer, level, qualification, "
         "subject_area, mode, duration, duration_months, start_date, flexible_start, "
         "closing_date, location_name, postcode, lat, lon, entry_requirements, description, "
         "wage_text, wage_annual, hours_per_week, cost_text, url, lars_code, soc_codes, "
         "updated_at, expires, typical_job_titles, outcomes, posted_date FROM opportunity WHERE "
         "feed = ? "
         "ORDER BY source_id");
  s.Bind(1, feed);
  while (s.Step()) {
    Opportunity o;
    o.source_id = s.Text(0);
    o.kind = ParseOpportunityKind(s.TextView(1)).value_or(OpportunityKind::kFeCourse);
    o.route = ParseRoute(s.TextView(2)).value_or(RouteOfKind(o.kind));
    o.title = s.Text(3);
    o.provider_id = s.Text(4);
    o.employer = s.Text(5);
    o.level = static_cast<int>(s.Int(6));
    o.qualification = s.Text(7);
    o.subject_area = s.Text(8);
    o.mode = ParseStudyMode(s.TextView(9)).value_or(StudyMode::kUnknown);
    o.duration = s.Text(10);
    o.duration_months = static_cast<int>(s.Int(11));
    o.start = OptDay(s, 12);
    o.flexible_start = s.Int(13) != 0;
    o.closing = OptDay(s, 14);
    o.location_name = s.Text(15);
    o.postcode = s.Text(16);
    o.location = OptPoint(s, 17, 18);
    o.entry_requirements = s.Text(19);
    o.description = s.Text(20);
    o.wage_text = s.Text(21);
    o.wage_annual = s.IsNull(22) ? 0 : s.Double(22);
    o.hours_per_week = s.IsNull(23) ? 0 : s.Double(23);
    o.cost_text = s.Text(24);
    o.url = s.Text(25);
    o.lars_code = s.Text(26);
    o.soc_codes = Split(s.TextView(27), ',');
    if (!s.IsNull(28)) o.updated = s.Int(28);
    o.expires = OptDay(s, 29);
    o.typical_job_titles = Split(s.TextView(30), '\n');
    o.outcomes = DecodeCourseOutcomes(s.TextView(31));
    o.posted = OptDay(s, 32);
    Check(v.OnOpportunity(o));
  }
}

void ExportCareers(sqlite3* db, const std::string& feed, RecordVisitor& v) {
  Stmt s(db,
         "SELECT source_id, title, alternative_titles, overview, salary_starter, "
         "salary_experienced, hours, working_pattern, entry_university, entry_college, "
         "entry_apprenticeship, entry_work, skills, what_you_do, career_path, related_careers, "
         "soc_code, related_subjects, url FROM career WHERE feed = ? ORDER BY source_id");
  s.Bind(1, feed);
  while (s.Step()) {
    Career c;
    c.source_id = s.Text(0);
    c.title = s.Text(1);
    c.alternative_titles = s.Text(2);
    c.overview = s.Text(3);
    c.salary_starter = static_cast<int>(s.Int(4));
    c.salary_experienced = static_cast<int>(s.Int(5));
    c.hours = s.Text(6);
    c.working_pattern = s.Text(7);
    c.entry_university = s.Text(8);
    c.entry_college = s.Text(9);
    c.entry_apprenticeship = s.Text(10);
    c.entry_work = s.Text(11);
    c.skills = Split(s.TextView(12), '\n');
    c.what_you_do = s.Text(13);
    c.career_path = s.Text(14);
    c.related_careers = Split(s.TextView(15), '\n');
    c.soc_code = s.Text(16);
    c.related_subjects = Split(s.TextView(17), '\n');
    c.url = s.Text(18);
    Check(v.OnCareer(c));
  }
}

void ExportLmi(sqlite3* db, const std::string& feed, RecordVisitor& v) {
  Stmt s(db,
         "SELECT soc_code, area, metric, value, year FROM lmi WHERE feed = ? "
         "ORDER BY soc_code, area, metric, year");
  s.Bind(1, feed);
  while (s.Step()) {
    LabourMarketFigure f;
    f.soc_code = s.Text(0);
    f.area = s.Text(1);
    f.metric = ParseLmiMetric(s.TextView(2)).value_or(LmiMetric::kMedianAnnualPay);
    f.value = s.Double(3);
    f.year = static_cast<int>(s.Int(4));
    Check(v.OnLabourMarket(f));
  }
}

void ExportEvents(sqlite3* db, const std::string& feed, RecordVisitor& v) {
  Stmt s(db,
         "SELECT source_id, title, kind, provider_id, start_at, end_at, all_day, location_name, "
         "postcode, lat, lon, url, description, routes FROM event WHERE feed = ? "
         "ORDER BY source_id");
  s.Bind(1, feed);
  while (s.Step()) {
    Event e;
    e.source_id = s.Text(0);
    e.title = s.Text(1);
    e.kind = ParseEventKind(s.TextView(2)).value_or(EventKind::kOther);
    e.provider_id = s.Text(3);
    e.start = s.Int(4);
    e.end = s.Int(5);
    e.all_day = s.Int(6) != 0;
    e.location_name = s.Text(7);
    e.postcode = s.Text(8);
    e.location = OptPoint(s, 9, 10);
    e.url = s.Text(11);
    e.description = s.Text(12);
    e.routes = static_cast<std::uint8_t>(s.Int(13));
    Check(v.OnEvent(e));
  }
}

void ExportLocalItems(sqlite3* db, const std::string& feed, RecordVisitor& v) {
  Stmt s(db, std::string("SELECT ") + internal::kLocalItemColumns +
                 " FROM local_item WHERE feed = ? ORDER BY source_id");
  s.Bind(1, feed);
  while (s.Step()) {
    LocalItem l = internal::ReadLocalItem(s);
    l.rowid = 0;
    Check(v.OnLocalItem(l));
  }
}

void ExportSubjectLinks(sqlite3* db, const std::string& feed, RecordVisitor& v) {
  Stmt s(db,
         "SELECT subject, subject_area, career_source_id FROM subject_link WHERE feed = ? "
         "ORDER BY subject COLLATE BINARY, subject_area, career_source_id");
  s.Bind(1, feed);
  while (s.Step()) {
    SubjectLink l;
    l.subject = s.Text(0);
    l.subject_area = s.Text(1);
    l.career_source_id = s.Text(2);
    Check(v.OnSubjectLink(l));
  }
}

void ExportPostcodes(sqlite3* db, const std::string& feed, RecordVisitor& v) {
  Stmt s(db, "SELECT postcode, lat, lon FROM postcode WHERE feed = ? ORDER BY postcode");
  s.Bind(1, feed);
  while (s.Step()) {
    PostcodePoint p;
    p.postcode = s.Text(0);
    p.location = GeoPoint{s.Double(1), s.Double(2)};
    Check(v.OnPostcode(p));
  }
}

}  // namespace

Result<std::vector<std::string>> ListFeeds(Catalogue& catalogue) {
  std::vector<std::string> feeds;
  Status st = Guard("listing the catalogue's feeds", [&] {
    Stmt s(catalogue.handle(),
           "SELECT feed FROM provider UNION SELECT feed FROM opportunity UNION SELECT feed FROM "
           "career UNION SELECT feed FROM lmi UNION SELECT feed FROM event UNION SELECT feed FROM "
           "local_item UNION SELECT feed FROM subject_link UNION SELECT feed FROM postcode "
           "ORDER BY 1");
    while (s.Step()) {
      std::string f = s.Text(0);
      if (!f.empty()) feeds.push_back(std::move(f));
    }
  });
  if (!st.ok()) return st;
  return feeds;
}

Status ExportFeed(Catalogue& catalogue, const std::string& feed, RecordVisitor& visitor) {
  sqlite3* db = catalogue.handle();
  Status visitor_status;
  Status st = Guard("exporting feed " + feed, [&] {
    internal::Exec(db, "BEGIN");  // one snapshot for the whole export
    try {
      ExportProviders(db, feed, visitor);
      ExportOpportunities(db, feed, visitor);
      ExportCareers(db, feed, visitor);
      ExportLmi(db, feed, visitor);
      ExportEvents(db, feed, visitor);
      ExportLocalItems(db, feed, visitor);
      ExportSubjectLinks(db, feed, visitor);
      ExportPostcodes(db, feed, visitor);
    } catch (const VisitorStop& stop) {
      visitor_status = stop.status;
    } catch (...) {
      sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
      throw;
    }
    internal::Exec(db, "COMMIT");
  });
  if (!st.ok()) return st;
  return visitor_status;
}

}  // namespace signpost::catalogue
