// logit_comparison.h: how far one backend's last-position logits are from a reference (llama.cpp's
// or another backend's), with the measures the reference tests bound: relative rms, max |d|,
// top-10 overlap and argmax. Shared by reference_test (CPU) and vulkan_model_test.
#pragma once

#include <algorithm>
#include <cmath>
#include <numeric>
#include <span>
#include <string>
#include <vector>

namespace ponder::test {

struct LogitComparison {
    double rel_rms = 0;     // rms(ours - ref) / rms(ref)
    double max_abs = 0;     // max |ours - ref|
    int top10_overlap = 0;  // ids in both top-10 lists
    bool same_argmax = false;
};

// The k largest ids, descending; ties go to the lower id (as the reference data orders them).
inline std::vector<int> top_k_ids(std::span<const float> v, int k) {
    std::vector<int> ids(v.size());
    std::iota(ids.begin(), ids.end(), 0);
    std::partial_sort(ids.begin(), ids.begin() + k, ids.end(),
                      [&](int a, int b) { return v[a] > v[b] || (v[a] == v[b] && a < b); });
    ids.resize(k);
    return ids;
}

inline LogitComparison compare_logits(std::span<const float> ours, std::span<const float> ref) {
    LogitComparison c;
    double d2 = 0, r2 = 0;
    for (std::size_t i = 0; i < ref.size(); ++i) {
        const double d = static_cast<double>(ours[i]) - ref[i];
        d2 += d * d;
        r2 += static_cast<double>(ref[i]) * ref[i];
        c.max_abs = std::max(c.max_abs, std::abs(d));
    }
    c.rel_rms = std::sqrt(d2 / std::max(r2, 1e-30));
    const auto a = top_k_ids(ours, 10), b = top_k_ids(ref, 10);
    for (int id : a) c.top10_overlap += std::count(b.begin(), b.end(), id) ? 1 : 0;
    c.same_argmax = a[0] == b[0];
    return c;
}

// Float files (F32/F16/BF16, and the all-F32 real model) are held to 1 %, quantized ones to 5 %.
inline bool is_float_reference(const std::string& stem) {
    for (const std::string t : {"-F32", "-F16", "-BF16"})
        if (stem.ends_with(t)) return true;
    return stem == "stories260K";
}

}  // namespace ponder::test
