// sampler.cpp: the sampling pipeline documented in sampler.h.
#include "sampling/sampler.h"

#include <algorithm>
#include <cmath>
#include <random>

namespace ponder {

int argmax(std::span<const float> logits) {
    if (logits.empty()) return -1;
    int best = 0;
    for (std::size_t i = 1; i < logits.size(); ++i)
        if (logits[i] > logits[best]) best = static_cast<int>(i);  // strict: ties keep the lower id
    return best;
}

namespace {

std::uint64_t splitmix64(std::uint64_t& x) {
    std::uint64_t z = (x += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

}  // namespace

Rng::Rng(std::uint64_t seed) {
    for (auto& s : m_s) s = splitmix64(seed);
}

std::uint64_t Rng::next() {
    const std::uint64_t result = rotl(m_s[1] * 5, 7) * 9;
    const std::uint64_t t = m_s[1] << 17;
    m_s[2] ^= m_s[0];
    m_s[3] ^= m_s[1];
    m_s[1] ^= m_s[2];
    m_s[0] ^= m_s[3];
    m_s[2] ^= t;
    m_s[3] = rotl(m_s[3], 45);
    return result;
}

double Rng::uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

static std::uint64_t effective_seed(std::uint64_t seed) {
    if (seed != 0) return seed;
    std::random_device rd;  // seed 0 = "random": a fresh seed per sampler
    return (static_cast<std::uint64_t>(rd()) << 32) ^ rd();
}

Sampler::Sampler(const SamplingParams& params) : m_params(params), m_rng(effective_seed(params.seed)) {}

void Sampler::accept(int token) {
    m_history.push_back(token);
    const std::size_t window = static_cast<std::size_t>(std::max(0, m_params.penalty_window));
    // Trim lazily (at twice the window) so accept() stays O(1) amortised.
    if (m_history.size() > 2 * window + 16) m_history.erase(m_history.begin(), m_history.end() - window);
}

bool Sampler::penalties_active() const {
    const bool repeat = m_params.repeat_penalty != 1.0f && m_params.repeat_penalty > 0.0f;
    const bool presence = m_params.presence_penalty != 0.0f;
    return (repeat || presence) && m_params.penalty_window > 0 && !m_history.empty();
}

void Sampler::apply_penalties(std::vector<Candidate>& cands) const {
    if (!penalties_active()) return;
    const bool repeat = m_params.repeat_penalty != 1.0f && m_params.repeat_penalty > 0.0f;
    const bool presence = m_params.presence_penalty != 0.0f;
    const std::size_t window = std::min<std::size_t>(m_history.size(), m_params.penalty_window);
    // Distinct tokens of the window: each is penalised once however often it occurred.
    std::vector<int> seen(m_history.end() - window, m_history.end());
    std::sort(seen.begin(), seen.end());
    seen.erase(std::unique(seen.begin(), seen.end()), seen.end());
    for (int id : seen) {
        if (id < 0 || static_cast<std::size_t>(id) >= cands.size()) continue;
        float& l = cands[id].logit;  // candidates are still in id order here
        if (repeat) l = l > 0.0f ? l / m_params.repeat_penalty : l * m_params.repeat_penalty;
        if (presence) l -= m_params.presence_penalty;
    }
}

int Sampler::sample(std::span<const float> logits) {
    if (logits.empty()) return -1;
    std::vector<Candidate>& c = m_scratch;
    c.resize(logits.size());
    for (std::size_t i = 0; i < logits.size(); ++i) c[i] = {static_cast<int>(i), logits[i]};
    apply_penalties(c);

    if (m_params.temperature <= 0.0f) {
        int best = 0;
        for (std::size_t i = 1; i < c.size(); ++i)
            if (c[i].logit > c[best].logit) best = static_cast<int>(i);
        return c[best].id;
    }

    auto better = [](const Candidate& a, const Candidate& b) {
        return a.logit > b.logit || (a.logit == b.logit && a.id < b.id);
    };
    std::size_t n = c.size();
    bool sorted = false;  // c[0, n) sorted best first
    if (m_params.top_k > 0 && static_cast<std::size_t>(m_params.top_k) < n) {
        n = static_cast<std::size_t>(m_params.top_k);
        std::partial_sort(c.begin(), c.begin() + n, c.end(), better);
        sorted = true;
    }
    return choose(c, n, sorted);
}

int Sampler::candidates_needed(int vocab_size, int max_k) const {
    // Penalties change logits anywhere in the row, so they need all of it.
    if (vocab_size <= 0 || penalties_active()) return 0;
    if (m_params.temperature <= 0.0f) return 1;
    if (m_params.top_k > 0 && m_params.top_k < vocab_size && m_params.top_k <= max_k) return m_params.top_k;
    return 0;
}

int Sampler::sample_top(std::span<const std::int32_t> ids, std::span<const float> logits) {
    if (ids.empty() || ids.size() != logits.size()) return -1;
    if (m_params.temperature <= 0.0f) return ids[0];  // the argmax, lower id on ties, as sample()
    std::vector<Candidate>& c = m_scratch;
    c.resize(ids.size());
    for (std::size_t i = 0; i < ids.size(); ++i) c[i] = {ids[i], logits[i]};
    // What sample() holds after its top-k step: the k best, sorted best first.
    return choose(c, c.size(), true);
}

int Sampler::choose(std::vector<Candidate>& c, std::size_t n, bool sorted) {
    auto better = [](const Candidate& a, const Candidate& b) {
        return a.logit > b.logit || (a.logit == b.logit && a.id < b.id);
    };
    float max_logit = c[0].logit;
    if (!sorted)
        for (std::size_t i = 1; i < n; ++i) max_logit = std::max(max_logit, c[i].logit);

    // top-p and min-p both keep a best-first prefix of the sorted candidates, so applying them in
    // llama.cpp's order (top-p, then min-p) keeps the shorter of the two prefixes. Probabilities are
    // at temperature 1 over all candidates left by top-k, relative to the best logit (stable exp).
    const float min_logit = m_params.min_p > 0.0f
                                ? max_logit + std::log(std::min(m_params.min_p, 1.0f))  // p >= min_p * p_max
                                : -INFINITY;
    double total = 0;
    if (m_params.top_p < 1.0f)
        for (std::size_t i = 0; i < n; ++i) total += std::exp(static_cast<double>(c[i].logit - max_logit));
    if (!sorted) {
        // Only what can survive needs sorting: the min-p survivors (usually a handful), or with
        // min-p off a growing best-first prefix until the top-p mass is reached (a full sort of a
        // 150k vocabulary costs ~25 ms per token).
        if (m_params.min_p > 0.0f) {
            const auto end = std::partition(c.begin(), c.begin() + static_cast<std::ptrdiff_t>(n),
                                            [&](const Candidate& x) { return x.logit >= min_logit; });
            n = static_cast<std::size_t>(end - c.begin());
            std::sort(c.begin(), c.begin() + static_cast<std::ptrdiff_t>(n), better);
            sorted = true;
        }
    }
    if (m_params.top_p < 1.0f) {
        std::size_t prefix = sorted ? n : 0;
        std::size_t keep = n;
        double cum = 0;
        for (std::size_t i = 0; i < n; ++i) {
            if (i == prefix) {
                const std::size_t next = std::min(n, std::max<std::size_t>(256, prefix * 4));
                std::partial_sort(c.begin() + static_cast<std::ptrdiff_t>(prefix),
                                  c.begin() + static_cast<std::ptrdiff_t>(next),
                                  c.begin() + static_cast<std::ptrdiff_t>(n), better);
                prefix = next;
            }
            cum += std::exp(static_cast<double>(c[i].logit - max_logit)) / total;
            if (cum >= m_params.top_p) {
                keep = i + 1;
                break;
            }
        }
        n = std::max<std::size_t>(1, keep);
        sorted = true;
    }
    if (sorted && m_params.min_p > 0.0f) {
        std::size_t keep = 1;
        while (keep < n && c[keep].logit >= min_logit) ++keep;
        n = keep;
    }

    // Temperature and the draw.
    const double inv_t = 1.0 / m_params.temperature;
    double weight = 0;
    for (std::size_t i = 0; i < n; ++i) weight += std::exp((c[i].logit - max_logit) * inv_t);
    const double r = m_rng.uniform() * weight;
    double cum = 0;
    for (std::size_t i = 0; i < n; ++i) {
        cum += std::exp((c[i].logit - max_logit) * inv_t);
        if (r < cum) return c[i].id;
    }
    return c[n - 1].id;  // rounding: r landed on the very top of the range
}

}  // namespace ponder
