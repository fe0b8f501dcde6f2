// Technician mode: "Export usage report to USB". Lists the removable drives
// that are mounted and writable (under /media, /run/media and /mnt, or the
// folders in $SIGNPOST_EXPORT_DIRS, colon separated, for tests), then writes
// the careers leader's report (report.html + CSV, see signpost/usage_report.h)
// into <drive>/signpost-usage-<date>/ on a background thread: first the
// session counts still queued are written, then the report covers every day
// recorded up to today. The UI only polls the result.
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <sstream>

#include "kiosk/screens/screens.h"
#include "kiosk/screens/technician.h"
#include "kiosk/ui.h"
#include "kiosk/usb_update.h"
#include "signpost/usage_report.h"

namespace signpost::kiosk {

namespace fs = std::filesystem;

namespace {

bool MountPoint(const fs::path& p) {
  struct stat a {
  }, b{};
  return stat(p.c_str(), &a) == 0 && stat(p.parent_path().c_str(), &b) == 0 && a.st_dev != b.st_dev;
}

std::vector<std::string> FindDrives() {
  std::vector<std::string> out;
  auto consider = [&](const fs::path& p, bool need_mount) {
    std::error_code ec;
    if (!fs::is_directory(p, ec) || access(p.c_str(), W_OK) != 0) return;
    if (need_mount && !MountPoint(p)) return;
    out.push_back(p.string());
  };
  if (const char* env = std::getenv("SIGNPOST_EXPORT_DIRS"); env && *env) {
    std::stringstream ss(env);
    for (std::string item; std::getline(ss, item, ':');)
      if (!item.empty()) consider(item, false);
    return out;
  }
  std::error_code ec;
  for (const std::string& root : DefaultUsbRoots()) {  // shared with "Update from USB"
    for (const auto& e : fs::directory_iterator(root, ec)) {
      consider(e.path(), true);
      // /media/<user>/<label> and /run/media/<user>/<label>
      std::error_code ec2;
      for (const auto& inner : fs::directory_iterator(e.path(), ec2)) consider(inner.path(), true);
    }
  }
  return out;
}

std::string Export(usage::UsageRecorder* recorder, std::string usage_path, std::string drive,
                   std::string site) {
  if (recorder) recorder->Flush();  // the sessions still queued go in too
  auto store = usage::UsageStore::Open(usage_path, /*read_only=*/true);
  if (!store.ok()) return "Nothing to export yet: " + store.status().message();
  const Day today = TodayUtc();
  auto range = (*store)->DataRange();
  usage::ReportOptions o;
  o.to = today;
  o.site_name = site;  // [kiosk] site_name, on the report's first line
  o.from = range.ok() ? std::min(range->first, today) : today - 27;
  o.out_dir = (fs::path(drive) / ("signpost-usage-" + FormatIsoDate(today))).string();
  auto files = usage::WriteUsageReport(**store, o);
  if (!files.ok()) return "Export failed: " + files.status().message();
  sync();  // everything on the stick before anyone pulls it out
  return "Saved " + std::to_string(files->paths.size()) + " files (" +
         std::to_string(files->sessions) + " sessions, " + FormatHumanDate(o.from) + " to " +
         FormatHumanDate(o.to) + ") to " + o.out_dir + ". You can remove the drive.";
}

}  // namespace

void DrawUsageExport(App& app, UsageExport& s) {
  const Theme& t = app.theme();
  const Palette& p = t.p();
  ImGui::Dummy(ImVec2(0, t.px(6)));
  ui::Text(t.heading(), p.text, "Usage report for the careers leader");
  UsageTracker& usage = app.usage();
  if (!usage.enabled()) {
    ui::TextWrapped(t.small(), p.muted, "Usage counting is off on this kiosk (--usage none).");
    return;
  }
  std::string note = "Anonymous totals only (" + usage.path() + ").";
  if (auto* r = usage.recorder(); r && !r->last_error().empty())
    note += " Last write failed: " + r->last_error();
  ui::TextWrapped(t.small(), p.muted, note.c_str());
  if (s.job.valid()) {
    if (s.job.wait_for(std::chrono::seconds(0)) == std::future_status::ready) {
      s.message = s.job.get();
    } else {
      ui::Text(t.body(), p.text, "Writing the report\xE2\x80\xA6");
      ui::RequestFrames(2);
      return;
    }
  }
  if (app.now() - s.scanned_at > 3) {  // a stick plugged in while the screen is open
    s.drives = FindDrives();
    s.scanned_at = app.now();
  }
  if (s.drives.empty()) {
    ui::TextWrapped(t.body(), p.text,
                    "Plug in a USB stick to export the report (HTML and CSV files).");
  }
  for (const auto& drive : s.drives) {
    ImGui::PushID(drive.c_str());
    const std::string label = "Export usage report to " + drive;
    if (ui::Button(t, label.c_str(), ImVec2(0, 0), ui::ButtonKind::kSecondary)) {
      s.message.clear();
      s.job = std::async(std::launch::async, Export, usage.recorder(), usage.path(), drive,
                         app.config().site_name);
    }
    ImGui::PopID();
  }
  if (!s.message.empty()) ui::TextWrapped(t.body(), p.text, s.message.c_str());
}

}  // namespace signpost::kiosk
