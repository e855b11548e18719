// Guard and filter conditions: structured trees of comparisons, never strings to interpret.
#pragma once

#include "localized_text.h"
#include "position.h"

#include <nlohmann/json.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sitecycle {

// A path into the evaluation context:
//   state, data.FIELD[.SUB...], input.FIELD[.SUB...], actor.role, actor.org, actor.user,
//   link.ROLE (the linked case's id), link.ROLE.state, link.ROLE.data.FIELD[.SUB...],
//   setting.NAME (the case's value of a workflow setting).
// A path that does not resolve yields no value.
struct ValuePath {
  std::string text;                 // as written, for messages
  std::vector<std::string> parts;   // split on '.'
};

enum class Comparison { eq, ne, lt, le, gt, ge, in, not_in, exists };

// The right-hand side of a comparison: a literal, or another path.
struct Operand {
  std::optional<ValuePath> path;
  nlohmann::json literal;
};

// One node of a condition tree. Leaves compare a path with an operand; inner nodes combine
// children. `reason` and `basis` (a legal source such as "SPPCL 59") are shown when the node
// fails.
struct Condition {
  enum class Kind { all, any, negation, comparison };

  Kind kind = Kind::all;
  std::vector<Condition> children;  // all, any: the operands; negation: exactly one
  ValuePath subject;                // comparison only
  Comparison comparison = Comparison::eq;
  Operand operand;
  std::optional<LocalizedText> reason;
  std::string basis;
  Position position;
};

// The values a condition is evaluated against. Linked cases are looked up by link role through
// `linked`, which returns nullopt for a role with no linked case.
struct LinkedCaseView {
  std::string id;
  std::string state;
  const nlohmann::json* data = nullptr;
};

class ConditionContext {
 public:
  virtual ~ConditionContext() = default;
  virtual std::string state() const = 0;
  virtual const nlohmann::json& data() const = 0;
  virtual const nlohmann::json& input() const = 0;
  virtual const nlohmann::json& actor() const = 0;  // {"role","org","user"}
  virtual std::optional<LinkedCaseView> linked(const std::string& role) const = 0;
  // Paths outside state, data, input, actor and link (now.date, case.id), for effects.
  virtual std::optional<nlohmann::json> resolve_other(const std::vector<std::string>& parts) const {
    (void)parts;
    return std::nullopt;
  }
};

// The first condition that made the tree false, with what was compared.
struct ConditionFailure {
  const Condition* condition = nullptr;
  std::string subject_path;
  nlohmann::json found;       // null when the path did not resolve
  std::string expected;       // "eq \"passed\"", "le data.planned_class (2)", ...
  std::string blocking_case;  // id of the linked case the failing leaf reads, if any
};

// Returns nullopt when the condition holds, else the first failing leaf. For `any`, the failure
// of its last child is reported; for `not`, the negated subtree itself.
std::optional<ConditionFailure> evaluate(const Condition& condition, const ConditionContext& context);

// Resolves a path against a context. Returns nullopt when the path does not resolve or its value
// is null.
std::optional<nlohmann::json> resolve(const ValuePath& path, const ConditionContext& context);

// Renders a failure as a message in both languages, using the failing node's reason when set.
LocalizedText describe(const ConditionFailure& failure);

std::string_view to_string(Comparison comparison);

}  // namespace sitecycle
