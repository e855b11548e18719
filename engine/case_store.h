// The case store port: what the engine needs from persistence. adapters/ implements it on SQLite
// (and later PostgreSQL). Implementations are thread-safe.
//
// Errors: a lost version race is an expected outcome and is returned (update_case gives false).
// Unexpected failures (I/O error, lost connection, corrupt file) throw StoreError.
#pragma once

#include "deadline.h"
#include "instant.h"
#include "result.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sitecycle {

struct Actor {
  std::string role;
  std::string org;
  std::string user;
};

// The current projection of a case. `version` starts at 1 when the case is created and grows by
// one with every event.
struct StoredCase {
  std::string id;
  std::string workflow_id;
  int workflow_version = 0;
  std::string state;
  nlohmann::json data = nlohmann::json::object();
  std::int64_t version = 0;
  bool closed = false;
  Instant created_at{};
  Instant updated_at{};
};

// The figures a list shows of a case beyond its projection, derived from its events and deadlines.
struct CaseListing {
  // When the case entered its current state: its latest event that changed the state to it, or
  // its creation.
  Instant state_entered_at{};
  // The worst light of its deadlines, as the scheduler last set them: red once overdue, yellow
  // once warned, green while running and grey while paused. None without an open deadline.
  DeadlineLight light = DeadlineLight::none;
  std::optional<Instant> next_due_at;  // the earliest due time of its open deadlines
};

// A case as a list returns it.
struct ListedCase {
  StoredCase stored;
  CaseListing listing;
};

// A directed link: `case_id` reaches `linked_case_id` under `role`. Links are stored in both
// directions, one row each.
struct CaseLink {
  std::string case_id;
  std::string role;
  std::string linked_case_id;
  Instant created_at{};
};

// One entry of a case's append-only history. `kind` is "created", "transition" or
// "signal_skipped". `case_version` is the case version this event produced.
struct StoredEvent {
  std::int64_t id = 0;  // assigned by the store, increasing across the whole store
  std::string case_id;
  std::int64_t case_version = 0;
  std::string kind;
  std::string transition;
  std::string from_state;
  std::string to_state;
  Actor actor;
  Instant at{};
  nlohmann::json input = nlohmann::json::object();
  std::string comment;
  nlohmann::json effects = nlohmann::json::array();
};

// The set of cases a caller may see (organisation.h builds it). A case is in scope when its
// data.district is `district`, when `party_org` acted on it or was granted access to it, or when
// `credit_code` is one of its data's top-level values. No member set means every case.
struct CaseScope {
  std::optional<std::string> district;
  std::optional<std::string> party_org;
  std::optional<std::string> credit_code;

  bool unrestricted() const { return !district && !party_org && !credit_code; }
};

// An organisation granted access to a case it has not acted on, such as the consultancy engaged
// for an investigation.
struct CaseParty {
  std::string case_id;
  std::string org_id;
  std::string granted_by;  // the user who granted it
  Instant granted_at{};
};

// A file uploaded to a case. Its content is stored once per SHA-256, outside the database.
struct StoredDocument {
  std::string id;
  std::string case_id;
  std::string kind;  // a DocumentKind id of the case's workflow
  std::string title;
  std::string content_type;
  std::int64_t size = 0;  // bytes
  std::string sha256;     // of the content, lowercase hex
  Actor uploaded_by;
  Instant uploaded_at{};
  std::optional<std::int64_t> event_id;  // the event of the step that handed it in
};

// Counts for monitoring, read from the store so that every node reports the same.
struct StoreStatistics {
  std::int64_t cases = 0;
  std::int64_t transitions = 0;  // transition events
  std::map<std::string, std::int64_t> deadline_events;  // by event kind, such as deadline_breached
  std::int64_t outbox_pending = 0;  // notifications not delivered yet
  std::int64_t last_event_id = 0;
};

struct WorkflowState {
  std::string workflow_id;
  std::string state;
};

// From `from` (included) to `until` (excluded).
struct InstantRange {
  Instant from{};
  Instant until{};
};

// The order of a case list. Cases without an open deadline come last by next_due_at.
enum class CaseOrder { created_at, updated_at, id, state_entered_at, next_due_at };

