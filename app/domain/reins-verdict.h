/* reins-verdict.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One guard's judgement of one step, with the sentence a person reads. Immutable.
 */

#pragma once

#include <json-glib/json-glib.h>

#include "reins-domain-types.h"

G_BEGIN_DECLS

#define REINS_TYPE_VERDICT (reins_verdict_get_type ())

G_DECLARE_FINAL_TYPE (ReinsVerdict, reins_verdict, REINS, VERDICT, GObject)

ReinsVerdict     *reins_verdict_new            (const char        *guard,
                                                ReinsVerdictKind   kind,
                                                const char        *reason);
ReinsVerdict     *reins_verdict_new_with_steps (const char        *guard,
                                                ReinsVerdictKind   kind,
                                                const char        *reason,
                                                const guint       *steps,
                                                guint              n_steps);
ReinsVerdict     *reins_verdict_new_from_json  (JsonNode          *node,
                                                GError           **error);
ReinsVerdictPhase reins_verdict_get_phase     (ReinsVerdict      *self);
void              reins_verdict_set_phase      (ReinsVerdict      *self,
                                                ReinsVerdictPhase  phase);
const char       *reins_verdict_get_guard      (ReinsVerdict      *self);
ReinsVerdictKind  reins_verdict_get_kind       (ReinsVerdict      *self);
const char       *reins_verdict_get_reason     (ReinsVerdict      *self);
const guint      *reins_verdict_get_steps      (ReinsVerdict      *self,
                                                guint             *n_steps);
JsonNode         *reins_verdict_to_json        (ReinsVerdict      *self);

G_END_DECLS
