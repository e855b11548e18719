// Documents of a case: upload (streamed to disk by the transport), list and download.
#include "adapters/api_token.h"
#include "adapters/workflow_files.h"
#include "json_views.h"
#include "request_reading.h"
#include "route_context.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <set>
#include <charconv>
#include <fstream>

namespace sitecycle::http {

namespace {

constexpr std::size_t kMaxTitleBytes = 600;  // 200 Chinese characters
constexpr std::size_t kMaxContentTypeBytes = 127;
constexpr const char* kDefaultContentType = "application/octet-stream";

struct UploadDescription {
  std::string kind;
  std::string title;
  std::string content_type;
};

Problem bad_request(std::string zh_cn, std::string en) {
  return make_problem(ErrorCode::bad_request, {std::move(zh_cn), std::move(en)});
}

std::string kinds_of(const Workflow& workflow) {
  std::string names;
  for (const DocumentKind& kind : workflow.documents) names += names.empty() ? kind.id : ", " + kind.id;
  return names.empty() ? std::string("-") : names;
}

Problem unknown_kind_problem(const Workflow& workflow, std::string_view kind) {
  return bad_request(
      fmt::format("查询参数 kind 的值 {} 不是流程 {} 的文件类型；可选：{}", quoted_excerpt(kind), workflow.id,
                  kinds_of(workflow)),
      fmt::format("Query parameter kind has value {}, which is not a document kind of workflow {}; one of: {}",
                  quoted_excerpt(kind), workflow.id, kinds_of(workflow)));
}

bool is_valid_content_type(std::string_view value) {
  if (value.empty() || value.size() > kMaxContentTypeBytes) return false;
  std::size_t slash = value.find('/');
  if (slash == 0 || slash == std::string_view::npos || slash + 1 == value.size()) return false;
  for (char c : value) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

// The case's workflow, or a problem when its version is no longer loaded.
Result<WorkflowPtr> workflow_of(const RouteContext& context, const StoredCase& stored) {
  WorkflowPtr workflow = context.service.registry().find(stored.workflow_id, stored.workflow_version);
  if (workflow) return workflow;
  return make_problem(ErrorCode::invalid_definition,
                      {fmt::format("案件 {} 使用的流程 {} 第 {} 版未加载", stored.id, stored.workflow_id,
                                   stored.workflow_version),
                       fmt::format("workflow {} version {}, which case {} runs on, is not loaded", stored.workflow_id,
                                   stored.workflow_version, stored.id)});
}

// kind (required), title (defaults to the kind's title) and the Content-Type header.
Result<UploadDescription> read_description(const RouteContext& context, const Workflow& workflow) {
  if (Status names = check_query_names(context.request, {"kind", "title"}); !names) return names.problem();
  Result<std::optional<std::string>> kind = read_query_value(context.request, "kind");
  if (!kind) return std::move(kind).take_problem();
  if (!*kind) {
    return bad_request(fmt::format("缺少查询参数 kind：请说明文件类型，流程 {} 的文件类型有：{}", workflow.id, kinds_of(workflow)),
                       fmt::format("Missing query parameter kind: name the document kind; workflow {} has: {}",
                                   workflow.id, kinds_of(workflow)));
  }
  const DocumentKind* declared = workflow.find_document(**kind);
  if (declared == nullptr) return unknown_kind_problem(workflow, **kind);

  Result<std::optional<std::string>> title = read_query_value(context.request, "title");
  if (!title) return std::move(title).take_problem();
  if (*title && (**title).size() > kMaxTitleBytes) {
    return bad_request(fmt::format("查询参数 title 超过 {} 字节；请缩短文件标题", kMaxTitleBytes),
                       fmt::format("Query parameter title exceeds {} bytes; shorten the document title", kMaxTitleBytes));
  }

  const std::string* content_type = context.request.header("content-type");
  if (content_type && !is_valid_content_type(*content_type)) {
    return bad_request(
        fmt::format("请求头 Content-Type 的值 {} 无效；请发送文件的媒体类型，例如 application/pdf", quoted_excerpt(*content_type)),
        fmt::format("Header Content-Type has invalid value {}; send the file's media type, such as application/pdf",
                    quoted_excerpt(*content_type)));
  }
  return UploadDescription{**kind, *title ? **title : declared->title.zh_cn,
                           content_type ? *content_type : std::string(kDefaultContentType)};
}

Problem empty_upload_problem() {
  return bad_request("上传的文件为空；请在请求体中发送文件内容", "The uploaded file is empty; send the file's content as the request body");
}

Problem too_large_problem(std::uint64_t limit) {
  return make_problem(ErrorCode::payload_too_large,
                      {fmt::format("文件超过了 {} 字节的上限；请压缩或拆分后再上传", limit),
                       fmt::format("The file exceeds the limit of {} bytes; compress or split it and upload again", limit)});
}

// The visible case of the route's first parameter, or not_found.
Result<StoredCase> visible_case(const RouteContext& context) {
  const std::string& case_id = context.parameters.at(0);
  if (Status visible = require_visible_case(context, case_id); !visible) return visible.problem();
  std::optional<StoredCase> stored = context.service.store().find_case(case_id);
  if (!stored) return case_not_found_problem(case_id);
  return std::move(*stored);
}

struct UploadTarget {
  StoredCase stored;
  UploadDescription description;
};

// The roles of the steps that carry documents of `kind`; empty when no step names the kind, so
// that any role may upload it.
std::set<std::string> roles_handing_in(const Workflow& workflow, std::string_view kind) {
  std::set<std::string> roles;
  for (const Transition& transition : workflow.transitions) {
    bool carries = std::find(transition.documents.begin(), transition.documents.end(), kind) != transition.documents.end() ||
                   std::find(transition.required_documents.begin(), transition.required_documents.end(), kind) !=
                       transition.required_documents.end();
    if (carries) roles.insert(transition.roles.begin(), transition.roles.end());
  }
  return roles;
}

// role_not_allowed unless the caller's role fires a step that carries the kind: a review opinion
// comes from the reviewing bureau, a report from the consultancy.
Status check_uploader(const RouteContext& context, const Workflow& workflow, std::string_view kind) {
  std::set<std::string> roles = roles_handing_in(workflow, kind);
  const std::string& role = context.principal->user.role;
  if (roles.empty() || roles.contains(role)) return Ok{};
  std::string names = fmt::format("{}", fmt::join(roles, ", "));
  return make_problem(ErrorCode::role_not_allowed,
                      {fmt::format("角色 {} 不能上传 {} 类文件：只有提交该文件的环节的角色可以上传（{}）", role, kind, names),
                       fmt::format("Role {} may not upload documents of kind {}: only the roles of the steps that hand "
                                   "them in may ({})",
                                   role, kind, names)});
}

// The visible case an upload goes to, and the file's kind, title and media type.
Result<UploadTarget> upload_target(const RouteContext& context) {
  Result<StoredCase> stored = visible_case(context);
  if (!stored) return std::move(stored).take_problem();
  if (stored->closed) {
    return make_problem(ErrorCode::case_closed,
                        {fmt::format("案件 {} 已办结，不再接收文件", stored->id),
                         fmt::format("Case {} is closed and accepts no more documents", stored->id)});
  }
  Result<WorkflowPtr> workflow = workflow_of(context, *stored);
  if (!workflow) return std::move(workflow).take_problem();
  Result<UploadDescription> description = read_description(context, **workflow);
  if (!description) return std::move(description).take_problem();
  if (Status allowed = check_uploader(context, **workflow, description->kind); !allowed) return allowed.problem();
  return UploadTarget{std::move(stored).value(), std::move(description).value()};
}

// An upload sent to the router without the transport (tests, or a client within the body limit
// of a transport that does not stream): written to a temporary file like a streamed one.
UploadedFile spill_body(const RouteContext& context) {
  std::filesystem::path folder = context.documents.temporary_folder();
  std::filesystem::create_directories(folder);
  UploadedFile upload;
  upload.path = folder / ("inline-" + random_hex(8) + ".part");
  std::ofstream(upload.path, std::ios::binary) << context.request.body;
  upload.size = context.request.body.size();
  upload.sha256 = sha256_hex(context.request.body);
  return upload;
}

Problem document_not_found_problem(std::string_view case_id, std::string_view document_id) {
  return make_problem(ErrorCode::not_found,
                      {fmt::format("案件 {} 没有文件 {}；用 GET /api/v1/cases/{}/documents 查看其文件", case_id,
                                   quoted_excerpt(document_id), case_id),
                       fmt::format("Case {} has no document {}; list its documents with GET /api/v1/cases/{}/documents",
                                   case_id, quoted_excerpt(document_id), case_id)});
}

// RFC 8187 encoding of a file name for Content-Disposition's filename* parameter.
std::string encode_filename(std::string_view name) {
  std::string encoded;
  for (unsigned char c : name) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      encoded += static_cast<char>(c);
    } else {
      encoded += fmt::format("%{:02X}", c);
    }
  }
  return encoded;
}

}  // namespace

