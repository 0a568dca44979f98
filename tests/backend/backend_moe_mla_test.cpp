// backend_moe_mla_test.cpp: the ops deepseek2 adds (MoE routing, per-row expert matmul, expert
// combination, RoPE at an offset with YaRN, attention whose values are the keys) for every
// backend variant, against naive reference math.
#include "backend_test_util.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

namespace ponder::test {
namespace {

// A backend other than the CPU may lack these ops; it must then say so in supports(), and the
// loader refuses deepseek2 files on it before loading (tests/inference/step_test.cpp).
#define SKIP_UNLESS_SUPPORTED(op)                                               \
    do {                                                                        \
        if (b->kind() != BackendKind::Cpu && !b->supports(op, DType::F32))      \
            GTEST_SKIP() << b->name() << " does not support " << to_string(op); \
    } while (0)

class DeepseekOps : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        for (const BackendVariant& v : backend_variants())
            if (v.name == GetParam()) b = v.create(2);
        ASSERT_TRUE(b);
    }
    Tensor upload_i32(const std::vector<std::int32_t>& v, std::int64_t rows, std::int64_t cols) {
        const Tensor t = b->alloc(DType::I32, rows, cols);
        b->upload(t, v.data(), v.size() * sizeof(std::int32_t));
        return t;
    }
    std::vector<std::int32_t> download_i32(const Tensor& t) {
        std::vector<std::int32_t> v(static_cast<std::size_t>(t.rows * t.cols));
        b->download(t, v.data(), v.size() * sizeof(std::int32_t));
        b->finish();
        return v;
    }
    // The CPU's SIMD kernels round x to 8 bits for quantized weights (as llama.cpp's CPU):
    // measured 2.8e-5 (Q8_0 activations) to 5.1e-5 (Q8_K). The scalar table keeps x in float:
    // 1.3e-14 to 2.7e-14, held to 1e-10. The Vulkan shaders round x as the SIMD kernels do on a
    // device with the integer dot product (lavapipe has it), and keep it in float without:
    // vulkan_backend_test holds both paths to their references at 1e-10.
    bool keeps_float_activations() const { return GetParam() == "cpu-scalar"; }
    std::unique_ptr<Backend> b;
};

// Routing written out the slow way (double math, full sorts).
void reference_route(const std::vector<float>& logits, const std::vector<float>& bias, const MoeRouting& p, int tokens,
                     std::vector<std::int32_t>& ids, std::vector<float>& weights) {
    const int n = p.n_experts, k = p.n_used, per_group = n / p.n_groups;
    for (int t = 0; t < tokens; ++t) {
        std::vector<double> prob(n), score(n);
        double mx = -1e300, sum = 0;
        for (int e = 0; e < n; ++e) mx = std::max(mx, double(logits[t * n + e]));
        for (int e = 0; e < n; ++e) {
            const double l = logits[t * n + e];
            prob[e] = p.sigmoid ? 1.0 / (1.0 + std::exp(-l)) : std::exp(l - mx);
            sum += prob[e];
        }
        for (int e = 0; e < n; ++e) {
            if (!p.sigmoid) prob[e] /= sum;
            score[e] = prob[e] + (bias.empty() ? 0.0 : bias[e]);
        }
        std::vector<bool> allowed(n, true);
        if (p.n_groups > 1) {
            std::vector<std::pair<double, int>> gs;
            for (int g = 0; g < p.n_groups; ++g) {
                std::vector<double> s(score.begin() + g * per_group, score.begin() + (g + 1) * per_group);
                std::sort(s.rbegin(), s.rend());
                gs.push_back({s[0] + (per_group > 1 ? s[1] : 0.0), g});
            }
            std::stable_sort(gs.begin(), gs.end(), [](auto& a, auto& c) { return a.first > c.first; });
            for (int r = p.n_groups_used; r < p.n_groups; ++r)
                for (int i = 0; i < per_group; ++i) allowed[gs[r].second * per_group + i] = false;
        }
        std::vector<int> order;
        for (int e = 0; e < n; ++e)
            if (allowed[e]) order.push_back(e);
        std::stable_sort(order.begin(), order.end(), [&](int a, int c) { return score[a] > score[c]; });
        double wsum = 0;
        for (int j = 0; j < k; ++j) wsum += prob[order[j]];
        for (int j = 0; j < k; ++j) {
            ids.push_back(order[j]);
            weights.push_back(float(prob[order[j]] * (p.normalize ? 1.0 / wsum : 1.0) * p.scale));
        }
    }
}

