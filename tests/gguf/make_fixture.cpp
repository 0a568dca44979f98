// make_fixture.cpp: writes a small GGUF for the ponder-cli inspect tests (a tiny qwen2-shaped
// model with a think token, one quantized matrix and an invalid-UTF-8 general.name).
// Usage: make_fixture OUT.gguf
#include "gguf/gguf_writer.h"

#include <cstdio>

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: make_fixture OUT.gguf\n");
        return 2;
    }
    using namespace ponder;
    GgufWriter w;
    w.set("general.architecture", "qwen2");
    w.set("general.name", "fixture \xFF");
    w.set("qwen2.block_count", std::uint32_t{1});
    w.set("qwen2.context_length", std::uint32_t{4096});
    w.set("qwen2.embedding_length", std::uint32_t{256});
    w.set("qwen2.feed_forward_length", std::uint32_t{512});
    w.set("qwen2.attention.head_count", std::uint32_t{4});
    w.set("qwen2.attention.head_count_kv", std::uint32_t{2});
    w.set("tokenizer.ggml.model", "gpt2");
    w.set_array("tokenizer.ggml.tokens", std::vector<std::string>{"a", "<think>", "</think>"});
    w.add_tensor("blk.0.attn_q.weight", DType::Q4_K, {256, 256}, std::vector<float>(256 * 256, 0.01f));
    w.add_tensor("blk.0.attn_norm.weight", DType::F32, {256}, std::vector<float>(256, 1.0f));
    w.write_file(argv[1]);
    return 0;
}
