// vulkan_backend_test.cpp: what only the Vulkan backend has: replay of recorded steps (bit-identical
// to a fresh recording), weight tables larger than one storage binding (lavapipe: 128 MiB), and
// the formats it refuses. The ops themselves are checked for every backend by
// backend_parity_test (backend_ops_test.cpp, backend_parity_test.cpp). Skips, saying so, where
// this machine has no Vulkan device.
#include "backend_test_util.h"

#include "backend/cpu/kernels.h"
#include "backend/vulkan/shaders.h"
#include "backend/vulkan/vk_memory.h"
#include "backend/vulkan/vulkan_backend.h"
#include "backend/weight_formats.h"
#include "quant/blocks.h"
#include "quant/quantize.h"

#include <gtest/gtest.h>

#include <cctype>
#include <cstring>
#include <map>

namespace ponder::test {
namespace {

std::unique_ptr<Backend> vulkan_or_skip_reason(std::string& why) {
    const BackendChoice c = choose_backend(BackendKind::Vulkan, 0);
    if (c.backend != BackendKind::Vulkan) {
        why = c.reason;
        return nullptr;
    }
    return create_backend(BackendKind::Vulkan, 0, {});
}

#define VULKAN_OR_SKIP(b)                                     \
    std::string why_skip;                                     \
    auto b = vulkan_or_skip_reason(why_skip);                 \
    if (!b) GTEST_SKIP() << "no Vulkan device: " << why_skip; \
    auto* vb = dynamic_cast<vk::VulkanBackend*>(b.get());     \
    ASSERT_TRUE(vb)

std::string lower(std::string_view s) {
    std::string n(s);
    for (char& c : n) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return n;
}

// One decode-like step: embedding lookup, matmul, RoPE, cache write, attention, all reading the
// step's token id and position from device tensors.
struct MiniStep {
    static constexpr int kHeads = 2, kHeadDim = 64, kDim = kHeads * kHeadDim, kVocab = 40, kCtx = 16;
    Tensor table, w, ids, x, q, kc, vc, attn;
    StepPositions pos;
    std::vector<std::uint8_t> table_data, w_data;