TEST_P(DeepseekOps, MoeRouteSoftmaxAndGroupedSigmoid) {
    SKIP_UNLESS_SUPPORTED(BackendOp::MoeRoute);
    const int tokens = 9;
    struct Case {
        MoeRouting p;
        bool bias;
    };
    MoeRouting lite{64, 6, false, 1, 1, false, 1.0f};         // DeepSeek-V2-Lite
    MoeRouting v3{32, 8, true, 8, 4, true, 2.5f};             // V3-like: groups, sigmoid, bias
    MoeRouting one_group_used{8, 2, true, 4, 1, true, 1.0f};  // all from the best group
    for (const Case& c : {Case{lite, false}, Case{v3, true}, Case{one_group_used, true}}) {
        const auto logits = random_floats(std::size_t(tokens) * c.p.n_experts, 31, 2.0f);
        const auto bias = c.bias ? random_floats(std::size_t(c.p.n_experts), 32, 0.3f) : std::vector<float>{};
        std::vector<std::int32_t> ref_ids;
        std::vector<float> ref_w;
        reference_route(logits, bias, c.p, tokens, ref_ids, ref_w);
        const Tensor lt = upload_f32(*b, logits, tokens, c.p.n_experts);
        const Tensor bt = c.bias ? upload_f32(*b, bias, 1, c.p.n_experts) : Tensor{};
        const Tensor ids = b->alloc(DType::I32, tokens, c.p.n_used), w = b->alloc(DType::F32, tokens, c.p.n_used);
        b->moe_route(lt, bt, c.p, ids, w);
        EXPECT_EQ(download_i32(ids), ref_ids) << c.p.n_experts << " experts";
        const auto got = download_f32(*b, w);
        for (std::size_t i = 0; i < got.size(); ++i)
            ASSERT_NEAR(got[i], ref_w[i], 1e-5f * std::max(1.0f, std::abs(ref_w[i])));
    }
    // Impossible settings are refused, not read out of range.
    const Tensor lt = upload_f32(*b, random_floats(8, 1), 1, 8);
    const Tensor ids = b->alloc(DType::I32, 1, 9), w = b->alloc(DType::F32, 1, 9);
    EXPECT_THROW(b->moe_route(lt, {}, MoeRouting{8, 9, false, 1, 1, false, 1.0f}, ids, w), Error);
    const Tensor ids2 = b->alloc(DType::I32, 1, 2), w2 = b->alloc(DType::F32, 1, 2);
    EXPECT_THROW(b->moe_route(lt, {}, MoeRouting{8, 2, false, 3, 1, false, 1.0f}, ids2, w2), Error);
}

