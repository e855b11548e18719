// Exit codes and bilingual output shared by the sitecycle commands.
#pragma once

#include "engine/diagnostic.h"
#include "engine/localized_text.h"

#include <string>
#include <string_view>

namespace sitecycle::cli {

// The exit status contract of every command (docs/cli.md).
enum ExitCode : int {
  kExitSuccess = 0,
  kExitCheckFailed = 1,  // a check or an expectation failed
  kExitUsage = 2,        // bad usage or unreadable input
};

// Prints one line to standard error in the chosen language.
void print_error(Language language, const std::string& zh_cn, const std::string& en);
// Prints one line to standard output in the chosen language.
void print_line(Language language, const std::string& zh_cn, const std::string& en);
void print_diagnostics(Language language, const Diagnostics& diagnostics);

// Maps a --lang value: "en" and "en-*" give English, anything else zh-CN.
Language language_from_flag(std::string_view value);

}  // namespace sitecycle::cli
