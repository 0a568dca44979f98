// backend_ops_test.cpp: the non-matmul ops of every backend variant vs naive reference math,
// plus tensor views, error handling and the device registry.
#include "backend_test_util.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>

namespace ponder::test {
namespace {

class BackendOps : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        for (const BackendVariant& v : backend_variants())
            if (v.name == GetParam()) b = v.create(2);
        ASSERT_TRUE(b);
    }
    std::unique_ptr<Backend> b;
};

TEST_P(BackendOps, RmsNorm) {
    const std::int64_t rows = 7, cols = 896;
    const auto x = random_floats(rows * cols, 1, 3.0f);
    auto w = random_floats(cols, 2);
    for (float& v : w) v += 1.0f;
    std::vector<float> ref(x.size());
    for (std::int64_t r = 0; r < rows; ++r) {
        double ss = 0;
        for (std::int64_t i = 0; i < cols; ++i) ss += double(x[r * cols + i]) * x[r * cols + i];
        const double s = 1.0 / std::sqrt(ss / cols + 1e-6);
        for (std::int64_t i = 0; i < cols; ++i) ref[r * cols + i] = float(x[r * cols + i] * s * w[i]);
    }
    const Tensor xt = upload_f32(*b, x, rows, cols), wt = upload_f32(*b, w, 1, cols),
                 out = b->alloc(DType::F32, rows, cols);
    b->rms_norm(xt, wt, 1e-6f, out);
    EXPECT_LT(nmse(download_f32(*b, out), ref), 1e-12);
    // Per head (qwen3 q/k norm): the same data viewed as [rows * 14, 64] with a 64-wide weight.
    const Tensor wh = upload_f32(*b, std::vector<float>(w.begin(), w.begin() + 64), 1, 64);
    b->rms_norm(xt.reshape(rows * 14, 64), wh, 1e-6f, xt.reshape(rows * 14, 64));  // in place
    const auto got = download_f32(*b, xt);
    for (std::int64_t h = 0; h < rows * 14; ++h) {
        double ss = 0;
        for (int i = 0; i < 64; ++i) ss += double(x[h * 64 + i]) * x[h * 64 + i];
        const double s = 1.0 / std::sqrt(ss / 64 + 1e-6);
        for (int i = 0; i < 64; ++i) ASSERT_NEAR(got[h * 64 + i], x[h * 64 + i] * s * w[i], 1e-4);
    }
}

TEST_P(BackendOps, AddWithBroadcastSwigluScaleCopy) {
    const std::int64_t rows = 5, cols = 4864;
    const auto a = random_floats(rows * cols, 3), c = random_floats(rows * cols, 4), bias = random_floats(cols, 5);
    const Tensor at = upload_f32(*b, a, rows, cols), ct = upload_f32(*b, c, rows, cols),
                 bt = upload_f32(*b, bias, 1, cols);
    const Tensor out = b->alloc(DType::F32, rows, cols);
    b->add(at, bt, out);
    auto got = download_f32(*b, out);
    for (std::int64_t i = 0; i < rows * cols; ++i) ASSERT_EQ(got[i], a[i] + bias[i % cols]);
    b->add(at, ct, out);
    got = download_f32(*b, out);
    for (std::int64_t i = 0; i < rows * cols; ++i) ASSERT_EQ(got[i], a[i] + c[i]);

    b->swiglu(at, ct, out);
    got = download_f32(*b, out);
    std::vector<float> ref(a.size());
    for (std::size_t i = 0; i < a.size(); ++i) ref[i] = float(a[i] / (1.0 + std::exp(-double(a[i]))) * c[i]);
    EXPECT_LT(nmse(got, ref), 1e-12);

    b->scale(at, 0.25f, out);
    got = download_f32(*b, out);
    for (std::int64_t i = 0; i < rows * cols; ++i) ASSERT_EQ(got[i], a[i] * 0.25f);

    const Tensor last = b->alloc(DType::F32, 1, cols);
    b->copy(at.slice_rows(rows - 1, 1), last);
    got = download_f32(*b, last);
    EXPECT_TRUE(std::equal(got.begin(), got.end(), a.begin() + (rows - 1) * cols));
}

struct RopeCase {
    bool neox;
    int n_rot;
    bool factors;
};

