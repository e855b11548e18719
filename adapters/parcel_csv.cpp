#include "adapters/parcel_csv.h"

#include <fmt/format.h>

#include <charconv>

namespace sitecycle {

namespace {

LocalizedText line_error(const std::string& file, int line, const std::string& zh_cn, const std::string& en) {
  return {fmt::format("{}:{}: {}", file, line, zh_cn), fmt::format("{}:{}: {}", file, line, en)};
}

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> items;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find(';', start);
    if (end == std::string::npos) end = text.size();
    std::string item = text.substr(start, end - start);
    if (!item.empty()) items.push_back(item);
    start = end + 1;
  }
  return items;
}

// Converts cell text to the JSON value of a field; nullopt when the text cannot be that type.
std::optional<nlohmann::json> convert_cell(const FieldSpec& spec, const std::string& text) {
  switch (spec.type) {
    case FieldType::string:
    case FieldType::date:
    case FieldType::enumeration: return nlohmann::json(text);
    case FieldType::integer: {
      long long value = 0;
      auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
      if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
      return nlohmann::json(value);
    }
    case FieldType::number: {
      double value = 0;
      auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
      if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
      return nlohmann::json(value);
    }
    case FieldType::boolean:
      if (text == "true") return nlohmann::json(true);
      if (text == "false") return nlohmann::json(false);
      return std::nullopt;
    case FieldType::list: {
      nlohmann::json list = nlohmann::json::array();
      for (const std::string& item : split_list(text)) {
        auto value = spec.items ? convert_cell(*spec.items, item) : std::optional<nlohmann::json>(item);
        if (!value) return std::nullopt;
        list.push_back(*value);
      }
      return list;
    }
    case FieldType::object: return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace

std::optional<CsvTable> parse_csv(std::string_view text, std::vector<LocalizedText>& errors) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);

  std::vector<std::vector<std::string>> records;
  std::vector<int> record_lines;
  std::vector<std::string> record;
  std::string field;
  bool in_quotes = false;
  bool after_quote = false;
  int line = 1;
  int record_line = 1;
  int quote_line = 0;  // where the last quoted field opened

  auto end_field = [&] {
    record.push_back(std::move(field));
    field.clear();
    after_quote = false;
  };
  auto end_record = [&] {
    end_field();
    bool blank = record.size() == 1 && record[0].empty();
    if (!blank) {
      records.push_back(std::move(record));
      record_lines.push_back(record_line);
    }
    record.clear();
  };

  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_quotes) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field.push_back('"');
        ++i;
      } else if (c == '"') {
        in_quotes = false;
        after_quote = true;
      } else {
        if (c == '\n') ++line;
        field.push_back(c);
      }
      continue;
    }
    if (c == '"' && field.empty() && !after_quote) {
      in_quotes = true;
      quote_line = line;
    } else if (c == ',') {
      end_field();
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      continue;
    } else if (c == '\n') {
      end_record();
      record_line = ++line;
    } else if (after_quote || c == '"') {
      std::string opened_zh = after_quote ? fmt::format("（该引号字段从第 {} 行开始）", quote_line) : std::string();
      std::string opened_en = after_quote ? fmt::format(" (the quoted field opened on line {})", quote_line) : std::string();
      errors.push_back({fmt::format("第 {} 行：引号字段之后或字段中间出现多余字符 {}{}；含引号的字段须整体加引号，内部引号写作 \"\"", line, c, opened_zh),
                        fmt::format("line {}: unexpected character {} after a quoted field or inside an unquoted one{}; quote "
                                    "the whole field and double inner quotes",
                                    line, c, opened_en)});
      return std::nullopt;
    } else {
      field.push_back(c);
    }
  }
  if (in_quotes) {
    errors.push_back({fmt::format("第 {} 行：引号未闭合", record_line), fmt::format("line {}: unterminated quoted field", record_line)});
    return std::nullopt;
  }
  if (!field.empty() || !record.empty()) end_record();
  if (records.empty()) {
    errors.push_back({"文件为空：缺少表头行", "empty file: the header row is missing"});
    return std::nullopt;
  }

  CsvTable table;
  table.header = std::move(records[0]);
  for (std::size_t i = 1; i < records.size(); ++i) {
    if (records[i].size() != table.header.size()) {
      errors.push_back({fmt::format("第 {} 行：有 {} 个字段，表头有 {} 个", record_lines[i], records[i].size(), table.header.size()),
                        fmt::format("line {}: {} fields, but the header has {}", record_lines[i], records[i].size(),
                                    table.header.size())});
      continue;
    }
    table.rows.push_back(std::move(records[i]));
    table.row_lines.push_back(record_lines[i]);
  }
  if (!errors.empty()) return std::nullopt;
  return table;
}

