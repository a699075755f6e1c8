/* reins-confidence.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A step's confidence from the token log-probabilities of the model's reply.
 */

#pragma once

#include "reins-chat.h"

G_BEGIN_DECLS

/* The confidence used when a provider returns no log-probabilities. */
#define REINS_CONFIDENCE_DEFAULT 0.8

double reins_confidence_compute (const ReinsChatResponse *response,
                                 const char              *action_text,
                                 ReinsConfidenceSource   *source);

G_END_DECLS
