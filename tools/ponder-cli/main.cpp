// main.cpp: ponder-cli dispatcher: picks the subcommand, maps errors to exit codes.
#include "commands.h"

#include <ponder/engine.h>

#include <cstdio>
#include <cstring>
#include <exception>
#include <string>

namespace {

struct Command {
    const char* name;
    int (*run)(ponder::cli::Args&);
    const char* usage;
};

const Command kCommands[] = {
    {"inspect", ponder::cli::cmd_inspect, "inspect FILE [--json]"},
    {"synth", ponder::cli::cmd_synth, "synth --preset NAME --type TYPE [--seed N] -o FILE"},
    {"tokenize", ponder::cli::cmd_tokenize, "tokenize -m FILE [--parse-special] [--add-special] TEXT"},
    {"template", ponder::cli::cmd_template, "template (-m MODEL | --template FILE.jinja) --context FILE.json [--date YYYY-MM-DD]"},
    {"run", ponder::cli::cmd_run,
     "run -m FILE -p TEXT [-n N] [--temp T] [--seed S] [--raw] [--backend cpu|vulkan|cuda|auto] [--threads N]"},
    {"chat", ponder::cli::cmd_chat, "chat -m FILE [--backend ...] [--threads N]"},
    {"logits", ponder::cli::cmd_logits, "logits -m FILE (--text TEXT | --tokens \"1 2 3\") -o OUT.f32"},
    {"bench", ponder::cli::cmd_bench, "bench -m FILE [-p 512] [-n 128] [-d DEPTH] [--backend ...] [--threads N] [--reps R] [--json] [--no-bandwidth-probe]"},
    {"devices", ponder::cli::cmd_devices, "devices [--json]"},
};

void print_usage(FILE* out) {
    std::fprintf(out, "usage: ponder-cli COMMAND [options]\n\ncommands:\n");
    for (const Command& c : kCommands) std::fprintf(out, "  ponder-cli %s\n", c.usage);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2 || std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0) {
        print_usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    for (const Command& c : kCommands) {
        if (std::strcmp(argv[1], c.name) != 0) continue;
        ponder::cli::Args args(std::vector<std::string>(argv + 2, argv + argc));
        try {
            return c.run(args);
        } catch (const ponder::cli::UsageError& e) {
            std::fprintf(stderr, "error: %s\nusage: ponder-cli %s\n", e.message.c_str(), c.usage);
            return 2;
        } catch (const std::exception& e) {
            std::fprintf(stderr, "error: %s\n", e.what());
            return 1;
        }
    }
    std::fprintf(stderr, "error: unknown command '%s'\n", argv[1]);
    print_usage(stderr);
    return 2;
}