TEST_P(BackendOps, Rope) {
    const int n_heads = 3, head_dim = 64, tokens = 7, first_pos = 11;
    for (const RopeCase rc : {RopeCase{false, 64, false}, RopeCase{true, 64, false}, RopeCase{true, 32, false},
                              RopeCase{false, 64, true}}) {
        const auto x = random_floats(tokens * n_heads * head_dim, 6);
        std::vector<float> ff(static_cast<std::size_t>(rc.n_rot / 2));
        for (std::size_t i = 0; i < ff.size(); ++i) ff[i] = 1.0f + 0.5f * float(i % 5);
        std::vector<float> ref = x;
        for (int t = 0; t < tokens; ++t)
            for (int h = 0; h < n_heads; ++h)
                for (int i = 0; i < rc.n_rot / 2; ++i) {
                    double theta = (first_pos + t) * std::pow(500000.0, -2.0 * i / rc.n_rot);
                    if (rc.factors) theta /= ff[i];
                    const int a = rc.neox ? i : 2 * i, bb = rc.neox ? i + rc.n_rot / 2 : 2 * i + 1;
                    float* v = ref.data() + (t * n_heads + h) * head_dim;
                    const double x0 = x[(t * n_heads + h) * head_dim + a], x1 = x[(t * n_heads + h) * head_dim + bb];
                    v[a] = float(x0 * std::cos(theta) - x1 * std::sin(theta));
                    v[bb] = float(x0 * std::sin(theta) + x1 * std::cos(theta));
                }
        const Tensor xt = upload_f32(*b, x, tokens, n_heads * head_dim);
        RopeParams p;
        p.n_heads = n_heads;
        p.head_dim = head_dim;
        p.n_rot = rc.n_rot;
        p.freq_base = 500000.0f;
        p.neox = rc.neox;
        if (rc.factors) p.freq_factors = upload_f32(*b, ff, 1, rc.n_rot / 2);
        b->rope(xt, upload_positions(*b, first_pos, tokens), p);
        const auto got = download_f32(*b, xt);
        EXPECT_LT(nmse(got, ref), 1e-9) << "neox " << rc.neox << " n_rot " << rc.n_rot << " factors " << rc.factors;
        // Dims past n_rot are untouched.
        if (rc.n_rot < head_dim) {
            EXPECT_EQ(got[head_dim - 1], x[head_dim - 1]);
        }
    }
}

// Causal GQA over a cache that already holds first_pos earlier positions; the cache has ctx rows
// (0: just a few more than used).
void check_attention(Backend& b, DType cache_type, int tokens, int first_pos, int ctx = 0) {
    const int n_heads = 8, n_kv = 2, hd = 64;
    if (ctx == 0) ctx = first_pos + tokens + 3;
    const int kv_cols = n_kv * hd;
    const auto k_all = random_floats(std::size_t(first_pos + tokens) * kv_cols, 10);
    const auto v_all = random_floats(std::size_t(first_pos + tokens) * kv_cols, 11);
    const auto q = random_floats(std::size_t(tokens) * n_heads * hd, 12);
    // What the cache will hold, rounded through the reference converters.
    auto through_cache = [&](const std::vector<float>& src) {
        std::vector<std::uint8_t> bytes(row_bytes(cache_type, kv_cols));
        std::vector<float> out(src.size());
        for (std::size_t r = 0; r < src.size() / kv_cols; ++r) {
            quantize_row(cache_type, src.data() + r * kv_cols, bytes.data(), kv_cols);
            dequantize_row(cache_type, bytes.data(), out.data() + r * kv_cols, kv_cols);
        }
        return out;
    };
    const auto kc = through_cache(k_all), vc = through_cache(v_all);
    std::vector<float> ref(q.size());
    const double scale = 1.0 / std::sqrt(double(hd));
    for (int t = 0; t < tokens; ++t)
        for (int h = 0; h < n_heads; ++h) {
            const int g = h / (n_heads / n_kv), n_pos = first_pos + t + 1;
            std::vector<double> s(n_pos);
            for (int p = 0; p < n_pos; ++p) {
                double d = 0;
                for (int i = 0; i < hd; ++i) d += double(q[(t * n_heads + h) * hd + i]) * kc[p * kv_cols + g * hd + i];
                s[p] = d * scale;
            }
            const double mx = *std::max_element(s.begin(), s.end());
            double sum = 0;
            for (double& v : s) sum += (v = std::exp(v - mx));
            for (int i = 0; i < hd; ++i) {
                double acc = 0;
                for (int p = 0; p < n_pos; ++p) acc += s[p] / sum * vc[p * kv_cols + g * hd + i];
                ref[(t * n_heads + h) * hd + i] = float(acc);
            }
        }
    const Tensor kcache = b.alloc(cache_type, ctx, kv_cols), vcache = b.alloc(cache_type, ctx, kv_cols);
    // Earlier positions in one call, this step's in another (as a session does).
    const Tensor kt = upload_f32(b, k_all, first_pos + tokens, kv_cols),
                 vt = upload_f32(b, v_all, first_pos + tokens, kv_cols);
    if (first_pos > 0) {
        const StepPositions earlier = upload_positions(b, 0, first_pos);
        b.store_kv(kt.slice_rows(0, first_pos), kcache, earlier);
        b.store_kv(vt.slice_rows(0, first_pos), vcache, earlier);
    }
    const StepPositions pos = upload_positions(b, first_pos, tokens);
    b.store_kv(kt.slice_rows(first_pos, tokens), kcache, pos);
    b.store_kv(vt.slice_rows(first_pos, tokens), vcache, pos);
    const Tensor qt = upload_f32(b, q, tokens, n_heads * hd), out = b.alloc(DType::F32, tokens, n_heads * hd);
    AttentionParams p;
    p.n_heads = n_heads;
    p.n_kv_heads = n_kv;
    p.head_dim = hd;
    b.attention(qt, kcache, vcache, pos, p, out);
    EXPECT_LT(nmse(download_f32(b, out), ref), 1e-9)
        << to_string(cache_type) << " tokens " << tokens << " first_pos " << first_pos;
}

