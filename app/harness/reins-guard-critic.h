/* reins-guard-critic.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "reins-guard.h"

G_BEGIN_DECLS

#define REINS_TYPE_GUARD_CRITIC (reins_guard_critic_get_type ())

G_DECLARE_FINAL_TYPE (ReinsGuardCritic, reins_guard_critic, REINS, GUARD_CRITIC, GObject)

ReinsGuard *reins_guard_critic_new   (void);
gboolean    reins_guard_critic_parse (const char    *reply,
                                      guint          last_step,
                                      ReinsCritique *critique,
                                      GError       **error);

G_END_DECLS
