// One table as an xlsx workbook (Office Open XML), written with libxlsxwriter: a bold header
// row that stays in view, an autofilter, and columns wide enough for their text, counting a
// Chinese character as two columns.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace sitecycle {

// Returns the bytes of a workbook with one sheet named `sheet_name` holding `header` and `rows`
// as text cells. libxlsxwriter writes through a temporary file in `temporary_folder`, which is
// removed before returning. Throws std::runtime_error naming libxlsxwriter's error when writing
// fails.
std::string write_xlsx_table(std::string_view sheet_name, const std::vector<std::string>& header,
                             const std::vector<std::vector<std::string>>& rows,
                             const std::filesystem::path& temporary_folder);

// The width of `text` in spreadsheet columns: East Asian wide and full-width characters count
// two, others one.
std::size_t display_width(std::string_view text);

}  // namespace sitecycle
