"""Our Venus registry: everything the generator needs that vk.xml does not say.

Pure data, no logic beyond parsing the text tables below:
  * PRIVATE_XML    -- the Venus-private extensions, types and commands (spec section 1.13),
                      written in vk.xml syntax so that the same parser reads them;
  * COMMAND_TYPES  -- VkCommandTypeEXT values (spec section 3); hand-assigned and append-only,
                      so they cannot be derived from vk.xml;
  * EXTENSIONS     -- the extension allow-list (spec Appendix A): what our decoders support; it
                      also yields the capset extension mask;
  * the override table of spec section 4.1.
"""

WIRE_FORMAT_VERSION = 1
COMMAND_SERIALIZATION_SPEC_VERSION = 1
VENUS_PROTOCOL_SPEC_VERSION = 2

GENERATE_REPLY_BIT = 0x1

# ---------------------------------------------------------------------------------------------
# Private extensions, types and commands (spec section 1.13).
# ---------------------------------------------------------------------------------------------

PRIVATE_XML = """
<registry>
  <types>
    <type category="bitmask">typedef <type>VkFlags</type> <name>VkCommandFlagsEXT</name>;</type>
    <type category="bitmask">typedef <type>VkFlags</type> <name>VkCommandStreamExecutionFlagsMESA</name>;</type>
    <type category="bitmask">typedef <type>VkFlags</type> <name>VkRingCreateFlagsMESA</name>;</type>
    <type category="bitmask">typedef <type>VkFlags</type> <name>VkRingNotifyFlagsMESA</name>;</type>
    <type category="bitmask">typedef <type>VkFlags</type> <name>VkRingStatusFlagsMESA</name>;</type>
    <type category="struct" name="VkCommandStreamDescriptionMESA">
      <member><type>uint32_t</type> <name>resourceId</name></member>
      <member><type>size_t</type> <name>offset</name></member>
      <member><type>size_t</type> <name>size</name></member>
    </type>
    <type category="struct" name="VkCommandStreamDependencyMESA">
      <member><type>uint32_t</type> <name>srcCommandStream</name></member>
      <member><type>uint32_t</type> <name>dstCommandStream</name></member>
    </type>
    <type category="struct" name="VkRingCreateInfoMESA">
      <member values="VK_STRUCTURE_TYPE_RING_CREATE_INFO_MESA"><type>VkStructureType</type> <name>sType</name></member>
      <member optional="true">const <type>void</type>* <name>pNext</name></member>
      <member optional="true"><type>VkRingCreateFlagsMESA</type> <name>flags</name></member>
      <member><type>uint32_t</type> <name>resourceId</name></member>
      <member><type>size_t</type> <name>offset</name></member>
      <member><type>size_t</type> <name>size</name></member>
      <member><type>uint64_t</type> <name>idleTimeout</name></member>
      <member><type>size_t</type> <name>headOffset</name></member>
      <member><type>size_t</type> <name>tailOffset</name></member>
      <member><type>size_t</type> <name>statusOffset</name></member>
      <member><type>size_t</type> <name>bufferOffset</name></member>
      <member><type>size_t</type> <name>bufferSize</name></member>
      <member><type>size_t</type> <name>extraOffset</name></member>
      <member><type>size_t</type> <name>extraSize</name></member>
    </type>
    <type category="struct" name="VkMemoryResourcePropertiesMESA" returnedonly="true">
      <member values="VK_STRUCTURE_TYPE_MEMORY_RESOURCE_PROPERTIES_MESA"><type>VkStructureType</type> <name>sType</name></member>
      <member optional="true"><type>void</type>* <name>pNext</name></member>
      <member><type>uint32_t</type> <name>memoryTypeBits</name></member>
    </type>
    <type category="struct" name="VkImportMemoryResourceInfoMESA" structextends="VkMemoryAllocateInfo">
      <member values="VK_STRUCTURE_TYPE_IMPORT_MEMORY_RESOURCE_INFO_MESA"><type>VkStructureType</type> <name>sType</name></member>
      <member optional="true">const <type>void</type>* <name>pNext</name></member>
      <member><type>uint32_t</type> <name>resourceId</name></member>
    </type>
    <type category="struct" name="VkMemoryResourceAllocationSizePropertiesMESA" returnedonly="true" structextends="VkMemoryResourcePropertiesMESA">
      <member values="VK_STRUCTURE_TYPE_MEMORY_RESOURCE_ALLOCATION_SIZE_PROPERTIES_MESA"><type>VkStructureType</type> <name>sType</name></member>
      <member optional="true"><type>void</type>* <name>pNext</name></member>
      <member><type>uint64_t</type> <name>allocationSize</name></member>
    </type>
    <type category="struct" name="VkImportSemaphoreResourceInfoMESA">
      <member values="VK_STRUCTURE_TYPE_IMPORT_SEMAPHORE_RESOURCE_INFO_MESA"><type>VkStructureType</type> <name>sType</name></member>
      <member optional="true">const <type>void</type>* <name>pNext</name></member>
      <member><type>VkSemaphore</type> <name>semaphore</name></member>
      <member><type>uint32_t</type> <name>resourceId</name></member>
    </type>
    <type category="struct" name="VkDeviceQueueTimelineInfoMESA" structextends="VkDeviceQueueInfo2">
      <member values="VK_STRUCTURE_TYPE_DEVICE_QUEUE_TIMELINE_INFO_MESA"><type>VkStructureType</type> <name>sType</name></member>
      <member optional="true">const <type>void</type>* <name>pNext</name></member>
      <member><type>uint32_t</type> <name>ringIdx</name></member>
    </type>
    <type category="struct" name="VkRingMonitorInfoMESA" structextends="VkRingCreateInfoMESA">
      <member values="VK_STRUCTURE_TYPE_RING_MONITOR_INFO_MESA"><type>VkStructureType</type> <name>sType</name></member>
      <member optional="true">const <type>void</type>* <name>pNext</name></member>
      <member><type>uint32_t</type> <name>maxReportingPeriodMicroseconds</name></member>
    </type>
    <type category="struct" name="VkRingPriorityInfoMESA" structextends="VkRingCreateInfoMESA">
      <member values="VK_STRUCTURE_TYPE_RING_PRIORITY_INFO_MESA"><type>VkStructureType</type> <name>sType</name></member>
      <member optional="true">const <type>void</type>* <name>pNext</name></member>
      <member><type>int32_t</type> <name>priority</name></member>
    </type>
  </types>
  <enums name="VkStructureType (Venus)">
    <enum value="1000384000" name="VK_STRUCTURE_TYPE_RING_CREATE_INFO_MESA"/>
    <enum value="1000384001" name="VK_STRUCTURE_TYPE_MEMORY_RESOURCE_PROPERTIES_MESA"/>
    <enum value="1000384002" name="VK_STRUCTURE_TYPE_IMPORT_MEMORY_RESOURCE_INFO_MESA"/>
    <enum value="1000384003" name="VK_STRUCTURE_TYPE_MEMORY_RESOURCE_ALLOCATION_SIZE_PROPERTIES_MESA"/>
    <enum value="1000384004" name="VK_STRUCTURE_TYPE_IMPORT_SEMAPHORE_RESOURCE_INFO_MESA"/>
    <enum value="1000384005" name="VK_STRUCTURE_TYPE_DEVICE_QUEUE_TIMELINE_INFO_MESA"/>
    <enum value="1000384006" name="VK_STRUCTURE_TYPE_RING_MONITOR_INFO_MESA"/>
    <enum value="1000384007" name="VK_STRUCTURE_TYPE_RING_PRIORITY_INFO_MESA"/>
  </enums>
  <enums name="VkRingStatusFlagBitsMESA (Venus)">
    <enum value="0x1" name="VK_RING_STATUS_IDLE_BIT_MESA"/>
    <enum value="0x2" name="VK_RING_STATUS_FATAL_BIT_MESA"/>
    <enum value="0x4" name="VK_RING_STATUS_ALIVE_BIT_MESA"/>
  </enums>
  <commands>
    <command>
      <proto><type>void</type> <name>vkSetReplyCommandStreamMESA</name></proto>
      <param>const <type>VkCommandStreamDescriptionMESA</type>* <name>pStream</name></param>
    </command>
    <command>
      <proto><type>void</type> <name>vkSeekReplyCommandStreamMESA</name></proto>
      <param><type>size_t</type> <name>position</name></param>
    </command>
    <command>
      <proto><type>void</type> <name>vkExecuteCommandStreamsMESA</name></proto>
      <param><type>uint32_t</type> <name>streamCount</name></param>
      <param len="streamCount">const <type>VkCommandStreamDescriptionMESA</type>* <name>pStreams</name></param>
      <param optional="true" len="streamCount">const <type>size_t</type>* <name>pReplyPositions</name></param>
      <param optional="true"><type>uint32_t</type> <name>dependencyCount</name></param>
      <param len="dependencyCount">const <type>VkCommandStreamDependencyMESA</type>* <name>pDependencies</name></param>
      <param optional="true"><type>VkCommandStreamExecutionFlagsMESA</type> <name>flags</name></param>
    </command>
    <command>
      <proto><type>void</type> <name>vkCreateRingMESA</name></proto>
      <param><type>uint64_t</type> <name>ring</name></param>
      <param>const <type>VkRingCreateInfoMESA</type>* <name>pCreateInfo</name></param>
    </command>
    <command>
      <proto><type>void</type> <name>vkDestroyRingMESA</name></proto>
      <param><type>uint64_t</type> <name>ring</name></param>
    </command>
    <command>
      <proto><type>void</type> <name>vkNotifyRingMESA</name></proto>
      <param><type>uint64_t</type> <name>ring</name></param>
      <param><type>uint32_t</type> <name>seqno</name></param>
      <param optional="true"><type>VkRingNotifyFlagsMESA</type> <name>flags</name></param>
    </command>
    <command>
      <proto><type>void</type> <name>vkWriteRingExtraMESA</name></proto>
      <param><type>uint64_t</type> <name>ring</name></param>
      <param><type>size_t</type> <name>offset</name></param>
      <param><type>uint32_t</type> <name>value</name></param>
    </command>
    <command>
      <proto><type>VkResult</type> <name>vkGetMemoryResourcePropertiesMESA</name></proto>
      <param><type>VkDevice</type> <name>device</name></param>
      <param><type>uint32_t</type> <name>resourceId</name></param>
      <param><type>VkMemoryResourcePropertiesMESA</type>* <name>pMemoryResourceProperties</name></param>
    </command>
    <command>
      <proto><type>void</type> <name>vkResetFenceResourceMESA</name></proto>
      <param><type>VkDevice</type> <name>device</name></param>
      <param><type>VkFence</type> <name>fence</name></param>
    </command>
    <command>
      <proto><type>void</type> <name>vkWaitSemaphoreResourceMESA</name></proto>
      <param><type>VkDevice</type> <name>device</name></param>
      <param><type>VkSemaphore</type> <name>semaphore</name></param>
    </command>
    <command>
      <proto><type>void</type> <name>vkImportSemaphoreResourceMESA</name></proto>
      <param><type>VkDevice</type> <name>device</name></param>
      <param>const <type>VkImportSemaphoreResourceInfoMESA</type>* <name>pImportSemaphoreResourceInfo</name></param>
    </command>
    <command>
      <proto><type>void</type> <name>vkSubmitVirtqueueSeqnoMESA</name></proto>
      <param><type>uint64_t</type> <name>ring</name></param>
      <param><type>uint64_t</type> <name>seqno</name></param>
    </command>
    <command>
      <proto><type>void</type> <name>vkWaitVirtqueueSeqnoMESA</name></proto>
      <param><type>uint64_t</type> <name>seqno</name></param>
    </command>
    <command>
      <proto><type>void</type> <name>vkWaitRingSeqnoMESA</name></proto>
      <param><type>uint64_t</type> <name>ring</name></param>
      <param><type>uint64_t</type> <name>seqno</name></param>
    </command>
  </commands>
  <extensions>
    <extension name="VK_EXT_command_serialization" number="384" type="instance" supported="vulkan">
      <require>
        <enum value="1" name="VK_EXT_COMMAND_SERIALIZATION_SPEC_VERSION"/>
        <type name="VkCommandFlagsEXT"/>
      </require>
    </extension>
    <extension name="VK_MESA_venus_protocol" number="385" type="instance" supported="vulkan">
      <require>
        <enum value="2" name="VK_MESA_VENUS_PROTOCOL_SPEC_VERSION"/>
        <type name="VkCommandStreamDescriptionMESA"/>
        <type name="VkCommandStreamDependencyMESA"/>
        <type name="VkRingCreateInfoMESA"/>
        <type name="VkMemoryResourcePropertiesMESA"/>
        <type name="VkImportMemoryResourceInfoMESA"/>
        <type name="VkMemoryResourceAllocationSizePropertiesMESA"/>
        <type name="VkImportSemaphoreResourceInfoMESA"/>
        <type name="VkDeviceQueueTimelineInfoMESA"/>
        <type name="VkRingMonitorInfoMESA"/>
        <type name="VkRingPriorityInfoMESA"/>
        <command name="vkSetReplyCommandStreamMESA"/>
        <command name="vkSeekReplyCommandStreamMESA"/>
        <command name="vkExecuteCommandStreamsMESA"/>
        <command name="vkCreateRingMESA"/>
        <command name="vkDestroyRingMESA"/>
        <command name="vkNotifyRingMESA"/>
        <command name="vkWriteRingExtraMESA"/>
        <command name="vkGetMemoryResourcePropertiesMESA"/>
        <command name="vkResetFenceResourceMESA"/>
        <command name="vkWaitSemaphoreResourceMESA"/>
        <command name="vkImportSemaphoreResourceMESA"/>
        <command name="vkSubmitVirtqueueSeqnoMESA"/>
        <command name="vkWaitVirtqueueSeqnoMESA"/>
        <command name="vkWaitRingSeqnoMESA"/>
      </require>
    </extension>
  </extensions>
</registry>
"""

