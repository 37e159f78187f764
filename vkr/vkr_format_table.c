/*
 * Copyright 2025 virgl-next authors
 * SPDX-License-Identifier: MIT
 *
 * virgl format -> VkFormat, for the metadata queries (vkr_query.c). Venus guests
 * speak VkFormat themselves; only the VMM-facing queries, which name images by
 * virgl format, need this. An entry exists only where the two formats have the
 * same bytes in memory: gallium array formats name channels in byte order like
 * Vulkan's non-packed ones; gallium packed formats name them from the least
 * significant bit, Vulkan's _PACK formats from the most significant one. X
 * channels map to the A format (same layout, the channel is ignored).
 */
#include "vkr_query.h"

static const VkFormat vk_formats[] = {
    [1] = VK_FORMAT_B8G8R8A8_UNORM,             /* B8G8R8A8_UNORM */
    [2] = VK_FORMAT_B8G8R8A8_UNORM,             /* B8G8R8X8_UNORM */
    [7] = VK_FORMAT_R5G6B5_UNORM_PACK16,        /* B5G6R5_UNORM */
    [8] = VK_FORMAT_A2B10G10R10_UNORM_PACK32,   /* R10G10B10A2_UNORM */
    [16] = VK_FORMAT_D16_UNORM,                 /* Z16_UNORM */
    [18] = VK_FORMAT_D32_SFLOAT,                /* Z32_FLOAT */
    [21] = VK_FORMAT_X8_D24_UNORM_PACK32,       /* Z24X8_UNORM */
    [24] = VK_FORMAT_R64_SFLOAT,                /* R64_FLOAT */
    [25] = VK_FORMAT_R64G64_SFLOAT,             /* R64G64_FLOAT */
    [26] = VK_FORMAT_R64G64B64_SFLOAT,          /* R64G64B64_FLOAT */
    [27] = VK_FORMAT_R64G64B64A64_SFLOAT,       /* R64G64B64A64_FLOAT */
    [28] = VK_FORMAT_R32_SFLOAT,                /* R32_FLOAT */
    [29] = VK_FORMAT_R32G32_SFLOAT,             /* R32G32_FLOAT */
    [30] = VK_FORMAT_R32G32B32_SFLOAT,          /* R32G32B32_FLOAT */
    [31] = VK_FORMAT_R32G32B32A32_SFLOAT,       /* R32G32B32A32_FLOAT */
    [48] = VK_FORMAT_R16_UNORM,                 /* R16_UNORM */
    [49] = VK_FORMAT_R16G16_UNORM,              /* R16G16_UNORM */
    [50] = VK_FORMAT_R16G16B16_UNORM,           /* R16G16B16_UNORM */
    [51] = VK_FORMAT_R16G16B16A16_UNORM,        /* R16G16B16A16_UNORM */
    [52] = VK_FORMAT_R16_USCALED,               /* R16_USCALED */
    [53] = VK_FORMAT_R16G16_USCALED,            /* R16G16_USCALED */
    [54] = VK_FORMAT_R16G16B16_USCALED,         /* R16G16B16_USCALED */
    [55] = VK_FORMAT_R16G16B16A16_USCALED,      /* R16G16B16A16_USCALED */
    [56] = VK_FORMAT_R16_SNORM,                 /* R16_SNORM */
    [57] = VK_FORMAT_R16G16_SNORM,              /* R16G16_SNORM */
    [58] = VK_FORMAT_R16G16B16_SNORM,           /* R16G16B16_SNORM */
    [59] = VK_FORMAT_R16G16B16A16_SNORM,        /* R16G16B16A16_SNORM */
    [60] = VK_FORMAT_R16_SSCALED,               /* R16_SSCALED */
    [61] = VK_FORMAT_R16G16_SSCALED,            /* R16G16_SSCALED */
    [62] = VK_FORMAT_R16G16B16_SSCALED,         /* R16G16B16_SSCALED */
    [63] = VK_FORMAT_R16G16B16A16_SSCALED,      /* R16G16B16A16_SSCALED */
    [64] = VK_FORMAT_R8_UNORM,                  /* R8_UNORM */
    [65] = VK_FORMAT_R8G8_UNORM,                /* R8G8_UNORM */
    [66] = VK_FORMAT_R8G8B8_UNORM,              /* R8G8B8_UNORM */
    [67] = VK_FORMAT_R8G8B8A8_UNORM,            /* R8G8B8A8_UNORM */
    [69] = VK_FORMAT_R8_USCALED,                /* R8_USCALED */
    [70] = VK_FORMAT_R8G8_USCALED,              /* R8G8_USCALED */
    [71] = VK_FORMAT_R8G8B8_USCALED,            /* R8G8B8_USCALED */
    [72] = VK_FORMAT_R8G8B8A8_USCALED,          /* R8G8B8A8_USCALED */
    [74] = VK_FORMAT_R8_SNORM,                  /* R8_SNORM */
    [75] = VK_FORMAT_R8G8_SNORM,                /* R8G8_SNORM */
    [76] = VK_FORMAT_R8G8B8_SNORM,              /* R8G8B8_SNORM */
    [77] = VK_FORMAT_R8G8B8A8_SNORM,            /* R8G8B8A8_SNORM */
    [82] = VK_FORMAT_R8_SSCALED,                /* R8_SSCALED */
    [83] = VK_FORMAT_R8G8_SSCALED,              /* R8G8_SSCALED */
    [84] = VK_FORMAT_R8G8B8_SSCALED,            /* R8G8B8_SSCALED */
    [85] = VK_FORMAT_R8G8B8A8_SSCALED,          /* R8G8B8A8_SSCALED */
    [91] = VK_FORMAT_R16_SFLOAT,                /* R16_FLOAT */
    [92] = VK_FORMAT_R16G16_SFLOAT,             /* R16G16_FLOAT */
    [93] = VK_FORMAT_R16G16B16_SFLOAT,          /* R16G16B16_FLOAT */
    [94] = VK_FORMAT_R16G16B16A16_SFLOAT,       /* R16G16B16A16_FLOAT */
    [97] = VK_FORMAT_R8G8B8_SRGB,               /* R8G8B8_SRGB */
    [100] = VK_FORMAT_B8G8R8A8_SRGB,            /* B8G8R8A8_SRGB */
    [101] = VK_FORMAT_B8G8R8A8_SRGB,            /* B8G8R8X8_SRGB */
    [104] = VK_FORMAT_R8G8B8A8_SRGB,            /* R8G8B8A8_SRGB */
    [105] = VK_FORMAT_BC1_RGB_UNORM_BLOCK,      /* DXT1_RGB */
    [106] = VK_FORMAT_BC1_RGBA_UNORM_BLOCK,     /* DXT1_RGBA */
    [107] = VK_FORMAT_BC2_UNORM_BLOCK,          /* DXT3_RGBA */
    [108] = VK_FORMAT_BC3_UNORM_BLOCK,          /* DXT5_RGBA */
    [113] = VK_FORMAT_BC4_UNORM_BLOCK,          /* RGTC1_UNORM */
    [114] = VK_FORMAT_BC4_SNORM_BLOCK,          /* RGTC1_SNORM */
    [115] = VK_FORMAT_BC5_UNORM_BLOCK,          /* RGTC2_UNORM */
    [116] = VK_FORMAT_BC5_SNORM_BLOCK,          /* RGTC2_SNORM */
    [124] = VK_FORMAT_B10G11R11_UFLOAT_PACK32,  /* R11G11B10_FLOAT */
    [125] = VK_FORMAT_E5B9G9R9_UFLOAT_PACK32,   /* R9G9B9E5_FLOAT */
    [131] = VK_FORMAT_A2R10G10B10_UNORM_PACK32, /* B10G10R10A2_UNORM */
    [134] = VK_FORMAT_R8G8B8A8_UNORM,           /* R8G8B8X8_UNORM */
    [177] = VK_FORMAT_R8_UINT,                  /* R8_UINT */
    [178] = VK_FORMAT_R8G8_UINT,                /* R8G8_UINT */
    [179] = VK_FORMAT_R8G8B8_UINT,              /* R8G8B8_UINT */
    [180] = VK_FORMAT_R8G8B8A8_UINT,            /* R8G8B8A8_UINT */
    [181] = VK_FORMAT_R8_SINT,                  /* R8_SINT */
    [182] = VK_FORMAT_R8G8_SINT,                /* R8G8_SINT */
    [183] = VK_FORMAT_R8G8B8_SINT,              /* R8G8B8_SINT */
    [184] = VK_FORMAT_R8G8B8A8_SINT,            /* R8G8B8A8_SINT */
    [185] = VK_FORMAT_R16_UINT,                 /* R16_UINT */
    [186] = VK_FORMAT_R16G16_UINT,              /* R16G16_UINT */
    [187] = VK_FORMAT_R16G16B16_UINT,           /* R16G16B16_UINT */
    [188] = VK_FORMAT_R16G16B16A16_UINT,        /* R16G16B16A16_UINT */
    [189] = VK_FORMAT_R16_SINT,                 /* R16_SINT */
    [190] = VK_FORMAT_R16G16_SINT,              /* R16G16_SINT */
    [191] = VK_FORMAT_R16G16B16_SINT,           /* R16G16B16_SINT */
    [192] = VK_FORMAT_R16G16B16A16_SINT,        /* R16G16B16A16_SINT */
    [193] = VK_FORMAT_R32_UINT,                 /* R32_UINT */
    [194] = VK_FORMAT_R32G32_UINT,              /* R32G32_UINT */
    [195] = VK_FORMAT_R32G32B32_UINT,           /* R32G32B32_UINT */
    [196] = VK_FORMAT_R32G32B32A32_UINT,        /* R32G32B32A32_UINT */
    [197] = VK_FORMAT_R32_SINT,                 /* R32_SINT */
    [198] = VK_FORMAT_R32G32_SINT,              /* R32G32_SINT */
    [199] = VK_FORMAT_R32G32B32_SINT,           /* R32G32B32_SINT */
    [200] = VK_FORMAT_R32G32B32A32_SINT,        /* R32G32B32A32_SINT */
    [225] = VK_FORMAT_A2R10G10B10_UINT_PACK32,  /* B10G10R10A2_UINT */
    [229] = VK_FORMAT_R8G8B8A8_SNORM,           /* R8G8B8X8_SNORM */
    [230] = VK_FORMAT_R8G8B8A8_SRGB,            /* R8G8B8X8_SRGB */
    [231] = VK_FORMAT_R8G8B8A8_UINT,            /* R8G8B8X8_UINT */
    [232] = VK_FORMAT_R8G8B8A8_SINT,            /* R8G8B8X8_SINT */
    [234] = VK_FORMAT_R16G16B16A16_UNORM,       /* R16G16B16X16_UNORM */
    [235] = VK_FORMAT_R16G16B16A16_SNORM,       /* R16G16B16X16_SNORM */
    [236] = VK_FORMAT_R16G16B16A16_SFLOAT,      /* R16G16B16X16_FLOAT */
    [237] = VK_FORMAT_R16G16B16A16_UINT,        /* R16G16B16X16_UINT */
    [238] = VK_FORMAT_R16G16B16A16_SINT,        /* R16G16B16X16_SINT */
    [239] = VK_FORMAT_R32G32B32A32_SFLOAT,      /* R32G32B32X32_FLOAT */
    [240] = VK_FORMAT_R32G32B32A32_UINT,        /* R32G32B32X32_UINT */
    [241] = VK_FORMAT_R32G32B32A32_SINT,        /* R32G32B32X32_SINT */
    [253] = VK_FORMAT_A2B10G10R10_UINT_PACK32,  /* R10G10B10A2_UINT */
    [312] = VK_FORMAT_R8_SRGB,                  /* R8_SRGB */
    [313] = VK_FORMAT_R8G8_SRGB,                /* R8G8_SRGB */
    [317] = VK_FORMAT_B8G8R8_UNORM,             /* B8G8R8_UNORM */
    [379] = VK_FORMAT_B8G8R8A8_SINT,            /* B8G8R8A8_SINT */
    [380] = VK_FORMAT_B8G8R8A8_SNORM,           /* B8G8R8A8_SNORM */
    [381] = VK_FORMAT_B8G8R8A8_SSCALED,         /* B8G8R8A8_SSCALED */
    [382] = VK_FORMAT_B8G8R8A8_UINT,            /* B8G8R8A8_UINT */
    [383] = VK_FORMAT_B8G8R8A8_USCALED,         /* B8G8R8A8_USCALED */
    [385] = VK_FORMAT_B8G8R8_SINT,              /* B8G8R8_SINT */
    [386] = VK_FORMAT_B8G8R8_SNORM,             /* B8G8R8_SNORM */
    [387] = VK_FORMAT_B8G8R8_SRGB,              /* B8G8R8_SRGB */
    [388] = VK_FORMAT_B8G8R8_SSCALED,           /* B8G8R8_SSCALED */
    [389] = VK_FORMAT_B8G8R8_UINT,              /* B8G8R8_UINT */
    [390] = VK_FORMAT_B8G8R8_USCALED,           /* B8G8R8_USCALED */
    [391] = VK_FORMAT_B8G8R8A8_SINT,            /* B8G8R8X8_SINT */
    [392] = VK_FORMAT_B8G8R8A8_SNORM,           /* B8G8R8X8_SNORM */
    [393] = VK_FORMAT_B8G8R8A8_UINT,            /* B8G8R8X8_UINT */
    [412] = VK_FORMAT_R64G64B64A64_SINT,        /* R64G64B64A64_SINT */
    [413] = VK_FORMAT_R64G64B64A64_UINT,        /* R64G64B64A64_UINT */
    [414] = VK_FORMAT_R64G64B64_SINT,           /* R64G64B64_SINT */
    [415] = VK_FORMAT_R64G64B64_UINT,           /* R64G64B64_UINT */
    [416] = VK_FORMAT_R64G64_SINT,              /* R64G64_SINT */
    [417] = VK_FORMAT_R64G64_UINT,              /* R64G64_UINT */
    [418] = VK_FORMAT_R64_SINT,                 /* R64_SINT */
    [419] = VK_FORMAT_R64_UINT,                 /* R64_UINT */
};

VkFormat vkr_vk_format(uint32_t virgl_format)
{
	if (virgl_format >= sizeof(vk_formats) / sizeof(vk_formats[0]))
		return VK_FORMAT_UNDEFINED;
	return vk_formats[virgl_format]; /* holes are 0 = VK_FORMAT_UNDEFINED */
}
