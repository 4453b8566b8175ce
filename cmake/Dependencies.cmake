# Every external dependency, with its minimum version, in one place. All come from Debian 12
# packages (scripts/setup.sh installs them); nothing is downloaded at build time.
find_package(CURL 7.88 REQUIRED)                            # libcurl4-openssl-dev
find_package(simdjson 3.0 REQUIRED)                         # libsimdjson-dev
find_package(Boost 1.74 REQUIRED)                           # libboost-graph-dev (header-only part)
find_package(CLI11 2.1 REQUIRED)                            # libcli11-dev
find_package(yaml-cpp 0.7 REQUIRED)                         # libyaml-cpp-dev
find_package(SQLite3 3.40 REQUIRED)                         # libsqlite3-dev
find_package(Threads REQUIRED)
if(PROJECT_IS_TOP_LEVEL)
  find_package(Catch2 2.13 REQUIRED)                        # catch2 (v2 in Debian 12)
  # Tests only: the loopback vendor API server and the planted-problem check are Python scripts.
  find_package(Python3 3.9 REQUIRED COMPONENTS Interpreter) # python3
  # The interpreter itself, not a launcher shim (pyenv's adds ~0.3 s to every server start).
  execute_process(COMMAND ${Python3_EXECUTABLE} -c "import sys; print(sys.executable)"
                  OUTPUT_VARIABLE stackaudit_python3 OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(NOT stackaudit_python3)
    set(stackaudit_python3 ${Python3_EXECUTABLE})
  endif()
endif()

# yaml-cpp 0.7 on Debian exports a plain `yaml-cpp` target; give it the namespaced spelling.
if(TARGET yaml-cpp AND NOT TARGET yaml-cpp::yaml-cpp)
  add_library(yaml-cpp::yaml-cpp ALIAS yaml-cpp)
endif()
