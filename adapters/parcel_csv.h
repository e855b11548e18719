// Imports cases from a CSV register (RFC 4180, UTF-8, optional BOM). Untrusted input: every
// problem is reported with its line. A file with a syntax error, an unknown column or a cell that
// cannot be converted imports nothing. A row that the workflow's schema rejects is reported, and
// the other rows are imported.
#pragma once

#include "engine/case_service.h"
#include "engine/localized_text.h"

#include <string>
#include <string_view>
#include <vector>

namespace sitecycle {

struct CsvTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<int> row_lines;  // 1-based line where each row starts
};

// Parses CSV text; on a syntax error (unterminated quote, wrong field count, text after a
// closing quote) appends "LINE: message" to `errors` and returns nullopt.
std::optional<CsvTable> parse_csv(std::string_view text, std::vector<LocalizedText>& errors);

struct CsvImportReport {
  std::vector<std::string> created;  // case ids
  std::vector<std::string> skipped;  // ids already in the store
  std::vector<LocalizedText> errors;
};

// Creates one case of `workflow_id` per row. The `id` column names the case. Every other column
// must be a field of the workflow, and its text is converted by the field's type (lists split
// on ';'). Empty cells are left out. Rows whose id exists already are skipped.
CsvImportReport import_cases_csv(std::string_view text, const std::string& file_name, const std::string& workflow_id,
                                 CaseService& service, const Actor& actor, const Moment& now);

}  // namespace sitecycle
