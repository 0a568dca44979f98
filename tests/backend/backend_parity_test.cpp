// backend_parity_test.cpp: every backend variant (CPU with each usable kernel table; every Vulkan
// device this machine has, lavapipe in CI) against a plain scalar reference: dequantize_row + naive
// f32/f64 math. A GPU variant skips, with the reason, the weight types its supports() refuses
// (the loader refuses such models; tests/inference/step_test.cpp checks that refusal).
#include "backend_test_util.h"

#include "backend/cpu/cpu_backend.h"

#include <gtest/gtest.h>

#include <stdlib.h>
#include <algorithm>
#include <tuple>

namespace ponder::test {
namespace {

// The conformance bounds for float weights (1e-10) are f32 arithmetic's: the Vulkan backend's
// 16-bit float prompt tiles (its default on GPUs with shaderFloat16) are held to their own bound
// by vulkan_backend_test and end to end by inference_vulkan_f16_test. Set before any backend.
const bool f32_tiles = setenv("PONDER_VULKAN_F16", "0", 0) == 0;

std::vector<std::string> variant_names() {
    std::vector<std::string> names;
    for (const BackendVariant& v : backend_variants()) names.push_back(v.name);
    return names;
}

std::unique_ptr<Backend> make(const std::string& name, int threads = 2) {
    for (const BackendVariant& v : backend_variants())
        if (v.name == name) return v.create(threads);
    return nullptr;
}

// The CPU runs every type; another backend may refuse some (and must then say so in supports()).
#define SKIP_UNLESS_SUPPORTED(b, op, type)                                                                     \
    do {                                                                                                       \
        if ((b)->kind() != BackendKind::Cpu && !(b)->supports(op, type))                                       \
            GTEST_SKIP() << (b)->name() << " does not support " << to_string(op) << " on " << to_string(type); \
    } while (0)

const DType kWeightTypes[] = {DType::F32,  DType::F16,  DType::BF16, DType::Q4_0,   DType::Q4_1,
                              DType::Q5_0, DType::Q5_1, DType::Q8_0, DType::Q2_K,   DType::Q3_K,
                              DType::Q4_K, DType::Q5_K, DType::Q6_K, DType::IQ4_NL, DType::IQ4_XS};

// NMSE bounds against the f64 reference on dequantized weights, per backend and format. A wrong
// bit layout (a misplaced nibble, scale or min) gives NMSE ~1e-3 to ~1, so each bound separates
// the two by 10^3 or more.
//  - CPU, F32 / F16 / BF16: f32 dots of exact values: 1e-10.
//  - CPU, every quantized format (Q4_0 .. Q8_0, Q2_K .. Q6_K, IQ4_NL, IQ4_XS): the activations are
//    quantized to 8 bits for the integer kernels (Q8_0 / Q8_K, as llama.cpp does), ~1e-5: 2e-4.
//  - Vulkan, F32 / F16 / BF16: as the CPU's, 1e-10.
//  - Vulkan, the quantized formats: on a device with the integer dot product (lavapipe has it)
//    8-bit activations, as the CPU's integer kernels: 2e-4. vulkan_backend_test holds those
//    kernels exactly (1e-10) to the CPU's own rounding of x, and the f32 kernels (devices
//    without the integer dot) to this reference at 1e-10 (3e-14 measured on lavapipe).
double matmul_bound(DType t) {
    if (t == DType::F32 || t == DType::F16 || t == DType::BF16) return 1e-10;
    return 2e-4;
}

// ---------------------------------------------------------------------------------------------
// matmul: out[t] = W . x[t]

struct Shape {
    std::int64_t rows, cols_blocks, tokens;  // cols = cols_blocks * 256 (every type's block divides it)
};
// 13 tokens: a full 8-token K-quant pass, a 4-token pass and a single token.
const Shape kShapes[] = {{67, 1, 1}, {67, 3, 7}, {33, 2, 64}, {5, 1, 3}, {19, 2, 13}};

using MatmulParam = std::tuple<std::string, DType, int>;

class MatmulParity : public ::testing::TestWithParam<MatmulParam> {};

TEST_P(MatmulParity, MatchesDequantizedReference) {
    const auto& [variant, type, shape_index] = GetParam();
    const Shape s = kShapes[shape_index];
    const std::int64_t rows = s.rows, cols = s.cols_blocks * 256, tokens = s.tokens;
    auto b = make(variant);
    ASSERT_TRUE(b);
    SKIP_UNLESS_SUPPORTED(b, BackendOp::MatMul, type);
    ASSERT_TRUE(b->supports(BackendOp::MatMul, type));
    const auto wdata = random_weights(type, rows, cols, 1234 + static_cast<int>(type));
    const auto x = random_floats(static_cast<std::size_t>(tokens * cols), 99);
    const auto wf = dequantized(type, wdata, rows, cols);
    std::vector<float> ref(static_cast<std::size_t>(tokens * rows));
    for (std::int64_t t = 0; t < tokens; ++t)
        for (std::int64_t r = 0; r < rows; ++r) {
            double acc = 0;
            for (std::int64_t i = 0; i < cols; ++i) acc += static_cast<double>(wf[r * cols + i]) * x[t * cols + i];
            ref[t * rows + r] = static_cast<float>(acc);
        }
    const Tensor w = b->map_weights(wdata.data(), type, rows, cols);
    const Tensor xt = upload_f32(*b, x, tokens, cols);
    const Tensor out = b->alloc(DType::F32, tokens, rows);
    b->matmul(w, xt, out);
    const double e = nmse(download_f32(*b, out), ref);
    EXPECT_LT(e, matmul_bound(type)) << variant << " " << to_string(type) << " rows " << rows << " cols " << cols
                                     << " tokens " << tokens;
}

std::string param_name(const ::testing::TestParamInfo<MatmulParam>& info) {
    std::string n = std::get<0>(info.param) + "_" + std::string(to_string(std::get<1>(info.param))) + "_shape" +
                    std::to_string(std::get<2>(info.param));
    std::replace(n.begin(), n.end(), '-', '_');
    return n;
}

INSTANTIATE_TEST_SUITE_P(AllTypes, MatmulParity,
                         ::testing::Combine(::testing::ValuesIn(variant_names()), ::testing::ValuesIn(kWeightTypes),
                                            ::testing::Range(0, 5)),
                         param_name);

// ---------------------------------------------------------------------------------------------
// Interleaved (repacked) weights: a table that repacks a type at map time must give what the
// same table gives on the file's layout. Both sum the same 8-bit products in integers, so they
// agree to float rounding (NMSE ~1e-14); a misplaced scale, min or nibble shows as >1e-6, which
// the looser reference bound above can miss when it hits a single sub-block.

struct PackedShape {
    std::int64_t rows, cols, tokens;
};
// Whole groups of 8 rows only, a tail of 3 rows after 8 groups, one token, odd token counts
// around the tile width, and more tokens than one 64-token tile.
const PackedShape kPackedShapes[] = {{64, 512, 1}, {67, 256, 1}, {24, 1536, 5}, {72, 768, 13}, {16, 256, 70}};

using PackedParam = std::tuple<std::string, DType>;
class PackedWeightsParity : public ::testing::TestWithParam<PackedParam> {};

TEST_P(PackedWeightsParity, MatchesSameTableOnFileLayout) {
    const auto& [variant, type] = GetParam();
    const cpu::KernelSet* table = cpu::find_kernel_set(variant.c_str() + 4);
    ASSERT_TRUE(table);
    ASSERT_TRUE(table->weights[static_cast<int>(type)].packed.pack)
        << variant << " has no interleaved " << to_string(type);
    for (const PackedShape& s : kPackedShapes) {
        auto b = std::make_unique<cpu::CpuBackend>(BackendOptions{.threads = 2}, table);
        auto ref = std::make_unique<cpu::CpuBackend>(BackendOptions{.threads = 2, .repack_weights = false}, table);
        const auto wdata = random_weights(type, s.rows, s.cols, 555 + static_cast<int>(s.rows));
        const auto x = random_floats(static_cast<std::size_t>(s.tokens * s.cols), 7);
        std::vector<float> got, want;
        for (Backend* be : {b.get(), ref.get()}) {
            const Tensor w = be->map_weights(wdata.data(), type, s.rows, s.cols);
            const Tensor out = be->alloc(DType::F32, s.tokens, s.rows);
            be->matmul(w, upload_f32(*be, x, s.tokens, s.cols), out);
            be->finish();
            (be == b.get() ? got : want) = download_f32(*be, out);
        }
        EXPECT_LT(nmse(got, want), 1e-10)
            << variant << " " << to_string(type) << " rows " << s.rows << " cols " << s.cols << " tokens " << s.tokens;
    }
}

// Every (CPU kernel table, type) pair this machine can run that has an interleaved layout.
std::vector<PackedParam> packed_params() {
    std::vector<PackedParam> out;
    for (const cpu::KernelSet* ks : cpu::usable_kernel_sets())
        for (DType t : kWeightTypes)
            if (ks->weights[static_cast<int>(t)].packed.pack) out.emplace_back(std::string("cpu-") + ks->name, t);
    return out;
}

// None on a CPU whose tables have no interleaved layouts (the scalar fallback, ARM for now).
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(PackedWeightsParity);
INSTANTIATE_TEST_SUITE_P(RepackedTypes, PackedWeightsParity, ::testing::ValuesIn(packed_params()),
                         [](const ::testing::TestParamInfo<PackedParam>& info) {
                             std::string n =
                                 std::get<0>(info.param) + "_" + std::string(to_string(std::get<1>(info.param)));
                             std::replace(n.begin(), n.end(), '-', '_');
                             return n;
                         });

// ---------------------------------------------------------------------------------------------
// get_rows: embedding lookup dequantizes exactly like the reference.

using TypeParam = std::tuple<std::string, DType>;
class GetRowsParity : public ::testing::TestWithParam<TypeParam> {};

TEST_P(GetRowsParity, EqualsDequantizeRow) {
    const auto& [variant, type] = GetParam();
    auto b = make(variant);
    SKIP_UNLESS_SUPPORTED(b, BackendOp::GetRows, type);
    const std::int64_t vocab = 11, dim = 256;
    const auto wdata = random_weights(type, vocab, dim, 4242);
    const auto wf = dequantized(type, wdata, vocab, dim);
    const std::vector<std::int32_t> ids = {3, 0, 10, 3, 7};
    const Tensor table = b->map_weights(wdata.data(), type, vocab, dim);
    const Tensor out = b->alloc(DType::F32, static_cast<std::int64_t>(ids.size()), dim);
    b->get_rows(table, upload_ids(*b, ids), out);
    const auto got = download_f32(*b, out);
    // The CPU dequantizes with the reference's own expressions: bit-exact. A GPU may fuse d * q - m
    // into one fma: within a float rounding of the value.
    const bool exact = b->kind() == BackendKind::Cpu;
    for (std::size_t i = 0; i < ids.size(); ++i)
        for (std::int64_t j = 0; j < dim; ++j) {
            const float want = wf[ids[i] * dim + j];
            if (exact)
                ASSERT_EQ(got[i * dim + j], want) << to_string(type) << " id " << ids[i] << " col " << j;
            else
                ASSERT_NEAR(got[i * dim + j], want, 1e-6f * std::max(1.0f, std::abs(want)))
                    << to_string(type) << " col " << j;
        }
    if (exact) {  // the ids are on the device elsewhere: a GPU clamps (the engine checks them first)
        EXPECT_THROW(b->get_rows(table, upload_ids(*b, {11}), out.slice_rows(0, 1)), ponder::Error);
        EXPECT_THROW(b->get_rows(table, upload_ids(*b, {-1}), out.slice_rows(0, 1)), ponder::Error);
    }
}

std::string type_param_name(const ::testing::TestParamInfo<TypeParam>& info) {
    std::string n = std::get<0>(info.param) + "_" + std::string(to_string(std::get<1>(info.param)));
    std::replace(n.begin(), n.end(), '-', '_');
    return n;
}

class RowViewParity : public ::testing::TestWithParam<TypeParam> {};

// The last row alone (logits of the last token) through a row view of a larger activation.
TEST_P(RowViewParity, LastRowOfActivations) {
    const auto& [variant, type] = GetParam();
    const std::int64_t rows = 19, cols = 512, tokens = 5;
    auto b = make(variant);
    SKIP_UNLESS_SUPPORTED(b, BackendOp::MatMul, type);
    const auto wdata = random_weights(type, rows, cols, 77);
    const auto x = random_floats(static_cast<std::size_t>(tokens * cols), 5);
    const auto wf = dequantized(type, wdata, rows, cols);
    std::vector<float> ref(static_cast<std::size_t>(rows));
    for (std::int64_t r = 0; r < rows; ++r) {
        double acc = 0;
        for (std::int64_t i = 0; i < cols; ++i)
            acc += static_cast<double>(wf[r * cols + i]) * x[(tokens - 1) * cols + i];
        ref[r] = static_cast<float>(acc);
    }
    const Tensor w = b->map_weights(wdata.data(), type, rows, cols);
    const Tensor xt = upload_f32(*b, x, tokens, cols);
    const Tensor out = b->alloc(DType::F32, 1, rows);
    b->matmul(w, xt.slice_rows(tokens - 1, 1), out);
    EXPECT_LT(nmse(download_f32(*b, out), ref), matmul_bound(type));
}

INSTANTIATE_TEST_SUITE_P(AllTypes, GetRowsParity,
                         ::testing::Combine(::testing::ValuesIn(variant_names()), ::testing::ValuesIn(kWeightTypes)),
                         type_param_name);
INSTANTIATE_TEST_SUITE_P(AllTypes, RowViewParity,
                         ::testing::Combine(::testing::ValuesIn(variant_names()), ::testing::ValuesIn(kWeightTypes)),
                         type_param_name);

}  // namespace
}  // namespace ponder::test
