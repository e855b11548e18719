#include "adapters/xlsx_table.h"
#include "temp_directory.h"

#include <catch2/catch.hpp>

#include <filesystem>

using namespace sitecycle;
using sitecycle::testing::TempDirectory;

TEST_CASE("display width counts Chinese characters as two columns", "[adapters][xlsx]") {
  CHECK(display_width("") == 0);
  CHECK(display_width("B-2-01") == 6);
  CHECK(display_width("浦东新区") == 8);
  CHECK(display_width("东方枢纽 B-1") == 12);
  CHECK(display_width("（全角）") == 8);
}

TEST_CASE("a table becomes an xlsx workbook and leaves no temporary file", "[adapters][xlsx]") {
  TempDirectory directory;
  std::string workbook =
      write_xlsx_table("案件", {"案件编号", "名称"}, {{"parcel_000001", "东方枢纽 B-1 地块"}, {"parcel_000002", "=1+1"}},
                       directory.path() / "tmp");
  // An xlsx file is a zip archive, which starts with a local file header.
  REQUIRE(workbook.size() > 1000);
  CHECK(workbook.rfind("PK\x03\x04", 0) == 0);
  CHECK(std::filesystem::is_empty(directory.path() / "tmp"));
}
