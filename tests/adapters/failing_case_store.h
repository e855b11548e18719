// A CaseStore wrapper that forwards to a real store and throws StoreError on one chosen call.
// A test fails call 1, then 2, 3 and so on until the command completes without reaching the
// armed call, so every failure point of the command is walked.
//
// Calls are counted across the store and every transaction it hands out, commit() included,
// starting from the last fail_at_call(). The armed call throws before it reaches the real
// store. The command then destroys its transaction uncommitted, which rolls back what the
// earlier calls wrote.
//
// Single-threaded: the counter is not synchronised.
#pragma once

#include "engine/case_store.h"
#include "engine/result.h"

#include <fmt/format.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sitecycle::testing {

class FailingCaseStore final : public CaseStore {
 public:
  // `inner` must outlive this object and every transaction it returns.
  explicit FailingCaseStore(CaseStore& inner) : inner_(inner) {}

  // Resets the call count and makes call number `call` (1-based) throw. 0 fails no call.
  void fail_at_call(int call) {
    fail_at_ = call;
    calls_ = 0;
    failed_operation_.reset();
  }

  // Calls counted since the last fail_at_call(), the failing one included.
  int calls() const { return calls_; }
  // The operation that threw, or nullopt when the armed call was not reached.
  const std::optional<std::string>& failed_operation() const { return failed_operation_; }

  // Counts one call of `operation` and throws StoreError if it is the armed one.
  void count_call(std::string_view operation) {
    ++calls_;
    if (calls_ != fail_at_) return;
    failed_operation_ = std::string(operation);
    throw StoreError(fmt::format("injected store failure at call {} ({})", calls_, operation));
  }

  std::unique_ptr<CaseTransaction> begin() override;

  std::optional<StoredCase> find_case(std::string_view case_id) override {
    count_call("store.find_case");
    return inner_.find_case(case_id);
  }
  bool case_in_scope(std::string_view case_id, const CaseScope& scope) override {
    count_call("store.case_in_scope");
    return inner_.case_in_scope(case_id, scope);
  }
  bool add_case_party(const CaseParty& party) override {
    count_call("store.add_case_party");
    return inner_.add_case_party(party);
  }
  std::vector<CaseParty> parties_of(std::string_view case_id) override {
    count_call("store.parties_of");
    return inner_.parties_of(case_id);
  }
  void insert_document(const StoredDocument& document) override {
    count_call("store.insert_document");
    inner_.insert_document(document);
  }
  std::optional<StoredDocument> find_document(std::string_view document_id) override {
    count_call("store.find_document");
    return inner_.find_document(document_id);
  }
  std::vector<StoredDocument> documents_of(std::string_view case_id) override {
    count_call("store.documents_of");
    return inner_.documents_of(case_id);
  }
  Page<StoredCase> list_cases(const CaseQuery& query) override {
    count_call("store.list_cases");
    return inner_.list_cases(query);
  }
  Page<ListedCase> list_case_listings(const CaseQuery& query) override {
    count_call("store.list_case_listings");
    return inner_.list_case_listings(query);
  }
  std::vector<CaseLink> links_of(std::string_view case_id) override {
    count_call("store.links_of");
    return inner_.links_of(case_id);
  }
  Page<StoredEvent> events_of(std::string_view case_id, std::int64_t limit, std::int64_t offset) override {
    count_call("store.events_of");
    return inner_.events_of(case_id, limit, offset);
  }
  std::vector<StoredEvent> events_after(std::int64_t after_id, const CaseScope& scope, std::int64_t limit) override {
    count_call("store.events_after");
    return inner_.events_after(after_id, scope, limit);
  }
  std::int64_t last_event_id() override {
    count_call("store.last_event_id");
    return inner_.last_event_id();
  }
  StoreStatistics statistics() override {
    count_call("store.statistics");
    return inner_.statistics();
  }
  std::vector<StateCount> cases_by_state(const CaseScope& scope) override {
    count_call("store.cases_by_state");
    return inner_.cases_by_state(scope);
  }
  bool save_definition(const StoredDefinition& definition) override {
    count_call("store.save_definition");
    return inner_.save_definition(definition);
  }
  std::vector<StoredDefinition> definitions() override {
    count_call("store.definitions");
    return inner_.definitions();
  }
  std::vector<DeadlineRecord> deadlines_of(std::string_view case_id) override {
    count_call("store.deadlines_of");
    return inner_.deadlines_of(case_id);
  }
  Page<DeadlineRecord> list_deadlines(const DeadlineQuery& query) override {
    count_call("store.list_deadlines");
    return inner_.list_deadlines(query);
  }
  std::optional<Instant> next_deadline_fire_at() override {
    count_call("store.next_deadline_fire_at");
    return inner_.next_deadline_fire_at();
  }
  Page<OutboxMessage> outbox(std::int64_t limit, std::int64_t offset) override {
    count_call("store.outbox");
    return inner_.outbox(limit, offset);
  }

