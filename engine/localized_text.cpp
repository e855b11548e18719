#include "localized_text.h"

#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

namespace sitecycle {

nlohmann::json to_json(const LocalizedText& text) {
  return nlohmann::json{{"zh-CN", text.zh_cn}, {"en", text.en}};
}

namespace {

std::string lowercase_trimmed(std::string_view text) {
  std::string result;
  for (char c : text) {
    if (c != ' ' && c != '\t') result.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return result;
}

struct Preference {
  std::string tag;
  double quality = 1.0;
};

std::vector<Preference> parse_preferences(std::string_view header) {
  std::vector<Preference> preferences;
  std::size_t start = 0;
  while (start <= header.size()) {
    std::size_t end = header.find(',', start);
    if (end == std::string_view::npos) end = header.size();
    std::string item = lowercase_trimmed(header.substr(start, end - start));
    start = end + 1;
    if (item.empty()) continue;

    Preference preference;
    std::size_t semicolon = item.find(';');
    preference.tag = item.substr(0, semicolon);
    if (semicolon != std::string::npos) {
      std::size_t q = item.find("q=", semicolon);
      if (q != std::string::npos) {
        try {
          preference.quality = std::stod(item.substr(q + 2));
        } catch (const std::exception&) {
          preference.quality = 0.0;
        }
      }
    }
    preferences.push_back(preference);
  }
  std::stable_sort(preferences.begin(), preferences.end(),
                   [](const Preference& a, const Preference& b) { return a.quality > b.quality; });
  return preferences;
}

}  // namespace

Language parse_language(std::string_view header) {
  for (const Preference& preference : parse_preferences(header)) {
    if (preference.quality <= 0.0) continue;
    if (preference.tag == "en" || preference.tag.starts_with("en-")) return Language::en;
    if (preference.tag == "zh" || preference.tag.starts_with("zh-") || preference.tag == "*") {
      return Language::zh_cn;
    }
  }
  return Language::zh_cn;
}

}  // namespace sitecycle
