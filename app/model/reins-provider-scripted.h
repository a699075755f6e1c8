/* reins-provider-scripted.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The `scripted` provider (docs/providers.md).
 */

#pragma once

#include "reins-provider.h"

G_BEGIN_DECLS

#define REINS_TYPE_PROVIDER_SCRIPTED (reins_provider_scripted_get_type ())

G_DECLARE_FINAL_TYPE (ReinsProviderScripted, reins_provider_scripted, REINS, PROVIDER_SCRIPTED, GObject)

ReinsProvider *reins_provider_scripted_new (const ReinsProviderConfig  *config,
                                            GError                    **error);

G_END_DECLS
