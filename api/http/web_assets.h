// The web dashboard's built files, served to browsers at "/" by the API server.
//
// GET of "/" returns index.html; GET of any other path outside /api/ and /metrics returns the
// file of that name under the folder, or 404. Names are taken literally: a path with "..", a
// hidden segment, a backslash, a percent sign or a file outside the folder (through a link)
// gets 404. index.html is revalidated on every load; files under assets/, whose names vite
// derives from their content, may be cached for a year.
//
// Thread-safety: serve() may run on several threads at once, because the object has no mutable
// state.
#pragma once

#include "engine/localized_text.h"
#include "http_message.h"

#include <filesystem>
#include <optional>

namespace sitecycle::http {

class WebAssets {
 public:
  // `folder` may be missing or empty: "/" then returns a 404 that explains how to build the
  // dashboard.
  explicit WebAssets(std::filesystem::path folder);

  // Whether the dashboard serves the request: a GET outside /api/ and /metrics.
  static bool claims(const HttpRequest& request);

  // Whether index.html exists in the folder.
  bool available() const;

  HttpResponse serve(const HttpRequest& request, Language language) const;

 private:
  std::filesystem::path folder_;
};

}  // namespace sitecycle::http
