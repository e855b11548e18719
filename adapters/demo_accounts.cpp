#include "adapters/demo_accounts.h"

#include "adapters/api_token.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <array>
#include <fstream>
#include <map>
#include <stdexcept>
#include <system_error>

namespace sitecycle {

namespace {

// Demo organisations. The firms' ids are those the example scenarios record as actors, so a
// demo firm may read the example cases it acted on. No name or credit code is invented: each name
// gives the kind of body and marks it as a demo.
struct DemoOrganisation {
  std::string_view id;
  OrganisationType type;
  std::string_view district;
  std::string_view name_zh_cn;
  std::string_view name_en;
};

constexpr std::array<DemoOrganisation, 15> kOrganisations{{
    {"city_eeb", OrganisationType::ecology_bureau, "", "上海市生态环境局（示例）", "Shanghai Bureau of Ecology and Environment (demo)"},
    {"city_pnrb", OrganisationType::planning_bureau, "", "上海市规划和自然资源局（示例）", "Shanghai Planning and Natural Resources Bureau (demo)"},
    {"pudong_eeb", OrganisationType::ecology_bureau, "pudong", "浦东新区生态环境局（示例）", "Pudong Ecology and Environment Bureau (demo)"},
    {"pudong_pnrb", OrganisationType::land_bureau, "pudong", "浦东新区规划和自然资源局（示例）", "Pudong Planning and Natural Resources Bureau (demo)"},
    {"jiading_pnrb", OrganisationType::land_bureau, "jiading", "嘉定区规划和自然资源局（示例）", "Jiading Planning and Natural Resources Bureau (demo)"},
    {"qingpu_land_reserve_centre", OrganisationType::land_reserve_centre, "qingpu", "青浦区土地储备中心（示例）", "Qingpu Land Reserve Centre (demo)"},
    {"pudong_government", OrganisationType::government, "pudong", "浦东新区人民政府及其部门（示例）", "Pudong New Area government and its departments (demo)"},
    {"songjiang_edz_committee", OrganisationType::government, "songjiang", "松江区开发区管委会（示例）", "Songjiang development zone committee (demo)"},
    {"city_expert_panel", OrganisationType::expert_panel, "", "评审专家组（示例）", "Expert review panel (demo)"},
    {"greenment", OrganisationType::firm, "", "调查评估单位甲（示例）", "Consultancy A (demo)"},
    {"shanghai_huanzuan", OrganisationType::firm, "", "调查评估单位乙（示例）", "Consultancy B (demo)"},
    {"demo_contractor", OrganisationType::firm, "", "修复施工单位（示例）", "Remediation contractor (demo)"},
    {"demo_supervision", OrganisationType::firm, "", "环境监理单位（示例）", "Environmental supervisor (demo)"},
    {"demo_evaluator", OrganisationType::evaluator, "", "效果评估单位（示例）", "Effect evaluation unit (demo)"},
    {"demo_enterprise", OrganisationType::enterprise, "", "土地使用权人或重点监管单位（示例）", "Land holder or key supervised unit (demo)"},
}};

// The organisation each role's demo user acts for; roles not listed act for demo_enterprise.
const std::map<std::string, std::string, std::less<>>& organisation_of_role() {
  static const std::map<std::string, std::string, std::less<>> kOrganisationOfRole{
      {"land_bureau", "pudong_pnrb"},
      {"land_reserve_centre", "qingpu_land_reserve_centre"},
      {"land_holder", "demo_enterprise"},
      {"commissioning_party", "songjiang_edz_committee"},
      {"consultant", "greenment"},
      {"district_eeb", "pudong_eeb"},
      {"city_eeb", "city_eeb"},
      {"city_pnrb", "city_pnrb"},
      {"responsible_party", "demo_enterprise"},
      {"remediation_contractor", "demo_contractor"},
      {"environmental_supervisor", "demo_supervision"},
      {"effect_evaluator", "demo_evaluator"},
      {"expert_panel", "city_expert_panel"},
      {"key_unit", "demo_enterprise"},
      {"economy_bureau", "pudong_government"},
      {"agriculture_bureau", "pudong_government"},
      {"district_government", "pudong_government"},
  };
  return kOrganisationOfRole;
}

// Users beyond one per role: a consultant of another firm, to show one firm failing to see the
// other's cases, and the land bureau of Jiading, where an example parcel is ready for supply.
struct ExtraUser {
  std::string_view id;
  std::string_view org_id;
  std::string_view role;
  std::string_view name;
};

constexpr std::array<ExtraUser, 2> kExtraUsers{{
    {"demo_consultant_b", "shanghai_huanzuan", "consultant", "调查评估单位乙（示例用户）"},
    {"demo_land_bureau_jiading", "jiading_pnrb", "land_bureau", "嘉定区规划和自然资源局（示例用户）"},
}};

void add_organisations(IdentityStore& identities, Instant now) {
  for (const DemoOrganisation& organisation : kOrganisations) {
    identities.add_organisation({std::string(organisation.id), organisation.type, std::string(organisation.district),
                                 {std::string(organisation.name_zh_cn), std::string(organisation.name_en)}, "", now});
  }
}

std::vector<User> demo_users(const RoleCatalog& roles, Instant now) {
  std::vector<User> users;
  for (const auto& [role, title] : roles.roles) {
    if (role == kSystemRole) continue;
    auto org = organisation_of_role().find(role);
    std::string org_id = org == organisation_of_role().end() ? "demo_enterprise" : org->second;
    users.push_back({"demo_" + role, org_id, role, title.zh_cn + "（示例用户）", false, now});
  }
  for (const ExtraUser& extra : kExtraUsers) {
    if (!roles.contains(extra.role)) continue;
    users.push_back({std::string(extra.id), std::string(extra.org_id), std::string(extra.role), std::string(extra.name),
                     false, now});
  }
  return users;
}

std::map<std::string, std::string> read_saved_tokens(const std::filesystem::path& file) {
  std::map<std::string, std::string> tokens;
  std::ifstream stream(file);
  if (!stream) return tokens;
  nlohmann::json saved = nlohmann::json::parse(stream, nullptr, false);
  if (!saved.is_object() || !saved.contains("users") || !saved["users"].is_object()) return tokens;
  for (const auto& [user_id, entry] : saved["users"].items()) {
    if (entry.is_object() && entry.contains("token") && entry["token"].is_string()) {
      tokens[user_id] = entry["token"].get<std::string>();
    }
  }
  return tokens;
}

// Whether `text` is a current token of `user_id`.
bool still_signs_in(IdentityStore& identities, const std::string& text, const std::string& user_id, Instant now) {
  std::optional<TokenParts> parts = parse_token(text);
  if (!parts) return false;
  std::optional<ApiToken> token = identities.find_token(parts->id);
  return token && token->user_id == user_id && !token->revoked_at && (!token->expires_at || *token->expires_at > now) &&
         token_secret_matches(parts->secret, token->secret_hash);
}

std::string issue_demo_token(IdentityStore& identities, const std::string& user_id, Instant now) {
  GeneratedToken generated = generate_token();
  identities.add_token({generated.parts.id, user_id, generated.secret_hash, "demo", now, std::nullopt, std::nullopt});
  return generated.text;
}

// Writes `content` to `file` through a temporary file that only its owner can read, then
// renames it into place.
void write_private_file(const std::filesystem::path& file, const std::string& content) {
  std::filesystem::path temporary = file;
  temporary += ".tmp";
  {
    std::ofstream stream(temporary, std::ios::trunc);
    if (!stream) throw std::runtime_error("cannot write " + temporary.string());
  }
  std::filesystem::permissions(temporary, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write,
                               std::filesystem::perm_options::replace);
  {
    std::ofstream stream(temporary, std::ios::trunc);
    stream << content;
    if (!stream.flush()) throw std::runtime_error("cannot write " + temporary.string());
  }
  std::error_code error;
  std::filesystem::rename(temporary, file, error);
  if (error) throw std::runtime_error("cannot replace " + file.string() + ": " + error.message());
}

}  // namespace

std::filesystem::path demo_tokens_path(const std::filesystem::path& database_file) {
  return database_file.parent_path() / "demo-tokens.json";
}

std::vector<DemoAccount> prepare_demo_accounts(IdentityStore& identities, const RoleCatalog& roles,
                                               const std::filesystem::path& tokens_file, Instant now) {
  add_organisations(identities, now);
  std::map<std::string, std::string> saved = read_saved_tokens(tokens_file);

  std::vector<DemoAccount> accounts;
  nlohmann::json users = nlohmann::json::object();
  for (User& user : demo_users(roles, now)) {
    identities.add_user(user);
    std::optional<User> stored = identities.find_user(user.id);
    if (stored && stored->disabled) continue;  // an administrator disabled it; respect that
    auto kept = saved.find(user.id);
    std::string token = kept != saved.end() && still_signs_in(identities, kept->second, user.id, now)
                            ? kept->second
                            : issue_demo_token(identities, user.id, now);
    users[user.id] = {{"role", user.role}, {"org", user.org_id}, {"token", token}};
    accounts.push_back({user.id, user.role, user.org_id, std::move(token)});
  }

  nlohmann::json file{
      {"note", "Demo tokens of sitecycle serve --demo. Each is a password: keep this file private. "
               "示例服务的令牌，等同密码，请勿外传。"},
      {"users", std::move(users)}};
  write_private_file(tokens_file, file.dump(2) + "\n");
  spdlog::info("demo accounts ready: users={} tokens_file={}", accounts.size(), tokens_file.string());
  return accounts;
}

}  // namespace sitecycle
