// main.cpp: ponder-cli dispatcher: picks the subcommand, maps errors to exit codes.
#include "commands.h"

#include <ponder/engine.h>

#include "ponder_version.h"

#include <cstdio>
#include <cstring>
#include <exception>
#include <string>
#include <vector>

#if defined(_WIN32)
#define WIN32_LEAN_AND_MEAN
#ifndef NOMINMAX
#define NOMINMAX
#endif
#include <windows.h>

// shellapi.h needs windows.h first (a separate include block, so clang-format keeps the order)
#include <shellapi.h>
#endif

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
    {"template", ponder::cli::cmd_template,
     "template (-m MODEL | --template FILE.jinja) --context FILE.json [--date YYYY-MM-DD]"},
    {"run", ponder::cli::cmd_run,
     "run -m FILE -p TEXT [-n N] [--temp T] [--seed S] [--raw] [--backend cpu|vulkan|cuda|auto] [--threads N]"},
    {"chat", ponder::cli::cmd_chat, "chat -m FILE [--backend ...] [--threads N]"},
    {"logits", ponder::cli::cmd_logits, "logits -m FILE (--text TEXT | --tokens \"1 2 3\") -o OUT.f32"},
    {"bench", ponder::cli::cmd_bench,
     "bench -m FILE [-p 512] [-n 128] [-d DEPTH] [--backend ...] [--threads N] [--reps R] [--json] "
     "[--no-bandwidth-probe]"},
    {"devices", ponder::cli::cmd_devices, "devices [--json]"},
};

void print_usage(FILE* out) {
    std::fprintf(out, "usage: ponder-cli COMMAND [options]\n       ponder-cli --version\n\ncommands:\n");
    for (const Command& c : kCommands) std::fprintf(out, "  ponder-cli %s\n", c.usage);
}

// The arguments as UTF-8, the encoding the engine takes file names and text in.
std::vector<std::string> utf8_arguments(int argc, char** argv) {
#if defined(_WIN32)
    // Windows gives main() its arguments in the ANSI code page, which cannot hold most file names
    // (模型/小模型.gguf comes out as "??/???.gguf"): convert the UTF-16 command line instead.
    (void)argc;
    (void)argv;
    int count = 0;
    wchar_t** wide = CommandLineToArgvW(GetCommandLineW(), &count);
    std::vector<std::string> out;
    for (int i = 0; wide && i < count; ++i) {
        const int bytes = WideCharToMultiByte(CP_UTF8, 0, wide[i], -1, nullptr, 0, nullptr, nullptr);
        std::string arg(bytes > 0 ? bytes - 1 : 0, '\0');
        if (bytes > 1) WideCharToMultiByte(CP_UTF8, 0, wide[i], -1, arg.data(), bytes, nullptr, nullptr);
        out.push_back(std::move(arg));
    }
    LocalFree(wide);
    // What we print is UTF-8 too: a console shows it as such (pipes and files get the bytes as they are).
    SetConsoleOutputCP(CP_UTF8);
    return out;
#else
    return std::vector<std::string>(argv, argv + argc);
#endif
}

}  // namespace

int main(int argc, char** argv) {
    const std::vector<std::string> argument = utf8_arguments(argc, argv);
    const std::string first = argument.size() > 1 ? argument[1] : std::string();
    if (argument.size() < 2 || first == "--help" || first == "-h") {
        print_usage(argument.size() < 2 ? stderr : stdout);
        return argument.size() < 2 ? 2 : 0;
    }
    if (first == "--version" || first == "-V") {
        std::printf("ponder-cli %s\n", ponder::version_text());
        return 0;
    }
    for (const Command& c : kCommands) {
        if (first != c.name) continue;
        ponder::cli::Args args(std::vector<std::string>(argument.begin() + 2, argument.end()));
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
    std::fprintf(stderr, "error: unknown command '%s'\n", first.c_str());
    print_usage(stderr);
    return 2;
}
