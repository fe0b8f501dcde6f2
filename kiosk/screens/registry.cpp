// MakeView() and the screen names, from the screen list (registry.h).
#include "kiosk/screens/registry.h"

#include "kiosk/view.h"

namespace signpost::kiosk {

#define SIGNPOST_DECLARE_MAKE(id, name, cls) std::unique_ptr<View> Make##cls();
SIGNPOST_KIOSK_SCREENS(SIGNPOST_DECLARE_MAKE)
#undef SIGNPOST_DECLARE_MAKE

std::unique_ptr<View> MakeView(Screen s) {
  switch (s) {
#define SIGNPOST_MAKE_CASE(id, name, cls) \
  case Screen::id:                        \
    return Make##cls();
    SIGNPOST_KIOSK_SCREENS(SIGNPOST_MAKE_CASE)
#undef SIGNPOST_MAKE_CASE
  }
  return nullptr;
}

std::string_view ScreenName(Screen s) {
  static constexpr std::string_view kNames[] = {
#define SIGNPOST_NAME(id, name, cls) name,
      SIGNPOST_KIOSK_SCREENS(SIGNPOST_NAME)
#undef SIGNPOST_NAME
  };
  const auto i = static_cast<std::size_t>(s);
  return i < kScreenCount ? kNames[i] : std::string_view();
}

std::optional<Screen> ParseScreen(std::string_view name) {
  for (int i = 0; i < kScreenCount; ++i)
    if (ScreenName(static_cast<Screen>(i)) == name) return static_cast<Screen>(i);
  return std::nullopt;
}

}  // namespace signpost::kiosk
