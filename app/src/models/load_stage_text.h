// load_stage_text.h: the status bar's words for what a load is doing ("Uploading to GPU… 43 %").
#pragma once

#include "inference/inference_service.h"

#include <QString>

namespace ponder {

// fraction is the whole load's (0..1), as the progress bar shows it.
QString loadStageText(LoadStage stage, double fraction);

}  // namespace ponder
