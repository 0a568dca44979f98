// model_library.cpp: import validation off the GUI thread, the library list, and model loading state.
#include "models/model_library.h"

#include "inference/engine_texts.h"
#include "models/load_stage_text.h"

#include "settings/app_settings.h"
#include "storage/database.h"
#include "storage/model_store.h"
#include "system/dialog_path.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QPointer>
#include <QThread>

#include <exception>

Q_LOGGING_CATEGORY(lcModels, "ponder.models")

namespace ponder {

namespace {

QString metadataJson(const ModelFacts& f) {
    const QJsonObject o{{QStringLiteral("name"), f.name},
                        {QStringLiteral("architecture"), f.architecture},
                        {QStringLiteral("parameters"), double(f.parameterCount)},
                        {QStringLiteral("quantization"), f.quantization},
                        {QStringLiteral("context_length"), f.contextLength},
                        {QStringLiteral("reasoning"), f.reasoning}};
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

}  // namespace

ModelLibrary::ModelLibrary(storage::Database& db, InferenceService& inference, AppSettings& settings, ModelProbe probe,
                           const QString& modelsFolder, QObject* parent)
    : QObject(parent), m_db(db), m_store(std::make_unique<storage::ModelStore>(db)), m_inference(inference),
      m_settings(settings), m_probe(std::move(probe)), m_modelsFolder(modelsFolder) {
    connect(&m_inference, &InferenceService::loadProgress, this, [this](double f) {
        m_loadProgress = f;
        emit loadStateChanged();
    });
    connect(&m_inference, &InferenceService::loadStageChanged, this, [this](LoadStage stage) {
        m_loadStage = stage;
        emit loadStateChanged();
    });
    connect(&m_inference, &InferenceService::modelLoaded, this, [this](const LoadedModelInfo& m) {
        m_loading = false;
        m_ready = true;
        m_loaded = m;
        m_loadError.clear();
        m_settings.setLastModelPath(m.path);
        emit loadStateChanged();
    });
    connect(&m_inference, &InferenceService::loadCancelled, this, [this] {
        m_loading = false;
        emit loadStateChanged();
    });
    connect(&m_inference, &InferenceService::failed, this, [this](const QString& message) {
        if (!m_loading) return;  // a generation error: the chat shows it
        m_loading = false;
        m_loadError = message;
        emit loadStateChanged();
    });
    refresh();
}

ModelLibrary::~ModelLibrary() {
    if (m_worker) {
        m_worker->wait();
        delete m_worker;
    }
}

QString ModelLibrary::formatBytes(qint64 bytes) {
    if (bytes >= (qint64(1) << 30)) return QStringLiteral("%1 GB").arg(double(bytes) / (1 << 30), 0, 'f', 1);
    if (bytes >= (1 << 20)) return QStringLiteral("%1 MB").arg(double(bytes) / (1 << 20), 0, 'f', 1);
    if (bytes >= 1024) return QStringLiteral("%1 KB").arg(double(bytes) / 1024, 0, 'f', 1);
    return QStringLiteral("%1 B").arg(bytes);
}

QString ModelLibrary::formatParameters(qint64 count) {
    if (count >= 1000000000) return QStringLiteral("%1 B").arg(double(count) / 1e9, 0, 'f', 1);
    if (count >= 1000000) return QStringLiteral("%1 M").arg(double(count) / 1e6, 0, 'f', 1);
    if (count >= 1000) return QStringLiteral("%1 K").arg(double(count) / 1e3, 0, 'f', 1);
    return QString::number(count);
}

QString ModelLibrary::loadStageText() const {
    return m_loading ? ponder::loadStageText(m_loadStage, m_loadProgress) : QString();
}

QString ModelLibrary::backendText() const {
    if (!m_ready) return {};
    return backendReasonText(m_loaded);  // in the UI's language; English for codes it does not know
}

void ModelLibrary::unload() {
    if (!m_ready && !m_loading) return;
    if (m_loading) m_inference.cancelLoad();
    m_inference.unloadModel();
    m_ready = false;
    m_loading = false;
    m_loaded = {};
    emit loadStateChanged();
}

int ModelLibrary::importUrls(const QList<QUrl>& urls) {
    QStringList paths;
    for (const QUrl& url : urls) {
        if (!url.isLocalFile()) {
            setImportError(tr("Only files on this computer can be imported: %1").arg(url.toDisplayString()));
            continue;
        }
        paths.append(localPathFromDialog(url, QDir::homePath()));
    }
    return importPaths(paths);
}

int ModelLibrary::importPaths(const QStringList& paths) {
    int queued = 0;
    for (const QString& path : paths) {
        if (!path.endsWith(QStringLiteral(".gguf"), Qt::CaseInsensitive)) {
            setImportError(tr("%1 is not a model file: Ponder reads .gguf files.").arg(QFileInfo(path).fileName()));
            continue;
        }
        m_queue.append(path);
        ++queued;
    }
    if (queued > 0) {
        setImportError({});
        startNext();
    }
    return queued;
}

void ModelLibrary::runInBackground(std::function<void()> work) {
    m_worker = QThread::create(std::move(work));
    connect(m_worker, &QThread::finished, this, [this, w = m_worker] {
        w->deleteLater();
        if (m_worker == w) m_worker = nullptr;
        emit busyChanged();
        startNext();
    });
    m_worker->start();
    emit busyChanged();
}

void ModelLibrary::startNext() {
    if (m_worker || m_card.isReady() || m_queue.isEmpty()) return;
    const QString path = m_queue.takeFirst();
    m_card.setChecking(path);
    const QString backend = m_settings.backend();
    const int device = m_settings.deviceIndex();
    const int ctx = m_settings.contextLength();
    const ModelProbe probe = m_probe;
    QPointer<ModelLibrary> self(this);
    runInBackground([self, probe, path, backend, device, ctx] {
        ModelFacts facts;
        QString error;
        try {
            facts = probe.inspect(path, backend, device, ctx);
        } catch (const std::exception& e) {
            error = QString::fromStdString(e.what());
        }
        QMetaObject::invokeMethod(
            self,
            [self, path, facts, error] {
                if (self) self->onValidated(path, facts, error);
            },
            Qt::QueuedConnection);
    });
}

void ModelLibrary::onValidated(const QString& path, const ModelFacts& facts, const QString& error) {
    if (!error.isEmpty()) {
        m_card.setFailed(path, error);
        setImportError(error);
        return;
    }
    m_card.setFacts(facts);
    // Off unless asked for (QT_LOGGING_RULES=ponder.models.debug=true): the install test reads it.
    qCDebug(lcModels) << "import card:" << facts.path << facts.name;
}

void ModelLibrary::dismissCard() {
    if (!m_card.isReady()) return;
    m_card.clear();
    startNext();
}

void ModelLibrary::dismissError() {
    if (m_card.state() == ImportCard::State::Failed) m_card.clear();
    setImportError({});
}

void ModelLibrary::dismissLoadError() {
    if (m_loadError.isEmpty()) return;
    m_loadError.clear();
    emit loadStateChanged();
}

void ModelLibrary::setImportError(const QString& message) {
    if (message == m_importError) return;
    m_importError = message;
    emit importErrorChanged();
}

void ModelLibrary::acceptCard(bool copyIntoFolder) {
    if (!m_card.isReady() || m_worker) return;
    const ModelFacts facts = m_card.facts();
    m_card.clear();
    if (!facts.supported) {  // it could be added, then only failed to load
        setImportError(tr("%1 was not added: its architecture (%2) is not supported by Ponder's engine yet.")
                           .arg(QFileInfo(facts.path).fileName(), facts.architecture));
        return;
    }
    const QString folder = m_modelsFolder;
    storage::Database* db = &m_db;
    QPointer<ModelLibrary> self(this);
    // Copying a multi-GB file and fingerprinting it both read the disk: off the GUI thread.
    runInBackground([self, facts, copyIntoFolder, folder, db] {
        QString path = facts.path;
        QString error;
        try {
            // The same file already in the library (at a path that still exists): no second entry.
            const storage::ModelIdentity identity = storage::identify_model_file(path.toStdString());
            for (const storage::ModelRecord& r : storage::ModelStore(*db).list()) {
                if (r.fingerprint == identity.fingerprint && QFileInfo::exists(QString::fromStdString(r.path))) {
                    const QString known = QString::fromStdString(r.path);
                    QMetaObject::invokeMethod(
                        self,
                        [self, known] {
                            if (self) self->onAlreadyKnown(known);
                        },
                        Qt::QueuedConnection);
                    return;
                }
            }
            if (copyIntoFolder) {
                QDir().mkpath(folder);
                const QString target = QDir(folder).filePath(QFileInfo(path).fileName());
                if (QFileInfo(target).canonicalFilePath() != QFileInfo(path).canonicalFilePath()) {
                    QFile::remove(target);
                    if (!QFile::copy(path, target))
                        throw std::runtime_error(
                            ModelLibrary::tr("Could not copy the model into %1.").arg(folder).toStdString());
                }
                path = target;
            }
            const std::filesystem::path fsPath(path.toStdString());
            storage::ModelStore(*db).upsert(fsPath, storage::identify_model_file(fsPath),
                                            metadataJson(facts).toStdString());
        } catch (const std::exception& e) {
            error = QString::fromStdString(e.what());
        }
        QMetaObject::invokeMethod(
            self,
            [self, path, error] {
                if (self) self->onStored(path, error);
            },
            Qt::QueuedConnection);
    });
}

void ModelLibrary::onAlreadyKnown(const QString& path) {
    setImportError(tr("This model is already in the library (%1).").arg(path));
    if (!m_loading && !m_inference.hasModel()) load(path);
}

void ModelLibrary::onStored(const QString& path, const QString& error) {
    if (!error.isEmpty()) {
        setImportError(error);
        return;
    }
    refresh();
    emit imported(path);
    if (!m_loading && !m_inference.hasModel()) load(path);
}

void ModelLibrary::load(const QString& path) {
    if (m_loading) m_inference.cancelLoad();
    m_loading = true;
    m_ready = false;
    m_loadProgress = 0;
    m_loadStage = LoadStage::Reading;
    m_loadError.clear();
    emit loadStateChanged();
    LoadRequest request;
    request.path = path;
    request.backend = m_settings.backend();
    request.deviceIndex = m_settings.deviceIndex();
    request.contextLength = m_settings.contextLengthFor(path);  // the model's own choice, else the app's
    m_inference.loadModel(request);
}

bool ModelLibrary::restoreLastModel() {
    const QString path = m_settings.lastModelPath();
    // A moved or deleted file is not tried: the picker marks it missing and Locate… finds it again.
    if (path.isEmpty() || m_loading || m_ready || !QFileInfo::exists(path)) return false;
    load(path);
    return true;
}

void ModelLibrary::cancelLoad() {
    if (m_loading) m_inference.cancelLoad();
}

void ModelLibrary::locate(qint64 id, const QUrl& newLocation) {
    const QString path = localPathFromDialog(newLocation, QDir::homePath());
    try {
        const std::filesystem::path fsPath(path.toStdString());
        const storage::ModelIdentity identity = storage::identify_model_file(fsPath);
        std::string metadata = "{}";
        std::optional<storage::ModelRecord> entry;
        for (const storage::ModelRecord& r : m_store->list())
            if (r.id == id) entry = r;
        if (!entry) return;
        metadata = entry->metadata_json;
        // A different model file would silently become this entry (its name, its chats' model).
        if (entry->fingerprint != identity.fingerprint) {
            setImportError(
                tr("%1 is not the model this entry was made for (%2), so the entry was not changed.")
                    .arg(QFileInfo(path).fileName(), QFileInfo(QString::fromStdString(entry->path)).fileName()));
            return;
        }
        m_store->remove(id);
        m_store->upsert(fsPath, identity, metadata);
        m_settings.moveModelDefaults(QString::fromStdString(entry->path), path);  // they follow the file
    } catch (const std::exception& e) {
        setImportError(QString::fromStdString(e.what()));
    }
    refresh();
}

void ModelLibrary::remove(qint64 id) {
    try {
        // Forgetting a model forgets what was chosen for it; importing it again starts afresh.
        for (const ModelEntry& e : m_models.entries())
            if (e.id == id) m_settings.setModelDefaults(e.path, {});
        m_store->remove(id);
    } catch (const std::exception& e) {
        setImportError(QString::fromStdString(e.what()));
    }
    refresh();
}

void ModelLibrary::refresh() {
    QList<ModelEntry> list;
    try {
        for (const storage::ModelRecord& r : m_store->list()) {
            const bool missing = !QFileInfo::exists(QString::fromStdString(r.path));
            if (missing != r.missing) m_store->set_missing(r.id, missing);
            const QJsonObject meta = QJsonDocument::fromJson(QByteArray::fromStdString(r.metadata_json)).object();
            QString name = meta.value(QStringLiteral("name")).toString();
            if (name.isEmpty()) name = QFileInfo(QString::fromStdString(r.path)).completeBaseName();
            ModelEntry e;
            e.id = r.id;
            e.path = QString::fromStdString(r.path);
            e.name = name;
            e.architecture = meta.value(QStringLiteral("architecture")).toString();
            e.quantization = meta.value(QStringLiteral("quantization")).toString();
            e.size = formatBytes(r.size_bytes);
            e.missing = missing;
            list.append(e);
        }
    } catch (const std::exception& e) {
        qCWarning(lcModels) << "reading the model library failed:" << e.what();
    }
    m_models.setEntries(std::move(list));
}

}  // namespace ponder
