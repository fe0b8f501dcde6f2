// FeedImport: staged, validated, atomic per-feed imports (see catalogue.h).
//
// Records are staged in TEMP tables private to the writer's connection, so a
// long download never holds the database's write lock. Commit() swaps the
// staged set in for the feed's previous set inside one BEGIN IMMEDIATE
// transaction, then rebuilds the search snapshot in the same transaction:
// readers (WAL) see the old set or the new set, never a mix. Inside an
// ImportBatch the transaction is a savepoint and the batch rebuilds the
// snapshot once at its end (write_scope.h).
#include <sqlite3.h>

#include <algorithm>
#include <cmath>

#include "schema.h"
#include "signpost/catalogue.h"
#include "signpost/links.h"
#include "snapshot.h"
#include "sqlite_util.h"
#include "write_scope.h"

namespace signpost::catalogue {

using internal::Exec;
using internal::Guard;
using internal::Stmt;

namespace {

constexpr size_t kMaxProblems = 20;
constexpr size_t kMaxTitleBytes = 1000;
constexpr size_t kMaxTextBytes = 64 * 1024;

bool ValidUtf8(std::string_view s) {
  size_t i = 0;
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  while (i < s.size()) {
    const unsigned char c = p[i];
    size_t n;
    std::uint32_t cp;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xe0) == 0xc0) {
      n = 1;
      cp = c & 0x1f;
    } else if ((c & 0xf0) == 0xe0) {
      n = 2;
      cp = c & 0x0f;
    } else if ((c & 0xf8) == 0xf0) {
      n = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    for (size_t k = 1; k <= n; ++k) {
      if (i + k >= s.size() || (p[i + k] & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (p[i + k] & 0x3f);
    }
    if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
        cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
      return false;
    }
    i += n + 1;
  }
  return true;
}

bool ValidPoint(const std::optional<GeoPoint>& p) {
  return !p || (std::isfinite(p->lat) && std::isfinite(p->lon) && p->lat >= -90 && p->lat <= 90 &&
                p->lon >= -180 && p->lon <= 180);
}

// Checks the common string rules; returns "" or the reason.
std::string CheckText(std::initializer_list<std::pair<const char*, const std::string*>> fields) {
  for (const auto& [name, value] : fields) {
    if (value->size() > kMaxTextBytes) return std::string(name) + " is too long";
    if (!ValidUtf8(*value)) return std::string(name) + " is not valid UTF-8";
  }
  return "";
}

std::string JoinLines(const std::vector<std::string>& v, char sep = '\n') {
  std::string out;
  for (const std::string& s : v) {
    if (s.empty()) continue;
    if (!out.empty()) out += sep;
    out += s;
  }
  return out;
}

std::string DayText(const std::optional<Day>& d) { return d ? FormatIsoDate(*d) : ""; }

void BindPoint(Stmt& s, int lat_col, const std::optional<GeoPoint>& p) {
  if (p) {
    s.Bind(lat_col, p->lat).Bind(lat_col + 1, p->lon);
  } else {
    s.BindNull(lat_col).BindNull(lat_col + 1);
  }
}

// The tables a feed can own, in delete order (children before providers).
constexpr const char* kFeedTables[] = {"opportunity", "event",        "career",
                                       "lmi",         "local_item",   "subject_link",
                                       "postcode",    "search_alias", "provider"};

// Full-text indexes of the small tables, kept in step with their rows.
struct SmallFts {
  const char* table;
  const char* fts;
  const char* columns;
};
constexpr SmallFts kEventFts{"event", "event_fts", "title, location_name, description"};
constexpr SmallFts kLocalFts{"local_item", "local_fts",
                             "title, subject_area, provider_name, leads_to, body"};

// Removes the index entries of the rows `where` selects (before they go).
void UnindexWhere(sqlite3* db, const SmallFts& f, const std::string& where,
                  const std::string& arg) {
  Stmt q(db, std::string("INSERT INTO ") + f.fts + "(" + f.fts + ", rowid, " + f.columns +
                 ") SELECT 'delete', id, " + f.columns + " FROM " + f.table + " WHERE " + where);
  if (where.find('?') != std::string::npos) q.Bind(1, arg);
  q.Run();
}

void IndexWhere(sqlite3* db, const SmallFts& f, const std::string& where, const std::string& arg) {
  Stmt q(db, std::string("INSERT INTO ") + f.fts + "(rowid, " + f.columns + ") SELECT id, " +
                 f.columns + " FROM " + f.table + " WHERE " + where + " ORDER BY id");
  if (where.find('?') != std::string::npos) q.Bind(1, arg);
  q.Run();
}

std::int64_t CountFeed(sqlite3* db, const std::string& feed, bool with_providers) {
  std::int64_t n = 0;
  for (const char* t : kFeedTables) {
    if (!with_providers && std::string_view(t) == "provider") continue;
    Stmt q(db, std::string("SELECT count(*) FROM main.") + t + " WHERE feed = ?");
    q.Bind(1, feed);
    if (q.Step()) n += q.Int(0);
  }
  return n;
}

// Staged opportunities (alias s) that closed or expired before `today` (an
// ISO date, made by FormatIsoDate).
std::string ExpiredWhere(const std::string& today) {
  return "((s.closing_date IS NOT NULL AND s.closing_date < '" + today +
         "') OR (s.expires IS NOT NULL AND s.expires < '" + today + "'))";
}

// Text columns each full-text table indexes (see internal::kTierTables).
std::string FtsColumns(int tier) {
  static const char* kColumns[internal::kTiers] = {
      "title", "title, subject_area, provider_name, qualification, employer",
      "title, subject_area, provider_name, qualification, employer, description"};
  return kColumns[tier];
}

// Full-text indexes are updated in rowid order: FTS5 appends in order
// cheaply, and out of order (e.g. walking the (feed, source_id) index) costs
// several times more.
void DeleteOpportunitiesWhere(sqlite3* db, const std::string& where, const std::string& arg) {
  for (int tier = 0; tier < internal::kTiers; ++tier) {
    const std::string fts = internal::kTierTables[tier];
    Stmt q(db, "INSERT INTO " + fts + "(" + fts + ", rowid, " + FtsColumns(tier) +
                   ") SELECT 'delete', id, " + FtsColumns(tier) +
                   " FROM opportunity NOT INDEXED WHERE " + where + " ORDER BY id");
    q.Bind(1, arg).Run();
  }
  Stmt del(db, "DELETE FROM opportunity WHERE " + where);
  del.Bind(1, arg).Run();
}

// Indexes the rows just inserted for `feed`: their ids are >= first_id.
// With `fts_rebuilt`, the full-text tables are rebuilt from every row instead
// (after DeleteOpportunityRowsOnly).
void IndexOpportunitiesOfFeed(sqlite3* db, const std::string& feed, std::int64_t first_id,
                              bool fts_rebuilt) {
  // soc_codes is "1234,5678": split it into the lookup table.
  Stmt soc(db,
           "WITH RECURSIVE split(id, code, rest) AS ("
           " SELECT id, '', soc_codes || ',' FROM opportunity WHERE feed = ? AND soc_codes != ''"
           " UNION ALL SELECT id, substr(rest, 1, instr(rest, ',') - 1),"
           " substr(rest, instr(rest, ',') + 1) FROM split WHERE rest != '')"
           " INSERT OR IGNORE INTO opportunity_soc(soc_code, opportunity_id)"
           " SELECT code, id FROM split WHERE code != ''");
  soc.Bind(1, feed).Run();
  for (int tier = 0; tier < internal::kTiers; ++tier) {
    const std::string fts = internal::kTierTables[tier];
    if (fts_rebuilt) {
      Exec(db, ("INSERT INTO " + fts + "(" + fts + ") VALUES('rebuild')").c_str());
      continue;
    }
    Stmt q(db, "INSERT INTO " + fts + "(rowid, " + FtsColumns(tier) + ") SELECT id, " +
                   FtsColumns(tier) + " FROM opportunity WHERE id >= ? AND feed = ? ORDER BY id");
    q.Bind(1, first_id).Bind(2, feed).Run();
  }
}

// Providers the feed no longer lists lose their owner; any provider without
// an owner that no opportunity or event still uses is dropped.
void PruneUnusedProviders(sqlite3* db, const std::string& feed, bool feed_removed) {
  Stmt disown(db, feed_removed ? "UPDATE provider SET feed = '' WHERE feed = ?"
                               : "UPDATE provider SET feed = '' WHERE feed = ? AND id NOT IN "
                                 "(SELECT id FROM temp.stage_provider)");
  disown.Bind(1, feed).Run();
  Exec(db,
       "DELETE FROM provider WHERE feed = '' "
       "AND NOT EXISTS (SELECT 1 FROM opportunity o WHERE o.provider_id = provider.id) "
       "AND NOT EXISTS (SELECT 1 FROM event e WHERE e.provider_id = provider.id)");
}

void CreateStageTables(sqlite3* db) {
  Exec(db, R"sql(
    CREATE TEMP TABLE IF NOT EXISTS stage_provider AS SELECT * FROM main.provider WHERE 0;
    CREATE UNIQUE INDEX IF NOT EXISTS temp.stage_provider_id ON stage_provider(id);
    CREATE TEMP TABLE IF NOT EXISTS stage_opportunity AS SELECT * FROM main.opportunity WHERE 0;
    CREATE UNIQUE INDEX IF NOT EXISTS temp.stage_opportunity_sid ON stage_opportunity(source_id);
    CREATE TEMP TABLE IF NOT EXISTS stage_career AS SELECT * FROM main.career WHERE 0;
    CREATE UNIQUE INDEX IF NOT EXISTS temp.stage_career_sid ON stage_career(source_id);
    CREATE TEMP TABLE IF NOT EXISTS stage_lmi AS SELECT * FROM main.lmi WHERE 0;
    CREATE TEMP TABLE IF NOT EXISTS stage_event AS SELECT * FROM main.event WHERE 0;
    CREATE UNIQUE INDEX IF NOT EXISTS temp.stage_event_sid ON stage_event(source_id);
    CREATE TEMP TABLE IF NOT EXISTS stage_local_item AS SELECT * FROM main.local_item WHERE 0;
    CREATE UNIQUE INDEX IF NOT EXISTS temp.stage_local_item_sid ON stage_local_item(source_id);
    CREATE TEMP TABLE IF NOT EXISTS stage_subject_link AS SELECT * FROM main.subject_link WHERE 0;
    CREATE TEMP TABLE IF NOT EXISTS stage_search_alias AS SELECT * FROM main.search_alias
      WHERE 0;
    CREATE TEMP TABLE IF NOT EXISTS stage_postcode AS SELECT * FROM main.postcode WHERE 0;
    CREATE UNIQUE INDEX IF NOT EXISTS temp.stage_postcode_pc ON stage_postcode(postcode);
  )sql");
  for (const char* t : kFeedTables) {
    Exec(db, (std::string("DELETE FROM temp.stage_") + t).c_str());
  }
}

class FeedImportImpl final : public FeedImport {
 public:
  FeedImportImpl(sqlite3* db, std::shared_ptr<internal::BatchState> batch, std::string feed,
                 ImportOptions options)
      : db_(db),
        batch_(std::move(batch)),
        begun_in_(batch_->open ? batch_->generation : 0),
        feed_(std::move(feed)),
        options_(options) {
    if (options_.today == 0) options_.today = TodayUtc();
    report_.feed = feed_;
  }
  ~FeedImportImpl() override {
    Guard("discarding a staged import", [&] {
      EndBatch();
      if (!committed_) CreateStageTables(db_);
    });
  }