    explicit MiniStep(Backend& b) {
        table_data = random_weights(DType::Q8_0, kVocab, kDim, 1);
        w_data = random_weights(DType::Q4_K, kDim, 256, 2);
        table = b.map_weights(table_data.data(), DType::Q8_0, kVocab, kDim);
        w = b.map_weights(w_data.data(), DType::Q4_K, kDim, 256);
        ids = b.alloc(DType::I32, 1, 1);
        pos = {b.alloc(DType::I32, 1, 1), b.alloc(DType::I32, 1, 1)};
        x = b.alloc(DType::F32, 1, 256);
        q = b.alloc(DType::F32, 1, kDim);
        kc = b.alloc(DType::F16, kCtx, kDim);
        vc = b.alloc(DType::F16, kCtx, kDim);
        attn = b.alloc(DType::F32, 1, kDim);
    }
    std::vector<float> run(Backend& b, std::int32_t token, int position) {
        b.upload(ids, &token, sizeof token);
        upload_positions(b, pos, position, 1);
        b.get_rows(table, ids, x.reshape(2, kDim).slice_rows(0, 1));
        b.get_rows(table, ids, x.reshape(2, kDim).slice_rows(1, 1));
        b.matmul(w, x, q);
        RopeParams rp;
        rp.n_heads = kHeads;
        rp.head_dim = kHeadDim;
        rp.neox = true;
        b.rope(q, pos, rp);
        b.store_kv(q, kc, pos);
        b.store_kv(q, vc, pos);
        AttentionParams ap;
        ap.n_heads = kHeads;
        ap.n_kv_heads = kHeads;
        ap.head_dim = kHeadDim;
        b.attention(q, kc, vc, pos, ap, attn);
        std::vector<float> out(kDim);
        b.download(attn, out.data(), out.size() * sizeof(float));
        b.finish();
        return out;
    }
};

TEST(VulkanBackend, ReplayedStepsAreBitIdenticalToFreshRecordings) {
    VULKAN_OR_SKIP(b);
    BackendOptions o;
    auto fresh_backend = create_backend(BackendKind::Vulkan, 0, o);
    auto* fresh = dynamic_cast<vk::VulkanBackend*>(fresh_backend.get());
    ASSERT_TRUE(fresh);
    fresh->set_replay(false);
    MiniStep replayed_step(*b), fresh_step(*fresh);
    const std::int32_t tokens[] = {3, 17, 3, 39, 0, 21};
    const std::int64_t recordings_before = vb->recordings();
    std::vector<std::vector<float>> outs;
    for (int p = 0; p < 6; ++p) {
        const std::vector<float> a = replayed_step.run(*b, tokens[p], p);
        const std::vector<float> c = fresh_step.run(*fresh, tokens[p], p);
        ASSERT_EQ(std::memcmp(a.data(), c.data(), a.size() * sizeof(float)), 0) << "position " << p;
        outs.push_back(a);
    }
    // The replays did read the new token and position: token 3 at positions 0 and 2 differs
    // (RoPE, and attention over three cached rows instead of one).
    EXPECT_NE(outs[0], outs[2]);
    // Only the first step was recorded; every later one (other token, other position) replayed it.
    EXPECT_EQ(vb->recordings() - recordings_before, 1);
    EXPECT_GE(vb->replays(), 5);
    EXPECT_EQ(fresh->replays(), 0);
}

TEST(VulkanBackend, TablesLargerThanOneBindingAreReadInChunks) {
    VULKAN_OR_SKIP(b);
    // 150k rows of F16 x 512 = 147 MiB: more than lavapipe's 128 MiB per binding (a 150k-token
    // vocabulary's embedding table). Rows are filled with their own index pattern, so a row read
    // from the wrong chunk shows.
    const std::int64_t rows = 150000, cols = 512;
    std::vector<fp16_t> data(static_cast<std::size_t>(rows * cols));
    auto value = [](std::int64_t r, std::int64_t c) {
        return static_cast<float>((r * 7 + c * 13) % 1024) / 256.0f - 2.0f;
    };
    for (std::int64_t r = 0; r < rows; ++r)
        for (std::int64_t c = 0; c < cols; ++c) data[static_cast<std::size_t>(r * cols + c)] = f32_to_fp16(value(r, c));
    const Tensor table = b->map_weights(data.data(), DType::F16, rows, cols);
    const std::vector<std::int32_t> ids = {0, 149999, 70000, 131071, 131072, 99999};
    const Tensor out = b->alloc(DType::F32, static_cast<std::int64_t>(ids.size()), cols);
    b->get_rows(table, upload_ids(*b, ids), out);
    const std::vector<float> got = download_f32(*b, out);
    for (std::size_t i = 0; i < ids.size(); ++i)
        for (std::int64_t c = 0; c < cols; ++c)
            ASSERT_EQ(got[i * cols + static_cast<std::size_t>(c)], value(ids[i], c)) << "id " << ids[i] << " col " << c;
    // The same table as the output matrix (tied embeddings): every row's dot with x.
    std::vector<float> x(static_cast<std::size_t>(cols));
    for (std::int64_t c = 0; c < cols; ++c) x[static_cast<std::size_t>(c)] = (c % 3 == 0) ? 0.5f : -0.25f;
    const Tensor logits = b->alloc(DType::F32, 1, rows);
    b->matmul(table, upload_f32(*b, x, 1, cols), logits);
    const std::vector<float> l = download_f32(*b, logits);
    for (std::int64_t r :
         {std::int64_t{0}, std::int64_t{65535}, std::int64_t{131071}, std::int64_t{131072}, rows - 1}) {
        double want = 0;
        for (std::int64_t c = 0; c < cols; ++c)
            want += static_cast<double>(value(r, c)) * x[static_cast<std::size_t>(c)];
        EXPECT_NEAR(l[static_cast<std::size_t>(r)], want, 1e-3) << "row " << r;
    }
}

TEST(VulkanBackend, ATensorOverOneBindingThatIsNotAWeightIsRefusedAtAllocation) {
    VULKAN_OR_SKIP(b);
    std::int64_t limit = 0;
    for (const DeviceInfo& d : list_devices())
        if (d.backend == BackendKind::Vulkan && d.index == 0)
            for (const DeviceDetail& detail : device_details(d))
                if (detail.key == "max_storage_buffer_range") limit = std::get<std::int64_t>(detail.value);
    ASSERT_GT(limit, 0);
    if (limit > (std::int64_t{1} << 30))
        GTEST_SKIP() << "binding limit " << limit << " bytes: too large to exceed here";
    // A KV cache layer one row over the limit (e.g. a long context on lavapipe).
    const std::int64_t cols = 1024, rows = limit / (cols * 2) + 1;
    try {
        b->alloc(DType::F16, rows, cols);
        FAIL() << "no error";
    } catch (const ponder::Error& e) {
        EXPECT_NE(std::string(e.what()).find("choose a shorter context"), std::string::npos) << e.what();
    }
}

// Every weight format the CPU runs, in the order of the parity tests.
const DType kWeightTypes[] = {DType::F32,  DType::F16,  DType::BF16, DType::Q4_0,   DType::Q4_1,
                              DType::Q5_0, DType::Q5_1, DType::Q8_0, DType::Q2_K,   DType::Q3_K,
                              DType::Q4_K, DType::Q5_K, DType::Q6_K, DType::IQ4_NL, DType::IQ4_XS};

// NMSE of matmul_tiled.comp's 16-bit float tiles against the double-precision reference on
// unrounded inputs: both operands rounded to halves and the pairs' products summed in f16.
constexpr double kFloat16TileBound = 2e-6;

// Prompts (T > 1) go through matmul_tiled.comp: 64 rows x 16 tokens per workgroup. Against the
// one-row-per-subgroup matmul.comp on the same device and against a double-precision reference,
// for shapes that leave partial tiles in both directions, float rows ending inside a 32-element
// unit (an odd count too: a half pair cut in two), a strided x view and a weight row count above
// one tile; in f32 tiles and, where the device has shaderFloat16, in f16 tiles.
TEST(VulkanBackend, TiledPromptMatmulMatchesTheRowKernelAndTheReference) {
    VULKAN_OR_SKIP(b);
    struct Case {
        DType type;
        std::int64_t rows, cols, tokens;
    };
    const Case cases[] = {{DType::F32, 131, 300, 37},
                          {DType::F16, 70, 45, 16},
                          {DType::Q8_0, 64, 512, 17},
                          {DType::Q4_K, 200, 512, 33},
                          {DType::Q4_K, 1, 256, 5},
                          {DType::Q6_K, 129, 256, 2},
                          // every other format once (their units are not all 32 consecutive columns)
                          {DType::BF16, 70, 100, 17},
                          {DType::Q4_0, 70, 96, 17},
                          {DType::Q4_1, 65, 64, 3},
                          {DType::Q5_0, 70, 64, 17},
                          {DType::Q5_1, 70, 96, 9},
                          {DType::Q2_K, 70, 256, 17},
                          {DType::Q3_K, 70, 512, 17},
                          {DType::Q5_K, 70, 256, 17},
                          {DType::IQ4_NL, 70, 64, 9},
                          {DType::IQ4_XS, 70, 256, 17}};
    for (const Case& c : cases) {
        ASSERT_FALSE(vk::shader_spirv("matmul_tiled_" + lower(to_string(c.type))).empty())
            << to_string(c.type) << " has no tiled variant";
        const auto wdata = random_weights(c.type, c.rows, c.cols, 77 + static_cast<std::uint32_t>(c.rows));
        const auto wf = dequantized(c.type, wdata, c.rows, c.cols);
        // x as columns [3, 3 + cols) of a wider matrix: a strided view.
        const std::int64_t wide = c.cols + 5;
        const auto xw = random_floats(static_cast<std::size_t>(c.tokens * wide), 5);
        std::vector<float> ref(static_cast<std::size_t>(c.tokens * c.rows));
        for (std::int64_t t = 0; t < c.tokens; ++t)
            for (std::int64_t r = 0; r < c.rows; ++r) {
                double acc = 0;
                for (std::int64_t i = 0; i < c.cols; ++i)
                    acc += static_cast<double>(wf[r * c.cols + i]) * xw[t * wide + 3 + i];
                ref[t * c.rows + r] = static_cast<float>(acc);
            }
        // The same backend both ways (lavapipe compiles each pipeline once per device: slow).
        const Tensor w = b->map_weights(wdata.data(), c.type, c.rows, c.cols);
        const Tensor x = upload_f32(*b, xw, c.tokens, wide).slice_cols(3, c.cols);
        const Tensor out = b->alloc(DType::F32, c.tokens, c.rows);
        std::vector<float> got[2];
        vb->set_integer_dot(false);  // the f32 kernels (the integer ones: the test below)
        vb->set_float16_tiles(false);
        for (int tiled = 1; tiled >= 0; --tiled) {
            vb->set_tiled_matmul(tiled == 1);
            b->matmul(w, x, out);
            got[1 - tiled] = download_f32(*b, out);
        }
        vb->set_tiled_matmul(true);
        const std::string what = std::string(to_string(c.type)) + " rows " + std::to_string(c.rows) + " cols " +
                                 std::to_string(c.cols) + " tokens " + std::to_string(c.tokens);
        EXPECT_LT(nmse(got[0], ref), 1e-10) << "tiled vs reference, " << what;
        EXPECT_LT(nmse(got[0], got[1]), 1e-10) << "tiled vs row kernel, " << what;
        // The 16-bit float tiles, where the device has them: the rounding of weights and
        // activations to halves (2^-11 relative) moves the result by about 1e-7 of its energy; a
        // pair placed in the wrong column, token or row would move it by ~1. And it is the f16
        // build that ran: it differs from the f32 tiles.
        if (vb->set_float16_tiles(true)) {
            b->matmul(w, x, out);
            const std::vector<float> half = download_f32(*b, out);
            EXPECT_LT(nmse(half, ref), kFloat16TileBound) << "f16 tiles vs reference, " << what;
            EXPECT_GT(nmse(half, got[0]), 1e-12) << "f16 tiles gave the f32 tiles' result, " << what;
            vb->set_float16_tiles(false);
        }
    }
}

// Memory types as GPUs report them (no device needed). A discrete NVIDIA card on Linux: an
// unflagged type, VRAM, system memory (plain and cached), and the small host-visible BAR window.
VkPhysicalDeviceMemoryProperties memory_table(std::initializer_list<VkMemoryPropertyFlags> types) {
    VkPhysicalDeviceMemoryProperties m{};
    for (VkMemoryPropertyFlags f : types) m.memoryTypes[m.memoryTypeCount++].propertyFlags = f;
    return m;
}
constexpr VkMemoryPropertyFlags kLocal = VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT,
                                kHost = VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT,
                                kCached = VK_MEMORY_PROPERTY_HOST_CACHED_BIT;

TEST(VulkanMemory, BuffersGoInThePlainestTypeThatSuitsThemAndTheBufferAllows) {
    using vk::MemoryUse;
    using vk::pick_memory_type;
    const auto nvidia = memory_table({0, kLocal, kHost, kHost | kCached, kLocal | kHost});
    EXPECT_EQ(pick_memory_type(nvidia, ~0u, MemoryUse::Device), 1u);     // VRAM, not the BAR window
    EXPECT_EQ(pick_memory_type(nvidia, ~0u, MemoryUse::HostWrite), 2u);  // system memory
    EXPECT_EQ(pick_memory_type(nvidia, ~0u, MemoryUse::HostRead), 3u);   // cached: the host reads it
    // Only the types the buffer's memoryTypeBits allow.
    EXPECT_EQ(pick_memory_type(nvidia, 0b10000u, MemoryUse::Device), 4u);
    EXPECT_EQ(pick_memory_type(nvidia, 0b10100u, MemoryUse::HostRead), 2u);  // no cached type allowed
    EXPECT_EQ(pick_memory_type(nvidia, 0b00011u, MemoryUse::HostWrite), std::nullopt);
    // An integrated GPU (or lavapipe): one type that is everything.
    const auto unified = memory_table({kLocal | kHost | kCached});
    for (MemoryUse use : {MemoryUse::Device, MemoryUse::HostWrite, MemoryUse::HostRead})
        EXPECT_EQ(pick_memory_type(unified, ~0u, use), 0u);
    // AMD's device-coherent types need a feature the backend does not enable: never chosen, even
    // where one would be the first match.
    const auto amd = memory_table({kLocal | VK_MEMORY_PROPERTY_DEVICE_COHERENT_BIT_AMD, kLocal, kHost,
                                   kHost | kCached | VK_MEMORY_PROPERTY_DEVICE_COHERENT_BIT_AMD});
    EXPECT_EQ(pick_memory_type(amd, ~0u, MemoryUse::Device), 1u);
    EXPECT_EQ(pick_memory_type(amd, ~0u, MemoryUse::HostRead), 2u);
    EXPECT_EQ(pick_memory_type(memory_table({kLocal | VK_MEMORY_PROPERTY_PROTECTED_BIT}), ~0u, MemoryUse::Device),
              std::nullopt);
}

// Grids past 65535 workgroups in a dimension (a device's usual limit) are spread over two
// (common.glsl): 1-D ones (one workgroup per row or head) over x and y, rows in y over y and z,
// rounded up, the surplus workgroups leaving at once. Each kind against the CPU backend on a shape
// that spills: DeepSeek-V3's 128 heads x 520 query rows of attention (66,560 workgroups), and
// 70,000 rows of rms_norm, get_rows, add and copy. Run under the validation layer too, which
// refuses a grid past the limit; a dropped row or a surplus one writing shows as a difference.
TEST(VulkanBackend, GridsPastTheDeviceLimitAreSpreadAndExact) {
    VULKAN_OR_SKIP(b);
    auto cpu = create_backend(BackendKind::Cpu, 0, {});
    const std::int64_t rows = 70000, cols = 8;
    const std::vector<float> xv = random_floats(static_cast<std::size_t>(rows * cols), 41);
    const std::vector<float> wv = random_floats(static_cast<std::size_t>(cols), 42);
    const std::vector<float> table = random_floats(40 * 32, 43);
    std::vector<std::int32_t> ids(static_cast<std::size_t>(rows));
    for (std::size_t i = 0; i < ids.size(); ++i) ids[i] = static_cast<std::int32_t>((i * 7) % 40);
    std::map<std::string, std::vector<float>> got[2];
    for (int k = 0; k < 2; ++k) {
        Backend& be = k == 0 ? *b : *cpu;
        const Tensor x = upload_f32(be, xv, rows, cols), w = upload_f32(be, wv, 1, cols);
        const Tensor out = be.alloc(DType::F32, rows, cols);
        be.rms_norm(x, w, 1e-5f, out);
        got[k]["rms_norm"] = download_f32(be, out);
        be.add(x, out, out);
        got[k]["add"] = download_f32(be, out);
        be.copy(x, out);
        got[k]["copy"] = download_f32(be, out);
        const Tensor t = upload_f32(be, table, 40, 32), looked = be.alloc(DType::F32, rows, 32);
        be.get_rows(t, upload_ids(be, ids), looked);
        got[k]["get_rows"] = download_f32(be, looked);
        // Attention: 520 query rows of 128 heads over one 16-wide K/V head, positions 0..519.
        const int heads = 128, hd = 16;
        const std::int64_t n = 520;
        const Tensor q = upload_f32(be, random_floats(static_cast<std::size_t>(n * heads * hd), 44), n, heads * hd);
        const Tensor kc = upload_f32(be, random_floats(static_cast<std::size_t>(n * hd), 45), n, hd);
        const Tensor vc = upload_f32(be, random_floats(static_cast<std::size_t>(n * hd), 46), n, hd);
        const Tensor att = be.alloc(DType::F32, n, heads * hd);
        be.attention(q, kc, vc, upload_positions(be, 0, n), {heads, 1, hd, 0.0f}, att);
        got[k]["attention"] = download_f32(be, att);
    }
    for (const auto& [op, v] : got[0]) {
        ASSERT_EQ(v.size(), got[1][op].size()) << op;
        EXPECT_LT(nmse(v, got[1][op]), 1e-10) << op;
    }
}

// A second backend on the first Vulkan device, told it can allocate at most `bytes` at once
// (as a GPU's maxMemoryAllocationSize); nullptr where that device is unusable or reports none.
std::unique_ptr<vk::VulkanBackend> backend_allocating_at_most(std::uint64_t bytes) {
    std::string why;
    vk::Instance* inst = vk::Instance::get(&why);
    if (!inst || inst->devices.empty() || !inst->devices.front().usable(nullptr)) return nullptr;
    vk::PhysicalDevice small = inst->devices.front();
    if (small.max_allocation_bytes == 0) return nullptr;
    small.max_allocation_bytes = bytes;
    return std::make_unique<vk::VulkanBackend>(*inst, small);
}

// A tensor larger than the device's largest allocation (maxMemoryAllocationSize /
// maxBufferSize: 2 to 4 GiB on many GPUs) is refused with the sizes, before the driver is asked;
// smaller ones still work. The device here is lavapipe told its limit is 1 MiB.
TEST(VulkanBackend, ATensorPastTheLargestAllocationIsRefusedWithTheSizes) {
    VULKAN_OR_SKIP(b);
    auto limited_backend = backend_allocating_at_most(1 << 20);
    if (!limited_backend) GTEST_SKIP() << "the first Vulkan device is not usable or reports no allocation limit";
    vk::VulkanBackend& limited = *limited_backend;
    const Tensor fits = limited.alloc(DType::F32, 256, 1024);  // exactly 1 MiB
    limited.release(fits);
    try {
        limited.alloc(DType::F32, 512, 1024);
        FAIL() << "a tensor over the limit was allocated";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("of 2.0 MiB is larger than the 1.0 MiB"), std::string::npos) << e.what();
    }
    const std::vector<std::uint8_t> w = random_weights(DType::F16, 1024, 1024, 3);  // 2 MiB of weights
    EXPECT_THROW(limited.map_weights(w.data(), DType::F16, 1024, 1024), Error);
}

// The device name says which matmul paths run (as the CPU's names its kernel table), so a
// benchmark's "backend" line tells an f32 run from an 8-bit one.
TEST(VulkanBackend, ItsNameSaysWhichMatmulPathsRun) {
    VULKAN_OR_SKIP(b);
    vb->set_integer_dot(false);
    vb->set_float16_tiles(false);
    EXPECT_NE(b->device_name().find("(f32 matmuls)"), std::string::npos) << b->device_name();
    if (vb->set_integer_dot(true))
        EXPECT_NE(b->device_name().find("8-bit integer dot"), std::string::npos) << b->device_name();
    if (vb->set_float16_tiles(true))
        EXPECT_NE(b->device_name().find("f16 prompt tiles"), std::string::npos) << b->device_name();
}

// An op that fails part-way through a step (here a shape the backend refuses) leaves commands
// queued; discard() drops them, so they never run with a later step and their readback never
// writes into host memory the caller has since let go of.
TEST(VulkanBackend, ADiscardedStepRunsNothingAndReadsNothingBack) {
    VULKAN_OR_SKIP(b);
    const Tensor out = b->alloc(DType::F32, 1, 64);  // zero-filled
    const Tensor a = upload_f32(*b, std::vector<float>(64, 1.0f), 1, 64);
    b->finish();
    std::vector<float> host(64, -1.0f);
    b->add(a, a, out);                                  // queued
    b->download(out, host.data(), 64 * sizeof(float));  // queued readback into `host`
    const Tensor wrong = b->alloc(DType::F32, 1, 32);
    EXPECT_THROW(b->add(a, wrong, out), Error);  // the step fails here
    b->discard();
    b->finish();
    EXPECT_EQ(host, std::vector<float>(64, -1.0f)) << "a discarded readback wrote";
    EXPECT_EQ(download_f32(*b, out), std::vector<float>(64, 0.0f)) << "a discarded add ran";
    b->add(a, a, out);  // and the backend goes on
    EXPECT_EQ(download_f32(*b, out), std::vector<float>(64, 2.0f));
}

// Growing a scratch buffer or an upload arena past what the device can allocate fails with
// the reason and leaves the old one in place: the step is discarded and the next works. The
// device is lavapipe told it can allocate at most 1 MiB at once.
TEST(VulkanBackend, AGrowthTheDeviceRefusesLeavesTheBackendWorking) {
    VULKAN_OR_SKIP(b);
    auto limited_backend = backend_allocating_at_most(1 << 20);
    if (!limited_backend) GTEST_SKIP() << "the first Vulkan device is not usable or reports no allocation limit";
    vk::VulkanBackend& limited = *limited_backend;
    // Uploads: two of 0.75 MiB in one step outgrow the 1 MiB arena, which cannot double.
    const std::int64_t cols = 192 * 1024 / 4 * 4;  // 0.75 MiB of floats per row
    const Tensor t1 = limited.alloc(DType::F32, 1, cols), t2 = limited.alloc(DType::F32, 1, cols);
    const std::vector<float> v(static_cast<std::size_t>(cols), 3.0f);
    limited.upload(t1, v.data(), v.size() * sizeof(float));
    try {
        limited.upload(t2, v.data(), v.size() * sizeof(float));
        ADD_FAILURE() << "the 2 MiB upload arena was allocated";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("larger than the 1.0 MiB"), std::string::npos) << e.what();
    }
    limited.discard();
    limited.upload(t2, v.data(), v.size() * sizeof(float));
    EXPECT_EQ(download_f32(limited, t2), v);
    // Split attention's scratch: 128 heads x 32 splits x 66 floats (1.03 MiB) over an F16 cache
    // of 8192 rows (exactly 1 MiB) cannot be had; 64 heads' (0.52 MiB) can, before and after.
    const int hd = 64;
    const std::int64_t ctx = 8192;
    const Tensor kc = limited.alloc(DType::F16, ctx, hd), vc = limited.alloc(DType::F16, ctx, hd);
    const StepPositions pos = upload_positions(limited, static_cast<int>(ctx - 1), 1);
    auto attend = [&](int heads) {
        const Tensor q = upload_f32(limited, random_floats(static_cast<std::size_t>(heads * hd), 8), 1, heads * hd);
        const Tensor o = limited.alloc(DType::F32, 1, heads * hd);
        limited.attention(q, kc, vc, pos, {heads, 1, hd, 0.0f}, o);
        return download_f32(limited, o);
    };
    const std::vector<float> before = attend(64);
    try {
        attend(128);
        ADD_FAILURE() << "the 1.03 MiB scratch buffer was allocated";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("larger than the 1.0 MiB"), std::string::npos) << e.what();
    }
    limited.discard();
    EXPECT_EQ(attend(64), before) << "the scratch buffer was lost with the failed growth";
}

