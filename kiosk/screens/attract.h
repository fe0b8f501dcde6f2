// The attract loop's pieces that tests check on their own (attract.cpp owns
// the screen). Thread safety: pure functions, any thread.
#pragma once

#include <string>

namespace signpost::kiosk {

// Where an event is, each name once, for the "Coming up" slide: the provider
// (unless the event's title already names it), then the place with the
// provider's name taken off its front. "" when there is nothing to add.
std::string EventPlace(const std::string& title, const std::string& provider,
                       const std::string& location);

}  // namespace signpost::kiosk
