# run_fuzz.cmake: CTest driver for the GGUF fuzzer: fresh seed corpus, then a bounded libFuzzer run.
# -D FUZZER=... -D SEEDS=... -D WORK=... -D TESTDATA=... -D SECONDS=60 [-D FUZZ_SEED=N]
# note: CI uses a fixed libFuzzer seed so a red run can be reproduced and a green one does not turn
# red by chance; pass another FUZZ_SEED (e.g. the date) for exploratory runs.
if(NOT DEFINED FUZZ_SEED)
  set(FUZZ_SEED 1)
endif()
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}/corpus")
execute_process(COMMAND "${SEEDS}" "${WORK}/corpus" "${TESTDATA}" RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "seed corpus generation failed (${rc})")
endif()
execute_process(
  COMMAND "${FUZZER}" "${WORK}/corpus" -max_total_time=${SECONDS} -seed=${FUZZ_SEED} -max_len=16384 -timeout=10
          -rss_limit_mb=2048 -malloc_limit_mb=512 -print_final_stats=1 -artifact_prefix=${WORK}/
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "fuzzer found a problem (exit ${rc}); reproducer saved in ${WORK}/")
endif()
