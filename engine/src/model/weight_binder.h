// weight_binder.h: hands a file's tensors to a backend one by one, taking each tensor's op and
// optionality from the architecture's table (model/expected_tensors.h). Shapes are not checked
// here: bind_weights() runs check_tensor_shapes() first, so every tensor it maps has the shape the
// table gives.
#pragma once

#include "backend/backend.h"
#include "model/expected_tensors.h"

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace ponder {

class GgufFile;

class WeightBinder {
public:
    // on_tensor(done, total) after each tensor (load progress); returning false cancels (Cancelled).
    WeightBinder(const GgufFile& file, const ModelConfig& config, Backend& backend,
                 const std::function<bool(int done, int total)>& on_tensor);

    // The table's tensor `name` as a backend tensor [ne[1] * ne[2] rows, ne[0] cols]; empty when
    // the table allows it to be absent and it is. Throws ponder::Error when the backend has no
    // kernel for the tensor's type (a GPU backend the capability check was not asked about).
    Tensor bind(const std::string& name);

    std::uint64_t bytes() const { return m_bytes; }  // file bytes of every tensor bound so far

private:
    const GgufFile& m_file;
    Backend& m_backend;
    const std::function<bool(int, int)>& m_on_tensor;
    std::vector<ExpectedTensor> m_table;
    std::unordered_map<std::string_view, const ExpectedTensor*> m_by_name;
    int m_total;
    int m_done = 0;
    std::uint64_t m_bytes = 0;
};

}  // namespace ponder
