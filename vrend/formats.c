/* SPDX-License-Identifier: MIT */
/*
 * virgl format -> GL table. Byte layouts follow Gallium naming: array formats
 * list channels from the lowest address, packed formats from the least
 * significant bit (B5G6R5: B in bits 0..4). Upload format/type pairs are chosen
 * so that guest bytes go to GL unchanged; where GL has no such layout the channels
 * are swizzled on sampling (EMULATED) or the bytes are converted (CONVERT).
 */
#include "formats.h"

#include <drm_fourcc.h>
#include <epoxy/gl.h>
#include <stddef.h>

#define ID_SWZ .swizzle = {VREND_SWZ_R, VREND_SWZ_G, VREND_SWZ_B, VREND_SWZ_A}
#define SWZ(r_, g_, b_, a_)                                                                        \
	.swizzle = {VREND_SWZ_##r_, VREND_SWZ_##g_, VREND_SWZ_##b_, VREND_SWZ_##a_}

/* Plain: GL stores the channels as the guest does. */
#define P(i_, f_, t_, bytes_, fl_)                                                                 \
	.internal_format = (i_), .format = (f_), .type = (t_), .flags = (fl_), ID_SWZ,             \
	.block_w = 1, .block_h = 1, .block_bytes = (bytes_)
/* Swizzle-emulated: sampling reads GL channels r_, g_, b_, a_ (or 0 / 1). */
#define S(i_, f_, t_, bytes_, fl_, r_, g_, b_, a_)                                                 \
	.internal_format = (i_), .format = (f_), .type = (t_),                                     \
	.flags = (fl_) | VREND_FMT_EMULATED, SWZ(r_, g_, b_, a_), .block_w = 1, .block_h = 1,      \
	.block_bytes = (bytes_)
/* Block compressed. */
#define C(i_, bw_, bh_, bytes_, fl_)                                                               \
	.internal_format = (i_), .flags = (fl_) | VREND_FMT_COMPRESSED, ID_SWZ, .block_w = (bw_),  \
	.block_h = (bh_), .block_bytes = (bytes_)
#define CS(i_, bytes_, r_, g_, b_, a_)                                                             \
	.internal_format = (i_), .flags = VREND_FMT_COMPRESSED | VREND_FMT_EMULATED,               \
	SWZ(r_, g_, b_, a_), .block_w = 4, .block_h = 4, .block_bytes = (bytes_)

#define RT VREND_FMT_RENDER
#define INT (VREND_FMT_INTEGER | VREND_FMT_RENDER)
#define SRGB VREND_FMT_SRGB
#define Z VREND_FMT_DEPTH
#define ST VREND_FMT_STENCIL
#define CONV VREND_FMT_CONVERT

#define UB GL_UNSIGNED_BYTE
#define SB GL_BYTE
#define US GL_UNSIGNED_SHORT
#define SS GL_SHORT
#define UI GL_UNSIGNED_INT
#define SI GL_INT
#define HF GL_HALF_FLOAT
#define FL GL_FLOAT
#define U8888 GL_UNSIGNED_INT_8_8_8_8

static const struct vrend_format table[VFMT_COUNT] = {
    /* 8-bit RGBA family */
    [VFMT_B8G8R8A8_UNORM] = {P(GL_RGBA8, GL_BGRA, UB, 4, RT), .drm_fourcc = DRM_FORMAT_ARGB8888},
    [VFMT_B8G8R8X8_UNORM] = {S(GL_RGBA8, GL_BGRA, UB, 4, RT, R, G, B, 1),
                             .drm_fourcc = DRM_FORMAT_XRGB8888},
    [VFMT_A8R8G8B8_UNORM] = {P(GL_RGBA8, GL_BGRA, U8888, 4, RT), .drm_fourcc = DRM_FORMAT_BGRA8888},
    [VFMT_X8R8G8B8_UNORM] = {S(GL_RGBA8, GL_BGRA, U8888, 4, RT, R, G, B, 1),
                             .drm_fourcc = DRM_FORMAT_BGRX8888},
    [VFMT_R8G8B8A8_UNORM] = {P(GL_RGBA8, GL_RGBA, UB, 4, RT), .drm_fourcc = DRM_FORMAT_ABGR8888},
    [VFMT_X8B8G8R8_UNORM] = {S(GL_RGBA8, GL_RGBA, U8888, 4, RT, R, G, B, 1),
                             .drm_fourcc = DRM_FORMAT_RGBX8888},
    [VFMT_A8B8G8R8_UNORM] = {P(GL_RGBA8, GL_RGBA, U8888, 4, RT), .drm_fourcc = DRM_FORMAT_RGBA8888},
    [VFMT_R8G8B8X8_UNORM] = {S(GL_RGBA8, GL_RGBA, UB, 4, RT, R, G, B, 1),
                             .drm_fourcc = DRM_FORMAT_XBGR8888},
    [VFMT_R8G8B8A8_SNORM] = {P(GL_RGBA8_SNORM, GL_RGBA, SB, 4, RT)},
    [VFMT_R8G8B8X8_SNORM] = {S(GL_RGBA8_SNORM, GL_RGBA, SB, 4, RT, R, G, B, 1)},
    [VFMT_B8G8R8A8_SNORM] = {P(GL_RGBA8_SNORM, GL_BGRA, SB, 4, RT)},
    [VFMT_B8G8R8X8_SNORM] = {S(GL_RGBA8_SNORM, GL_BGRA, SB, 4, RT, R, G, B, 1)},
    [VFMT_A8B8G8R8_SNORM] = {S(GL_RGBA8_SNORM, GL_RGBA, SB, 4, 0, A, B, G, R)},
    [VFMT_X8B8G8R8_SNORM] = {S(GL_RGBA8_SNORM, GL_RGBA, SB, 4, 0, A, B, G, 1)},
    [VFMT_A8R8G8B8_SNORM] = {S(GL_RGBA8_SNORM, GL_RGBA, SB, 4, 0, G, B, A, R)},
    [VFMT_X8R8G8B8_SNORM] = {S(GL_RGBA8_SNORM, GL_RGBA, SB, 4, 0, G, B, A, 1)},
    [VFMT_R8G8B8_UNORM] = {P(GL_RGB8, GL_RGB, UB, 3, RT), .drm_fourcc = DRM_FORMAT_BGR888},
    [VFMT_B8G8R8_UNORM] = {P(GL_RGB8, GL_BGR, UB, 3, RT), .drm_fourcc = DRM_FORMAT_RGB888},
    [VFMT_R8G8B8_SNORM] = {P(GL_RGB8_SNORM, GL_RGB, SB, 3, RT)},
    [VFMT_B8G8R8_SNORM] = {P(GL_RGB8_SNORM, GL_BGR, SB, 3, RT)},
    [VFMT_R8G8_UNORM] = {P(GL_RG8, GL_RG, UB, 2, RT), .drm_fourcc = DRM_FORMAT_GR88},
    [VFMT_R8G8_SNORM] = {P(GL_RG8_SNORM, GL_RG, SB, 2, RT)},
    [VFMT_G8R8_UNORM] = {S(GL_RG8, GL_RG, UB, 2, 0, G, R, 0, 1)},
    [VFMT_G8R8_SNORM] = {S(GL_RG8_SNORM, GL_RG, SB, 2, 0, G, R, 0, 1)},
    [VFMT_R8_UNORM] = {P(GL_R8, GL_RED, UB, 1, RT), .drm_fourcc = DRM_FORMAT_R8},
    [VFMT_R8_SNORM] = {P(GL_R8_SNORM, GL_RED, SB, 1, RT)},

    /* sRGB */
    [VFMT_R8G8B8A8_SRGB] = {P(GL_SRGB8_ALPHA8, GL_RGBA, UB, 4, RT | SRGB)},
    [VFMT_R8G8B8X8_SRGB] = {S(GL_SRGB8_ALPHA8, GL_RGBA, UB, 4, RT | SRGB, R, G, B, 1)},
    [VFMT_B8G8R8A8_SRGB] = {P(GL_SRGB8_ALPHA8, GL_BGRA, UB, 4, RT | SRGB)},
    [VFMT_B8G8R8X8_SRGB] = {S(GL_SRGB8_ALPHA8, GL_BGRA, UB, 4, RT | SRGB, R, G, B, 1)},
    [VFMT_A8B8G8R8_SRGB] = {P(GL_SRGB8_ALPHA8, GL_RGBA, U8888, 4, RT | SRGB)},
    [VFMT_X8B8G8R8_SRGB] = {S(GL_SRGB8_ALPHA8, GL_RGBA, U8888, 4, RT | SRGB, R, G, B, 1)},
    [VFMT_A8R8G8B8_SRGB] = {P(GL_SRGB8_ALPHA8, GL_BGRA, U8888, 4, RT | SRGB)},
    [VFMT_X8R8G8B8_SRGB] = {S(GL_SRGB8_ALPHA8, GL_BGRA, U8888, 4, RT | SRGB, R, G, B, 1)},
    [VFMT_R8G8B8_SRGB] = {P(GL_SRGB8, GL_RGB, UB, 3, RT | SRGB)},
    [VFMT_B8G8R8_SRGB] = {P(GL_SRGB8, GL_BGR, UB, 3, RT | SRGB)},
    /* One or two channels uploaded into an sRGB RGB texture: G/B read 0, A 1. */
    [VFMT_R8_SRGB] = {P(GL_SRGB8, GL_RED, UB, 1, SRGB)},
    [VFMT_R8G8_SRGB] = {P(GL_SRGB8, GL_RG, UB, 2, SRGB)},
    [VFMT_L8_SRGB] = {S(GL_SRGB8, GL_RED, UB, 1, SRGB, R, R, R, 1)},

    /* Packed 16-bit */
    [VFMT_B5G6R5_UNORM] = {P(GL_RGB565, GL_RGB, GL_UNSIGNED_SHORT_5_6_5, 2, RT),
                           .drm_fourcc = DRM_FORMAT_RGB565},
    [VFMT_R5G6B5_UNORM] = {P(GL_RGB565, GL_RGB, GL_UNSIGNED_SHORT_5_6_5_REV, 2, RT),
                           .drm_fourcc = DRM_FORMAT_BGR565},
    [VFMT_B5G5R5A1_UNORM] = {P(GL_RGB5_A1, GL_BGRA, GL_UNSIGNED_SHORT_1_5_5_5_REV, 2, RT),
                             .drm_fourcc = DRM_FORMAT_ARGB1555},
    [VFMT_B5G5R5X1_UNORM] = {S(GL_RGB5_A1, GL_BGRA, GL_UNSIGNED_SHORT_1_5_5_5_REV, 2, RT, R, G, B,
                               1),
                             .drm_fourcc = DRM_FORMAT_XRGB1555},
    [VFMT_R5G5B5A1_UNORM] = {P(GL_RGB5_A1, GL_RGBA, GL_UNSIGNED_SHORT_1_5_5_5_REV, 2, RT),
                             .drm_fourcc = DRM_FORMAT_ABGR1555},
    [VFMT_R5G5B5X1_UNORM] = {S(GL_RGB5_A1, GL_RGBA, GL_UNSIGNED_SHORT_1_5_5_5_REV, 2, RT, R, G, B,
                               1),
                             .drm_fourcc = DRM_FORMAT_XBGR1555},
    [VFMT_A1B5G5R5_UNORM] = {P(GL_RGB5_A1, GL_RGBA, GL_UNSIGNED_SHORT_5_5_5_1, 2, RT),
                             .drm_fourcc = DRM_FORMAT_RGBA5551},
    [VFMT_X1B5G5R5_UNORM] = {S(GL_RGB5_A1, GL_RGBA, GL_UNSIGNED_SHORT_5_5_5_1, 2, RT, R, G, B, 1),
                             .drm_fourcc = DRM_FORMAT_RGBX5551},
    [VFMT_A1R5G5B5_UNORM] = {P(GL_RGB5_A1, GL_BGRA, GL_UNSIGNED_SHORT_5_5_5_1, 2, RT),
                             .drm_fourcc = DRM_FORMAT_BGRA5551},
    [VFMT_X1R5G5B5_UNORM] = {S(GL_RGB5_A1, GL_BGRA, GL_UNSIGNED_SHORT_5_5_5_1, 2, RT, R, G, B, 1),
                             .drm_fourcc = DRM_FORMAT_BGRX5551},
    [VFMT_B4G4R4A4_UNORM] = {P(GL_RGBA4, GL_BGRA, GL_UNSIGNED_SHORT_4_4_4_4_REV, 2, RT),
                             .drm_fourcc = DRM_FORMAT_ARGB4444},
    [VFMT_B4G4R4X4_UNORM] = {S(GL_RGBA4, GL_BGRA, GL_UNSIGNED_SHORT_4_4_4_4_REV, 2, RT, R, G, B, 1),
                             .drm_fourcc = DRM_FORMAT_XRGB4444},
    [VFMT_R4G4B4A4_UNORM] = {P(GL_RGBA4, GL_RGBA, GL_UNSIGNED_SHORT_4_4_4_4_REV, 2, RT),
                             .drm_fourcc = DRM_FORMAT_ABGR4444},
    [VFMT_R4G4B4X4_UNORM] = {S(GL_RGBA4, GL_RGBA, GL_UNSIGNED_SHORT_4_4_4_4_REV, 2, RT, R, G, B, 1),
                             .drm_fourcc = DRM_FORMAT_XBGR4444},
    [VFMT_A4B4G4R4_UNORM] = {P(GL_RGBA4, GL_RGBA, GL_UNSIGNED_SHORT_4_4_4_4, 2, RT),
                             .drm_fourcc = DRM_FORMAT_RGBA4444},
    [VFMT_A4R4G4B4_UNORM] = {P(GL_RGBA4, GL_BGRA, GL_UNSIGNED_SHORT_4_4_4_4, 2, RT),
                             .drm_fourcc = DRM_FORMAT_BGRA4444},

    /* Packed 8-bit */
    [VFMT_B2G3R3_UNORM] = {P(GL_R3_G3_B2, GL_RGB, GL_UNSIGNED_BYTE_3_3_2, 1, RT),
                           .drm_fourcc = DRM_FORMAT_RGB332},
    [VFMT_R3G3B2_UNORM] = {P(GL_R3_G3_B2, GL_RGB, GL_UNSIGNED_BYTE_2_3_3_REV, 1, RT),
                           .drm_fourcc = DRM_FORMAT_BGR233},

    /* Packed 32-bit */
    [VFMT_R10G10B10A2_UNORM] = {P(GL_RGB10_A2, GL_RGBA, GL_UNSIGNED_INT_2_10_10_10_REV, 4, RT),
                                .drm_fourcc = DRM_FORMAT_ABGR2101010},
    [VFMT_R10G10B10X2_UNORM] = {S(GL_RGB10_A2, GL_RGBA, GL_UNSIGNED_INT_2_10_10_10_REV, 4, RT, R, G,
                                  B, 1),
                                .drm_fourcc = DRM_FORMAT_XBGR2101010},
    [VFMT_B10G10R10A2_UNORM] = {P(GL_RGB10_A2, GL_BGRA, GL_UNSIGNED_INT_2_10_10_10_REV, 4, RT),
                                .drm_fourcc = DRM_FORMAT_ARGB2101010},
    [VFMT_B10G10R10X2_UNORM] = {S(GL_RGB10_A2, GL_BGRA, GL_UNSIGNED_INT_2_10_10_10_REV, 4, RT, R, G,
                                  B, 1),
                                .drm_fourcc = DRM_FORMAT_XRGB2101010},
    [VFMT_A2B10G10R10_UNORM] = {P(GL_RGB10_A2, GL_RGBA, GL_UNSIGNED_INT_10_10_10_2, 4, RT),
                                .drm_fourcc = DRM_FORMAT_RGBA1010102},
    [VFMT_A2R10G10B10_UNORM] = {P(GL_RGB10_A2, GL_BGRA, GL_UNSIGNED_INT_10_10_10_2, 4, RT),
                                .drm_fourcc = DRM_FORMAT_BGRA1010102},
    [VFMT_R10G10B10A2_UINT] = {P(GL_RGB10_A2UI, GL_RGBA_INTEGER, GL_UNSIGNED_INT_2_10_10_10_REV, 4,
                                 INT)},
    [VFMT_B10G10R10A2_UINT] = {P(GL_RGB10_A2UI, GL_BGRA_INTEGER, GL_UNSIGNED_INT_2_10_10_10_REV, 4,
                                 INT)},
    [VFMT_A2B10G10R10_UINT] = {P(GL_RGB10_A2UI, GL_RGBA_INTEGER, GL_UNSIGNED_INT_10_10_10_2, 4,
                                 INT)},
    [VFMT_A2R10G10B10_UINT] = {P(GL_RGB10_A2UI, GL_BGRA_INTEGER, GL_UNSIGNED_INT_10_10_10_2, 4,
                                 INT)},
    [VFMT_R11G11B10_FLOAT] = {P(GL_R11F_G11F_B10F, GL_RGB, GL_UNSIGNED_INT_10F_11F_11F_REV, 4, RT)},
    [VFMT_R9G9B9E5_FLOAT] = {P(GL_RGB9_E5, GL_RGB, GL_UNSIGNED_INT_5_9_9_9_REV, 4, RT)},

    /* 16-bit normalised */
    [VFMT_R16_UNORM] = {P(GL_R16, GL_RED, US, 2, RT), .drm_fourcc = DRM_FORMAT_R16},
    [VFMT_R16G16_UNORM] = {P(GL_RG16, GL_RG, US, 4, RT), .drm_fourcc = DRM_FORMAT_GR1616},
    [VFMT_R16G16B16_UNORM] = {P(GL_RGB16, GL_RGB, US, 6, RT)},
    [VFMT_R16G16B16A16_UNORM] = {P(GL_RGBA16, GL_RGBA, US, 8, RT),
                                 .drm_fourcc = DRM_FORMAT_ABGR16161616},
    [VFMT_R16G16B16X16_UNORM] = {S(GL_RGBA16, GL_RGBA, US, 8, RT, R, G, B, 1),
                                 .drm_fourcc = DRM_FORMAT_XBGR16161616},
    [VFMT_R16_SNORM] = {P(GL_R16_SNORM, GL_RED, SS, 2, RT)},
    [VFMT_R16G16_SNORM] = {P(GL_RG16_SNORM, GL_RG, SS, 4, RT)},
    [VFMT_R16G16B16_SNORM] = {P(GL_RGB16_SNORM, GL_RGB, SS, 6, RT)},
    [VFMT_R16G16B16A16_SNORM] = {P(GL_RGBA16_SNORM, GL_RGBA, SS, 8, RT)},
    [VFMT_R16G16B16X16_SNORM] = {S(GL_RGBA16_SNORM, GL_RGBA, SS, 8, RT, R, G, B, 1)},
    [VFMT_G16R16_UNORM] = {S(GL_RG16, GL_RG, US, 4, 0, G, R, 0, 1)},
    [VFMT_G16R16_SNORM] = {S(GL_RG16_SNORM, GL_RG, SS, 4, 0, G, R, 0, 1)},

    /* Float */
    [VFMT_R16_FLOAT] = {P(GL_R16F, GL_RED, HF, 2, RT)},
    [VFMT_R16G16_FLOAT] = {P(GL_RG16F, GL_RG, HF, 4, RT)},
    [VFMT_R16G16B16_FLOAT] = {P(GL_RGB16F, GL_RGB, HF, 6, RT)},
    [VFMT_R16G16B16A16_FLOAT] = {P(GL_RGBA16F, GL_RGBA, HF, 8, RT),
                                 .drm_fourcc = DRM_FORMAT_ABGR16161616F},
    [VFMT_R16G16B16X16_FLOAT] = {S(GL_RGBA16F, GL_RGBA, HF, 8, RT, R, G, B, 1),
                                 .drm_fourcc = DRM_FORMAT_XBGR16161616F},
    [VFMT_R32_FLOAT] = {P(GL_R32F, GL_RED, FL, 4, RT)},
    [VFMT_R32G32_FLOAT] = {P(GL_RG32F, GL_RG, FL, 8, RT)},
    [VFMT_R32G32B32_FLOAT] = {P(GL_RGB32F, GL_RGB, FL, 12, RT)},
    [VFMT_R32G32B32A32_FLOAT] = {P(GL_RGBA32F, GL_RGBA, FL, 16, RT)},
    [VFMT_R32G32B32X32_FLOAT] = {S(GL_RGBA32F, GL_RGBA, FL, 16, RT, R, G, B, 1)},

    /* Pure integer */
    [VFMT_R8_UINT] = {P(GL_R8UI, GL_RED_INTEGER, UB, 1, INT)},
    [VFMT_R8G8_UINT] = {P(GL_RG8UI, GL_RG_INTEGER, UB, 2, INT)},
    [VFMT_R8G8B8_UINT] = {P(GL_RGB8UI, GL_RGB_INTEGER, UB, 3, INT)},
    [VFMT_R8G8B8A8_UINT] = {P(GL_RGBA8UI, GL_RGBA_INTEGER, UB, 4, INT)},
    [VFMT_R8G8B8X8_UINT] = {S(GL_RGBA8UI, GL_RGBA_INTEGER, UB, 4, INT, R, G, B, 1)},
    [VFMT_B8G8R8_UINT] = {P(GL_RGB8UI, GL_BGR_INTEGER, UB, 3, INT)},
    [VFMT_B8G8R8A8_UINT] = {P(GL_RGBA8UI, GL_BGRA_INTEGER, UB, 4, INT)},
    [VFMT_B8G8R8X8_UINT] = {S(GL_RGBA8UI, GL_BGRA_INTEGER, UB, 4, INT, R, G, B, 1)},
    [VFMT_A8B8G8R8_UINT] = {P(GL_RGBA8UI, GL_RGBA_INTEGER, U8888, 4, INT)},
    [VFMT_A8R8G8B8_UINT] = {P(GL_RGBA8UI, GL_BGRA_INTEGER, U8888, 4, INT)},
    [VFMT_R8_SINT] = {P(GL_R8I, GL_RED_INTEGER, SB, 1, INT)},
    [VFMT_R8G8_SINT] = {P(GL_RG8I, GL_RG_INTEGER, SB, 2, INT)},
    [VFMT_R8G8B8_SINT] = {P(GL_RGB8I, GL_RGB_INTEGER, SB, 3, INT)},
    [VFMT_R8G8B8A8_SINT] = {P(GL_RGBA8I, GL_RGBA_INTEGER, SB, 4, INT)},
    [VFMT_R8G8B8X8_SINT] = {S(GL_RGBA8I, GL_RGBA_INTEGER, SB, 4, INT, R, G, B, 1)},
    [VFMT_B8G8R8_SINT] = {P(GL_RGB8I, GL_BGR_INTEGER, SB, 3, INT)},
    [VFMT_B8G8R8A8_SINT] = {P(GL_RGBA8I, GL_BGRA_INTEGER, SB, 4, INT)},
    [VFMT_B8G8R8X8_SINT] = {S(GL_RGBA8I, GL_BGRA_INTEGER, SB, 4, INT, R, G, B, 1)},
    [VFMT_A8B8G8R8_SINT] = {S(GL_RGBA8I, GL_RGBA_INTEGER, SB, 4, VREND_FMT_INTEGER, A, B, G, R)},
    [VFMT_X8B8G8R8_SINT] = {S(GL_RGBA8I, GL_RGBA_INTEGER, SB, 4, VREND_FMT_INTEGER, A, B, G, 1)},
    [VFMT_A8R8G8B8_SINT] = {S(GL_RGBA8I, GL_RGBA_INTEGER, SB, 4, VREND_FMT_INTEGER, G, B, A, R)},
    [VFMT_X8R8G8B8_SINT] = {S(GL_RGBA8I, GL_RGBA_INTEGER, SB, 4, VREND_FMT_INTEGER, G, B, A, 1)},
    [VFMT_G8R8_SINT] = {S(GL_RG8I, GL_RG_INTEGER, SB, 2, VREND_FMT_INTEGER, G, R, 0, 1)},
    [VFMT_R16_UINT] = {P(GL_R16UI, GL_RED_INTEGER, US, 2, INT)},
    [VFMT_R16G16_UINT] = {P(GL_RG16UI, GL_RG_INTEGER, US, 4, INT)},
    [VFMT_R16G16B16_UINT] = {P(GL_RGB16UI, GL_RGB_INTEGER, US, 6, INT)},
    [VFMT_R16G16B16A16_UINT] = {P(GL_RGBA16UI, GL_RGBA_INTEGER, US, 8, INT)},
    [VFMT_R16G16B16X16_UINT] = {S(GL_RGBA16UI, GL_RGBA_INTEGER, US, 8, INT, R, G, B, 1)},
    [VFMT_R16_SINT] = {P(GL_R16I, GL_RED_INTEGER, SS, 2, INT)},
    [VFMT_R16G16_SINT] = {P(GL_RG16I, GL_RG_INTEGER, SS, 4, INT)},
    [VFMT_R16G16B16_SINT] = {P(GL_RGB16I, GL_RGB_INTEGER, SS, 6, INT)},
    [VFMT_R16G16B16A16_SINT] = {P(GL_RGBA16I, GL_RGBA_INTEGER, SS, 8, INT)},
    [VFMT_R16G16B16X16_SINT] = {S(GL_RGBA16I, GL_RGBA_INTEGER, SS, 8, INT, R, G, B, 1)},
    [VFMT_G16R16_SINT] = {S(GL_RG16I, GL_RG_INTEGER, SS, 4, VREND_FMT_INTEGER, G, R, 0, 1)},
    [VFMT_R32_UINT] = {P(GL_R32UI, GL_RED_INTEGER, UI, 4, INT)},
    [VFMT_R32G32_UINT] = {P(GL_RG32UI, GL_RG_INTEGER, UI, 8, INT)},
    [VFMT_R32G32B32_UINT] = {P(GL_RGB32UI, GL_RGB_INTEGER, UI, 12, INT)},
    [VFMT_R32G32B32A32_UINT] = {P(GL_RGBA32UI, GL_RGBA_INTEGER, UI, 16, INT)},
    [VFMT_R32G32B32X32_UINT] = {S(GL_RGBA32UI, GL_RGBA_INTEGER, UI, 16, INT, R, G, B, 1)},
    [VFMT_R32_SINT] = {P(GL_R32I, GL_RED_INTEGER, SI, 4, INT)},
    [VFMT_R32G32_SINT] = {P(GL_RG32I, GL_RG_INTEGER, SI, 8, INT)},
    [VFMT_R32G32B32_SINT] = {P(GL_RGB32I, GL_RGB_INTEGER, SI, 12, INT)},
    [VFMT_R32G32B32A32_SINT] = {P(GL_RGBA32I, GL_RGBA_INTEGER, SI, 16, INT)},
    [VFMT_R32G32B32X32_SINT] = {S(GL_RGBA32I, GL_RGBA_INTEGER, SI, 16, INT, R, G, B, 1)},

    /* Luminance / alpha / intensity: one- or two-channel GL formats + swizzle */
    [VFMT_L8_UNORM] = {S(GL_R8, GL_RED, UB, 1, 0, R, R, R, 1)},
    [VFMT_A8_UNORM] = {S(GL_R8, GL_RED, UB, 1, 0, 0, 0, 0, R)},
    [VFMT_I8_UNORM] = {S(GL_R8, GL_RED, UB, 1, 0, R, R, R, R)},
    [VFMT_L8A8_UNORM] = {S(GL_RG8, GL_RG, UB, 2, 0, R, R, R, G)},
    [VFMT_R8A8_UNORM] = {S(GL_RG8, GL_RG, UB, 2, 0, R, 0, 0, G)},
    [VFMT_A8R8_UNORM] = {S(GL_RG8, GL_RG, UB, 2, 0, G, 0, 0, R)},
    [VFMT_L16_UNORM] = {S(GL_R16, GL_RED, US, 2, 0, R, R, R, 1)},
    [VFMT_A16_UNORM] = {S(GL_R16, GL_RED, US, 2, 0, 0, 0, 0, R)},
    [VFMT_I16_UNORM] = {S(GL_R16, GL_RED, US, 2, 0, R, R, R, R)},
    [VFMT_L16A16_UNORM] = {S(GL_RG16, GL_RG, US, 4, 0, R, R, R, G)},
    [VFMT_R16A16_UNORM] = {S(GL_RG16, GL_RG, US, 4, 0, R, 0, 0, G)},
    [VFMT_A8_SNORM] = {S(GL_R8_SNORM, GL_RED, SB, 1, 0, 0, 0, 0, R)},
    [VFMT_L8_SNORM] = {S(GL_R8_SNORM, GL_RED, SB, 1, 0, R, R, R, 1)},
    [VFMT_I8_SNORM] = {S(GL_R8_SNORM, GL_RED, SB, 1, 0, R, R, R, R)},
    [VFMT_L8A8_SNORM] = {S(GL_RG8_SNORM, GL_RG, SB, 2, 0, R, R, R, G)},
    [VFMT_R8A8_SNORM] = {S(GL_RG8_SNORM, GL_RG, SB, 2, 0, R, 0, 0, G)},
    [VFMT_A16_SNORM] = {S(GL_R16_SNORM, GL_RED, SS, 2, 0, 0, 0, 0, R)},
    [VFMT_L16_SNORM] = {S(GL_R16_SNORM, GL_RED, SS, 2, 0, R, R, R, 1)},
    [VFMT_I16_SNORM] = {S(GL_R16_SNORM, GL_RED, SS, 2, 0, R, R, R, R)},
    [VFMT_L16A16_SNORM] = {S(GL_RG16_SNORM, GL_RG, SS, 4, 0, R, R, R, G)},
    [VFMT_R16A16_SNORM] = {S(GL_RG16_SNORM, GL_RG, SS, 4, 0, R, 0, 0, G)},
    [VFMT_A16_FLOAT] = {S(GL_R16F, GL_RED, HF, 2, 0, 0, 0, 0, R)},
    [VFMT_L16_FLOAT] = {S(GL_R16F, GL_RED, HF, 2, 0, R, R, R, 1)},
    [VFMT_I16_FLOAT] = {S(GL_R16F, GL_RED, HF, 2, 0, R, R, R, R)},
    [VFMT_L16A16_FLOAT] = {S(GL_RG16F, GL_RG, HF, 4, 0, R, R, R, G)},
    [VFMT_R16A16_FLOAT] = {S(GL_RG16F, GL_RG, HF, 4, 0, R, 0, 0, G)},
    [VFMT_A32_FLOAT] = {S(GL_R32F, GL_RED, FL, 4, 0, 0, 0, 0, R)},
    [VFMT_L32_FLOAT] = {S(GL_R32F, GL_RED, FL, 4, 0, R, R, R, 1)},
    [VFMT_I32_FLOAT] = {S(GL_R32F, GL_RED, FL, 4, 0, R, R, R, R)},
    [VFMT_L32A32_FLOAT] = {S(GL_RG32F, GL_RG, FL, 8, 0, R, R, R, G)},
    [VFMT_R32A32_FLOAT] = {S(GL_RG32F, GL_RG, FL, 8, 0, R, 0, 0, G)},
    [VFMT_A8_UINT] = {S(GL_R8UI, GL_RED_INTEGER, UB, 1, VREND_FMT_INTEGER, 0, 0, 0, R)},
    [VFMT_I8_UINT] = {S(GL_R8UI, GL_RED_INTEGER, UB, 1, VREND_FMT_INTEGER, R, R, R, R)},
    [VFMT_L8_UINT] = {S(GL_R8UI, GL_RED_INTEGER, UB, 1, VREND_FMT_INTEGER, R, R, R, 1)},
    [VFMT_L8A8_UINT] = {S(GL_RG8UI, GL_RG_INTEGER, UB, 2, VREND_FMT_INTEGER, R, R, R, G)},
    [VFMT_R8A8_UINT] = {S(GL_RG8UI, GL_RG_INTEGER, UB, 2, VREND_FMT_INTEGER, R, 0, 0, G)},
    [VFMT_A8_SINT] = {S(GL_R8I, GL_RED_INTEGER, SB, 1, VREND_FMT_INTEGER, 0, 0, 0, R)},
    [VFMT_I8_SINT] = {S(GL_R8I, GL_RED_INTEGER, SB, 1, VREND_FMT_INTEGER, R, R, R, R)},
    [VFMT_L8_SINT] = {S(GL_R8I, GL_RED_INTEGER, SB, 1, VREND_FMT_INTEGER, R, R, R, 1)},
    [VFMT_L8A8_SINT] = {S(GL_RG8I, GL_RG_INTEGER, SB, 2, VREND_FMT_INTEGER, R, R, R, G)},
    [VFMT_R8A8_SINT] = {S(GL_RG8I, GL_RG_INTEGER, SB, 2, VREND_FMT_INTEGER, R, 0, 0, G)},
    [VFMT_A16_UINT] = {S(GL_R16UI, GL_RED_INTEGER, US, 2, VREND_FMT_INTEGER, 0, 0, 0, R)},
    [VFMT_I16_UINT] = {S(GL_R16UI, GL_RED_INTEGER, US, 2, VREND_FMT_INTEGER, R, R, R, R)},
    [VFMT_L16_UINT] = {S(GL_R16UI, GL_RED_INTEGER, US, 2, VREND_FMT_INTEGER, R, R, R, 1)},
    [VFMT_L16A16_UINT] = {S(GL_RG16UI, GL_RG_INTEGER, US, 4, VREND_FMT_INTEGER, R, R, R, G)},
    [VFMT_R16A16_UINT] = {S(GL_RG16UI, GL_RG_INTEGER, US, 4, VREND_FMT_INTEGER, R, 0, 0, G)},
    [VFMT_A16_SINT] = {S(GL_R16I, GL_RED_INTEGER, SS, 2, VREND_FMT_INTEGER, 0, 0, 0, R)},
    [VFMT_I16_SINT] = {S(GL_R16I, GL_RED_INTEGER, SS, 2, VREND_FMT_INTEGER, R, R, R, R)},
    [VFMT_L16_SINT] = {S(GL_R16I, GL_RED_INTEGER, SS, 2, VREND_FMT_INTEGER, R, R, R, 1)},
    [VFMT_L16A16_SINT] = {S(GL_RG16I, GL_RG_INTEGER, SS, 4, VREND_FMT_INTEGER, R, R, R, G)},
    [VFMT_R16A16_SINT] = {S(GL_RG16I, GL_RG_INTEGER, SS, 4, VREND_FMT_INTEGER, R, 0, 0, G)},
    [VFMT_A32_UINT] = {S(GL_R32UI, GL_RED_INTEGER, UI, 4, VREND_FMT_INTEGER, 0, 0, 0, R)},
    [VFMT_I32_UINT] = {S(GL_R32UI, GL_RED_INTEGER, UI, 4, VREND_FMT_INTEGER, R, R, R, R)},
    [VFMT_L32_UINT] = {S(GL_R32UI, GL_RED_INTEGER, UI, 4, VREND_FMT_INTEGER, R, R, R, 1)},
    [VFMT_L32A32_UINT] = {S(GL_RG32UI, GL_RG_INTEGER, UI, 8, VREND_FMT_INTEGER, R, R, R, G)},
    [VFMT_R32A32_UINT] = {S(GL_RG32UI, GL_RG_INTEGER, UI, 8, VREND_FMT_INTEGER, R, 0, 0, G)},
    [VFMT_A32_SINT] = {S(GL_R32I, GL_RED_INTEGER, SI, 4, VREND_FMT_INTEGER, 0, 0, 0, R)},
    [VFMT_I32_SINT] = {S(GL_R32I, GL_RED_INTEGER, SI, 4, VREND_FMT_INTEGER, R, R, R, R)},
    [VFMT_L32_SINT] = {S(GL_R32I, GL_RED_INTEGER, SI, 4, VREND_FMT_INTEGER, R, R, R, 1)},
    [VFMT_L32A32_SINT] = {S(GL_RG32I, GL_RG_INTEGER, SI, 8, VREND_FMT_INTEGER, R, R, R, G)},
    [VFMT_R32A32_SINT] = {S(GL_RG32I, GL_RG_INTEGER, SI, 8, VREND_FMT_INTEGER, R, 0, 0, G)},

    /* Compressed. ETC1 is a subset of ETC2 RGB8; LATC is RGTC with L/A swizzles. */
    [VFMT_DXT1_RGB] = {C(GL_COMPRESSED_RGB_S3TC_DXT1_EXT, 4, 4, 8, 0)},
    [VFMT_DXT1_RGBA] = {C(GL_COMPRESSED_RGBA_S3TC_DXT1_EXT, 4, 4, 8, 0)},
    [VFMT_DXT3_RGBA] = {C(GL_COMPRESSED_RGBA_S3TC_DXT3_EXT, 4, 4, 16, 0)},
    [VFMT_DXT5_RGBA] = {C(GL_COMPRESSED_RGBA_S3TC_DXT5_EXT, 4, 4, 16, 0)},
    [VFMT_DXT1_SRGB] = {C(GL_COMPRESSED_SRGB_S3TC_DXT1_EXT, 4, 4, 8, SRGB)},
    [VFMT_DXT1_SRGBA] = {C(GL_COMPRESSED_SRGB_ALPHA_S3TC_DXT1_EXT, 4, 4, 8, SRGB)},
    [VFMT_DXT3_SRGBA] = {C(GL_COMPRESSED_SRGB_ALPHA_S3TC_DXT3_EXT, 4, 4, 16, SRGB)},
    [VFMT_DXT5_SRGBA] = {C(GL_COMPRESSED_SRGB_ALPHA_S3TC_DXT5_EXT, 4, 4, 16, SRGB)},
    [VFMT_RGTC1_UNORM] = {C(GL_COMPRESSED_RED_RGTC1, 4, 4, 8, 0)},
    [VFMT_RGTC1_SNORM] = {C(GL_COMPRESSED_SIGNED_RED_RGTC1, 4, 4, 8, 0)},
    [VFMT_RGTC2_UNORM] = {C(GL_COMPRESSED_RG_RGTC2, 4, 4, 16, 0)},
    [VFMT_RGTC2_SNORM] = {C(GL_COMPRESSED_SIGNED_RG_RGTC2, 4, 4, 16, 0)},
    [VFMT_LATC1_UNORM] = {CS(GL_COMPRESSED_RED_RGTC1, 8, R, R, R, 1)},
    [VFMT_LATC1_SNORM] = {CS(GL_COMPRESSED_SIGNED_RED_RGTC1, 8, R, R, R, 1)},
    [VFMT_LATC2_UNORM] = {CS(GL_COMPRESSED_RG_RGTC2, 16, R, R, R, G)},
    [VFMT_LATC2_SNORM] = {CS(GL_COMPRESSED_SIGNED_RG_RGTC2, 16, R, R, R, G)},
    [VFMT_BPTC_RGBA_UNORM] = {C(GL_COMPRESSED_RGBA_BPTC_UNORM, 4, 4, 16, 0)},
    [VFMT_BPTC_SRGBA] = {C(GL_COMPRESSED_SRGB_ALPHA_BPTC_UNORM, 4, 4, 16, SRGB)},
    [VFMT_BPTC_RGB_FLOAT] = {C(GL_COMPRESSED_RGB_BPTC_SIGNED_FLOAT, 4, 4, 16, 0)},
    [VFMT_BPTC_RGB_UFLOAT] = {C(GL_COMPRESSED_RGB_BPTC_UNSIGNED_FLOAT, 4, 4, 16, 0)},
    [VFMT_ETC1_RGB8] = {C(GL_COMPRESSED_RGB8_ETC2, 4, 4, 8, 0)},
    [VFMT_ETC2_RGB8] = {C(GL_COMPRESSED_RGB8_ETC2, 4, 4, 8, 0)},
    [VFMT_ETC2_SRGB8] = {C(GL_COMPRESSED_SRGB8_ETC2, 4, 4, 8, SRGB)},
    [VFMT_ETC2_RGB8A1] = {C(GL_COMPRESSED_RGB8_PUNCHTHROUGH_ALPHA1_ETC2, 4, 4, 8, 0)},
    [VFMT_ETC2_SRGB8A1] = {C(GL_COMPRESSED_SRGB8_PUNCHTHROUGH_ALPHA1_ETC2, 4, 4, 8, SRGB)},
    [VFMT_ETC2_RGBA8] = {C(GL_COMPRESSED_RGBA8_ETC2_EAC, 4, 4, 16, 0)},
    [VFMT_ETC2_SRGBA8] = {C(GL_COMPRESSED_SRGB8_ALPHA8_ETC2_EAC, 4, 4, 16, SRGB)},
    [VFMT_ETC2_R11_UNORM] = {C(GL_COMPRESSED_R11_EAC, 4, 4, 8, 0)},
    [VFMT_ETC2_R11_SNORM] = {C(GL_COMPRESSED_SIGNED_R11_EAC, 4, 4, 8, 0)},
    [VFMT_ETC2_RG11_UNORM] = {C(GL_COMPRESSED_RG11_EAC, 4, 4, 16, 0)},
    [VFMT_ETC2_RG11_SNORM] = {C(GL_COMPRESSED_SIGNED_RG11_EAC, 4, 4, 16, 0)},
    [VFMT_ASTC_4x4] = {C(GL_COMPRESSED_RGBA_ASTC_4x4_KHR, 4, 4, 16, 0)},
    [VFMT_ASTC_5x4] = {C(GL_COMPRESSED_RGBA_ASTC_5x4_KHR, 5, 4, 16, 0)},
    [VFMT_ASTC_5x5] = {C(GL_COMPRESSED_RGBA_ASTC_5x5_KHR, 5, 5, 16, 0)},
    [VFMT_ASTC_6x5] = {C(GL_COMPRESSED_RGBA_ASTC_6x5_KHR, 6, 5, 16, 0)},
    [VFMT_ASTC_6x6] = {C(GL_COMPRESSED_RGBA_ASTC_6x6_KHR, 6, 6, 16, 0)},
    [VFMT_ASTC_8x5] = {C(GL_COMPRESSED_RGBA_ASTC_8x5_KHR, 8, 5, 16, 0)},
    [VFMT_ASTC_8x6] = {C(GL_COMPRESSED_RGBA_ASTC_8x6_KHR, 8, 6, 16, 0)},
    [VFMT_ASTC_8x8] = {C(GL_COMPRESSED_RGBA_ASTC_8x8_KHR, 8, 8, 16, 0)},
    [VFMT_ASTC_10x5] = {C(GL_COMPRESSED_RGBA_ASTC_10x5_KHR, 10, 5, 16, 0)},
    [VFMT_ASTC_10x6] = {C(GL_COMPRESSED_RGBA_ASTC_10x6_KHR, 10, 6, 16, 0)},
    [VFMT_ASTC_10x8] = {C(GL_COMPRESSED_RGBA_ASTC_10x8_KHR, 10, 8, 16, 0)},
    [VFMT_ASTC_10x10] = {C(GL_COMPRESSED_RGBA_ASTC_10x10_KHR, 10, 10, 16, 0)},
    [VFMT_ASTC_12x10] = {C(GL_COMPRESSED_RGBA_ASTC_12x10_KHR, 12, 10, 16, 0)},
    [VFMT_ASTC_12x12] = {C(GL_COMPRESSED_RGBA_ASTC_12x12_KHR, 12, 12, 16, 0)},
    [VFMT_ASTC_4x4_SRGB] = {C(GL_COMPRESSED_SRGB8_ALPHA8_ASTC_4x4_KHR, 4, 4, 16, SRGB)},
    [VFMT_ASTC_5x4_SRGB] = {C(GL_COMPRESSED_SRGB8_ALPHA8_ASTC_5x4_KHR, 5, 4, 16, SRGB)},
    [VFMT_ASTC_5x5_SRGB] = {C(GL_COMPRESSED_SRGB8_ALPHA8_ASTC_5x5_KHR, 5, 5, 16, SRGB)},
    [VFMT_ASTC_6x5_SRGB] = {C(GL_COMPRESSED_SRGB8_ALPHA8_ASTC_6x5_KHR, 6, 5, 16, SRGB)},
    [VFMT_ASTC_6x6_SRGB] = {C(GL_COMPRESSED_SRGB8_ALPHA8_ASTC_6x6_KHR, 6, 6, 16, SRGB)},
    [VFMT_ASTC_8x5_SRGB] = {C(GL_COMPRESSED_SRGB8_ALPHA8_ASTC_8x5_KHR, 8, 5, 16, SRGB)},
    [VFMT_ASTC_8x6_SRGB] = {C(GL_COMPRESSED_SRGB8_ALPHA8_ASTC_8x6_KHR, 8, 6, 16, SRGB)},
    [VFMT_ASTC_8x8_SRGB] = {C(GL_COMPRESSED_SRGB8_ALPHA8_ASTC_8x8_KHR, 8, 8, 16, SRGB)},
    [VFMT_ASTC_10x5_SRGB] = {C(GL_COMPRESSED_SRGB8_ALPHA8_ASTC_10x5_KHR, 10, 5, 16, SRGB)},
    [VFMT_ASTC_10x6_SRGB] = {C(GL_COMPRESSED_SRGB8_ALPHA8_ASTC_10x6_KHR, 10, 6, 16, SRGB)},
    [VFMT_ASTC_10x8_SRGB] = {C(GL_COMPRESSED_SRGB8_ALPHA8_ASTC_10x8_KHR, 10, 8, 16, SRGB)},
    [VFMT_ASTC_10x10_SRGB] = {C(GL_COMPRESSED_SRGB8_ALPHA8_ASTC_10x10_KHR, 10, 10, 16, SRGB)},
    [VFMT_ASTC_12x10_SRGB] = {C(GL_COMPRESSED_SRGB8_ALPHA8_ASTC_12x10_KHR, 12, 10, 16, SRGB)},
    [VFMT_ASTC_12x12_SRGB] = {C(GL_COMPRESSED_SRGB8_ALPHA8_ASTC_12x12_KHR, 12, 12, 16, SRGB)},

    /* Depth and stencil (guest layouts: virgl-protocol.md section 8) */
    [VFMT_Z16_UNORM] = {P(GL_DEPTH_COMPONENT16, GL_DEPTH_COMPONENT, US, 2, Z)},
    [VFMT_Z32_UNORM] = {P(GL_DEPTH_COMPONENT32, GL_DEPTH_COMPONENT, UI, 4, Z)},
    [VFMT_Z32_FLOAT] = {P(GL_DEPTH_COMPONENT32F, GL_DEPTH_COMPONENT, FL, 4, Z)},
    /* GL's 24_8 puts depth in the high bits: that is S8_UINT_Z24_UNORM. */
    [VFMT_S8_UINT_Z24_UNORM] = {P(GL_DEPTH24_STENCIL8, GL_DEPTH_STENCIL, GL_UNSIGNED_INT_24_8, 4,
                                  Z | ST)},
    [VFMT_Z24_UNORM_S8_UINT] = {P(GL_DEPTH24_STENCIL8, GL_DEPTH_STENCIL, GL_UNSIGNED_INT_24_8, 4,
                                  Z | ST | CONV)},
    /* Depth in the high 24 bits, X ignored: GL's 24_8 layout exactly. */
    [VFMT_X8Z24_UNORM] = {P(GL_DEPTH24_STENCIL8, GL_DEPTH_STENCIL, GL_UNSIGNED_INT_24_8, 4, Z)},
    /* Depth in the low 24 bits: rescaled on transfer. */
    [VFMT_Z24X8_UNORM] = {P(GL_DEPTH_COMPONENT24, GL_DEPTH_COMPONENT, UI, 4, Z | CONV)},
    [VFMT_S8_UINT] = {P(GL_STENCIL_INDEX8, GL_STENCIL_INDEX, UB, 1, ST)},
    [VFMT_Z32_FLOAT_S8X24_UINT] = {P(GL_DEPTH32F_STENCIL8, GL_DEPTH_STENCIL,
                                     GL_FLOAT_32_UNSIGNED_INT_24_8_REV, 8, Z | ST)},
    /* Stencil-only views of the packed depth/stencil formats above. */
    [VFMT_S8X24_UINT] = {P(GL_DEPTH24_STENCIL8, GL_DEPTH_STENCIL, GL_UNSIGNED_INT_24_8, 4, ST)},
    [VFMT_X24S8_UINT] = {P(GL_DEPTH24_STENCIL8, GL_DEPTH_STENCIL, GL_UNSIGNED_INT_24_8, 4,
                           ST | CONV)},
    [VFMT_X32_S8X24_UINT] = {P(GL_DEPTH32F_STENCIL8, GL_DEPTH_STENCIL,
                               GL_FLOAT_32_UNSIGNED_INT_24_8_REV, 8, ST)},
};

const struct vrend_format *vrend_format_get(uint32_t vfmt)
{
	if (vfmt >= VFMT_COUNT || !table[vfmt].internal_format)
		return NULL;
	return &table[vfmt];
}
