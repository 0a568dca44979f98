// vulkan_backend.h: the Vulkan implementation of Backend (compute shaders from shaders/, embedded).
//
// Memory: one device-local VkBuffer per alloc()/map_weights() (weights are copied once at load
// through a host-visible staging buffer, in chunks). Uploads are copied at call time into a
// host-visible arena and queued as buffer copies; downloads are queued into a readback arena and
// copied to the caller's memory in finish().
//
// Recording and replay: ops are queued as a list of commands (dispatches with their bindings,
// push constants and sizes; copies). finish() looks that list up among the command buffers it
// recorded before: the same list (a decode step of the same shape; the step's values live in
// device tensors, backend.h "Replay") replays the recorded command buffer, a new one is recorded.
// Replaying is exactly the same GPU work, so it gives bit-identical results.
//
// Limits: a binding covers at most maxStorageBufferRange bytes (128 MiB on lavapipe), so matmul and
// get_rows walk larger weight tensors in chunks of rows; other tensors must fit one binding.
#pragma once

#include "backend/backend.h"
#include "backend/vulkan/vk_instance.h"
#include "backend/vulkan/vk_memory.h"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace ponder::vk {

class VulkanBackend final : public Backend {
public:
    VulkanBackend(Instance& instance, const PhysicalDevice& device);
    ~VulkanBackend() override;

    BackendKind kind() const override { return BackendKind::Vulkan; }
    std::string_view name() const override { return "vulkan"; }
    // The device and the matmul paths in use, as the CPU backend names its kernel table:
    // "llvmpipe (...) (8-bit integer dot, emulated)".
    std::string device_name() const override;
    bool supports(BackendOp op, DType type) const override;
    // Device-to-device copies of 128 MiB (best of 3): bytes read + written per second.
    BandwidthProbe measure_read_bandwidth() override;

    Tensor alloc(DType type, std::int64_t rows, std::int64_t cols) override;
    // Never throws: it runs from destructors (a failure of work queued before it is logged).
    void release(const Tensor& t) noexcept override;
    Tensor map_weights(const void* data, DType type, std::int64_t rows, std::int64_t cols) override;
    void upload(const Tensor& dst, const void* src, std::size_t bytes) override;
    void download(const Tensor& src, void* dst, std::size_t bytes) override;

    void get_rows(const Tensor& table, const Tensor& ids, const Tensor& out) override;
    void rms_norm(const Tensor& x, const Tensor& weight, float eps, const Tensor& out) override;
    void matmul(const Tensor& w, const Tensor& x, const Tensor& out) override;
    void add(const Tensor& a, const Tensor& b, const Tensor& out) override;
    void rope(const Tensor& x, const StepPositions& pos, const RopeParams& p) override;
    void store_kv(const Tensor& src, const Tensor& cache, const StepPositions& pos) override;
    void attention(const Tensor& q, const Tensor& k_cache, const Tensor& v_cache, const StepPositions& pos,
                   const AttentionParams& p, const Tensor& out) override;
    void swiglu(const Tensor& gate, const Tensor& up, const Tensor& out) override;
    void scale(const Tensor& x, float s, const Tensor& out) override;
    void copy(const Tensor& src, const Tensor& dst) override;
    void top_k(const Tensor& logits, const Tensor& ids, const Tensor& values) override;
    void moe_route(const Tensor& logits, const Tensor& bias, const MoeRouting& p, const Tensor& ids,
                   const Tensor& weights) override;
    void matmul_id(const Tensor& w, int n_experts, const Tensor& x, const Tensor& ids, const Tensor& out) override;
    void moe_combine(const Tensor& y, const Tensor& weights, const Tensor& out) override;
    void finish() override;
    void discard() noexcept override;

