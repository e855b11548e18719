// A case service on a fresh SQLite file, and helpers that build requests and read the store
// back as readable lines, for the CaseService tests.
#pragma once

#include "adapters/sql_case_store.h"
#include "adapters/workflow_files.h"
#include "engine/case_service.h"
#include "temp_directory.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sitecycle::testing {

namespace fs = std::filesystem;

// 2026-03-16T01:30:00Z, a Monday. The local date in Shanghai is the same day.
inline Moment test_moment() {
  const std::chrono::sys_days day = std::chrono::year{2026} / 3 / 16;
  return Moment{Instant{day} + std::chrono::hours{1} + std::chrono::minutes{30}, std::chrono::year_month_day{day}};
}

inline Actor actor(const std::string& role) { return Actor{role, "pudong_office", "wang.li"}; }

inline fs::path basic_workflows() { return fs::path(SITECYCLE_TEST_DATA_DIR) / "workflows" / "basic"; }
inline fs::path shipped_workflows() { return fs::path(SITECYCLE_SOURCE_DIR) / "workflows"; }

inline std::string read_text(const fs::path& file) {
  std::ifstream stream(file, std::ios::binary);
  if (!stream) throw std::runtime_error("cannot read " + file.string());
  std::ostringstream content;
  content << stream.rdbuf();
  return content.str();
}

inline void write_text(const fs::path& file, const std::string& text) {
  std::ofstream stream(file, std::ios::binary | std::ios::trunc);
  stream << text;
  if (!stream) throw std::runtime_error("cannot write " + file.string());
}

// Replaces the one occurrence of `from` in `file`. Throws when `from` is missing or occurs more
// than once, so an edit of a fixture copy cannot silently miss.
inline void replace_once(const fs::path& file, std::string_view from, std::string_view to) {
  std::string text = read_text(file);
  std::size_t at = text.find(from);
  if (at == std::string::npos || text.find(from, at + 1) != std::string::npos) {
    throw std::runtime_error(fmt::format("expected exactly one \"{}\" in {}", from, file.string()));
  }
  text.replace(at, from.size(), to);
  write_text(file, text);
}

inline fs::path copy_workflows(const fs::path& source, const fs::path& target) {
  fs::copy(source, target, fs::copy_options::recursive);
  return target;
}

// Loads a workflow folder and pins its definitions in `store`. Throws with every diagnostic when
// there is any, so a broken fixture names its problem.
inline std::shared_ptr<const WorkflowRegistry> load_and_pin(const fs::path& folder, CaseStore& store) {
  LoadedWorkflows loaded = load_workflow_folder(folder);
  Diagnostics diagnostics = loaded.diagnostics;
  std::shared_ptr<const WorkflowRegistry> registry = pin_workflows(loaded, store, diagnostics);
  if (!diagnostics.empty()) {
    std::string all;
    for (const Diagnostic& diagnostic : diagnostics) all += diagnostic.to_string() + "\n";
    throw std::runtime_error("workflows in " + folder.string() + " have problems:\n" + all);
  }
  return registry;
}

// Every case in the store with its events and links, one line each with every field, read
// through the store's own queries. Two dumps are equal exactly when the cases, events and links
// tables hold the same rows.
inline std::string dump_store(CaseStore& store) {
  CaseQuery query;
  query.limit = 1000;
  Page<StoredCase> cases = store.list_cases(query);
  if (cases.total != static_cast<std::int64_t>(cases.items.size())) {
    throw std::runtime_error("the store holds more than the 1000 cases dump_store reads");
  }

  std::string dump;
  for (const StoredCase& stored : cases.items) {
    dump += fmt::format("case {} {}@{} state={} version={} closed={} created={} updated={} data={}\n", stored.id,
                        stored.workflow_id, stored.workflow_version, stored.state, stored.version, stored.closed,
                        format_instant(stored.created_at), format_instant(stored.updated_at), stored.data.dump());
    for (const StoredEvent& event : store.events_of(stored.id, 1000, 0).items) {
      dump += fmt::format("  event {} v{} {} '{}' {}->{} by {}/{}/{} at {} input={} comment='{}' effects={}\n",
                          event.id, event.case_version, event.kind, event.transition, event.from_state,
                          event.to_state, event.actor.role, event.actor.org, event.actor.user,
                          format_instant(event.at), event.input.dump(), event.comment, event.effects.dump());
    }
    for (const CaseLink& link : store.links_of(stored.id)) {
      dump += fmt::format("  link {} -> {} at {}\n", link.role, link.linked_case_id, format_instant(link.created_at));
    }
  }
  return dump;
}

