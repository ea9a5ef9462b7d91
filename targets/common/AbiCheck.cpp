// Parameter blocks against the runtime ABI (see AbiCheck.h).
#include "targets/common/AbiCheck.h"

#include "targets/common/RuntimeFiles.h"

#include <cctype>

namespace edgec::target {

namespace {

std::string stripComments(const std::string &s) {
  std::string out;
  for (size_t i = 0; i < s.size();) {
    if (s.compare(i, 2, "/*") == 0) {
      size_t e = s.find("*/", i + 2);
      i = e == std::string::npos ? s.size() : e + 2;
      out += ' ';
    } else if (s.compare(i, 2, "//") == 0) {
      size_t e = s.find('\n', i);
      i = e == std::string::npos ? s.size() : e;
    } else {
      out += s[i++];
    }
  }
  return out;
}

std::string trim(const std::string &s) {
  size_t a = 0, b = s.size();
  while (a < b && std::isspace(static_cast<unsigned char>(s[a]))) ++a;
  while (b > a && std::isspace(static_cast<unsigned char>(s[b - 1]))) --b;
  return s.substr(a, b - a);
}

bool isIdentChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

/// "const int32_t *m, *s" -> type "int32_t", names {m, s}.
void parseDeclaration(const std::string &decl, std::vector<AbiMember> &out) {
  std::string d = trim(decl);
  if (d.empty()) return;
  // The type is the words before the first declarator: find the first comma
  // (or the end), and the last identifier before it is the first name.
  std::vector<std::string> parts;
  size_t p = 0;
  while (p <= d.size()) {
    size_t e = d.find(',', p);
    if (e == std::string::npos) e = d.size();
    parts.push_back(d.substr(p, e - p));
    p = e + 1;
  }
  auto declaratorName = [](const std::string &s) {
    std::string t = s.substr(0, s.find('['));
    size_t e = t.size();
    while (e > 0 && !isIdentChar(t[e - 1])) --e;
    size_t b = e;
    while (b > 0 && isIdentChar(t[b - 1])) --b;
    return std::make_pair(t.substr(b, e - b), b);
  };
  auto [first, at] = declaratorName(parts[0]);
  std::string type = trim(parts[0].substr(0, at));
  while (!type.empty() && (type.back() == '*' || std::isspace(static_cast<unsigned char>(type.back()))))
    type.pop_back();
  if (type.rfind("const ", 0) == 0) type = trim(type.substr(6));
  out.push_back({first, type});
  for (size_t i = 1; i < parts.size(); ++i) out.push_back({declaratorName(parts[i]).first, type});
}

Status checkFields(const std::vector<Field> &fields, const std::string &ctype,
                   const std::set<std::string> &files, const std::string &where) {
  EDGEC_ASSIGN_OR_RETURN(std::vector<AbiMember> members, abiStructMembers(ctype, files));
  std::set<std::string> given;
  for (const Field &f : fields) {
    if (!given.insert(f.name).second)
      return Error(ErrorCode::Internal, where + ": field '" + f.name + "' of " + ctype + " set twice");
    const AbiMember *m = nullptr;
    for (const AbiMember &x : members)
      if (x.name == f.name) m = &x;
    if (!m)
      return Error(ErrorCode::Internal, where + ": " + ctype + " has no member '" + f.name + "'");
    if (f.value.kind == FieldValue::Kind::Struct)
      EDGEC_TRY(checkFields(f.value.fields, m->type, files, where + "." + f.name));
  }
  for (const AbiMember &m : members)
    if (!given.count(m.name))
      return Error(ErrorCode::Internal, where + ": member '" + m.name + "' of " + ctype +
                                            " is not set (a forgotten parameter would be zero)");
  return Status::ok();
}

} // namespace

Expected<std::vector<AbiMember>> abiStructMembers(const std::string &ctype,
                                                  const std::set<std::string> &files) {
  for (const std::string &f : files) {
    const std::string *content = findRuntimeFile(f);
    if (!content || content->find(ctype) == std::string::npos) continue;
    std::string text = stripComments(*content);
    for (size_t end = text.find("} " + ctype + ";"); end != std::string::npos;
         end = text.find("} " + ctype + ";", end + 1)) {
      size_t open = text.rfind("typedef struct", end);
      if (open == std::string::npos) continue;
      size_t brace = text.find('{', open);
      if (brace == std::string::npos || brace > end) continue;
      std::string body = text.substr(brace + 1, end - brace - 1);
      if (body.find('{') != std::string::npos) continue; // not a flat struct body
      std::vector<AbiMember> members;
      size_t p = 0;
      while (p < body.size()) {
        size_t e = body.find(';', p);
        if (e == std::string::npos) e = body.size();
        parseDeclaration(body.substr(p, e - p), members);
        p = e + 1;
      }
      return members;
    }
  }
  return Error(ErrorCode::Internal, "no runtime header of the package declares struct " + ctype);
}

Status checkParamBlocks(const Program &p, const std::set<std::string> &files) {
  for (const ParamBlock &b : p.params)
    EDGEC_TRY(checkFields(b.fields, b.ctype, files, "parameter block '" + b.hint + "'"));
  return Status::ok();
}

} // namespace edgec::target
