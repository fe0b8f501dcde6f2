#include "kiosk/renderer_probe.h"

#include <SDL.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace signpost::kiosk {

bool IsKmsDrm(std::string_view video_driver) {
  return video_driver == "KMSDRM" || video_driver == "kmsdrm";  // SDL 2.26 says "KMSDRM"
}

std::vector<std::string> RendererOrder(std::string_view video_driver, std::string_view asked,
                                       const std::vector<std::string>& available) {
  std::vector<std::string> order;
  auto add = [&](std::string_view name) {
    if (name.empty()) return;
    if (std::find(available.begin(), available.end(), name) == available.end()) return;
    if (std::find(order.begin(), order.end(), name) != order.end()) return;
    order.emplace_back(name);
  };
  add(asked);
  if (IsKmsDrm(video_driver)) add("opengles2");
  for (const std::string& name : available)
    if (name != "software") add(name);
  add("software");
  return order;
}

namespace {
struct Rgb {
  int r, g, b;
};
constexpr Rgb kBackground{16, 32, 48};
constexpr Rgb kFill{208, 48, 64};
constexpr Rgb kTexture{32, 176, 96};
// A 16-bit panel keeps 5 or 6 bits of a channel: allow a step of 8 and some.
constexpr int kTolerance = 12;

bool Near(const Uint8* px, Rgb c) {
  return std::abs(px[0] - c.r) <= kTolerance && std::abs(px[1] - c.g) <= kTolerance &&
         std::abs(px[2] - c.b) <= kTolerance;
}
}  // namespace

bool RendererDraws(SDL_Renderer* renderer, std::string* why) {
  constexpr int kW = 48, kH = 16;
  SDL_SetRenderDrawBlendMode(renderer, SDL_BLENDMODE_NONE);
  SDL_SetRenderDrawColor(renderer, kBackground.r, kBackground.g, kBackground.b, 255);
  SDL_RenderClear(renderer);
  SDL_SetRenderDrawColor(renderer, kFill.r, kFill.g, kFill.b, 255);
  const SDL_Rect fill{4, 4, 8, 8};
  SDL_RenderFillRect(renderer, &fill);
  // A white texture tinted by vertex colour, as Dear ImGui draws its glyphs.
  SDL_Texture* tex =
      SDL_CreateTexture(renderer, SDL_PIXELFORMAT_ABGR8888, SDL_TEXTUREACCESS_STATIC, 4, 4);
  if (tex) {
    std::array<Uint32, 16> white;
    white.fill(0xffffffffu);
    SDL_UpdateTexture(tex, nullptr, white.data(), 4 * 4);
    SDL_SetTextureBlendMode(tex, SDL_BLENDMODE_BLEND);
    const SDL_Color c{static_cast<Uint8>(kTexture.r), static_cast<Uint8>(kTexture.g),
                      static_cast<Uint8>(kTexture.b), 255};
    const SDL_Vertex v[4] = {
        {{20, 4}, c, {0, 0}}, {{28, 4}, c, {1, 0}}, {{28, 12}, c, {1, 1}}, {{20, 12}, c, {0, 1}}};
    const int idx[6] = {0, 1, 2, 0, 2, 3};
    SDL_RenderGeometry(renderer, tex, v, 4, idx, 6);
  }
  std::array<Uint8, kW * kH * 4> px{};
  const SDL_Rect area{0, 0, kW, kH};
  const int read =
      SDL_RenderReadPixels(renderer, &area, SDL_PIXELFORMAT_ABGR8888, px.data(), kW * 4);
  if (tex) SDL_DestroyTexture(tex);
  SDL_SetRenderDrawColor(renderer, 0, 0, 0, 255);
  SDL_RenderClear(renderer);
  if (read != 0) return true;  // cannot read back here: nothing to judge by
  auto at = [&](int x, int y) { return &px[static_cast<std::size_t>((y * kW + x) * 4)]; };
  const Uint8* bg = at(40, 8);
  const Uint8* fi = at(8, 8);
  const Uint8* tx = at(24, 8);
  if (Near(bg, kBackground) && Near(fi, kFill) && (!tex || Near(tx, kTexture))) return true;
  char buf[256];
  std::snprintf(buf, sizeof buf,
                "a test pattern read back wrong (background %d,%d,%d; rectangle %d,%d,%d; "
                "texture %d,%d,%d; drawn %d,%d,%d / %d,%d,%d / %d,%d,%d)",
                bg[0], bg[1], bg[2], fi[0], fi[1], fi[2], tx[0], tx[1], tx[2], kBackground.r,
                kBackground.g, kBackground.b, kFill.r, kFill.g, kFill.b, kTexture.r, kTexture.g,
                kTexture.b);
  if (why) *why = buf;
  return false;
}

namespace {
std::string& InUse() {
  static std::string name;
  return name;
}
void NoteRendererInUse(std::string_view name) { InUse() = name; }
}  // namespace

const std::string& RendererInUse() { return InUse(); }

// The first of SDL's renderers, in RendererOrder, that SDL creates and whose
// test pattern reads back right (renderer_probe.h says why that is checked).
// Each choice and refusal is one line in the journal.
SDL_Renderer* CreateDrawingRenderer(SDL_Window* window) {
  std::vector<std::string> available;
  for (int i = 0; i < SDL_GetNumRenderDrivers(); ++i) {
    SDL_RendererInfo info;
    available.emplace_back(SDL_GetRenderDriverInfo(i, &info) == 0 && info.name ? info.name : "");
  }
  const char* asked = SDL_GetHint(SDL_HINT_RENDER_DRIVER);
  const char* video = SDL_GetCurrentVideoDriver();
  for (const std::string& name : RendererOrder(video ? video : "", asked ? asked : "", available)) {
    const auto index = std::find(available.begin(), available.end(), name) - available.begin();
    const Uint32 flags = name == "software" ? SDL_RENDERER_SOFTWARE
                                            : SDL_RENDERER_ACCELERATED | SDL_RENDERER_PRESENTVSYNC;
    SDL_Renderer* r = SDL_CreateRenderer(window, static_cast<int>(index), flags);
    if (!r) {
      std::fprintf(stderr, "signpost-kiosk: SDL's %s renderer did not start: %s\n", name.c_str(),
                   SDL_GetError());
      continue;
    }
    std::string why;
    if (RendererDraws(r, &why)) {
      std::fprintf(stderr, "signpost-kiosk: drawing with SDL's %s renderer (video driver %s)\n",
                   name.c_str(), video ? video : "?");
      NoteRendererInUse(name);
      return r;
    }
    std::fprintf(stderr,
                 "signpost-kiosk: SDL's %s renderer draws nothing on this display (%s); "
                 "trying the next one\n",
                 name.c_str(), why.c_str());
    SDL_DestroyRenderer(r);
  }
  std::fprintf(stderr,
               "signpost-kiosk: no renderer drew its test pattern on this display; using SDL's "
               "default (the screen may stay empty: see docs/flash-and-go.md)\n");
  SDL_Renderer* r =
      SDL_CreateRenderer(window, -1, SDL_RENDERER_PRESENTVSYNC | SDL_RENDERER_ACCELERATED);
  if (!r) r = SDL_CreateRenderer(window, -1, SDL_RENDERER_SOFTWARE);
  SDL_RendererInfo info;
  if (r && SDL_GetRendererInfo(r, &info) == 0 && info.name)
    NoteRendererInUse(std::string(info.name) + " (it failed the drawing test)");
  return r;
}

}  // namespace signpost::kiosk