// The events of a case, oldest first, as "v2 transition propose_sale open->sale_proposed by clerk".
inline std::vector<std::string> event_lines(CaseStore& store, std::string_view case_id) {
  std::vector<std::string> lines;
  for (const StoredEvent& event : store.events_of(case_id, 1000, 0).items) {
    std::string transition = event.transition.empty() ? std::string() : event.transition + " ";
    lines.push_back(fmt::format("v{} {} {}{}->{} by {}", event.case_version, event.kind, transition,
                                event.from_state, event.to_state, event.actor.role));
  }
  return lines;
}

// The links of a case, oldest first, as "survey -> survey_000001".
inline std::vector<std::string> link_lines(CaseStore& store, std::string_view case_id) {
  std::vector<std::string> lines;
  for (const CaseLink& link : store.links_of(case_id)) lines.push_back(link.role + " -> " + link.linked_case_id);
  return lines;
}

inline CreateCaseRequest lot_request(const std::string& name = "Lot A", int planned_class = 1) {
  CreateCaseRequest request;
  request.workflow_id = "lot";
  request.data = {{"name", name}, {"planned_class", planned_class}};
  request.actor = actor("clerk");
  request.comment = "entered from the 2026 land plan";
  return request;
}

inline FireRequest fire_request(const std::string& case_id, const std::string& transition,
                                const std::string& role, nlohmann::json input = nlohmann::json::object()) {
  FireRequest request;
  request.case_id = case_id;
  request.transition.transition = transition;
  request.transition.actor = actor(role);
  request.transition.input = std::move(input);
  request.transition.comment = "test step " + transition;
  return request;
}

// Unwraps the outcome of a setup command. Throws with the problem's code and text when it was
// rejected, so a failing setup step names its cause.
inline CommandOutcome require_ok(Result<CommandOutcome> result, std::string_view step) {
  if (!result) {
    throw std::runtime_error(fmt::format("{} was rejected with {}: {}", step, to_string(result.problem().code),
                                         result.problem().detail.en));
  }
  return std::move(result).value();
}

// A case service on a fresh SQLite file in a temporary directory, running the workflows of a
// folder (by default the basic fixture with lot and survey) pinned in that store.
class ServiceFixture {
 public:
  explicit ServiceFixture(const fs::path& workflows = basic_workflows())
      : store_(directory_.file("cases.db")), registry_(load_and_pin(workflows, store_)), service_(registry_, store_) {}

  SqlCaseStore& store() { return store_; }
  CaseService& service() { return service_; }
  const std::shared_ptr<const WorkflowRegistry>& registry() const { return registry_; }

  Result<CommandOutcome> create(const CreateCaseRequest& request) {
    return service_.create_case(request, test_moment());
  }
  Result<CommandOutcome> fire(const FireRequest& request) { return service_.fire(request, test_moment()); }

  // Creates a lot with a generated id and returns the id.
  std::string create_lot(const std::string& name = "Lot A") {
    return require_ok(create(lot_request(name)), "creating a lot").stored.id;
  }

  // Fires a transition that must succeed and returns the case after it.
  StoredCase fire_ok(const std::string& case_id, const std::string& transition, const std::string& role,
                     nlohmann::json input = nlohmann::json::object()) {
    return require_ok(fire(fire_request(case_id, transition, role, std::move(input))), transition).stored;
  }

  // Proposes the sale of a lot and returns the id of the survey it opens.
  std::string propose_sale(const std::string& lot_id) {
    CommandOutcome outcome = require_ok(fire(fire_request(lot_id, "propose_sale", "clerk")), "propose_sale");
    if (outcome.opened_cases.size() != 1) {
      throw std::runtime_error(fmt::format("propose_sale opened {} cases, expected one survey", outcome.opened_cases.size()));
    }
    return outcome.opened_cases.front();
  }

  void submit_survey(const std::string& survey_id) {
    fire_ok(survey_id, "submit", "surveyor", {{"evaluated_class", 1}});
  }

  StoredCase case_of(std::string_view case_id) {
    std::optional<StoredCase> stored = store_.find_case(case_id);
    if (!stored) throw std::runtime_error(fmt::format("case {} is not in the store", case_id));
    return *stored;
  }

  std::string dump() { return dump_store(store_); }

 private:
  TempDirectory directory_;  // declared first, so it outlives the store writing into it
  SqlCaseStore store_;
  std::shared_ptr<const WorkflowRegistry> registry_;
  CaseService service_;
};

}  // namespace sitecycle::testing
