// command_line.cpp: handleInfoOptions, filesFromArguments.
#include "app/command_line.h"

#include "ponder_version.h"

#include <QDir>
#include <QUrl>

#include <cstdio>
#include <cstring>

namespace ponder {

namespace {

const char kHelp[] =
    "Usage: ponder [FILE.gguf ...]\n"
    "Ponder: offline chat with open-weight reasoning models.\n"
    "\n"
    "  FILE.gguf       show the import card for this model file; if Ponder is already\n"
    "                  running on this profile, its window gets the file instead\n"
    "  -h, --help      print this help and exit\n"
    "  -v, --version   print the version and exit\n"
    "\n"
    "Qt's own options (-platform, -style, ...) are accepted too. Data lives in the user's\n"
    "standard folders (on Linux ~/.local/share/Ponder/Ponder and ~/.config/Ponder/Ponder).\n";

bool is(const char* arg, const char* a, const char* b) { return std::strcmp(arg, a) == 0 || std::strcmp(arg, b) == 0; }

}  // namespace

std::optional<int> handleInfoOptions(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--") == 0) break;
        if (is(argv[i], "--help", "-h")) {
            std::fputs(kHelp, stdout);
            return 0;
        }
        if (is(argv[i], "--version", "-v")) {
            std::printf("ponder %s\n", version_text());
            return 0;
        }
    }
    return std::nullopt;
}

QStringList filesFromArguments(const QStringList& arguments) {
    QStringList files;
    bool optionsEnded = false;
    for (qsizetype i = 1; i < arguments.size(); ++i) {
        const QString& arg = arguments[i];
        if (!optionsEnded && arg == QStringLiteral("--")) {
            optionsEnded = true;
            continue;
        }
        if (!optionsEnded && arg.startsWith(QLatin1Char('-'))) {
            std::fprintf(stderr, "ponder: ignoring unknown option %s (see ponder --help)\n", qPrintable(arg));
            continue;
        }
        const QUrl url(arg);
        const QString path = url.isLocalFile() ? url.toLocalFile() : arg;
        files.append(QDir::cleanPath(QDir::current().absoluteFilePath(path)));
    }
    return files;
}

}  // namespace ponder