  Status AddProvider(const Provider& p) override {
    if (IsBlankText(p.id)) return SkipBecause("provider without an id");
    if (IsBlankText(p.name)) return SkipBecause("provider " + p.id + " has no name");
    if (auto why = CheckText({{"id", &p.id},
                              {"name", &p.name},
                              {"address", &p.address},
                              {"town", &p.town},
                              {"website", &p.website},
                              {"phone", &p.phone},
                              {"email", &p.email}});
        !why.empty()) {
      return SkipBecause("provider " + p.id + ": " + why);
    }
    if (!ValidPoint(p.location)) return SkipBecause("provider " + p.id + ": bad lat/lon");
    ++provider_adds_;
    const std::string website = Link("provider " + p.id, "website", p.website);
    const std::string phone = Phone("provider " + p.id, p.phone);
    return Stage("provider", [&] {
      static constexpr const char* kSql =
          "INSERT OR REPLACE INTO temp.stage_provider(id, feed, name, kind, ukprn, address, town, "
          "postcode, lat, lon, phone, email, website) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)";
      Stmt& s = Prepared(0, kSql);
      const std::string pc = NormalisePostcode(p.postcode);
      s.Bind(1, p.id).Bind(2, feed_).Bind(3, p.name).Bind(4, ProviderKindKey(p.kind));
      s.BindTextOrNull(5, p.ukprn).BindTextOrNull(6, p.address).BindTextOrNull(7, p.town);
      s.BindTextOrNull(8, pc.empty() ? p.postcode : pc);
      BindPoint(s, 9, p.location);
      s.BindTextOrNull(11, phone).BindTextOrNull(12, p.email).BindTextOrNull(13, website);
      return &s;
    });
  }