struct CaseQuery {
  CaseScope scope;
  std::optional<std::string> workflow_id;
  std::optional<std::string> state;
  std::int64_t limit = 50;
  std::int64_t offset = 0;
  std::optional<bool> closed;  // only closed, or only open, cases
  std::optional<std::string> district;  // data.district is this district id
  // The id or a top-level text value of the data contains this, ignoring ASCII case.
  std::optional<std::string> text;
  // An organisation that is a party to the case, such as a firm: granted it, or acted on it.
  std::optional<std::string> party_org;
  std::optional<DeadlineLight> light;    // CaseListing::light is this
  std::vector<WorkflowState> any_of_states;  // in one of these states; empty means any state
  // Waiting for this role: in one of `waiting_states`, or with an open deadline the role must meet.
  std::optional<std::string> waiting_role;
  std::vector<WorkflowState> waiting_states;
  std::optional<InstantRange> created;        // created_at in this range
  std::optional<InstantRange> state_entered;  // CaseListing::state_entered_at in this range
  CaseOrder order = CaseOrder::created_at;
  bool descending = false;  // id still breaks ties in ascending order
};

template <class T>
struct Page {
  std::vector<T> items;
  std::int64_t total = 0;
};

// The cases of one workflow in one state, within a scope, for a pipeline by stage.
struct StateCount {
  std::string workflow_id;
  std::string state;
  // When each case entered the state (its latest event that changed the state to it), oldest
  // first. The size is the number of cases.
  std::vector<Instant> entered_at;
};

// A stored workflow definition, so that the versions running cases pinned stay loadable after
// the files change.
struct StoredDefinition {
  std::string workflow_id;
  int version = 0;
  std::string sha256;
  std::string source_file;
  std::string yaml_text;
};

// Filters of the deadline list. `status` is a deadline_status_name ("armed", "warned",
// "breached", "escalated", "paused", "met", "cancelled") or one of the groups "open" (not met or
// cancelled), "warning" (warned), "overdue" (breached or escalated) and "paused".
struct DeadlineQuery {
  CaseScope scope;  // deadlines of cases in this scope
  std::optional<std::string> status;
  std::optional<std::string> agency_id;
  std::optional<Instant> due_before;  // due_at earlier than this
  std::vector<std::string> responsible_roles;  // any of these roles; empty means every role
  std::optional<std::string> district;  // deadlines of cases whose data.district is this
  std::int64_t limit = 50;
  std::int64_t offset = 0;
};

// A notification waiting to be delivered (warnings, breaches and escalations of deadlines). Rows
// are written in the transaction that records the event, so a notification exists exactly when
// its event does.
struct OutboxMessage {
  std::int64_t id = 0;  // assigned by the store
  std::int64_t event_id = 0;
  std::string case_id;
  std::int64_t deadline_id = 0;
  std::string kind;  // the event kind, such as "deadline_breached"
  nlohmann::json recipients = nlohmann::json::array();  // [{"role": ..., "agency": ...}]
  nlohmann::json payload = nlohmann::json::object();
  Instant created_at{};
  std::optional<Instant> delivered_at;
};

// A warning, breach or escalation to record: its case event and its notification.
struct DeadlineFiringWrite {
  StoredEvent event;      // the store sets id, case_version, from_state and to_state
  OutboxMessage message;  // the store sets id and event_id
};

// One unit of work. Everything written through it becomes visible at commit() or not at all:
// destroying it without commit() rolls back.
class CaseTransaction {
 public:
  virtual ~CaseTransaction() = default;

  virtual std::optional<StoredCase> find_case(std::string_view case_id) = 0;
  virtual std::vector<CaseLink> links_of(std::string_view case_id) = 0;
  virtual void insert_case(const StoredCase& stored_case) = 0;
  // Writes the projection if the stored version is still `expected_version`; false otherwise.
  virtual bool update_case(const StoredCase& stored_case, std::int64_t expected_version) = 0;
  // Appends an event and returns the id the store assigned to it.
  virtual std::int64_t append_event(const StoredEvent& event) = 0;
  virtual void insert_link(const CaseLink& link) = 0;
  // A per-workflow counter for generated case ids; increments on every call.
  virtual std::int64_t next_case_number(std::string_view workflow_id) = 0;

