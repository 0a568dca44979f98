// cmd_tokenize.cpp: `ponder-cli tokenize -m FILE [--parse-special] [--add-special] TEXT`: prints token ids.
#include "commands.h"
#include "util/path_text.h"

#include "tokenizer/tokenizer.h"

#include <cstdio>
#include <string>

namespace ponder::cli {

// Prints the ids on one line, separated by single spaces (an empty line for no ids). By default no
// BOS/EOS is added and special-token text is tokenized as plain text, like llama.cpp's .out files.
int cmd_tokenize(Args& args) {
    const std::string model = args.required("--model", "-m");
    const bool parse_special = args.flag("--parse-special");
    const bool add_special = args.flag("--add-special");
    const std::vector<std::string> rest = args.positional();
    if (rest.size() != 1) throw UsageError{"expected exactly one TEXT argument (quote it)"};

    const auto tokenizer = Tokenizer::from_file(path_from_utf8(model));
    const std::vector<std::int32_t> ids = tokenizer->encode(rest[0], add_special, parse_special);
    std::string line;
    line.reserve(ids.size() * 7 + 1);
    for (std::size_t i = 0; i < ids.size(); ++i) {
        if (i) line += ' ';
        line += std::to_string(ids[i]);
    }
    line += '\n';
    std::fwrite(line.data(), 1, line.size(), stdout);
    return std::fflush(stdout) == 0 ? 0 : 1;
}

}  // namespace ponder::cli
