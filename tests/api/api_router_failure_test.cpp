#include "api/http/api_router.h"

#include "api_fixture.h"

#include <catch2/catch.hpp>

#include <stdexcept>
#include <string>

using namespace sitecycle;
using sitecycle::testing::actor_headers;
using sitecycle::testing::body_of;
using sitecycle::testing::make_request;
using sitecycle::testing::with_language;
using nlohmann::json;

namespace {

constexpr const char* kSecret = "/var/secret/cases.db";

// A store whose every call fails, with a message that must never reach a client.
class BrokenStore final : public CaseStore {
 public:
  enum class Failure { store_error, bug };
  explicit BrokenStore(Failure failure) : failure_(failure) {}

  std::unique_ptr<CaseTransaction> begin() override { fail(); }
  std::optional<StoredCase> find_case(std::string_view) override { fail(); }
  bool case_in_scope(std::string_view, const CaseScope&) override { fail(); }
  bool add_case_party(const CaseParty&) override { fail(); }
  std::vector<CaseParty> parties_of(std::string_view) override { fail(); }
  void insert_document(const StoredDocument&) override { fail(); }
  std::optional<StoredDocument> find_document(std::string_view) override { fail(); }
  std::vector<StoredDocument> documents_of(std::string_view) override { fail(); }
  Page<StoredCase> list_cases(const CaseQuery&) override { fail(); }
  Page<ListedCase> list_case_listings(const CaseQuery&) override { fail(); }
  std::vector<CaseLink> links_of(std::string_view) override { fail(); }
  Page<StoredEvent> events_of(std::string_view, std::int64_t, std::int64_t) override { fail(); }
  std::vector<StoredEvent> events_after(std::int64_t, const CaseScope&, std::int64_t) override { fail(); }
  std::int64_t last_event_id() override { fail(); }
  StoreStatistics statistics() override { fail(); }
  std::vector<StateCount> cases_by_state(const CaseScope&) override { fail(); }
  bool save_definition(const StoredDefinition&) override { fail(); }
  std::vector<StoredDefinition> definitions() override { fail(); }
  std::vector<DeadlineRecord> deadlines_of(std::string_view) override { fail(); }
  Page<DeadlineRecord> list_deadlines(const DeadlineQuery&) override { fail(); }
  std::optional<Instant> next_deadline_fire_at() override { fail(); }
  Page<OutboxMessage> outbox(std::int64_t, std::int64_t) override { fail(); }

 private:
  [[noreturn]] void fail() const {
    if (failure_ == Failure::store_error) {
      throw StoreError(std::string("disk I/O error in ") + kSecret);
    }
    throw std::logic_error(std::string("unexpected state reading ") + kSecret);
  }

  Failure failure_;
};

struct BrokenApi {
  explicit BrokenApi(BrokenStore::Failure failure)
      : store(failure),
        side(":memory:", directory.path() / "documents"),
        service(testing::api_registry(), store),
        clock(testing::test_start_instant()),
        router({service, side.identities, side.idempotency, side.webhooks, side.documents, clock}) {
    testing::add_test_users(side.identities, testing::test_city_bureau(clock.now().instant), {"land_bureau"});
  }

  testing::TempDirectory directory;
  BrokenStore store;
  testing::ApiSideStores side;
  CaseService service;
  ManualClock clock;
  http::ApiRouter router;
};

void check_generic_failure(const http::HttpResponse& response, int status, const std::string& code) {
  INFO(response.body);
  CHECK(response.status == status);
  CHECK(body_of(response).at("code") == code);
  CHECK(response.body.find("secret") == std::string::npos);
  CHECK(response.body.find("I/O") == std::string::npos);
}

}  // namespace

TEST_CASE("store failure answers 503 without its text", "[api]") {
  BrokenApi api(BrokenStore::Failure::store_error);
  std::string create = json{{"workflow", "site"}, {"data", {{"name", "x"}, {"planned_class", 1}}}}.dump();

  check_generic_failure(api.router.handle(make_request("GET", "/api/v1/cases", "", actor_headers("land_bureau"))), 503, "unavailable");
  check_generic_failure(api.router.handle(make_request("GET", "/api/v1/cases/site_1", "", actor_headers("land_bureau"))), 503, "unavailable");
  check_generic_failure(api.router.handle(make_request("GET", "/api/v1/cases/site_1/events", "", actor_headers("land_bureau"))), 503,
                        "unavailable");
  check_generic_failure(
      api.router.handle(make_request("POST", "/api/v1/cases", create, actor_headers("land_bureau"))),
      503, "unavailable");
  check_generic_failure(api.router.handle(make_request("POST", "/api/v1/cases/site_1/transitions/withdraw",
                                                       "{}", actor_headers("land_bureau"))),
                        503, "unavailable");
  CHECK(api.router.handle(make_request("GET", "/api/v1/health")).status == 200);
}

TEST_CASE("unexpected exception answers 500 without its text", "[api]") {
  BrokenApi api(BrokenStore::Failure::bug);
  std::string create = json{{"workflow", "site"}, {"data", {{"name", "x"}, {"planned_class", 1}}}}.dump();

  check_generic_failure(api.router.handle(make_request("GET", "/api/v1/cases", "", actor_headers("land_bureau"))), 500, "internal");
  check_generic_failure(
      api.router.handle(make_request("POST", "/api/v1/cases", create, actor_headers("land_bureau"))),
      500, "internal");
  http::HttpResponse english = api.router.handle(
      make_request("GET", "/api/v1/cases", "", with_language(actor_headers("land_bureau"), "en")));
  CHECK(body_of(english).at("title") == "Internal server error");
}
