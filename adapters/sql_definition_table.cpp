#include "adapters/sql_definition_table.h"

#include <soci/soci.h>

namespace sitecycle::sql {

std::optional<std::string> definition_sha256(soci::session& session, std::string_view workflow_id,
                                             int version) {
  const std::string workflow(workflow_id);
  std::string sha256;
  soci::statement select =
      (session.prepare << "SELECT sha256 FROM workflow_definitions WHERE workflow_id = :workflow_id"
                          " AND version = :version",
       soci::into(sha256), soci::use(workflow, "workflow_id"), soci::use(version, "version"));

  select.execute();
  if (!select.fetch()) return std::nullopt;
  return sha256;
}

bool insert_definition(soci::session& session, const StoredDefinition& definition) {
  soci::statement insert =
      (session.prepare << "INSERT INTO workflow_definitions (workflow_id, version, sha256, source_file, yaml_text)"
                          " VALUES (:workflow_id, :version, :sha256, :source_file, :yaml_text)"
                          " ON CONFLICT (workflow_id, version) DO NOTHING",
       soci::use(definition.workflow_id, "workflow_id"), soci::use(definition.version, "version"),
       soci::use(definition.sha256, "sha256"), soci::use(definition.source_file, "source_file"),
       soci::use(definition.yaml_text, "yaml_text"));
  insert.execute(true);
  return insert.get_affected_rows() > 0;
}

std::vector<StoredDefinition> definitions(soci::session& session) {
  StoredDefinition row;
  soci::statement select =
      (session.prepare
           << "SELECT workflow_id, version, sha256, source_file, yaml_text FROM workflow_definitions"
              " ORDER BY workflow_id, version",
       soci::into(row.workflow_id), soci::into(row.version), soci::into(row.sha256),
       soci::into(row.source_file), soci::into(row.yaml_text));

  std::vector<StoredDefinition> stored;
  select.execute();
  while (select.fetch()) stored.push_back(row);
  return stored;
}

}  // namespace sitecycle::sql
