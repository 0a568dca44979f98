// cmd_logits.cpp: `ponder-cli logits`: raw last-position logits of a prompt as little-endian float32.
#include "commands.h"
#include "model_args.h"
#include "util/path_text.h"

#include "api/loaded_model.h"

#include <bit>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

namespace ponder::cli {

namespace {

std::vector<std::int32_t> parse_ids(const std::string& text) {
    std::vector<std::int32_t> ids;
    std::istringstream in(text);
    std::string word;
    while (in >> word) {
        char* end = nullptr;
        const long v = std::strtol(word.c_str(), &end, 10);
        if (end == word.c_str() || *end != '\0' || v < 0 || v > 0x7fffffff)
            throw UsageError{"--tokens expects space-separated token ids, got '" + word + "'"};
        ids.push_back(static_cast<std::int32_t>(v));
    }
    if (ids.empty()) throw UsageError{"--tokens is empty"};
    return ids;
}

}  // namespace

int cmd_logits(Args& args) {
    LoadOptions lo = read_load_options(args);
    const auto text = args.value("--text");
    const auto tokens = args.value("--tokens");
    const std::string out_path = args.required("--output", "-o");
    if (text.has_value() == tokens.has_value()) throw UsageError{"give exactly one of --text and --tokens"};
    args.positional();

    std::vector<std::int32_t> ids = tokens ? parse_ids(*tokens) : std::vector<std::int32_t>{};
    // The context only needs to hold the prompt; load with the trained maximum, then size to fit.
    lo.context_length = 1 << 30;
    const auto model = load_model(lo);
    if (text) ids = tokenize(*model, *text, /*add_special=*/true, /*parse_special=*/true);
    if (ids.empty()) throw Error("the text tokenizes to nothing");
    if (static_cast<int>(ids.size()) > model->context_length())
        throw Error(std::to_string(ids.size()) + " tokens exceed the model's context of " +
                    std::to_string(model->context_length()));
    std::vector<float> logits = eval_logits(*model, ids);

    std::ofstream out(path_from_utf8(out_path), std::ios::binary);
    if (!out) throw Error("cannot write " + out_path);
    for (float v : logits) {
        std::uint32_t bits = std::bit_cast<std::uint32_t>(v);
        const unsigned char le[4] = {static_cast<unsigned char>(bits), static_cast<unsigned char>(bits >> 8),
                                     static_cast<unsigned char>(bits >> 16), static_cast<unsigned char>(bits >> 24)};
        out.write(reinterpret_cast<const char*>(le), 4);
    }
    out.close();
    if (!out) throw Error("cannot write " + out_path);
    std::fprintf(stderr, "%zu prompt tokens, %zu logits written to %s\n", ids.size(), logits.size(), out_path.c_str());
    return 0;
}

}  // namespace ponder::cli