TEST_P(BackendOps, AttentionF16Cache) {
    check_attention(*b, DType::F16, 1, 0);
    check_attention(*b, DType::F16, 7, 0);
    check_attention(*b, DType::F16, 1, 100);
    check_attention(*b, DType::F16, 64, 37);
}

// Decode steps over a long cache (Vulkan: split across workgroups and reduced, attention_split.comp,
// with as many splits as the step's length needs): the start, one split, several, the very end.
TEST_P(BackendOps, AttentionDecodeOverALongCache) {
    for (DType t : {DType::F16, DType::F32, DType::Q8_0})
        for (int first_pos : {0, 255, 1300, 4095}) check_attention(*b, t, 1, first_pos, 4096);
    // Deep enough that each of the Vulkan kernel's splits spans more than one 512-row chunk, so
    // the running max and sum are carried from chunk to chunk.
    for (int first_pos : {17000, 19999}) check_attention(*b, DType::F16, 1, first_pos, 20000);
}

TEST_P(BackendOps, AttentionF32AndQ8Cache) {
    check_attention(*b, DType::F32, 7, 20);
    check_attention(*b, DType::Q8_0, 7, 20);
    check_attention(*b, DType::Q8_0, 1, 300);
}

TEST_P(BackendOps, StoreKvConvertsLikeReference) {
    const int cols = 128;
    const auto src = random_floats(3 * cols, 20);
    for (DType t : {DType::F16, DType::Q8_0, DType::F32}) {
        const Tensor cache = b->alloc(t, 10, cols);
        b->store_kv(upload_f32(*b, src, 3, cols), cache, upload_positions(*b, 4, 3));
        std::vector<std::uint8_t> got(cache.row_size() * 10);
        b->download(cache, got.data(), got.size());
        b->finish();
        std::vector<std::uint8_t> want(cache.row_size());
        std::vector<float> back(cols), wantf(cols);
        for (int r = 0; r < 3; ++r) {
            quantize_row(t, src.data() + r * cols, want.data(), cols);
            dequantize_row(t, got.data() + (4 + r) * cache.row_size(), back.data(), cols);
            dequantize_row(t, want.data(), wantf.data(), cols);
            // Q8_0 scale rounding may differ in the last bit between quantizers: compare values.
            EXPECT_LT(nmse(back, wantf), 1e-6) << to_string(t);
        }
        // Rows outside the written range are untouched (zero).
        EXPECT_TRUE(
            std::all_of(got.begin(), got.begin() + 4 * cache.row_size(), [](std::uint8_t v) { return v == 0; }));
    }
}

