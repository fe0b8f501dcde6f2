// How many rounds a kill test (a child SIGKILLed at a random point, then the
// catalogue checked) makes. The ASan preset sets SIGNPOST_TEST_KILL_ROUNDS
// lower: there every forked child is many times slower, and the ci preset
// runs every round of the same tests; the code a round runs is the same each
// time, only the moment of the kill changes.
#pragma once

#include <algorithm>
#include <cstdlib>

namespace signpost::testing {

inline int KillRounds(int rounds) {
  const char* v = std::getenv("SIGNPOST_TEST_KILL_ROUNDS");
  const int cap = v && *v ? std::atoi(v) : 0;
  return cap > 0 ? std::min(rounds, cap) : rounds;
}

}  // namespace signpost::testing
