/* reins-replay.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Replay and what-if: a stored run's steps judged again by a fresh harness, under the run's
 * own settings or other ones, without calling the model or running a tool.
 */

#pragma once

#include "reins-domain.h"

G_BEGIN_DECLS

typedef struct
{
  ReinsStep    *step;            /* the stored step, its verdicts replaced by the replayed ones */
  GPtrArray    *stored_verdicts; /* (element-type ReinsVerdict) what the live run recorded */
  ReinsVerdict *stored_worst;    /* (nullable) the most severe stored verdict */
  ReinsVerdict *replayed_worst;  /* (nullable) the most severe replayed verdict */
  gboolean      changed;         /* the most severe verdict differs (kind or guard) */
} ReinsReplayStep;

void       reins_replay_step_free    (ReinsReplayStep  *self);

GPtrArray *reins_replay_run          (ReinsRun         *run,
                                      GPtrArray        *steps,
                                      JsonObject       *settings,
                                      GError          **error);
JsonObject *reins_replay_settings_merge (JsonObject    *base,
                                         JsonObject    *overrides);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ReinsReplayStep, reins_replay_step_free)

G_END_DECLS
