// Loads the example cases into a store for `sitecycle serve --demo`.
#pragma once

#include "engine/case_service.h"
#include "engine/localized_text.h"

#include <filesystem>
#include <string>
#include <vector>

namespace sitecycle {

struct DemoLoadReport {
  std::vector<std::string> loaded;   // scenario files replayed now
  std::vector<std::string> skipped;  // scenario files found in the store already
  std::vector<std::string> imported;  // parcel ids created from parcels.csv
  std::vector<std::string> errors;    // problems, one line each, in the requested language
};

// Replays every scenario in `folder` whose first created case id is not in the store yet, then
// imports the parcels of `folder`/parcels.csv that are not in the store yet, so a second run adds
// nothing. Scenarios that name no fixed case id are replayed every time, so the examples give
// every parcel a fixed id.
DemoLoadReport load_demo(const std::filesystem::path& folder, CaseService& service, Instant now, Language language);

}  // namespace sitecycle
