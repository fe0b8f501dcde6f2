// EventWaiter: the UI thread sleeps in poll(2) until input or a wake-up on
// drivers whose SDL_WaitEventTimeout would poll (KMSDRM, offscreen). Input
// devices are stood in for by FIFOs in a temporary directory (a FIFO becomes
// readable like an evdev file); the last test runs the kiosk's own loop
// headless in real time and counts how often its thread slept.
#include "kiosk/event_wait.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "kiosk/app.h"
#include "kiosk_test_util.h"

namespace signpost::kiosk {
namespace {

using Clock = std::chrono::steady_clock;

double MsSince(Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

TEST(EventWaitTest, AWakeUpFromAnotherThreadEndsTheWait) {
  EventWaiter w(false);
  ASSERT_TRUE(w.CanBlock());
  auto t0 = Clock::now();
  EXPECT_FALSE(w.Wait(30));  // nothing happened: the timeout
  EXPECT_GE(MsSince(t0), 25);
  std::thread other([&w] {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    w.Wake();
  });
  t0 = Clock::now();
  EXPECT_TRUE(w.Wait(10000));
  EXPECT_LT(MsSince(t0), 5000);
  other.join();
  w.Wake();  // a wake-up before the wait is not lost
  EXPECT_TRUE(w.Wait(10000));
  EXPECT_FALSE(w.Wait(0));  // and it was drained
}

TEST(EventWaitTest, InputOnAnyDeviceEndsTheWaitAndNewDevicesAreWatched) {
  testing::TempDir dir;
  const std::string dev0 = dir.File("event0");
  ASSERT_EQ(mkfifo(dev0.c_str(), 0600), 0);
  ASSERT_EQ(mkfifo(dir.File("mouse0").c_str(), 0600), 0);  // not an event device: ignored
  EventWaiter w(true, dir.File(""));
  ASSERT_TRUE(w.CanBlock());
  EXPECT_EQ(w.devices(), 1);
  int writer = open(dev0.c_str(), O_WRONLY | O_NONBLOCK);
  ASSERT_GE(writer, 0);
  EXPECT_FALSE(w.Wait(20));
  ASSERT_EQ(write(writer, "touch", 5), 5);
  EXPECT_TRUE(w.Wait(10000));
  EXPECT_FALSE(w.Wait(0)) << "the input was not drained: the loop would spin";

  // A keyboard plugged in later is picked up (inotify), and its input wakes.
  const std::string dev1 = dir.File("event1");
  ASSERT_EQ(mkfifo(dev1.c_str(), 0600), 0);
  EXPECT_TRUE(w.Wait(10000));  // the directory changed
  EXPECT_EQ(w.devices(), 2);
  int writer1 = open(dev1.c_str(), O_WRONLY | O_NONBLOCK);
  ASSERT_GE(writer1, 0);
  ASSERT_EQ(write(writer1, "key", 3), 3);
  EXPECT_TRUE(w.Wait(10000));
  close(writer);
  close(writer1);
}

TEST(EventWaitTest, WithoutReadableDevicesTheCallerIsToldToPoll) {
  testing::TempDir dir;
  EventWaiter none(true, dir.File(""));
  EXPECT_FALSE(none.CanBlock());
  EventWaiter missing(true, dir.File("no-such-dir"));
  EXPECT_FALSE(missing.CanBlock());
}

TEST(EventWaitTest, AnIdleHeadlessKioskSleepsUntilItsNextDeadline) {
  auto k = testing::MakeKiosk(testing::HeadlessOptions());
  ASSERT_TRUE(k);
  k->GoToScreen(Screen::kHome);
  const auto before = k->loop_stats();
  const auto drawn = k->frames_drawn();
  k->RunFor(2.5);  // real time, the offscreen driver: no native blocking wait
  const auto& after = k->loop_stats();
  std::printf("2.5 s idle, headless: %llu sleeps, %llu catalogue checks\n",
              static_cast<unsigned long long>(after.sleeps - before.sleeps),
              static_cast<unsigned long long>(after.refresh_checks - before.refresh_checks));
  // One sleep per catalogue check (every 2 s) and a spare; polling every
  // 10 ms would be about 250.
  EXPECT_LE(after.sleeps - before.sleeps, 6u);
  EXPECT_GE(after.refresh_checks - before.refresh_checks, 1u);
  EXPECT_EQ(k->frames_drawn(), drawn);
}

}  // namespace
}  // namespace signpost::kiosk
