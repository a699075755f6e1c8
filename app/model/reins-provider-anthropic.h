/* reins-provider-anthropic.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The `anthropic` provider (docs/providers.md).
 */

#pragma once

#include "reins-provider.h"

G_BEGIN_DECLS

#define REINS_TYPE_PROVIDER_ANTHROPIC (reins_provider_anthropic_get_type ())

G_DECLARE_FINAL_TYPE (ReinsProviderAnthropic, reins_provider_anthropic, REINS, PROVIDER_ANTHROPIC, GObject)

ReinsProvider *reins_provider_anthropic_new (const ReinsProviderConfig  *config,
                                             GError                    **error);

G_END_DECLS
