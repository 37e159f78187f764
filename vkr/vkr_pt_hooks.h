/*
 * Copyright 2025 virgl-next authors
 * SPDX-License-Identifier: MIT
 *
 * What the generated pass-through handlers (vkr_proto_pt.c) need from the backend: the host
 * function table and the per-context object table (guest id <-> host handle).
 */
#ifndef VKR_PT_HOOKS_H
#define VKR_PT_HOOKS_H

#include "vkr_proto_pt.h"

/* The host functions of the context running this dispatch (NULL before vkCreateInstance). */
struct vkr_procs *vkr_pt_procs(struct vkr_dispatch *dispatch);
/* 0 if id may name a new object: non-zero and not bound yet (else -EINVAL / -EEXIST). */
int vkr_pt_check_new(struct vkr_dispatch *dispatch, uint64_t id);
/* Binds id to a new host object; parent is the host handle it dies with (device or pool). */
int vkr_pt_add(struct vkr_dispatch *dispatch, VkObjectType type, uint64_t id, uint64_t handle,
               uint64_t parent);
/* Drops the binding of a destroyed host object (and of everything whose parent it is). */
void vkr_pt_remove(struct vkr_dispatch *dispatch, VkObjectType type, uint64_t handle);
/* Drops the bindings of the objects whose parent is handle (pool reset). */
void vkr_pt_remove_children(struct vkr_dispatch *dispatch, uint64_t handle);

#endif
