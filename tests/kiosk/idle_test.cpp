// Idle tests: under a real (virtual) X display, an untouched kiosk draws
// nothing. The windowed event loop runs as in production (X11 events, a real
// SDL renderer, the catalogue check every 2 s on the worker thread) but on
// the virtual clock: when nothing is pending and the worker has answered,
// time jumps to the next deadline, so a minute untouched takes a fraction
// of a second and the frame counts do not depend on the machine's speed.
//
// Counted: frames built (the UI logic ran), frames drawn (rendered and
// presented) and frames skipped (built, but identical to what the panel
// already shows). Untouched, no frame may be built at all; when something
// changes, every frame built must have drawn something new.
// About 3 s in all (Xvfb start-up included).
#include <SDL.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <string>

#include "kiosk/app.h"
#include "kiosk/screens/search.h"
#include "kiosk_test_util.h"
#include "xvfb.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
#endif

namespace signpost::kiosk {
namespace {

using testing::TempDir;

const SearchView& Results(Kiosk& k) {
  return k.app().view_as<SearchScreen>(Screen::kSearch).results(k.app());
}

class KioskIdleTest : public ::testing::Test {
 protected:
  void SetUp() override {
#if defined(__SANITIZE_ADDRESS__)
    // SDL's X11 driver loads system libraries (D-Bus, X input methods) that
    // keep small allocations for the life of the process, some from a module
    // unloaded before exit, so no suppression can name them. Allocations on
    // this thread are not leak-checked here; the same frame loop is, headless,
    // in every other kiosk test (and the data worker's thread still is).
    __lsan_disable();
#endif
    std::string error;
    ASSERT_TRUE(xvfb_.Start("1280x1024", &error)) << error;
  }

  // A windowed kiosk on the Xvfb display (no fallback to headless).
  std::unique_ptr<Kiosk> MakeWindowedKiosk(const std::string& catalogue) {
    RunOptions o = testing::HeadlessOptions();
    o.headless = false;
    o.allow_headless_fallback = false;
    o.config.catalogue_path = catalogue;
    std::string error;
    auto k = Kiosk::Create(o, &error);
    EXPECT_TRUE(k) << error;
    if (!k) return k;
    EXPECT_STREQ(SDL_GetCurrentVideoDriver(), "x11");
    EXPECT_FALSE(k->headless());
    return k;
  }

  struct Counts {
    std::uint64_t built, drawn, skipped, checks;
  };
  static Counts Snapshot(const Kiosk& k) {
    return {k.frames(), k.frames_drawn(), k.frames_skipped(), k.loop_stats().refresh_checks};
  }
  static Counts Since(const Kiosk& k, const Counts& before) {
    Counts now = Snapshot(k);
    return {now.built - before.built, now.drawn - before.drawn, now.skipped - before.skipped,
            now.checks - before.checks};
  }

