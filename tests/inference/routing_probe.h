// routing_probe.h: a Backend decorator for the reference test that forwards every op to the
// model's backend and records, at each moe_route(), how close the expert choice was: the gap
// between the last chosen and the best unchosen expert's selection score, and with expert groups
// the gap between the last chosen and the best unchosen group. A gap near zero is the MoE
// counterpart of a top-1/top-2 near-tie: tiny differences in the hidden state (8-bit activation
// rounding, F16 cache rounding) legitimately pick other experts there, and the output changes a lot.
#pragma once

#include "api/loaded_model.h"
#include "backend/backend.h"
#include "kv_cache/kv_cache.h"
#include "model/transformer.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <numeric>
#include <vector>

namespace ponder::test {

// A mixture-of-experts choice closer than this is a routing near-tie: the selection-score gap
// between the last chosen and the best unchosen expert, or half the gap between the last chosen
// and the best unchosen group (a group score is a sum of two). A choice flips only where the
// runs' score differences (delta each) move the gap by more than the gap itself: an expert gap
// moves by up to 2 delta, a halved group gap too. Measured: our own F16- and F32-cache runs of
// deepseek2-t512-Q4_K_M differ by delta = 0.014 in the last token's sigmoid scores, so
// 2 delta = 0.028: 0.03. (It was 0.05 on unhalved gaps. The two CPU reference cases that need
// the exception, deepseek2-t512-Q5_K_M story1 and deepseek2lite-t512-Q4_K_M story2, are at 0.0167
// and 0.0037; reference_test prints every prompt's gap.)
constexpr double kRoutingTie = 0.03;

class RoutingProbe final : public Backend {
public:
    explicit RoutingProbe(Backend& inner) : m_b(inner) {}

    // One entry per moe_route() call (layer order within a step): each row's (token's) gap.
    std::vector<std::vector<double>> calls;
    // The same calls' chosen experts (rows of n_used ids, sorted) and selection scores (rows of
    // n_experts), so two runs of a step (two backends) can be compared choice by choice.
    struct Choice {
        int n_used = 0, n_experts = 0;
        std::vector<std::int32_t> ids;
        std::vector<double> scores;
    };
    std::vector<Choice> choices;

    BackendKind kind() const override { return m_b.kind(); }
    std::string_view name() const override { return m_b.name(); }
    std::string device_name() const override { return m_b.device_name(); }
    bool supports(BackendOp op, DType t) const override { return m_b.supports(op, t); }
    Tensor alloc(DType t, std::int64_t r, std::int64_t c) override { return m_b.alloc(t, r, c); }
    void release(const Tensor& t) override { m_b.release(t); }
    Tensor map_weights(const void* d, DType t, std::int64_t r, std::int64_t c) override {
        return m_b.map_weights(d, t, r, c);
    }
    void upload(const Tensor& d, const void* s, std::size_t n) override { m_b.upload(d, s, n); }
    void download(const Tensor& s, void* d, std::size_t n) override { m_b.download(s, d, n); }
    void get_rows(const Tensor& t, const Tensor& ids, const Tensor& o) override { m_b.get_rows(t, ids, o); }
    void rms_norm(const Tensor& x, const Tensor& w, float e, const Tensor& o) override { m_b.rms_norm(x, w, e, o); }
    void matmul(const Tensor& w, const Tensor& x, const Tensor& o) override { m_b.matmul(w, x, o); }
    void add(const Tensor& a, const Tensor& b, const Tensor& o) override { m_b.add(a, b, o); }
    void rope(const Tensor& x, const StepPositions& p, const RopeParams& r) override { m_b.rope(x, p, r); }
    void store_kv(const Tensor& s, const Tensor& c, const StepPositions& p) override { m_b.store_kv(s, c, p); }
    void attention(const Tensor& q, const Tensor& k, const Tensor& v, const StepPositions& p, const AttentionParams& a,
                   const Tensor& o) override {
        m_b.attention(q, k, v, p, a, o);
    }
    void swiglu(const Tensor& g, const Tensor& u, const Tensor& o) override { m_b.swiglu(g, u, o); }
    void scale(const Tensor& x, float s, const Tensor& o) override { m_b.scale(x, s, o); }
    void copy(const Tensor& s, const Tensor& d) override { m_b.copy(s, d); }
    void top_k(const Tensor& l, const Tensor& i, const Tensor& v) override { m_b.top_k(l, i, v); }
    void matmul_id(const Tensor& w, int n, const Tensor& x, const Tensor& ids, const Tensor& o) override {
        m_b.matmul_id(w, n, x, ids, o);
    }
    void moe_combine(const Tensor& y, const Tensor& w, const Tensor& o) override { m_b.moe_combine(y, w, o); }
    void finish() override { m_b.finish(); }
    void discard() noexcept override { m_b.discard(); }

