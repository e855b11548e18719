// The HTTP API over the shipped workflows/ folder with deadline clocks running: the real
// calendars and agencies, a SQLite file, a manual clock, and a second router over the same store
// whose service has no deadline tracker.
#pragma once

#include "adapters/clock.h"
#include "adapters/deadline_setup.h"
#include "adapters/sql_case_store.h"
#include "adapters/sql_identity_store.h"
#include "adapters/workflow_files.h"
#include "api/http/api_router.h"
#include "api_fixture.h"
#include "engine/case_service.h"
#include "engine/deadline_service.h"
#include "tests/adapters/temp_directory.h"

#include <nlohmann/json.hpp>

#include <memory>
#include <stdexcept>
#include <string>

namespace sitecycle::testing {

// Noon in Shanghai (04:00 UTC) on `date`.
inline Instant shanghai_noon(Date date) {
  return Instant{std::chrono::sys_days{date}} + std::chrono::hours{4};
}

inline std::shared_ptr<const WorkflowRegistry> shipped_registry(CaseStore& store) {
  LoadedWorkflows loaded = load_workflow_folder(std::string(SITECYCLE_SOURCE_DIR) + "/workflows");
  Diagnostics diagnostics = loaded.diagnostics;
  std::shared_ptr<const WorkflowRegistry> registry = pin_workflows(loaded, store, diagnostics);
  if (!diagnostics.empty()) throw std::runtime_error("workflows/ has problems:\n" + render_diagnostics(diagnostics));
  return registry;
}

inline std::unique_ptr<DeadlineEnvironment> shipped_deadline_environment(const WorkflowRegistry& registry) {
  LoadedDeadlineEnvironment loaded =
      load_deadline_environment(std::string(SITECYCLE_SOURCE_DIR) + "/workflows", registry.latest_all());
  if (!loaded.environment) {
    throw std::runtime_error("workflows/ calendars or agencies have problems:\n" +
                             render_diagnostics(loaded.diagnostics));
  }
  return std::move(loaded.environment);
}

class DeadlineApiFixture {
 public:
  DeadlineApiFixture()
      : store_(open_sqlite_store(directory_.file("cases.db"))),
        side_(directory_.file("cases.db"), directory_.path() / "documents"),
        registry_(shipped_registry(*store_)),
        environment_(shipped_deadline_environment(*registry_)),
        service_(registry_, *store_, environment_->tracker.get()),
        service_without_tracker_(registry_, *store_),
        deadline_service_(registry_, *store_, *environment_->tracker),
        clock_(shanghai_noon(std::chrono::year{2026} / 2 / 10)),
        router_({service_, side_.identities, side_.idempotency, side_.webhooks, side_.documents, clock_}),
        router_without_tracker_({service_without_tracker_, side_.identities, side_.idempotency, side_.webhooks, side_.documents, clock_}) {
    add_test_users(side_.identities, test_city_bureau(clock_.now().instant), test_roles(*registry_));
  }

  // Without an Authorization header in `headers`, the request carries the observer's token.
  http::HttpResponse get(const std::string& target, const Headers& headers = {}) const {
    return router_.handle(make_request("GET", target, {}, with_default_token(headers)));
  }

  // The same request to a server that runs without deadline calendars.
  http::HttpResponse get_without_tracker(const std::string& target, const Headers& headers = {}) const {
    return router_without_tracker_.handle(make_request("GET", target, {}, with_default_token(headers)));
  }

  // Fires a transition through the API at the clock's time; throws unless the status is 200.
  nlohmann::json fire(const std::string& case_id, const std::string& transition, const std::string& role,
                      const nlohmann::json& input = nlohmann::json::object()) const {
    nlohmann::json body{{"input", input}};
    http::HttpResponse response = router_.handle(make_request(
        "POST", "/api/v1/cases/" + case_id + "/transitions/" + transition, body.dump(), actor_headers(role)));
    if (response.status != 200) throw std::runtime_error("firing " + transition + " failed: " + response.body);
    return body_of(response);
  }

  // Creates an investigation in `district` and takes it to report_submitted, every step at the
  // clock's time. Returns its id.
  std::string submitted_investigation(const std::string& id, const std::string& district) const {
    nlohmann::json body{{"workflow", "investigation"},
                        {"id", id},
                        {"data",
                         {{"trigger", "voluntary"},
                          {"planned_class", 1},
                          {"parcel_name", "测试地块 " + id},
                          {"district", district}}}};
    http::HttpResponse response =
        router_.handle(make_request("POST", "/api/v1/cases", body.dump(), actor_headers("land_holder")));
    if (response.status != 201) throw std::runtime_error("creating an investigation failed: " + response.body);

    fire(id, "engage_consultant", "land_holder", {{"consultant", "测试调查评估单位"}});
    fire(id, "start_phase1", "consultant");
    fire(id, "start_sampling", "consultant");
    http::HttpResponse uploaded = router_.handle(make_request(
        "POST", "/api/v1/cases/" + id + "/documents?kind=investigation_report", "%PDF-1.7 report", actor_headers("consultant")));
    if (uploaded.status != 201) throw std::runtime_error("uploading the report failed: " + uploaded.body);
    fire(id, "submit_report", "consultant", {{"conclusion", "clean"}, {"evaluated_class", 1}});
    return id;
  }

  // As submitted_investigation, then accepted for review, which starts the review clock.
  std::string investigation_under_review(const std::string& id, const std::string& district) const {
    submitted_investigation(id, district);
    fire(id, "accept_for_review", "district_eeb");
    return id;
  }

  // Fires the warnings, breaches and escalations due at the clock's time, as the server's
  // scheduler would.
  void fire_due_deadlines() {
    Result<std::vector<DeadlineFiringRecord>> fired = deadline_service_.fire_due(clock_.now());
    if (!fired) throw std::runtime_error("firing due deadlines failed: " + fired.problem().detail.en);
  }

  void set_clock(Date date) { clock_.set(shanghai_noon(date)); }

  const http::ApiRouter& router() const { return router_; }
  CaseStore& store() { return *store_; }
  const DeadlineTracker& tracker() const { return *environment_->tracker; }

 private:
  TempDirectory directory_;
  std::unique_ptr<SqlCaseStore> store_;
  ApiSideStores side_;
  std::shared_ptr<const WorkflowRegistry> registry_;
  std::unique_ptr<DeadlineEnvironment> environment_;
  CaseService service_;
  CaseService service_without_tracker_;
  DeadlineService deadline_service_;
  ManualClock clock_;
  http::ApiRouter router_;
  http::ApiRouter router_without_tracker_;
};

}  // namespace sitecycle::testing
