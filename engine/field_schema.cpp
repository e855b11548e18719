#include "field_schema.h"

#include "credit_code.h"
#include "geojson_geometry.h"
#include "instant.h"
#include "json_pointer.h"

#include <fmt/format.h>

#include <array>
#include <utility>

namespace sitecycle {

namespace {

struct TypeName {
  FieldType type;
  std::string_view id;
  std::string_view zh_cn;
  std::string_view en;
};

constexpr std::array<TypeName, 8> kTypeNames{{
    {FieldType::string, "string", "字符串", "a string"},
    {FieldType::integer, "integer", "整数", "an integer"},
    {FieldType::number, "number", "数值", "a number"},
    {FieldType::boolean, "boolean", "布尔值（true 或 false）", "a boolean (true or false)"},
    {FieldType::date, "date", "日期（YYYY-MM-DD）", "a date (YYYY-MM-DD)"},
    {FieldType::enumeration, "enum", "枚举值", "one of the listed values"},
    {FieldType::list, "list", "列表", "a list"},
    {FieldType::object, "object", "对象", "an object"},
}};

const TypeName& type_name(FieldType type) {
  for (const TypeName& name : kTypeNames) {
    if (name.type == type) return name;
  }
  return kTypeNames[0];
}

std::string json_type(const nlohmann::json& value) {
  return value.type_name();
}

std::string render(const nlohmann::json& value) {
  std::string text = value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  if (text.size() > 80) text = text.substr(0, 77) + "...";
  return text;
}

// Length in Unicode code points of a UTF-8 string.
std::size_t character_count(const std::string& text) {
  std::size_t count = 0;
  for (unsigned char c : text) {
    if ((c & 0xC0) != 0x80) ++count;
  }
  return count;
}

void add_error(std::vector<FieldError>& errors, const std::string& pointer, std::string zh_cn, std::string en) {
  errors.push_back(FieldError{pointer, LocalizedText{std::move(zh_cn), std::move(en)}});
}

void check_bounds(const FieldSpec& spec, double measured, const std::string& what_zh, const std::string& what_en,
                  const std::string& pointer, std::vector<FieldError>& errors) {
  if (spec.minimum && measured < *spec.minimum) {
    add_error(errors, pointer, fmt::format("{}不得小于 {}，实际为 {}", what_zh, *spec.minimum, measured),
              fmt::format("{} must be at least {}, found {}", what_en, *spec.minimum, measured));
  }
  if (spec.maximum && measured > *spec.maximum) {
    add_error(errors, pointer, fmt::format("{}不得大于 {}，实际为 {}", what_zh, *spec.maximum, measured),
              fmt::format("{} must be at most {}, found {}", what_en, *spec.maximum, measured));
  }
}

void check_credit_code(const std::string& text, const std::string& pointer, std::vector<FieldError>& errors) {
  if (is_valid_credit_code(text)) return;
  std::optional<char> check = text.size() == 18 ? credit_code_check_character(std::string_view(text).substr(0, 17))
                                                : std::nullopt;
  if (check && *check != text[17]) {
    add_error(errors, pointer,
              fmt::format("统一社会信用代码 {} 的校验码应为 {}，请核对代码", render(text), *check),
              fmt::format("unified social credit code {}: the check character should be {}; check the code", render(text),
                          *check));
    return;
  }
  add_error(errors, pointer,
            fmt::format("{} 不是统一社会信用代码：应为 18 位数字或大写字母（不含 I、O、S、V、Z），第 3 至 8 位为行政区划代码（数字）",
                        render(text)),
            fmt::format("{} is not a unified social credit code: expected 18 digits or upper-case letters other than "
                        "I, O, S, V and Z, with the administrative division code (digits) in places 3 to 8",
                        render(text)));
}

void check_string(const FieldSpec& spec, const std::string& text, const std::string& pointer,
                  std::vector<FieldError>& errors) {
  std::size_t length = character_count(text);
  check_bounds(spec, static_cast<double>(length), "长度", "length", pointer, errors);
  if (spec.format) check_credit_code(text, pointer, errors);  // the one string format
  if (!spec.compiled_pattern) return;
  if (length > kMaxPatternCheckedLength) {
    add_error(errors, pointer, fmt::format("值过长（{} 个字符），无法按格式校验；请缩短到 {} 个字符以内", length, kMaxPatternCheckedLength),
              fmt::format("value too long ({} characters) to check against its pattern; shorten it to {} characters", length,
                          kMaxPatternCheckedLength));
    return;
  }
  if (!std::regex_match(text, *spec.compiled_pattern)) {
    add_error(errors, pointer, fmt::format("值 {} 不符合格式 {}", render(text), *spec.pattern),
              fmt::format("value {} does not match the pattern {}", render(text), *spec.pattern));
  }
}

void check_date(const FieldSpec& spec, const std::string& text, const std::string& pointer,
                std::vector<FieldError>& errors) {
  std::optional<Date> date = parse_date(text);
  if (!date) {
    add_error(errors, pointer, fmt::format("日期 {} 无效，应为 YYYY-MM-DD 格式的有效日期", render(text)),
              fmt::format("invalid date {}: expected a valid YYYY-MM-DD date", render(text)));
    return;
  }
  if (!is_supported_date(*date)) {
    add_error(errors, pointer,
              fmt::format("日期 {} 超出支持的范围，应在 {} 年至 {} 年之间", render(text), kMinSupportedYear, kMaxSupportedYear),
              fmt::format("date {} is out of range: expected a year from {} to {}", render(text), kMinSupportedYear,
                          kMaxSupportedYear));
    return;
  }
  if (spec.minimum_date && text < *spec.minimum_date) {
    add_error(errors, pointer, fmt::format("日期不得早于 {}，实际为 {}", *spec.minimum_date, text),
              fmt::format("date must not be before {}, found {}", *spec.minimum_date, text));
  }
  if (spec.maximum_date && text > *spec.maximum_date) {
    add_error(errors, pointer, fmt::format("日期不得晚于 {}，实际为 {}", *spec.maximum_date, text),
              fmt::format("date must not be after {}, found {}", *spec.maximum_date, text));
  }
}

void check_enumeration(const FieldSpec& spec, const std::string& text, const std::string& pointer,
                       std::vector<FieldError>& errors) {
  for (const std::string& allowed : spec.values) {
    if (allowed == text) return;
  }
  std::string allowed_list = fmt::format("{}", fmt::join(spec.values, ", "));
  add_error(errors, pointer, fmt::format("值 {} 不在允许范围内，应为以下之一：{}", render(text), allowed_list),
            fmt::format("value {} is not allowed; expected one of: {}", render(text), allowed_list));
}

bool has_expected_json_type(FieldType type, const nlohmann::json& value) {
  switch (type) {
    case FieldType::string:
    case FieldType::date:
    case FieldType::enumeration: return value.is_string();
    case FieldType::integer: return value.is_number_integer();
    case FieldType::number: return value.is_number();
    case FieldType::boolean: return value.is_boolean();
    case FieldType::list: return value.is_array();
    case FieldType::object: return value.is_object();
  }
  return false;
}

}  // namespace

std::string_view to_string(FieldType type) { return type_name(type).id; }

std::optional<FieldType> parse_field_type(std::string_view text) {
  for (const TypeName& name : kTypeNames) {
    if (name.id == text) return name.type;
  }
  return std::nullopt;
}

void check_value(const FieldSpec& spec, const nlohmann::json& value, const std::string& pointer,
                 std::vector<FieldError>& errors) {
  if (!has_expected_json_type(spec.type, value)) {
    const TypeName& expected = type_name(spec.type);
    add_error(errors, pointer, fmt::format("应为{}，实际为 {}（{}）", expected.zh_cn, render(value), json_type(value)),
              fmt::format("expected {}, found {} ({})", expected.en, render(value), json_type(value)));
    return;
  }

  switch (spec.type) {
    case FieldType::string: check_string(spec, value.get_ref<const std::string&>(), pointer, errors); break;
    case FieldType::date: check_date(spec, value.get_ref<const std::string&>(), pointer, errors); break;
    case FieldType::enumeration: check_enumeration(spec, value.get_ref<const std::string&>(), pointer, errors); break;
    case FieldType::integer:
    case FieldType::number: check_bounds(spec, value.get<double>(), "值", "value", pointer, errors); break;
    case FieldType::boolean: break;
    case FieldType::list:
      check_bounds(spec, static_cast<double>(value.size()), "条目数", "number of items", pointer, errors);
      if (spec.items) {
        for (std::size_t i = 0; i < value.size(); ++i) {
          check_value(*spec.items, value[i], fmt::format("{}/{}", pointer, i), errors);
        }
      }
      break;
    case FieldType::object: {
      // A geometry is checked as a whole first, since a wrong shape would fail on every nested member.
      if (spec.format == kGeoJsonMultiPolygonFormat) {
        std::vector<FieldError> geometry = check_multipolygon(value, pointer);
        if (!geometry.empty()) {
          errors.insert(errors.end(), geometry.begin(), geometry.end());
          break;
        }
      }
      std::vector<FieldError> nested = check_object(spec.fields, value, pointer, true);
      errors.insert(errors.end(), nested.begin(), nested.end());
      break;
    }
  }
}

std::vector<FieldError> check_object(const FieldSchema& schema, const nlohmann::json& object,
                                     const std::string& pointer, bool require_required) {
  std::vector<FieldError> errors;
  if (!object.is_object()) {
    add_error(errors, pointer, fmt::format("应为对象，实际为 {}", json_type(object)),
              fmt::format("expected an object, found {}", json_type(object)));
    return errors;
  }

  for (const auto& [key, value] : object.items()) {
    std::string member_pointer = append_pointer(pointer, key);
    auto spec = schema.find(key);
    if (spec == schema.end()) {
      add_error(errors, member_pointer, fmt::format("未知字段 {}，请删除或改为已定义的字段", render(key)),
                fmt::format("unknown field {}; remove it or use a declared field", render(key)));
      continue;
    }
    check_value(spec->second, value, member_pointer, errors);
  }

  if (require_required) {
    for (const auto& [key, spec] : schema) {
      if (spec.required && !object.contains(key)) {
        add_error(errors, append_pointer(pointer, key), fmt::format("缺少必填字段 {}", key),
                  fmt::format("missing required field {}", key));
      }
    }
  }
  return errors;
}

}  // namespace sitecycle
