// Building JSON pointers (RFC 6901) for field errors.
#pragma once

#include <string>
#include <string_view>

namespace sitecycle {

// Appends one reference token to a pointer, escaping "~" as "~0" and "/" as "~1", so that
// "/data" + "area/m2" gives "/data/area~1m2".
inline std::string append_pointer(const std::string& pointer, std::string_view key) {
  std::string result = pointer + "/";
  for (char c : key) {
    if (c == '~') {
      result += "~0";
    } else if (c == '/') {
      result += "~1";
    } else {
      result.push_back(c);
    }
  }
  return result;
}

}  // namespace sitecycle
