// sampler.h: logits -> next token (penalties, top-k, top-p, min-p, temperature, seeded draw).
#pragma once

#include <ponder/engine.h>

#include <cstdint>
#include <span>
#include <vector>

namespace ponder {

// Index of the largest value; ties go to the lower index (llama.cpp's greedy rule). -1 when empty.
int argmax(std::span<const float> logits);

// A deterministic 64-bit generator (splitmix64 seeding + xoshiro256**): the same seed gives the
// same draws on every platform and standard library, unlike std::uniform_real_distribution.
class Rng {
public:
    explicit Rng(std::uint64_t seed);
    std::uint64_t next();
    double uniform();  // [0, 1) with 53 random bits

private:
    std::uint64_t m_s[4];
};

// Chooses tokens from raw logits. The pipeline is llama.cpp's default order:
//   1. penalties over the last `penalty_window` accepted tokens: repeat (logit > 0 ? l / p : l * p),
//      then presence (l -= presence_penalty once per distinct token in the window);
//   2. temperature <= 0 -> argmax of the penalised logits (greedy; nothing else applies);
//   3. top-k: keep the k largest logits (ties at the boundary broken by lower id);
//   4. top-p: softmax (temperature 1) over what is left, keep the smallest prefix of the sorted list
//      whose probability mass reaches top_p (always at least one token);
//   5. min-p: drop tokens whose probability (temperature 1) is below min_p * p(max);
//   6. temperature: softmax(l / T) over the survivors and one seeded draw.
class Sampler {
public:
    explicit Sampler(const SamplingParams& params);

    // Picks a token; does not record it (call accept() for the token actually fed to the model).
    int sample(std::span<const float> logits);

    // How many of the best logits sample() would look at, when that is all it needs: 1 when
    // greedy, top_k when top-k is on (0 < top_k < vocab_size, top_k <= max_k), and 0 when it
    // needs the whole row (penalties active now, top-k off, or k above max_k). With k > 0, a
    // device may select the k best (Backend::top_k) and sample_top() gives what sample() would.
    int candidates_needed(int vocab_size, int max_k) const;
    // sample() from the k = candidates_needed() best logits of the row, best first (ties: lower
    // id), as Backend::top_k() gives them: the same token and the same random draws as sample().
    int sample_top(std::span<const std::int32_t> ids, std::span<const float> logits);
    // Records a token for the penalty window (prompt tokens too, if penalties should see them).
    void accept(int token);

    const SamplingParams& params() const { return m_params; }

private:
    struct Candidate {
        int id;
        float logit;
    };
    void apply_penalties(std::vector<Candidate>& cands) const;
    bool penalties_active() const;
    // Steps 4-6 over c[0, n) (sorted best first when `sorted`, as top-k leaves them).
    int choose(std::vector<Candidate>& c, std::size_t n, bool sorted);

    SamplingParams m_params;
    Rng m_rng;
    std::vector<int> m_history;        // accepted tokens, newest last (trimmed to the window)
    std::vector<Candidate> m_scratch;  // reused per call: no allocation after the first token
};

}  // namespace ponder