// out[i] = W_ids[i] . x[i / per_x], checked against dequantized weights and f64 dots, for the
// weight types MoE files use, with x broadcast (k experts per token) and per row (per head).
TEST_P(DeepseekOps, MatmulIdMatchesPerExpertMatmul) {
    SKIP_UNLESS_SUPPORTED(BackendOp::MatMulId);
    const int n_exp = 6, R = 40, cols = 256;
    // Mapped weights must outlive the backend (it may keep a repacked copy keyed by address).
    std::vector<std::vector<std::uint8_t>> keep;
    for (DType type : {DType::F32, DType::F16, DType::BF16, DType::Q4_0, DType::Q4_1, DType::Q5_0, DType::Q5_1,
                       DType::Q8_0, DType::Q2_K, DType::Q3_K, DType::Q4_K, DType::Q5_K, DType::Q6_K, DType::IQ4_NL}) {
        // A GPU backend runs the weight types it has shaders for (the loader refuses the rest).
        if (b->kind() != BackendKind::Cpu && !b->supports(BackendOp::MatMulId, type)) continue;
        for (int tokens : {1, 3, 70}) {
            for (int per_x : {1, 2}) {
                const int rows_out = tokens * per_x;
                const auto& wdata =
                    keep.emplace_back(random_weights(type, std::int64_t(n_exp) * R, cols, 40 + int(type)));
                const auto wf = dequantized(type, wdata, std::int64_t(n_exp) * R, cols);
                const auto x = random_floats(std::size_t(tokens) * cols, 41);
                std::vector<std::int32_t> ids(static_cast<std::size_t>(rows_out));
                for (int i = 0; i < rows_out; ++i) ids[i] = (i * 5 + i / 3) % (n_exp - 1);  // expert n_exp - 1 unused
                std::vector<float> ref(static_cast<std::size_t>(rows_out) * R);
                for (int i = 0; i < rows_out; ++i)
                    for (int r = 0; r < R; ++r) {
                        double d = 0;
                        for (int c = 0; c < cols; ++c)
                            d += double(wf[(std::size_t(ids[i]) * R + r) * cols + c]) *
                                 x[std::size_t(i / per_x) * cols + c];
                        ref[std::size_t(i) * R + r] = float(d);
                    }
                const Tensor w = b->map_weights(wdata.data(), type, std::int64_t(n_exp) * R, cols);
                const Tensor xt = upload_f32(*b, x, tokens, cols), out = b->alloc(DType::F32, rows_out, R);
                b->matmul_id(w, n_exp, xt, upload_i32(ids, rows_out, 1), out);
                const bool float_x = keeps_float_activations();
                const double bound =
                    float_x || type == DType::F32 || type == DType::F16 || type == DType::BF16 ? 1e-10 : 2e-4;
                const double e = nmse(download_f32(*b, out), ref);
                if (tokens == 70 && per_x == 1)
                    std::printf("%s matmul_id %s: nmse %.3g\n", GetParam().c_str(),
                                std::string(to_string(type)).c_str(), e);
                EXPECT_LT(e, bound) << to_string(type) << " tokens " << tokens << " per_x " << per_x;
            }
        }
    }
}

TEST_P(DeepseekOps, MatmulIdStridedViewsAndBadIds) {
    SKIP_UNLESS_SUPPORTED(BackendOp::MatMulId);
    // Per-head use: x and out are column views of wider rows (as q_nope inside q).
    const int heads = 3, nope = 64, wide = 96, lat = 32, tokens = 5;
    const auto wdata = random_floats(std::size_t(heads) * lat * nope, 50);
    const auto q = random_floats(std::size_t(tokens) * heads * wide, 51);
    std::vector<float> ref(std::size_t(tokens) * heads * 48, 0.0f);
    for (int t = 0; t < tokens; ++t)
        for (int h = 0; h < heads; ++h)
            for (int r = 0; r < lat; ++r) {
                double d = 0;
                for (int c = 0; c < nope; ++c)
                    d += double(wdata[(std::size_t(h) * lat + r) * nope + c]) *
                         q[(std::size_t(t) * heads + h) * wide + c];
                ref[(std::size_t(t) * heads + h) * 48 + r] = float(d);
            }
    const Tensor w = b->map_weights(wdata.data(), DType::F32, std::int64_t(heads) * lat, nope);
    const Tensor qt = upload_f32(*b, q, tokens, heads * wide);
    const Tensor out = b->alloc(DType::F32, tokens, heads * 48);
    std::vector<std::int32_t> ids(std::size_t(tokens) * heads);
    for (std::size_t i = 0; i < ids.size(); ++i) ids[i] = std::int32_t(i % heads);
    const Tensor idt = upload_i32(ids, tokens * heads, 1);
    b->matmul_id(w, heads, qt.reshape(tokens * heads, wide).slice_cols(0, nope), idt,
                 out.reshape(tokens * heads, 48).slice_cols(0, lat));
    const auto got = download_f32(*b, out);
    EXPECT_LT(nmse(got, ref), 1e-10);
    for (int i = 0; i < tokens * heads; ++i)
        ASSERT_EQ(got[std::size_t(i) * 48 + 40], 0.0f);  // columns past the view untouched
    ids[2] = heads;                                      // out of range
    EXPECT_THROW(
        {
            b->matmul_id(w, heads, qt.reshape(tokens * heads, wide).slice_cols(0, nope),
                         upload_i32(ids, tokens * heads, 1), out.reshape(tokens * heads, 48).slice_cols(0, lat));
            b->finish();
        },
        Error);
}

