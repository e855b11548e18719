// The loaded working-day calendars: their years, their holidays and make-up working days, and
// working-day arithmetic, so that clients can show and check due dates with the same counting as
// the deadline clocks.
#include "request_reading.h"
#include "route_context.h"

#include <fmt/format.h>

#include <charconv>

namespace sitecycle::http {

namespace {

// The reply lists every counted day, so count is capped to keep it small (about 48 KB at the
// cap). 3660 is ten years of 366 days. With about 248 working days a year, it covers periods of
// more than ten years.
constexpr int kMaxWorkingDayCount = 3660;

Problem bad_request(std::string zh_cn, std::string en) {
  return make_problem(ErrorCode::bad_request, {std::move(zh_cn), std::move(en)});
}

Problem missing_from_problem() {
  return bad_request("缺少查询参数 from：请给出起算日期 YYYY-MM-DD（该日不计入），例如 from=2026-02-10",
                     "Missing query parameter from: give the start date as YYYY-MM-DD (the day itself is not "
                     "counted), for example from=2026-02-10");
}

Problem invalid_from_problem(std::string_view value) {
  return bad_request(
      fmt::format("查询参数 from 的值 {} 无效：应为 {} 至 {} 年间 YYYY-MM-DD 格式的有效日期，例如 2026-02-10",
                  quoted_excerpt(value), kMinSupportedYear, kMaxSupportedYear),
      fmt::format("Query parameter from has invalid value {}: expected a valid date as YYYY-MM-DD in the years {} to "
                  "{}, for example 2026-02-10",
                  quoted_excerpt(value), kMinSupportedYear, kMaxSupportedYear));
}

Problem missing_count_problem() {
  return bad_request(
      fmt::format("缺少查询参数 count：请给出要数的工作日数，为 1 到 {} 之间的整数，例如 count=20", kMaxWorkingDayCount),
      fmt::format("Missing query parameter count: give the number of working days to count, an integer from 1 "
                  "to {}, for example count=20",
                  kMaxWorkingDayCount));
}

Problem invalid_count_problem(std::string_view value) {
  return bad_request(fmt::format("查询参数 count 的值 {} 无效：应为 1 到 {} 之间的整数", quoted_excerpt(value),
                                 kMaxWorkingDayCount),
                     fmt::format("Query parameter count has invalid value {}: expected an integer from 1 to {}",
                                 quoted_excerpt(value), kMaxWorkingDayCount));
}

Problem calendar_not_found_problem(std::string_view calendar, const CalendarMap* calendars) {
  if (calendars == nullptr || calendars->empty()) {
    return make_problem(
        ErrorCode::not_found,
        {fmt::format("未找到工作日历 {}：本服务未加载任何工作日历；日历从流程目录下的 calendars/ 读取",
                     quoted_excerpt(calendar)),
         fmt::format("Calendar {} not found: this server has no working-day calendars loaded; they are read "
                     "from calendars/ in the workflows folder",
                     quoted_excerpt(calendar))});
  }
  std::string known;
  for (const auto& [id, loaded] : *calendars) known += known.empty() ? id : ", " + id;
  return make_problem(ErrorCode::not_found,
                      {fmt::format("未找到工作日历 {}；已加载的日历：{}", quoted_excerpt(calendar), known),
                       fmt::format("Calendar {} not found; loaded calendars: {}", quoted_excerpt(calendar), known)});
}

Result<Date> read_from(const HttpRequest& request) {
  Result<std::optional<std::string>> text = read_query_value(request, "from");
  if (!text) return std::move(text).take_problem();
  if (!*text) return missing_from_problem();
  std::optional<Date> date = parse_date(**text);
  if (!date || !is_supported_date(*date)) return invalid_from_problem(**text);
  return *date;
}

Result<int> read_count(const HttpRequest& request) {
  Result<std::optional<std::string>> text = read_query_value(request, "count");
  if (!text) return std::move(text).take_problem();
  if (!*text) return missing_count_problem();

  const std::string& digits = **text;
  int count = 0;
  auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), count);
  if (error != std::errc{} || end != digits.data() + digits.size() || count < 1 || count > kMaxWorkingDayCount) {
    return invalid_count_problem(digits);
  }
  return count;
}

const WorkingDayCalendar* find_calendar(const CalendarMap* calendars, std::string_view id) {
  if (calendars == nullptr) return nullptr;
  auto found = calendars->find(id);
  return found != calendars->end() ? &found->second : nullptr;
}

nlohmann::json dates_json(const std::vector<Date>& dates) {
  nlohmann::json items = nlohmann::json::array();
  for (Date date : dates) items.push_back(format_date(date));
  return items;
}

// The maximum span of special-days, in days: a little over a year, so a strip can show this year
// and the next.
constexpr int kMaxSpecialDaySpan = 400;

