// cli_template_test.cpp: `ponder-cli template` prints exactly the rendered text (runs the real binary).
#include "gguf/gguf_writer.h"

#include "support/temp_dir.h"
#include "support/testdata.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <sys/wait.h>
#include <cstdio>
#include <fstream>

namespace {

namespace fs = std::filesystem;

struct Result {
    int status = -1;
    std::string out, err;
};

void write(const fs::path& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

std::string quote(const std::string& s) {
    std::string q = "'";
    for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
}

Result run_cli(const ponder::test::TempDir& dir, const std::string& arguments) {
    const fs::path err = dir / "stderr.txt";
    const std::string cmd = quote(PONDER_CLI_PATH) + " template " + arguments + " 2>" + quote(err.string());
    Result r;
    FILE* pipe = popen(cmd.c_str(), "r");
    if (!pipe) return r;
    char buf[4096];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0) r.out.append(buf, n);
    const int raw = pclose(pipe);
    r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
    r.err = ponder::test::read_file(err);
    return r;
}

const char* kContext = R"({"messages": [{"role": "user", "content": "Hi\n"}], "add_generation_prompt": true,
                           "bos_token": "<s>", "eos_token": "</s>"})";

TEST(CliTemplate, TemplateFilePrintsExactlyTheRenderedText) {
    ponder::test::TempDir dir;
    write(dir / "t.jinja", "{{ bos_token }}{% for m in messages %}[{{ m.role }}]{{ m.content }}{% endfor %}\n");
    write(dir / "c.json", kContext);
    const Result r = run_cli(
        dir, "--template " + quote((dir / "t.jinja").string()) + " --context " + quote((dir / "c.json").string()));
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.out, "<s>[user]Hi\n");  // the template's own newline only; nothing added
    EXPECT_EQ(r.err, "");
}

TEST(CliTemplate, SyntaxErrorExitsWithLocation) {
    ponder::test::TempDir dir;
    write(dir / "bad.jinja", "ok\n{% for m in messages %}x");
    write(dir / "c.json", kContext);
    const Result r = run_cli(
        dir, "--template " + quote((dir / "bad.jinja").string()) + " --context " + quote((dir / "c.json").string()));
    EXPECT_EQ(r.status, 1);
    EXPECT_EQ(r.out, "");
    EXPECT_NE(r.err.find("bad.jinja:2:"), std::string::npos) << r.err;
}

TEST(CliTemplate, UsageErrors) {
    ponder::test::TempDir dir;
    EXPECT_EQ(run_cli(dir, "--context x.json").status, 2);
    EXPECT_EQ(run_cli(dir, "--template a -m b --context x.json").status, 2);
}

// A vocabulary-only GGUF with the given template (empty: no template key).
void write_model(const fs::path& path, const std::string& chat_template) {
    ponder::GgufWriter w;
    w.set("general.architecture", "qwen2");
    w.set_array("tokenizer.ggml.tokens", {"<|endoftext|>", "<|im_start|>", "<|im_end|>", "<think>", "</think>"});
    w.set("tokenizer.ggml.bos_token_id", std::uint32_t{0});
    w.set("tokenizer.ggml.eos_token_id", std::uint32_t{2});
    if (!chat_template.empty()) w.set("tokenizer.chat_template", chat_template);
    w.write_file(path);
}

TEST(CliTemplate, ModelTemplateAndTokensFromGguf) {
    ponder::test::TempDir dir;
    write_model(dir / "m.gguf", "{{ bos_token }}|{{ messages[0].content }}|{{ eos_token }}");
    write(dir / "c.json", R"({"messages": [{"role": "user", "content": "Q"}], "add_generation_prompt": false})");
    const Result r =
        run_cli(dir, "-m " + quote((dir / "m.gguf").string()) + " --context " + quote((dir / "c.json").string()));
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.out, "<|endoftext|>|Q|<|im_end|>");
}

TEST(CliTemplate, BrokenModelTemplateFallsBackToBuiltin) {
    ponder::test::TempDir dir;
    write_model(dir / "m.gguf", "{% include 'other.jinja' %}");
    write(dir / "c.json", R"({"messages": [{"role": "user", "content": "Q"}], "add_generation_prompt": true})");
    const Result r =
        run_cli(dir, "-m " + quote((dir / "m.gguf").string()) + " --context " + quote((dir / "c.json").string()));
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.out, "<|im_start|>user\nQ<|im_end|>\n<|im_start|>assistant\n");  // ChatML, written out by hand
    EXPECT_NE(r.err.find("unsupported statement 'include'"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("built-in chatml"), std::string::npos) << r.err;
}

TEST(CliTemplate, ReferenceCasesThroughTheCli) {
    PONDER_REQUIRE_TESTDATA();
    ponder::test::TempDir dir;
    const fs::path templates = ponder::test::testdata_path("templates");
    // The vocabulary GGUF carries the template and the bos/eos texts.
    auto c = nlohmann::ordered_json::parse(
        ponder::test::read_file(templates / "cases/gguf-deepseek-r1-qwen/03_multiturn_gen.json"));
    c["context"].erase("bos_token");
    c["context"].erase("eos_token");
    write(dir / "c.json", c["context"].dump());
    Result r =
        run_cli(dir, "-m " + quote(ponder::test::testdata_path("tokenizer/ggml-vocab-deepseek-r1-qwen.gguf").string()) +
                         " --context " + quote((dir / "c.json").string()));
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.out, c["expected"].get<std::string>());

    // strftime_now() with the reference's fixed date.
    c = nlohmann::ordered_json::parse(
        ponder::test::read_file(templates / "cases/meta-llama-Llama-3.2-3B-Instruct/02_system_user_gen.json"));
    write(dir / "c2.json", c["context"].dump());
    r = run_cli(dir, "--template " + quote((templates / "meta-llama-Llama-3.2-3B-Instruct.jinja").string()) +
                         " --date 2026-01-15 --context " + quote((dir / "c2.json").string()));
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.out, c["expected"].get<std::string>());
}

}  // namespace
