// Reads the catalogues a workflow file declares beside its states and transitions: the kinds of
// documents its steps submit (`documents:`) and its settings (`settings:`). References to them
// from transitions and guards are checked by the validator.
#pragma once

#include "workflow.h"
#include "yaml_reader.h"

namespace sitecycle {

//   documents:
//     plan: {title: {zh-CN: 修复方案, en: Remediation plan}, basis: 土壤污染防治法第六十四条}
void read_document_kinds(YamlReader& reader, const YAML::Node& node, Workflow& workflow);

//   settings:
//     supervisor_required_for_risk_control:
//       title: {zh-CN: ..., en: ...}
//       type: boolean          # boolean | integer (an integer >= 0)
//       default: false
//       basis: 沪府发〔2016〕111号   # optional
//       source_status: setting  # verified, verified_secondary, unverified, not_found, analogue, derived, setting
//       needs_legal_check: true # optional
//       note: ...               # optional
void read_settings(YamlReader& reader, const YAML::Node& node, Workflow& workflow);

}  // namespace sitecycle
