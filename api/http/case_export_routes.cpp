// GET /api/v1/cases.csv and /api/v1/cases.xlsx?workflow=&state=&district=&q=: the cases of the
// list, every page of it, as a file that Excel opens with Chinese intact.
// - CSV: UTF-8 with a byte order mark, CRLF line ends (RFC 4180), every cell quoted, and a cell
//   that a spreadsheet would read as a formula prefixed with an apostrophe.
// - xlsx: one sheet of text cells, written on the server (xlsx_table.h).
// Column titles and names of workflows, states and districts follow Accept-Language; times are
// Shanghai local time.
#include "adapters/clock.h"
#include "adapters/xlsx_table.h"
#include "problem_response.h"
#include "request_reading.h"
#include "route_context.h"

#include <fmt/format.h>

#include <array>
#include <cctype>
#include <chrono>
#include <string>
#include <string_view>

namespace sitecycle::http {

namespace {

// More rows than a spreadsheet user reads, so a larger export is rejected with a request for
// narrower filters.
constexpr std::int64_t kMaxExportRows = 10000;

// The data fields that name a case, by workflow: the first one present is the name column.
constexpr std::array<std::string_view, 5> kNameFields{"name", "parcel_name", "site_name", "unit_name", "project_name"};

// `text` as one quoted CSV cell. A leading =, +, -, @, tab or carriage return would make a
// spreadsheet run the cell as a formula, so such a cell starts with an apostrophe.
std::string csv_cell(std::string_view text) {
  std::string cell = "\"";
  if (!text.empty() && std::string_view("=+-@\t\r").find(text.front()) != std::string_view::npos) cell += '\'';
  for (char character : text) {
    if (character == '"') cell += '"';
    cell += character;
  }
  return cell + "\"";
}

// "2026-03-16 09:30" in Shanghai.
std::string local_time_text(Instant instant) {
  const Date day = local_date(instant);
  const auto minutes = std::chrono::duration_cast<std::chrono::minutes>(instant - start_of_local_day(day)).count();
  return fmt::format("{} {:02}:{:02}", format_date(day), minutes / 60, minutes % 60);
}

std::string name_of(const StoredCase& stored) {
  for (std::string_view field : kNameFields) {
    auto value = stored.data.find(std::string(field));
    if (value != stored.data.end() && value->is_string()) return value->get<std::string>();
  }
  return "";
}

// The title of the case's district in `language`, from its workflow's district field.
std::string district_of(const StoredCase& stored, const WorkflowRegistry& registry, Language language) {
  auto district = stored.data.find("district");
  if (district == stored.data.end() || !district->is_string()) return "";
  const std::string id = district->get<std::string>();
  WorkflowPtr workflow = registry.find(stored.workflow_id, stored.workflow_version);
  if (!workflow) return id;
  auto field = workflow->fields.find("district");
  if (field == workflow->fields.end()) return id;
  auto title = field->second.value_titles.find(id);
  return title == field->second.value_titles.end() ? id : title->second.in(language);
}

std::vector<std::string> export_row(const StoredCase& stored, const WorkflowRegistry& registry, Language language) {
  WorkflowPtr workflow = registry.find(stored.workflow_id, stored.workflow_version);
  std::string workflow_title = workflow ? workflow->title.in(language) : stored.workflow_id;
  std::string state_title = stored.state;
  if (workflow) {
    for (const State& state : workflow->states) {
      if (state.id == stored.state) state_title = state.title.in(language);
    }
  }
  const LocalizedText closed = stored.closed ? LocalizedText{"已办结", "closed"} : LocalizedText{"办理中", "open"};
  return {stored.id,
          name_of(stored),
          workflow_title,
          state_title,
          district_of(stored, registry, language),
          closed.in(language),
          local_time_text(stored.created_at),
          local_time_text(stored.updated_at)};
}

std::vector<std::string> export_header(Language language) {
  const std::array<LocalizedText, 8> columns{{{"案件编号", "Case id"},
                                                   {"名称", "Name"},
                                                   {"流程", "Workflow"},
                                                   {"状态", "State"},
                                                   {"所在区", "District"},
                                                   {"办理情况", "Progress"},
                                                   {"创建时间", "Created"},
                                                   {"更新时间", "Updated"}}};
  std::vector<std::string> header;
  for (const LocalizedText& column : columns) header.push_back(column.in(language));
  return header;
}

std::string csv_line(const std::vector<std::string>& cells) {
  std::string line;
  for (const std::string& cell : cells) {
    if (!line.empty()) line += ',';
    line += csv_cell(cell);
  }
  return line + "\r\n";
}

// RFC 6266 with RFC 8187: an ASCII fallback name, and the Chinese name for clients that read it.
std::string attachment_header(std::string_view date, std::string_view extension) {
  const std::string chinese = fmt::format("案件列表-{}.{}", date, extension);
  std::string encoded;
  for (unsigned char character : chinese) {
    const bool plain = std::isalnum(character) || character == '-' || character == '.' || character == '_';
    encoded += plain ? std::string(1, static_cast<char>(character)) : fmt::format("%{:02X}", character);
  }
  return fmt::format("attachment; filename=\"cases-{}.{}\"; filename*=UTF-8''{}", date, extension, encoded);
}

Problem too_many_rows_problem(std::int64_t total) {
  return make_problem(ErrorCode::bad_request,
                      {fmt::format("符合条件的案件有 {} 个，超过导出上限 {} 个；请用 workflow、state、district、light、party 或 q 缩小范围",
                                   total, kMaxExportRows),
                       fmt::format("{} cases match, more than the export limit of {}; narrow them with workflow, "
                                   "state, district, light, party or q",
                                   total, kMaxExportRows)});
}

// The rows of the filtered list, or a problem when the query is bad or matches too many cases.
Result<std::vector<std::vector<std::string>>> export_rows(const RouteContext& context) {
  if (Status names =
          check_query_names(context.request, {"workflow", "state", "district", "q", "light", "party", "sort"});
      !names) {
    return names.problem();
  }
  Result<CaseQuery> filters = read_case_filters(context);
  if (!filters) return std::move(filters).take_problem();
  CaseQuery query = std::move(*filters);
  query.limit = kMaxPageLimit;

  const WorkflowRegistry& registry = context.service.registry();
  std::vector<std::vector<std::string>> rows;
  while (true) {
    Page<StoredCase> page = context.service.store().list_cases(query);
    if (page.total > kMaxExportRows) return too_many_rows_problem(page.total);
    for (const StoredCase& stored : page.items) rows.push_back(export_row(stored, registry, context.language));
    query.offset += static_cast<std::int64_t>(page.items.size());
    if (page.items.empty() || query.offset >= page.total) break;
  }
  return rows;
}

std::string today_of(const RouteContext& context) { return format_date(local_date(context.clock.now().instant)); }

}  // namespace

RouteResult export_cases_csv(const RouteContext& context) {
  Result<std::vector<std::vector<std::string>>> rows = export_rows(context);
  if (!rows) return std::move(rows).take_problem();
  std::string csv = "\xEF\xBB\xBF" + csv_line(export_header(context.language));
  for (const auto& row : *rows) csv += csv_line(row);
  return JsonReply{200, nullptr, {{"Content-Disposition", attachment_header(today_of(context), "csv")}},
                   TextBody{"text/csv; charset=utf-8", std::move(csv)}};
}

RouteResult export_cases_xlsx(const RouteContext& context) {
  Result<std::vector<std::vector<std::string>>> rows = export_rows(context);
  if (!rows) return std::move(rows).take_problem();
  const LocalizedText sheet{"案件", "Cases"};
  std::string workbook = write_xlsx_table(sheet.in(context.language), export_header(context.language), *rows,
                                          context.documents.temporary_folder());
  return JsonReply{200, nullptr, {{"Content-Disposition", attachment_header(today_of(context), "xlsx")}},
                   TextBody{"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", std::move(workbook)}};
}

}  // namespace sitecycle::http
