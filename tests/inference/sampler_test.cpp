// sampler_test.cpp: the sampler against hand-computed expectations (no model needed).
#include "sampling/sampler.h"

#include "backend/backend.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

namespace ponder {
namespace {

SamplingParams greedy_params() {
    SamplingParams p;
    p.temperature = 0.0f;
    p.top_k = 0;
    p.top_p = 1.0f;
    p.min_p = 0.0f;
    return p;
}

SamplingParams plain_params(std::uint64_t seed) {
    SamplingParams p;
    p.temperature = 1.0f;
    p.top_k = 0;
    p.top_p = 1.0f;
    p.min_p = 0.0f;
    p.seed = seed;
    return p;
}

// Frequencies of each id over n draws from one sampler.
std::vector<double> frequencies(Sampler& s, const std::vector<float>& logits, int n) {
    std::vector<double> f(logits.size(), 0.0);
    for (int i = 0; i < n; ++i) f.at(s.sample(logits)) += 1.0 / n;
    return f;
}

TEST(Sampler, ArgmaxPrefersLowerIdOnTies) {
    EXPECT_EQ(argmax(std::vector<float>{1, 3, 3, 2}), 1);
    EXPECT_EQ(argmax(std::vector<float>{-5}), 0);
    EXPECT_EQ(argmax(std::vector<float>{}), -1);
}

TEST(Sampler, GreedyIsArgmax) {
    Sampler s(greedy_params());
    EXPECT_EQ(s.sample(std::vector<float>{0.1f, 0.7f, 0.2f, 0.7f}), 1);
    EXPECT_EQ(s.sample(std::vector<float>{-3, -2, -9}), 1);
}

TEST(Sampler, TopKOneIsGreedyWhateverTheTemperature) {
    SamplingParams p = plain_params(7);
    p.temperature = 5.0f;
    p.top_k = 1;
    Sampler s(p);
    for (int i = 0; i < 200; ++i) EXPECT_EQ(s.sample(std::vector<float>{0.0f, 0.1f, 0.05f}), 1);
}

TEST(Sampler, TopKTwoNeverPicksTheThird) {
    SamplingParams p = plain_params(11);
    p.top_k = 2;
    Sampler s(p);
    // softmax over {ln 4, ln 3} restricted to the top 2: 4/7 and 3/7
    const std::vector<float> logits{std::log(3.0f), std::log(4.0f), std::log(2.9f)};
    auto f = frequencies(s, logits, 20000);
    EXPECT_EQ(f[2], 0.0);
    EXPECT_NEAR(f[1], 4.0 / 7.0, 0.02);
}

TEST(Sampler, TemperatureSharpensTheDistribution) {
    // Two tokens with p = 1/4 and 3/4 at T = 1; at T = 0.5 the logits double: 1/10 and 9/10.
    const std::vector<float> logits{0.0f, std::log(3.0f)};
    Sampler s1(plain_params(1));
    EXPECT_NEAR(frequencies(s1, logits, 20000)[1], 0.75, 0.015);
    SamplingParams p = plain_params(2);
    p.temperature = 0.5f;
    Sampler s2(p);
    EXPECT_NEAR(frequencies(s2, logits, 20000)[1], 0.90, 0.01);
}

TEST(Sampler, TopPKeepsSmallestPrefixReachingTheMass) {
    // p = 0.5, 0.3, 0.2
    const std::vector<float> logits{std::log(0.3f), std::log(0.5f), std::log(0.2f)};
    SamplingParams p = plain_params(3);
    p.top_p = 0.6f;  // 0.5 < 0.6, 0.5 + 0.3 >= 0.6: keep ids 1 and 0, renormalised 5/8 and 3/8
    Sampler s(p);
    auto f = frequencies(s, logits, 20000);
    EXPECT_EQ(f[2], 0.0);
    EXPECT_NEAR(f[1], 5.0 / 8.0, 0.02);
    p.top_p = 0.5f;  // the first token alone reaches 0.5
    Sampler s2(p);
    for (int i = 0; i < 100; ++i) EXPECT_EQ(s2.sample(logits), 1);
}

TEST(Sampler, MinPDropsTokensBelowFractionOfTheBest) {
    const std::vector<float> logits{std::log(0.3f), std::log(0.5f), std::log(0.2f)};
    SamplingParams p = plain_params(4);
    p.min_p = 0.5f;  // threshold 0.25: 0.3 stays, 0.2 goes
    Sampler s(p);
    auto f = frequencies(s, logits, 20000);
    EXPECT_EQ(f[2], 0.0);
    EXPECT_NEAR(f[0], 3.0 / 8.0, 0.02);
    p.min_p = 0.7f;  // threshold 0.35: only the best stays
    Sampler s2(p);
    for (int i = 0; i < 100; ++i) EXPECT_EQ(s2.sample(logits), 1);
}

TEST(Sampler, TopPThenMinPKeepTheShorterPrefix) {
    // p = 0.5, 0.3, 0.15, 0.05 (ids 3, 1, 0, 2)
    const std::vector<float> logits{std::log(0.15f), std::log(0.3f), std::log(0.05f), std::log(0.5f)};
    SamplingParams p = plain_params(9);
    p.top_p = 0.9f;  // keeps 0.5, 0.3, 0.15
    p.min_p = 0.5f;  // threshold 0.25: keeps 0.5, 0.3
    Sampler s(p);
    auto f = frequencies(s, logits, 20000);
    EXPECT_EQ(f[0] + f[2], 0.0);
    EXPECT_NEAR(f[3], 0.5 / 0.8, 0.02);
    p.min_p = 0.2f;  // threshold 0.1: top-p's three survive
    Sampler s2(p);
    f = frequencies(s2, logits, 20000);
    EXPECT_EQ(f[2], 0.0);
    EXPECT_NEAR(f[0], 0.15 / 0.95, 0.02);
}

TEST(Sampler, TopPOnALargeFlatVocabulary) {
    // 1000 equal logits: top-p 0.5 keeps the 500 lowest ids (ties go to the lower id), which
    // needs more than one round of the sampler's incremental sort.
    const std::vector<float> logits(1000, 1.0f);
    SamplingParams p = plain_params(10);
    p.top_p = 0.5f;
    Sampler s(p);
    int max_id = 0;
    for (int i = 0; i < 5000; ++i) max_id = std::max(max_id, s.sample(logits));
    EXPECT_LT(max_id, 500);
    EXPECT_GT(max_id, 480);
}

TEST(Sampler, RepeatPenaltyDividesPositiveAndMultipliesNegativeLogits) {
    SamplingParams p = greedy_params();
    p.repeat_penalty = 2.0f;
    Sampler s(p);
    s.accept(0);
    // 2.0 -> 1.0, so 1.5 wins
    EXPECT_EQ(s.sample(std::vector<float>{2.0f, -2.0f, 1.5f}), 2);
    // -1.0 -> -2.0, so -1.5 wins
    EXPECT_EQ(s.sample(std::vector<float>{-1.0f, -1.5f}), 1);
}

TEST(Sampler, PresencePenaltyCountsEachTokenOnce) {
    SamplingParams p = greedy_params();
    p.presence_penalty = 0.5f;
    Sampler s(p);
    s.accept(0);
    s.accept(0);
    s.accept(0);
    EXPECT_EQ(s.sample(std::vector<float>{1.0f, 0.8f}), 1);  // 1.0 - 0.5 = 0.5 < 0.8
    SamplingParams q = greedy_params();
    q.presence_penalty = 0.1f;
    Sampler s2(q);
    for (int i = 0; i < 3; ++i) s2.accept(0);
    EXPECT_EQ(s2.sample(std::vector<float>{1.0f, 0.8f}), 0);  // 0.9, not 0.7
}

TEST(Sampler, PenaltiesSeeOnlyTheWindow) {
    SamplingParams p = greedy_params();
    p.repeat_penalty = 4.0f;
    p.penalty_window = 2;
    Sampler s(p);
    s.accept(0);
    s.accept(1);
    s.accept(1);
    EXPECT_EQ(s.sample(std::vector<float>{2.0f, 1.0f}), 0);  // token 0 fell out of the window
    s.accept(0);
    EXPECT_EQ(s.sample(std::vector<float>{2.0f, 1.0f, 0.6f}), 2);  // 0.5 and 0.25 vs 0.6
}

TEST(Sampler, SameSeedReproducesDifferentSeedDiffers) {
    std::vector<float> logits(50);
    for (int i = 0; i < 50; ++i) logits[i] = 0.1f * static_cast<float>(i % 7);
    SamplingParams p;  // the defaults: T 0.6, top-k 40, top-p 0.95, min-p 0.05
    p.seed = 1234;
    Sampler a(p), b(p);
    p.seed = 999;
    Sampler c(p);
    std::vector<int> ra, rb, rc;
    for (int i = 0; i < 100; ++i) {
        ra.push_back(a.sample(logits));
        rb.push_back(b.sample(logits));
        rc.push_back(c.sample(logits));
    }
    EXPECT_EQ(ra, rb);
    EXPECT_NE(ra, rc);
}

TEST(Sampler, RngIsUniform) {
    Rng r(42);
    double sum = 0;
    for (int i = 0; i < 100000; ++i) {
        const double u = r.uniform();
        ASSERT_GE(u, 0.0);
        ASSERT_LT(u, 1.0);
        sum += u;
    }
    EXPECT_NEAR(sum / 100000, 0.5, 0.005);
}

}  // namespace
}  // namespace ponder

