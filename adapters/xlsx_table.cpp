#include "adapters/xlsx_table.h"

#include <fmt/format.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <random>
#include <stdexcept>
#include <system_error>

namespace sitecycle {

namespace {

// Columns never grow wider than this, so one long remark does not push the rest off screen.
constexpr std::size_t kMaxColumnWidth = 60;

// Whether a code point is East Asian Wide or Fullwidth (UAX #11), for the ranges Chinese text uses.
bool is_wide(char32_t code_point) {
  return (code_point >= 0x1100 && code_point <= 0x115F) || (code_point >= 0x2E80 && code_point <= 0xA4CF) ||
         (code_point >= 0xAC00 && code_point <= 0xD7A3) || (code_point >= 0xF900 && code_point <= 0xFAFF) ||
         (code_point >= 0xFE30 && code_point <= 0xFE4F) || (code_point >= 0xFF00 && code_point <= 0xFF60) ||
         (code_point >= 0xFFE0 && code_point <= 0xFFE6) || (code_point >= 0x20000 && code_point <= 0x3FFFD);
}

// The length in bytes of the UTF-8 sequence that starts with `lead`.
std::size_t sequence_length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if (lead < 0xE0) return 2;
  if (lead < 0xF0) return 3;
  return 4;
}

void check(lxw_error error, std::string_view step) {
  if (error != LXW_NO_ERROR) throw std::runtime_error(fmt::format("cannot {}: {}", step, lxw_strerror(error)));
}

std::filesystem::path temporary_file(const std::filesystem::path& folder) {
  std::random_device device;
  return folder / fmt::format("export-{:016x}.xlsx", (static_cast<unsigned long long>(device()) << 32) | device());
}

}  // namespace

std::size_t display_width(std::string_view text) {
  std::size_t width = 0;
  for (std::size_t i = 0; i < text.size();) {
    const auto lead = static_cast<unsigned char>(text[i]);
    const std::size_t length = sequence_length(lead);
    // The lead byte's payload: all of it for ASCII, else the bits after the length marker.
    char32_t code_point = length == 1 ? lead : lead & (0x3F >> (length - 1));
    for (std::size_t k = 1; k < length && i + k < text.size(); ++k) {
      code_point = (code_point << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
    }
    width += is_wide(code_point) ? 2 : 1;
    i += length;
  }
  return width;
}

std::string write_xlsx_table(std::string_view sheet_name, const std::vector<std::string>& header,
                             const std::vector<std::vector<std::string>>& rows,
                             const std::filesystem::path& temporary_folder) {
  std::filesystem::create_directories(temporary_folder);
  const std::filesystem::path file = temporary_file(temporary_folder);
  struct RemoveFile {
    const std::filesystem::path& path;
    ~RemoveFile() {
      std::error_code ignored;
      std::filesystem::remove(path, ignored);
    }
  } remove_file{file};

  lxw_workbook_options options{};
  options.constant_memory = LXW_TRUE;  // rows are written in order, so memory stays flat
  const std::string tmpdir = temporary_folder.string();
  options.tmpdir = const_cast<char*>(tmpdir.c_str());
  lxw_workbook* workbook = workbook_new_opt(file.c_str(), &options);
  if (workbook == nullptr) throw std::runtime_error("cannot create an xlsx workbook in " + tmpdir);
  const std::string name(sheet_name);
  lxw_worksheet* sheet = workbook_add_worksheet(workbook, name.c_str());
  lxw_format* bold = workbook_add_format(workbook);
  format_set_bold(bold);

  std::vector<std::size_t> widths(header.size(), 0);
  auto measure = [&](const std::vector<std::string>& cells) {
    for (std::size_t column = 0; column < cells.size() && column < widths.size(); ++column) {
      widths[column] = std::max(widths[column], display_width(cells[column]));
    }
  };
  measure(header);
  for (const auto& row : rows) measure(row);
  for (std::size_t column = 0; column < widths.size(); ++column) {
    const double width = static_cast<double>(std::min(widths[column] + 2, kMaxColumnWidth));
    check(worksheet_set_column(sheet, static_cast<lxw_col_t>(column), static_cast<lxw_col_t>(column), width, nullptr),
          "set a column width");
  }
  worksheet_freeze_panes(sheet, 1, 0);
  if (!header.empty()) {
    check(worksheet_autofilter(sheet, 0, 0, static_cast<lxw_row_t>(rows.size()), static_cast<lxw_col_t>(header.size() - 1)),
          "add the autofilter");
  }

  auto write_row = [&](lxw_row_t row, const std::vector<std::string>& cells, lxw_format* format) {
    for (std::size_t column = 0; column < cells.size(); ++column) {
      check(worksheet_write_string(sheet, row, static_cast<lxw_col_t>(column), cells[column].c_str(), format),
            "write a cell");
    }
  };
  write_row(0, header, bold);
  for (std::size_t index = 0; index < rows.size(); ++index) write_row(static_cast<lxw_row_t>(index + 1), rows[index], nullptr);
  check(workbook_close(workbook), "write the xlsx workbook");

  std::ifstream stream(file, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(stream), {});
}

}  // namespace sitecycle
