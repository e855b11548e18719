// The setup every benchmark shares: a fresh SQLite case store with the shipped workflows pinned,
// and a CaseService over it.
#pragma once

#include "adapters/sql_case_store.h"
#include "engine/case_service.h"
#include "engine/instant.h"
#include "engine/workflow_registry.h"
#include "tests/adapters/temp_directory.h"

#include <memory>
#include <optional>
#include <string>

namespace sitecycle::bench {

enum class StoreLocation {
  // sitecycle.db in a fresh directory under $TMPDIR (or /tmp), in WAL mode as the store sets it.
  // TMPDIR therefore chooses the file system under test.
  temporary_file,
  in_memory,  // ":memory:", which has no journal file and never syncs
};

class BenchStore {
 public:
  // Opens the store and pins the workflows in SITECYCLE_WORKFLOWS_DIR. Throws std::runtime_error
  // when the workflows do not load or pin or the Asia/Shanghai zone is unknown, and StoreError
  // when the store cannot be opened.
  explicit BenchStore(StoreLocation location);

  BenchStore(const BenchStore&) = delete;
  BenchStore& operator=(const BenchStore&) = delete;

  CaseService& service() { return *service_; }
  // The fixed clock value every benchmark command runs at, 2026-03-16T09:00:00 in Shanghai.
  // No condition in the shipped workflows reads the clock (now.date), so one value serves every
  // command.
  const Moment& now() const { return now_; }
  CaseStore& store() { return *store_; }
  const WorkflowRegistry& registry() const { return *registry_; }

 private:
  std::optional<testing::TempDirectory> directory_;  // empty for StoreLocation::in_memory
  std::unique_ptr<SqlCaseStore> store_;
  std::shared_ptr<const WorkflowRegistry> registry_;
  std::unique_ptr<CaseService> service_;
  Moment now_{};
};

}  // namespace sitecycle::bench