# ---------------------------------------------------------------------------------------------
# VkCommandTypeEXT (spec section 3). One line per value: "value name [alias...]". Value 195 is
# retired and must stay unknown. A name that the registry in use does not define (older or newer
# vk.xml) is simply not generated; aliases are matched in both directions.
# ---------------------------------------------------------------------------------------------

COMMAND_TYPES = """
0 vkCreateInstance
1 vkDestroyInstance
2 vkEnumeratePhysicalDevices
3 vkGetPhysicalDeviceFeatures
4 vkGetPhysicalDeviceFormatProperties
5 vkGetPhysicalDeviceImageFormatProperties
6 vkGetPhysicalDeviceProperties
7 vkGetPhysicalDeviceQueueFamilyProperties
8 vkGetPhysicalDeviceMemoryProperties
9 vkGetInstanceProcAddr
10 vkGetDeviceProcAddr
11 vkCreateDevice
12 vkDestroyDevice
13 vkEnumerateInstanceExtensionProperties
14 vkEnumerateDeviceExtensionProperties
15 vkEnumerateInstanceLayerProperties
16 vkEnumerateDeviceLayerProperties
17 vkGetDeviceQueue
18 vkQueueSubmit
19 vkQueueWaitIdle
20 vkDeviceWaitIdle
21 vkAllocateMemory
22 vkFreeMemory
23 vkMapMemory
24 vkUnmapMemory
25 vkFlushMappedMemoryRanges
26 vkInvalidateMappedMemoryRanges
27 vkGetDeviceMemoryCommitment
28 vkBindBufferMemory
29 vkBindImageMemory
30 vkGetBufferMemoryRequirements
31 vkGetImageMemoryRequirements
32 vkGetImageSparseMemoryRequirements
33 vkGetPhysicalDeviceSparseImageFormatProperties
34 vkQueueBindSparse
35 vkCreateFence
36 vkDestroyFence
37 vkResetFences
38 vkGetFenceStatus
39 vkWaitForFences
40 vkCreateSemaphore
41 vkDestroySemaphore
42 vkCreateEvent
43 vkDestroyEvent
44 vkGetEventStatus
45 vkSetEvent
46 vkResetEvent
47 vkCreateQueryPool
48 vkDestroyQueryPool
49 vkGetQueryPoolResults
50 vkCreateBuffer
51 vkDestroyBuffer
52 vkCreateBufferView
53 vkDestroyBufferView
54 vkCreateImage
55 vkDestroyImage
56 vkGetImageSubresourceLayout
57 vkCreateImageView
58 vkDestroyImageView
59 vkCreateShaderModule
60 vkDestroyShaderModule
61 vkCreatePipelineCache
62 vkDestroyPipelineCache
63 vkGetPipelineCacheData
64 vkMergePipelineCaches
65 vkCreateGraphicsPipelines
66 vkCreateComputePipelines
67 vkDestroyPipeline
68 vkCreatePipelineLayout
69 vkDestroyPipelineLayout
70 vkCreateSampler
71 vkDestroySampler
72 vkCreateDescriptorSetLayout
73 vkDestroyDescriptorSetLayout
74 vkCreateDescriptorPool
75 vkDestroyDescriptorPool
76 vkResetDescriptorPool
77 vkAllocateDescriptorSets
78 vkFreeDescriptorSets
79 vkUpdateDescriptorSets
80 vkCreateFramebuffer
81 vkDestroyFramebuffer
82 vkCreateRenderPass
83 vkDestroyRenderPass
84 vkGetRenderAreaGranularity
85 vkCreateCommandPool
86 vkDestroyCommandPool
87 vkResetCommandPool
88 vkAllocateCommandBuffers
89 vkFreeCommandBuffers
90 vkBeginCommandBuffer
91 vkEndCommandBuffer
92 vkResetCommandBuffer
93 vkCmdBindPipeline
94 vkCmdSetViewport
95 vkCmdSetScissor
96 vkCmdSetLineWidth
97 vkCmdSetDepthBias
98 vkCmdSetBlendConstants
99 vkCmdSetDepthBounds
100 vkCmdSetStencilCompareMask
101 vkCmdSetStencilWriteMask
102 vkCmdSetStencilReference
103 vkCmdBindDescriptorSets
104 vkCmdBindIndexBuffer
105 vkCmdBindVertexBuffers
106 vkCmdDraw
107 vkCmdDrawIndexed
108 vkCmdDrawIndirect
109 vkCmdDrawIndexedIndirect
110 vkCmdDispatch
111 vkCmdDispatchIndirect
112 vkCmdCopyBuffer
113 vkCmdCopyImage
114 vkCmdBlitImage
115 vkCmdCopyBufferToImage
116 vkCmdCopyImageToBuffer
117 vkCmdUpdateBuffer
118 vkCmdFillBuffer
119 vkCmdClearColorImage
120 vkCmdClearDepthStencilImage
121 vkCmdClearAttachments
122 vkCmdResolveImage
123 vkCmdSetEvent
124 vkCmdResetEvent
125 vkCmdWaitEvents
126 vkCmdPipelineBarrier
127 vkCmdBeginQuery
128 vkCmdEndQuery
129 vkCmdResetQueryPool
130 vkCmdWriteTimestamp
131 vkCmdCopyQueryPoolResults
132 vkCmdPushConstants
133 vkCmdBeginRenderPass
134 vkCmdNextSubpass
135 vkCmdEndRenderPass
136 vkCmdExecuteCommands
137 vkEnumerateInstanceVersion
138 vkBindBufferMemory2 vkBindBufferMemory2KHR
139 vkBindImageMemory2 vkBindImageMemory2KHR
140 vkGetDeviceGroupPeerMemoryFeatures vkGetDeviceGroupPeerMemoryFeaturesKHR
141 vkCmdSetDeviceMask vkCmdSetDeviceMaskKHR
142 vkCmdDispatchBase vkCmdDispatchBaseKHR
143 vkEnumeratePhysicalDeviceGroups vkEnumeratePhysicalDeviceGroupsKHR
144 vkGetImageMemoryRequirements2 vkGetImageMemoryRequirements2KHR
145 vkGetBufferMemoryRequirements2 vkGetBufferMemoryRequirements2KHR
146 vkGetImageSparseMemoryRequirements2 vkGetImageSparseMemoryRequirements2KHR
147 vkGetPhysicalDeviceFeatures2 vkGetPhysicalDeviceFeatures2KHR
148 vkGetPhysicalDeviceProperties2 vkGetPhysicalDeviceProperties2KHR
149 vkGetPhysicalDeviceFormatProperties2 vkGetPhysicalDeviceFormatProperties2KHR
150 vkGetPhysicalDeviceImageFormatProperties2 vkGetPhysicalDeviceImageFormatProperties2KHR
151 vkGetPhysicalDeviceQueueFamilyProperties2 vkGetPhysicalDeviceQueueFamilyProperties2KHR
152 vkGetPhysicalDeviceMemoryProperties2 vkGetPhysicalDeviceMemoryProperties2KHR
153 vkGetPhysicalDeviceSparseImageFormatProperties2 vkGetPhysicalDeviceSparseImageFormatProperties2KHR
154 vkTrimCommandPool vkTrimCommandPoolKHR
155 vkGetDeviceQueue2
156 vkCreateSamplerYcbcrConversion vkCreateSamplerYcbcrConversionKHR
157 vkDestroySamplerYcbcrConversion vkDestroySamplerYcbcrConversionKHR
158 vkCreateDescriptorUpdateTemplate vkCreateDescriptorUpdateTemplateKHR
159 vkDestroyDescriptorUpdateTemplate vkDestroyDescriptorUpdateTemplateKHR
160 vkUpdateDescriptorSetWithTemplate vkUpdateDescriptorSetWithTemplateKHR
161 vkGetPhysicalDeviceExternalBufferProperties vkGetPhysicalDeviceExternalBufferPropertiesKHR
162 vkGetPhysicalDeviceExternalFenceProperties vkGetPhysicalDeviceExternalFencePropertiesKHR
163 vkGetPhysicalDeviceExternalSemaphoreProperties vkGetPhysicalDeviceExternalSemaphorePropertiesKHR
164 vkGetDescriptorSetLayoutSupport vkGetDescriptorSetLayoutSupportKHR
165 vkCmdDrawIndirectCount vkCmdDrawIndirectCountKHR vkCmdDrawIndirectCountAMD
166 vkCmdDrawIndexedIndirectCount vkCmdDrawIndexedIndirectCountKHR vkCmdDrawIndexedIndirectCountAMD
167 vkCreateRenderPass2 vkCreateRenderPass2KHR
168 vkCmdBeginRenderPass2 vkCmdBeginRenderPass2KHR
169 vkCmdNextSubpass2 vkCmdNextSubpass2KHR
170 vkCmdEndRenderPass2 vkCmdEndRenderPass2KHR
171 vkResetQueryPool vkResetQueryPoolEXT
172 vkGetSemaphoreCounterValue vkGetSemaphoreCounterValueKHR
173 vkWaitSemaphores vkWaitSemaphoresKHR
174 vkSignalSemaphore vkSignalSemaphoreKHR
175 vkGetBufferDeviceAddress vkGetBufferDeviceAddressKHR vkGetBufferDeviceAddressEXT
176 vkGetBufferOpaqueCaptureAddress vkGetBufferOpaqueCaptureAddressKHR
177 vkGetDeviceMemoryOpaqueCaptureAddress vkGetDeviceMemoryOpaqueCaptureAddressKHR
178 vkSetReplyCommandStreamMESA
179 vkSeekReplyCommandStreamMESA
180 vkExecuteCommandStreamsMESA
181 vkCmdBindTransformFeedbackBuffersEXT
182 vkCmdBeginTransformFeedbackEXT
183 vkCmdEndTransformFeedbackEXT
184 vkCmdBeginQueryIndexedEXT
185 vkCmdEndQueryIndexedEXT
186 vkCmdDrawIndirectByteCountEXT
187 vkGetImageDrmFormatModifierPropertiesEXT
188 vkCreateRingMESA
189 vkDestroyRingMESA
190 vkNotifyRingMESA
191 vkWriteRingExtraMESA
192 vkGetMemoryResourcePropertiesMESA
193 vkGetMemoryFdKHR
194 vkGetMemoryFdPropertiesKHR
196 vkGetPhysicalDeviceToolProperties vkGetPhysicalDeviceToolPropertiesEXT
197 vkCreatePrivateDataSlot vkCreatePrivateDataSlotEXT
198 vkDestroyPrivateDataSlot vkDestroyPrivateDataSlotEXT
199 vkSetPrivateData vkSetPrivateDataEXT
200 vkGetPrivateData vkGetPrivateDataEXT
201 vkCmdSetEvent2 vkCmdSetEvent2KHR
202 vkCmdResetEvent2 vkCmdResetEvent2KHR
203 vkCmdWaitEvents2 vkCmdWaitEvents2KHR
204 vkCmdPipelineBarrier2 vkCmdPipelineBarrier2KHR
205 vkCmdWriteTimestamp2 vkCmdWriteTimestamp2KHR
206 vkQueueSubmit2 vkQueueSubmit2KHR
207 vkCmdCopyBuffer2 vkCmdCopyBuffer2KHR
208 vkCmdCopyImage2 vkCmdCopyImage2KHR
209 vkCmdCopyBufferToImage2 vkCmdCopyBufferToImage2KHR
210 vkCmdCopyImageToBuffer2 vkCmdCopyImageToBuffer2KHR
211 vkCmdBlitImage2 vkCmdBlitImage2KHR
212 vkCmdResolveImage2 vkCmdResolveImage2KHR
213 vkCmdBeginRendering vkCmdBeginRenderingKHR
214 vkCmdEndRendering vkCmdEndRenderingKHR
215 vkCmdSetCullMode vkCmdSetCullModeEXT
216 vkCmdSetFrontFace vkCmdSetFrontFaceEXT
217 vkCmdSetPrimitiveTopology vkCmdSetPrimitiveTopologyEXT
218 vkCmdSetViewportWithCount vkCmdSetViewportWithCountEXT
219 vkCmdSetScissorWithCount vkCmdSetScissorWithCountEXT
220 vkCmdBindVertexBuffers2 vkCmdBindVertexBuffers2EXT
221 vkCmdSetDepthTestEnable vkCmdSetDepthTestEnableEXT
222 vkCmdSetDepthWriteEnable vkCmdSetDepthWriteEnableEXT
223 vkCmdSetDepthCompareOp vkCmdSetDepthCompareOpEXT
224 vkCmdSetDepthBoundsTestEnable vkCmdSetDepthBoundsTestEnableEXT
225 vkCmdSetStencilTestEnable vkCmdSetStencilTestEnableEXT
226 vkCmdSetStencilOp vkCmdSetStencilOpEXT
227 vkCmdSetRasterizerDiscardEnable vkCmdSetRasterizerDiscardEnableEXT
228 vkCmdSetDepthBiasEnable vkCmdSetDepthBiasEnableEXT
229 vkCmdSetPrimitiveRestartEnable vkCmdSetPrimitiveRestartEnableEXT
230 vkGetDeviceBufferMemoryRequirements vkGetDeviceBufferMemoryRequirementsKHR
231 vkGetDeviceImageMemoryRequirements vkGetDeviceImageMemoryRequirementsKHR
232 vkGetDeviceImageSparseMemoryRequirements vkGetDeviceImageSparseMemoryRequirementsKHR
233 vkCmdSetPatchControlPointsEXT
234 vkCmdSetLogicOpEXT
235 vkGetPhysicalDeviceCalibrateableTimeDomainsEXT
236 vkGetCalibratedTimestampsEXT
237 vkCmdSetLineStippleEXT
238 vkImportFenceFdKHR
239 vkGetFenceFdKHR
240 vkCmdBeginConditionalRenderingEXT
241 vkCmdEndConditionalRenderingEXT
242 vkImportSemaphoreFdKHR
243 vkGetSemaphoreFdKHR
244 vkResetFenceResourceMESA
245 vkWaitSemaphoreResourceMESA
246 vkImportSemaphoreResourceMESA
247 vkCmdDrawMultiEXT
248 vkCmdDrawMultiIndexedEXT
249 vkCmdPushDescriptorSetKHR
250 vkCmdPushDescriptorSetWithTemplateKHR
251 vkSubmitVirtqueueSeqnoMESA
252 vkWaitVirtqueueSeqnoMESA
253 vkWaitRingSeqnoMESA
254 vkCmdSetColorWriteEnableEXT
255 vkCmdSetVertexInputEXT
256 vkCmdSetTessellationDomainOriginEXT
257 vkCmdSetDepthClampEnableEXT
258 vkCmdSetPolygonModeEXT
259 vkCmdSetRasterizationSamplesEXT
260 vkCmdSetSampleMaskEXT
261 vkCmdSetAlphaToCoverageEnableEXT
262 vkCmdSetAlphaToOneEnableEXT
263 vkCmdSetLogicOpEnableEXT
264 vkCmdSetColorBlendEnableEXT
265 vkCmdSetColorBlendEquationEXT
266 vkCmdSetColorWriteMaskEXT
267 vkCmdSetRasterizationStreamEXT
268 vkCmdSetConservativeRasterizationModeEXT
269 vkCmdSetExtraPrimitiveOverestimationSizeEXT
270 vkCmdSetDepthClipEnableEXT
271 vkCmdSetSampleLocationsEnableEXT
272 vkCmdSetColorBlendAdvancedEXT
273 vkCmdSetProvokingVertexModeEXT
274 vkCmdSetLineRasterizationModeEXT
275 vkCmdSetLineStippleEnableEXT
276 vkCmdSetDepthClipNegativeOneToOneEXT
277 vkGetPhysicalDeviceFragmentShadingRatesKHR
278 vkCmdSetFragmentShadingRateKHR
279 vkCmdBindIndexBuffer2KHR
280 vkGetRenderingAreaGranularityKHR
281 vkGetDeviceImageSubresourceLayoutKHR
282 vkGetImageSubresourceLayout2KHR vkGetImageSubresourceLayout2EXT
283 vkCmdSetSampleLocationsEXT
284 vkGetPhysicalDeviceMultisamplePropertiesEXT
285 vkMapMemory2 vkMapMemory2KHR
286 vkUnmapMemory2 vkUnmapMemory2KHR
287 vkCmdSetRenderingAttachmentLocations vkCmdSetRenderingAttachmentLocationsKHR
288 vkCmdSetRenderingInputAttachmentIndices vkCmdSetRenderingInputAttachmentIndicesKHR
289 vkCmdBindDescriptorSets2 vkCmdBindDescriptorSets2KHR
290 vkCmdPushConstants2 vkCmdPushConstants2KHR
291 vkCmdPushDescriptorSet2 vkCmdPushDescriptorSet2KHR
292 vkCmdPushDescriptorSetWithTemplate2 vkCmdPushDescriptorSetWithTemplate2KHR
293 vkCopyMemoryToImage vkCopyMemoryToImageEXT
294 vkCopyImageToMemory vkCopyImageToMemoryEXT
295 vkCopyImageToImage vkCopyImageToImageEXT
296 vkTransitionImageLayout vkTransitionImageLayoutEXT
297 vkCopyImageToMemoryMESA
298 vkCopyMemoryToImageMESA
299 vkCreateDeferredOperationKHR
300 vkDestroyDeferredOperationKHR
301 vkGetDeferredOperationMaxConcurrencyKHR
302 vkGetDeferredOperationResultKHR
303 vkDeferredOperationJoinKHR
304 vkCreateAccelerationStructureKHR
305 vkDestroyAccelerationStructureKHR
306 vkCmdBuildAccelerationStructuresKHR
307 vkCmdBuildAccelerationStructuresIndirectKHR
308 vkBuildAccelerationStructuresKHR
309 vkCopyAccelerationStructureKHR
310 vkCopyAccelerationStructureToMemoryKHR
311 vkCopyMemoryToAccelerationStructureKHR
312 vkWriteAccelerationStructuresPropertiesKHR
313 vkCmdCopyAccelerationStructureKHR
314 vkCmdCopyAccelerationStructureToMemoryKHR
315 vkCmdCopyMemoryToAccelerationStructureKHR
316 vkGetAccelerationStructureDeviceAddressKHR
317 vkCmdWriteAccelerationStructuresPropertiesKHR
318 vkGetDeviceAccelerationStructureCompatibilityKHR
319 vkGetAccelerationStructureBuildSizesKHR
320 vkCmdTraceRaysKHR
321 vkCreateRayTracingPipelinesKHR
322 vkGetRayTracingShaderGroupHandlesKHR vkGetRayTracingShaderGroupHandlesNV
323 vkGetRayTracingCaptureReplayShaderGroupHandlesKHR
324 vkCmdTraceRaysIndirectKHR
325 vkGetRayTracingShaderGroupStackSizeKHR
326 vkCmdSetRayTracingPipelineStackSizeKHR
327 vkCmdTraceRaysIndirect2KHR
328 vkCmdSetDepthBias2EXT
329 vkCmdSetAttachmentFeedbackLoopEnableEXT
330 vkCmdSetDepthClampRangeEXT
331 vkGetPhysicalDeviceCooperativeMatrixPropertiesKHR
332 vkCmdDrawMeshTasksEXT
333 vkCmdDrawMeshTasksIndirectEXT
334 vkCmdDrawMeshTasksIndirectCountEXT
"""

