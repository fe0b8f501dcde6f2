// Choosing an SDL renderer that really draws on this display.
//
// SDL reports success for a renderer that, on some display paths, presents
// a cleared screen and nothing else: under QEMU (virtio-gpu, Mesa's GBM on
// kms_swrast) SDL 2.26's desktop-OpenGL renderer on KMS/DRM clears to the
// background colour and draws no rectangle, glyph or picture, and reads
// back zeros. The kiosk would show an empty screen for ever, with nothing in
// the journal. So the kiosk tries renderers in a sensible order for the
// video driver and keeps the first one whose test pattern reads back right.
#pragma once

#include <string>
#include <string_view>
#include <vector>

struct SDL_Renderer;
struct SDL_Window;

namespace signpost::kiosk {

// SDL's renderers to try, best first. `asked` is SDL_RENDER_DRIVER (the
// technician's choice, tried first when SDL has it); on KMS/DRM GLES2 comes
// next (the renderer made for that path: EGL on GBM), then SDL's own order,
// and the software renderer last.
std::vector<std::string> RendererOrder(std::string_view video_driver, std::string_view asked,
                                       const std::vector<std::string>& available);

// Draws a test pattern as the kiosk draws its frames (a clear, a filled
// rectangle, a textured quad through SDL_RenderGeometry, as Dear ImGui's
// backend does) into the back buffer, reads it back, and clears again.
// Nothing is presented. False, with *why, when the pixels are not what was
// drawn; a renderer that cannot read back passes (nothing to judge by).
bool RendererDraws(SDL_Renderer* renderer, std::string* why);

// SDL's KMS/DRM video driver (no window system: a Pi or PC kiosk on the
// bare display). SDL 2.26 names it "KMSDRM".
bool IsKmsDrm(std::string_view video_driver);

// Creates a renderer for `window`: the first in RendererOrder that SDL
// starts and RendererDraws accepts; if none does, SDL's default. Each
// choice and refusal is one line on stderr (the journal). Null on failure.
SDL_Renderer* CreateDrawingRenderer(SDL_Window* window);

// The renderer CreateDrawingRenderer chose, for the technician screen (""
// when headless: the software renderer on a surface).
const std::string& RendererInUse();

}  // namespace signpost::kiosk
