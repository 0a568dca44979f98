// crash_text.h: the deterministic "model output" the crash writer streams, so the test can rebuild it.
#pragma once

#include <time.h>
#include <cstdint>
#include <string>

namespace ponder::storage::test {

// Token k of run `seed`: a word (some Chinese, multi-byte UTF-8) and a space or newline.
inline std::string crash_token(std::uint64_t seed, std::uint64_t k) {
    static const char* const kWords[] = {"the",     "model",     "thinks", "about",  "quantization", "量子",     "计算",
                                         "weights", "attention", "推理",   "tokens", "cache",        "gradient", "。"};
    std::uint64_t x = seed * 0x9E3779B97F4A7C15ull + k * 0xBF58476D1CE4E5B9ull + 1;
    x ^= x >> 31;
    x *= 0x94D049BB133111EBull;
    x ^= x >> 29;
    std::string t = kWords[x % (sizeof kWords / sizeof kWords[0])];
    t += (x >> 8) % 11 == 0 ? '\n' : ' ';
    return t;
}

// The first `reasoning_tokens` tokens go to the reasoning, the rest to the answer.
constexpr std::uint64_t kCrashReasoningTokens = 60;

// Milliseconds on CLOCK_MONOTONIC, which parent and child processes share on Linux.
inline std::int64_t monotonic_ms() {
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<std::int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

}  // namespace ponder::storage::test
