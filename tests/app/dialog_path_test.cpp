// dialog_path_test.cpp: a path typed into Qt's own file dialog is found again in the URL it returns.
#include "system/dialog_path.h"

#include <gtest/gtest.h>

using ponder::localPathFromDialog;

namespace {
QString fromDialog(const QString& folderPlusTyped) {
    return localPathFromDialog(QUrl::fromLocalFile(folderPlusTyped), QStringLiteral("/home/ada"));
}
}  // namespace

// Export as Markdown with "/tmp/chat.md" typed into the file name failed: "Could not write
// /work/main//tmp/chat.md: No such file or directory".
TEST(DialogPath, ATypedAbsolutePathIsTheFile) {
    EXPECT_EQ(fromDialog("/work/main//tmp/chat.md"), "/tmp/chat.md");
    EXPECT_EQ(fromDialog("/home/ada/Documents//mnt/usb/notes/chat.md"), "/mnt/usb/notes/chat.md");
}

TEST(DialogPath, ATypedHomePathAndADrivePathAreTheFile) {
    EXPECT_EQ(fromDialog("/work/main/~/chat.md"), "/home/ada/chat.md");
    EXPECT_EQ(fromDialog("/C:/Users/ada/D:/backup/chat.json"), "D:/backup/chat.json");
}

TEST(DialogPath, ChosenAndDroppedFilesAreUnchanged) {
    EXPECT_EQ(fromDialog("/home/ada/models/qwen 7b (q4).gguf"), "/home/ada/models/qwen 7b (q4).gguf");
    EXPECT_EQ(fromDialog("/home/ada/chat.md"), "/home/ada/chat.md");
    EXPECT_EQ(localPathFromDialog(QUrl("file:///tmp/a~b/c.md"), "/home/ada"), "/tmp/a~b/c.md");
}
