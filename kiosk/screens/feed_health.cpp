// Feed health for the technician screen (feed_health.h).
#include "kiosk/screens/feed_health.h"

#include <algorithm>

#include "kiosk/app.h"
#include "kiosk/theme.h"
#include "kiosk/ui.h"

namespace signpost::kiosk {

std::vector<std::pair<std::string, std::string>> DegradedFeeds(
    catalogue::Catalogue& cat, const std::vector<catalogue::FeedStats>& feeds,
    const std::vector<catalogue::SyncState>& sync) {
  std::vector<std::string> names;
  for (const auto& f : feeds) names.push_back(f.feed);
  for (const auto& s : sync) names.push_back(s.feed);
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  std::vector<std::pair<std::string, std::string>> out;
  for (auto& name : names) {
    auto why = cat.GetMeta(catalogue::FeedDegradedMetaKey(name));
    if (why && !why->empty()) out.emplace_back(std::move(name), std::move(*why));
  }
  return out;
}

const std::string* DegradedReason(const MetaView& meta, const std::string& feed) {
  for (const auto& [name, why] : meta.degraded)
    if (name == feed) return &why;
  return nullptr;
}

void DrawDegraded(const Theme& t, const std::string* why) {
  if (!why) return;
  const float indent = t.px(24);
  ImGui::Indent(indent);
  ui::TextWrapped(t.body(), t.p().warning, ("degraded: " + *why).c_str());
  ImGui::Unindent(indent);
}

}  // namespace signpost::kiosk
