// A case service on a real SQLite file, loaded with the workflows under tests/data/api, and
// helpers to build requests and read responses for the HTTP API tests.
#pragma once

#include "adapters/clock.h"
#include "adapters/sql_case_store.h"
#include "adapters/document_files.h"
#include "adapters/sql_idempotency_store.h"
#include "adapters/sql_identity_store.h"
#include "adapters/sql_webhook_store.h"
#include "api/http/api_router.h"
#include "api/http/http_message.h"
#include "engine/case_service.h"
#include "engine/diagnostic.h"
#include "engine/workflow_loader.h"
#include "engine/workflow_registry.h"
#include "engine/workflow_validator.h"
#include "tests/adapters/temp_directory.h"
#include "tests/api/test_identities.h"

#include <nlohmann/json.hpp>

#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>

namespace sitecycle::testing {

inline std::string read_api_fixture(const std::string& name) {
  std::string path = std::string(SITECYCLE_TEST_DATA_DIR) + "/api/" + name;
  std::ifstream stream(path);
  if (!stream) throw std::runtime_error("cannot read fixture " + path);
  std::ostringstream content;
  content << stream.rdbuf();
  return content.str();
}

inline std::string render_diagnostics(const Diagnostics& diagnostics) {
  std::string all;
  for (const Diagnostic& diagnostic : diagnostics) all += diagnostic.to_string() + "\n";
  return all;
}

// The registry of tests/data/api: workflows site and investigation, roles land_bureau,
// consultant and district_eeb. Throws with every diagnostic when a fixture is invalid.
inline std::shared_ptr<const WorkflowRegistry> api_registry() {
  Diagnostics diagnostics;
  std::optional<RoleCatalog> roles = parse_roles(read_api_fixture("roles.yaml"), "roles.yaml", diagnostics);
  std::vector<WorkflowPtr> workflows;
  for (const char* name : {"site.yaml", "investigation.yaml"}) {
    std::optional<Workflow> workflow = parse_workflow(read_api_fixture(name), name, diagnostics);
    if (workflow) workflows.push_back(std::make_shared<const Workflow>(std::move(*workflow)));
  }
  if (roles) validate_workflows(workflows, *roles, diagnostics);
  if (!roles || !diagnostics.empty()) {
    throw std::runtime_error("API fixtures are invalid:\n" + render_diagnostics(diagnostics));
  }
  return std::make_shared<const WorkflowRegistry>(std::move(workflows), std::move(*roles));
}

// 2026-03-16T01:30:00Z, a Monday.
inline Instant test_start_instant() {
  return Instant{std::chrono::sys_days{std::chrono::year{2026} / 3 / 16}} + std::chrono::hours{1} +
         std::chrono::minutes{30};
}

// The stores the router needs beside the case store, on the same database file, and the
// document files in a folder.
struct ApiSideStores {
  ApiSideStores(const std::string& database, const std::filesystem::path& documents_folder)
      : identities(database), idempotency(database), webhooks(database), documents(documents_folder) {}

  SqlIdentityStore identities;
  SqlIdempotencyStore idempotency;
  SqlWebhookStore webhooks;
  DocumentFiles documents;
};

// A role no workflow names: its user may read every case and fire nothing.
inline constexpr const char* kObserverRole = "observer";

// `headers` with the observer's token added when they carry no Authorization header, and
// without the header when it is empty (anonymous_headers()).
inline Headers with_default_token(Headers headers) {
  auto authorization = headers.find("authorization");
  if (authorization == headers.end()) {
    headers.merge(actor_headers(kObserverRole));
  } else if (authorization->second.empty()) {
    headers.erase(authorization);
  }
  return headers;
}

// Every role of `registry`, plus the observer, "system" and a role missing from roles.yaml
// ("mayor"), so that tests can show the runtime rejecting the last two.
inline std::vector<std::string> test_roles(const WorkflowRegistry& registry) {
  std::vector<std::string> roles{kObserverRole, "system", "mayor"};
  for (const auto& [role, title] : registry.roles().roles) {
    if (role != "system") roles.push_back(role);
  }
  return roles;
}

inline Headers with_language(Headers headers, const std::string& accept_language) {
  headers["accept-language"] = accept_language;
  return headers;
}

inline http::HttpRequest make_request(const std::string& method, const std::string& target,
                                      const std::string& body = {}, const Headers& headers = {}) {
  http::HttpRequest request;
  request.method = method;
  request.target = target;
  http::split_target(target, request);
  for (const auto& [name, value] : headers) request.headers[name] = value;
  request.body = body;
  return request;
}

inline nlohmann::json body_of(const http::HttpResponse& response) {
  return nlohmann::json::parse(response.body);
}

inline std::string header_of(const http::HttpResponse& response, const std::string& name) {
  const std::string* value = response.header(name);
  return value ? *value : std::string("<absent>");
}

// A store on a file in a temporary directory, a service over it, a manual clock and a router.
class ApiFixture {
 public:
  explicit ApiFixture(http::ApiSettings settings = {})
      : store_(open_sqlite_store(directory_.file("cases.db"))),
        side_(directory_.file("cases.db"), directory_.path() / "documents"),
        registry_(api_registry()),
        service_(registry_, *store_),
        clock_(test_start_instant()),
        router_({service_, side_.identities, side_.idempotency, side_.webhooks, side_.documents, clock_}, settings) {
    add_test_users(side_.identities, test_city_bureau(test_start_instant()), test_roles(*registry_));
  }

