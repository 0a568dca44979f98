// engine_texts.h: the engine's coded reasons and errors in the user's language (English text as fallback).
#pragma once

#include "inference/inference_service.h"

#include <QString>

#include <exception>

namespace ponder {

// The status bar's device line: "CPU: <name> (requested)" and the like, from the load report's
// reason code and arguments. An unknown code (a newer engine) gives the engine's English text.
QString backendReasonText(const LoadedModelInfo& model);

// What `auto` would pick and why, for the device picker: "CPU: <name> (auto: no GPU can be
// used: no Vulkan driver found)".
QString autoChoiceText(const DeviceSurvey& survey);

// One entry of the device picker: "Vulkan · llvmpipe (LLVM 15.0.6, 256 bits) · 15.6 GiB".
QString deviceOptionText(const DeviceOption& device);

// A device's memory: "15.6 GiB", "512 MiB".
QString deviceMemoryText(quint64 bytes);

// A device known only by its number (saved, not surveyed yet): "Vulkan device 1".
QString deviceNumberText(const QString& backend, int index);

// The saved device when the engine no longer finds it: "Vulkan device 1 (not found)".
QString missingDeviceText(const QString& backend, int index);

// A failure's message: a coded ponder::Error in words of the current language, anything else (or
// an unknown code) its what(), which is English.
QString engineErrorText(const std::exception& error);

}  // namespace ponder