namespace ponder {
namespace {

// Generation may hand the sampler only the k best logits, selected on the device
// (Backend::top_k, host reference select_top_k). Fed those, it must pick what it picks from the
// whole row: the same tokens from the same seed, draw after draw.
TEST(Sampler, TopCandidatesGiveTheSameTokensAsTheWholeRow) {
    std::mt19937 rng(5);
    std::normal_distribution<float> dist(0.0f, 3.0f);
    const int vocab = 5000;
    struct Setting {
        float temperature, top_p, min_p;
        int top_k;
    };
    for (const Setting s :
         {Setting{0.0f, 1.0f, 0.0f, 0}, Setting{0.0f, 0.95f, 0.05f, 40}, Setting{0.6f, 0.95f, 0.05f, 40},
          Setting{1.5f, 1.0f, 0.0f, 7}, Setting{1.0f, 0.5f, 0.0f, 256}}) {
        SamplingParams p;
        p.temperature = s.temperature;
        p.top_k = s.top_k;
        p.top_p = s.top_p;
        p.min_p = s.min_p;
        p.seed = 77;
        Sampler whole(p), top(p);
        const int k = top.candidates_needed(vocab, kMaxTopK);
        ASSERT_EQ(k, s.temperature <= 0.0f ? 1 : s.top_k);
        std::vector<float> l(vocab);
        std::vector<std::int32_t> ids(static_cast<std::size_t>(k));
        std::vector<float> vals(static_cast<std::size_t>(k));
        for (int draw = 0; draw < 200; ++draw) {
            for (float& v : l) v = std::round(dist(rng) * 2.0f) / 2.0f;  // coarse: many ties
            select_top_k(l.data(), vocab, k, ids.data(), vals.data());
            const int a = whole.sample(l), b = top.sample_top(ids, vals);
            ASSERT_EQ(a, b) << "temperature " << s.temperature << " top_k " << s.top_k << " draw " << draw;
            whole.accept(a);
            top.accept(b);
        }
    }
}

TEST(Sampler, PenaltiesOrNoTopKNeedTheWholeRow) {
    SamplingParams p;
    p.top_k = 40;
    p.repeat_penalty = 1.1f;
    Sampler with_penalty(p);
    EXPECT_EQ(with_penalty.candidates_needed(1000, kMaxTopK), 40);  // nothing accepted yet: no penalty applies
    with_penalty.accept(3);
    EXPECT_EQ(with_penalty.candidates_needed(1000, kMaxTopK), 0);
    p.repeat_penalty = 1.0f;
    p.top_k = 0;
    EXPECT_EQ(Sampler(p).candidates_needed(1000, kMaxTopK), 0);  // top-k off: top-p over the whole row
    p.top_k = 300;
    EXPECT_EQ(Sampler(p).candidates_needed(1000, kMaxTopK), 0);  // above what a device selects
    p.top_k = 1000;
    EXPECT_EQ(Sampler(p).candidates_needed(1000, kMaxTopK), 0);  // the whole vocabulary
}

}  // namespace
}  // namespace ponder