    // For tests: how many finish() calls replayed a recorded command buffer / recorded a new one.
    std::int64_t replays() const { return m_replays; }
    std::int64_t recordings() const { return m_recordings; }
    // For tests: false = record every step afresh (to compare replayed with fresh results).
    void set_replay(bool on) { m_replay_enabled = on; }
    // For tests: walk weights in bindings of at most this many bytes (as a device with a smaller
    // maxStorageBufferRange would), so the row chunks of every format are checked on small tensors.
    void set_weight_binding_limit(std::uint64_t bytes) {
        m_weight_binding_limit =
            std::clamp<std::uint64_t>(bytes, m_dev.storage_offset_alignment + 1, m_dev.max_storage_buffer_range);
    }
    // For tests and benchmarks: false = prompts (T > 1) use the one-row-per-subgroup matmul.comp
    // instead of matmul_tiled.comp (PONDER_VULKAN_NO_TILED=1 sets it at construction).
    void set_tiled_matmul(bool on) { m_tiled_matmul = on; }
    // For tests and benchmarks: false = decode attention always on attention.comp (one workgroup
    // per head) instead of attention_split.comp (PONDER_VULKAN_NO_SPLIT_ATTENTION=1 at construction).
    void set_split_attention(bool on) { m_split_attention = on; }
    // For tests and benchmarks: true = matmuls of quantized weights on 8-bit activations with
    // integer dot products (matvec_int8.comp for one token, matmul_tiled_int8.comp for
    // prompts, matmul_id.comp's X_INT8 builds for experts and MLA heads) where the device has the
    // integer dot product (the default there; PONDER_VULKAN_INT_DOT=0 turns it off at
    // construction); false = the f32 kernels. Returns whether the integer path is now in use.
    bool set_integer_dot(bool on) { return m_integer_dot = on && m_dev.integer_dot; }
    // For tests and benchmarks: true = prompt matmuls that run on float activations (float
    // weights, or any weights without the integer path) use matmul_tiled.comp's 16-bit float
    // tiles where the device has shaderFloat16 (the default on GPUs, not on software devices;
    // PONDER_VULKAN_F16=0/1 at construction); false = f32 tiles. Returns whether they are used.
    bool set_float16_tiles(bool on) { return m_float16_tiles = on && m_dev.shader_float16; }

    struct Buffer;
    struct Pipeline;

private:
    struct Binding {
        VkBuffer buffer = VK_NULL_HANDLE;
        VkDeviceSize offset = 0, range = 0;
    };
    struct Command {
        int pipeline = -1;  // -1: a copy
        Binding bindings[5];
        int n_bindings = 0;
        std::uint32_t push[16] = {};
        int n_push = 0;
        std::uint32_t groups[3] = {1, 1, 1};
        VkBuffer src = VK_NULL_HANDLE, dst = VK_NULL_HANDLE;  // copies
        std::vector<VkBufferCopy> regions;
    };
    struct Program {
        VkCommandBuffer cb = VK_NULL_HANDLE;
        VkDescriptorPool pool = VK_NULL_HANDLE;
        std::uint64_t last_used = 0;
    };
    struct Readback {
        std::size_t arena_offset;
        void* dst;
        std::size_t bytes;
    };
    // A host-visible, persistently mapped buffer filled front to back during a step.
    struct Arena {
        Buffer* buffer = nullptr;
        std::size_t used = 0;
        MemoryUse use = MemoryUse::HostWrite;  // uploads; HostRead for readbacks
    };

