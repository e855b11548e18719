// Shape checks for YAML documents that collect every problem with its position, shared by the
// workflow, role and scenario loaders.
#pragma once

#include "diagnostic.h"
#include "instant.h"
#include "localized_text.h"
#include "position.h"

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include <initializer_list>
#include <stdexcept>
#include <optional>
#include <string>
#include <string_view>

namespace sitecycle {

// True for snake_case ASCII ids: ^[a-z][a-z0-9_]*$, at most 64 characters.
bool is_snake_case_id(std::string_view text);

// Parses YAML text, recording a syntax error as a diagnostic; nullopt on error.
std::optional<YAML::Node> load_yaml(std::string_view text, const std::string& file_name,
                                    Diagnostics& diagnostics);

// Parses a document whose root must be a mapping with only the `allowed` keys, reporting each
// problem. Returns nullopt when the text is not valid YAML or the root is not a mapping.
std::optional<YAML::Node> load_yaml_mapping(std::string_view text, const std::string& file_name,
                                            Diagnostics& diagnostics,
                                            std::initializer_list<std::string_view> allowed);

Position position_of(const YAML::Node& node);

// Thrown by yaml_to_json for a value that expands past the limits below.
class YamlTooLarge : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Limits on one converted value. Aliases are expanded on conversion, so a few lines of YAML can
// stand for billions of nodes; these bounds stop that before memory runs out.
inline constexpr std::size_t kMaxYamlValueNodes = 100000;
inline constexpr int kMaxYamlValueDepth = 64;

// Converts a YAML value to JSON. Plain scalars become null, booleans, integers or numbers when
// they read as such; quoted scalars stay strings. Throws YamlTooLarge past the limits above.
nlohmann::json yaml_to_json(const YAML::Node& node);
// What a YamlTooLarge value is, for the "found" part of a diagnostic.
LocalizedText too_large_text();

// Converts one scalar node as yaml_to_json does.
nlohmann::json scalar_to_json(const YAML::Node& node);

class YamlReader {
 public:
  YamlReader(std::string file_name, Diagnostics& diagnostics)
      : file_name_(std::move(file_name)), diagnostics_(diagnostics) {}

  void report(const YAML::Node& node, const std::string& key_path, LocalizedText found,
              LocalizedText expected);
  void report_at(Position position, const std::string& key_path, LocalizedText found,
                 LocalizedText expected);
  // `found` is a value quoted from the input.
  void report(const YAML::Node& node, const std::string& key_path, std::string found, LocalizedText expected) {
    report(node, key_path, verbatim(std::move(found)), std::move(expected));
  }

  // Each returns nullopt (after reporting) when the node has the wrong shape, and nullopt
  // without a report for an undefined node, whose absence `require` already reported.
  bool expect_map(const YAML::Node& node, const std::string& key_path);
  bool expect_sequence(const YAML::Node& node, const std::string& key_path);
  std::optional<std::string> read_string(const YAML::Node& node, const std::string& key_path);
  std::optional<std::string> read_id(const YAML::Node& node, const std::string& key_path);
  std::optional<long long> read_integer(const YAML::Node& node, const std::string& key_path);
  std::optional<double> read_number(const YAML::Node& node, const std::string& key_path);
  std::optional<bool> read_bool(const YAML::Node& node, const std::string& key_path);
  std::optional<LocalizedText> read_title(const YAML::Node& node, const std::string& key_path);
  // A YYYY-MM-DD date.
  std::optional<Date> read_date(const YAML::Node& node, const std::string& key_path);
  // A scalar id or a sequence of ids.
  std::optional<std::vector<std::string>> read_id_list(const YAML::Node& node, const std::string& key_path);

  // Reports keys outside `allowed` and keys given twice in the mapping.
  void check_keys(const YAML::Node& map, const std::string& key_path,
                  std::initializer_list<std::string_view> allowed);
  // Reports keys given twice in the mapping (YAML parsers keep only one silently).
  void check_duplicate_keys(const YAML::Node& map, const std::string& key_path);
  // Reads the id under a required key of `map`; "" after reporting a missing or invalid one.
  std::string read_required_id(const YAML::Node& map, std::string_view key, const std::string& key_path);
  // Reports a missing required key; returns the child node (undefined if absent).
  YAML::Node require(const YAML::Node& map, std::string_view key, const std::string& key_path);

  const std::string& file_name() const { return file_name_; }
  std::size_t problem_count() const { return diagnostics_.size(); }

 private:
  std::string file_name_;
  Diagnostics& diagnostics_;
};

// Renders a scalar (quoted) or a short summary of a node for "found ...".
LocalizedText describe_node(const YAML::Node& node);

std::string join_path(const std::string& parent, std::string_view key);

}  // namespace sitecycle
