// top_k.cpp: host-side top-k selection in the order backend.h documents for Backend::top_k(), the
// CPU backend's implementation of it and the reference every other backend is tested against.
#include "backend/backend.h"

#include "util/error.h"

#include <algorithm>
#include <numeric>
#include <vector>

namespace ponder {

void select_top_k(const float* values, std::int64_t n, int k, std::int32_t* ids, float* out) {
    if (k < 1 || k > kMaxTopK || k > n)
        fail("top_k: k = %d must be in [1, min(%lld, %d)]", k, static_cast<long long>(n), kMaxTopK);
    // The same comparison as the sampler's (sampling/sampler.cpp): value, then lower index.
    auto before = [values](std::int32_t a, std::int32_t b) {
        return values[a] > values[b] || (values[a] == values[b] && a < b);
    };
    if (k == 1) {
        std::int32_t best = 0;
        for (std::int64_t i = 1; i < n; ++i)
            if (before(static_cast<std::int32_t>(i), best)) best = static_cast<std::int32_t>(i);
        ids[0] = best;
        out[0] = values[best];
        return;
    }
    std::vector<std::int32_t> order(static_cast<std::size_t>(n));
    std::iota(order.begin(), order.end(), 0);
    std::partial_sort(order.begin(), order.begin() + k, order.end(), before);
    for (int i = 0; i < k; ++i) {
        ids[i] = order[static_cast<std::size_t>(i)];
        out[i] = values[ids[i]];
    }
}

}  // namespace ponder