CsvImportReport import_cases_csv(std::string_view text, const std::string& file_name, const std::string& workflow_id,
                                 CaseService& service, const Actor& actor, const Moment& now) {
  CsvImportReport report;
  WorkflowPtr workflow = service.registry().latest(workflow_id);
  if (!workflow) {
    report.errors.push_back({fmt::format("流程 {} 不存在", workflow_id), fmt::format("workflow {} not found", workflow_id)});
    return report;
  }
  std::vector<LocalizedText> syntax_errors;
  std::optional<CsvTable> table = parse_csv(text, syntax_errors);
  for (LocalizedText& error : syntax_errors) {
    report.errors.push_back({file_name + ": " + error.zh_cn, file_name + ": " + error.en});
  }
  if (!table) return report;

  for (const std::string& column : table->header) {
    if (column != "id" && workflow->fields.find(column) == workflow->fields.end()) {
      report.errors.push_back(line_error(file_name, 1, fmt::format("未知列 {}：应为 id 或流程 {} 的字段", column, workflow_id),
                                         fmt::format("unknown column {}: expected id or a field of workflow {}", column, workflow_id)));
    }
  }
  if (!report.errors.empty()) return report;

  // Convert every row first, so a file with a bad cell imports nothing.
  std::vector<CreateCaseRequest> requests;
  for (std::size_t r = 0; r < table->rows.size(); ++r) {
    CreateCaseRequest request{workflow_id, std::nullopt, nlohmann::json::object(), actor, "imported from " + file_name};
    for (std::size_t c = 0; c < table->header.size(); ++c) {
      const std::string& column = table->header[c];
      const std::string& cell = table->rows[r][c];
      if (cell.empty()) continue;
      if (column == "id") {
        request.case_id = cell;
        continue;
      }
      std::optional<nlohmann::json> value = convert_cell(workflow->fields.at(column), cell);
      if (!value) {
        report.errors.push_back(line_error(file_name, table->row_lines[r],
                                           fmt::format("列 {} 的值 \"{}\" 不是 {} 类型", column, cell, to_string(workflow->fields.at(column).type)),
                                           fmt::format("column {}: \"{}\" is not a valid {}", column, cell,
                                                       to_string(workflow->fields.at(column).type))));
        continue;
      }
      request.data[column] = *value;
    }
    requests.push_back(std::move(request));
  }
  if (!report.errors.empty()) return report;

  for (std::size_t r = 0; r < requests.size(); ++r) {
    if (requests[r].case_id && service.store().find_case(*requests[r].case_id)) {
      report.skipped.push_back(*requests[r].case_id);
      continue;
    }
    Result<CommandOutcome> created = service.create_case(requests[r], now);
    if (!created) {
      const Problem& problem = created.problem();
      std::string details_zh;
      std::string details_en;
      for (const FieldError& error : problem.errors) {
        details_zh += fmt::format("；{} {}", error.pointer, error.message.zh_cn);
        details_en += fmt::format("; {} {}", error.pointer, error.message.en);
      }
      report.errors.push_back(line_error(file_name, table->row_lines[r], problem.detail.zh_cn + details_zh, problem.detail.en + details_en));
      continue;
    }
    report.created.push_back(created->stored.id);
  }
  return report;
}

}  // namespace sitecycle