TEST(VulkanBackend, SupportsExactlyTheFormatsItHasShadersFor) {
    VULKAN_OR_SKIP(b);
    for (DType t : kWeightTypes) {
        EXPECT_TRUE(b->supports(BackendOp::MatMul, t)) << to_string(t);
        EXPECT_TRUE(b->supports(BackendOp::GetRows, t)) << to_string(t);
        EXPECT_TRUE(b->supports(BackendOp::MatMulId, t)) << to_string(t);  // the same weight shaders
    }
    // Activation-only formats are never weights in a file: no shader, refused with the reason.
    for (DType t : {DType::Q8_1, DType::Q8_K}) {
        EXPECT_FALSE(b->supports(BackendOp::MatMul, t)) << to_string(t);
        EXPECT_FALSE(b->supports(BackendOp::MatMulId, t)) << to_string(t);
        const std::vector<std::uint8_t> w(row_bytes(t, 256) * 2);
        EXPECT_THROW(b->map_weights(w.data(), t, 2, 256), ponder::Error) << to_string(t);
    }
    for (DType t : {DType::F32, DType::F16, DType::Q8_0}) {
        EXPECT_TRUE(b->supports(BackendOp::StoreKv, t));
        EXPECT_TRUE(b->supports(BackendOp::Attention, t));
    }
    // deepseek2's activation ops (backend_moe_mla_test runs them).
    for (BackendOp op : {BackendOp::RopeScaled, BackendOp::MoeRoute, BackendOp::MoeCombine})
        EXPECT_TRUE(b->supports(op, DType::F32)) << to_string(op);
}