  // Without an Authorization header in `headers`, the request carries the observer's token.
  http::HttpResponse get(const std::string& target, const Headers& headers = {}) const {
    return router_.handle(make_request("GET", target, {}, with_default_token(headers)));
  }

  http::HttpResponse post(const std::string& target, const std::string& body,
                          const Headers& headers) const {
    return router_.handle(make_request("POST", target, body, with_default_token(headers)));
  }

  http::HttpResponse post(const std::string& target, const nlohmann::json& body,
                          const Headers& headers) const {
    return post(target, body.dump(), headers);
  }

  // Creates a site named `name` as land_bureau and returns its id; throws unless 201.
  std::string create_site(const std::string& name, int planned_class = 1) const {
    nlohmann::json body{{"workflow", "site"},
                        {"data", {{"name", name}, {"planned_class", planned_class}}}};
    http::HttpResponse response = post("/api/v1/cases", body, actor_headers("land_bureau"));
    if (response.status != 201) throw std::runtime_error("creating a site failed: " + response.body);
    return body_of(response).at("id").get<std::string>();
  }

  // Fires a transition and throws unless the response status is 200.
  nlohmann::json fire(const std::string& case_id, const std::string& transition,
                      const std::string& role, const nlohmann::json& body = nlohmann::json::object()) const {
    http::HttpResponse response =
        post("/api/v1/cases/" + case_id + "/transitions/" + transition, body, actor_headers(role));
    if (response.status != 200) {
      throw std::runtime_error("firing " + transition + " failed: " + response.body);
    }
    return body_of(response);
  }

  // Uploads `content` to the case as a document of `kind` and returns its id; throws unless 201.
  std::string upload(const std::string& case_id, const std::string& kind, const std::string& role,
                     const std::string& content = "%PDF-1.7 test report") const {
    Headers headers = actor_headers(role);
    headers["content-type"] = "application/pdf";
    http::HttpResponse response =
        router_.handle(make_request("POST", "/api/v1/cases/" + case_id + "/documents?kind=" + kind, content, headers));
    if (response.status != 201) throw std::runtime_error("uploading a document failed: " + response.body);
    return body_of(response).at("id").get<std::string>();
  }

  // The id of the case linked to `case_id` under `role`, or "" when there is none.
  std::string linked_case(const std::string& case_id, const std::string& role) const {
    nlohmann::json detail = body_of(get("/api/v1/cases/" + case_id));
    for (const nlohmann::json& link : detail.at("links")) {
      if (link.at("role") == role) return link.at("case_id").get<std::string>();
    }
    return "";
  }

  // "state vVERSION, N events": what a rejected command must leave unchanged.
  std::string case_footprint(const std::string& case_id) const {
    std::optional<StoredCase> stored = store_->find_case(case_id);
    if (!stored) return "missing";
    Page<StoredEvent> events = store_->events_of(case_id, 500, 0);
    return stored->state + " v" + std::to_string(stored->version) + ", " +
           std::to_string(events.total) + " events";
  }

  std::int64_t total_cases() const { return store_->list_cases(CaseQuery{}).total; }

  const http::ApiRouter& router() const { return router_; }
  ManualClock& clock() { return clock_; }
  SqlIdentityStore& identities() { return side_.identities; }
  const DocumentFiles& documents() const { return side_.documents; }
  SqlWebhookStore& webhooks() { return side_.webhooks; }
  SqlCaseStore& store() { return *store_; }

 private:
  TempDirectory directory_;
  std::unique_ptr<SqlCaseStore> store_;
  ApiSideStores side_;
  std::shared_ptr<const WorkflowRegistry> registry_;
  CaseService service_;
  ManualClock clock_;
  http::ApiRouter router_;
};

}  // namespace sitecycle::testing
