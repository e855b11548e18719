// Deadlines across cases: the filtered list, and the iCalendar feed of one role's open deadlines.
#include "adapters/clock.h"
#include "adapters/icalendar.h"
#include "deadline_views.h"
#include "json_views.h"
#include "request_reading.h"
#include "route_context.h"

#include <fmt/format.h>

#include <array>
#include <set>

namespace sitecycle::http {

namespace {

// The deadline_status_name values, and the groups DeadlineQuery also accepts.
constexpr std::array<std::string_view, 10> kStatusFilters{"open", "warning", "overdue", "paused", "escalated",
                                                          "armed", "warned", "breached", "met", "cancelled"};

constexpr std::string_view kCalendarContentType = "text/calendar; charset=utf-8";

Problem bad_request(std::string zh_cn, std::string en) {
  return make_problem(ErrorCode::bad_request, {std::move(zh_cn), std::move(en)});
}

Problem invalid_status_problem(std::string_view value) {
  std::string allowed = fmt::format("{}", fmt::join(kStatusFilters, ", "));
  return bad_request(fmt::format("查询参数 status 的值 {} 无效；可用值：{}", quoted_excerpt(value), allowed),
                     fmt::format("Query parameter status has invalid value {}; allowed values: {}",
                                 quoted_excerpt(value), allowed));
}

Problem invalid_due_before_problem(std::string_view value) {
  return bad_request(
      fmt::format("查询参数 due_before 的值 {} 无效：应为日期 YYYY-MM-DD（列出最后一日在该日之前的期限），"
                  "或带时区偏移的时间，例如 2026-03-16T09:00:00+08:00 或 2026-03-16T01:00:00Z"
                  "（在网址中把 + 写作 %2B）",
                  quoted_excerpt(value)),
      fmt::format("Query parameter due_before has invalid value {}: expected a date YYYY-MM-DD (for the "
                  "deadlines whose last day is before it) or an instant with a UTC offset, such as "
                  "2026-03-16T09:00:00+08:00 or 2026-03-16T01:00:00Z (write + as %2B in a URL)",
                  quoted_excerpt(value)));
}

Problem feed_query_problem(std::string_view name) {
  return bad_request(
      fmt::format("不支持查询参数 {}：期限日历不接受查询参数，列出令牌用户的角色负责、其单位可见的未结束期限",
                  quoted_excerpt(name)),
      fmt::format("Unknown query parameter {}: the deadline feed takes no query parameters and lists the open "
                  "deadlines that the token user's role is responsible for, on cases their organisation sees",
                  quoted_excerpt(name)));
}

Result<std::optional<std::string>> read_status_filter(const HttpRequest& request) {
  Result<std::optional<std::string>> status = read_query_value(request, "status");
  if (!status || !*status) return status;
  for (std::string_view allowed : kStatusFilters) {
    if (**status == allowed) return status;
  }
  return invalid_status_problem(**status);
}

// Reads the bound that the store compares due_at with ("earlier than"). An instant is taken as
// given. A date keeps the deadlines whose last day is before it. Such a deadline ends at 00:00
// Asia/Shanghai of that date at the latest, so the bound is one second later (instants have
// whole seconds). due_before=2026-03-17 therefore lists the deadlines due on 16 March.
Result<std::optional<Instant>> read_due_before(const HttpRequest& request) {
  Result<std::optional<std::string>> text = read_query_value(request, "due_before");
  if (!text) return std::move(text).take_problem();
  if (!*text) return std::optional<Instant>{};
  if (std::optional<Date> date = parse_date(**text)) {
    return std::optional<Instant>{start_of_local_day(*date) + std::chrono::seconds{1}};
  }
  if (std::optional<Instant> instant = parse_utc_instant(**text)) return std::optional<Instant>{*instant};
  return invalid_due_before_problem(**text);
}

// An agency filter must name an agency of the catalog; a typo would otherwise list nothing.
std::optional<Problem> check_agency_filter(const DeadlineQuery& query, const DeadlineTracker* tracker) {
  const AgencyCatalog* agencies = tracker != nullptr ? tracker->agencies() : nullptr;
  if (!query.agency_id || agencies == nullptr || agencies->find(*query.agency_id) != nullptr) return std::nullopt;
  return bad_request(fmt::format("查询参数 agency 的值 {} 不是 agencies.yaml 中的机构标识，例如 pudong_eeb、city_eeb",
                                 quoted_excerpt(*query.agency_id)),
                     fmt::format("Query parameter agency has value {}, which is not an agency id from agencies.yaml, "
                                 "such as pudong_eeb or city_eeb",
                                 quoted_excerpt(*query.agency_id)));
}

Result<DeadlineQuery> read_deadline_query(const HttpRequest& request) {
  Result<Paging> paging = read_paging(request);
  if (!paging) return std::move(paging).take_problem();
  Result<std::optional<std::string>> status = read_status_filter(request);
  if (!status) return std::move(status).take_problem();
  Result<std::optional<std::string>> agency = read_query_value(request, "agency");
  if (!agency) return std::move(agency).take_problem();
  Result<std::optional<Instant>> due_before = read_due_before(request);
  if (!due_before) return std::move(due_before).take_problem();
  Result<std::optional<std::string>> district = read_district_query(request);
  if (!district) return std::move(district).take_problem();

  DeadlineQuery query;
  query.district = std::move(*district);
  query.status = std::move(*status);
  query.agency_id = std::move(*agency);
  query.due_before = *due_before;
  query.limit = paging->limit;
  query.offset = paging->offset;
  return query;
}

// Every open deadline that `role` is responsible for, read in pages of the largest size.
// NOTE: each page is a separate read, so a deadline that starts or ends between two reads
// shifts the later pages and one deadline may be left out of this feed. The next fetch has it.
std::vector<DeadlineRecord> open_deadlines_of_role(CaseStore& store, const std::string& role, const CaseScope& scope) {
  DeadlineQuery query;
  query.scope = scope;
  query.status = "open";
  query.responsible_roles = {role};
  query.limit = kMaxPageLimit;

  std::vector<DeadlineRecord> records;
  std::set<std::int64_t> seen;  // a shifted page may repeat a deadline, and a feed repeats no UID
  while (true) {
    Page<DeadlineRecord> page = store.list_deadlines(query);
    for (DeadlineRecord& record : page.items) {
      if (seen.insert(record.id).second) records.push_back(std::move(record));
    }
    query.offset += static_cast<std::int64_t>(page.items.size());
    if (page.items.empty() || query.offset >= page.total) break;
  }
  return records;
}

// "截止时间：2026-03-16 24:00（Asia/Shanghai）". A period ends at the end of its last day, so an
// instant at local midnight is written as 24:00 of the day before, as Chinese legal texts do.
LocalizedText due_time_text(Instant due_at) {
  Date day = local_date(due_at);
  auto since_midnight = std::chrono::duration_cast<std::chrono::minutes>(due_at - start_of_local_day(day));
  std::string time_of_day;
  if (since_midnight.count() == 0) {
    day = Date{std::chrono::sys_days{day} - std::chrono::days{1}};
    time_of_day = "24:00";
  } else {
    time_of_day = fmt::format("{:02}:{:02}", since_midnight.count() / 60, since_midnight.count() % 60);
  }
  std::string when = format_date(day) + " " + time_of_day;
  return {fmt::format("截止时间：{}（Asia/Shanghai）", when), fmt::format("Due: {} (Asia/Shanghai)", when)};
}

CalendarEntry calendar_entry(const DeadlineRecord& record, const DeadlineDisplay& display, Language language) {
  LocalizedText title = deadline_title(record, display.registry).value_or(LocalizedText{record.rule_id, record.rule_id});
  std::optional<LocalizedText> summary = deadline_summary(record, view_at(record, display));

  CalendarEntry entry;
  entry.uid = fmt::format("deadline-{}-{}@sitecycle", record.id, record.cycle);
  entry.due_date = record.due_on;
  entry.due = record.due_at;
  entry.summary = language == Language::en ? fmt::format("{}: {}", title.en, record.case_id)
                                           : fmt::format("{}：{}", title.zh_cn, record.case_id);
  entry.status_text = summary ? summary->in(language) : std::string();
  entry.description = due_time_text(record.due_at).in(language);
  entry.last_modified = record.updated_at;
  return entry;
}

}  // namespace

RouteResult list_deadlines(const RouteContext& context) {
  if (Status names =
          check_query_names(context.request, {"status", "agency", "due_before", "district", "limit", "offset"});
      !names) {
    return names.problem();
  }
  Result<DeadlineQuery> query = read_deadline_query(context.request);
  if (!query) return std::move(query).take_problem();
  query->scope = context.scope();
  if (std::optional<Problem> unknown = check_agency_filter(*query, context.service.deadlines())) return std::move(*unknown);

  Page<DeadlineRecord> page = context.service.store().list_deadlines(*query);

  DeadlineDisplay display{context.service.registry(), context.service.deadlines(), context.clock.now().instant};
  nlohmann::json items = nlohmann::json::array();
  for (const DeadlineRecord& record : page.items) items.push_back(deadline_item_json(record, display));
  return JsonReply{200, page_json(std::move(items), page.total), {}};
}

RouteResult get_deadline_feed(const RouteContext& context) {
  if (!context.request.query.empty()) return feed_query_problem(context.request.query.front().first);
  std::vector<DeadlineRecord> records =
      open_deadlines_of_role(context.service.store(), context.principal->user.role, context.scope());

  Instant now = context.clock.now().instant;
  DeadlineDisplay display{context.service.registry(), context.service.deadlines(), now};
  std::vector<CalendarEntry> entries;
  entries.reserve(records.size());
  for (const DeadlineRecord& record : records) entries.push_back(calendar_entry(record, display, context.language));

  LocalizedText calendar_name{"sitecycle 期限", "sitecycle deadlines"};
  std::string feed = write_icalendar(entries, calendar_name.in(context.language), now);
  return JsonReply{200, nullptr, {}, TextBody{std::string(kCalendarContentType), std::move(feed)}};
}

}  // namespace sitecycle::http
