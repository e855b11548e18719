// The OpenAPI 3.1 description of the HTTP API (api/http/openapi.json), compiled in.
#pragma once

#include <string_view>

namespace sitecycle::http {

// The document's JSON text.
std::string_view openapi_document();

}  // namespace sitecycle::http
