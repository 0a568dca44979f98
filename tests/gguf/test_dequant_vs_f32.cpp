// test_dequant_vs_f32.cpp: every tensor of every llama-quantize'd reference model, dequantized by
// our reference code, matches the same tensor of the F32 master within that type's error bound.
// The bounds are tight enough that any mistake in a block layout (a swapped nibble order, a
// misread scale bit) fails: those give errors of tens of percent or more.
#include "gguf/gguf_file.h"
#include "quant/dequantize.h"
#include "support/testdata.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <vector>

namespace ponder {
namespace {

// Largest relative rms error (rms(deq - f32) / rms(f32)) allowed for one tensor, per type.
// Measured maxima over all reference tensors with ~20 % headroom (worst measured: F16 0.021 %,
// BF16 0.17 %, Q8_0 0.54 %, Q6_K 1.8 %, Q5_K 3.6 %, Q5_1 3.8 %, Q5_0 4.3 %, Q4_K 7.2 %, IQ4_NL
// 7.7 %, IQ4_XS 7.7 %, Q4_1 7.9 %, Q4_0 8.7 %, Q3_K 15 %, Q2_K 30 %; F32 tensors must be exact).
double bound_for(DType t) {
    switch (t) {
    case DType::F32: return 0.0;
    case DType::F16: return 0.0004;
    case DType::BF16: return 0.0021;
    case DType::Q8_0: return 0.0065;
    case DType::Q6_K: return 0.0215;
    case DType::Q5_K: return 0.044;
    case DType::Q5_0: return 0.052;
    case DType::Q5_1: return 0.046;
    case DType::Q4_K: return 0.087;
    case DType::Q4_0: return 0.104;
    case DType::Q4_1: return 0.095;
    case DType::IQ4_NL: return 0.092;
    case DType::IQ4_XS: return 0.093;
    case DType::Q3_K: return 0.18;
    case DType::Q2_K: return 0.36;
    default: return -1;
    }
}

double relative_rms(const GgufTensor& q, const GgufTensor& ref) {
    const std::int64_t row = q.row_length();
    std::vector<float> a(static_cast<std::size_t>(row)), b(static_cast<std::size_t>(row));
    const std::uint64_t qrb = row_bytes(q.type, row);
    double num = 0, den = 0;
    for (std::int64_t r = 0; r < q.n_rows(); ++r) {
        dequantize_row(q.type, q.data + static_cast<std::uint64_t>(r) * qrb, a.data(), row);
        dequantize_row(ref.type, ref.data + static_cast<std::uint64_t>(r) * row_bytes(ref.type, row), b.data(), row);
        for (std::int64_t i = 0; i < row; ++i) {
            const double d = static_cast<double>(a[i]) - b[i];
            num += d * d;
            den += static_cast<double>(b[i]) * b[i];
        }
    }
    return den > 0 ? std::sqrt(num / den) : std::sqrt(num);
}

TEST(GgufDequantVsF32, EveryQuantizedReferenceTensor) {
    PONDER_REQUIRE_TESTDATA();
    const auto dir = *test::testdata_dir() / "models" / "synthetic";
    std::map<DType, double> worst;
    std::map<DType, int> tensors_checked;
    int files = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        const std::string name = entry.path().filename().string();
        const auto dash = name.rfind('-');
        if (dash == std::string::npos || name.ends_with("-F32.gguf")) continue;
        const auto master = dir / (name.substr(0, dash) + "-F32.gguf");
        if (!std::filesystem::exists(master)) continue;  // fv / lite models ship without an F32 master
        SCOPED_TRACE(name);
        ++files;
        const GgufFile q = GgufFile::open(entry.path());
        const GgufFile ref = GgufFile::open(master);
        ASSERT_EQ(q.tensors().size(), ref.tensors().size());
        for (const GgufTensor& t : q.tensors()) {
            const GgufTensor& r = ref.require_tensor(t.name);
            ASSERT_EQ(r.type, DType::F32);
            ASSERT_EQ(t.ne, r.ne) << t.name;
            const double bound = bound_for(t.type);
            ASSERT_GE(bound, 0) << "no bound for " << to_string(t.type);
            const double err = relative_rms(t, r);
            EXPECT_LE(err, bound) << t.name << " (" << to_string(t.type) << ")";
            worst[t.type] = std::max(worst[t.type], err);
            tensors_checked[t.type]++;
        }
    }
    EXPECT_GE(files, 20);
    // Every type that llama-quantize put into the reference files was exercised.
    for (DType t : {DType::F16, DType::BF16, DType::Q8_0, DType::Q6_K, DType::Q5_K, DType::Q5_0, DType::Q5_1,
                    DType::Q4_K, DType::Q4_0, DType::Q4_1, DType::IQ4_NL, DType::IQ4_XS, DType::Q3_K, DType::Q2_K})
        EXPECT_GT(tensors_checked[t], 0) << to_string(t);
    for (const auto& [type, err] : worst) {
        RecordProperty(std::string(to_string(type)), std::to_string(err));
        std::printf("  %-7s worst relative rms %.5f over %d tensors\n", std::string(to_string(type)).c_str(), err,
                    tensors_checked[type]);
    }
}

}  // namespace
}  // namespace ponder