  Status AddOpportunity(const Opportunity& o) override {
    if (IsBlankText(o.source_id)) return SkipBecause("opportunity without a source id");
    const std::string who = "opportunity " + o.source_id;
    if (IsBlankText(o.title)) return SkipBecause(who + " has no title");
    if (o.title.size() > kMaxTitleBytes) return SkipBecause(who + ": title is too long");
    if (IsBlankText(o.provider_id)) return SkipBecause(who + " has no provider");
    if (o.level < -1 || o.level > 8) return SkipBecause(who + ": level must be 0 to 8");
    const std::string job_titles = JoinLines(o.typical_job_titles);
    const std::string outcomes = EncodeCourseOutcomes(o.outcomes);
    if (auto why = CheckText({{"source id", &o.source_id},
                              {"title", &o.title},
                              {"qualification", &o.qualification},
                              {"subject area", &o.subject_area},
                              {"duration", &o.duration},
                              {"location", &o.location_name},
                              {"entry requirements", &o.entry_requirements},
                              {"description", &o.description},
                              {"wage", &o.wage_text},
                              {"cost", &o.cost_text},
                              {"url", &o.url},
                              {"employer", &o.employer},
                              {"typical job titles", &job_titles},
                              {"outcomes", &outcomes}});
        !why.empty()) {
      return SkipBecause(who + ": " + why);
    }
    if (!ValidPoint(o.location)) return SkipBecause(who + ": bad lat/lon");
    if (!std::isfinite(o.wage_annual) || o.wage_annual < 0 || !std::isfinite(o.hours_per_week)) {
      return SkipBecause(who + ": bad wage or hours");
    }
    const std::string url = Link(who, "url", o.url);
    return Stage(who, [&] {
      static constexpr const char* kSql =
          "INSERT OR IGNORE INTO temp.stage_opportunity(feed, source_id, kind, route, title, "
          "provider_id, provider_name, level, qualification, subject_area, mode, duration, "
          "duration_months, start_date, flexible_start, closing_date, location_name, postcode, "
          "lat, lon, entry_requirements, description, wage_text, wage_annual, hours_per_week, "
          "cost_text, url, lars_code, soc_codes, updated_at, expires, employer, "
          "typical_job_titles, outcomes, posted_date) "
          "VALUES(?,?,?,?,?,?,'',?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
      Stmt& s = Prepared(1, kSql);
      const std::string pc = NormalisePostcode(o.postcode);
      s.Bind(1, feed_).Bind(2, o.source_id).Bind(3, OpportunityKindKey(o.kind));
      s.Bind(4, RouteKey(o.route)).Bind(5, o.title).Bind(6, o.provider_id).Bind(7, o.level);
      s.BindTextOrNull(8, o.qualification).BindTextOrNull(9, o.subject_area);
      s.Bind(10, StudyModeKey(o.mode)).BindTextOrNull(11, o.duration).Bind(12, o.duration_months);
      s.BindTextOrNull(13, DayText(o.start)).Bind(14, o.flexible_start ? 1 : 0);
      s.BindTextOrNull(15, DayText(o.closing)).BindTextOrNull(16, o.location_name);
      s.BindTextOrNull(17, pc.empty() ? o.postcode : pc);
      BindPoint(s, 18, o.location);
      s.BindTextOrNull(20, o.entry_requirements).BindTextOrNull(21, o.description);
      s.BindTextOrNull(22, o.wage_text);
      o.wage_annual > 0 ? s.Bind(23, o.wage_annual) : s.BindNull(23);
      o.hours_per_week > 0 ? s.Bind(24, o.hours_per_week) : s.BindNull(24);
      s.BindTextOrNull(25, o.cost_text).BindTextOrNull(26, url).BindTextOrNull(27, o.lars_code);
      s.BindTextOrNull(28, JoinLines(o.soc_codes, ','));
      o.updated ? s.Bind(29, *o.updated) : s.BindNull(29);
      s.BindTextOrNull(30, DayText(o.expires));
      s.BindTextOrNull(31, o.employer);
      s.BindTextOrNull(32, job_titles).BindTextOrNull(33, outcomes);
      s.BindTextOrNull(34, DayText(o.posted));
      return &s;
    });
  }

  Status AddCareer(const Career& c) override {
    if (IsBlankText(c.source_id)) return SkipBecause("career without a source id");
    const std::string who = "career " + c.source_id;
    if (IsBlankText(c.title)) return SkipBecause(who + " has no title");
    const std::string skills = JoinLines(c.skills), related = JoinLines(c.related_careers),
                      subjects = JoinLines(c.related_subjects);
    if (auto why = CheckText({{"title", &c.title},
                              {"alternative titles", &c.alternative_titles},
                              {"overview", &c.overview},
                              {"hours", &c.hours},
                              {"entry routes", &c.entry_university},
                              {"entry routes", &c.entry_college},
                              {"entry routes", &c.entry_apprenticeship},
                              {"entry routes", &c.entry_work},
                              {"skills", &skills},
                              {"what you do", &c.what_you_do},
                              {"career path", &c.career_path},
                              {"related careers", &related},
                              {"subjects", &subjects}});
        !why.empty()) {
      return SkipBecause(who + ": " + why);
    }
    if (c.salary_starter < 0 || c.salary_experienced < 0) return SkipBecause(who + ": bad salary");
    const std::string url = Link(who, "url", c.url);
    return Stage(who, [&] {
      static constexpr const char* kSql =
          "INSERT OR IGNORE INTO temp.stage_career(feed, source_id, title, alternative_titles, "
          "overview, salary_starter, salary_experienced, hours, working_pattern, "
          "entry_university, entry_college, entry_apprenticeship, entry_work, skills, "
          "what_you_do, career_path, related_careers, soc_code, related_subjects, url) "
          "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
      Stmt& s = Prepared(2, kSql);
      s.Bind(1, feed_).Bind(2, c.source_id).Bind(3, c.title).Bind(4, c.alternative_titles);
      s.Bind(5, c.overview).Bind(6, c.salary_starter).Bind(7, c.salary_experienced);
      s.Bind(8, c.hours).Bind(9, c.working_pattern).Bind(10, c.entry_university);
      s.Bind(11, c.entry_college).Bind(12, c.entry_apprenticeship).Bind(13, c.entry_work);
      s.Bind(14, skills).Bind(15, c.what_you_do).Bind(16, c.career_path).Bind(17, related);
      s.BindTextOrNull(18, c.soc_code).Bind(19, subjects).Bind(20, url);
      return &s;
    });
  }

