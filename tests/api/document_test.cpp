// Documents of a case: upload, list, download, and a transition that requires one.
#include "api_fixture.h"

#include <catch2/catch.hpp>

#include <fstream>

using namespace sitecycle;
using sitecycle::testing::actor_headers;
using sitecycle::testing::ApiFixture;
using sitecycle::testing::body_of;
using sitecycle::testing::header_of;
using sitecycle::testing::Headers;
using nlohmann::json;

namespace {

// An investigation opened by proposing a site's supply, as the consultant will see it.
std::string open_investigation(const ApiFixture& api) {
  std::string site = api.create_site("文件地块", 1);
  api.fire(site, "propose_supply", "land_bureau");
  return api.linked_case(site, "investigation");
}

sitecycle::http::HttpResponse upload(const ApiFixture& api, const std::string& case_id, const std::string& query,
                                     const std::string& content, Headers headers = actor_headers("consultant")) {
  return api.post("/api/v1/cases/" + case_id + "/documents" + query, content, headers);
}

const json kSubmitInput{{"input", {{"evaluated_class", 1}, {"conclusion", "clean"}}}};

}  // namespace

TEST_CASE("missing document rejected by name", "[api][documents]") {
  ApiFixture api;
  std::string investigation = open_investigation(api);
  std::string submit = "/api/v1/cases/" + investigation + "/transitions/submit_report";
  std::string before = api.case_footprint(investigation);

  sitecycle::http::HttpResponse rejected = api.post(submit, kSubmitInput, actor_headers("consultant"));
  CHECK(rejected.status == 409);
  json problem = body_of(rejected);
  CHECK(problem.at("code") == "documents_missing");
  CHECK(problem.at("missing_documents") == json::array({"investigation_report"}));
  CHECK(problem.at("detail").get<std::string>().find("土壤污染状况调查报告（investigation_report）") != std::string::npos);
  json english = body_of(api.post(submit, kSubmitInput, testing::with_language(actor_headers("consultant"), "en")));
  CHECK(english.at("detail").get<std::string>().find("Soil pollution status investigation report (investigation_report)") !=
        std::string::npos);
  CHECK(api.case_footprint(investigation) == before);

  SECTION("once uploaded, the step hands it in") {
    std::string document = api.upload(investigation, "investigation_report", "consultant");
    json fired = body_of(api.post(submit, kSubmitInput, actor_headers("consultant")));
    REQUIRE(fired.at("state") == "submitted");
    const json& effects = fired.at("events").at(0).at("effects");
    CHECK(effects.at(0).at("documents") == json::array({{{"id", document}, {"kind", "investigation_report"}}}));

    json listed = body_of(api.get("/api/v1/cases/" + investigation + "/documents"));
    REQUIRE(listed.at("total") == 1);
    CHECK(listed.at("items").at(0).at("event_id") == fired.at("events").at(0).at("id"));
  }
  SECTION("a document handed in before cannot be named again") {
    std::string document = api.upload(investigation, "investigation_report", "consultant");
    json body = kSubmitInput;
    body["documents"] = json::array({document, "doc_nothing"});
    sitecycle::http::HttpResponse named = api.post(submit, body, actor_headers("consultant"));
    CHECK(named.status == 422);
    CHECK(body_of(named).at("errors").at(0).at("pointer") == "/documents/1");
  }
}

TEST_CASE("uploads are checked first", "[api][documents]") {
  ApiFixture api;
  std::string investigation = open_investigation(api);
  struct Case {
    std::string name;
    std::string query;
    std::string content;
    Headers headers;
    int status;
  };
  Headers bad_type = actor_headers("consultant");
  bad_type["content-type"] = "pdf";
  std::vector<Case> cases{
      {"missing kind", "", "x", actor_headers("consultant"), 400},
      {"unknown kind", "?kind=photo", "x", actor_headers("consultant"), 400},
      {"unknown query", "?kind=investigation_report&size=1", "x", actor_headers("consultant"), 400},
      {"empty file", "?kind=investigation_report", "", actor_headers("consultant"), 400},
      {"bad content type", "?kind=investigation_report", "x", bad_type, 400},
      {"title too long", "?kind=investigation_report&title=" + std::string(700, 'a'), "x", actor_headers("consultant"), 400},
      {"no token", "?kind=investigation_report", "x", testing::anonymous_headers(), 401},
  };
  for (const Case& bad : cases) {
    INFO(bad.name);
    sitecycle::http::HttpResponse response = upload(api, investigation, bad.query, bad.content, bad.headers);
    CHECK(response.status == bad.status);
  }
  CHECK(body_of(api.get("/api/v1/cases/" + investigation + "/documents")).at("total") == 0);
  CHECK(upload(api, "no_such_case", "?kind=investigation_report", "x").status == 404);

  // Only the side that hands a kind in may upload it: the report comes from the consultancy.
  sitecycle::http::HttpResponse by_bureau =
      upload(api, investigation, "?kind=investigation_report", "x", actor_headers("district_eeb"));
  CHECK(by_bureau.status == 403);
  CHECK(body_of(by_bureau).at("code") == "role_not_allowed");
}

TEST_CASE("download matches upload, stored once", "[api][documents]") {
  ApiFixture api;
  std::string investigation = open_investigation(api);
  std::string content = std::string("%PDF-1.7\n") + std::string(5000, '\x01') + "报告";
  Headers headers = actor_headers("consultant");
  headers["content-type"] = "application/pdf";
  sitecycle::http::HttpResponse uploaded =
      upload(api, investigation, "?kind=investigation_report&title=%E8%B0%83%E6%9F%A5%E6%8A%A5%E5%91%8A", content, headers);
  REQUIRE(uploaded.status == 201);
  json document = body_of(uploaded);
  CHECK(document.at("title") == "调查报告");
  CHECK(document.at("size") == content.size());
  CHECK(document.at("uploaded_by").at("user") == "test_consultant");
  CHECK(document.at("event_id").is_null());

  sitecycle::http::HttpResponse downloaded = api.get(header_of(uploaded, "Location"));
  REQUIRE(downloaded.status == 200);
  REQUIRE(downloaded.file);
  std::ifstream stream(*downloaded.file, std::ios::binary);
  CHECK(std::string(std::istreambuf_iterator<char>(stream), {}) == content);
  CHECK(header_of(downloaded, "Content-Type") == "application/pdf");
  CHECK(header_of(downloaded, "ETag") == "\"" + document.at("sha256").get<std::string>() + "\"");
  CHECK(header_of(downloaded, "Content-Disposition") ==
        "attachment; filename*=UTF-8''%E8%B0%83%E6%9F%A5%E6%8A%A5%E5%91%8A");

  // The same content again is a second document but one file.
  json again = body_of(upload(api, investigation, "?kind=investigation_report", content, headers));
  CHECK(again.at("id") != document.at("id"));
  CHECK(again.at("title") == "土壤污染状况调查报告");  // the kind's title by default
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(api.documents().root())) {
    if (entry.is_regular_file() && entry.path().parent_path().filename() != "tmp") ++files;
  }
  CHECK(files == 1);

  SECTION("a document of another case is not found") {
    std::string other = open_investigation(api);
    std::string path = "/api/v1/cases/" + other + "/documents/" + document.at("id").get<std::string>() + "/content";
    CHECK(api.get(path).status == 404);
  }
}
