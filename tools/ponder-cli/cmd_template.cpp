// cmd_template.cpp: `ponder-cli template`: renders a chat template for a JSON context and prints exactly the result.
#include "commands.h"

#include "chat/chat_template.h"
#include "util/error.h"
#include "util/path_text.h"

#include <cstdio>
#include <fstream>
#include <sstream>

namespace ponder::cli {

static std::string read_text(const std::string& path) {
    std::ifstream in(path_from_utf8(path), std::ios::binary);
    if (!in) fail("cannot open '%s'", path.c_str());
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// --date YYYY-MM-DD fixes strftime_now() (reference renderings use a fixed date).
static std::tm parse_date(const std::string& text) {
    std::tm t{};
    int y = 0, m = 0, d = 0;
    if (std::sscanf(text.c_str(), "%4d-%2d-%2d", &y, &m, &d) != 3 || m < 1 || m > 12 || d < 1 || d > 31)
        throw UsageError{"--date expects YYYY-MM-DD, got '" + text + "'"};
    t.tm_year = y - 1900;
    t.tm_mon = m - 1;
    t.tm_mday = d;
    t.tm_hour = 12;  // mktime normalises and fills in the weekday and day of the year
    t.tm_isdst = -1;
    std::mktime(&t);
    t.tm_hour = 0;
    return t;
}

int cmd_template(Args& args) {
    const auto model = args.value("-m", "--model");
    const auto template_file = args.value("--template");
    const std::string context_file = args.required("--context");
    const auto date = args.value("--date");
    if (!args.positional().empty()) throw UsageError{"unexpected positional argument"};
    if (model.has_value() == template_file.has_value())
        throw UsageError{"give exactly one of -m MODEL or --template FILE"};

    nlohmann::ordered_json context;
    try {
        context = nlohmann::ordered_json::parse(read_text(context_file));
    } catch (const nlohmann::json::exception& e) {
        fail("%s: invalid JSON: %s", context_file.c_str(), e.what());
    }
    if (!context.is_object()) fail("%s: the context must be a JSON object", context_file.c_str());

    std::shared_ptr<const chat::ChatTemplate> tmpl;
    if (model) {
        chat::SelectedTemplate selected = chat::select_template_from_gguf(*model);
        if (selected.is_builtin) std::fprintf(stderr, "warning: %s\n", selected.fallback_reason.c_str());
        // The model supplies bos/eos unless the context sets them.
        if (!context.contains("bos_token")) context["bos_token"] = selected.bos_token;
        if (!context.contains("eos_token")) context["eos_token"] = selected.eos_token;
        tmpl = selected.chat_template;
    } else {
        tmpl = std::make_shared<chat::ChatTemplate>(read_text(*template_file), *template_file);
    }
    std::tm fixed{};
    if (date) fixed = parse_date(*date);
    const std::string text = tmpl->render_json(context, date ? &fixed : nullptr);
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);
    return 0;
}

}  // namespace ponder::cli
