// A small hand-built fact catalog (a subset of docs/facts.md) and helpers to compile and
// evaluate expressions in tests, so the rules tests never depend on the graph module.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "stackaudit/core/facts.hpp"
#include "stackaudit/core/time.hpp"
#include "stackaudit/core/value.hpp"
#include "stackaudit/rules/rules.hpp"

namespace stackaudit::rules::test {

const FactCatalog& catalog();

// Parameters every test expression may read.
const std::vector<ParamDef>& params();
std::vector<Value> param_values();

Date as_of();  // 2026-11-01
Date date(const char* text);

// Compiles `expr` for `kind` and evaluates it with `facts` ("alias.fact" -> value). Fails the
// current test (REQUIRE) if it does not compile or evaluate.
Value eval(const std::string& expr, const std::map<std::string, Value>& facts = {},
           const std::string& kind = "seat");

// The compile errors of `expr` (empty when it compiles).
std::vector<Error> compile_errors(const std::string& expr, const std::string& kind = "seat");

std::filesystem::path data_dir();

}  // namespace stackaudit::rules::test
