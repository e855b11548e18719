#include "engine/workflow_registry.h"

#include <catch2/catch.hpp>

using namespace sitecycle;

namespace {

WorkflowPtr version_of(const std::string& id, int version) {
  auto workflow = std::make_shared<Workflow>();
  workflow->id = id;
  workflow->version = version;
  return workflow;
}

}  // namespace

TEST_CASE("registry starts new cases on the current version", "[registry]") {
  // The files hold version 1, the database also holds version 2 from an earlier deployment.
  WorkflowRegistry registry({version_of("parcel", 1), version_of("parcel", 2)}, RoleCatalog{}, {{"parcel", 1}});
  REQUIRE(registry.latest("parcel"));
  CHECK(registry.latest("parcel")->version == 1);
  REQUIRE(registry.find("parcel", 2));
  CHECK(registry.find("parcel", 2)->version == 2);
  REQUIRE(registry.latest_all().size() == 1);
  CHECK(registry.latest_all()[0]->version == 1);
}

TEST_CASE("registry without current takes the newest", "[registry]") {
  WorkflowRegistry registry({version_of("parcel", 1), version_of("parcel", 3)}, RoleCatalog{});
  CHECK(registry.latest("parcel")->version == 3);
  CHECK(registry.latest("survey") == nullptr);
  CHECK(registry.find("parcel", 2) == nullptr);
}
