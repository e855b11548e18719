// Text shown to people, carried in both user languages.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace sitecycle {

enum class Language { zh_cn, en };

// A message or title in zh-CN and en. Both are always filled.
struct LocalizedText {
  std::string zh_cn;
  std::string en;

  const std::string& in(Language language) const { return language == Language::en ? en : zh_cn; }
  bool empty() const { return zh_cn.empty() && en.empty(); }
  bool operator==(const LocalizedText&) const = default;
};

// {"zh-CN": ..., "en": ...}, the shape titles have in YAML and JSON.
nlohmann::json to_json(const LocalizedText& text);

// Maps an Accept-Language header or a --lang value to a language. zh, zh-CN, zh-Hans and an
// empty value give zh-CN; any en-* gives en. Quality values are honoured in order of preference.
Language parse_language(std::string_view header);

}  // namespace sitecycle
