// dialog_path.h: the file a file dialog's URL names, including a path the user typed.
#pragma once

#include <QString>
#include <QUrl>

namespace ponder {

// Qt 6.4's own file dialog (the one used where there is no native one) joins its folder and
// whatever was typed into the file-name field: "/tmp/a.md" typed in /home/u came back as
// "/home/u//tmp/a.md", "~/a.md" as "/home/u/~/a.md" and "D:\a.md" as "C:/Users/u/D:/a.md", so
// the export failed with "No such file or directory". This takes the typed path back out; other
// URLs (chosen in the list, dropped, given on the command line) come back unchanged.
QString localPathFromDialog(const QUrl& url, const QString& home);

}  // namespace ponder