  Status AddLabourMarket(const LabourMarketFigure& f) override {
    if (f.soc_code.empty() || f.area.empty()) {
      return SkipBecause("labour-market figure without a SOC code or area");
    }
    if (!std::isfinite(f.value)) return SkipBecause("labour-market figure is not a number");
    if (auto why = CheckText({{"SOC code", &f.soc_code}, {"area", &f.area}}); !why.empty()) {
      return SkipBecause("labour-market figure: " + why);
    }
    return Stage("labour-market figure", [&] {
      static constexpr const char* kSql =
          "INSERT INTO temp.stage_lmi(feed, soc_code, area, metric, value, year) "
          "VALUES(?,?,?,?,?,?)";
      Stmt& s = Prepared(3, kSql);
      s.Bind(1, feed_).Bind(2, f.soc_code).Bind(3, f.area).Bind(4, LmiMetricKey(f.metric));
      s.Bind(5, f.value).Bind(6, f.year);
      return &s;
    });
  }

  Status AddEvent(const Event& e) override {
    if (IsBlankText(e.source_id)) return SkipBecause("event without a source id");
    const std::string who = "event " + e.source_id;
    if (IsBlankText(e.title)) return SkipBecause(who + " has no title");
    if (e.start <= 0) return SkipBecause(who + " has no start time");
    if (e.end != 0 && e.end < e.start) return SkipBecause(who + " ends before it starts");
    if (auto why = CheckText({{"title", &e.title},
                              {"location", &e.location_name},
                              {"url", &e.url},
                              {"description", &e.description}});
        !why.empty()) {
      return SkipBecause(who + ": " + why);
    }
    if (!ValidPoint(e.location)) return SkipBecause(who + ": bad lat/lon");
    const std::string url = Link(who, "url", e.url);
    return Stage(who, [&] {
      static constexpr const char* kSql =
          "INSERT OR IGNORE INTO temp.stage_event(feed, source_id, title, kind, provider_id, "
          "start_at, end_at, all_day, location_name, postcode, lat, lon, url, description, "
          "routes) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
      Stmt& s = Prepared(4, kSql);
      const std::string pc = NormalisePostcode(e.postcode);
      s.Bind(1, feed_).Bind(2, e.source_id).Bind(3, e.title).Bind(4, EventKindKey(e.kind));
      s.BindTextOrNull(5, e.provider_id).Bind(6, e.start).Bind(7, e.end ? e.end : e.start);
      s.Bind(8, e.all_day ? 1 : 0).BindTextOrNull(9, e.location_name);
      s.BindTextOrNull(10, pc.empty() ? e.postcode : pc);
      BindPoint(s, 11, e.location);
      s.BindTextOrNull(13, url).BindTextOrNull(14, e.description).Bind(15, e.routes);
      return &s;
    });
  }

  Status AddLocalItem(const LocalItem& l) override {
    if (IsBlankText(l.source_id)) return SkipBecause("local item without a source id");
    const std::string who = "local item " + l.source_id;
    if (IsBlankText(l.title)) return SkipBecause(who + " has no title");
    if (auto why = CheckText({{"title", &l.title},
                              {"body", &l.body},
                              {"provider", &l.provider_name},
                              {"leads to", &l.leads_to},
                              {"image", &l.image_path},
                              {"url", &l.url}});
        !why.empty()) {
      return SkipBecause(who + ": " + why);
    }
    if (auto why = CheckText({{"place", &l.place}}); !why.empty()) {
      return SkipBecause(who + ": " + why);
    }
    if (l.event_start_minute && (*l.event_start_minute < 0 || *l.event_start_minute >= 1440))
      return SkipBecause(who + ": start time out of range");
    if (l.event_end_minute &&
        (!l.event_start_minute || *l.event_end_minute < *l.event_start_minute ||
         *l.event_end_minute >= 1440))
      return SkipBecause(who + ": end time without a start, before it or out of range");
    const std::string url = Link(who, "url", l.url);
    return Stage(who, [&] {
      static constexpr const char* kSql =
          "INSERT OR IGNORE INTO temp.stage_local_item(feed, source_id, kind, title, body, "
          "route, provider_name, leads_to, subject_area, image_path, url, starts, ends, "
          "event_date, event_start, event_end, place) "
          "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
      Stmt& s = Prepared(5, kSql);
      s.Bind(1, feed_).Bind(2, l.source_id).Bind(3, LocalKindKey(l.kind)).Bind(4, l.title);
      s.BindTextOrNull(5, l.body);
      l.route ? s.Bind(6, RouteKey(*l.route)) : s.BindNull(6);
      s.BindTextOrNull(7, l.provider_name).BindTextOrNull(8, l.leads_to);
      s.BindTextOrNull(9, l.subject_area).BindTextOrNull(10, l.image_path);
      s.BindTextOrNull(11, url).BindTextOrNull(12, DayText(l.starts));
      s.BindTextOrNull(13, DayText(l.ends)).BindTextOrNull(14, DayText(l.event_day));
      l.event_start_minute ? s.Bind(15, *l.event_start_minute) : s.BindNull(15);
      l.event_end_minute ? s.Bind(16, *l.event_end_minute) : s.BindNull(16);
      s.BindTextOrNull(17, l.place);
      return &s;
    });
  }