// The row chunks of TablesLargerThanOneBindingAreReadInChunks for every format, on small tensors:
// bindings of 4 to 5 rows (4.5 rows past the alignment), so every chunk after the first starts at
// a byte offset that is not a multiple of the binding alignment (rows of 110, 22 or 20 bytes) and
// the last chunk is short. Chunking changes no arithmetic: results must be bit-identical to one
// binding. (One backend for both runs: lavapipe compiles each pipeline once, seconds apiece.)
TEST(VulkanBackend, EveryFormatIsWalkedInRowChunksBitIdentically) {
    VULKAN_OR_SKIP(b);
    const std::int64_t rows = 37, cols = 512, tokens = 3;
    const Tensor x = upload_f32(*b, random_floats(static_cast<std::size_t>(tokens * cols), 11), tokens, cols);
    const std::vector<std::int32_t> ids = {36, 0, 4, 5, 17, 33};
    const Tensor id_tensor = upload_ids(*b, ids);
    for (DType t : kWeightTypes) {
        const auto data = random_weights(t, rows, cols, 321 + static_cast<int>(t));
        const Tensor w = b->map_weights(data.data(), t, rows, cols);
        const Tensor out = b->alloc(DType::F32, tokens, rows);
        const Tensor rows_out = b->alloc(DType::F32, static_cast<std::int64_t>(ids.size()), cols);
        std::vector<float> got[2], lookups[2];
        for (int k = 0; k < 2; ++k) {
            const std::uint64_t row = row_bytes(t, cols);
            // k = 0: bindings of 4 to 5 rows (alignment at most 256); k = 1: the device's own limit.
            vb->set_weight_binding_limit(k == 0 ? 256 + 4 * row + row / 2 : ~std::uint64_t{0});
            b->matmul(w, x, out);
            b->get_rows(w, id_tensor, rows_out);
            got[k] = download_f32(*b, out);
            lookups[k] = download_f32(*b, rows_out);
        }
        EXPECT_EQ(got[0], got[1]) << to_string(t);
        EXPECT_EQ(lookups[0], lookups[1]) << to_string(t);
        // And they are the right rows: the lookups equal the reference dequantization.
        const std::vector<float> wf = dequantized(t, data, rows, cols);
        for (std::size_t i = 0; i < ids.size(); ++i)
            for (std::int64_t c = 0; c < cols; ++c) {
                const float want = wf[static_cast<std::size_t>(ids[i] * cols + c)];
                ASSERT_NEAR(lookups[0][i * cols + static_cast<std::size_t>(c)], want,
                            1e-6f * std::max(1.0f, std::abs(want)))
                    << to_string(t) << " id " << ids[i] << " col " << c;
            }
        for (const Tensor& tensor : {w, out, rows_out}) b->release(tensor);
    }
}

