// markdown_blocks.cpp: whole-text block splitting and a small lexical highlighter (no regex engine, one pass).
#include "chat/markdown_blocks.h"

#include "chat/markdown_stream.h"

#include <QSet>
#include <QStringList>

namespace ponder {

namespace {

struct LanguageRules {
    QSet<QString> keywords;
    QString lineComment;         // "//", "#", "--" or empty
    bool blockComments = false;  // /* ... */
};

LanguageRules rulesFor(const QString& language) {
    const auto words = [](const char* list) {
        QSet<QString> set;
        for (const QString& w : QString::fromLatin1(list).split(u' ', Qt::SkipEmptyParts)) set.insert(w);
        return set;
    };
    const QString lang = language;
    if (lang == u"python" || lang == u"py")
        return {
            words("def class return if elif else for while in not and or is None True False import from as "
                  "with try except finally raise lambda yield pass break continue global nonlocal async await self"),
            QStringLiteral("#"), false};
    if (lang == u"bash" || lang == u"sh" || lang == u"shell" || lang == u"zsh" || lang == u"console")
        return {
            words("if then else elif fi for while do done case esac in function return export local echo cd exit set"),
            QStringLiteral("#"), false};
    if (lang == u"rust" || lang == u"rs")
        return {
            words("fn let mut pub struct enum impl trait use mod crate self Self return if else match for while loop "
                  "in as ref move where const static unsafe async await dyn true false Some None Ok Err"),
            QStringLiteral("//"), true};
    if (lang == u"go" || lang == u"golang")
        return {words("func package import var const type struct interface map chan go defer return if else for range "
                      "switch case default break continue select nil true false"),
                QStringLiteral("//"), true};
    if (lang == u"sql")
        return {
            words("SELECT FROM WHERE INSERT INTO VALUES UPDATE SET DELETE CREATE TABLE INDEX JOIN LEFT RIGHT INNER ON "
                  "AND OR NOT NULL ORDER BY GROUP HAVING LIMIT AS select from where insert into values update set "
                  "delete create table index join on and or not null order by group having limit as"),
            QStringLiteral("--"), true};
    if (lang == u"json") return {words("true false null"), QString(), false};
    if (lang == u"javascript" || lang == u"js" || lang == u"typescript" || lang == u"ts" || lang == u"qml")
        return {words("function return if else for while do const let var class extends new this import export from "
                      "default async await try catch finally throw typeof instanceof in of true false null undefined "
                      "interface type property signal readonly"),
                QStringLiteral("//"), true};
    // C, C++, Java, C# and anything unknown.
    return {words("auto bool break case catch char class const constexpr continue default delete do double else enum "
                  "explicit extern false float for friend if inline int long namespace new noexcept nullptr operator "
                  "private protected public return short signed sizeof static struct switch template this throw true "
                  "try typedef typename union unsigned using virtual void volatile while include define import package "
                  "final extends implements interface boolean String"),
            QStringLiteral("//"), true};
}

QString span(const QString& text, const char* color) {
    return QStringLiteral("<span style=\"color:%1\">%2</span>").arg(QLatin1String(color), text.toHtmlEscaped());
}

}  // namespace

QList<MarkdownBlock> splitMarkdown(const QString& markdown) {
    MarkdownStream stream;
    stream.append(markdown);
    stream.finish();
    return stream.blocks();
}

QString highlightCode(const QString& code, const QString& language, bool dark) {
    const LanguageRules rules = rulesFor(language);
    const char* keyword = dark ? "#c792ea" : "#7a1fa2";
    const char* string = dark ? "#c3e88d" : "#2e7d32";
    const char* comment = dark ? "#7f8c98" : "#6a737d";
    const char* number = dark ? "#f78c6c" : "#b45309";
    QString out;
    out.reserve(code.size() * 2);
    const int n = int(code.size());
    int i = 0;
    while (i < n) {
        const QChar c = code[i];
        // Comments run to the end of the line (or of the block).
        if (!rules.lineComment.isEmpty() && QStringView(code).mid(i).startsWith(rules.lineComment)) {
            int end = int(code.indexOf(u'\n', i));
            if (end < 0) end = n;
            out += span(code.mid(i, end - i), comment);
            i = end;
            continue;
        }
        if (rules.blockComments && c == u'/' && i + 1 < n && code[i + 1] == u'*') {
            int end = int(code.indexOf(QStringLiteral("*/"), i + 2));
            end = end < 0 ? n : end + 2;
            out += span(code.mid(i, end - i), comment);
            i = end;
            continue;
        }
        if (c == u'"' || c == u'\'' || c == u'`') {
            int j = i + 1;
            while (j < n && code[j] != c && code[j] != u'\n') j += (code[j] == u'\\') ? 2 : 1;
            j = std::min(n, j + 1);
            out += span(code.mid(i, j - i), string);
            i = j;
            continue;
        }
        if (c.isDigit()) {
            int j = i;
            while (j < n && (code[j].isLetterOrNumber() || code[j] == u'.')) ++j;
            out += span(code.mid(i, j - i), number);
            i = j;
            continue;
        }
        if (c.isLetter() || c == u'_') {
            int j = i;
            while (j < n && (code[j].isLetterOrNumber() || code[j] == u'_')) ++j;
            const QString word = code.mid(i, j - i);
            out += rules.keywords.contains(word) ? span(word, keyword) : word.toHtmlEscaped();
            i = j;
            continue;
        }
        out += QString(c).toHtmlEscaped();
        ++i;
    }
    return QStringLiteral("<pre>") + out + QStringLiteral("</pre>");
}

}  // namespace ponder
