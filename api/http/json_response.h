// JSON response bodies: serialisation that survives any client-supplied text, and the headers
// every API response carries.
#pragma once

#include "engine/localized_text.h"
#include "http_message.h"

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace sitecycle::http {

inline constexpr std::string_view kJsonContentType = "application/json";
inline constexpr std::string_view kProblemContentType = "application/problem+json";

// The language tag sent in Content-Language: "zh-CN" or "en".
std::string_view language_tag(Language language);

// Serialises without throwing: invalid UTF-8 (which can only come from a client, for example in
// a query value echoed in a message) is replaced by U+FFFD.
std::string dump_json(const nlohmann::json& value);

// A response with `body` as JSON, Content-Language for `language` and Vary: Accept-Language.
HttpResponse json_response(int status, const nlohmann::json& body, Language language,
                           std::string_view content_type = kJsonContentType);

}  // namespace sitecycle::http
