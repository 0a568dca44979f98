// cli_test.cpp: `ponder-cli tokenize` as a process: output format, flags, exit codes and error text.
#include "fixtures.h"
#include "gguf_fixture.h"

#include "support/temp_dir.h"
#include "support/testdata.h"

#include <gtest/gtest.h>

#include <sys/wait.h>
#include <cstdio>

namespace ponder {
namespace {

struct Result {
    int exit_code = -1;
    std::string out, err;
};

std::string quote(const std::string& s) {
    std::string q = "'";
    for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
}

Result run_cli(const std::vector<std::string>& args, const test::TempDir& dir) {
    std::string cmd = quote(PONDER_CLI_PATH);
    for (const std::string& a : args) {
        cmd += ' ';
        cmd += quote(a);
    }
    const auto err_path = dir / "stderr.txt";
    cmd += " 2>" + quote(err_path.string());
    Result r;
    FILE* p = popen(cmd.c_str(), "r");
    if (!p) return r;
    char buf[4096];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) r.out.append(buf, n);
    const int status = pclose(p);
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.err = test::read_file(err_path);
    return r;
}

class TokenizeCli : public testing::Test {
protected:
    void SetUp() override {
        Vocab v = test::hello_fixture().vocab();
        v.bos = 270;
        v.add_bos = true;
        test::write_vocab_gguf(v, m_dir / "hello.gguf");
    }
    std::string model() const { return (m_dir / "hello.gguf").string(); }
    test::TempDir m_dir;
};

TEST_F(TokenizeCli, PrintsIdsOnOneLine) {
    const Result r = run_cli({"tokenize", "-m", model(), "hello world"}, m_dir);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "259 264\n");
    EXPECT_EQ(r.err, "");
}

TEST_F(TokenizeCli, SpecialFlags) {
    // Default: no BOS, control-token text is plain text.
    EXPECT_EQ(run_cli({"tokenize", "-m", model(), "x<|end|>"}, m_dir).out, "120 60 124 101 110 100 124 62\n");
    EXPECT_EQ(run_cli({"tokenize", "-m", model(), "--parse-special", "x<|end|>"}, m_dir).out, "120 268\n");
    EXPECT_EQ(run_cli({"tokenize", "--add-special", "-m", model(), "hello"}, m_dir).out, "270 259\n");
    EXPECT_EQ(run_cli({"tokenize", "-m", model(), ""}, m_dir).out, "\n");
}

TEST_F(TokenizeCli, ErrorsExitNonZeroWithMessage) {
    const Result missing = run_cli({"tokenize", "-m", (m_dir / "nope.gguf").string(), "hi"}, m_dir);
    EXPECT_EQ(missing.exit_code, 1);
    EXPECT_EQ(missing.err.rfind("error: ", 0), 0u) << missing.err;
    EXPECT_NE(missing.err.find("nope.gguf"), std::string::npos) << missing.err;
    EXPECT_EQ(missing.out, "");

    GgufWriter w;
    w.set("general.architecture", "llama");
    w.write_file(m_dir / "novocab.gguf");
    const Result novocab = run_cli({"tokenize", "-m", (m_dir / "novocab.gguf").string(), "hi"}, m_dir);
    EXPECT_EQ(novocab.exit_code, 1);
    EXPECT_NE(novocab.err.find("error: "), std::string::npos);
    EXPECT_NE(novocab.err.find("tokenizer.ggml.model"), std::string::npos) << novocab.err;

    const Result no_text = run_cli({"tokenize", "-m", model()}, m_dir);
    EXPECT_NE(no_text.exit_code, 0);
    EXPECT_EQ(no_text.err.rfind("error: ", 0), 0u) << no_text.err;
}

TEST_F(TokenizeCli, MatchesLlamaCppCases) {
    PONDER_REQUIRE_TESTDATA();
    // A few single-line cases of the qwen2 reference set; the .out lines start with a space.
    const auto base = test::testdata_path("tokenizer/ggml-vocab-qwen2.gguf");
    const std::string inputs = test::read_file(base.string() + ".inp");
    const std::string outputs = test::read_file(base.string() + ".out");
    const std::string sep = "\n__ggml_vocab_test__\n";
    std::size_t in_pos = 0, out_pos = 0;
    int checked = 0;
    for (int i = 0; i < 20; ++i) {
        const std::size_t in_end = inputs.find(sep, in_pos), out_end = outputs.find('\n', out_pos);
        ASSERT_NE(in_end, std::string::npos);
        const std::string text = inputs.substr(in_pos, in_end - in_pos);
        const std::string want = outputs.substr(out_pos, out_end - out_pos);
        in_pos = in_end + sep.size();
        out_pos = out_end + 1;
        if (text.empty() || text[0] == '-' || want.empty()) continue;
        const Result r = run_cli({"tokenize", "-m", base.string(), text}, m_dir);
        EXPECT_EQ(r.exit_code, 0) << r.err;
        EXPECT_EQ(" " + r.out, want + "\n") << "case " << i;
        ++checked;
    }
    EXPECT_GE(checked, 10);
}

}  // namespace
}  // namespace ponder
