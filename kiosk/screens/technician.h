// Technician mode's views (technician.cpp): the PIN pad and the technician
// screen with "Sync now", "Update from USB", the usage export and the display
// test. Declared here for tests.
// Thread safety: UI thread only.
#pragma once

#include <chrono>
#include <future>
#include <optional>
#include <string>
#include <vector>

#include <imgui.h>

#include "kiosk/usb_update.h"
#include "kiosk/view.h"

namespace signpost::kiosk {

class PinScreen : public View {
 public:
  void Draw(App& app) override;
  const char* Title() const override;
  void OnLeave(App& app) override;
  bool Busy() const override { return check_.valid(); }  // collected by Draw()

  // Checks a PIN on another thread (Argon2 is slow by design); on success
  // the PIN pad is replaced by the technician screen.
  void VerifyPin(App& app, const std::string& pin);
  int state() const { return state_; }  // 0 idle, 1 checking, 2 wrong

 private:
  void Collect(App& app);
  std::string entry_;          // the PIN being typed (cleared on navigation)
  int state_ = 0;              // as state()
  std::future<bool> check_;    // the PIN being verified
  std::future<bool> dropped_;  // a check whose PIN pad was left (its answer is ignored)
};

// "Export usage report to USB" (usage_export.cpp): the drives found and the
// export running on its own thread.
struct UsageExport {
  std::vector<std::string> drives;  // mounted, writable drives (rescanned every few s)
  double scanned_at = -100;         // app clock
  std::future<std::string> job;     // the message to show when done
  std::string message;
};
void DrawUsageExport(App& app, UsageExport& state);

class TechnicianScreen : public View {
 public:
  void Draw(App& app) override;
  const char* Title() const override;
  void OnRefreshTick(App& app) override;

  // "Sync now": creates config.sync_request_file for content-sync, then waits
  // until the file is gone or the feeds' sync state changes (checked on the
  // refresh tick), and shows the new sync results.
  enum class SyncRequestState { kNone, kWaiting, kDone, kFailed };
  void RequestSync(App& app);
  SyncRequestState sync_request_state() const { return sync_request_; }
  const std::string& sync_request_error() const { return sync_request_error_; }
  double sync_requested_at() const { return sync_requested_at_; }  // app clock

  // "Update from USB": the newest bundle on a stick (rescanned on the refresh
  // tick), the request to content-sync and its answer (usb_update.h).
  std::vector<std::string> usb_roots = DefaultUsbRoots();
  const std::optional<UsbBundle>& usb_bundle() const { return usb_bundle_; }
  void RequestUsbImport(App& app);
  void PollUsb(App& app);  // called on the refresh tick; public for tests
  bool usb_import_waiting() const { return usb_waiting_; }
  const std::string& usb_import_error() const { return usb_error_; }
  const std::optional<UsbImportResult>& usb_import_result() const { return usb_result_; }

 private:
  void CheckSyncRequest(App& app);
  void SyncRequestDone(App& app);
  void DrawSyncNow(App& app);
  void DrawUsbUpdate(App& app);
  bool DisplayAndTouchTest(App& app);

  SyncRequestState sync_request_ = SyncRequestState::kNone;
  std::string sync_request_error_;
  double sync_requested_at_ = 0;
  std::string sync_fingerprint_;  // the feeds' sync state when the request was made
  bool sync_check_pending_ = false;
  std::optional<UsbBundle> usb_bundle_;
  bool usb_waiting_ = false;
  std::string usb_error_;
  std::optional<UsbImportResult> usb_result_;
  UsageExport export_;
  bool testing_ = false;     // display and touch test showing
  bool asked_full_ = false;  // the full counts were asked for on this visit
  ImVec2 dots_[64];          // display test: where the panel reported touches
  int dot_count_ = 0;
};

}  // namespace signpost::kiosk