RouteResult admit_document_upload(const RouteContext& context) {
  Result<UploadTarget> target = upload_target(context);
  if (!target) return std::move(target).take_problem();

  if (const std::string* length = context.request.header("content-length")) {
    std::uint64_t size = 0;
    auto [end, error] = std::from_chars(length->data(), length->data() + length->size(), size);
    if (error == std::errc() && end == length->data() + length->size()) {
      if (size > context.upload_limit) return too_large_problem(context.upload_limit);
      if (size == 0) return empty_upload_problem();
    }
  }
  return JsonReply{};
}

RouteResult upload_document(const RouteContext& context) {
  Result<UploadTarget> target = upload_target(context);
  if (!target) return std::move(target).take_problem();
  const StoredCase* stored = &target->stored;
  const UploadDescription* description = &target->description;

  UploadedFile upload = context.request.upload ? *context.request.upload : spill_body(context);
  if (upload.size == 0) {
    std::error_code ignored;
    std::filesystem::remove(upload.path, ignored);
    return empty_upload_problem();
  }
  context.documents.keep(upload.path, upload.sha256);

  StoredDocument document;
  document.id = "doc_" + random_hex(8);
  document.case_id = stored->id;
  document.kind = description->kind;
  document.title = description->title;
  document.content_type = description->content_type;
  document.size = static_cast<std::int64_t>(upload.size);
  document.sha256 = upload.sha256;
  document.uploaded_by = context.actor();
  document.uploaded_at = context.clock.now().instant;
  context.service.store().insert_document(document);
  spdlog::info("document_uploaded case={} document={} kind={} size={} sha256={}", document.case_id, document.id,
               document.kind, document.size, document.sha256);

  std::string location = fmt::format("/api/v1/cases/{}/documents/{}/content", document.case_id, document.id);
  return JsonReply{201, document_json(document), {{"Location", location}}};
}

