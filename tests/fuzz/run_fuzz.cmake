# run_fuzz.cmake: CTest driver for the fuzzer: fresh seed corpus, then a bounded libFuzzer run.
# -D FUZZER=... -D SEEDS=... -D WORK=... -D TESTDATA=... -D SECONDS=60 [-D MODE=gguf|model]
# [-D MAX_LEN=16384] [-D FUZZ_SEED=N]
# note: CI uses a fixed libFuzzer seed so a red run can be reproduced and a green one does not turn
# red by chance; pass another FUZZ_SEED (e.g. the date) for exploratory runs.
if(NOT DEFINED FUZZ_SEED)
  set(FUZZ_SEED 1)
endif()
if(NOT DEFINED MODE)
  set(MODE gguf)
endif()
if(NOT DEFINED MAX_LEN)
  set(MAX_LEN 16384)
endif()
set(_seed_flags)
if(MODE STREQUAL "model")
  set(_seed_flags --models)
endif()
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}/corpus")
execute_process(COMMAND "${SEEDS}" "${WORK}/corpus" "${TESTDATA}" ${_seed_flags} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "seed corpus generation failed (${rc})")
endif()
execute_process(
  COMMAND "${CMAKE_COMMAND}" -E env PONDER_FUZZ_MODE=${MODE}
          "${FUZZER}" "${WORK}/corpus" -max_total_time=${SECONDS} -seed=${FUZZ_SEED} -max_len=${MAX_LEN} -timeout=10
          -rss_limit_mb=2048 -malloc_limit_mb=512 -print_final_stats=1 -artifact_prefix=${WORK}/
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "fuzzer found a problem (exit ${rc}); reproducer saved in ${WORK}/")
endif()
