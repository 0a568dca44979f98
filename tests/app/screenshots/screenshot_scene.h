// screenshot_scene.h: `ponder --screenshot-scene NAME OUT.png`: fixed scenes with the scripted engine, for docs and review.
#pragma once

#include <QStringList>

namespace ponder {

// Runs one scene and writes the PNG. Returns the process exit code (0 on success).
// Arguments after the scene name and output path: --theme light|dark, --lang en|zh_CN|zh_TW,
// --size WxH. Scenes: empty, conversation, reply-features, import-card, settings.
int runScreenshotScene(const QStringList& arguments);

}  // namespace ponder