// The per-head products deepseek2's quantized files make: attn_k_b (64 columns, one block of
// 256 would not fit, so Q4_0/Q5_0/Q8_0) and attn_v_b (K-quants), each head's x a column view of
// a wider row, per_x = 1 and several heads per token.
TEST_P(DeepseekOps, MatmulIdQuantizedPerHeadViews) {
    SKIP_UNLESS_SUPPORTED(BackendOp::MatMulId);
    const int heads = 4, tokens = 5, wide_pad = 32, R = 48;
    std::vector<std::vector<std::uint8_t>> keep;
    for (DType type : {DType::Q4_0, DType::Q5_0, DType::Q8_0, DType::Q4_K, DType::Q5_K, DType::Q6_K}) {
        if (b->kind() != BackendKind::Cpu && !b->supports(BackendOp::MatMulId, type)) continue;
        const int cols = type >= DType::Q2_K && type <= DType::Q6_K ? 256 : 64, wide = cols + wide_pad;
        const auto& wdata = keep.emplace_back(random_weights(type, std::int64_t(heads) * R, cols, 70 + int(type)));
        const auto wf = dequantized(type, wdata, std::int64_t(heads) * R, cols);
        const auto q = random_floats(std::size_t(tokens) * heads * wide, 71);
        std::vector<std::int32_t> ids(std::size_t(tokens) * heads);
        for (std::size_t i = 0; i < ids.size(); ++i) ids[i] = std::int32_t(i % heads);
        std::vector<float> ref(ids.size() * R);
        for (std::size_t i = 0; i < ids.size(); ++i)
            for (int r = 0; r < R; ++r) {
                double d = 0;
                for (int c = 0; c < cols; ++c)
                    d += double(wf[(std::size_t(ids[i]) * R + r) * cols + c]) * q[i * wide + c];
                ref[i * R + r] = float(d);
            }
        const Tensor w = b->map_weights(wdata.data(), type, std::int64_t(heads) * R, cols);
        const Tensor qt = upload_f32(*b, q, tokens, heads * wide), out = b->alloc(DType::F32, tokens * heads, R);
        b->matmul_id(w, heads, qt.reshape(tokens * heads, wide).slice_cols(0, cols), upload_i32(ids, tokens * heads, 1),
                     out);
        const double e = nmse(download_f32(*b, out), ref);
        std::printf("%s matmul_id %s per head: nmse %.3g\n", GetParam().c_str(), std::string(to_string(type)).c_str(),
                    e);
        EXPECT_LT(e, keeps_float_activations() ? 1e-10 : 2e-4) << to_string(type);
    }
}

