// template_reference_test.cpp: every template/conversation pair of testdata/templates renders byte-identical to Jinja2.
#include "chat/chat_template.h"

#include "support/testdata.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <map>

namespace {

using nlohmann::ordered_json;
namespace fs = std::filesystem;

// The reference renderings fix strftime_now() at 2026-01-15 00:00:00 (a Thursday).
std::tm reference_time() {
    std::tm t{};
    t.tm_year = 2026 - 1900;
    t.tm_mon = 0;
    t.tm_mday = 15;
    t.tm_wday = 4;
    t.tm_yday = 14;
    return t;
}

TEST(TemplateReference, AllCasesRenderLikeJinja2) {
    PONDER_REQUIRE_TESTDATA();
    const fs::path dir = ponder::test::testdata_path("templates");
    ASSERT_TRUE(fs::exists(dir / "cases")) << dir;
    std::vector<fs::path> cases;
    for (const auto& entry : fs::recursive_directory_iterator(dir / "cases"))
        if (entry.path().extension() == ".json") cases.push_back(entry.path());
    std::sort(cases.begin(), cases.end());
    ASSERT_GE(cases.size(), 200u);

    std::map<std::string, std::shared_ptr<ponder::chat::ChatTemplate>> compiled;
    const std::tm now = reference_time();
    int passed = 0, failed = 0, errors_expected = 0;
    const auto t0 = std::chrono::steady_clock::now();
    for (const fs::path& path : cases) {
        const ordered_json c = ordered_json::parse(ponder::test::read_file(path));
        const std::string name = c["template"].get<std::string>();
        const std::string label = path.parent_path().filename().string() + "/" + path.stem().string();
        std::string got, error;
        try {
            auto& tmpl = compiled[name];
            if (!tmpl) tmpl = std::make_shared<ponder::chat::ChatTemplate>(ponder::test::read_file(dir / name), name);
            got = tmpl->render_json(c["context"], &now);
        } catch (const ponder::Error& e) {
            error = e.what();
        }
        bool ok;
        if (c.contains("expected_error")) {
            ++errors_expected;
            ok = !error.empty() && error == c["expected_error"].get<std::string>();
            EXPECT_TRUE(ok) << label << ": expected error '" << c["expected_error"].get<std::string>() << "', got "
                            << (error.empty() ? "output:\n" + got : "error '" + error + "'");
        } else {
            const std::string expected = c["expected"].get<std::string>();
            ok = error.empty() && got == expected;
            EXPECT_TRUE(ok) << label << ": " << (error.empty() ? "output differs" : "error: " + error)
                            << "\n--- expected ---\n"
                            << expected << "\n--- got ---\n"
                            << got;
        }
        (ok ? passed : failed)++;
    }
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    std::printf(
        "[ reference ] %d/%zu template cases byte-identical (%d of them expected errors), %zu templates; "
        "compile + render of all cases (JSON parse included): %.1f ms\n",
        passed, cases.size(), errors_expected, compiled.size(), ms);
    EXPECT_EQ(failed, 0);
}

}  // namespace

namespace {

TEST(TemplateReference, SelectionKeepsEveryReferenceTemplate) {
    // None of the real templates may be replaced by a built-in: their trial renders must pass
    // (or raise on purpose).
    PONDER_REQUIRE_TESTDATA();
    int kept = 0;
    for (const auto& entry : fs::directory_iterator(ponder::test::testdata_path("templates"))) {
        if (entry.path().extension() != ".jinja") continue;
        ponder::chat::TemplateSource source;
        source.chat_template = ponder::test::read_file(entry.path());
        source.bos_token = "<s>";
        const ponder::chat::SelectedTemplate t = ponder::chat::select_template(source);
        EXPECT_FALSE(t.is_builtin) << entry.path().filename() << ": " << t.fallback_reason;
        kept += !t.is_builtin;
    }
    EXPECT_EQ(kept, 26);
}

}  // namespace