# ---------------------------------------------------------------------------------------------
# Extension allow-list (spec Appendix A: every extension Mesa 25.0.7's encoder knows). Extension
# numbers and spec versions come from the registry; names the registry lacks are skipped.
# ---------------------------------------------------------------------------------------------

EXTENSIONS = """
VK_EXT_4444_formats VK_EXT_attachment_feedback_loop_layout VK_EXT_border_color_swizzle
VK_EXT_calibrated_timestamps VK_EXT_color_write_enable VK_EXT_command_serialization
VK_EXT_conditional_rendering VK_EXT_conservative_rasterization VK_EXT_custom_border_color
VK_EXT_depth_clip_control VK_EXT_depth_clip_enable VK_EXT_descriptor_indexing
VK_EXT_dynamic_rendering_unused_attachments VK_EXT_extended_dynamic_state
VK_EXT_extended_dynamic_state2 VK_EXT_extended_dynamic_state3
VK_EXT_external_memory_acquire_unmodified VK_EXT_external_memory_dma_buf
VK_EXT_fragment_shader_interlock VK_EXT_graphics_pipeline_library VK_EXT_host_query_reset
VK_EXT_image_2d_view_of_3d VK_EXT_image_drm_format_modifier VK_EXT_image_robustness
VK_EXT_image_view_min_lod VK_EXT_index_type_uint8 VK_EXT_inline_uniform_block
VK_EXT_line_rasterization VK_EXT_load_store_op_none VK_EXT_memory_budget VK_EXT_multi_draw
VK_EXT_mutable_descriptor_type VK_EXT_non_seamless_cube_map VK_EXT_pci_bus_info
VK_EXT_pipeline_creation_cache_control VK_EXT_pipeline_creation_feedback
VK_EXT_primitive_topology_list_restart VK_EXT_primitives_generated_query VK_EXT_private_data
VK_EXT_provoking_vertex VK_EXT_queue_family_foreign VK_EXT_rasterization_order_attachment_access
VK_EXT_robustness2 VK_EXT_sampler_filter_minmax VK_EXT_scalar_block_layout
VK_EXT_separate_stencil_usage VK_EXT_shader_demote_to_helper_invocation
VK_EXT_shader_stencil_export VK_EXT_shader_subgroup_ballot VK_EXT_shader_viewport_index_layer
VK_EXT_subgroup_size_control VK_EXT_texel_buffer_alignment VK_EXT_texture_compression_astc_hdr
VK_EXT_tooling_info VK_EXT_transform_feedback VK_EXT_vertex_attribute_divisor
VK_EXT_vertex_input_dynamic_state VK_EXT_ycbcr_2plane_444_formats VK_KHR_16bit_storage
VK_KHR_8bit_storage VK_KHR_bind_memory2 VK_KHR_buffer_device_address VK_KHR_copy_commands2
VK_KHR_create_renderpass2 VK_KHR_dedicated_allocation VK_KHR_depth_stencil_resolve
VK_KHR_descriptor_update_template VK_KHR_device_group VK_KHR_device_group_creation
VK_KHR_draw_indirect_count VK_KHR_driver_properties VK_KHR_dynamic_rendering
VK_KHR_external_fence VK_KHR_external_fence_capabilities VK_KHR_external_fence_fd
VK_KHR_external_memory VK_KHR_external_memory_capabilities VK_KHR_external_memory_fd
VK_KHR_external_semaphore VK_KHR_external_semaphore_capabilities VK_KHR_external_semaphore_fd
VK_KHR_format_feature_flags2 VK_KHR_fragment_shading_rate VK_KHR_get_memory_requirements2
VK_KHR_get_physical_device_properties2 VK_KHR_image_format_list VK_KHR_imageless_framebuffer
VK_KHR_maintenance1 VK_KHR_maintenance2 VK_KHR_maintenance3 VK_KHR_maintenance4
VK_KHR_maintenance5 VK_KHR_multiview VK_KHR_pipeline_library VK_KHR_push_descriptor
VK_KHR_relaxed_block_layout VK_KHR_sampler_mirror_clamp_to_edge VK_KHR_sampler_ycbcr_conversion
VK_KHR_separate_depth_stencil_layouts VK_KHR_shader_atomic_int64 VK_KHR_shader_clock
VK_KHR_shader_draw_parameters VK_KHR_shader_float16_int8 VK_KHR_shader_float_controls
VK_KHR_shader_integer_dot_product VK_KHR_shader_non_semantic_info
VK_KHR_shader_subgroup_extended_types VK_KHR_shader_terminate_invocation VK_KHR_spirv_1_4
VK_KHR_storage_buffer_storage_class VK_KHR_synchronization2 VK_KHR_timeline_semaphore
VK_KHR_uniform_buffer_standard_layout VK_KHR_variable_pointers VK_KHR_vulkan_memory_model
VK_KHR_zero_initialize_workgroup_memory VK_MESA_venus_protocol VK_VALVE_mutable_descriptor_type
"""

