/* reins-error.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "reins-error.h"

G_DEFINE_QUARK (reins-error-quark, reins_error)