// A date query parameter: `fallback` when absent.
Result<Date> read_date(const HttpRequest& request, std::string_view name, Date fallback) {
  Result<std::optional<std::string>> text = read_query_value(request, name);
  if (!text) return std::move(text).take_problem();
  if (!*text) return fallback;
  std::optional<Date> date = parse_date(**text);
  if (date && is_supported_date(*date)) return *date;
  return bad_request(
      fmt::format("查询参数 {} 的值 {} 无效：应为 {} 至 {} 年间 YYYY-MM-DD 格式的有效日期，例如 2026-02-10", name,
                  quoted_excerpt(**text), kMinSupportedYear, kMaxSupportedYear),
      fmt::format("Query parameter {} has invalid value {}: expected a valid date as YYYY-MM-DD in the years {} to "
                  "{}, for example 2026-02-10",
                  name, quoted_excerpt(**text), kMinSupportedYear, kMaxSupportedYear));
}

Problem invalid_span_problem(Date from, Date to) {
  return bad_request(fmt::format("查询范围 {} 至 {} 无效：to 不得早于 from，且两者相距不超过 {} 天", format_date(from),
                                 format_date(to), kMaxSpecialDaySpan),
                     fmt::format("The span {} to {} is invalid: to must not be before from, and at most {} days after "
                                 "it",
                                 format_date(from), format_date(to), kMaxSpecialDaySpan));
}

const CalendarMap* loaded_calendars(const RouteContext& context) {
  const DeadlineTracker* tracker = context.service.deadlines();
  return tracker != nullptr ? &tracker->calendars() : nullptr;
}

}  // namespace

RouteResult list_calendars(const RouteContext& context) {
  if (Status names = check_query_names(context.request, {}); !names) return names.problem();
  nlohmann::json items = nlohmann::json::array();
  if (const CalendarMap* calendars = loaded_calendars(context)) {
    for (const auto& [id, calendar] : *calendars) items.push_back({{"id", id}, {"years", calendar.loaded_years()}});
  }
  const Date today = local_date(context.clock.now().instant);
  return JsonReply{200, {{"items", std::move(items)}, {"today", format_date(today)}}, {}};
}

RouteResult list_special_days(const RouteContext& context) {
  const std::string& calendar_id = context.parameters.at(0);
  if (Status names = check_query_names(context.request, {"from", "to"}); !names) return names.problem();
  const Date today = local_date(context.clock.now().instant);
  Result<Date> from = read_date(context.request, "from", today);
  if (!from) return std::move(from).take_problem();
  const Date default_to{std::chrono::sys_days{*from} + std::chrono::days{90}};
  Result<Date> to = read_date(context.request, "to", default_to);
  if (!to) return std::move(to).take_problem();
  const auto span = std::chrono::sys_days{*to} - std::chrono::sys_days{*from};
  if (span.count() < 0 || span.count() > kMaxSpecialDaySpan) return invalid_span_problem(*from, *to);

  const CalendarMap* calendars = loaded_calendars(context);
  const WorkingDayCalendar* calendar = find_calendar(calendars, calendar_id);
  if (calendar == nullptr) return calendar_not_found_problem(calendar_id, calendars);

  nlohmann::json days = nlohmann::json::array();
  for (const SpecialDay& day : calendar->special_days(*from, *to)) {
    days.push_back({{"date", format_date(day.date)},
                    {"kind", std::string(to_string(day.kind))},
                    {"name", day.name.empty() ? nlohmann::json() : to_json(day.name)}});
  }
  nlohmann::json body{{"calendar", calendar_id},
                      {"from", format_date(*from)},
                      {"to", format_date(*to)},
                      {"days", std::move(days)},
                      {"missing_years", calendar->missing_years(*from, *to)}};
  return JsonReply{200, std::move(body), {}};
}

RouteResult count_working_days(const RouteContext& context) {
  const std::string& calendar_id = context.parameters.at(0);
  if (Status names = check_query_names(context.request, {"from", "count"}); !names) return names.problem();
  Result<Date> from = read_from(context.request);
  if (!from) return std::move(from).take_problem();
  Result<int> count = read_count(context.request);
  if (!count) return std::move(count).take_problem();

  const DeadlineTracker* tracker = context.service.deadlines();
  const CalendarMap* calendars = tracker != nullptr ? &tracker->calendars() : nullptr;
  const WorkingDayCalendar* calendar = find_calendar(calendars, calendar_id);
  if (calendar == nullptr) return calendar_not_found_problem(calendar_id, calendars);

  WorkingDayResult result = calendar->add_working_days(*from, *count);
  nlohmann::json body{{"calendar", calendar_id},
                      {"from", format_date(*from)},
                      {"count", *count},
                      {"due", format_date(result.due_date)},
                      {"dates", dates_json(result.working_days)},
                      {"provisional", result.provisional},
                      {"missing_years", result.missing_years}};
  return JsonReply{200, std::move(body), {}};
}

}  // namespace sitecycle::http