// Greedy / top-k on the device: exactly the host's selection (ids and value bits), with many ties
// (values on a coarse grid), -inf entries, a tie across the 2048-entry chunks of the Vulkan kernel,
// k = 1 (greedy), the sampler's default 40, kMaxTopK, and k = n.
TEST_P(BackendOps, TopKSelectsExactlyWhatTheHostSelects) {
    struct Case {
        std::int64_t n;
        int k;
    };
    for (const Case c : {Case{151936, 1}, Case{151936, 40}, Case{5000, kMaxTopK}, Case{7, 7}, Case{2049, 3}}) {
        std::vector<float> l = random_floats(static_cast<std::size_t>(c.n), 31 + static_cast<std::uint32_t>(c.k), 4.0f);
        for (float& v : l) v = std::round(v * 4.0f) / 4.0f;  // a grid of 0.25: many equal values
        for (std::int64_t i = 0; i < c.n; i += 97) l[static_cast<std::size_t>(i)] = -INFINITY;
        // The maximum twice, in different chunks, and once more last: the lowest index must win.
        const float top = 1000.0f;
        for (std::int64_t i : {c.n - 1, c.n / 2, std::min<std::int64_t>(c.n - 1, 2048)})
            l[static_cast<std::size_t>(i)] = top;
        // Independent reference: a stable sort by value (equal values keep index order).
        std::vector<std::int32_t> order(static_cast<std::size_t>(c.n));
        for (std::int64_t i = 0; i < c.n; ++i) order[static_cast<std::size_t>(i)] = static_cast<std::int32_t>(i);
        std::stable_sort(order.begin(), order.end(), [&](std::int32_t a, std::int32_t b) { return l[a] > l[b]; });
        std::vector<std::int32_t> host_ids(static_cast<std::size_t>(c.k));
        std::vector<float> host_vals(static_cast<std::size_t>(c.k));
        select_top_k(l.data(), c.n, c.k, host_ids.data(), host_vals.data());
        for (int i = 0; i < c.k; ++i)
            ASSERT_EQ(host_ids[i], order[static_cast<std::size_t>(i)]) << "host selection, rank " << i;

        const Tensor lt = upload_f32(*b, l, 1, c.n);
        const Tensor ids = b->alloc(DType::I32, 1, c.k), vals = b->alloc(DType::F32, 1, c.k);
        b->top_k(lt, ids, vals);
        std::vector<std::int32_t> got_ids(static_cast<std::size_t>(c.k));
        b->download(ids, got_ids.data(), got_ids.size() * sizeof(std::int32_t));
        const std::vector<float> got_vals = download_f32(*b, vals);
        for (int i = 0; i < c.k; ++i) {
            ASSERT_EQ(got_ids[i], host_ids[i]) << "n " << c.n << " k " << c.k << " rank " << i;
            ASSERT_EQ(std::memcmp(&got_vals[i], &host_vals[i], sizeof(float)), 0)
                << "n " << c.n << " k " << c.k << " rank " << i;
        }
        b->release(lt);
        b->release(ids);
        b->release(vals);
    }
    // A k the op cannot take is an error, not a crash.
    const Tensor lt = upload_f32(*b, std::vector<float>(4, 1.0f), 1, 4);
    const Tensor ids = b->alloc(DType::I32, 1, 5), vals = b->alloc(DType::F32, 1, 5);
    EXPECT_THROW(b->top_k(lt, ids, vals), ponder::Error);
}

TEST_P(BackendOps, BadShapesThrow) {
    const Tensor a = b->alloc(DType::F32, 3, 64), c = b->alloc(DType::F32, 3, 32);
    EXPECT_THROW(b->add(a, c, a), ponder::Error);
    EXPECT_THROW(b->swiglu(a, c, a), ponder::Error);
    const std::vector<std::uint8_t> w(row_bytes(DType::Q8_0, 64) * 4);
    const Tensor wt = b->map_weights(w.data(), DType::Q8_0, 4, 64);
    EXPECT_THROW(b->matmul(wt, c, a), ponder::Error);
    EXPECT_THROW(b->store_kv(a, b->alloc(DType::F16, 2, 64), upload_positions(*b, 0, 3)),
                 ponder::Error);  // 3 rows into 2
    EXPECT_THROW(a.slice_rows(2, 2), ponder::Error);
    EXPECT_THROW(a.reshape(5, 7), ponder::Error);
    EXPECT_THROW(b->alloc(DType::Q8_0, 2, 33), ponder::Error);  // not a whole block
    AttentionParams p;
    p.n_heads = 3;
    p.n_kv_heads = 2;
    p.head_dim = 64;
    EXPECT_THROW(b->attention(a, a, a, upload_positions(*b, 0, 3), p, a), ponder::Error);
}

