// tiny_model.h: writes small random-weight llama/qwen2/qwen3 GGUF files (with a byte-level
// SentencePiece vocabulary and a ChatML template) so the engine can be tested without reference data.
#pragma once

#include "quant/types.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace ponder {
class GgufWriter;
}

namespace ponder::test {

struct TinyModelSpec {
    std::string arch = "llama";  // written as general.architecture (any text: tests bad ones too)
    int dim = 64;
    int n_layers = 2;
    int n_heads = 4;
    int n_kv_heads = 2;
    int hidden_dim = 128;
    int context_length = 512;
    DType weight_type = DType::F32;  // matrices; norms and biases stay F32
    DType attn_q_type = DType::F32;  // override for blk.*.attn_q.weight (unsupported-type test)
    bool tied_output = false;
    bool chat_template = true;
    bool think_template = false;  // generation prompt opens a think block ("<think>\n")
    std::uint64_t seed = 1;
    std::string omit_tensor;  // leave this tensor out (bad-file tests)
    // Bad-file tests: write these tensors with another shape (ggml order) or type (small values),
    // then let `edit` change anything else (keys, extra tensors) just before the file is written.
    std::map<std::string, std::vector<std::int64_t>> reshape;
    std::map<std::string, DType> retype;
    std::function<void(GgufWriter&)> edit;
};

// Special token ids of the fixture vocabulary.
struct TinyVocab {
    static constexpr int unk = 0, bos = 1, eos = 2, im_start = 3, im_end = 4, think = 5, end_think = 6;
    static constexpr int first_byte = 7;  // <0x00> .. <0xFF> follow
};

// Number of tokens in the fixture vocabulary (token_embd rows).
int tiny_vocab_size();

// Writes the model and returns its file size. EOG tokens get zero output rows, so greedy decoding
// never ends a turn by itself (tests of long generations stay deterministic).
std::uint64_t write_tiny_model(const std::filesystem::path& path, const TinyModelSpec& spec);

}  // namespace ponder::test
