// Commands on cases: create a case, fire a transition, read a case with what may happen next.
// Each command runs in one store transaction together with every case it opens or signals, so a
// rejected or failed command leaves no trace.
//
// Thread-safety: safe to call from several threads; the store serialises writers.
#pragma once

#include "case_store.h"
#include "deadline_tracker.h"
#include "instant.h"
#include "result.h"
#include "runtime.h"
#include "workflow_registry.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sitecycle {

struct CreateCaseRequest {
  std::string workflow_id;
  std::optional<std::string> case_id;  // generated as WORKFLOW_NNNNNN when absent
  nlohmann::json data = nlohmann::json::object();
  Actor actor;
  std::string comment;
  // False when the source of a replayed step published no date. Such a step starts no deadline
  // clock, because its start date and every date after it would be guesses.
  bool time_known = true;
};

struct FireRequest {
  std::string case_id;
  TransitionRequest transition;
  std::optional<std::int64_t> expected_version;  // reject with conflict when stale
  bool time_known = true;  // as in CreateCaseRequest
};

// The result of a command: the case it addressed after the change, and every event written,
// including those on cases opened or signalled by effects.
struct CommandOutcome {
  StoredCase stored;
  std::vector<StoredEvent> events;
  std::vector<std::string> opened_cases;
};

struct CaseDetail {
  StoredCase stored;
  std::vector<CaseLink> links;
  std::vector<AvailableTransition> available;
  std::vector<DeadlineRecord> deadlines;  // every cycle, ordered by id
};

class CaseService {
 public:
  // Without a tracker no deadline clocks run. The tracker must outlive the service.
  CaseService(std::shared_ptr<const WorkflowRegistry> registry, CaseStore& store,
              const DeadlineTracker* deadlines = nullptr);

  Result<CommandOutcome> create_case(const CreateCaseRequest& request, const Moment& now);
  Result<CommandOutcome> fire(const FireRequest& request, const Moment& now);
  Result<CaseDetail> case_detail(std::string_view case_id, const Actor& actor);

  const WorkflowRegistry& registry() const { return *registry_; }
  CaseStore& store() { return store_; }
  const DeadlineTracker* deadlines() const { return deadlines_; }

  // Called after each committed command that started or changed a deadline, so a timer can
  // look at the store again. Set it before the service is shared between threads.
  void set_deadlines_changed_listener(std::function<void()> listener) { deadlines_changed_ = std::move(listener); }

 private:
  std::shared_ptr<const WorkflowRegistry> registry_;
  CaseStore& store_;
  const DeadlineTracker* deadlines_;
  std::function<void()> deadlines_changed_;
};

// Case ids: lowercase ASCII letters, digits and underscores, starting with a letter, at most
// 64 characters.
bool is_valid_case_id(std::string_view id);

}  // namespace sitecycle