  // Every cycle of every deadline of the case, ordered by id.
  virtual std::vector<DeadlineRecord> deadlines_of(std::string_view case_id) = 0;
  // Inserts a new cycle and returns the id the store assigned.
  virtual std::int64_t insert_deadline(const DeadlineRecord& record) = 0;
  // Writes the record with version `expected_version` + 1 if the stored version is still
  // `expected_version`; false otherwise.
  virtual bool update_deadline(const DeadlineRecord& record, std::int64_t expected_version) = 0;
  // Open deadlines whose next_fire_at is at or before `now`, earliest first, at most `limit`.
  virtual std::vector<DeadlineRecord> due_deadlines(Instant now, std::int64_t limit) = 0;
  // Open deadlines whose due date relies on a year with no calendar loaded.
  virtual std::vector<DeadlineRecord> provisional_deadlines() = 0;
  virtual std::int64_t insert_outbox(const OutboxMessage& message) = 0;
  // Records that event `event_id` handed in the documents. Returns false when one of them is not
  // a document of `case_id` or was handed in before; the caller must then roll back.
  virtual bool attach_documents(std::string_view case_id, const std::vector<std::string>& document_ids,
                                std::int64_t event_id) = 0;
  // Records firings in order: for each, raises its case's version by one, appends the event at
  // that version (from and to the case's current state) and then its outbox message. Fills in
  // the ids and versions the store assigned and returns the event ids. Throws StoreError when a
  // case does not exist.
  virtual std::vector<std::int64_t> record_deadline_firings(std::vector<DeadlineFiringWrite>& firings) = 0;
  // Writes the lifecycle of each record (state, escalation level, next_fire_at, updated_at),
  // which is all a firing changes, expecting the record's own `version`. Returns false at the
  // first record whose stored version changed; the caller must then roll back.
  virtual bool update_deadline_lifecycles(const std::vector<DeadlineRecord>& records) = 0;

  virtual void commit() = 0;
};

class CaseStore {
 public:
  virtual ~CaseStore() = default;

  // Starts a write transaction. Writers are serialised; this may wait for another writer.
  virtual std::unique_ptr<CaseTransaction> begin() = 0;

  virtual std::optional<StoredCase> find_case(std::string_view case_id) = 0;
  // Whether the case exists and is in `scope`.
  virtual bool case_in_scope(std::string_view case_id, const CaseScope& scope) = 0;
  // Records a grant in its own write transaction. Returns false when the organisation already
  // held one for the case. Throws StoreError when the case does not exist.
  virtual bool add_case_party(const CaseParty& party) = 0;
  // Ordered by grant time, then organisation id.
  virtual std::vector<CaseParty> parties_of(std::string_view case_id) = 0;
  // Records an uploaded document in its own write transaction. Throws StoreError when the case
  // does not exist or the id is taken.
  virtual void insert_document(const StoredDocument& document) = 0;
  virtual std::optional<StoredDocument> find_document(std::string_view document_id) = 0;
  // In upload order.
  virtual std::vector<StoredDocument> documents_of(std::string_view case_id) = 0;
  // In the query's order.
  virtual Page<StoredCase> list_cases(const CaseQuery& query) = 0;
  // The same cases with what a list shows of them.
  virtual Page<ListedCase> list_case_listings(const CaseQuery& query) = 0;
  virtual std::vector<CaseLink> links_of(std::string_view case_id) = 0;
  // Ordered by event id.
  // Events with an id above `after_id` on cases in `scope`, ordered by id, at most `limit`: the
  // feed of webhooks and the event stream.
  virtual std::vector<StoredEvent> events_after(std::int64_t after_id, const CaseScope& scope, std::int64_t limit) = 0;
  // The highest event id, or 0 when there is none.
  virtual std::int64_t last_event_id() = 0;
  virtual StoreStatistics statistics() = 0;
  // The cases in `scope`, grouped by workflow and state, ordered by workflow, then state.
  virtual std::vector<StateCount> cases_by_state(const CaseScope& scope) = 0;
  virtual Page<StoredEvent> events_of(std::string_view case_id, std::int64_t limit,
                                      std::int64_t offset) = 0;

  // Records a definition. Returns false when (workflow_id, version) is already stored with a
  // different sha256, which means a file changed without a version bump.
  virtual bool save_definition(const StoredDefinition& definition) = 0;
  virtual std::vector<StoredDefinition> definitions() = 0;

  // Every cycle of every deadline of the case, ordered by id.
  virtual std::vector<DeadlineRecord> deadlines_of(std::string_view case_id) = 0;
  // Ordered by due_at, then id.
  virtual Page<DeadlineRecord> list_deadlines(const DeadlineQuery& query) = 0;
  // The earliest next_fire_at of all open deadlines, for the scheduler's timer.
  virtual std::optional<Instant> next_deadline_fire_at() = 0;
  // Ordered by id.
  virtual Page<OutboxMessage> outbox(std::int64_t limit, std::int64_t offset) = 0;
};

}  // namespace sitecycle
