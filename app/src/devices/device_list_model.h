// device_list_model.h: the Settings dialog's device picker: `auto` (what it would pick and why),
// then every device the engine finds, with its memory; choosing one sets backend and device.
#pragma once

#include "inference/inference_service.h"

#include <QtQml/qqmlregistration.h>
#include <QAbstractListModel>

namespace ponder {

class AppSettings;

// The survey comes from the InferenceService (off the GUI thread), once, when the picker is
// first shown (ensureListed): opening a GPU driver costs hundreds of ms
// and tens of MB, so a user who never opens Settings never pays for it. A saved device the survey
// does not contain stays selected as its own row, marked "not found", rather than being silently
// mapped to another device.
class DeviceListModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Created by PonderApp")
    Q_PROPERTY(bool listing READ listing NOTIFY listingChanged)  // a survey is under way
    Q_PROPERTY(bool listed READ listed NOTIFY listingChanged)    // one has come back
    Q_PROPERTY(int currentRow READ currentRow NOTIFY choiceChanged)
    Q_PROPERTY(bool currentMissing READ currentMissing NOTIFY choiceChanged)
    // "Automatic picks CPU: … (auto: no GPU can be used: no Vulkan driver found)"
    Q_PROPERTY(QString autoText READ autoText NOTIFY textsChanged)
public:
    enum Role { TextRole = Qt::UserRole + 1, BackendRole, IndexRole, MissingRole };

    DeviceListModel(InferenceService& inference, AppSettings& settings, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    bool listing() const { return m_listing; }
    bool listed() const { return m_listed; }
    int currentRow() const;
    bool currentMissing() const;
    QString autoText() const;

    Q_INVOKABLE void ensureListed();  // surveys once; later calls do nothing
    Q_INVOKABLE void choose(int row);
    // After a language switch: every text is worded again.
    void retranslate();

Q_SIGNALS:
    void listingChanged();
    void choiceChanged();
    void textsChanged();

private:
    struct Row {
        bool isAuto = false;
        bool missing = false;
        DeviceOption device;
    };
    void onListed(const DeviceSurvey& survey);
    void rebuild();  // rows from the survey and the saved choice
    QString rowText(const Row& row) const;

    InferenceService& m_inference;
    AppSettings& m_settings;
    DeviceSurvey m_survey;
    QList<Row> m_rows;
    bool m_listing = false;
    bool m_listed = false;
    QString m_savedBackend;  // the choice the rows were built for
    int m_savedIndex = 0;
};

}  // namespace ponder
