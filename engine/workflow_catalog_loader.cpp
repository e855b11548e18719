#include "workflow_catalog_loader.h"

#include "deadline_rule_loader.h"

namespace sitecycle {

namespace {

std::optional<SettingType> read_setting_type(YamlReader& reader, const YAML::Node& node, const std::string& key_path) {
  auto text = reader.read_string(node, key_path);
  if (!text) return std::nullopt;
  if (*text == "boolean") return SettingType::boolean;
  if (*text == "integer") return SettingType::integer;
  reader.report(node, key_path, describe_node(node), {"boolean 或 integer", "boolean or integer"});
  return std::nullopt;
}

void read_setting_default(YamlReader& reader, const YAML::Node& node, const std::string& key_path,
                          WorkflowSetting& setting) {
  if (setting.type == SettingType::boolean) {
    if (auto flag = reader.read_bool(node, key_path)) setting.default_value = *flag;
    return;
  }
  auto number = reader.read_integer(node, key_path);
  if (!number) return;
  if (*number < 0) {
    reader.report(node, key_path, describe_node(node), {"不小于 0 的整数", "an integer of 0 or more"});
    return;
  }
  setting.default_value = *number;
}

void read_setting_citation(YamlReader& reader, const YAML::Node& node, const std::string& key_path,
                           WorkflowSetting& setting) {
  if (auto basis = reader.read_string(node["basis"], join_path(key_path, "basis"))) setting.basis = *basis;
  if (auto note = reader.read_string(node["note"], join_path(key_path, "note"))) setting.note = *note;
  if (auto check = reader.read_bool(node["needs_legal_check"], join_path(key_path, "needs_legal_check"))) {
    setting.needs_legal_check = *check;
  }
  YAML::Node status = reader.require(node, "source_status", key_path);
  if (!status.IsDefined()) return;
  if (auto text = read_source_status(reader, status, join_path(key_path, "source_status"))) setting.source_status = *text;
}

}  // namespace

void read_document_kinds(YamlReader& reader, const YAML::Node& node, Workflow& workflow) {
  if (!reader.expect_map(node, "documents")) return;
  for (const auto& pair : node) {
    std::string key_path = join_path("documents", pair.first.Scalar());
    auto id = reader.read_id(pair.first, key_path);
    YAML::Node body = pair.second;
    if (!id || !reader.expect_map(body, key_path)) continue;
    reader.check_keys(body, key_path, {"title", "basis"});
    DocumentKind document;
    document.id = *id;
    document.position = position_of(pair.first);
    if (auto title = reader.read_title(reader.require(body, "title", key_path), join_path(key_path, "title"))) {
      document.title = *title;
    }
    if (auto basis = reader.read_string(body["basis"], join_path(key_path, "basis"))) document.basis = *basis;
    workflow.documents.push_back(std::move(document));
  }
}

void read_settings(YamlReader& reader, const YAML::Node& node, Workflow& workflow) {
  if (!reader.expect_map(node, "settings")) return;
  for (const auto& pair : node) {
    std::string key_path = join_path("settings", pair.first.Scalar());
    auto id = reader.read_id(pair.first, key_path);
    YAML::Node body = pair.second;
    if (!id || !reader.expect_map(body, key_path)) continue;
    reader.check_keys(body, key_path, {"title", "type", "default", "basis", "source_status", "needs_legal_check", "note"});
    WorkflowSetting setting;
    setting.id = *id;
    setting.position = position_of(pair.first);
    if (auto title = reader.read_title(reader.require(body, "title", key_path), join_path(key_path, "title"))) {
      setting.title = *title;
    }
    auto type = read_setting_type(reader, reader.require(body, "type", key_path), join_path(key_path, "type"));
    if (type) {
      setting.type = *type;
      YAML::Node fallback = reader.require(body, "default", key_path);
      if (fallback.IsDefined()) read_setting_default(reader, fallback, join_path(key_path, "default"), setting);
    }
    read_setting_citation(reader, body, key_path, setting);
    workflow.settings.push_back(std::move(setting));
  }
}

}  // namespace sitecycle