 private:
  CaseStore& inner_;
  int fail_at_ = 0;
  int calls_ = 0;
  std::optional<std::string> failed_operation_;
};

class FailingCaseTransaction final : public CaseTransaction {
 public:
  FailingCaseTransaction(std::unique_ptr<CaseTransaction> inner, FailingCaseStore& counter)
      : inner_(std::move(inner)), counter_(counter) {}

  std::optional<StoredCase> find_case(std::string_view case_id) override {
    counter_.count_call("find_case");
    return inner_->find_case(case_id);
  }
  std::vector<CaseLink> links_of(std::string_view case_id) override {
    counter_.count_call("links_of");
    return inner_->links_of(case_id);
  }
  void insert_case(const StoredCase& stored_case) override {
    counter_.count_call("insert_case");
    inner_->insert_case(stored_case);
  }
  bool update_case(const StoredCase& stored_case, std::int64_t expected_version) override {
    counter_.count_call("update_case");
    return inner_->update_case(stored_case, expected_version);
  }
  std::int64_t append_event(const StoredEvent& event) override {
    counter_.count_call("append_event");
    return inner_->append_event(event);
  }
  void insert_link(const CaseLink& link) override {
    counter_.count_call("insert_link");
    inner_->insert_link(link);
  }
  std::int64_t next_case_number(std::string_view workflow_id) override {
    counter_.count_call("next_case_number");
    return inner_->next_case_number(workflow_id);
  }
  std::vector<DeadlineRecord> deadlines_of(std::string_view case_id) override {
    counter_.count_call("deadlines_of");
    return inner_->deadlines_of(case_id);
  }
  std::int64_t insert_deadline(const DeadlineRecord& record) override {
    counter_.count_call("insert_deadline");
    return inner_->insert_deadline(record);
  }
  bool update_deadline(const DeadlineRecord& record, std::int64_t expected_version) override {
    counter_.count_call("update_deadline");
    return inner_->update_deadline(record, expected_version);
  }
  std::vector<DeadlineRecord> due_deadlines(Instant now, std::int64_t limit) override {
    counter_.count_call("due_deadlines");
    return inner_->due_deadlines(now, limit);
  }
  std::vector<DeadlineRecord> provisional_deadlines() override {
    counter_.count_call("provisional_deadlines");
    return inner_->provisional_deadlines();
  }
  std::int64_t insert_outbox(const OutboxMessage& message) override {
    counter_.count_call("insert_outbox");
    return inner_->insert_outbox(message);
  }
  bool attach_documents(std::string_view case_id, const std::vector<std::string>& document_ids,
                        std::int64_t event_id) override {
    counter_.count_call("attach_documents");
    return inner_->attach_documents(case_id, document_ids, event_id);
  }
  std::vector<std::int64_t> record_deadline_firings(std::vector<DeadlineFiringWrite>& firings) override {
    counter_.count_call("record_deadline_firings");
    return inner_->record_deadline_firings(firings);
  }
  bool update_deadline_lifecycles(const std::vector<DeadlineRecord>& records) override {
    counter_.count_call("update_deadline_lifecycles");
    return inner_->update_deadline_lifecycles(records);
  }
  void commit() override {
    counter_.count_call("commit");
    inner_->commit();
  }

 private:
  std::unique_ptr<CaseTransaction> inner_;
  FailingCaseStore& counter_;
};

inline std::unique_ptr<CaseTransaction> FailingCaseStore::begin() {
  count_call("begin");
  return std::make_unique<FailingCaseTransaction>(inner_.begin(), *this);
}

}  // namespace sitecycle::testing
