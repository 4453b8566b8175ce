# stackaudit_module(NAME SOURCES ...): a static library stackaudit_NAME with alias
# stackaudit::NAME, the public include/ directory, and the project's warning flags.
option(STACKAUDIT_WERROR "Treat warnings as errors" OFF)
option(STACKAUDIT_SANITIZE "Build with AddressSanitizer and UndefinedBehaviorSanitizer" OFF)

set(STACKAUDIT_WARNINGS -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast
    -Wcast-align -Woverloaded-virtual -Wconversion -Wno-sign-conversion
    -Wno-missing-field-initializers)  # designated initializers may leave fields defaulted
if(STACKAUDIT_WERROR)
  list(APPEND STACKAUDIT_WARNINGS -Werror)
endif()
if(STACKAUDIT_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()

# Fuzzing (docs/fuzzing.md): the whole project is built with clang's coverage instrumentation
# for libFuzzer plus ASan and UBSan; only the fuzz/ executables link libFuzzer's main.
option(STACKAUDIT_FUZZ "Build the libFuzzer targets (clang)" OFF)
if(STACKAUDIT_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "STACKAUDIT_FUZZ needs clang (cmake --preset fuzz uses clang-19); "
                        "the compiler is ${CMAKE_CXX_COMPILER_ID}")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
                      -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()

function(stackaudit_warnings target)
  target_compile_options(${target} PRIVATE ${STACKAUDIT_WARNINGS})
endfunction()

# While modules are being written in parallel a listed file may not exist yet; in that mode
# missing sources are dropped with a warning instead of failing everyone's configure.
option(STACKAUDIT_DEV_TOLERANT "Drop missing source files with a warning (development only)" OFF)
function(stackaudit_existing out)
  set(kept)
  foreach(src IN LISTS ARGN)
    if(IS_ABSOLUTE "${src}")
      set(path "${src}")
    else()
      set(path "${CMAKE_CURRENT_SOURCE_DIR}/${src}")
    endif()
    if(EXISTS "${path}" OR NOT STACKAUDIT_DEV_TOLERANT)
      list(APPEND kept "${src}")
    else()
      message(WARNING "${src} does not exist yet; left out")
    endif()
  endforeach()
  if(NOT kept)
    file(WRITE "${CMAKE_CURRENT_BINARY_DIR}/placeholder.cpp" "// placeholder while the module is written\n")
    set(kept "${CMAKE_CURRENT_BINARY_DIR}/placeholder.cpp")
  endif()
  set(${out} "${kept}" PARENT_SCOPE)
endfunction()

function(stackaudit_module name)
  cmake_parse_arguments(ARG "" "" "SOURCES" ${ARGN})
  stackaudit_existing(ARG_SOURCES ${ARG_SOURCES})
  add_library(stackaudit_${name} STATIC ${ARG_SOURCES})
  add_library(stackaudit::${name} ALIAS stackaudit_${name})
  target_include_directories(stackaudit_${name}
    PUBLIC $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>
    PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
  target_compile_features(stackaudit_${name} PUBLIC cxx_std_23)
  stackaudit_warnings(stackaudit_${name})
endfunction()

# stackaudit_test(NAME SOURCES ... LIBS ...): a Catch2 test executable registered with CTest,
# one CTest test per Catch2 test case.
function(stackaudit_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS" ${ARGN})
  stackaudit_existing(ARG_SOURCES ${ARG_SOURCES})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE stackaudit_test_main ${ARG_LIBS})
  target_compile_definitions(${name} PRIVATE
    STACKAUDIT_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    STACKAUDIT_TEST_DATA_DIR="${CMAKE_CURRENT_SOURCE_DIR}/data")
  stackaudit_warnings(${name})
  catch_discover_tests(${name} WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
endfunction()