TEST_P(DeepseekOps, MoeCombineWeightsTheRows) {
    SKIP_UNLESS_SUPPORTED(BackendOp::MoeCombine);
    const int tokens = 4, k = 3, n = 300;
    const auto y = random_floats(std::size_t(tokens) * k * n, 60), w = random_floats(std::size_t(tokens) * k, 61);
    std::vector<float> ref(std::size_t(tokens) * n);
    for (int t = 0; t < tokens; ++t)
        for (int i = 0; i < n; ++i) {
            double s = 0;
            for (int j = 0; j < k; ++j) s += double(w[t * k + j]) * y[(std::size_t(t) * k + j) * n + i];
            ref[std::size_t(t) * n + i] = float(s);
        }
    const Tensor out = b->alloc(DType::F32, tokens, n);
    b->moe_combine(upload_f32(*b, y, tokens * k, n), upload_f32(*b, w, tokens, k), out);
    EXPECT_LT(nmse(download_f32(*b, out), ref), 1e-12);
}

// deepseek2's RoPE: the last n_rot dims of each head (offset), adjacent pairs, YaRN.
TEST_P(DeepseekOps, RopeAtAnOffsetWithYarn) {
    SKIP_UNLESS_SUPPORTED(BackendOp::RopeScaled);
    for (bool neox : {false, true}) {
        SCOPED_TRACE(neox ? "neox pairs" : "adjacent pairs");
        const int n_heads = 2, head_dim = 96, n_rot = 32, offset = 64, tokens = 6, first_pos = 3000;
        const float base = 10000.0f, freq_scale = 1.0f / 40.0f, ext = 1.0f, low = 2.0f, high = 9.0f, mscale = 1.3f;
        const auto x = random_floats(std::size_t(tokens) * n_heads * head_dim, 70);
        std::vector<float> ref = x;
        for (int t = 0; t < tokens; ++t)
            for (int h = 0; h < n_heads; ++h)
                for (int i = 0; i < n_rot / 2; ++i) {
                    const double e = (first_pos + t) * std::pow(double(base), -2.0 * i / n_rot);
                    const double ramp = ext * (1.0 - std::clamp((i - low) / std::max(0.001f, high - low), 0.0f, 1.0f));
                    const double th = freq_scale * e * (1 - ramp) + e * ramp;
                    float* v = ref.data() + (std::size_t(t) * n_heads + h) * head_dim + offset;
                    const float* s = x.data() + (std::size_t(t) * n_heads + h) * head_dim + offset;
                    const int ia = neox ? i : 2 * i, ib = neox ? i + n_rot / 2 : 2 * i + 1;
                    v[ia] = float(mscale * (s[ia] * std::cos(th) - s[ib] * std::sin(th)));
                    v[ib] = float(mscale * (s[ia] * std::sin(th) + s[ib] * std::cos(th)));
                }
        const Tensor xt = upload_f32(*b, x, tokens, n_heads * head_dim);
        RopeParams p;
        p.n_heads = n_heads;
        p.head_dim = head_dim;
        p.n_rot = n_rot;
        p.offset = offset;
        p.freq_base = base;
        p.freq_scale = freq_scale;
        p.ext_factor = ext;
        p.yarn_low = low;
        p.yarn_high = high;
        p.mscale = mscale;
        p.neox = neox;
        b->rope(xt, upload_positions(*b, first_pos, tokens), p);
        const auto got = download_f32(*b, xt);
        EXPECT_LT(nmse(got, ref), 1e-9);
        for (int i = 0; i < offset; ++i) ASSERT_EQ(got[i], x[i]);  // the part before the offset is untouched
        p.offset = 80;                                             // 80 + 32 > 96
        EXPECT_THROW(b->rope(xt, upload_positions(*b, first_pos, tokens), p), Error);
    }
}

