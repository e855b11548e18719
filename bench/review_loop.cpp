#include "bench/review_loop.h"

#include "bench/commands.h"

namespace sitecycle::bench {

void submit_investigation_report(CaseService& service, const std::string& case_id, const Moment& now) {
  fire_or_throw(service, case_id, make_request("engage_consultant", "land_reserve_centre", {{"consultant", "基准测试咨询公司"}}),
                now);
  fire_or_throw(service, case_id, make_request("start_phase1", "consultant"), now);
  fire_or_throw(service, case_id, make_request("start_sampling", "consultant"), now);
  fire_or_throw(service, case_id,
                make_request("submit_report", "consultant", {{"conclusion", "clean"}, {"evaluated_class", 1}}), now);
}

std::string open_investigation_at_review(CaseService& service, const Moment& now) {
  CreateCaseRequest create;
  create.workflow_id = "investigation";
  create.data = {{"trigger", "voluntary"}, {"planned_class", 1}, {"parcel_name", "基准测试地块"}, {"district", "minhang"}};
  create.actor = bench_actor("land_reserve_centre");
  const std::string case_id = require_ok(service.create_case(create, now), "creating an investigation").stored.id;
  submit_investigation_report(service, case_id, now);
  return case_id;
}

std::vector<TransitionRequest> review_loop_requests() {
  return {
      make_request("accept_for_review", "district_eeb"),
      make_request("return_for_correction", "district_eeb", {{"correction_items", {"补充地下水采样点位图"}}}),
      make_request("resubmit", "consultant", {{"report_title", "土壤污染状况调查报告（修改稿）"}}),
  };
}

}  // namespace sitecycle::bench
