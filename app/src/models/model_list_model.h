// model_list_model.h: the model library as a list for QML (the picker and Settings → Models).
#pragma once

#include <QtQml/qqmlregistration.h>
#include <QAbstractListModel>
#include <QList>
#include <QString>

namespace ponder {

struct ModelEntry {
    qint64 id = 0;  // the storage row
    QString path;
    QString name;
    QString architecture;
    QString quantization;
    QString size;   // display text, e.g. "1.2 GB"
    QString label;  // the picker's line: tells entries of the same name apart
    bool missing = false;
    bool operator==(const ModelEntry&) const = default;
};

class ModelListModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Owned by ModelLibrary")
    Q_PROPERTY(int count READ rowCount NOTIFY countChanged)
public:
    // "modelId", not "id": a delegate cannot declare a required property named id.
    enum Role {
        ModelIdRole = Qt::UserRole + 1,
        PathRole,
        NameRole,
        ArchitectureRole,
        QuantizationRole,
        SizeRole,
        LabelRole,
        MissingRole
    };
    Q_ENUM(Role)

    explicit ModelListModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    // Replaces the rows; labels are made here. Rows whose entry is unchanged are not touched, so a
    // refresh that changes nothing (or one field of one row) does not rebuild the view.
    void setEntries(QList<ModelEntry> entries);
    const QList<ModelEntry>& entries() const { return m_entries; }
    // For the picker's onActivated (an index into the list): empty / false when out of range.
    Q_INVOKABLE QString pathAt(int row) const;
    Q_INVOKABLE bool missingAt(int row) const;

    // The picker's line for each entry: the name alone left two "llama" or two identical distill
    // names that could not be told apart, so it adds the weight format and size, and the file name
    // where those still collide.
    static void label(QList<ModelEntry>& entries);

Q_SIGNALS:
    void countChanged();

private:
    QList<ModelEntry> m_entries;
};

}  // namespace ponder