TEST_P(BackendOps, OddThreadCountsGiveTheSameResult) {
    const std::int64_t rows = 37, cols = 512, tokens = 3;
    const auto wdata = random_weights(DType::Q4_K, rows, cols, 8);
    const auto x = random_floats(tokens * cols, 9);
    std::vector<std::vector<float>> results;
    for (int threads : {1, 3}) {
        std::unique_ptr<Backend> bt;
        for (const BackendVariant& v : backend_variants())
            if (v.name == GetParam()) bt = v.create(threads);
        const Tensor w = bt->map_weights(wdata.data(), DType::Q4_K, rows, cols);
        const Tensor out = bt->alloc(DType::F32, tokens, rows);
        bt->matmul(w, upload_f32(*bt, x, tokens, cols), out);
        results.push_back(download_f32(*bt, out));
    }
    EXPECT_EQ(results[0], results[1]);  // rows are never split, so the sums are bit-identical
}

INSTANTIATE_TEST_SUITE_P(Variants, BackendOps, ::testing::ValuesIn([] {
                             std::vector<std::string> n;
                             for (const BackendVariant& v : backend_variants()) n.push_back(v.name);
                             return n;
                         }()),
                         [](const auto& info) {
                             std::string n = info.param;
                             std::replace(n.begin(), n.end(), '-', '_');
                             return n;
                         });

// ---------------------------------------------------------------------------------------------
// Registry / public device API

TEST(BackendRegistry, ListsTheCpuLastAndChoosesIt) {
    const auto devices = list_devices();
    ASSERT_FALSE(devices.empty());
    EXPECT_EQ(devices.back().backend, BackendKind::Cpu);
    EXPECT_FALSE(devices.back().name.empty());
    EXPECT_GT(devices.back().memory_bytes, 0u);
    const BackendChoice autoc = choose_backend(BackendKind::Auto);
    // CI has no GPU (at most lavapipe, which auto never picks): the CPU. A GPU machine: a listed GPU.
    if (autoc.backend == BackendKind::Cpu) {
        EXPECT_EQ(autoc.reason.rfind("CPU: ", 0), 0u) << autoc.reason;
    } else {
        EXPECT_EQ(autoc.reason.rfind("Vulkan: " + autoc.device_name, 0), 0u) << autoc.reason;
        EXPECT_TRUE(std::any_of(devices.begin(), devices.end(), [&](const DeviceInfo& d) {
            return d.backend == autoc.backend && d.index == autoc.device_index && d.name == autoc.device_name;
        }));
    }
    EXPECT_NE(autoc.reason.find("auto"), std::string::npos);
    const BackendChoice cuda = choose_backend(BackendKind::Cuda);
    EXPECT_EQ(cuda.backend, BackendKind::Cpu);  // this build has no CUDA backend: falls back, says so
    EXPECT_NE(cuda.reason.find("cuda"), std::string::npos);
    auto backend = create_backend(BackendKind::Auto, 0, {});
    ASSERT_TRUE(backend);
    EXPECT_EQ(backend->kind(), autoc.backend);
}

TEST(BackendRegistry, BackendKindNames) {
    for (BackendKind k : {BackendKind::Auto, BackendKind::Cpu, BackendKind::Vulkan, BackendKind::Cuda})
        EXPECT_EQ(parse_backend_kind(to_string(k)), k);
    EXPECT_EQ(parse_backend_kind("CUDA"), BackendKind::Cuda);
    EXPECT_EQ(parse_backend_kind("metal"), std::nullopt);
    EXPECT_EQ(to_string(BackendKind::Vulkan), "vulkan");
}

TEST(BackendRegistry, ScalarVariantAlwaysPresent) {
    const auto v = backend_variants();
    ASSERT_FALSE(v.empty());
    EXPECT_EQ(v.front().name, "cpu-scalar");
}

}  // namespace
}  // namespace ponder::test
