# The fuzz targets and what each links: shared by fuzz/CMakeLists.txt (libFuzzer executables,
# clang) and tests/fuzz/CMakeLists.txt (replay tests of the same harnesses, any compiler).
set(STACKAUDIT_FUZZ_TARGETS csv okta_log vendor_pages vendor_exports pull expr yaml http_headers time)

set(stackaudit_fuzz_libs_csv stackaudit::core stackaudit::connectors)
set(stackaudit_fuzz_libs_okta_log stackaudit::connectors)
set(stackaudit_fuzz_libs_vendor_pages stackaudit::connectors)
set(stackaudit_fuzz_libs_vendor_exports stackaudit::connectors)
set(stackaudit_fuzz_libs_pull stackaudit::connectors)
set(stackaudit_fuzz_libs_expr stackaudit::rules stackaudit::graph)
set(stackaudit_fuzz_libs_yaml stackaudit::rules stackaudit::graph stackaudit::cli)
set(stackaudit_fuzz_libs_http_headers stackaudit::connectors simdjson::simdjson)
set(stackaudit_fuzz_libs_time stackaudit::core)

# Adds the harness of fuzz target `name` to executable `exe`. The harnesses reach a few private
# connector headers (okta_log reader options, HTTP encodings, JSON pointers), hence connectors/.
function(stackaudit_fuzz_harness exe name)
  target_sources(${exe} PRIVATE ${PROJECT_SOURCE_DIR}/fuzz/fuzz_${name}.cpp)
  target_include_directories(${exe} PRIVATE ${PROJECT_SOURCE_DIR}/fuzz ${PROJECT_SOURCE_DIR}/connectors)
  target_link_libraries(${exe} PRIVATE ${stackaudit_fuzz_libs_${name}})
  stackaudit_warnings(${exe})
endfunction()
