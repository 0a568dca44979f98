// dialog_path.cpp: undoes the file dialog's joining of its folder and a typed absolute path.
#include "system/dialog_path.h"

namespace ponder {

QString localPathFromDialog(const QUrl& url, const QString& home) {
    QString path = url.isLocalFile() ? url.toLocalFile() : url.toString();
    // A typed absolute path: the last "//" inside the path (a leading "//" is a network share).
    if (const qsizetype at = path.lastIndexOf(QStringLiteral("//")); at > 0) path = path.mid(at + 1);
    // A typed Windows drive path: "/X:/" inside the path.
    for (qsizetype i = path.size() - 4; i > 0; --i) {
        if (path[i] == u'/' && path[i + 1].isLetter() && path[i + 2] == u':' && path[i + 3] == u'/') {
            path = path.mid(i + 1);
            break;
        }
    }
    // A typed home-relative path.
    if (const qsizetype at = path.lastIndexOf(QStringLiteral("/~/")); at >= 0) path = home + path.mid(at + 2);
    return path;
}

}  // namespace ponder
