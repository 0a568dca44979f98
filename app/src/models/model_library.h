// model_library.h: model files the app knows: import (drop or dialog) with a validation card, list, load.
#pragma once

#include "inference/inference_service.h"
#include "models/import_card.h"
#include "models/model_list_model.h"
#include "models/model_probe.h"

#include <QtQml/qqmlregistration.h>
#include <QList>
#include <QObject>
#include <QStringList>
#include <QUrl>

#include <memory>

class QThread;

namespace ponder::storage {
class Database;
class ModelStore;
}  // namespace ponder::storage

namespace ponder {

class AppSettings;

// Importing: each dropped file is checked on a worker thread (header read, memory estimate). A
// valid one shows `card` (state Ready); the user accepts (in place, or copied into modelsFolder) or dismisses.
// An invalid one sets `importError` to the reader's message and changes nothing. Several files
// queue and are shown one after another. Loading goes through the InferenceService.
class ModelLibrary : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Created in main.cpp")
    Q_PROPERTY(ponder::ModelListModel* models READ models CONSTANT)
    Q_PROPERTY(bool busy READ busy NOTIFY busyChanged)  // validating or copying
    Q_PROPERTY(ponder::ImportCard* card READ card CONSTANT)
    Q_PROPERTY(QString importError READ importError NOTIFY importErrorChanged)
    Q_PROPERTY(bool loading READ loading NOTIFY loadStateChanged)
    Q_PROPERTY(double loadProgress READ loadProgress NOTIFY loadStateChanged)
    // What the load is doing: "Reading file…", "Uploading to GPU… 43 %"; empty when not loading.
    Q_PROPERTY(QString loadStageText READ loadStageText NOTIFY loadStateChanged)
    Q_PROPERTY(bool modelReady READ modelReady NOTIFY loadStateChanged)
    Q_PROPERTY(QString loadedName READ loadedName NOTIFY loadStateChanged)
    Q_PROPERTY(QString loadedPath READ loadedPath NOTIFY loadStateChanged)
    Q_PROPERTY(QString backendText READ backendText NOTIFY loadStateChanged)
    Q_PROPERTY(int loadedContext READ loadedContext NOTIFY loadStateChanged)
    Q_PROPERTY(bool reasoningToggle READ reasoningToggle NOTIFY loadStateChanged)  // model can switch thinking off
    Q_PROPERTY(QString loadError READ loadError NOTIFY loadStateChanged)
    Q_PROPERTY(QString modelsFolder READ modelsFolder CONSTANT)
public:
    ModelLibrary(storage::Database& db, InferenceService& inference, AppSettings& settings, ModelProbe probe,
                 const QString& modelsFolder, QObject* parent = nullptr);
    ~ModelLibrary() override;

    ModelListModel* models() { return &m_models; }
    bool busy() const { return m_worker != nullptr; }
    ImportCard* card() { return &m_card; }
    QString importError() const { return m_importError; }
    bool loading() const { return m_loading; }
    double loadProgress() const { return m_loadProgress; }
    QString loadStageText() const;
    bool modelReady() const { return m_ready; }
    QString loadedName() const { return m_loaded.name; }
    QString loadedPath() const { return m_loaded.path; }
    QString backendText() const;
    int loadedContext() const { return m_loaded.contextLength; }
    bool reasoningToggle() const { return m_ready && m_loaded.reasoningToggle; }
    QString loadError() const { return m_loadError; }
    QString modelsFolder() const { return m_modelsFolder; }

    // Files dropped or picked; non-local URLs are rejected. Returns how many were queued.
    Q_INVOKABLE int importUrls(const QList<QUrl>& urls);
    Q_INVOKABLE int importPaths(const QStringList& paths);
    Q_INVOKABLE void acceptCard(bool copyIntoFolder);
    Q_INVOKABLE void dismissCard();
    Q_INVOKABLE void dismissError();
    Q_INVOKABLE void dismissLoadError();
    Q_INVOKABLE void load(const QString& path);
    Q_INVOKABLE void cancelLoad();
    // Frees the loaded model (a running answer stops first); the next message needs a load again.
    Q_INVOKABLE void unload();
    // At start: loads the model that was loaded when the app last ran, if its file is still there.
    bool restoreLastModel();
    Q_INVOKABLE void locate(qint64 id, const QUrl& newLocation);  // a moved file's new place
    Q_INVOKABLE void remove(qint64 id);                           // forgets it; the file stays
    Q_INVOKABLE void refresh();                                   // re-checks which files are missing

    static QString formatBytes(qint64 bytes);
    static QString formatParameters(qint64 count);

Q_SIGNALS:
    void busyChanged();
    void importErrorChanged();
    void loadStateChanged();
    void imported(const QString& path);

private:
    void startNext();
    void runInBackground(std::function<void()> work);
    void onValidated(const QString& path, const ModelFacts& facts, const QString& error);
    void onStored(const QString& path, const QString& error);
    void setImportError(const QString& message);
    void onAlreadyKnown(const QString& path);  // an import found the same file in the library

    storage::Database& m_db;
    std::unique_ptr<storage::ModelStore> m_store;
    InferenceService& m_inference;
    AppSettings& m_settings;
    ModelProbe m_probe;
    QString m_modelsFolder;
    QStringList m_queue;
    QThread* m_worker = nullptr;
    ImportCard m_card;
    QString m_importError;
    ModelListModel m_models;
    bool m_loading = false;
    double m_loadProgress = 0;
    LoadStage m_loadStage = LoadStage::Reading;
    bool m_ready = false;
    LoadedModelInfo m_loaded;
    QString m_loadError;
};

}  // namespace ponder
