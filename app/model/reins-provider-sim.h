/* reins-provider-sim.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The `sim` provider (docs/providers.md).
 */

#pragma once

#include "reins-provider.h"

G_BEGIN_DECLS

#define REINS_TYPE_PROVIDER_SIM (reins_provider_sim_get_type ())

G_DECLARE_FINAL_TYPE (ReinsProviderSim, reins_provider_sim, REINS, PROVIDER_SIM, GObject)

ReinsProvider *reins_provider_sim_new (const ReinsProviderConfig  *config,
                                       GError                    **error);

G_END_DECLS
