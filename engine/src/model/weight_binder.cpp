// weight_binder.cpp: zero-copy binding through Backend::map_weights (see weight_binder.h).
#include "model/weight_binder.h"

#include "gguf/gguf_file.h"
#include "util/error.h"
#include "util/path_text.h"

namespace ponder {

WeightBinder::WeightBinder(const GgufFile& file, const ModelConfig& config, Backend& backend,
                           const std::function<bool(int, int)>& on_tensor)
    : m_file(file), m_backend(backend), m_on_tensor(on_tensor), m_table(expected_tensors(config)),
      m_total(static_cast<int>(file.tensors().size())) {
    for (const ExpectedTensor& e : m_table) m_by_name.emplace(e.name, &e);
}

Tensor WeightBinder::bind(const std::string& name) {
    const auto it = m_by_name.find(name);
    // A binder asking for a tensor its architecture's table does not list is a bug in the engine.
    if (it == m_by_name.end())
        fail("internal error: tensor %s is not in the architecture's tensor table", name.c_str());
    const ExpectedTensor& e = *it->second;
    const GgufTensor* t = m_file.find_tensor(name);
    const std::string path = path_to_utf8(m_file.path());
    if (!t) {
        if (!e.required) return {};
        fail("%s: tensor %s is missing", path.c_str(), name.c_str());
    }
    if (!m_backend.supports(e.op, t->type))
        fail("%s: weight type %s of tensor %s is not supported by the %s backend", path.c_str(),
             std::string(to_string(t->type)).c_str(), name.c_str(), std::string(m_backend.name()).c_str());
    const Tensor out = m_backend.map_weights(t->data, t->type, t->ne[1] * t->ne[2], t->ne[0]);
    // Where the backend copied the tensor (a GPU upload, a CPU repack) it read every page:
    // let go of them at once, so resident memory counts the copy and not the file as well,
    // even at the peak of loading. Pages used in place were not touched and are unaffected.
    m_file.drop_resident_pages(t->data, t->n_bytes);
    m_bytes += t->n_bytes;
    ++m_done;
    if (m_on_tensor && !m_on_tensor(m_done, m_total)) throw Cancelled("model loading was cancelled");
    return out;
}

}  // namespace ponder