    void moe_route(const Tensor& logits, const Tensor& bias, const MoeRouting& p, const Tensor& ids,
                   const Tensor& w) override {
        m_b.moe_route(logits, bias, p, ids, w);
        std::vector<float> l(static_cast<std::size_t>(logits.rows * logits.cols)),
            b(static_cast<std::size_t>(p.n_experts), 0.0f);
        Choice& choice = choices.emplace_back();
        choice.n_used = p.n_used;
        choice.n_experts = p.n_experts;
        choice.ids.resize(static_cast<std::size_t>(ids.rows * ids.cols));
        m_b.download(logits, l.data(), l.size() * sizeof(float));
        m_b.download(ids, choice.ids.data(), choice.ids.size() * sizeof(std::int32_t));
        if (!bias.empty()) m_b.download(bias, b.data(), b.size() * sizeof(float));
        m_b.finish();
        for (std::size_t r = 0; r < choice.ids.size(); r += static_cast<std::size_t>(p.n_used))
            std::sort(choice.ids.begin() + static_cast<std::ptrdiff_t>(r),
                      choice.ids.begin() + static_cast<std::ptrdiff_t>(r) + p.n_used);
        std::vector<double>& gaps = calls.emplace_back();
        const int n = p.n_experts, per_group = n / p.n_groups;
        for (std::int64_t t = 0; t < logits.rows; ++t) {
            std::vector<double> s(n);
            double mx = -1e300, sum = 0;
            for (int e = 0; e < n; ++e) mx = std::max(mx, double(l[t * n + e]));
            for (int e = 0; e < n; ++e)
                sum += (s[e] = p.sigmoid ? 1 / (1 + std::exp(-double(l[t * n + e]))) : std::exp(l[t * n + e] - mx));
            for (int e = 0; e < n; ++e) s[e] = (p.sigmoid ? s[e] : s[e] / sum) + b[e];
            choice.scores.insert(choice.scores.end(), s.begin(), s.end());
            double gap = std::numeric_limits<double>::infinity();
            std::vector<double> allowed = s;
            if (p.n_groups > 1 && p.n_groups_used < p.n_groups) {
                std::vector<std::pair<double, int>> gs;
                for (int g = 0; g < p.n_groups; ++g) {
                    std::vector<double> v(s.begin() + g * per_group, s.begin() + (g + 1) * per_group);
                    std::sort(v.rbegin(), v.rend());
                    gs.push_back({v[0] + (per_group > 1 ? v[1] : 0.0), g});
                }
                std::sort(gs.rbegin(), gs.rend());
                // A group score is a sum of two scores, so noise moves a group gap twice as far
                // as an expert gap: counted at half, both gaps are in the same units.
                gap = 0.5 * (gs[p.n_groups_used - 1].first - gs[p.n_groups_used].first);
                allowed.clear();
                for (int r = 0; r < p.n_groups_used; ++r)
                    allowed.insert(allowed.end(), s.begin() + gs[r].second * per_group,
                                   s.begin() + (gs[r].second + 1) * per_group);
            }
            std::sort(allowed.rbegin(), allowed.rend());
            if (static_cast<int>(allowed.size()) > p.n_used)
                gap = std::min(gap, allowed[p.n_used - 1] - allowed[p.n_used]);
            gaps.push_back(gap);
        }
    }