    // Host buffers are mapped for good (Buffer::mapped).
    Buffer* create_buffer(VkDeviceSize bytes, MemoryUse use);
    // The construction after vkCreateDevice (queue, memory, pools, layouts, arenas), and the
    // teardown of whatever of it exists (the destructor's, and a failed construction's).
    void set_up();
    void destroy_device() noexcept;
    // Frees the buffers replaced during a step (grown arenas and scratch) and the recorded
    // programs that name them, once nothing queued can use them.
    void free_retired() noexcept;
    // A device scratch buffer of at least `need` bytes (`least` at first): a smaller one is
    // replaced, retired until finish() as queued commands may name it.
    void grow_scratch(Buffer*& buffer, VkDeviceSize& bytes, VkDeviceSize need, VkDeviceSize least);
    void destroy_buffer(Buffer* b);
    Buffer* buffer_of(const Tensor& t, const char* op) const;
    // The binding for a view of `bytes` bytes from `offset` of a buffer, bound from the aligned-down
    // offset; *elem_base gets the view's first element (of elem_size bytes) within the binding.
    Binding bind(const Buffer* b, std::size_t offset, std::size_t bytes, std::size_t elem_size,
                 std::uint32_t* elem_base, const char* op) const;
    Binding bind_tensor(const Tensor& t, std::size_t elem_size, std::uint32_t* elem_base, const char* op) const;
    // A weight tensor larger than one storage binding (lavapipe: 128 MiB, e.g. a 150k-row
    // embedding table) is walked in chunks of whole rows: calls each(binding, elem_base, first_row,
    // rows) once per chunk, in row order.
    void for_each_row_chunk(
        const Tensor& w, const char* op,
        const std::function<void(const Binding&, std::uint32_t, std::int64_t, std::int64_t)>& each) const;
    std::size_t arena_alloc(Arena& arena, std::size_t bytes);
    // How a grid past the device's 65535 workgroups per dimension may be spread (common.glsl):
    // every 1-D grid over x and y (its shaders index by flat_group()); a 2-D grid only where its
    // y counts rows and the shader reads them by flat_row() (RowsInY: over y and z). Any other
    // grid past a limit is refused with the reason, never launched cut short.
    enum class Grid { Fixed, RowsInY };
    void dispatch(int pipeline, std::initializer_list<Binding> bindings, std::initializer_list<std::uint32_t> push,
                  std::uint32_t groups_x, std::uint32_t groups_y = 1, Grid grid = Grid::Fixed);
    void submit_now(const std::function<void(VkCommandBuffer)>& record);
    void drop_programs();
    int pipeline_for(const std::string& shader, int n_bindings);
    void record(Program& prog);
    // matmul_tiled.comp's tile (rows x tokens) and shared memory, as in the shader.
    static constexpr std::int64_t kTiledRows = 64, kTiledTokens = 16;
    static constexpr std::uint32_t kTiledSharedBytes = (64 + 16) * 33 * 4;
    bool use_tiled_matmul(const Tensor& w) const;
    // Whether a product with w runs on 8-bit activations in `kernel` (it exists for w's format
    // and the device has the integer dot).
    bool integer_dot_kernel(const Tensor& w, const char* kernel) const;
    // x's rows quantized into m_xq_scratch by quantize_x8.comp (queued) as the CPU quantizes
    // activations for that weight type; its binding.
    Binding quantize_activations(const Tensor& x, const Binding& bx, std::uint32_t x_base, DType weights);
    // Decode attention over a cache of more rows than this is split (attention_split.comp) in up
    // to kMaxAttentionSplits parts of at least 256 rows.
    static constexpr std::int64_t kSplitAttentionRows = 512, kMaxAttentionSplits = 32;

    Instance& m_instance;
    PhysicalDevice m_dev;
    Api m_api;  // with the device entry points
    VkDevice m_device = VK_NULL_HANDLE;
    VkQueue m_queue = VK_NULL_HANDLE;
    VkCommandPool m_cmd_pool = VK_NULL_HANDLE;
    VkFence m_fence = VK_NULL_HANDLE;
    VkPhysicalDeviceMemoryProperties m_memory{};  // the device's memory types (vk_memory.h picks)
    VkDescriptorSetLayout m_set_layouts[6] = {};
    VkPipelineLayout m_pipeline_layouts[6] = {};
    std::vector<std::unique_ptr<Pipeline>> m_pipelines;
    std::map<std::string, int> m_pipeline_index;
    std::map<void*, std::unique_ptr<Buffer>> m_buffers;  // every live tensor allocation
    Arena m_upload, m_readback;
    std::vector<Buffer*> m_retired;  // arenas replaced mid-step, freed in finish()
    Buffer* m_staging = nullptr;     // weight uploads
    // Errors found by shaders (matmul_id: an expert id out of range), host-visible: [0] set,
    // [1] the value, [2] the limit. finish() reads it, clears it and throws.
    Buffer* m_status = nullptr;
    Buffer* m_top_k_scratch = nullptr;  // top_k's per-workgroup candidates
    Buffer* m_xq_scratch = nullptr;     // quantize_x8.comp's activation row, for matvec_int8.comp
    VkDeviceSize m_xq_scratch_bytes = 0;
    VkDeviceSize m_top_k_scratch_bytes = 0;
    Buffer* m_attention_scratch = nullptr;  // attention_split.comp's partials
    VkDeviceSize m_attention_scratch_bytes = 0;
    std::vector<Command> m_pending;
    std::vector<Readback> m_readbacks;
    std::map<std::vector<std::uint64_t>, Program> m_programs;
    std::uint64_t m_clock = 0;
    std::int64_t m_replays = 0, m_recordings = 0;
    bool m_replay_enabled = true;
    bool m_tiled_matmul = true;
    bool m_split_attention = true;
    bool m_integer_dot = false;
    bool m_float16_tiles = false;
    bool m_device_lost = false;            // VK_ERROR_DEVICE_LOST seen: every later step fails at once
    bool m_allocating_weights = false;     // map_weights: may exceed one binding (read in chunks)
    std::uint64_t m_weight_binding_limit;  // bytes of a weight bound at once: maxStorageBufferRange
};

}  // namespace ponder::vk
