// model_defaults.h: the Settings dialog's "Defaults for this model": view and edit one model's defaults.
#pragma once

#include "settings/model_default_values.h"

#include <QtQml/qqmlregistration.h>
#include <QObject>

namespace ponder {

class AppSettings;
class ChatSettings;

// Follows the model the app loaded last (the one a new chat will use). Its values live in
// AppSettings (so they survive a restart); this object only words and edits them.
class ModelDefaults : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Owned by ChatController")
    Q_PROPERTY(bool available READ available NOTIFY changed)  // false until a model was loaded
    Q_PROPERTY(QString modelName READ modelName NOTIFY changed)
    Q_PROPERTY(QString modelPath READ modelPath NOTIFY changed)
    Q_PROPERTY(bool saved READ saved NOTIFY changed)         // a prompt or sampling default is saved
    Q_PROPERTY(QString summary READ summary NOTIFY changed)  // what a new chat starts from, in words
    // The context length this model is loaded with; 0 = the app's setting. Applies at the next load.
    Q_PROPERTY(int contextLength READ contextLength WRITE setContextLength NOTIFY changed)
public:
    explicit ModelDefaults(AppSettings& settings, QObject* parent = nullptr);

    void setModel(const QString& path, const QString& name);
    bool available() const { return !m_path.isEmpty(); }
    QString modelName() const { return m_name; }
    QString modelPath() const { return m_path; }
    bool saved() const;
    QString summary() const;
    int contextLength() const;
    void setContextLength(int tokens);
    ModelDefaultValues values() const;

    // Remembers the chat's system prompt, temperature, top-p and top-k for this model.
    Q_INVOKABLE void saveFrom(ponder::ChatSettings* chat);
    Q_INVOKABLE void forget();  // all of this model's defaults, the context length too

Q_SIGNALS:
    void changed();

private:
    AppSettings& m_settings;
    QString m_path;
    QString m_name;
};

}  // namespace ponder