  Status AddSubjectLink(const SubjectLink& l) override {
    if (l.subject.empty() || l.subject_area.empty()) {
      return SkipBecause("subject link without a subject or subject area");
    }
    if (auto why = CheckText({{"subject", &l.subject}, {"subject area", &l.subject_area}});
        !why.empty()) {
      return SkipBecause("subject link: " + why);
    }
    return Stage("subject link", [&] {
      static constexpr const char* kSql =
          "INSERT INTO temp.stage_subject_link(feed, subject, subject_area, career_source_id) "
          "VALUES(?,?,?,?)";
      Stmt& s = Prepared(6, kSql);
      s.Bind(1, feed_).Bind(2, l.subject).Bind(3, l.subject_area);
      s.BindTextOrNull(4, l.career_source_id);
      return &s;
    });
  }

  Status AddPostcode(const PostcodePoint& p) override {
    const std::string pc = NormalisePostcode(p.postcode);
    if (pc.empty()) return SkipBecause("not a UK postcode: " + p.postcode.substr(0, 20));
    if (!ValidPoint(p.location)) return SkipBecause("postcode " + pc + ": bad lat/lon");
    return Stage("postcode " + pc, [&] {
      static constexpr const char* kSql =
          "INSERT OR REPLACE INTO temp.stage_postcode(postcode, feed, lat, lon) VALUES(?,?,?,?)";
      Stmt& s = Prepared(7, kSql);
      s.Bind(1, pc).Bind(2, feed_).Bind(3, p.location.lat).Bind(4, p.location.lon);
      return &s;
    });
  }

  Status AddSearchAlias(const SearchAlias& a) override {
    if (a.words.empty() || a.means.empty()) {
      return SkipBecause("search words without \"words\" or \"means\"");
    }
    if (a.words.size() > 1000 || a.means.size() > 4000) {
      return SkipBecause("search words: too long");
    }
    if (auto why = CheckText({{"words", &a.words}, {"means", &a.means}}); !why.empty()) {
      return SkipBecause("search words: " + why);
    }
    return Stage("search words", [&] {
      static constexpr const char* kSql =
          "INSERT INTO temp.stage_search_alias(feed, words, means) VALUES(?,?,?)";
      Stmt& s = Prepared(8, kSql);
      s.Bind(1, feed_).Bind(2, a.words).Bind(3, a.means);
      return &s;
    });
  }

  void Skip(const std::string& reason) override { SkipBecause(reason); }
  std::int64_t staged() const override { return staged_; }
  std::int64_t skipped() const override { return report_.skipped; }

  Result<ImportReport> Commit(const CommitExtras& extras = {}) override {
    if (committed_) return Status::InvalidArgument("this import was already committed");
    if (begun_in_ != 0 && (!batch_->open || batch_->generation != begun_in_)) {
      // Its stage was written in that batch's transaction, gone with it.
      return Status::InvalidArgument("the import batch this import was begun in has ended");
    }
    std::optional<Status> held_back;
    Status s = Guard("importing feed " + feed_, [&] {
      EndBatch();
      DoCommit(extras, &held_back);
    });
    if (held_back) return *held_back;
    if (!s.ok()) return s;
    committed_ = true;
    return report_;
  }

 private:
  // The link rules (signpost/links.h), in this one place for every feed,
  // bundle and pack: a link that is not a plain http(s) address is dropped
  // (the record is kept without it) and the report says so.
  std::string Link(const std::string& who, const char* field, const std::string& url) {
    const std::string why = WebLinkProblem(url);
    if (why.empty()) return url;
    Note(who + ": " + field + " dropped: " + why);
    return "";
  }
  std::string Phone(const std::string& who, const std::string& phone) {
    const std::string why = PhoneLinkProblem(phone);
    if (why.empty()) return phone;
    Note(who + ": phone dropped: " + why);
    return "";
  }
  void Note(const std::string& raw_problem) {  // quotes feed text: cleaned like SkipBecause
    std::string problem = StripControlCharacters(raw_problem);
    std::replace(problem.begin(), problem.end(), '\n', ' ');
    if (report_.problems.size() < kMaxProblems) report_.problems.push_back(problem);
  }

  Status SkipBecause(const std::string& raw_reason) {
    ++report_.skipped;
    // Reasons quote feed text (ids, titles): cleaned like the records.
    std::string reason = StripControlCharacters(raw_reason);
    std::replace(reason.begin(), reason.end(), '\n', ' ');
    if (report_.problems.size() < kMaxProblems) report_.problems.push_back(reason);
    return Status::InvalidArgument(reason);
  }

  Stmt& Prepared(int slot, const char* sql) {
    if (!stmts_[slot]) {
      stmts_[slot] = std::make_unique<Stmt>(db_, sql);
      stmts_[slot]->StripControlsFromText();  // every staged text, every feed
    }
    stmts_[slot]->Reset();
    return *stmts_[slot];
  }

  // Runs one staging insert; a duplicate id counts as a skip.
  template <typename Fn>
  Status Stage(const std::string& who, Fn&& bind) {
    bool inserted = false;
    Status s = Guard("staging a record", [&] {
      // Stage in batches of rows per transaction on the TEMP database: one
      // transaction per row costs a journal write and truncate each. Only
      // temp tables are written, so the catalogue itself is not locked.
      if (!in_batch_ && sqlite3_get_autocommit(db_)) {
        Exec(db_, "BEGIN");
        in_batch_ = true;
      }
      Stmt* st = bind();
      st->Run();
      inserted = sqlite3_changes(db_) > 0;
      if (in_batch_ && ++batch_rows_ >= kStageBatch) EndBatch();
    });
    if (!s.ok()) return s;
    if (!inserted) {
      ++report_.duplicates;
      return SkipBecause(who + ": the same id appears twice in the feed");
    }
    ++staged_;
    return Status::Ok();
  }

  void DoCommit(const CommitExtras& extras, std::optional<Status>* held_back);

