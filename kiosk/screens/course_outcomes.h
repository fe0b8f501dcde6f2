// "What students said and did" on an HE course's detail screen: the
// Discover Uni figures content-sync imports (catalogue::CourseOutcome:
// student satisfaction, continuation after the first year, typical salary
// 15 months after), each as a plain sentence with its caveat in smaller text,
// and a figure the data set withholds shown as "not published", never as a
// number. Owned by the kiosk's detail screen (detail.cpp calls it).
// Thread safety: UI thread only, inside App::Frame().
#pragma once

#include <string>
#include <vector>

#include "kiosk/app.h"

namespace signpost::kiosk::screens {

// The sentence a student reads for one figure, in the current language:
// "86% of students were positive about the teaching", "94% carried on after
// the first year", "Typical salary 15 months after the course: £24,000 (most
// between £21,000 and £28,000)", or "… not published" when withheld.
std::string OutcomeSentence(const catalogue::CourseOutcome& o);

// Draws the section (heading, one sentence per figure, caveats) in `width`;
// draws nothing and returns false when `outcomes` is empty.
bool DrawCourseOutcomes(App& app, const std::vector<catalogue::CourseOutcome>& outcomes,
                        float width);

}  // namespace signpost::kiosk::screens
