/* fuzz-target.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What every fuzz target defines: libFuzzer's entry point. Each target is built twice — with
 * clang's -fsanitize=fuzzer to search, and with fuzz-replay.c as a plain test that runs its
 * seed corpus in every build. A target checks properties with fuzz_check(), which aborts in
 * any build type, since g_assert() may be compiled out.
 */

#pragma once

#include <stddef.h>
#include <stdint.h>
#include <glib.h>

G_BEGIN_DECLS

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

#define fuzz_check(expr) \
  G_STMT_START { \
    if (G_UNLIKELY (!(expr))) \
      g_error ("%s:%d: property violated: %s", __FILE__, __LINE__, #expr); \
  } G_STMT_END

G_END_DECLS
