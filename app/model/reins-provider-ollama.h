/* reins-provider-ollama.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The `ollama` provider (docs/providers.md).
 */

#pragma once

#include "reins-provider.h"

G_BEGIN_DECLS

#define REINS_TYPE_PROVIDER_OLLAMA (reins_provider_ollama_get_type ())

G_DECLARE_FINAL_TYPE (ReinsProviderOllama, reins_provider_ollama, REINS, PROVIDER_OLLAMA, GObject)

ReinsProvider *reins_provider_ollama_new (const ReinsProviderConfig  *config,
                                          GError                    **error);

G_END_DECLS
