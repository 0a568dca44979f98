// tokenizer_bench.cpp: encode/decode speed on a 100 KB English/code/CJK text, and vocab load time
// (a benchmark that prints figures; not a CTest test). Usage: tokenizer_bench [VOCAB.gguf ...]
// Without arguments it uses the qwen2 and llama-bpe vocabularies from the reference data.
#include "tokenizer/tokenizer.h"

#include "support/testdata.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t0) { return std::chrono::duration<double, std::milli>(Clock::now() - t0).count(); }

// CPU time of this thread: on a busy (shared) machine it shows the work itself, without the
// time spent waiting for a core.
double thread_cpu_ms() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

// ~100 KB of mixed text: prose, code, Chinese and Japanese, numbers, emoji. Snippets are cycled
// with a running counter so that numbers and identifiers vary.
std::string make_text(std::size_t target_bytes) {
    const char* const snippets[] = {
        "The committee met on Tuesday to review the proposal. After a long discussion about costs, "
        "schedules and the risks of delaying the migration, they agreed to start with a small pilot. ",
        "Once upon a time, in a quiet village by the sea, there lived an old fisherman who knew every "
        "current of the bay. Children would gather around him in the evening to hear his stories.\n\n",
        "def tokenize(text: str, vocab: dict[str, int]) -> list[int]:\n    ids = []\n    for word in "
        "text.split():\n        ids.append(vocab.get(word, UNK))\n    return ids\n\n",
        "for (std::size_t i = 0; i < rows; ++i) {\n    float acc = 0.0f;\n    for (int k = 0; k < n; ++k) "
        "acc += w[i * n + k] * x[k];\n    out[i] = acc;  // matvec\n}\n",
        "\xE4\xBB\x8A\xE5\xA4\xA9\xE7\x9A\x84\xE5\xA4\xA9\xE6\xB0\x94\xE5\xBE\x88\xE5\xA5\xBD\xEF\xBC\x8C"
        "\xE6\x88\x91\xE4\xBB\xAC\xE5\x8E\xBB\xE5\x85\xAC\xE5\x9B\xAD\xE6\x95\xA3\xE6\xAD\xA5\xE5\x90\xA7"
        "\xE3\x80\x82\xE6\x9C\xBA\xE5\x99\xA8\xE5\xAD\xA6\xE4\xB9\xA0\xE6\xA8\xA1\xE5\x9E\x8B\xE9\x9C\x80"
        "\xE8\xA6\x81\xE5\xA4\xA7\xE9\x87\x8F\xE7\x9A\x84\xE6\x95\xB0\xE6\x8D\xAE\xE3\x80\x82\n",
        "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E\xE3\x81\xAE\xE3\x83\x86\xE3\x82\xAD\xE3\x82\xB9\xE3\x83\x88"
        "\xE3\x82\x82\xE5\x90\xAB\xE3\x81\xBE\xE3\x82\x8C\xE3\x81\xA6\xE3\x81\x84\xE3\x81\xBE\xE3\x81\x99"
        "\xE3\x80\x82\xE3\x81\x93\xE3\x82\x8C\xE3\x81\xAF\xE3\x83\x86\xE3\x82\xB9\xE3\x83\x88\xE3\x81\xA7"
        "\xE3\x81\x99\xE3\x80\x82 ",
        "Result: 12345.678 items at $9.99 each (total \xE2\x82\xAC 4,321.00) \xF0\x9F\x9A\x80\xF0\x9F\xA6\x99 "
        "\xE2\x80\x94 caf\xC3\xA9, na\xC3\xAFve, r\xC3\xA9sum\xC3\xA9. ",
        "<div class=\"card\"><span id=\"title\">Hello, world!</span></div>\n{\"key\": [1, 2, 3], \"ok\": true}\n",
    };
    std::string text;
    text.reserve(target_bytes + 512);
    for (std::size_t i = 0; text.size() < target_bytes; ++i) {
        text += snippets[i % (sizeof snippets / sizeof snippets[0])];
        if (i % 5 == 4) text += "Item " + std::to_string(i * 37 % 10007) + ": value_" + std::to_string(i) + "\n";
    }
    text.resize(target_bytes);
    // Do not end inside a multi-byte character.
    while (!text.empty() && (static_cast<unsigned char>(text.back()) & 0xC0) == 0x80) text.pop_back();
    if (!text.empty() && static_cast<unsigned char>(text.back()) >= 0xC0) text.pop_back();
    return text;
}

void bench(const std::filesystem::path& path, const std::string& text) {
    const auto t0 = Clock::now();
    const double c0 = thread_cpu_ms();
    const auto tok = ponder::Tokenizer::from_file(path);
    const double load_ms = ms_since(t0), load_cpu_ms = thread_cpu_ms() - c0;

    std::vector<double> encode_ms, encode_cpu_ms, decode_ms;
    std::vector<std::int32_t> ids;
    for (int run = 0; run < 7; ++run) {
        auto t = Clock::now();
        const double c = thread_cpu_ms();
        ids = tok->encode(text, false, false);
        encode_ms.push_back(ms_since(t));
        encode_cpu_ms.push_back(thread_cpu_ms() - c);
        t = Clock::now();
        const std::string back = tok->decode(ids);
        decode_ms.push_back(ms_since(t));
        if (back != text) std::printf("  warning: decode(encode(text)) differs from the text\n");
    }
    std::sort(encode_ms.begin(), encode_ms.end());
    std::sort(encode_cpu_ms.begin(), encode_cpu_ms.end());
    std::sort(decode_ms.begin(), decode_ms.end());
    const double enc = encode_ms[encode_ms.size() / 2], dec = decode_ms[decode_ms.size() / 2];
    const double mb = static_cast<double>(text.size()) / 1e6;
    const double enc_cpu = encode_cpu_ms[encode_cpu_ms.size() / 2];
    std::printf("%s: %d tokens, %zu merges\n", path.filename().string().c_str(), tok->vocab_size(),
                tok->vocab().merges.size());
    std::printf("  load   %7.1f ms (cpu %.1f ms)\n", load_ms, load_cpu_ms);
    std::printf(
        "  encode %zu bytes -> %zu tokens: median %.2f ms (cpu %.2f ms, best %.2f ms) = %.2f MB/s, %.0f tokens/s\n",
        text.size(), ids.size(), enc, enc_cpu, encode_ms.front(), mb / (enc / 1000.0),
        static_cast<double>(ids.size()) / (enc / 1000.0));
    std::printf("  decode %zu tokens: median %.2f ms\n", ids.size(), dec);
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::filesystem::path> vocabs(argv + 1, argv + argc);
    if (vocabs.empty()) {
        if (!ponder::test::testdata_dir()) {
            std::fprintf(stderr, "tokenizer_bench: no reference data (PONDER_TESTDATA_DIR); pass VOCAB.gguf files\n");
            return 1;
        }
        vocabs = {ponder::test::testdata_path("tokenizer/ggml-vocab-qwen2.gguf"),
                  ponder::test::testdata_path("tokenizer/ggml-vocab-llama-bpe.gguf")};
    }
    const std::string text = make_text(100 * 1024);
    std::printf("tokenizer_bench: %zu bytes of mixed English/code/CJK text, one thread, median of 7 runs\n",
                text.size());
    try {
        for (const auto& v : vocabs) bench(v, text);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "error: %s\n", e.what());
        return 1;
    }
    return 0;
}
