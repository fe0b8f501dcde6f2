// DataService: the kiosk's only door to the catalogue, on a worker thread.
//
// The UI thread never touches SQLite. It posts jobs (closures taking the
// worker's Backend) and gets answers back as UI callbacks, which run on the
// UI thread when the frame loop calls RunUiCallbacks(); every visible answer
// wakes the loop through the `wake` function (an SDL_PushEvent); a quiet one
// waits for the loop's next wake-up. This keeps the
// UI responsive on a Pi whatever the catalogue size, in the manner of
// Tracy's RunQueue / ImHex's TaskManager::doLater.
//
// The Backend (catalogue connection, search engine, last search results) is
// owned by the worker thread and must only be used inside jobs.
// Thread safety: Post()/ToUi() from any thread; RunUiCallbacks() and Idle()
// from the UI thread.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "signpost/catalogue.h"
#include "signpost/search.h"

namespace signpost::kiosk {

struct Backend {
  std::string path;                                 // catalogue file
  std::string postcode;                             // kiosk postcode (config)
  std::unique_ptr<catalogue::Catalogue> catalogue;  // null while unavailable
  std::unique_ptr<catalogue::SearchEngine> engine;  // null while unavailable
  Status status;                                    // why catalogue is null ("ok" otherwise)
  std::optional<catalogue::GeoPoint> origin;  // the kiosk's place (config postcode), when known
  std::optional<catalogue::SearchResults> results;  // latest search
  std::uint64_t results_generation = 0;             // which request `results` answers

  // Opens the catalogue and search engine when not open; true when usable.
  bool EnsureOpen();
  // Where distances are measured from: a visitor's postcode, else the kiosk.
  std::optional<catalogue::GeoPoint> OriginFor(
      const std::optional<catalogue::GeoPoint>& near) const {
    return near ? near : origin;
  }
  // True when another process committed since the last call (cheap: PRAGMA
  // data_version on the main connection; searches reset their statements, so
  // no read transaction is left open to pin it to old data).
  bool Changed();
  void Close();
};

class DataService {
 public:
  using Job = std::function<void(Backend&)>;
  DataService(std::string catalogue_path, std::string postcode, std::function<void()> wake);
  ~DataService();
  DataService(const DataService&) = delete;
  DataService& operator=(const DataService&) = delete;

  void Post(Job job);  // runs on the worker, in order
  // Runs fn on the UI thread, in order. `visible`: the answer changes what is
  // shown (the loop is woken and draws a frame for it); a quiet answer (e.g.
  // "the catalogue has not changed") neither wakes nor draws: an idle kiosk
  // sleeps until its next deadline.
  void ToUi(std::function<void()> fn, bool visible = true);
  int RunUiCallbacks();         // UI thread; returns how many visible callbacks ran
  bool Idle() const;            // no job queued/running, no callback waiting
  bool HasUiCallbacks() const;  // answers waiting for RunUiCallbacks()
  // Waits up to timeout_ms for the worker to finish its queue (UI thread,
  // for answers that should make the current frame). True when it did.
  bool WaitIdle(int timeout_ms);

 private:
  void Loop();
  Backend backend_;  // worker thread only
  std::function<void()> wake_;
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  std::condition_variable idle_cv_;  // signalled when the queue drains
  std::deque<Job> jobs_;             // GUARDED_BY(mutex_)
  struct UiCallback {
    std::function<void()> fn;
    bool visible = true;
  };
  std::deque<UiCallback> ui_;  // GUARDED_BY(mutex_)
  bool running_job_ = false;   // GUARDED_BY(mutex_)
  bool stop_ = false;          // GUARDED_BY(mutex_)
  std::thread thread_;
};

}  // namespace signpost::kiosk
