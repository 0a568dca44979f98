// model_list_model.cpp: rows and roles of the model library list, and the picker's labels.
#include "models/model_list_model.h"

#include <QFileInfo>
#include <QHash>
#include <QStringList>

namespace ponder {

ModelListModel::ModelListModel(QObject* parent) : QAbstractListModel(parent) {}

int ModelListModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(m_entries.size()); }

QVariant ModelListModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() < 0 || index.row() >= m_entries.size()) return {};
    const ModelEntry& e = m_entries[index.row()];
    switch (role) {
    case ModelIdRole: return e.id;
    case PathRole: return e.path;
    case Qt::DisplayRole:
    case LabelRole: return e.label;
    case NameRole: return e.name;
    case ArchitectureRole: return e.architecture;
    case QuantizationRole: return e.quantization;
    case SizeRole: return e.size;
    case MissingRole: return e.missing;
    default: return {};
    }
}

QHash<int, QByteArray> ModelListModel::roleNames() const {
    return {{ModelIdRole, "modelId"},
            {PathRole, "path"},
            {NameRole, "name"},
            {ArchitectureRole, "architecture"},
            {QuantizationRole, "quantization"},
            {SizeRole, "size"},
            {LabelRole, "label"},
            {MissingRole, "missing"}};
}

void ModelListModel::label(QList<ModelEntry>& entries) {
    QHash<QString, int> seen;
    for (ModelEntry& e : entries) {
        QStringList parts{e.name};
        if (!e.quantization.isEmpty()) parts.append(e.quantization);
        parts.append(e.size);
        e.label = parts.join(QStringLiteral(" · "));
        ++seen[e.label];
    }
    for (ModelEntry& e : entries)
        if (seen.value(e.label) > 1) e.label += QStringLiteral(" · ") + QFileInfo(e.path).fileName();
}

void ModelListModel::setEntries(QList<ModelEntry> entries) {
    label(entries);
    if (entries.size() != m_entries.size()) {
        // Rows came or went (import, remove): a reset is simplest and the list is short.
        beginResetModel();
        m_entries = std::move(entries);
        endResetModel();
        emit countChanged();
        return;
    }
    for (int i = 0; i < entries.size(); ++i) {
        if (entries[i] == m_entries[i]) continue;
        m_entries[i] = entries[i];
        emit dataChanged(index(i), index(i));
    }
}

QString ModelListModel::pathAt(int row) const {
    return row >= 0 && row < m_entries.size() ? m_entries[row].path : QString();
}

bool ModelListModel::missingAt(int row) const { return row >= 0 && row < m_entries.size() && m_entries[row].missing; }

}  // namespace ponder
