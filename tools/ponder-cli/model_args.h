// model_args.h: the model-loading options run/chat/logits/bench share (-m, --backend, --threads, -c, --kv).
#pragma once

#include "args.h"
#include "util/path_text.h"

#include <ponder/engine.h>

#include <string>

namespace ponder::cli {

inline LoadOptions read_load_options(Args& args, int default_context = 4096) {
    LoadOptions o;
    o.path = path_from_utf8(args.required("--model", "-m"));
    if (auto b = args.value("--backend")) {
        auto kind = parse_backend_kind(*b);
        if (!kind) throw UsageError{"--backend expects cpu, vulkan, cuda or auto, got '" + *b + "'"};
        o.backend = *kind;
    }
    o.threads = args.integer("--threads", 0, "-t");
    if (o.threads < 0) throw UsageError{"--threads must be >= 0"};
    o.context_length = args.integer("--ctx-size", default_context, "-c");
    if (o.context_length <= 0) throw UsageError{"--ctx-size must be positive"};
    if (auto kv = args.value("--kv")) {
        if (*kv == "f16")
            o.kv_cache = KvCacheType::F16;
        else if (*kv == "q8_0")
            o.kv_cache = KvCacheType::Q8_0;
        else if (*kv == "f32")
            o.kv_cache = KvCacheType::F32;
        else
            throw UsageError{"--kv expects f16, q8_0 or f32, got '" + *kv + "'"};
    }
    return o;
}

}  // namespace ponder::cli