  // What the guard and the report need from the staged opportunities, in one
  // pass: the stage is as wide as the table, so each pass reads every staged
  // description again (a third of a 175k import's reads were three passes).
  struct StagedOpportunities {
    std::int64_t known_provider = 0;          // would be imported (their provider is known)
    std::int64_t expired = 0;                 // closed or expired before today
    std::int64_t orphans = 0;                 // name a provider nobody sent
    std::vector<std::string> orphan_reasons;  // the first kMaxProblems of them
  };
  StagedOpportunities ScanStagedOpportunities(const std::string& today) {
    StagedOpportunities out;
    Stmt q(db_, "SELECT s.source_id, s.provider_id, " + ExpiredWhere(today) +
                    ", EXISTS (SELECT 1 FROM provider p WHERE p.id = s.provider_id) OR EXISTS "
                    "(SELECT 1 FROM temp.stage_provider t WHERE t.id = s.provider_id) FROM "
                    "temp.stage_opportunity s");
    while (q.Step()) {
      out.expired += q.Int(2) ? 1 : 0;
      if (q.Int(3)) {
        ++out.known_provider;
        continue;
      }
      ++out.orphans;
      if (out.orphan_reasons.size() < kMaxProblems) {
        out.orphan_reasons.push_back("opportunity " + q.Text(0) + ": unknown provider " +
                                     q.Text(1));
      }
    }
    return out;
  }

  sqlite3* db_;
  std::shared_ptr<internal::BatchState> batch_;
  std::uint64_t begun_in_;  // the batch's generation when begun in one, else 0
  std::string feed_;
  ImportOptions options_;
  ImportReport report_;
  std::int64_t staged_ = 0;
  std::int64_t provider_adds_ = 0;  // valid providers added, repeats included
  bool committed_ = false;
  std::unique_ptr<Stmt> stmts_[9];
  static constexpr int kStageBatch = 5000;  // staged rows per TEMP transaction
  bool in_batch_ = false;                   // a staging transaction is open
  int batch_rows_ = 0;

