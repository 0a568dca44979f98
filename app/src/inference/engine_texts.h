// engine_texts.h: the engine's coded reasons and errors in the user's language (English text as fallback).
#pragma once

#include "inference/inference_service.h"

#include <QString>

#include <exception>

namespace ponder {

// The status bar's device line: "CPU: <name> (requested)" and the like, from the load report's
// reason code and arguments. An unknown code (a newer engine) gives the engine's English text.
QString backendReasonText(const LoadedModelInfo& model);

// A failure's message: a coded ponder::Error in words of the current language, anything else (or
// an unknown code) its what(), which is English.
QString engineErrorText(const std::exception& error);

}  // namespace ponder