// MLA's absorbed attention: many query heads over one latent "head", values = the keys' rows, in
// every cache type and at the latent row widths of the test files (288) and DeepSeek-V2/V3 (576),
// after a short and a long cached range.
TEST_P(DeepseekOps, AttentionWithValuesInTheKeyRows) {
    for (DType cache_type : {DType::F16, DType::F32, DType::Q8_0})
        for (int hd : {96, 288, 576})
            for (int tokens : {1, 9})
                // 1100: a decode step over a cache of more than 512 rows (Vulkan: attention_split.comp)
                for (int first_pos : {20, 1100}) {
                    SCOPED_TRACE(std::string(to_string(cache_type)) + " head_dim " + std::to_string(hd) + " tokens " +
                                 std::to_string(tokens) + " first_pos " + std::to_string(first_pos));
                    const int n_heads = 4, n_ctx = first_pos + tokens;
                    const auto k_all = random_floats(std::size_t(n_ctx) * hd, 80);
                    const auto q = random_floats(std::size_t(tokens) * n_heads * hd, 81);
                    // The reference attends over the cache's own rounding of the rows.
                    std::vector<float> kc(k_all.size());
                    std::vector<std::uint8_t> bytes(row_bytes(cache_type, hd));
                    for (int r = 0; r < n_ctx; ++r) {
                        quantize_row(cache_type, k_all.data() + std::size_t(r) * hd, bytes.data(), hd);
                        dequantize_row(cache_type, bytes.data(), kc.data() + std::size_t(r) * hd, hd);
                    }
                    const double scale = 0.21 * std::sqrt(96.0 / hd);
                    std::vector<float> ref(q.size());
                    for (int t = 0; t < tokens; ++t)
                        for (int h = 0; h < n_heads; ++h) {
                            const int n_pos = first_pos + t + 1;
                            std::vector<double> s(n_pos);
                            for (int p = 0; p < n_pos; ++p) {
                                double d = 0;
                                for (int i = 0; i < hd; ++i)
                                    d += double(q[(std::size_t(t) * n_heads + h) * hd + i]) *
                                         kc[std::size_t(p) * hd + i];
                                s[p] = d * scale;
                            }
                            const double mx = *std::max_element(s.begin(), s.end());
                            double sum = 0;
                            for (double& v : s) sum += (v = std::exp(v - mx));
                            for (int i = 0; i < hd; ++i) {
                                double acc = 0;
                                for (int p = 0; p < n_pos; ++p) acc += s[p] / sum * kc[std::size_t(p) * hd + i];
                                ref[(std::size_t(t) * n_heads + h) * hd + i] = float(acc);
                            }
                        }
                    const Tensor cache = b->alloc(cache_type, n_ctx + 4, hd);
                    b->store_kv(upload_f32(*b, k_all, n_ctx, hd), cache, upload_positions(*b, 0, n_ctx));
                    const Tensor qt = upload_f32(*b, q, tokens, n_heads * hd),
                                 out = b->alloc(DType::F32, tokens, n_heads * hd);
                    AttentionParams p;
                    p.n_heads = n_heads;
                    p.n_kv_heads = 1;
                    p.head_dim = hd;
                    p.scale = float(scale);
                    b->attention(qt, cache, cache, upload_positions(*b, first_pos, tokens), p, out);
                    // Over 1100 rows the output is an average of many, small against each row's Q8_0
                    // rounding (where a SIMD store may round one element the other way): measured 3.6e-9.
                    EXPECT_LT(nmse(download_f32(*b, out), ref), first_pos > 512 ? 1e-8 : 1e-9);
                    for (const Tensor* t : {&cache, &qt, &out}) b->release(*t);
                }
}

INSTANTIATE_TEST_SUITE_P(Variants, DeepseekOps, ::testing::ValuesIn([] {
                             std::vector<std::string> n;
                             for (const BackendVariant& v : backend_variants()) n.push_back(v.name);
                             return n;
                         }()),
                         [](const auto& info) {
                             std::string n = info.param;
                             std::replace(n.begin(), n.end(), '-', '_');
                             return n;
                         });

}  // namespace
}  // namespace ponder::test
