// The workload of the transition benchmarks: the correction loop of a soil pollution status
// investigation report in workflows/investigation.yaml.
//
// accept_for_review (report_submitted -> under_review), return_for_correction
// (-> returned_for_correction, with input) and resubmit (-> report_submitted, with input and a
// guard) end where they start, so the loop repeats without limit on one case. None of the three
// has effects on other cases, so the batched path in batched_apply.h can apply them too.
#pragma once

#include "engine/case_service.h"
#include "engine/instant.h"
#include "engine/runtime.h"

#include <string>
#include <vector>

namespace sitecycle::bench {

// Fires engage_consultant, start_phase1, start_sampling and submit_report (a clean report
// evaluated for Class 1) on a commissioned investigation, each in its own transaction, so that
// it waits in report_submitted. Throws std::runtime_error when a command fails.
void submit_investigation_report(CaseService& service, const std::string& case_id, const Moment& now);

// Creates an investigation case and submits its report. Returns the case id. Throws
// std::runtime_error when a command fails.
std::string open_investigation_at_review(CaseService& service, const Moment& now);

// The three requests of one turn of the loop, in firing order.
std::vector<TransitionRequest> review_loop_requests();

}  // namespace sitecycle::bench
