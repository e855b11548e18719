// Reads one deadline rule of a workflow file. Cross-references (states, transitions, fields,
// roles) are checked by the validator, which has the whole workflow.
#pragma once

#include "deadline_rule.h"
#include "yaml_reader.h"

#include <optional>
#include <string>

namespace sitecycle {

// Reads the rule `id` from its mapping `node` under `rule_path` ("deadlines.review"), reporting
// every shape problem through `reader`. Returns nullopt when the rule could not be read.
std::optional<DeadlineRule> read_deadline_rule(YamlReader& reader, const std::string& id, const YAML::Node& node,
                                               const std::string& rule_path);

// Reads a source status: verified, verified_secondary, unverified, not_found, analogue, derived or
// setting. Returns nullopt after reporting any other value.
std::optional<std::string> read_source_status(YamlReader& reader, const YAML::Node& node, const std::string& key_path);

// Reads an agency selector: an agency id, or {kind, district_field}. An undefined node selects
// the default agency. Returns nullopt after reporting a problem.
std::optional<AgencySelector> read_agency_selector(YamlReader& reader, const YAML::Node& node,
                                                   const std::string& key_path);

}  // namespace sitecycle