# Core versions: every <feature> for the Vulkan API in the registry is supported.

# ---------------------------------------------------------------------------------------------
# Override table (spec section 4.1) -- the only hand-maintained wire semantics.
# ---------------------------------------------------------------------------------------------

# Unions: the tag the driver always sends (spec 2.6). Unlisted unions default to tag 0.
UNION_DEFAULT_TAGS = {
    'VkClearColorValue': 2,
    'VkClearValue': 0,
    'VkDeviceOrHostAddressKHR': 0,
    'VkDeviceOrHostAddressConstKHR': 0,
    'VkPipelineExecutableStatisticValueKHR': 2,
}

# Conditional ("ignorable") arrays (spec 2.8): encoded with count 0 when the condition is false;
# the decoder accepts count 0 there whatever the count member says. Conditions are C expressions
# over members of the same struct, written as {member}.
CONDITIONAL_MEMBERS = {
    ('VkBufferCreateInfo', 'pQueueFamilyIndices'): '{sharingMode} == VK_SHARING_MODE_CONCURRENT',
    ('VkImageCreateInfo', 'pQueueFamilyIndices'): '{sharingMode} == VK_SHARING_MODE_CONCURRENT',
    ('VkPhysicalDeviceImageDrmFormatModifierInfoEXT', 'pQueueFamilyIndices'):
        '{sharingMode} == VK_SHARING_MODE_CONCURRENT',
    ('VkFramebufferCreateInfo', 'pAttachments'): '!({flags} & VK_FRAMEBUFFER_CREATE_IMAGELESS_BIT)',
}

