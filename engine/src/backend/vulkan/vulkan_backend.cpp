// vulkan_backend.cpp: device setup, memory, the command list and its replay (see vulkan_backend.h).
// The ops themselves are in vulkan_ops.cpp.
#include "backend/vulkan/vulkan_backend.h"

#include "backend/vulkan/shaders.h"
#include "util/error.h"
#include "util/log.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>

namespace ponder::vk {

struct VulkanBackend::Buffer {
    VkBuffer buffer = VK_NULL_HANDLE;
    VkDeviceMemory memory = VK_NULL_HANDLE;
    VkDeviceSize size = 0;
    void* mapped = nullptr;  // host-visible buffers only
};

struct VulkanBackend::Pipeline {
    VkShaderModule module = VK_NULL_HANDLE;
    VkPipeline pipeline = VK_NULL_HANDLE;
    int n_bindings = 0;
    std::string name;  // the shader's, for messages
};

namespace {

void check(VkResult r, const char* what) {
    if (r != VK_SUCCESS) fail("vulkan backend: %s failed (%s)", what, result_name(r));
}

constexpr std::size_t kStagingBytes = std::size_t{16} << 20;  // weight uploads go through in chunks of this
constexpr std::size_t kMaxPrograms = 16;                      // recorded command buffers kept for replay

}  // namespace

VulkanBackend::VulkanBackend(Instance& instance, const PhysicalDevice& device)
    : m_instance(instance), m_dev(device), m_api(instance.api),
      m_weight_binding_limit(device.max_storage_buffer_range) {
    std::string why;
    if (!m_dev.usable(&why)) fail("vulkan backend: %s", why.c_str());
    const float priority = 1.0f;
    VkDeviceQueueCreateInfo q{VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO};
    q.queueFamilyIndex = m_dev.queue_family;
    q.queueCount = 1;
    q.pQueuePriorities = &priority;
    VkPhysicalDevice16BitStorageFeatures s16{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_16BIT_STORAGE_FEATURES};
    s16.storageBuffer16BitAccess = VK_TRUE;
    VkPhysicalDevice8BitStorageFeatures s8{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_8BIT_STORAGE_FEATURES};
    s8.storageBuffer8BitAccess = VK_TRUE;
    s16.pNext = &s8;
    VkPhysicalDeviceShaderIntegerDotProductFeatures dot{
        VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SHADER_INTEGER_DOT_PRODUCT_FEATURES};
    dot.shaderIntegerDotProduct = VK_TRUE;
    if (m_dev.integer_dot) s8.pNext = &dot;  // matvec_int8.comp's OpSDot
    VkPhysicalDeviceShaderFloat16Int8Features f16{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SHADER_FLOAT16_INT8_FEATURES};
    f16.shaderFloat16 = VK_TRUE;
    if (m_dev.shader_float16) {  // matmul_tiled.comp's F16_TILES build
        f16.pNext = s8.pNext;
        s8.pNext = &f16;
    }
    VkPhysicalDeviceSubgroupSizeControlFeatures size_control{
        VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SUBGROUP_SIZE_CONTROL_FEATURES};
    size_control.subgroupSizeControl = VK_TRUE;
    size_control.computeFullSubgroups = VK_TRUE;
    if (m_dev.full_subgroups) {  // every pipeline requires full subgroups (pipeline_for)
        size_control.pNext = s8.pNext;
        s8.pNext = &size_control;
    }
    VkPhysicalDeviceFeatures2 features{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2};
    features.pNext = &s16;
    VkDeviceCreateInfo ci{VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO};
    ci.pNext = &features;
    ci.queueCreateInfoCount = 1;
    ci.pQueueCreateInfos = &q;
    check(m_api.vkCreateDevice(m_dev.handle, &ci, nullptr, &m_device), "vkCreateDevice");
    if (!load_device_api(m_api, m_device)) {
        m_api.vkDestroyDevice(m_device, nullptr);
        fail("vulkan backend: the driver lacks Vulkan 1.2 device functions");
    }
    // From here on a failure must not leak the device (the destructor does not run).
    try {
        set_up();
    } catch (...) {
        destroy_device();
        throw;
    }
}

void VulkanBackend::set_up() {
    m_api.vkGetDeviceQueue(m_device, m_dev.queue_family, 0, &m_queue);

    m_api.vkGetPhysicalDeviceMemoryProperties(m_dev.handle, &m_memory);
    if (!pick_memory_type(m_memory, ~0u, MemoryUse::Device) || !pick_memory_type(m_memory, ~0u, MemoryUse::HostWrite))
        fail("vulkan backend: %s has no device-local or host-visible memory", m_dev.name.c_str());

    VkCommandPoolCreateInfo pool{VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO};
    pool.flags = VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT;
    pool.queueFamilyIndex = m_dev.queue_family;
    check(m_api.vkCreateCommandPool(m_device, &pool, nullptr, &m_cmd_pool), "vkCreateCommandPool");
    VkFenceCreateInfo fence{VK_STRUCTURE_TYPE_FENCE_CREATE_INFO};
    check(m_api.vkCreateFence(m_device, &fence, nullptr, &m_fence), "vkCreateFence");

    // One descriptor set layout (n storage buffers) and pipeline layout (+ 64 bytes of push
    // constants) per binding count.
    for (int n = 1; n <= 5; ++n) {
        VkDescriptorSetLayoutBinding b[5];
        for (int i = 0; i < n; ++i) {
            b[i] = {};
            b[i].binding = static_cast<std::uint32_t>(i);
            b[i].descriptorType = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER;
            b[i].descriptorCount = 1;
            b[i].stageFlags = VK_SHADER_STAGE_COMPUTE_BIT;
        }
        VkDescriptorSetLayoutCreateInfo li{VK_STRUCTURE_TYPE_DESCRIPTOR_SET_LAYOUT_CREATE_INFO};
        li.bindingCount = static_cast<std::uint32_t>(n);
        li.pBindings = b;
        check(m_api.vkCreateDescriptorSetLayout(m_device, &li, nullptr, &m_set_layouts[n]),
              "vkCreateDescriptorSetLayout");
        VkPushConstantRange range{VK_SHADER_STAGE_COMPUTE_BIT, 0, 16 * sizeof(std::uint32_t)};
        VkPipelineLayoutCreateInfo pl{VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO};
        pl.setLayoutCount = 1;
        pl.pSetLayouts = &m_set_layouts[n];
        pl.pushConstantRangeCount = 1;
        pl.pPushConstantRanges = &range;
        check(m_api.vkCreatePipelineLayout(m_device, &pl, nullptr, &m_pipeline_layouts[n]), "vkCreatePipelineLayout");
    }
    m_upload.buffer = create_buffer(1 << 20, MemoryUse::HostWrite);
    m_readback.use = MemoryUse::HostRead;
    m_readback.buffer = create_buffer(1 << 20, MemoryUse::HostRead);
    m_status = create_buffer(256, MemoryUse::HostRead);
    std::memset(m_status->mapped, 0, 256);
    // For before/after comparisons (as PONDER_CPU_NO_PACK on the CPU): prompts on matmul.comp.
    if (const char* v = std::getenv("PONDER_VULKAN_NO_TILED"); v && *v && std::strcmp(v, "0") != 0)
        m_tiled_matmul = false;
    if (const char* v = std::getenv("PONDER_VULKAN_NO_SPLIT_ATTENTION"); v && *v && std::strcmp(v, "0") != 0)
        m_split_attention = false;
    // Generation's quantized matmuls on 8-bit activations wherever the device has the integer
    // dot product, as the CPU backend's integer kernels (and llama.cpp's) do: even emulated
    // (lavapipe reports it not accelerated) it runs a 2048 x 2048 matvec 1.5 to 3.8 times faster
    // than the f32 path, from a quarter of the activation loads and no float decode.
    m_integer_dot = m_dev.integer_dot;
    if (const char* v = std::getenv("PONDER_VULKAN_INT_DOT"); v && *v) set_integer_dot(std::strcmp(v, "0") != 0);
    // Prompt tiles in 16-bit floats on GPUs with shaderFloat16 (half the shared memory and its
    // loads). Not on a software device: lavapipe has the feature but widens each half back to a
    // float for the products, and a 2048 x 2048 x 64-token matmul of F16 or F32 weights measured
    // a wash there (0.8 to 1.2 times the f32 tiles' speed, interleaved runs).
    m_float16_tiles = m_dev.shader_float16 && !m_dev.software();
    if (const char* v = std::getenv("PONDER_VULKAN_F16"); v && *v) set_float16_tiles(std::strcmp(v, "0") != 0);
}

std::string VulkanBackend::device_name() const {
    std::string paths = !m_integer_dot                  ? "f32 matmuls"
                        : m_dev.integer_dot_accelerated ? "8-bit integer dot"
                                                        : "8-bit integer dot, emulated";
    if (m_float16_tiles) paths += ", f16 prompt tiles";
    return m_dev.name + " (" + paths + ")";
}

void VulkanBackend::discard() noexcept {
    m_pending.clear();
    m_readbacks.clear();
    m_upload.used = 0;
    m_readback.used = 0;
    free_retired();  // nothing queued ran; recorded programs may still name them
}

void VulkanBackend::free_retired() noexcept {
    if (m_retired.empty()) return;
    drop_programs();
    for (Buffer* b : m_retired) destroy_buffer(b);
    m_retired.clear();
}

VulkanBackend::~VulkanBackend() { destroy_device(); }

void VulkanBackend::destroy_device() noexcept {
    if (!m_device) return;
    m_api.vkDeviceWaitIdle(m_device);
    drop_programs();
    for (auto& [key, b] : m_buffers) {
        m_api.vkDestroyBuffer(m_device, b->buffer, nullptr);
        m_api.vkFreeMemory(m_device, b->memory, nullptr);
    }
    m_buffers.clear();
    for (Buffer* b :
         {m_upload.buffer, m_readback.buffer, m_staging, m_status, m_top_k_scratch, m_attention_scratch, m_xq_scratch})
        if (b) destroy_buffer(b);
    for (Buffer* b : m_retired) destroy_buffer(b);
    for (auto& p : m_pipelines) {
        m_api.vkDestroyPipeline(m_device, p->pipeline, nullptr);
        m_api.vkDestroyShaderModule(m_device, p->module, nullptr);
    }
    for (int n = 1; n <= 5; ++n) {
        m_api.vkDestroyPipelineLayout(m_device, m_pipeline_layouts[n], nullptr);
        m_api.vkDestroyDescriptorSetLayout(m_device, m_set_layouts[n], nullptr);
    }
    m_api.vkDestroyFence(m_device, m_fence, nullptr);
    m_api.vkDestroyCommandPool(m_device, m_cmd_pool, nullptr);
    m_api.vkDestroyDevice(m_device, nullptr);
    m_device = VK_NULL_HANDLE;
}

// ---- memory --------------------------------------------------------------------------------

VulkanBackend::Buffer* VulkanBackend::create_buffer(VkDeviceSize bytes, MemoryUse use) {
    auto b = std::make_unique<Buffer>();
    // Whole 16-byte units: shaders read weights as 32-bit words (weights.glsl), and a binding's
    // range, rounded to 16 bytes within the buffer (bind()), must then end on a word.
    b->size = std::max<VkDeviceSize>((bytes + 15) / 16 * 16, 16);
    // Past the device's largest allocation (often 2 or 4 GiB: a large model's stacked experts
    // can be more) vkAllocateMemory may fail or, past maxBufferSize, misbehave: refuse first.
    if (m_dev.max_allocation_bytes > 0 && b->size > m_dev.max_allocation_bytes)
        fail("vulkan backend: a tensor of %.1f MiB is larger than the %.1f MiB %s can allocate at once",
             static_cast<double>(bytes) / 1048576.0, static_cast<double>(m_dev.max_allocation_bytes) / 1048576.0,
             m_dev.name.c_str());
    VkBufferCreateInfo bi{VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO};
    bi.size = b->size;
    bi.usage = VK_BUFFER_USAGE_STORAGE_BUFFER_BIT | VK_BUFFER_USAGE_TRANSFER_SRC_BIT | VK_BUFFER_USAGE_TRANSFER_DST_BIT;
    bi.sharingMode = VK_SHARING_MODE_EXCLUSIVE;
    check(m_api.vkCreateBuffer(m_device, &bi, nullptr, &b->buffer), "vkCreateBuffer");
    VkMemoryRequirements req{};
    m_api.vkGetBufferMemoryRequirements(m_device, b->buffer, &req);
    const std::optional<std::uint32_t> type = pick_memory_type(m_memory, req.memoryTypeBits, use);
    if (!type) {
        m_api.vkDestroyBuffer(m_device, b->buffer, nullptr);
        fail("vulkan backend: %s offers no %s memory type for a storage buffer", m_dev.name.c_str(),
             memory_use_name(use));
    }
    VkMemoryAllocateInfo ai{VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO};
    ai.allocationSize = req.size;
    ai.memoryTypeIndex = *type;
    const VkResult r = m_api.vkAllocateMemory(m_device, &ai, nullptr, &b->memory);
    if (r != VK_SUCCESS) {
        m_api.vkDestroyBuffer(m_device, b->buffer, nullptr);
        fail("vulkan backend: cannot allocate %.1f MiB of %s memory on %s (%s)", static_cast<double>(bytes) / 1048576.0,
             memory_use_name(use), m_dev.name.c_str(), result_name(r));
    }
    VkResult done = m_api.vkBindBufferMemory(m_device, b->buffer, b->memory, 0);
    if (done == VK_SUCCESS && use != MemoryUse::Device)
        done = m_api.vkMapMemory(m_device, b->memory, 0, VK_WHOLE_SIZE, 0, &b->mapped);
    if (done != VK_SUCCESS) {  // neither the buffer nor its memory may outlive the failure
        m_api.vkDestroyBuffer(m_device, b->buffer, nullptr);
        m_api.vkFreeMemory(m_device, b->memory, nullptr);
        check(done, "vkBindBufferMemory / vkMapMemory");
    }
    return b.release();
}

void VulkanBackend::destroy_buffer(Buffer* b) {
    if (b->mapped) m_api.vkUnmapMemory(m_device, b->memory);
    m_api.vkDestroyBuffer(m_device, b->buffer, nullptr);
    m_api.vkFreeMemory(m_device, b->memory, nullptr);
    delete b;
}

Tensor VulkanBackend::alloc(DType type, std::int64_t rows, std::int64_t cols) {
    if (rows < 0 || cols <= 0)
        fail("vulkan backend: alloc: bad shape [%lld, %lld]", static_cast<long long>(rows),
             static_cast<long long>(cols));
    const std::uint64_t row = row_bytes(type, cols);
    if (rows > 0 && row > (std::uint64_t{1} << 46) / static_cast<std::uint64_t>(rows))
        fail("vulkan backend: alloc: [%lld, %lld] %s is too large", static_cast<long long>(rows),
             static_cast<long long>(cols), std::string(to_string(type)).c_str());
    const std::uint64_t bytes = row * static_cast<std::uint64_t>(rows);
    // Only weights (matmul, get_rows) are read in chunks of rows; any other tensor must fit one
    // binding. Refused here, when the cache or activations are allocated, not at the first step.
    if (!m_allocating_weights && bytes > m_dev.max_storage_buffer_range)
        fail(
            "vulkan backend: a %.0f MiB %s tensor [%lld, %lld] exceeds the %.0f MiB %s can bind at once; "
            "choose a shorter context",
            static_cast<double>(bytes) / 1048576.0, std::string(to_string(type)).c_str(), static_cast<long long>(rows),
            static_cast<long long>(cols), static_cast<double>(m_dev.max_storage_buffer_range) / 1048576.0,
            m_dev.name.c_str());
    Buffer* b = create_buffer(bytes, MemoryUse::Device);
    m_buffers.emplace(b, std::unique_ptr<Buffer>(b));
    // Zeroed, as on the CPU: tests and callers may read rows they never wrote (an empty cache).
    submit_now([&](VkCommandBuffer cb) { m_api.vkCmdFillBuffer(cb, b->buffer, 0, VK_WHOLE_SIZE, 0); });
    return Tensor{b, 0, type, rows, cols, static_cast<std::size_t>(row)};
}

void VulkanBackend::release(const Tensor& t) noexcept {
    auto it = m_buffers.find(t.buffer);
    if (it == m_buffers.end()) return;
    // Recorded command buffers may refer to it (and a new buffer may get the same handle).
    try {
        finish();
    } catch (const std::exception& e) {
        PONDER_LOG_WARN("vulkan backend: queued work failed while a tensor was freed: %s", e.what());
        discard();
    }
    m_api.vkDeviceWaitIdle(m_device);
    drop_programs();
    Buffer* b = it->second.release();
    m_buffers.erase(it);
    destroy_buffer(b);
}

Tensor VulkanBackend::map_weights(const void* data, DType type, std::int64_t rows, std::int64_t cols) {
    if (!data || rows <= 0 || cols <= 0) fail("vulkan backend: map_weights: empty tensor");
    if (!supports(BackendOp::MatMul, type) && !supports(BackendOp::GetRows, type) && type != DType::F32)
        fail("vulkan backend: weight type %s is not supported", std::string(to_string(type)).c_str());
    m_allocating_weights = true;
    Tensor t;
    try {
        t = alloc(type, rows, cols);
    } catch (...) {
        m_allocating_weights = false;
        throw;
    }
    m_allocating_weights = false;
    const std::size_t bytes = t.row_size() * static_cast<std::size_t>(rows);
    if (!m_staging) m_staging = create_buffer(kStagingBytes, MemoryUse::HostWrite);
    const Buffer* dst = static_cast<const Buffer*>(t.buffer);
    for (std::size_t off = 0; off < bytes; off += kStagingBytes) {
        const std::size_t n = std::min(kStagingBytes, bytes - off);
        std::memcpy(m_staging->mapped, static_cast<const std::uint8_t*>(data) + off, n);
        submit_now([&](VkCommandBuffer cb) {
            const VkBufferCopy region{0, off, n};
            m_api.vkCmdCopyBuffer(cb, m_staging->buffer, dst->buffer, 1, &region);
        });
    }
    return t;
}

VulkanBackend::Buffer* VulkanBackend::buffer_of(const Tensor& t, const char* op) const {
    const auto it = m_buffers.find(t.buffer);
    if (t.empty() || it == m_buffers.end()) fail("vulkan backend: %s: a tensor that is not this backend's", op);
    return it->second.get();
}

void VulkanBackend::grow_scratch(Buffer*& buffer, VkDeviceSize& bytes, VkDeviceSize need, VkDeviceSize least) {
    if (buffer && bytes >= need) return;
    // The new one first: if it cannot be had, the old one stays in place, whole.
    const VkDeviceSize size = std::max(need, least);
    Buffer* grown = create_buffer(size, MemoryUse::Device);
    if (buffer) m_retired.push_back(buffer);  // queued commands may name it: freed in finish()
    buffer = grown;
    bytes = size;
}

std::size_t VulkanBackend::arena_alloc(Arena& arena, std::size_t bytes) {
    const std::size_t at = (arena.used + 15) / 16 * 16;
    if (at + bytes > arena.buffer->size) {
        // Commands already queued read the old arena: keep it until finish(). The new one
        // first, so that a failure leaves the arena as it was.
        Buffer* grown = create_buffer(std::max<VkDeviceSize>(2 * arena.buffer->size, at + bytes), arena.use);
        m_retired.push_back(arena.buffer);
        arena.buffer = grown;
        arena.used = bytes;
        return 0;
    }
    arena.used = at + bytes;
    return at;
}

void VulkanBackend::upload(const Tensor& dst, const void* src, std::size_t bytes) {
    const Buffer* b = buffer_of(dst, "upload");
    const std::size_t row = dst.row_size();
    if (bytes != row * static_cast<std::size_t>(dst.rows))
        fail("vulkan backend: upload: byte count does not match the tensor");
    if (bytes == 0) return;
    const std::size_t at = arena_alloc(m_upload, bytes);
    std::memcpy(static_cast<std::uint8_t*>(m_upload.buffer->mapped) + at, src, bytes);
    Command c;
    c.src = m_upload.buffer->buffer;
    c.dst = b->buffer;
    if (dst.dense())
        c.regions.push_back({at, dst.offset, bytes});
    else
        for (std::int64_t r = 0; r < dst.rows; ++r)
            c.regions.push_back({at + r * row, dst.offset + r * dst.row_stride, row});
    m_pending.push_back(std::move(c));
}

void VulkanBackend::download(const Tensor& src, void* dst, std::size_t bytes) {
    const Buffer* b = buffer_of(src, "download");
    const std::size_t row = src.row_size();
    if (bytes != row * static_cast<std::size_t>(src.rows))
        fail("vulkan backend: download: byte count does not match the tensor");
    if (bytes == 0) return;
    const std::size_t at = arena_alloc(m_readback, bytes);
    Command c;
    c.src = b->buffer;
    c.dst = m_readback.buffer->buffer;
    if (src.dense())
        c.regions.push_back({src.offset, at, bytes});
    else
        for (std::int64_t r = 0; r < src.rows; ++r)
            c.regions.push_back({src.offset + r * src.row_stride, at + r * row, row});
    m_pending.push_back(std::move(c));
    m_readbacks.push_back({at, dst, bytes});
}

VulkanBackend::Binding VulkanBackend::bind(const Buffer* b, std::size_t offset, std::size_t bytes,
                                           std::size_t elem_size, std::uint32_t* elem_base, const char* op) const {
    const std::size_t align = static_cast<std::size_t>(m_dev.storage_offset_alignment);
    const std::size_t start = offset / align * align;
    const std::size_t need = offset - start + bytes;
    if (need > m_dev.max_storage_buffer_range)
        fail("vulkan backend: %s: a %.1f MiB tensor view exceeds the %.0f MiB the device can bind", op,
             static_cast<double>(bytes) / 1048576.0, static_cast<double>(m_dev.max_storage_buffer_range) / 1048576.0);
    if ((offset - start) % elem_size != 0) fail("vulkan backend: %s: misaligned tensor view", op);
    if (elem_base) *elem_base = static_cast<std::uint32_t>((offset - start) / elem_size);
    // Bind what the view needs rounded up to 16 bytes, within the buffer.
    const VkDeviceSize range = std::min<VkDeviceSize>(std::min<VkDeviceSize>(b->size - start, (need + 15) / 16 * 16),
                                                      m_dev.max_storage_buffer_range);
    return Binding{b->buffer, start, range};
}

VulkanBackend::Binding VulkanBackend::bind_tensor(const Tensor& t, std::size_t elem_size, std::uint32_t* elem_base,
                                                  const char* op) const {
    const std::size_t bytes =
        t.rows > 0 ? static_cast<std::size_t>(t.rows - 1) * t.row_stride + t.row_size() : t.row_size();
    return bind(buffer_of(t, op), t.offset, bytes, elem_size, elem_base, op);
}

Backend::BandwidthProbe VulkanBackend::measure_read_bandwidth() {
    finish();
    constexpr VkDeviceSize kBytes = VkDeviceSize{128} << 20;
    BandwidthProbe probe;
    Buffer* a = nullptr;
    Buffer* b = nullptr;
    try {
        a = create_buffer(kBytes, MemoryUse::Device);
        b = create_buffer(kBytes, MemoryUse::Device);
        double best = 1e30;
        for (int pass = 0; pass < 4; ++pass) {  // the first pass pages the memory in: not counted
            const auto t0 = std::chrono::steady_clock::now();
            submit_now([&](VkCommandBuffer cb) {
                const VkBufferCopy region{0, 0, kBytes};
                m_api.vkCmdCopyBuffer(cb, a->buffer, b->buffer, 1, &region);
            });
            const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
            if (pass > 0) best = std::min(best, s);
        }
        // A copy reads and writes every byte: both count as memory traffic.
        probe.gb_per_s = 2.0 * static_cast<double>(kBytes) / best / 1e9;
        probe.what = "a 128 MiB device-to-device copy (read + write) on " + m_dev.name;
    } catch (const Error&) {
        probe = {};  // too little memory for the probe: report none
    }
    if (a) destroy_buffer(a);
    if (b) destroy_buffer(b);
    return probe;
}

// ---- pipelines -----------------------------------------------------------------------------

int VulkanBackend::pipeline_for(const std::string& shader, int n_bindings) {
    if (const auto it = m_pipeline_index.find(shader); it != m_pipeline_index.end()) return it->second;
    const std::span<const std::uint32_t> spirv = shader_spirv(shader);
    if (spirv.empty()) fail("vulkan backend: this build has no shader %s", shader.c_str());
    auto p = std::make_unique<Pipeline>();
    p->n_bindings = n_bindings;
    p->name = shader;
    VkShaderModuleCreateInfo mi{VK_STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO};
    mi.codeSize = spirv.size_bytes();
    mi.pCode = spirv.data();
    check(m_api.vkCreateShaderModule(m_device, &mi, nullptr, &p->module), "vkCreateShaderModule");
    VkComputePipelineCreateInfo ci{VK_STRUCTURE_TYPE_COMPUTE_PIPELINE_CREATE_INFO};
    ci.stage.sType = VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO;
    ci.stage.stage = VK_SHADER_STAGE_COMPUTE_BIT;
    ci.stage.module = p->module;
    ci.stage.pName = "main";
    // Every lane of every subgroup present, as the kernels assume (vk_instance.h).
    if (m_dev.full_subgroups) ci.stage.flags = VK_PIPELINE_SHADER_STAGE_CREATE_REQUIRE_FULL_SUBGROUPS_BIT;
    ci.layout = m_pipeline_layouts[n_bindings];
    const VkResult r = m_api.vkCreateComputePipelines(m_device, VK_NULL_HANDLE, 1, &ci, nullptr, &p->pipeline);
    if (r != VK_SUCCESS) {
        m_api.vkDestroyShaderModule(m_device, p->module, nullptr);
        fail("vulkan backend: cannot build the %s pipeline (%s)", shader.c_str(), result_name(r));
    }
    m_pipelines.push_back(std::move(p));
    const int index = static_cast<int>(m_pipelines.size()) - 1;
    m_pipeline_index.emplace(shader, index);
    return index;
}

void VulkanBackend::dispatch(int pipeline, std::initializer_list<Binding> bindings,
                             std::initializer_list<std::uint32_t> push, std::uint32_t groups_x, std::uint32_t groups_y,
                             Grid grid) {
    if (groups_x == 0 || groups_y == 0) return;
    Command c;
    c.pipeline = pipeline;
    for (const Binding& b : bindings) c.bindings[c.n_bindings++] = b;
    for (std::uint32_t v : push) c.push[c.n_push++] = v;
    const std::uint32_t max[3] = {std::min<std::uint32_t>(m_dev.max_workgroup_count[0], 65535),
                                  std::min<std::uint32_t>(m_dev.max_workgroup_count[1], 65535),
                                  std::min<std::uint32_t>(m_dev.max_workgroup_count[2], 65535)};
    std::uint32_t groups_z = 1;
    if (groups_y == 1 && groups_x > max[0]) {  // a 1-D grid: over x and y (flat_group())
        groups_y = (groups_x + max[0] - 1) / max[0];
        groups_x = max[0];
    } else if (grid == Grid::RowsInY && groups_y > max[1]) {  // rows: over y and z (flat_row())
        groups_z = (groups_y + max[1] - 1) / max[1];
        groups_y = max[1];
    }
    if (groups_x > max[0] || groups_y > max[1] || groups_z > max[2])
        fail("vulkan backend: %s needs a grid of %u x %u x %u workgroups, more than %s allows (%u x %u x %u)",
             m_pipelines[static_cast<std::size_t>(pipeline)]->name.c_str(), groups_x, groups_y, groups_z,
             m_dev.name.c_str(), max[0], max[1], max[2]);
    c.groups[0] = groups_x;
    c.groups[1] = groups_y;
    c.groups[2] = groups_z;
    m_pending.push_back(std::move(c));
}

// ---- submission and replay -------------------------------------------------------------------

void VulkanBackend::submit_now(const std::function<void(VkCommandBuffer)>& record_fn) {
    VkCommandBufferAllocateInfo ai{VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO};
    ai.commandPool = m_cmd_pool;
    ai.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY;
    ai.commandBufferCount = 1;
    VkCommandBuffer cb = VK_NULL_HANDLE;
    check(m_api.vkAllocateCommandBuffers(m_device, &ai, &cb), "vkAllocateCommandBuffers");
    VkCommandBufferBeginInfo bi{VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO};
    bi.flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT;
    m_api.vkBeginCommandBuffer(cb, &bi);
    record_fn(cb);
    // A fence wait orders the host, not the device's caches: the fill of a new tensor, the
    // weight copy over it and the first step that reads it are ordered by this barrier, which
    // covers every later command on the queue (as record()'s per-command barriers do).
    VkMemoryBarrier after{VK_STRUCTURE_TYPE_MEMORY_BARRIER};
    after.srcAccessMask = VK_ACCESS_TRANSFER_WRITE_BIT | VK_ACCESS_SHADER_WRITE_BIT;
    after.dstAccessMask = VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_SHADER_WRITE_BIT | VK_ACCESS_TRANSFER_READ_BIT |
                          VK_ACCESS_TRANSFER_WRITE_BIT;
    const VkPipelineStageFlags stages = VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT | VK_PIPELINE_STAGE_TRANSFER_BIT;
    m_api.vkCmdPipelineBarrier(cb, stages, stages, 0, 1, &after, 0, nullptr, 0, nullptr);
    m_api.vkEndCommandBuffer(cb);
    VkSubmitInfo si{VK_STRUCTURE_TYPE_SUBMIT_INFO};
    si.commandBufferCount = 1;
    si.pCommandBuffers = &cb;
    check(m_api.vkQueueSubmit(m_queue, 1, &si, m_fence), "vkQueueSubmit");
    const VkResult r = m_api.vkWaitForFences(m_device, 1, &m_fence, VK_TRUE, UINT64_MAX);
    m_api.vkResetFences(m_device, 1, &m_fence);
    m_api.vkFreeCommandBuffers(m_device, m_cmd_pool, 1, &cb);
    check(r, "vkWaitForFences");
}

void VulkanBackend::drop_programs() {
    for (auto& [key, prog] : m_programs) {
        m_api.vkFreeCommandBuffers(m_device, m_cmd_pool, 1, &prog.cb);
        m_api.vkDestroyDescriptorPool(m_device, prog.pool, nullptr);
    }
    m_programs.clear();
}

void VulkanBackend::record(Program& prog) {
    std::uint32_t n_sets = 0, n_descriptors = 0;
    for (const Command& c : m_pending)
        if (c.pipeline >= 0) ++n_sets, n_descriptors += static_cast<std::uint32_t>(c.n_bindings);
    if (n_sets > 0) {
        VkDescriptorPoolSize size{VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, n_descriptors};
        VkDescriptorPoolCreateInfo pi{VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO};
        pi.maxSets = n_sets;
        pi.poolSizeCount = 1;
        pi.pPoolSizes = &size;
        check(m_api.vkCreateDescriptorPool(m_device, &pi, nullptr, &prog.pool), "vkCreateDescriptorPool");
    }
    VkCommandBufferAllocateInfo ai{VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO};
    ai.commandPool = m_cmd_pool;
    ai.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY;
    ai.commandBufferCount = 1;
    check(m_api.vkAllocateCommandBuffers(m_device, &ai, &prog.cb), "vkAllocateCommandBuffers");
    VkCommandBufferBeginInfo bi{VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO};
    m_api.vkBeginCommandBuffer(prog.cb, &bi);
    // Every command waits for everything before it: simple, and correct for any aliasing of views.
    VkMemoryBarrier barrier{VK_STRUCTURE_TYPE_MEMORY_BARRIER};
    barrier.srcAccessMask = VK_ACCESS_SHADER_WRITE_BIT | VK_ACCESS_TRANSFER_WRITE_BIT;
    barrier.dstAccessMask = VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_SHADER_WRITE_BIT | VK_ACCESS_TRANSFER_READ_BIT |
                            VK_ACCESS_TRANSFER_WRITE_BIT;
    const VkPipelineStageFlags stages = VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT | VK_PIPELINE_STAGE_TRANSFER_BIT;
    for (const Command& c : m_pending) {
        if (c.pipeline < 0) {
            m_api.vkCmdCopyBuffer(prog.cb, c.src, c.dst, static_cast<std::uint32_t>(c.regions.size()),
                                  c.regions.data());
        } else {
            const Pipeline& p = *m_pipelines[static_cast<std::size_t>(c.pipeline)];
            VkDescriptorSetAllocateInfo si{VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO};
            si.descriptorPool = prog.pool;
            si.descriptorSetCount = 1;
            si.pSetLayouts = &m_set_layouts[p.n_bindings];
            VkDescriptorSet set = VK_NULL_HANDLE;
            check(m_api.vkAllocateDescriptorSets(m_device, &si, &set), "vkAllocateDescriptorSets");
            VkDescriptorBufferInfo infos[5];
            VkWriteDescriptorSet writes[5];
            for (int i = 0; i < c.n_bindings; ++i) {
                infos[i] = {c.bindings[i].buffer, c.bindings[i].offset, c.bindings[i].range};
                writes[i] = VkWriteDescriptorSet{VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET};
                writes[i].dstSet = set;
                writes[i].dstBinding = static_cast<std::uint32_t>(i);
                writes[i].descriptorCount = 1;
                writes[i].descriptorType = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER;
                writes[i].pBufferInfo = &infos[i];
            }
            m_api.vkUpdateDescriptorSets(m_device, static_cast<std::uint32_t>(c.n_bindings), writes, 0, nullptr);
            m_api.vkCmdBindPipeline(prog.cb, VK_PIPELINE_BIND_POINT_COMPUTE, p.pipeline);
            m_api.vkCmdBindDescriptorSets(prog.cb, VK_PIPELINE_BIND_POINT_COMPUTE, m_pipeline_layouts[p.n_bindings], 0,
                                          1, &set, 0, nullptr);
            m_api.vkCmdPushConstants(prog.cb, m_pipeline_layouts[p.n_bindings], VK_SHADER_STAGE_COMPUTE_BIT, 0,
                                     16 * sizeof(std::uint32_t), c.push);
            m_api.vkCmdDispatch(prog.cb, c.groups[0], c.groups[1], c.groups[2]);
        }
        m_api.vkCmdPipelineBarrier(prog.cb, stages, stages, 0, 1, &barrier, 0, nullptr, 0, nullptr);
    }
    VkMemoryBarrier to_host{VK_STRUCTURE_TYPE_MEMORY_BARRIER};
    to_host.srcAccessMask = VK_ACCESS_TRANSFER_WRITE_BIT | VK_ACCESS_SHADER_WRITE_BIT;
    to_host.dstAccessMask = VK_ACCESS_HOST_READ_BIT;
    m_api.vkCmdPipelineBarrier(prog.cb, stages, VK_PIPELINE_STAGE_HOST_BIT, 0, 1, &to_host, 0, nullptr, 0, nullptr);
    check(m_api.vkEndCommandBuffer(prog.cb), "vkEndCommandBuffer");
}

void VulkanBackend::finish() {
    if (m_pending.empty()) return;
    if (m_device_lost) {  // nothing will run on this device again
        discard();
        fail("vulkan backend: %s was lost earlier; load the model again, or choose the CPU", m_dev.name.c_str());
    }
    // The key is everything the command buffer is made of: equal keys, equal GPU work.
    std::vector<std::uint64_t> key;
    key.reserve(m_pending.size() * 24);
    for (const Command& c : m_pending) {
        key.push_back(static_cast<std::uint64_t>(c.pipeline + 1));
        if (c.pipeline < 0) {
            key.push_back(reinterpret_cast<std::uint64_t>(c.src));
            key.push_back(reinterpret_cast<std::uint64_t>(c.dst));
            for (const VkBufferCopy& r : c.regions) key.insert(key.end(), {r.srcOffset, r.dstOffset, r.size});
            continue;
        }
        for (int i = 0; i < c.n_bindings; ++i)
            key.insert(key.end(), {reinterpret_cast<std::uint64_t>(c.bindings[i].buffer), c.bindings[i].offset,
                                   c.bindings[i].range});
        for (int i = 0; i < 16; ++i) key.push_back(c.push[i]);
        key.insert(key.end(), {c.groups[0], c.groups[1], c.groups[2]});
    }
    ++m_clock;
    Program* prog = nullptr;
    if (m_replay_enabled && m_retired.empty()) {
        if (auto it = m_programs.find(key); it != m_programs.end()) {
            prog = &it->second;
            ++m_replays;
        }
    }
    Program fresh;
    if (!prog) {
        try {
            record(fresh);
        } catch (...) {  // out of descriptor pools or command buffers: nothing of this step runs
            if (fresh.cb) m_api.vkFreeCommandBuffers(m_device, m_cmd_pool, 1, &fresh.cb);
            if (fresh.pool) m_api.vkDestroyDescriptorPool(m_device, fresh.pool, nullptr);
            discard();
            throw;
        }
        ++m_recordings;
        prog = &fresh;
    }
    prog->last_used = m_clock;
    VkSubmitInfo si{VK_STRUCTURE_TYPE_SUBMIT_INFO};
    si.commandBufferCount = 1;
    si.pCommandBuffers = &prog->cb;
    VkResult r = m_api.vkQueueSubmit(m_queue, 1, &si, m_fence);
    if (r == VK_SUCCESS) r = m_api.vkWaitForFences(m_device, 1, &m_fence, VK_TRUE, UINT64_MAX);
    if (r != VK_SUCCESS) {
        // The work may still be running (a wait that failed for want of memory): let it end
        // before anything it uses is freed below; what it may have flagged is void.
        m_api.vkQueueWaitIdle(m_queue);
        std::memset(m_status->mapped, 0, 16);
    }
    m_api.vkResetFences(m_device, 1, &m_fence);
    m_pending.clear();
    const std::vector<Readback> readbacks = std::move(m_readbacks);
    m_readbacks.clear();
    if (r == VK_SUCCESS)
        for (const Readback& rb : readbacks)
            std::memcpy(rb.dst, static_cast<const std::uint8_t*>(m_readback.buffer->mapped) + rb.arena_offset,
                        rb.bytes);
    m_upload.used = 0;
    m_readback.used = 0;
    if (prog == &fresh) {
        // Keep it for replay unless it used arenas replaced during the step (gone now).
        if (m_replay_enabled && m_retired.empty() && r == VK_SUCCESS) {
            if (m_programs.size() >= kMaxPrograms) {
                auto oldest = std::min_element(m_programs.begin(), m_programs.end(), [](const auto& a, const auto& b) {
                    return a.second.last_used < b.second.last_used;
                });
                m_api.vkFreeCommandBuffers(m_device, m_cmd_pool, 1, &oldest->second.cb);
                m_api.vkDestroyDescriptorPool(m_device, oldest->second.pool, nullptr);
                m_programs.erase(oldest);
            }
            m_programs.emplace(std::move(key), fresh);
        } else {
            m_api.vkFreeCommandBuffers(m_device, m_cmd_pool, 1, &fresh.cb);
            if (fresh.pool) m_api.vkDestroyDescriptorPool(m_device, fresh.pool, nullptr);
        }
    }
    // An arena grew: recorded programs name the old one, so none can be replayed any more.
    free_retired();
    if (r == VK_ERROR_DEVICE_LOST) {
        m_device_lost = true;
        fail(
            "vulkan backend: %s stopped responding (VK_ERROR_DEVICE_LOST: a driver reset or a GPU fault); load the "
            "model again, or choose the CPU",
            m_dev.name.c_str());
    }
    check(r, "running the queued ops");
    auto* status = static_cast<std::uint32_t*>(m_status->mapped);
    if (status[0] != 0) {
        const int value = static_cast<int>(status[1]), limit = static_cast<int>(status[2]);
        std::memset(status, 0, 16);
        fail("vulkan backend: matmul_id: expert id %d outside [0, %d)", value, limit);
    }
}

}  // namespace ponder::vk
