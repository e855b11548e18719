#include "json_response.h"

namespace sitecycle::http {

std::string_view language_tag(Language language) {
  return language == Language::en ? "en" : "zh-CN";
}

std::string dump_json(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

HttpResponse json_response(int status, const nlohmann::json& body, Language language,
                           std::string_view content_type) {
  HttpResponse response;
  response.status = status;
  response.set_header("Content-Type", std::string(content_type));
  response.set_header("Content-Language", std::string(language_tag(language)));
  response.set_header("Vary", "Accept-Language");
  response.body = dump_json(body);
  return response;
}

}  // namespace sitecycle::http
