// fit.cpp: least-squares scale fitting for the weight quantizers.
#include "quant/fit.h"

#include <algorithm>
#include <cmath>

namespace ponder {

namespace {

inline int round_int(float v) { return fast_round(v); }

}  // namespace

void fit_asymmetric(const float* x, int n, int nmax, float& scale, float& min) {
    float lo = x[0], hi = x[0];
    for (int i = 1; i < n; ++i) {
        lo = std::min(lo, x[i]);
        hi = std::max(hi, x[i]);
    }
    lo = std::min(lo, 0.0f);
    if (hi <= lo) {  // constant non-positive block: everything equals lo
        scale = 0.0f;
        min = -lo;
        return;
    }
    float best_err = INFINITY, best_scale = (hi - lo) / nmax, best_min = -lo;
    // Candidate ranges slightly narrower/wider than [lo, hi]; clipping the extremes often wins.
    for (int step = -4; step <= 6; ++step) {
        float s = (hi - lo) / (static_cast<float>(nmax) + 0.3f * static_cast<float>(step));
        float m = lo;  // offset (<= 0): x ~= s*q + m
        for (int iter = 0; iter < 3; ++iter) {
            const float is = 1.0f / s;
            double sq = 0, sqq = 0, sx = 0, sqx = 0;
            for (int i = 0; i < n; ++i) {
                const float q = static_cast<float>(std::clamp(round_int((x[i] - m) * is), 0, nmax));
                sq += q;
                sqq += static_cast<double>(q) * q;
                sx += x[i];
                sqx += static_cast<double>(q) * x[i];
            }
            const double det = n * sqq - sq * sq;
            if (det <= 0) break;
            double ns = (n * sqx - sq * sx) / det;
            double nm = (sqq * sx - sq * sqx) / det;
            if (nm > 0) {  // offset must stay <= 0: refit the scale alone with m = 0
                nm = 0;
                ns = sqq > 0 ? sqx / sqq : 0;
            }
            if (!(ns > 0)) break;
            s = static_cast<float>(ns);
            m = static_cast<float>(nm);
        }
        const float is = 1.0f / s;
        float err = 0;
        for (int i = 0; i < n; ++i) {
            const float q = static_cast<float>(std::clamp(round_int((x[i] - m) * is), 0, nmax));
            const float e = s * q + m - x[i];
            err += e * e;
        }
        if (err < best_err) {
            best_err = err;
            best_scale = s;
            best_min = -m;
        }
    }
    scale = best_scale;
    min = best_min;
}

float fit_symmetric(const float* x, int n, int nhalf) {
    float amax = 0.0f, max = 0.0f;
    for (int i = 0; i < n; ++i) {
        if (std::fabs(x[i]) > amax) {
            amax = std::fabs(x[i]);
            max = x[i];
        }
    }
    if (amax == 0.0f) return 0.0f;
    float best_err = INFINITY, best = max / -static_cast<float>(nhalf);
    for (int step = -8; step <= 8; ++step) {
        const float is = -(static_cast<float>(nhalf) + 0.1f * static_cast<float>(step)) / max;
        double sxq = 0, sqq = 0;
        for (int i = 0; i < n; ++i) {
            const float q = static_cast<float>(std::clamp(round_int(x[i] * is), -nhalf, nhalf - 1));
            sxq += static_cast<double>(x[i]) * q;
            sqq += static_cast<double>(q) * q;
        }
        if (sqq <= 0) continue;
        const float s = static_cast<float>(sxq / sqq);
        if (s == 0.0f) continue;
        const float inv = 1.0f / s;
        float err = 0;
        for (int i = 0; i < n; ++i) {
            const float q = static_cast<float>(std::clamp(round_int(x[i] * inv), -nhalf, nhalf - 1));
            const float e = s * q - x[i];
            err += e * e;
        }
        if (err < best_err) {
            best_err = err;
            best = s;
        }
    }
    return best;
}

void codebook_indices(const float* x, int n, const std::int8_t* codebook, float d, std::uint8_t* idx) {
    const float id = d != 0.0f ? 1.0f / d : 0.0f;
    for (int i = 0; i < n; ++i) {
        const float v = x[i] * id;
        int best = 0;
        float best_dist = std::fabs(v - codebook[0]);
        for (int k = 1; k < 16; ++k) {
            const float dist = std::fabs(v - codebook[k]);
            if (dist < best_dist) {
                best_dist = dist;
                best = k;
            }
        }
        idx[i] = static_cast<std::uint8_t>(best);
    }
}

float fit_codebook(const float* x, int n, const std::int8_t* codebook, std::uint8_t* idx) {
    float amax = 0.0f, max = 0.0f;
    for (int i = 0; i < n; ++i) {
        if (std::fabs(x[i]) > amax) {
            amax = std::fabs(x[i]);
            max = x[i];
        }
    }
    if (amax == 0.0f) {
        codebook_indices(x, n, codebook, 0.0f, idx);
        return 0.0f;
    }
    float best_err = INFINITY, best = max / codebook[0];
    std::uint8_t tmp[256];
    for (int step = -6; step <= 6; ++step) {
        const float d0 = max / (static_cast<float>(codebook[0]) * (1.0f + 0.03f * static_cast<float>(step)));
        codebook_indices(x, n, codebook, d0, tmp);
        double sxv = 0, svv = 0;
        for (int i = 0; i < n; ++i) {
            sxv += static_cast<double>(x[i]) * codebook[tmp[i]];
            svv += static_cast<double>(codebook[tmp[i]]) * codebook[tmp[i]];
        }
        if (svv <= 0) continue;
        const float d = static_cast<float>(sxv / svv);
        codebook_indices(x, n, codebook, d, tmp);
        float err = 0;
        for (int i = 0; i < n; ++i) {
            const float e = d * codebook[tmp[i]] - x[i];
            err += e * e;
        }
        if (err < best_err) {
            best_err = err;
            best = d;
        }
    }
    codebook_indices(x, n, codebook, best, idx);
    return best;
}

}  // namespace ponder