# Length expressions that are not a plain member name (spec 2.3). Anything else with an `altlen`
# uses vk.xml's altlen. Fixed-size arrays always send their full size (spec 2.4) -- no table needed.
LEN_OVERRIDES = {
    ('VkShaderModuleCreateInfo', 'pCode'): '{codeSize} / 4',
    ('VkPipelineMultisampleStateCreateInfo', 'pSampleMask'): '({rasterizationSamples} + 31) / 32',
}

# Parameters that are in-out although no other parameter's len names them (spec 2.7).
INOUT_PARAMS = {
    ('vkRegisterCustomBorderColorEXT', 'pIndex'),
}

# Commands never generated: Mesa 25.0.7 has no encoder for them (spec 4.1).
NEVER_GENERATED = {
    'vkGetInstanceProcAddr', 'vkGetDeviceProcAddr', 'vkMapMemory',
    'vkUpdateDescriptorSetWithTemplate', 'vkCmdPushDescriptorSetWithTemplate',
    'vkCmdPushDescriptorSetWithTemplateKHR', 'vkCmdPushDescriptorSetWithTemplate2',
    'vkCmdPushDescriptorSetWithTemplate2KHR', 'vkGetMemoryFdKHR', 'vkGetMemoryFdPropertiesKHR',
    'vkImportFenceFdKHR', 'vkGetFenceFdKHR', 'vkImportSemaphoreFdKHR', 'vkGetSemaphoreFdKHR',
    'vkBuildAccelerationStructuresKHR', 'vkCopyAccelerationStructureKHR',
    'vkCopyAccelerationStructureToMemoryKHR', 'vkCopyMemoryToAccelerationStructureKHR',
    'vkWriteAccelerationStructuresPropertiesKHR',
}

# Commands decoded but rejected by policy: the dispatcher fails them without calling a handler.
POLICY_REJECTED = {
    'vkQueueWaitIdle', 'vkDeviceWaitIdle', 'vkGetDeviceQueue', 'vkUnmapMemory',
    'vkFlushMappedMemoryRanges', 'vkInvalidateMappedMemoryRanges',
    'vkEnumerateInstanceLayerProperties', 'vkEnumerateDeviceLayerProperties',
}


def _lines(text):
    return [line.split() for line in text.splitlines() if line.strip() and not line.startswith('#')]


def command_types():
    """{command name or alias: value}"""
    table = {}
    for fields in _lines(COMMAND_TYPES):
        value = int(fields[0])
        for name in fields[1:]:
            table[name] = value
    return table


def extension_allow_list():
    return [name for fields in _lines(EXTENSIONS) for name in fields]
