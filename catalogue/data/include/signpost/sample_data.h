// The bundled sample catalogue: a small, realistic catalogue for one area
// (West Yorkshire) that a fresh kiosk starts on, so every screen shows real-
// looking data before the first sync.
//
// The sample lives as JSON files in assets/sample/ (installed to
// /usr/share/signpost/sample). Dates in the files are offsets from "today"
// ("start_in_days", "closing_in_days", "in_days", named start anchors such as
// the next September term), so the sample always looks current: the loader
// turns them into real dates from the `today` it is given. All provider and
// employer names are invented; postcode coordinates are approximate district
// centroids (see assets/sample/README.md).
//
// Thread safety: the functions are reentrant; the Catalogue passed in is used
// from the calling thread only (see catalogue.h).
#pragma once

#include <string>
#include <vector>

#include "signpost/catalogue.h"
#include "signpost/dates.h"
#include "signpost/status.h"

namespace signpost {

// Feed names the sample is imported under, in import order. Each is replaced
// as a whole on every load, so loading twice leaves the same catalogue.
//   sample-courses    FE courses, A levels, T Levels, HE courses (+ providers)
//   sample-vacancies  apprenticeship vacancies and standards (+ employers)
//   sample-events     open days, taster days, careers fairs, talks
//   sample-careers    job profiles and local labour-market figures
//   sample-local      adviser drop-ins, alumni stories, notices, school events
//   sample-reference  subject links and the postcode table
const std::vector<std::string>& SampleFeedNames();

// What manifest.json says about the sample as a whole.
struct SampleInfo {
  std::string name;                 // "Sample catalogue: West Yorkshire"
  std::string area;                 // "West Yorkshire" (also the LMI area)
  std::string kiosk_postcode;       // where the sample kiosk stands, e.g. "LS6 3QT"
  std::string kiosk_location_name;  // "Beechwood Sixth Form College library"
};

// Reads and checks manifest.json in `sample_dir`.
Result<SampleInfo> ReadSampleInfo(const std::string& sample_dir);

// Loads the sample into `writer` (a writer connection): one import per feed
// in SampleFeedNames(), each committed on its own, then the meta keys
// is_sample=1, name, kiosk_postcode, kiosk_location_name and sample_today.
// Dates are made from `today`. `summary`, when given, receives the totals over
// all feeds (feed = "sample"); skipped > 0 there means a record in the files
// failed the catalogue's validation (its reasons are in problems).
// Errors: kNotFound (a file is missing), kCorrupt (a file is not valid JSON
// or a record is malformed: the message names the file and what is wrong),
// or whatever the catalogue returned.
Status LoadSampleCatalogue(catalogue::Catalogue* writer, const std::string& sample_dir, Day today,
                           catalogue::ImportReport* summary = nullptr);

// Takes the sample out again (e.g. when the first real feed arrives): removes
// every sample feed and clears the meta keys LoadSampleCatalogue set
// (is_sample becomes "0"). Other feeds are left as they are.
Status RemoveSampleCatalogue(catalogue::Catalogue* writer);

// Streams one sample feed's records into `sink` without committing it: the
// same records LoadSampleCatalogue imports. For tests and tools that want the
// records without a database. `feed` must be one of SampleFeedNames().
Status ReadSampleFeed(const std::string& sample_dir, Day today, const std::string& feed,
                      catalogue::FeedImport* sink);

// Where the sample files are: $SIGNPOST_SAMPLE_DIR when set, else the source
// tree's assets/sample when it exists (development builds), else the
// installed copy (normally /usr/share/signpost/sample).
std::string DefaultSampleDir();

}  // namespace signpost