    // The closest routing call that can reach the last row's logits in the step just run: the
    // last row's own choice in every MoE layer, and every row's choice in the MoE layers before
    // the last one (their outputs feed later layers' attention). Clears the record (the choices
    // move to last_choices).
    std::vector<Choice> last_choices;
    std::vector<std::vector<double>> last_calls;
    double take_step_gap() {
        last_choices = std::move(choices);
        choices.clear();
        last_calls = calls;
        double gap = std::numeric_limits<double>::infinity();
        for (std::size_t i = 0; i < calls.size(); ++i) {
            if (calls[i].empty()) continue;
            if (i + 1 < calls.size())
                gap = std::min(gap, *std::min_element(calls[i].begin(), calls[i].end()));
            else
                gap = std::min(gap, calls[i].back());
        }
        calls.clear();
        return gap;
    }

private:
    Backend& m_b;
};

// Two runs of one step (e.g. the CPU and a GPU backend) compared choice by choice. Only the
// first MoE call where their chosen experts differ says anything: everything after it sees
// other hidden states. There, every row whose choice differs must be a near-tie in one of the
// runs (closest_gap: the smallest such gap); a difference at a clear gap is broken routing.
struct RoutingComparison {
    bool differ = false;  // some row chose other experts
    // At that call, the largest over the differing rows of the row's gap (the smaller of the
    // two runs' gaps): below the near-tie bound when every difference is a legitimate one.
    double differ_gap = 0;
    double max_score_diff = 0;  // max |score a - score b| over the calls up to that one
};

// A difference the two runs' own arithmetic can explain: for a row to flip, its gap (expert
// gap, or half the group gap) must be below what the score differences can move it by, 2 max|d
// score|. So a difference is legitimate only at a gap below twice the measured score difference
// of this comparison, and below kRoutingTie.
inline bool legitimate(const RoutingComparison& c) {
    return !c.differ || c.differ_gap < std::min(kRoutingTie, 2.0 * c.max_score_diff + 1e-6);
}

inline RoutingComparison compare_routing(const RoutingProbe& a, const RoutingProbe& b) {
    RoutingComparison c;
    const std::size_t n = std::min(a.last_choices.size(), b.last_choices.size());
    for (std::size_t i = 0; i < n && !c.differ; ++i) {
        const RoutingProbe::Choice &x = a.last_choices[i], &y = b.last_choices[i];
        for (std::size_t j = 0; j < x.scores.size() && j < y.scores.size(); ++j)
            c.max_score_diff = std::max(c.max_score_diff, std::abs(x.scores[j] - y.scores[j]));
        double worst = 0;
        for (std::size_t r = 0; r * x.n_used < x.ids.size() && r * y.n_used < y.ids.size(); ++r) {
            if (std::equal(x.ids.begin() + r * x.n_used, x.ids.begin() + (r + 1) * x.n_used,
                           y.ids.begin() + r * y.n_used))
                continue;
            c.differ = true;
            worst = std::max(worst, std::min(a.last_calls[i][r], b.last_calls[i][r]));
        }
        if (c.differ) c.differ_gap = worst;
    }
    return c;
}

// EvalContext's job over a RoutingProbe: feed tokens, read the last logits and the step's gap.
class ProbedContext {
public:
    ProbedContext(const LoadedModel& m, int capacity)
        : m_probe(*m.m_backend), m_cache(m_probe, m.m_config.n_layers, capacity, m.m_config.kv_dim(),
                                         m.m_config.head_dim, m.m_kv_type, m.m_config.mla()),
          m_tf(m_probe, m.m_config, m.m_weights, std::min(capacity, 512)),
          m_logits(static_cast<std::size_t>(m.m_config.vocab_size)) {}

    std::span<const float> eval(std::span<const std::int32_t> tokens) {
        m_tf.forward(tokens, m_cache, m_logits);
        last_gap = m_probe.take_step_gap();
        return m_logits;
    }
    double last_gap = 0;  // routing gap of the last eval (infinity without MoE layers)
    const RoutingProbe& probe() const { return m_probe; }
    void truncate(int n_tokens) { m_cache.truncate(n_tokens); }

private:
    RoutingProbe m_probe;
    KvCache m_cache;
    Transformer m_tf;
    std::vector<float> m_logits;
};

}  // namespace ponder::test
