// The renderer check (kiosk/renderer_probe.h): the order renderers are tried
// in, and the read-back test that refuses a renderer that clears but draws
// nothing (what SDL's desktop-OpenGL renderer did on KMS/DRM under QEMU).
#include "kiosk/renderer_probe.h"

#include <SDL.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace signpost::kiosk {
namespace {

const std::vector<std::string> kSdl226 = {"opengl", "opengles2", "software"};

TEST(RendererOrderTest, KmsDrmTriesGles2BeforeDesktopOpenGl) {
  EXPECT_EQ(RendererOrder("KMSDRM", "", kSdl226),
            (std::vector<std::string>{"opengles2", "opengl", "software"}));
  EXPECT_EQ(RendererOrder("kmsdrm", "", kSdl226),
            (std::vector<std::string>{"opengles2", "opengl", "software"}));
}

TEST(RendererOrderTest, KmsDrmIsKnownByTheNameSdlGivesIt) {
  EXPECT_TRUE(IsKmsDrm("KMSDRM"));  // SDL_GetCurrentVideoDriver() in SDL 2.26
  EXPECT_TRUE(IsKmsDrm("kmsdrm"));  // SDL_VIDEODRIVER as the unit sets it
  EXPECT_FALSE(IsKmsDrm("x11"));
  EXPECT_FALSE(IsKmsDrm("offscreen"));
}

TEST(RendererOrderTest, OtherDriversKeepSdlsOrderWithSoftwareLast) {
  EXPECT_EQ(RendererOrder("x11", "", kSdl226), kSdl226);
  EXPECT_EQ(RendererOrder("wayland", "", {"software", "opengl", "opengles2"}), kSdl226);
}

TEST(RendererOrderTest, TheTechniciansChoiceComesFirstWhenSdlHasIt) {
  EXPECT_EQ(RendererOrder("kmsdrm", "opengl", kSdl226),
            (std::vector<std::string>{"opengl", "opengles2", "software"}));
  EXPECT_EQ(RendererOrder("x11", "software", kSdl226),
            (std::vector<std::string>{"software", "opengl", "opengles2"}));
  // A name SDL does not have is not tried (nor twice, nor empty).
  EXPECT_EQ(RendererOrder("kmsdrm", "vulkan", kSdl226),
            (std::vector<std::string>{"opengles2", "opengl", "software"}));
  EXPECT_EQ(RendererOrder("kmsdrm", "", {"software"}), (std::vector<std::string>{"software"}));
}

class RendererDrawsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    surface_ = SDL_CreateRGBSurfaceWithFormat(0, 64, 32, 32, SDL_PIXELFORMAT_ABGR8888);
    ASSERT_NE(surface_, nullptr) << SDL_GetError();
    renderer_ = SDL_CreateSoftwareRenderer(surface_);
    ASSERT_NE(renderer_, nullptr) << SDL_GetError();
  }
  void TearDown() override {
    if (renderer_) SDL_DestroyRenderer(renderer_);
    if (surface_) SDL_FreeSurface(surface_);
  }
  Uint32 Pixel(int x, int y) const {
    return static_cast<const Uint32*>(surface_->pixels)[y * surface_->pitch / 4 + x];
  }
  SDL_Surface* surface_ = nullptr;
  SDL_Renderer* renderer_ = nullptr;
};

TEST_F(RendererDrawsTest, ARendererThatDrawsPassesAndIsLeftCleared) {
  std::string why;
  EXPECT_TRUE(RendererDraws(renderer_, &why)) << why;
  // Nothing of the test pattern is left to be presented by accident.
  for (int y = 0; y < 32; ++y)
    for (int x = 0; x < 64; ++x) ASSERT_EQ(Pixel(x, y) & 0xffffffu, 0u) << x << "," << y;
}

TEST_F(RendererDrawsTest, ARendererThatOnlyClearsIsRefusedWithTheColoursItReadBack) {
  // Shapes scaled to nothing, while a clear still fills the target: on
  // screen, the empty background the kiosk showed under QEMU.
  ASSERT_EQ(SDL_RenderSetScale(renderer_, 0.01f, 0.01f), 0);
  std::string why;
  EXPECT_FALSE(RendererDraws(renderer_, &why));
  EXPECT_NE(why.find("read back wrong"), std::string::npos) << why;
  EXPECT_NE(why.find("rectangle 16,32,48"), std::string::npos) << why;  // the background
}

}  // namespace
}  // namespace signpost::kiosk