  void EndBatch() {
    if (!in_batch_) return;
    in_batch_ = false;
    batch_rows_ = 0;
    Exec(db_, "COMMIT");
  }
};

void FeedImportImpl::DoCommit(const CommitExtras& extras, std::optional<Status>* held_back) {
  internal::TraceImport("staged");
  internal::WriteScope tx(db_, batch_.get());
  const std::string today = FormatIsoDate(options_.today);
  const UnixTime now_start = static_cast<UnixTime>(options_.today) * 86400;
  report_.previous = CountFeed(db_, feed_, /*with_providers=*/true);
  auto count = [&](const std::string& sql, const std::string& arg) {
    Stmt q(db_, sql);
    if (!arg.empty()) q.Bind(1, arg);
    return q.Step() ? q.Int(0) : 0;
  };
  const StagedOpportunities staged = ScanStagedOpportunities(today);
  {
    // The guard compares records that would be imported: distinct ids that
    // passed validation, an opportunity whose provider is unknown excluded.
    GuardCounts g;
    g.previous = CountFeed(db_, feed_, /*with_providers=*/false);
    g.incoming =
        staged.known_provider +
        count(
            "SELECT (SELECT count(*) FROM temp.stage_career) + (SELECT count(*) FROM "
            "temp.stage_event) + (SELECT count(*) FROM temp.stage_local_item) + (SELECT "
            "count(*) FROM temp.stage_lmi) + (SELECT count(*) FROM temp.stage_subject_link) + "
            "(SELECT count(*) FROM temp.stage_postcode) + (SELECT count(*) FROM "
            "temp.stage_search_alias)",
            "");
    g.duplicates = report_.duplicates;
    if (g.previous == 0 && g.incoming == 0) {  // a directory of services: providers are it
      g.previous = report_.previous;
      g.incoming = count("SELECT count(*) FROM temp.stage_provider", "");
      // A provider staged again replaces itself (records share providers);
      // in a directory each repeat is a record that repeated its id.
      g.duplicates += std::max<std::int64_t>(0, provider_adds_ - g.incoming);
      report_.duplicates = g.duplicates;
    }
    if (auto why = HoldBackReason(feed_, g, options_)) {
      *held_back = Status::HeldBack(*why);
      return;  // the transaction rolls back; nothing changed
    }
  }
  auto run = [&](const std::string& sql) {
    Stmt q(db_, sql);
    if (sql.find('?') != std::string::npos) q.Bind(1, feed_);
    q.Run();
  };

  // Providers: upsert (another feed's records may reference them).
  run("INSERT INTO provider(id, feed, name, kind, ukprn, address, town, postcode, lat, lon, "
      "phone, email, website) SELECT id, feed, name, kind, ukprn, address, town, postcode, lat, "
      "lon, phone, email, website FROM temp.stage_provider WHERE true ON CONFLICT(id) DO UPDATE "
      "SET feed=excluded.feed, name=excluded.name, kind=excluded.kind, ukprn=excluded.ukprn, "
      "address=excluded.address, town=excluded.town, postcode=excluded.postcode, "
      "lat=excluded.lat, lon=excluded.lon, phone=excluded.phone, email=excluded.email, "
      "website=excluded.website");

  // Opportunities.
  const std::int64_t staged_opps = count("SELECT count(*) FROM temp.stage_opportunity", "");
  const std::int64_t old_opps = count("SELECT count(*) FROM opportunity WHERE feed = ?", feed_);
  if (staged_opps > 0 || old_opps > 0) {
    report_.expired += staged.expired;
    for (const std::string& why : staged.orphan_reasons) SkipBecause(why);
    report_.skipped += staged.orphans - static_cast<std::int64_t>(staged.orphan_reasons.size());
    // Replacing most of the catalogue (a national feed): deleting each old
    // row from the full-text indexes costs more than rebuilding them from
    // every row, so the rows go and the indexes are rebuilt after the insert.
    const std::int64_t all_opps = count("SELECT count(*) FROM opportunity", "");
    const bool rebuild_fts = old_opps > 0 && old_opps * 2 >= all_opps;
    if (rebuild_fts) {
      Stmt del(db_, "DELETE FROM opportunity WHERE feed = ?");
      del.Bind(1, feed_).Run();
    } else if (old_opps > 0) {
      DeleteOpportunitiesWhere(db_, "feed = ?", feed_);
    }
    internal::TraceImport("delete old");
    const std::int64_t first_id = count("SELECT COALESCE(max(id), 0) + 1 FROM opportunity", "");
    run("INSERT INTO opportunity(feed, source_id, kind, route, title, provider_id, provider_name, "
        "level, qualification, subject_area, mode, duration, duration_months, start_date, "
        "flexible_start, closing_date, location_name, postcode, lat, lon, entry_requirements, "
        "description, wage_text, wage_annual, hours_per_week, cost_text, url, lars_code, "
        "soc_codes, updated_at, expires, employer, typical_job_titles, outcomes, posted_date) "
        "SELECT s.feed, "
        "s.source_id, s.kind, s.route, "
        "s.title, "
        "s.provider_id, p.name, s.level, s.qualification, s.subject_area, s.mode, s.duration, "
        "s.duration_months, s.start_date, s.flexible_start, s.closing_date, s.location_name, "
        "s.postcode, s.lat, s.lon, s.entry_requirements, s.description, s.wage_text, "
        "s.wage_annual, s.hours_per_week, s.cost_text, s.url, s.lars_code, s.soc_codes, "
        "s.updated_at, s.expires, s.employer, s.typical_job_titles, s.outcomes, s.posted_date "
        "FROM "
        "temp.stage_opportunity s JOIN provider p ON p.id "
        "= "
        "s.provider_id WHERE NOT " +
        ExpiredWhere(today) + " ORDER BY s.rowid");
    internal::TraceImport("insert new");
    IndexOpportunitiesOfFeed(db_, feed_, first_id, rebuild_fts);
    internal::TraceImport("index new");
  }

  // Careers and their full-text index.
  const std::int64_t staged_careers = count("SELECT count(*) FROM temp.stage_career", "");
  const std::int64_t old_careers = count("SELECT count(*) FROM career WHERE feed = ?", feed_);
  if (staged_careers > 0 || old_careers > 0) {
    run("INSERT INTO career_fts(career_fts, rowid, title, alternative_titles, overview) SELECT "
        "'delete', id, title, alternative_titles, overview FROM career WHERE feed = ?");
    run("DELETE FROM career WHERE feed = ?");
    run("INSERT INTO career(feed, source_id, title, alternative_titles, overview, "
        "salary_starter, salary_experienced, hours, working_pattern, entry_university, "
        "entry_college, entry_apprenticeship, entry_work, skills, what_you_do, career_path, "
        "related_careers, soc_code, related_subjects, url) SELECT feed, source_id, title, "
        "alternative_titles, overview, salary_starter, salary_experienced, hours, "
        "working_pattern, entry_university, entry_college, entry_apprenticeship, entry_work, "
        "skills, what_you_do, career_path, related_careers, soc_code, related_subjects, url FROM "
        "temp.stage_career ORDER BY rowid");
    run("INSERT INTO career_fts(rowid, title, alternative_titles, overview) SELECT id, title, "
        "alternative_titles, overview FROM career WHERE feed = ?");
  }

  run("DELETE FROM lmi WHERE feed = ?");
  run("INSERT OR REPLACE INTO lmi(feed, soc_code, area, metric, value, year) SELECT feed, "
      "soc_code, area, metric, value, year FROM temp.stage_lmi ORDER BY rowid");

  // Events: drop those already over; an unknown provider becomes "no provider".
  report_.expired += count(
      "SELECT count(*) FROM temp.stage_event WHERE end_at < " + std::to_string(now_start), "");
  const std::int64_t staged_events = count("SELECT count(*) FROM temp.stage_event", "");
  const std::int64_t old_events = count("SELECT count(*) FROM event WHERE feed = ?", feed_);
  UnindexWhere(db_, kEventFts, "feed = ?", feed_);
  run("DELETE FROM event WHERE feed = ?");
  run("INSERT INTO event(feed, source_id, title, kind, provider_id, start_at, end_at, all_day, "
      "location_name, postcode, lat, lon, url, description, routes) SELECT feed, source_id, "
      "title, kind, CASE WHEN provider_id IN (SELECT id FROM provider) THEN provider_id END, "
      "start_at, end_at, all_day, location_name, postcode, lat, lon, url, description, routes "
      "FROM temp.stage_event WHERE end_at >= " +
      std::to_string(now_start) + " ORDER BY rowid");
  IndexWhere(db_, kEventFts, "feed = ?", feed_);

  report_.expired +=
      count("SELECT count(*) FROM temp.stage_local_item WHERE ends < '" + today + "'", "");
  const std::int64_t staged_local = count("SELECT count(*) FROM temp.stage_local_item", "");
  const std::int64_t old_local = count("SELECT count(*) FROM local_item WHERE feed = ?", feed_);
  UnindexWhere(db_, kLocalFts, "feed = ?", feed_);
  run("DELETE FROM local_item WHERE feed = ?");
  run("INSERT INTO local_item(feed, source_id, kind, title, body, route, provider_name, "
      "leads_to, subject_area, image_path, url, starts, ends, event_date, event_start, "
      "event_end, place) SELECT feed, source_id, kind, title, body, route, provider_name, "
      "leads_to, subject_area, image_path, url, starts, ends, event_date, event_start, "
      "event_end, place FROM temp.stage_local_item WHERE ends IS NULL OR ends >= '" +
      today + "' ORDER BY rowid");
  IndexWhere(db_, kLocalFts, "feed = ?", feed_);

  const std::int64_t staged_aliases = count("SELECT count(*) FROM temp.stage_search_alias", "");
  const std::int64_t old_aliases = count("SELECT count(*) FROM search_alias WHERE feed = ?", feed_);
  run("DELETE FROM search_alias WHERE feed = ?");
  run("INSERT INTO search_alias(feed, words, means) SELECT feed, words, means FROM "
      "temp.stage_search_alias ORDER BY rowid");

  run("DELETE FROM subject_link WHERE feed = ?");
  run("INSERT INTO subject_link(feed, subject, subject_area, career_source_id) SELECT feed, "
      "subject, subject_area, career_source_id FROM temp.stage_subject_link ORDER BY rowid");

  run("DELETE FROM postcode WHERE feed = ?");
  run("INSERT OR REPLACE INTO postcode(postcode, feed, lat, lon) SELECT postcode, feed, lat, lon "
      "FROM temp.stage_postcode");

  PruneUnusedProviders(db_, feed_, /*feed_removed=*/false);
  const std::int64_t staged_providers = count("SELECT count(*) FROM temp.stage_provider", "");
  internal::TraceImport("other tables");
  // The snapshot holds the opportunities' facets and every searchable word
  // (careers, events and local content included), so any of them changing
  // rebuilds it.
  const bool docs_changed = staged_opps > 0 || old_opps > 0 || staged_providers > 0;
  if (docs_changed || staged_careers > 0 || old_careers > 0 || staged_events > 0 ||
      old_events > 0 || staged_local > 0 || old_local > 0 || staged_aliases > 0 ||
      old_aliases > 0) {
    tx.SearchChanged(docs_changed);
  }
  report_.accepted = CountFeed(db_, feed_, /*with_providers=*/true);
  if (extras.sync_state) {
    SyncState st = *extras.sync_state;
    st.feed = feed_;
    st.records = report_.accepted;
    st.skipped = report_.skipped;
    internal::WriteSyncState(db_, st);
  }
  {
    Stmt q(db_, "DELETE FROM meta WHERE key = ?");
    q.Bind(1, FeedPlanMetaKey(feed_)).Run();
  }
  for (const auto& [key, value] : extras.meta) {
    if (value.empty()) {
      Stmt q(db_, "DELETE FROM meta WHERE key = ?");
      q.Bind(1, key).Run();
    } else {
      Stmt q(db_,
             "INSERT INTO meta(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET "
             "value = excluded.value");
      q.Bind(1, key).Bind(2, value).Run();
    }
  }
  tx.Commit();             // rebuilds the search snapshot (or leaves it to the batch)
  CreateStageTables(db_);  // empty the stage
}

}  // namespace

std::string FeedPlanMetaKey(const std::string& feed) { return "sync_plan:" + feed; }
std::string FeedDegradedMetaKey(const std::string& feed) { return "degraded:" + feed; }

Result<std::unique_ptr<FeedImport>> Catalogue::BeginImport(const std::string& feed,
                                                           const ImportOptions& options) {
  if (read_only_) return Status::InvalidArgument("the catalogue was opened read-only");
  if (feed.empty() || feed.size() > 100 || !ValidUtf8(feed)) {
    return Status::InvalidArgument("a feed needs a short name");
  }
  Status s = Guard("preparing an import", [&] { CreateStageTables(db_); });
  if (!s.ok()) return s;
  internal::TraceImport("begin");
  return std::unique_ptr<FeedImport>(new FeedImportImpl(db_, batch_, feed, options));
}

Status Catalogue::RemoveFeed(const std::string& feed) {
  if (read_only_) return Status::InvalidArgument("the catalogue was opened read-only");
  return Guard("removing feed " + feed, [&] {
    internal::WriteScope tx(db_, batch_.get());
    CreateStageTables(db_);
    DeleteOpportunitiesWhere(db_, "feed = ?", feed);
    {
      Stmt q(db_,
             "INSERT INTO career_fts(career_fts, rowid, title, alternative_titles, overview) "
             "SELECT 'delete', id, title, alternative_titles, overview FROM career WHERE feed = ?");
      q.Bind(1, feed).Run();
    }
    UnindexWhere(db_, kEventFts, "feed = ?", feed);
    UnindexWhere(db_, kLocalFts, "feed = ?", feed);
    for (const char* t : kFeedTables) {
      if (std::string_view(t) == "provider" || std::string_view(t) == "opportunity") continue;
      Stmt q(db_, std::string("DELETE FROM ") + t + " WHERE feed = ?");
      q.Bind(1, feed).Run();
    }
    PruneUnusedProviders(db_, feed, /*feed_removed=*/true);
    Stmt q(db_, "DELETE FROM sync_state WHERE feed = ?");
    q.Bind(1, feed).Run();
    Stmt plan(db_, "DELETE FROM meta WHERE key = ?");
    plan.Bind(1, FeedPlanMetaKey(feed)).Run();
    tx.SearchChanged(/*docs=*/true);
    tx.Commit();
  });
}

Result<std::int64_t> Catalogue::PruneExpired(Day today) {
  if (read_only_) return Status::InvalidArgument("the catalogue was opened read-only");
  std::int64_t removed = 0;
  const std::string t = FormatIsoDate(today);
  Status s = Guard("pruning expired records", [&] {
    internal::WriteScope tx(db_, batch_.get());
    const std::string where =
        "(closing_date IS NOT NULL AND closing_date < ?1) OR "
        "(expires IS NOT NULL AND expires < ?1)";
    DeleteOpportunitiesWhere(db_, where, t);
    const int opps = sqlite3_changes(db_);
    removed += opps;
    const std::string day_start = std::to_string(static_cast<std::int64_t>(today) * 86400);
    UnindexWhere(db_, kEventFts, "end_at < " + day_start, "");
    {
      Stmt q(db_, "DELETE FROM event WHERE end_at < " + day_start);
      q.Run();
      removed += sqlite3_changes(db_);
    }
    UnindexWhere(db_, kLocalFts, "ends IS NOT NULL AND ends < ?", t);
    {
      Stmt q(db_, "DELETE FROM local_item WHERE ends IS NOT NULL AND ends < ?");
      q.Bind(1, t).Run();
      removed += sqlite3_changes(db_);
    }
    if (removed > 0) tx.SearchChanged(/*docs=*/opps > 0);
    tx.Commit();
  });
  if (!s.ok()) return s;
  return removed;
}

std::optional<std::string> HoldBackReason(const std::string& feed, const GuardCounts& c,
                                          const ImportOptions& options) {
  const std::string keep =
      "; held back so the catalogue keeps the previous set (check the feed, "
      "then sync again)";
  const std::string had = std::to_string(c.previous);
  if (c.incoming == 0) {  // decided by the empty rule alone: a feed may be allowed to empty
    if (!options.hold_back_empty || c.previous == 0) return std::nullopt;
    return "feed " + feed + " returned no records where it had " + had + keep +
           " (set allow_empty = true for a feed that may really be empty)";
  }
  if (options.hold_back_repeats && c.duplicates > c.incoming) {
    return "feed " + feed + " sent " + std::to_string(c.incoming + c.duplicates) +
           " records but only " + std::to_string(c.incoming) +
           " different ones (the rest repeated ids it had already sent: does the upstream "
           "ignore paging?)" +
           keep;
  }
  if (options.min_fraction_of_previous > 0 && c.previous > 0 &&
      c.previous >= options.min_previous &&
      static_cast<double>(c.incoming) <=
          options.min_fraction_of_previous * static_cast<double>(c.previous)) {
    return "feed " + feed + " returned " + std::to_string(c.incoming) +
           " usable records where it had " + had + keep;
  }
  return std::nullopt;
}

}  // namespace signpost::catalogue