  testing::XvfbDisplay xvfb_;
};

TEST_F(KioskIdleTest, HomeUntouchedForAMinuteBuildsAndDrawsNoFrames) {
  auto k = MakeWindowedKiosk(testing::SampleCatalogue());
  ASSERT_TRUE(k);
  k->GoToScreen(Screen::kHome);
  k->RunFor(2, /*virtual_time=*/true);  // the window appears; X11 asks for its picture
  ASSERT_GE(k->frames_drawn(), 1u);
  ASSERT_EQ(k->app().screen(), Screen::kHome);

  Counts before = Snapshot(*k);
  k->RunFor(60, /*virtual_time=*/true);
  Counts c = Since(*k, before);
  std::printf("Home, 60 s untouched: %llu frames built, %llu drawn, %llu catalogue checks\n",
              static_cast<unsigned long long>(c.built), static_cast<unsigned long long>(c.drawn),
              static_cast<unsigned long long>(c.checks));
  EXPECT_EQ(c.built, 0u) << "checking the catalogue (or anything else) built a frame";
  EXPECT_EQ(c.drawn, 0u);
  EXPECT_GE(c.checks, 29u) << "the catalogue must still be checked every 2 s";
  EXPECT_EQ(k->app().screen(), Screen::kHome);
}

TEST_F(KioskIdleTest, NewDataDrawsOnlyTheFramesThatShowIt) {
  TempDir dir;
  std::string path = dir.File("live.db");
  {
    auto writer = catalogue::Catalogue::Open(path);
    ASSERT_TRUE(writer.ok());
    ASSERT_TRUE(LoadSampleCatalogue(writer->get(), DefaultSampleDir(), TodayUtc()).ok());
  }
  auto k = MakeWindowedKiosk(path);
  ASSERT_TRUE(k);
  k->GoToScreen(Screen::kSearch);
  k->Type("plumb");
  const std::int64_t before_total = Results(*k).total;
  k->RunFor(5, /*virtual_time=*/true);
  Counts quiet = Snapshot(*k);
  k->RunFor(10, /*virtual_time=*/true);
  EXPECT_EQ(Since(*k, quiet).built, 0u) << "nothing changed, yet a frame was built";

  // content-sync lands a new course while the student is looking.
  {
    auto writer = catalogue::Catalogue::Open(path);
    ASSERT_TRUE(writer.ok());
    auto import = (*writer)->BeginImport("idle-test-extra");
    ASSERT_TRUE(import.ok());
    catalogue::Provider p;
    p.id = "test:plumbing-academy";
    p.name = "Calder Plumbing Academy";
    ASSERT_TRUE((*import)->AddProvider(p).ok());
    catalogue::Opportunity op;
    op.source_id = "plumb-1";
    op.title = "Plumbing and heating taster course";
    op.provider_id = p.id;
    op.kind = catalogue::OpportunityKind::kFeCourse;
    op.route = catalogue::Route::kFurtherEducation;
    op.level = 1;
    ASSERT_TRUE((*import)->AddOpportunity(op).ok());
    ASSERT_TRUE((*import)->Commit().ok());
  }
  Counts change = Snapshot(*k);
  k->RunFor(10, /*virtual_time=*/true);
  Counts c = Since(*k, change);
  std::printf("new data: %llu frames built, %llu drawn, %llu skipped as unchanged\n",
              static_cast<unsigned long long>(c.built), static_cast<unsigned long long>(c.drawn),
              static_cast<unsigned long long>(c.skipped));
  EXPECT_EQ(Results(*k).total, before_total + 1);
  EXPECT_GE(c.drawn, 1u) << "the new result was never drawn";
  // A handful of frames carry the change (the screens ask again, the answers
  // arrive); any frame built beyond those would be waste.
  EXPECT_LE(c.built, 6u);
  EXPECT_LE(c.skipped, 2u);

  Counts after = Snapshot(*k);
  k->RunFor(30, /*virtual_time=*/true);
  EXPECT_EQ(Since(*k, after).built, 0u) << "frames went on after the change was shown";
}

TEST_F(KioskIdleTest, TheAttractLoopDrawsOnlyItsFadesAndStopsBetweenSlides) {
  auto k = MakeWindowedKiosk(testing::SampleCatalogue());
  ASSERT_TRUE(k);
  k->GoToScreen(Screen::kAttract);
  k->RunFor(2, /*virtual_time=*/true);
  ASSERT_EQ(k->app().screen(), Screen::kAttract);
  const double slide = k->app().config().attract_slide_s;
  const int fade_steps = static_cast<int>(std::lround(App::kAttractFadeS * App::kAttractFadeFps));

  // Between slides nothing moves: no frame from the end of a fade until just
  // before the next slide.
  double age = k->app().AttractSlideAge(k->clock());
  if (age < App::kAttractFadeS + 0.1) {
    k->RunFor(App::kAttractFadeS + 0.1 - age, true);
    age = k->app().AttractSlideAge(k->clock());
  }
  Counts still = Snapshot(*k);
  k->RunFor(slide - age - 0.05, true);
  EXPECT_EQ(Since(*k, still).built, 0u) << "frames between slides";

  // Ten slides: each is one frame when it appears and one per fade step, and
  // every one of those frames shows something the previous did not.
  Counts before = Snapshot(*k);
  k->RunFor(10 * slide, true);
  Counts c = Since(*k, before);
  std::printf("attract loop, 10 slides: %llu frames built, %llu drawn, %llu skipped\n",
              static_cast<unsigned long long>(c.built), static_cast<unsigned long long>(c.drawn),
              static_cast<unsigned long long>(c.skipped));
  const std::uint64_t per_slide = static_cast<std::uint64_t>(fade_steps) + 1;
  EXPECT_GE(c.drawn, 10 * per_slide - 10) << "slides were not shown";
  EXPECT_LE(c.built, 10 * per_slide + 3) << "more frames than the slides and fades need";
  EXPECT_LE(c.skipped, 3u) << "frames that showed nothing new";
  EXPECT_EQ(k->app().screen(), Screen::kAttract);
}

}  // namespace
}  // namespace signpost::kiosk