RouteResult list_documents(const RouteContext& context) {
  if (Status names = check_query_names(context.request, {}); !names) return names.problem();
  Result<StoredCase> stored = visible_case(context);
  if (!stored) return std::move(stored).take_problem();
  std::vector<StoredDocument> documents = context.service.store().documents_of(stored->id);
  nlohmann::json items = nlohmann::json::array();
  for (const StoredDocument& document : documents) items.push_back(document_json(document));
  return JsonReply{200, page_json(std::move(items), static_cast<std::int64_t>(documents.size())), {}};
}

RouteResult get_document_content(const RouteContext& context) {
  if (Status names = check_query_names(context.request, {}); !names) return names.problem();
  Result<StoredCase> stored = visible_case(context);
  if (!stored) return std::move(stored).take_problem();
  const std::string& document_id = context.parameters.at(1);
  std::optional<StoredDocument> document = context.service.store().find_document(document_id);
  if (!document || document->case_id != stored->id) return document_not_found_problem(stored->id, document_id);

  std::filesystem::path path = context.documents.path_of(document->sha256);
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) {
    throw StoreError(fmt::format("document {} of case {}: content {} is missing", document->id, document->case_id,
                                 path.string()));
  }
  JsonReply reply{200, nullptr, {}};
  reply.file = FileBody{document->content_type, path};
  reply.headers = {{"ETag", "\"" + document->sha256 + "\""},
                   {"Content-Disposition", "attachment; filename*=UTF-8''" + encode_filename(document->title)},
                   {"X-Content-Type-Options", "nosniff"}};
  return reply;
}

}  // namespace sitecycle::http
