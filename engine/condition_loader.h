// Reads conditions and value sources from YAML.
#pragma once

#include "condition.h"
#include "workflow.h"
#include "yaml_reader.h"

#include <optional>
#include <string>

namespace sitecycle {

// Parses "data.planned_class" into a ValuePath; reports a path whose root is unknown.
std::optional<ValuePath> read_value_path(YamlReader& reader, const YAML::Node& node, const std::string& key_path);

std::optional<Condition> read_condition(YamlReader& reader, const YAML::Node& node, const std::string& key_path);

// A literal, or {path: ...}.
std::optional<ValueSource> read_value_source(YamlReader& reader, const YAML::Node& node,
                                             const std::string& key_path);

}  // namespace sitecycle
