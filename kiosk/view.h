// View: one kiosk screen, in the manner of ImHex's View subclasses. Each
// screen (kiosk/screens/<name>.cpp) is a View that owns its view state (what
// it fetched, its scroll position, an open keyboard) and its requests to the
// data service, and draws itself with Draw(). The App owns one View per
// screen for the length of a session: ending the session destroys them all,
// so nothing a student saw or did survives in a view.
//
// Adding a screen touches its own file and one line of the screen list
// (kiosk/screens/registry.h).
//
// Data requests go through Fetch(): the work runs on the data service's
// worker thread with the catalogue (it must capture values only, never the
// view), and its answer runs on the UI thread only if the view still exists
// then (a session may have ended in between).
// Thread safety: UI thread only, except the `work` functions given to Fetch().
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>

#include "kiosk/app_state.h"
#include "kiosk/data_service.h"

namespace signpost::kiosk {

class App;

class View {
 public:
  virtual ~View() = default;

  // Draws the screen into the content region (between the top bar and the
  // accessibility bar; the whole window for the attract loop).
  virtual void Draw(App& app) = 0;
  // The top bar's title, translated ("" = none).
  virtual const char* Title() const = 0;

  // The screen was pushed (or came back to the top of the stack) with this id.
  virtual void OnEnter(App& app, std::int64_t id) {
    (void)app;
    (void)id;
  }
  // Another screen is about to show: close keyboards and panels.
  virtual void OnLeave(App& app) { (void)app; }
  // Where physical-keyboard text goes on this screen; null = nowhere.
  virtual std::string* TypingTarget(App& app) {
    (void)app;
    return nullptr;
  }
  // The Return key (the physical keyboard's "done").
  virtual void OnReturn(App& app) { (void)app; }
  // The on-screen keyboard is up: it takes the accessibility bar's place.
  virtual bool KeyboardShowing(const App& app) const {
    (void)app;
    return false;
  }
  // Before the frame is built: start work whose answer should make this very
  // frame (search as you type). True when the App should wait (a few ms) for it.
  virtual bool BeforeFrame(App& app) {
    (void)app;
    return false;
  }
  // Every few seconds (the refresh tick), for every view that exists.
  virtual void OnRefreshTick(App& app) { (void)app; }
  // Work outside the data service still running (a PIN check) that the view
  // collects by polling: keep drawing. Animations ask ui::RequestFrames().
  virtual bool Busy() const { return false; }
  // The next time (App::now() clock) this screen must be drawn again with no
  // input (a pause to wait out before reading aloud what changed); the
  // event-driven loop wakes for it. now + 3600 = nothing due.
  virtual double NextDeadline(double now) const { return now + 3600; }
  // Test hook (tests, --screen): open the first item of this screen's list
  // once it has loaded.
  virtual void OpenFirst(App& app) { (void)app; }

 protected:
  // Runs `work` on the data worker; `done` gets its answer on the UI thread,
  // unless this view has been destroyed by then. `work` must not touch the view.
  template <class T>
  void Fetch(DataService& data, std::function<T(Backend&)> work, std::function<void(T&&)> done) {
    std::weak_ptr<char> alive = alive_;
    DataService* d = &data;
    d->Post([d, alive, work = std::move(work), done = std::move(done)](Backend& b) mutable {
      auto answer = std::make_shared<T>(work(b));
      d->ToUi([alive, answer, done = std::move(done)]() mutable {
        if (alive.lock()) done(std::move(*answer));
      });
    });
  }
  // A token that is alive exactly as long as this view (for hand-made requests).
  std::weak_ptr<char> AliveToken() const { return alive_; }

 private:
  std::shared_ptr<char> alive_ = std::make_shared<char>();
};

// Makes the view for a screen (kiosk/screens/registry.cpp, from the screen list).
std::unique_ptr<View> MakeView(Screen s);

}  // namespace signpost::kiosk
