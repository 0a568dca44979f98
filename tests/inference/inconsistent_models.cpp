// inconsistent_models.cpp: the cases of inconsistent_models.h. Shapes are in ggml order
// ({row length, rows}); the base model is TinyModelSpec's default (llama, dim 64, 4 heads of 16,
// 2 KV heads, feed-forward 128, 2 layers), or for the deepseek2 cases the tiny deepseek2 model
// (tiny_deepseek2.h: dim 64, 2 heads, q_lora 32, kv_lora 64, key_length_mla 48 = 32 + rope 16,
// value_length_mla 32; layer 0 dense with feed-forward 128, layers 1-2 with 8 experts of 64 and
// one shared expert).
#include "inconsistent_models.h"

#include "gguf/gguf_writer.h"

namespace ponder::test {

std::vector<InconsistentModel> inconsistent_models() {
    const int vocab = tiny_vocab_size();
    const std::string n_vocab = std::to_string(vocab);
    std::vector<InconsistentModel> out;
    auto add = [&](std::string name, TinyModelSpec spec, std::vector<std::string> expect) {
        out.push_back({std::move(name), std::move(spec), std::nullopt, std::move(expect)});
    };
    const TinyModelSpec base;

    // --- Vocabulary against the embedding and output rows, special-token ids.
    {
        TinyModelSpec s = base;
        s.reshape["token_embd.weight"] = {64, vocab + 3};
        s.reshape["output.weight"] = {64, vocab + 3};
        add("vocab_vs_token_embd", s,
            {"tokenizer.ggml.tokens has " + n_vocab + " tokens",
             "token_embd.weight has " + std::to_string(vocab + 3) + " rows"});
    }
    {
        TinyModelSpec s = base;
        s.reshape["output.weight"] = {64, vocab - 1};
        add("vocab_vs_output_rows", s,
            {"tensor output.weight has shape [64, " + std::to_string(vocab - 1) + "], expected [64, " + n_vocab + "]",
             "vocabulary size " + n_vocab});
    }
    {
        TinyModelSpec s = base;
        s.edit = [vocab](GgufWriter& w) { w.set("llama.vocab_size", static_cast<std::uint32_t>(vocab + 1)); };
        add("vocab_size_key", s,
            {"key llama.vocab_size = " + std::to_string(vocab + 1),
             "tokenizer.ggml.tokens has " + n_vocab + " tokens"});
    }
    {
        TinyModelSpec s = base;
        s.edit = [vocab](GgufWriter& w) {
            w.set("tokenizer.ggml.bos_token_id", static_cast<std::uint32_t>(vocab + 10));
        };
        add("bos_id_out_of_range", s,
            {"key tokenizer.ggml.bos_token_id = " + std::to_string(vocab + 10),
             "outside the vocabulary of " + n_vocab + " tokens"});
    }
    {
        TinyModelSpec s = base;
        s.edit = [vocab](GgufWriter& w) { w.set("tokenizer.ggml.eot_token_id", std::int32_t{-7}); };
        add("eot_id_negative", s, {"key tokenizer.ggml.eot_token_id = -7", "outside the vocabulary of " + n_vocab});
    }
    {
        TinyModelSpec s = base;
        s.edit = [](GgufWriter& w) { w.set("tokenizer.ggml.eos_token_id", 2.0f); };
        add("eos_id_not_integer", s, {"key tokenizer.ggml.eos_token_id is f32, not a token id"});
    }

    // --- Hyper-parameters against each other.
    {
        TinyModelSpec s = base;
        s.n_heads = 6;  // 64 / 6 leaves a remainder and there is no key_length
        s.n_kv_heads = 2;
        add("dim_not_multiple_of_heads", s,
            {"llama.embedding_length 64 is not a multiple of llama.attention.head_count 6"});
    }
    {
        TinyModelSpec s = base;
        s.n_kv_heads = 3;
        add("kv_heads_do_not_divide", s, {"attention.head_count_kv = 3", "head_count = 4"});
    }
    {
        TinyModelSpec s = base;
        s.edit = [](GgufWriter& w) { w.set("llama.rope.dimension_count", std::uint32_t{24}); };
        add("rope_dim_above_head_dim", s, {"rope.dimension_count = 24", "head dimension 16"});
    }

    // --- Tensor shapes against the hyper-parameters.
    {
        TinyModelSpec s = base;
        s.reshape["blk.0.attn_q.weight"] = {64, 48};
        add("q_projection_rows", s,
            {"tensor blk.0.attn_q.weight has shape [64, 48], expected [64, 64]",
             "llama.attention.head_count 4 x head dimension 16"});
    }
    {
        TinyModelSpec s = base;
        s.reshape["blk.1.attn_k.weight"] = {64, 16};
        add("k_projection_rows", s,
            {"tensor blk.1.attn_k.weight has shape [64, 16], expected [64, 32]",
             "llama.attention.head_count_kv 2 x head dimension 16"});
    }
    {
        TinyModelSpec s = base;
        s.reshape["blk.1.attn_v.weight"] = {32, 32};
        add("v_projection_cols", s,
            {"tensor blk.1.attn_v.weight has shape [32, 32], expected [64, 32]", "llama.embedding_length 64"});
    }
    {
        TinyModelSpec s = base;
        s.reshape["blk.0.attn_output.weight"] = {48, 64};
        add("output_projection_cols", s,
            {"tensor blk.0.attn_output.weight has shape [48, 64], expected [64, 64]",
             "head_count 4 x head dimension 16"});
    }
    {
        TinyModelSpec s = base;
        s.arch = "qwen3";
        s.edit = [](GgufWriter& w) { w.set("qwen3.attention.key_length", std::uint32_t{8}); };
        add("key_length_vs_projections", s,
            {"tensor blk.0.attn_q.weight has shape [64, 64], expected [64, 32]",
             "qwen3.attention.head_count 4 x head dimension 8"});
    }
    {
        TinyModelSpec s = base;
        s.arch = "qwen3";
        s.reshape["blk.1.attn_k_norm.weight"] = {8};
        add("qk_norm_length", s, {"tensor blk.1.attn_k_norm.weight has shape [8], expected [16]", "head dimension 16"});
    }
    {
        TinyModelSpec s = base;
        s.arch = "qwen2";
        s.reshape["blk.0.attn_v.bias"] = {64};
        add("bias_length", s,
            {"tensor blk.0.attn_v.bias has shape [64], expected [32]", "qwen2.attention.head_count_kv 2"});
    }
    {
        TinyModelSpec s = base;
        s.reshape["blk.1.ffn_up.weight"] = {64, 96};
        add("ffn_up_rows", s,
            {"tensor blk.1.ffn_up.weight has shape [64, 96], expected [64, 128]", "llama.feed_forward_length 128"});
    }
    {
        TinyModelSpec s = base;
        s.reshape["blk.0.ffn_down.weight"] = {96, 64};
        add("ffn_down_cols", s,
            {"tensor blk.0.ffn_down.weight has shape [96, 64], expected [128, 64]", "llama.feed_forward_length 128"});
    }
    {
        TinyModelSpec s = base;
        s.reshape["blk.1.ffn_norm.weight"] = {32};
        add("norm_length", s,
            {"tensor blk.1.ffn_norm.weight has shape [32], expected [64]", "llama.embedding_length 64"});
    }
    {
        TinyModelSpec s = base;
        s.reshape["output_norm.weight"] = {64, 2};
        add("output_norm_rows", s, {"tensor output_norm.weight has shape [64, 2], expected [64]"});
    }
    {
        TinyModelSpec s = base;
        s.retype["blk.0.attn_norm.weight"] = DType::F16;
        add("norm_type", s, {"tensor blk.0.attn_norm.weight has type F16, expected F32"});
    }
    {
        TinyModelSpec s = base;
        s.edit = [](GgufWriter& w) {
            w.set("llama.rope.dimension_count", std::uint32_t{12});
            w.add_tensor("rope_freqs.weight", DType::F32, {8}, std::vector<float>(8, 1.0f));
        };
        add("rope_freqs_length", s,
            {"tensor rope_freqs.weight has shape [8], expected [6]", "llama.rope.dimension_count 12 / 2"});
    }
    {
        TinyModelSpec s = base;
        s.omit_tensor = "blk.1.ffn_down.weight";
        add("missing_tensor", s, {"tensor blk.1.ffn_down.weight is missing", "llama.block_count 2"});
    }
    {
        TinyModelSpec s = base;
        s.edit = [](GgufWriter& w) {
            w.add_tensor("blk.2.attn_norm.weight", DType::F32, {64}, std::vector<float>(64, 1.0f));
        };
        add("layer_beyond_block_count", s,
            {"tensor blk.2.attn_norm.weight belongs to layer 2 but llama.block_count is 2"});
    }
    {
        TinyModelSpec s = base;
        s.edit = [](GgufWriter& w) {
            w.add_tensor("blk.0.attn_output.bias", DType::F32, {64}, std::vector<float>(64, 0.0f));
        };
        add("unexpected_tensor", s, {"tensor blk.0.attn_output.bias is not part of a llama model"});
    }
    {
        TinyModelSpec s = base;
        s.dim = 256;
        s.attn_q_type = DType::IQ2_XXS;  // the CPU backend has no kernel for it
        add("unsupported_weight_type", s, {"it has no matmul on IQ2_XXS (blk.0.attn_q.weight"});
    }

    // --- deepseek2: MLA projections, the latent KV, per-head stacks, dense vs MoE layers.
    auto add_ds2 = [&](std::string name, TinyDeepseek2Spec spec, std::vector<std::string> expect) {
        InconsistentModel m{std::move(name), base, std::move(spec), std::move(expect)};
        out.push_back(std::move(m));
    };
    auto ds2_reshape = [](const std::string& tensor, std::vector<std::int64_t> shape, bool lite = false) {
        TinyDeepseek2Spec s;
        s.lite = lite;
        s.reshape[tensor] = std::move(shape);
        return s;
    };
    add_ds2(
        "ds2_q_a_rows", ds2_reshape("blk.0.attn_q_a.weight", {64, 24}),
        {"tensor blk.0.attn_q_a.weight has shape [64, 24], expected [64, 32]", "deepseek2.attention.q_lora_rank 32"});
    add_ds2("ds2_q_a_norm_length", ds2_reshape("blk.1.attn_q_a_norm.weight", {24}),
            {"tensor blk.1.attn_q_a_norm.weight has shape [24], expected [32]", "deepseek2.attention.q_lora_rank 32"});
    add_ds2("ds2_q_b_rows", ds2_reshape("blk.1.attn_q_b.weight", {32, 64}),
            {"tensor blk.1.attn_q_b.weight has shape [32, 64], expected [32, 96]",
             "deepseek2.attention.head_count 2 x deepseek2.attention.key_length_mla 48"});
    add_ds2("ds2_q_b_stacked_per_head", ds2_reshape("blk.0.attn_q_b.weight", {32, 48, 2}),
            {"tensor blk.0.attn_q_b.weight has shape [32, 48, 2], expected [32, 96]"});
    add_ds2(
        "ds2_lite_q_rows", ds2_reshape("blk.0.attn_q.weight", {64, 64}, true),
        {"tensor blk.0.attn_q.weight has shape [64, 64], expected [64, 96]", "deepseek2.attention.key_length_mla 48"});
    add_ds2("ds2_kv_a_mqa_rows", ds2_reshape("blk.2.attn_kv_a_mqa.weight", {64, 64}),
            {"tensor blk.2.attn_kv_a_mqa.weight has shape [64, 64], expected [64, 80]",
             "deepseek2.attention.kv_lora_rank 64 + deepseek2.rope.dimension_count 16"});
    add_ds2(
        "ds2_kv_a_norm_length", ds2_reshape("blk.0.attn_kv_a_norm.weight", {80}),
        {"tensor blk.0.attn_kv_a_norm.weight has shape [80], expected [64]", "deepseek2.attention.kv_lora_rank 64"});
    add_ds2("ds2_k_b_heads", ds2_reshape("blk.1.attn_k_b.weight", {32, 64, 3}),
            {"tensor blk.1.attn_k_b.weight has shape [32, 64, 3], expected [32, 64, 2]",
             "one per head: deepseek2.attention.head_count 2"});
    add_ds2("ds2_k_b_cols", ds2_reshape("blk.0.attn_k_b.weight", {48, 64, 2}),
            {"tensor blk.0.attn_k_b.weight has shape [48, 64, 2], expected [32, 64, 2]",
             "deepseek2.attention.key_length_mla 48 - deepseek2.rope.dimension_count 16"});
    add_ds2("ds2_v_b_rows", ds2_reshape("blk.2.attn_v_b.weight", {64, 16, 2}),
            {"tensor blk.2.attn_v_b.weight has shape [64, 16, 2], expected [64, 32, 2]",
             "deepseek2.attention.value_length_mla 32"});
    add_ds2("ds2_attn_output_cols", ds2_reshape("blk.1.attn_output.weight", {96, 64}),
            {"tensor blk.1.attn_output.weight has shape [96, 64], expected [64, 64]",
             "deepseek2.attention.head_count 2 x deepseek2.attention.value_length_mla 32"});
    add_ds2("ds2_dense_ffn_rows", ds2_reshape("blk.0.ffn_up.weight", {64, 64}),
            {"tensor blk.0.ffn_up.weight has shape [64, 64], expected [64, 128]", "deepseek2.feed_forward_length 128"});
    add_ds2("ds2_router_rows", ds2_reshape("blk.1.ffn_gate_inp.weight", {64, 6}),
            {"tensor blk.1.ffn_gate_inp.weight has shape [64, 6], expected [64, 8]", "deepseek2.expert_count 8"});
    add_ds2("ds2_router_bias_length", ds2_reshape("blk.2.exp_probs_b.bias", {6}),
            {"tensor blk.2.exp_probs_b.bias has shape [6], expected [8]", "deepseek2.expert_count 8"});
    add_ds2("ds2_expert_count", ds2_reshape("blk.2.ffn_gate_exps.weight", {64, 64, 4}),
            {"tensor blk.2.ffn_gate_exps.weight has shape [64, 64, 4], expected [64, 64, 8]",
             "one per expert: deepseek2.expert_count 8"});
    add_ds2("ds2_expert_ff", ds2_reshape("blk.1.ffn_down_exps.weight", {32, 64, 8}),
            {"tensor blk.1.ffn_down_exps.weight has shape [32, 64, 8], expected [64, 64, 8]",
             "deepseek2.expert_feed_forward_length 64"});
    add_ds2("ds2_shared_expert_rows", ds2_reshape("blk.1.ffn_up_shexp.weight", {64, 128}),
            {"tensor blk.1.ffn_up_shexp.weight has shape [64, 128], expected [64, 64]",
             "deepseek2.expert_feed_forward_length 64 x deepseek2.expert_shared_count 1"});
    {
        TinyDeepseek2Spec s;
        s.retype["blk.0.attn_kv_a_norm.weight"] = DType::F16;
        add_ds2("ds2_norm_type", s, {"tensor blk.0.attn_kv_a_norm.weight has type F16, expected F32"});
    }
    {
        TinyDeepseek2Spec s;
        s.retype["blk.1.exp_probs_b.bias"] = DType::F16;
        add_ds2("ds2_router_bias_type", s, {"tensor blk.1.exp_probs_b.bias has type F16, expected F32"});
    }
    {
        TinyDeepseek2Spec s;
        s.omit_tensor = "blk.1.ffn_gate_shexp.weight";
        add_ds2("ds2_missing_shared_expert", s,
                {"tensor blk.1.ffn_gate_shexp.weight is missing", "deepseek2.expert_shared_count 1"});
    }
    {
        TinyDeepseek2Spec s;
        s.omit_tensor = "blk.2.attn_k_b.weight";
        add_ds2("ds2_missing_tensor", s,
                {"tensor blk.2.attn_k_b.weight is missing", "deepseek2.block_count 3", "[32, 64, 2]",
                 "one per head: deepseek2.attention.head_count 2"});
    }
    {
        TinyDeepseek2Spec s;
        s.edit = [](GgufWriter& w) {
            w.add_tensor("blk.0.ffn_gate_inp.weight", DType::F32, {64, 8}, std::vector<float>(512, 0.0f));
        };
        add_ds2("ds2_experts_in_dense_layer", s,
                {"tensor blk.0.ffn_gate_inp.weight is not part of a deepseek2 model",
                 "layer 0 is a dense layer: deepseek2.leading_dense_block_count is 1"});
    }
    {
        TinyDeepseek2Spec s;
        s.edit = [](GgufWriter& w) {
            w.add_tensor("blk.2.ffn_gate.weight", DType::F32, {64, 128}, std::vector<float>(8192, 0.0f));
        };
        add_ds2("ds2_dense_ffn_in_moe_layer", s,
                {"tensor blk.2.ffn_gate.weight is not part of a deepseek2 model",
                 "layer 2 is a mixture-of-experts layer: deepseek2.leading_dense_block_count is 1"});
    }
    {
        TinyDeepseek2Spec s;
        s.edit = [](GgufWriter& w) {
            w.add_tensor("blk.3.attn_norm.weight", DType::F32, {64}, std::vector<float>(64, 1.0f));
        };
        add_ds2("ds2_layer_beyond_block_count", s,
                {"tensor blk.3.attn_norm.weight belongs to layer 3 but deepseek2.block_count is 3"});
    }

    // --- The GGUF specification's own limits.
    {
        TinyModelSpec s = base;
        s.edit = [](GgufWriter& w) {
            w.add_tensor("blk.0." + std::string(59, 'x'), DType::F32, {4}, std::vector<float>(4, 0.0f));
        };
        add("tensor_name_length", s, {"name is 65 bytes long; the GGUF specification allows at most 64"});
    }
    {
        TinyModelSpec s = base;
        s.edit = [](GgufWriter& w) { w.set("general.name", std::uint32_t{1}); };
        add("general_key_type", s, {"key general.name is declared string by the GGUF specification but is u32"});
    }
    {
        TinyModelSpec s = base;
        s.edit = [](GgufWriter& w) { w.set("general.file_type", 15.0f); };
        add("general_file_type_type", s,
            {"key general.file_type is declared u32 by the GGUF specification but is f32"});
    }
    return out;
}

void write_inconsistent_model(const std::filesystem::path& path, const InconsistentModel& m) {
    if (m.ds2)
        write_tiny_deepseek2(path, *m.ds2);
    else
        write_tiny_model(path, m.spec);
}

}  // namespace ponder::test
