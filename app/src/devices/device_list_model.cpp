// device_list_model.cpp: the device picker's rows from the engine's survey and the saved choice.
#include "devices/device_list_model.h"

#include "inference/engine_texts.h"
#include "settings/app_settings.h"

namespace ponder {

namespace {
const QString kAuto = QStringLiteral("auto");
}  // namespace

DeviceListModel::DeviceListModel(InferenceService& inference, AppSettings& settings, QObject* parent)
    : QAbstractListModel(parent), m_inference(inference), m_settings(settings) {
    connect(&m_inference, &InferenceService::devicesListed, this, &DeviceListModel::onListed);
    // `changed` comes for every setting: the rows only change when the device choice does.
    connect(&m_settings, &AppSettings::changed, this, [this] {
        if (m_settings.backend() != m_savedBackend || m_settings.deviceIndex() != m_savedIndex) rebuild();
    });
    rebuild();
}

int DeviceListModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(m_rows.size()); }

QVariant DeviceListModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= m_rows.size()) return {};
    const Row& r = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case TextRole: return rowText(r);
    case BackendRole: return r.isAuto ? kAuto : r.device.backend;
    case IndexRole: return r.device.index;
    case MissingRole: return r.missing;
    }
    return {};
}

QHash<int, QByteArray> DeviceListModel::roleNames() const {
    return {{TextRole, "text"}, {BackendRole, "backend"}, {IndexRole, "deviceIndex"}, {MissingRole, "missing"}};
}

QString DeviceListModel::rowText(const Row& r) const {
    if (r.isAuto) {
        if (!m_listed) return tr("Automatic");
        const DeviceOption& pick = m_survey.autoPick;
        return tr("Automatic: %1").arg(deviceOptionText({pick.backend, pick.index, pick.name, 0, false}));
    }
    if (r.missing) return missingDeviceText(r.device.backend, r.device.index);
    if (r.device.name.isEmpty()) return deviceNumberText(r.device.backend, r.device.index);
    return deviceOptionText(r.device);
}

QString DeviceListModel::autoText() const {
    if (m_listing && !m_listed) return tr("Looking for devices…");
    if (!m_listed) return {};
    return tr("Automatic picks %1").arg(autoChoiceText(m_survey));
}

int DeviceListModel::currentRow() const {
    const QString backend = m_settings.backend();
    if (backend == kAuto) return 0;
    for (int i = 1; i < m_rows.size(); ++i)
        if (m_rows[i].device.backend == backend && m_rows[i].device.index == m_settings.deviceIndex()) return i;
    return 0;  // not reached: rebuild() adds the saved choice as a row
}

bool DeviceListModel::currentMissing() const {
    const int row = currentRow();
    return row < m_rows.size() && m_rows[row].missing;
}

void DeviceListModel::ensureListed() {
    if (m_listed || m_listing) return;
    m_listing = true;
    emit listingChanged();
    emit textsChanged();
    m_inference.listDevices();
}

void DeviceListModel::onListed(const DeviceSurvey& survey) {
    m_survey = survey;
    m_listing = false;
    m_listed = true;
    rebuild();
    emit listingChanged();
}

void DeviceListModel::choose(int row) {
    if (row < 0 || row >= m_rows.size() || m_rows[row].missing) return;
    const Row& r = m_rows[row];
    // Both at once: a device index means nothing without its backend (Vulkan 1 is not CUDA 1).
    m_settings.setBackend(r.isAuto ? kAuto : r.device.backend);
    m_settings.setDeviceIndex(r.isAuto ? 0 : r.device.index);
}

void DeviceListModel::retranslate() {
    if (!m_rows.isEmpty()) emit dataChanged(index(0), index(int(m_rows.size()) - 1), {TextRole, Qt::DisplayRole});
    emit textsChanged();
}

void DeviceListModel::rebuild() {
    m_savedBackend = m_settings.backend();
    m_savedIndex = m_settings.deviceIndex();
    beginResetModel();
    m_rows.clear();
    m_rows.append(Row{true, false, {}});
    bool savedFound = m_savedBackend == kAuto;
    for (const DeviceOption& d : m_survey.devices) {
        m_rows.append(Row{false, false, d});
        savedFound = savedFound || (d.backend == m_savedBackend && d.index == m_savedIndex);
    }
    if (!savedFound) {
        // Before the survey the saved device may well exist: it is "missing" only once a survey
        // has come back without it.
        DeviceOption saved;
        saved.backend = m_savedBackend;
        saved.index = m_savedIndex;
        m_rows.append(Row{false, m_listed, saved});
    }
    endResetModel();
    emit choiceChanged();
    emit textsChanged();
}

}  // namespace ponder
