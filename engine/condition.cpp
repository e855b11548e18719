#include "condition.h"

#include <fmt/format.h>

namespace sitecycle {

namespace {

std::optional<nlohmann::json> descend(const nlohmann::json& root, const std::vector<std::string>& parts,
                                      std::size_t from) {
  const nlohmann::json* node = &root;
  for (std::size_t i = from; i < parts.size(); ++i) {
    if (!node->is_object()) return std::nullopt;
    auto member = node->find(parts[i]);
    if (member == node->end()) return std::nullopt;
    node = &*member;
  }
  if (node->is_null()) return std::nullopt;
  return *node;
}

std::optional<nlohmann::json> resolve_link(const std::vector<std::string>& parts,
                                           const ConditionContext& context) {
  if (parts.size() < 2) return std::nullopt;
  std::optional<LinkedCaseView> linked = context.linked(parts[1]);
  if (!linked) return std::nullopt;
  if (parts.size() == 2 || (parts.size() == 3 && parts[2] == "id")) return nlohmann::json(linked->id);
  if (parts.size() == 3 && parts[2] == "state") return nlohmann::json(linked->state);
  if (parts[2] == "data" && linked->data != nullptr) return descend(*linked->data, parts, 3);
  return std::nullopt;
}

bool values_equal(const nlohmann::json& left, const nlohmann::json& right) {
  if (left.is_number() && right.is_number()) return left.get<double>() == right.get<double>();
  return left == right;
}

// Orders two numbers or two strings; nullopt when they are not comparable.
std::optional<int> order(const nlohmann::json& left, const nlohmann::json& right) {
  if (left.is_number() && right.is_number()) {
    double a = left.get<double>();
    double b = right.get<double>();
    return a < b ? -1 : (a > b ? 1 : 0);
  }
  if (left.is_string() && right.is_string()) {
    int compared = left.get_ref<const std::string&>().compare(right.get_ref<const std::string&>());
    return compared < 0 ? -1 : (compared > 0 ? 1 : 0);
  }
  return std::nullopt;
}

bool contains_value(const nlohmann::json& list, const nlohmann::json& value) {
  if (!list.is_array()) return false;
  for (const nlohmann::json& item : list) {
    if (values_equal(item, value)) return true;
  }
  return false;
}

bool compare(Comparison comparison, const std::optional<nlohmann::json>& left,
             const std::optional<nlohmann::json>& right) {
  if (comparison == Comparison::exists) {
    bool expected_present = right && right->is_boolean() ? right->get<bool>() : true;
    return left.has_value() == expected_present;
  }
  if (comparison == Comparison::ne) return !(left && right && values_equal(*left, *right));
  if (!left || !right) return false;

  switch (comparison) {
    case Comparison::eq: return values_equal(*left, *right);
    case Comparison::lt: return order(*left, *right) == -1;
    case Comparison::le: { auto o = order(*left, *right); return o && *o <= 0; }
    case Comparison::gt: return order(*left, *right) == 1;
    case Comparison::ge: { auto o = order(*left, *right); return o && *o >= 0; }
    case Comparison::in: return contains_value(*right, *left);
    case Comparison::not_in: return right->is_array() && !contains_value(*right, *left);
    default: return false;
  }
}

std::string render_value(const std::optional<nlohmann::json>& value) {
  if (!value) return "null";
  return value->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// The id of the linked case a path reads, if it reads one that exists.
std::string linked_case_of(const ValuePath& path, const ConditionContext& context) {
  if (path.parts.size() < 2 || path.parts[0] != "link") return {};
  std::optional<LinkedCaseView> linked = context.linked(path.parts[1]);
  return linked ? linked->id : std::string{};
}

ConditionFailure fail_comparison(const Condition& condition, const ConditionContext& context,
                                 const std::optional<nlohmann::json>& left,
                                 const std::optional<nlohmann::json>& right) {
  ConditionFailure failure;
  failure.condition = &condition;
  failure.subject_path = condition.subject.text;
  failure.found = left ? *left : nlohmann::json();

  std::string operand = condition.operand.path
                            ? fmt::format("{} ({})", condition.operand.path->text, render_value(right))
                            : render_value(right);
  failure.expected = fmt::format("{} {}", to_string(condition.comparison), operand);

  failure.blocking_case = linked_case_of(condition.subject, context);
  if (failure.blocking_case.empty() && condition.operand.path) {
    failure.blocking_case = linked_case_of(*condition.operand.path, context);
  }
  return failure;
}

}  // namespace

std::string_view to_string(Comparison comparison) {
  switch (comparison) {
    case Comparison::eq: return "eq";
    case Comparison::ne: return "ne";
    case Comparison::lt: return "lt";
    case Comparison::le: return "le";
    case Comparison::gt: return "gt";
    case Comparison::ge: return "ge";
    case Comparison::in: return "in";
    case Comparison::not_in: return "not_in";
    case Comparison::exists: return "exists";
  }
  return "?";
}

std::optional<nlohmann::json> resolve(const ValuePath& path, const ConditionContext& context) {
  const std::vector<std::string>& parts = path.parts;
  if (parts.empty()) return std::nullopt;

  const std::string& root = parts[0];
  if (root == "state") {
    if (parts.size() != 1) return std::nullopt;
    return nlohmann::json(context.state());
  }
  if (root == "data") return descend(context.data(), parts, 1);
  if (root == "input") return descend(context.input(), parts, 1);
  if (root == "actor") return descend(context.actor(), parts, 1);
  if (root == "link") return resolve_link(parts, context);
  return context.resolve_other(parts);
}

std::optional<ConditionFailure> evaluate(const Condition& condition, const ConditionContext& context) {
  switch (condition.kind) {
    case Condition::Kind::all:
      for (const Condition& child : condition.children) {
        if (auto failure = evaluate(child, context)) return failure;
      }
      return std::nullopt;

    case Condition::Kind::any: {
      std::optional<ConditionFailure> last_failure;
      for (const Condition& child : condition.children) {
        last_failure = evaluate(child, context);
        if (!last_failure) return std::nullopt;
      }
      if (!last_failure) last_failure = ConditionFailure{&condition, {}, {}, "any of no conditions", {}};
      if (condition.reason) last_failure->condition = &condition;
      return last_failure;
    }

    case Condition::Kind::negation: {
      if (condition.children.empty() || evaluate(condition.children.front(), context)) return std::nullopt;
      ConditionFailure failure;
      failure.condition = &condition;
      const Condition& negated = condition.children.front();
      if (negated.kind == Condition::Kind::comparison) {
        failure.subject_path = negated.subject.text;
        auto left = resolve(negated.subject, context);
        failure.found = left ? *left : nlohmann::json();
        failure.blocking_case = linked_case_of(negated.subject, context);
        failure.expected = fmt::format("not {} {}", to_string(negated.comparison),
                                       negated.operand.path ? negated.operand.path->text
                                                            : render_value(negated.operand.literal));
      } else {
        failure.expected = "not (the negated condition holds)";
      }
      return failure;
    }

    case Condition::Kind::comparison: {
      std::optional<nlohmann::json> left = resolve(condition.subject, context);
      std::optional<nlohmann::json> right =
          condition.operand.path ? resolve(*condition.operand.path, context)
                                 : std::optional<nlohmann::json>(condition.operand.literal);
      if (compare(condition.comparison, left, right)) return std::nullopt;
      return fail_comparison(condition, context, left, right);
    }
  }
  return std::nullopt;
}

LocalizedText describe(const ConditionFailure& failure) {
  std::string found = failure.found.is_null()
                          ? std::string()
                          : failure.found.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::string condition_text =
      failure.subject_path.empty() ? failure.expected : failure.subject_path + " " + failure.expected;

  LocalizedText text;
  text.en = fmt::format("condition not met: {}; found {}", condition_text, found.empty() ? "no value" : found);
  text.zh_cn = fmt::format("条件不满足：{}；实际为{}", condition_text, found.empty() ? "空" : " " + found);

  const Condition* node = failure.condition;
  if (node != nullptr && node->reason) {
    text.en = fmt::format("{} ({})", node->reason->en, text.en);
    text.zh_cn = fmt::format("{}（{}）", node->reason->zh_cn, text.zh_cn);
  }
  if (node != nullptr && !node->basis.empty()) {
    text.en += fmt::format(". Basis: {}", node->basis);
    text.zh_cn += fmt::format("。依据：{}", node->basis);
  }
  return text;
}

}  // namespace sitecycle
