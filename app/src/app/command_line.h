// command_line.h: what `ponder` takes on its command line: --help, --version and model files.
#pragma once

#include <QStringList>

#include <optional>

namespace ponder {

// --help / --version print and return the exit code before any window system is touched, so they
// work without a display (over ssh, in scripts, in a package's smoke test). Anything else: nullopt.
std::optional<int> handleInfoOptions(int argc, char** argv);

// The model files named on the command line (after QGuiApplication has taken its own options):
// positional arguments as absolute paths (a second launch hands them to a window whose working
// folder differs); file: URLs are accepted. Unknown options are reported on stderr and skipped.
QStringList filesFromArguments(const QStringList& arguments);

}  // namespace ponder
