// args.h: a tiny command-line parser shared by the ponder-cli subcommands.
// Options are consumed as they are read; whatever is left are positional arguments.
// A "--" ends the options: what follows is positional even if it starts with '-'.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ponder::cli {

// Thrown for bad usage; main() prints it with the command's usage text and exits 2.
struct UsageError {
    std::string message;
};

class Args {
public:
    Args(std::vector<std::string> argv) : m_args(std::move(argv)) {}

    // Removes "--name" (and any alias) and returns true if it was present.
    bool flag(std::string_view name, std::string_view alias = {});
    // Removes "--name VALUE" / "--name=VALUE" (or the alias) and returns VALUE.
    std::optional<std::string> value(std::string_view name, std::string_view alias = {});
    std::string required(std::string_view name, std::string_view alias = {});
    int integer(std::string_view name, int fallback, std::string_view alias = {});
    double number(std::string_view name, double fallback, std::string_view alias = {});

    // Remaining positional arguments; throws UsageError if an unknown "-x"/"--x" option is left.
    std::vector<std::string> positional();

private:
    std::size_t option_end() const;
    std::vector<std::string> m_args;
};

}  // namespace ponder::cli
