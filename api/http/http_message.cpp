#include "http_message.h"

#include <algorithm>
#include <optional>

namespace sitecycle::http {

namespace {

std::optional<int> hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return std::nullopt;
}

char lower_ascii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

void append_query_pair(std::string_view pair, HttpRequest& request) {
  if (pair.empty()) return;
  std::size_t equals = pair.find('=');
  std::string_view name = pair.substr(0, equals);
  std::string_view value = equals == std::string_view::npos ? std::string_view{} : pair.substr(equals + 1);
  request.query.emplace_back(percent_decode(name, true), percent_decode(value, true));
}

}  // namespace

const std::string* HttpRequest::header(std::string_view lower_case_name) const {
  auto found = headers.find(lower_case_name);
  return found == headers.end() ? nullptr : &found->second;
}

void HttpResponse::set_header(std::string_view name, std::string value) {
  for (auto& [existing_name, existing_value] : headers) {
    if (equals_ignoring_case(existing_name, name)) {
      existing_value = std::move(value);
      return;
    }
  }
  headers.emplace_back(std::string(name), std::move(value));
}

const std::string* HttpResponse::header(std::string_view name) const {
  for (const auto& [existing_name, existing_value] : headers) {
    if (equals_ignoring_case(existing_name, name)) return &existing_value;
  }
  return nullptr;
}

std::string percent_decode(std::string_view text, bool plus_is_space) {
  std::string decoded;
  decoded.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '+' && plus_is_space) {
      decoded.push_back(' ');
      continue;
    }
    if (c == '%' && i + 2 < text.size()) {
      std::optional<int> high = hex_value(text[i + 1]);
      std::optional<int> low = hex_value(text[i + 2]);
      if (high && low) {
        decoded.push_back(static_cast<char>(*high * 16 + *low));
        i += 2;
        continue;
      }
    }
    decoded.push_back(c);
  }
  return decoded;
}

void split_target(std::string_view target, HttpRequest& request) {
  std::size_t question = target.find('?');
  request.path = std::string(target.substr(0, question));
  request.query.clear();
  if (question == std::string_view::npos) return;

  std::string_view query = target.substr(question + 1);
  std::size_t fragment = query.find('#');
  query = query.substr(0, fragment);
  while (!query.empty()) {
    std::size_t ampersand = query.find('&');
    append_query_pair(query.substr(0, ampersand), request);
    if (ampersand == std::string_view::npos) break;
    query.remove_prefix(ampersand + 1);
  }
}

bool equals_ignoring_case(std::string_view left, std::string_view right) {
  return std::equal(left.begin(), left.end(), right.begin(), right.end(),
                    [](char a, char b) { return lower_ascii(a) == lower_ascii(b); });
}

}  // namespace sitecycle::http