// quantize_x8.comp rounds activations to Q8_K for the formats takes_q8k_activations() names and
// to Q8_K's 32-value sibling Q8_0 for the others, because the CPU's integer kernels do: the two
// backends then agree on the integer sums. Checked against every CPU kernel table this machine
// can run (the scalar one has no integer kernels). Needs no Vulkan device.
TEST(VulkanBackend, RoundsActivationsAsTheCpuIntegerKernelsDo) {
    int checked = 0;
    for (const cpu::KernelSet* ks : cpu::usable_kernel_sets())
        for (DType t : kWeightTypes) {
            const DType act = ks->weights[static_cast<int>(t)].act;
            if (act != DType::Q8_0 && act != DType::Q8_K) continue;  // float activations
            EXPECT_EQ(act == DType::Q8_K, takes_q8k_activations(t)) << ks->name << " " << to_string(t);
            ++checked;
        }
    if (checked == 0) GTEST_SKIP() << "no CPU kernel table with integer kernels on this machine (scalar only)";
}

// The integer-dot kernels (matvec_int8.comp for one token, matmul_tiled_int8.comp for prompts):
// for every quantized format, one token and 21 tokens against the reference on the dequantized
// weights and on x quantized as the CPU backend quantizes it for its integer kernels
// (quantize_row_q8_0 / quantize_row_q8_K: the device must round the same bytes and scales). The
// integer sums are exact, so the two agree to float rounding (NMSE ~1e-14); a misplaced nibble,
// bit, scale or min gives ~1e-3 or more, and so does a scale block of the wrong size. The
// weights are walked in row chunks too, as a large tensor is; and the f32 one-token path, which
// devices without the integer dot take, is held to the f32 reference. matmul_id's one-token
// build (X_INT8) runs the same rows.
TEST(VulkanBackend, IntegerDotMatmulsMatchTheReferenceOnEightBitActivations) {
    VULKAN_OR_SKIP(b);
    if (!vb->set_integer_dot(true)) GTEST_SKIP() << b->name() << " has no shaderIntegerDotProduct";
    // 70 rows and 21 tokens: whole and partial 64 x 16 prompt tiles.
    const std::int64_t rows = 70, cols = 768, tokens = 21;
    const std::vector<float> x = random_floats(static_cast<std::size_t>(tokens * cols), 23);
    // x as the CPU's integer kernels see it (its quantizers, quant/quantize.cpp), row by row:
    // Q8_0 for the formats with 32-value blocks, Q8_K for the K-quants and IQ4_XS.
    std::vector<double> x_q8_0(x.size()), x_q8_k(x.size());
    for (std::int64_t t = 0; t < tokens; ++t) {
        std::vector<block_q8_0> b0(static_cast<std::size_t>(cols / 32));
        std::vector<block_q8_K> bk(static_cast<std::size_t>(cols / 256));
        const float* row = x.data() + t * cols;
        quantize_row_q8_0(row, b0.data(), cols);
        quantize_row_q8_K(row, bk.data(), cols);
        for (std::size_t i = 0; i < static_cast<std::size_t>(cols); ++i) {
            const std::size_t at = static_cast<std::size_t>(t * cols) + i;
            x_q8_0[at] = static_cast<double>(fp16_to_f32(b0[i / 32].d)) * b0[i / 32].qs[i % 32];
            x_q8_k[at] = static_cast<double>(bk[i / 256].d) * bk[i / 256].qs[i % 256];
        }
    }
    const Tensor xt = upload_f32(*b, x, tokens, cols);
    const Tensor x1 = upload_f32(*b, std::vector<float>(x.begin(), x.begin() + cols), 1, cols);
    for (DType t : kWeightTypes) {
        if (t == DType::F32 || t == DType::F16 || t == DType::BF16) continue;  // no integer form
        const std::vector<double>& xq = takes_q8k_activations(t) ? x_q8_k : x_q8_0;
        const auto data = random_weights(t, rows, cols, 900 + static_cast<int>(t));
        const std::vector<float> wf = dequantized(t, data, rows, cols);
        std::vector<float> ref(static_cast<std::size_t>(tokens * rows)), ref_f32(static_cast<std::size_t>(rows));
        for (std::int64_t k = 0; k < tokens; ++k)
            for (std::int64_t r = 0; r < rows; ++r) {
                double acc = 0, acc_f32 = 0;
                for (std::int64_t i = 0; i < cols; ++i) {
                    const double wv = wf[static_cast<std::size_t>(r * cols + i)];
                    acc += wv * xq[static_cast<std::size_t>(k * cols + i)];
                    acc_f32 += wv * x[static_cast<std::size_t>(k * cols + i)];
                }
                ref[static_cast<std::size_t>(k * rows + r)] = static_cast<float>(acc);
                if (k == 0) ref_f32[static_cast<std::size_t>(r)] = static_cast<float>(acc_f32);
            }
        const std::vector<float> ref1(ref.begin(), ref.begin() + rows);
        const Tensor w = b->map_weights(data.data(), t, rows, cols);
        const Tensor out = b->alloc(DType::F32, tokens, rows), out1 = b->alloc(DType::F32, 1, rows);
        std::vector<float> got[2], got1[2];
        for (int k = 0; k < 2; ++k) {
            // k = 0: bindings of 4 to 5 rows, as a tensor larger than one binding is walked.
            const std::uint64_t row = row_bytes(t, cols);
            vb->set_weight_binding_limit(k == 0 ? 256 + 4 * row + row / 2 : ~std::uint64_t{0});
            b->matmul(w, x1, out1);  // matvec_int8.comp
            b->matmul(w, xt, out);   // matmul_tiled_int8.comp
            got1[k] = download_f32(*b, out1);
            got[k] = download_f32(*b, out);
        }
        EXPECT_LT(nmse(got1[1], ref1), 1e-10) << to_string(t) << ": one token";
        EXPECT_LT(nmse(got[1], ref), 1e-10) << to_string(t) << ": prompt tiles";
        EXPECT_EQ(got1[0], got1[1]) << to_string(t) << ": one token, row chunks";
        EXPECT_EQ(got[0], got[1]) << to_string(t) << ": prompt tiles, row chunks";
        // matmul_id's one-token build on the same 8-bit rows (generation's experts): the 70 rows
        // as 70 one-row experts, two of them chosen for the one x row.
        const Tensor ids = upload_ids(*b, {5, 61});
        const Tensor two = b->alloc(DType::F32, 2, 1);
        b->matmul_id(w, static_cast<int>(rows), x1, ids.reshape(1, 2), two);
        const std::vector<float> chosen = download_f32(*b, two), want = {ref[5], ref[61]};
        EXPECT_LT(nmse(chosen, want), 1e-10) << to_string(t) << ": matmul_id";
        // And its prompt build: every token's row against two experts (per_x = 2).
        std::vector<std::int32_t> many(static_cast<std::size_t>(2 * tokens));
        for (std::size_t i = 0; i < many.size(); ++i) many[i] = static_cast<std::int32_t>((i * 7 + 3) % rows);
        const Tensor many_ids = upload_ids(*b, many);
        const Tensor picked = b->alloc(DType::F32, 2 * tokens, 1);
        b->matmul_id(w, static_cast<int>(rows), xt, many_ids.reshape(tokens, 2), picked);
        std::vector<float> want_many(many.size());
        for (std::size_t i = 0; i < many.size(); ++i)
            want_many[i] = ref[(i / 2) * static_cast<std::size_t>(rows) + static_cast<std::size_t>(many[i])];
        EXPECT_LT(nmse(download_f32(*b, picked), want_many), 1e-10) << to_string(t) << ": matmul_id, prompt";
        // And it is the integer path that ran: the f32 one-token path (devices without the
        // integer dot) gives the f32 reference, from which the 8-bit rounding moves it (~1e-5).
        vb->set_integer_dot(false);
        b->matmul(w, x1, out1);
        const std::vector<float> f32_path = download_f32(*b, out1);
        EXPECT_LT(nmse(f32_path, ref_f32), 1e-10) << to_string(t) << ": f32 path";
        EXPECT_GT(nmse(got1[1], f32_path), 1e-8) << to_string(t);
        // matmul_id's f32 builds too (experts of one token, and of the prompt's first token).
        b->matmul_id(w, static_cast<int>(rows), x1, ids.reshape(1, 2), two);
        EXPECT_LT(nmse(download_f32(*b, two), {ref_f32[5], ref_f32[61]}), 1e-10) << to_string(t) << ": f32 matmul_id";
        b->matmul_id(w, static_cast<int>(rows), xt, many_ids.reshape(tokens, 2), picked);
        const std::vector<float> f32_many = download_f32(*b, picked);
        EXPECT_LT(nmse({f32_many[0], f32_many[1]},
                       {ref_f32[static_cast<std::size_t>(many[0])], ref_f32[static_cast<std::size_t>(many[1])]}),
                  1e-10)
            << to_string(t) << ": f32 matmul_id, prompt";
        vb->set_integer_dot(true);
        for (const Tensor& tensor : {w, out, out1, ids, two, many_ids, picked}) b->release(tensor);
    }
}

