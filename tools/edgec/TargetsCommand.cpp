// edgec targets: the registered targets, their options and supported ops.
#include "Commands.h"

#include "support/Json.h"
#include "targets/Target.h"

#include <iostream>

namespace edgec::tool {

namespace {

struct TargetsOptions {
  std::string name;
  bool json = false;
};

Status runTargets(const TargetsOptions &o) {
  std::vector<std::string> names = target::targetNames();
  if (!o.name.empty()) names = {o.name};
  Json all = Json::array();
  for (const std::string &n : names) {
    EDGEC_ASSIGN_OR_RETURN(std::unique_ptr<target::Target> t, target::createTarget(n));
    Json j = Json::object();
    j["name"] = t->name();
    j["description"] = t->description();
    j["layout"] = target::layoutName(t->preferredLayout());
    Json opts = Json::array();
    for (const target::TargetOption &x : t->options()) {
      Json oj = Json::object();
      oj["name"] = x.name;
      oj["help"] = x.help;
      oj["default"] = x.defaultValue;
      Json ch = Json::array();
      for (const std::string &c : x.choices) ch.push(c);
      oj["choices"] = ch;
      opts.push(oj);
    }
    j["options"] = opts;
    Json ops = Json::array();
    for (const target::OpSupport &s : t->supportedOps()) {
      Json sj = Json::object();
      sj["op"] = s.op;
      Json ty = Json::array();
      for (const std::string &x : s.types) ty.push(x);
      sj["types"] = ty;
      sj["note"] = s.note;
      ops.push(sj);
    }
    j["ops"] = ops;
    all.push(j);
    if (o.json) continue;
    std::cout << t->name() << ": " << t->description() << "\n  layout: "
              << target::layoutName(t->preferredLayout()) << "\n  options:\n";
    for (const target::TargetOption &x : t->options()) {
      std::cout << "    " << x.name << " (default " << x.defaultValue << ")";
      if (!x.choices.empty()) {
        std::cout << " [";
        for (size_t i = 0; i < x.choices.size(); ++i) std::cout << (i ? "|" : "") << x.choices[i];
        std::cout << "]";
      }
      std::cout << "\n      " << x.help << "\n";
    }
    std::cout << "  ops:\n";
    for (const target::OpSupport &s : t->supportedOps()) {
      std::cout << "    " << s.op << " (";
      for (size_t i = 0; i < s.types.size(); ++i) std::cout << (i ? ", " : "") << s.types[i];
      std::cout << ")" << (s.note.empty() ? "" : ": " + s.note) << "\n";
    }
  }
  if (o.json) std::cout << all.dump() << "\n";
  return Status::ok();
}

} // namespace

Runner addTargetsCommand(CLI::App &app) {
  auto o = std::make_shared<TargetsOptions>();
  CLI::App *c = app.add_subcommand("targets", "list targets, their options and supported ops");
  c->add_option("name", o->name, "only this target");
  c->add_flag("--json", o->json, "machine-readable output");
  return [o] { return runTargets(*o); };
}

} // namespace edgec::tool
