// Reading a local_item row (the school's own content), shared by the
// catalogue's readers and the export. Private to catalogue/.
#pragma once

#include "signpost/model.h"
#include "sqlite_util.h"

namespace signpost::catalogue::internal {

// The columns ReadLocalItem reads, in its order (select them first).
inline constexpr const char* kLocalItemColumns =
    "source_id, kind, title, body, route, provider_name, leads_to, subject_area, image_path, "
    "url, starts, ends, event_date, event_start, event_end, place, id";

inline LocalItem ReadLocalItem(const Stmt& s) {
  auto day = [&s](int col) -> std::optional<Day> {
    if (s.IsNull(col)) return std::nullopt;
    return ParseIsoDate(s.TextView(col));
  };
  auto minute = [&s](int col) -> std::optional<int> {
    if (s.IsNull(col)) return std::nullopt;
    return static_cast<int>(s.Int(col));
  };
  LocalItem l;
  l.source_id = s.Text(0);
  l.kind = ParseLocalKind(s.TextView(1)).value_or(LocalKind::kNotice);
  l.title = s.Text(2);
  l.body = s.Text(3);
  if (!s.IsNull(4)) l.route = ParseRoute(s.TextView(4));
  l.provider_name = s.Text(5);
  l.leads_to = s.Text(6);
  l.subject_area = s.Text(7);
  l.image_path = s.Text(8);
  l.url = s.Text(9);
  l.starts = day(10);
  l.ends = day(11);
  l.event_day = day(12);
  l.event_start_minute = minute(13);
  l.event_end_minute = minute(14);
  l.place = s.Text(15);
  l.rowid = s.Int(16);
  return l;
}

}  // namespace signpost::catalogue::internal