// Float rows need not be whole 32-value units (weights.glsl: the last unit is cut at cols):
// 70 and 33 columns, through matmul and get_rows, against the reference.
TEST(VulkanBackend, FloatRowsOfAnyLength) {
    VULKAN_OR_SKIP(b);
    for (DType t : {DType::F32, DType::F16, DType::BF16})
        for (std::int64_t cols : {std::int64_t{70}, std::int64_t{33}}) {
            const std::int64_t rows = 9, tokens = 3;
            const auto data = random_weights(t, rows, cols, 5);
            const auto wf = dequantized(t, data, rows, cols);
            const auto x = random_floats(static_cast<std::size_t>(tokens * cols), 6);
            const Tensor w = b->map_weights(data.data(), t, rows, cols);
            const Tensor out = b->alloc(DType::F32, tokens, rows);
            b->matmul(w, upload_f32(*b, x, tokens, cols), out);
            std::vector<float> ref(static_cast<std::size_t>(tokens * rows));
            for (std::int64_t k = 0; k < tokens; ++k)
                for (std::int64_t r = 0; r < rows; ++r) {
                    double acc = 0;
                    for (std::int64_t c = 0; c < cols; ++c)
                        acc += static_cast<double>(wf[static_cast<std::size_t>(r * cols + c)]) *
                               x[static_cast<std::size_t>(k * cols + c)];
                    ref[static_cast<std::size_t>(k * rows + r)] = static_cast<float>(acc);
                }
            EXPECT_LT(nmse(download_f32(*b, out), ref), 1e-10) << to_string(t) << " cols " << cols;
            const Tensor looked_up = b->alloc(DType::F32, 2, cols);
            b->get_rows(w, upload_ids(*b, {8, 2}), looked_up);
            const std::vector<float> got = download_f32(*b, looked_up);
            for (std::int64_t c = 0; c < cols; ++c) {
                ASSERT_EQ(got[static_cast<std::size_t>(c)], wf[static_cast<std::size_t>(8 * cols + c)])
                    << to_string(t) << " col " << c;
                ASSERT_EQ(got[static_cast<std::size_t>(cols + c)], wf[static_cast<std::size_t>(2 * cols + c)])
                    << to_string(t) << " col " << c;
            }
        }
}

}  // namespace
}  // namespace ponder::test
