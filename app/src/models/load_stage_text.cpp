// load_stage_text.cpp: load stages in the user's language.
#include "models/load_stage_text.h"

#include <QCoreApplication>

#include <algorithm>
#include <cmath>

namespace ponder {

namespace {
class LoadStageText {
    Q_DECLARE_TR_FUNCTIONS(LoadStageText)
};
}  // namespace

QString loadStageText(LoadStage stage, double fraction) {
    const int percent = int(std::floor(std::clamp(fraction, 0.0, 1.0) * 100));
    switch (stage) {
    case LoadStage::Reading: return LoadStageText::tr("Reading file…");
    // The weights are most of a load: the percentage shows it moving.
    case LoadStage::PreparingWeights: return LoadStageText::tr("Preparing weights… %1 %").arg(percent);
    case LoadStage::UploadingWeights: return LoadStageText::tr("Uploading to GPU… %1 %").arg(percent);
    case LoadStage::Finishing: return LoadStageText::tr("Finishing…");
    }
    return {};
}

}  // namespace ponder
