/* reins-provider-openai.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The `openai` provider (docs/providers.md).
 */

#pragma once

#include "reins-provider.h"

G_BEGIN_DECLS

#define REINS_TYPE_PROVIDER_OPENAI (reins_provider_openai_get_type ())

G_DECLARE_FINAL_TYPE (ReinsProviderOpenai, reins_provider_openai, REINS, PROVIDER_OPENAI, GObject)

ReinsProvider *reins_provider_openai_new (const ReinsProviderConfig  *config,
                                          GError                    **error);

G_END_DECLS
