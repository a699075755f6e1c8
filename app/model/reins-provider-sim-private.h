/* reins-provider-sim-private.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the simulator's files share: its instance, and the critic (reins-sim-critic.c).
 */

#pragma once

#include "reins-provider-sim.h"

G_BEGIN_DECLS
struct _ReinsProviderSim
{
  GObject  parent_instance;

  char    *model;
  guint64  seed;
  double   accuracy;
  double   critic_accuracy;
  guint    stream_delay_ms;
};

/* reins-sim-critic.c */
ReinsChatResponse *reins_sim_critic (ReinsProviderSim  *self,
                                     ReinsChatRequest  *request,
                                     GCancellable      *cancellable,
                                     GError           **error);

G_END_DECLS
