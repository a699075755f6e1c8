/* reins-confidence.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Confidence = exp(mean log-probability) over the tokens of the action, so a hesitant tool
 * call weighs more than a confident preamble; the whole reply when the action cannot be
 * located.
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "reins-confidence.h"

/* OpenAI reports -9999 for "not among the top 20"; it says nothing about the token. */
#define SENTINEL_FLOOR -9000.0

static gboolean
usable (const ReinsTokenLogprob *lp,
        double                  *value)
{
  if (!isfinite (lp->logprob) || lp->logprob <= SENTINEL_FLOOR)
    return FALSE;
  /* Rounding may give a tiny positive number; anything larger is garbage. */
  if (lp->logprob > 1e-3)
    return FALSE;
  *value = MIN (lp->logprob, 0.0);
  return TRUE;
}

/* Finds the byte span of the action in a ReAct text: @action_text where it occurs after the
 * last `Action:`, else everything after that `Action:` (or `Final Answer:`). */
static gboolean
locate_action (const char *text,
               const char *action_text,
               gsize      *start,
               gsize      *end)
{
  const char *marker = g_strrstr (text, "Action:");
  const char *from;
  const char *found;

  if (marker == NULL)
    marker = g_strrstr (text, "Final Answer:");
  from = marker != NULL ? marker : text;

  if (action_text != NULL && action_text[0] != '\0' &&
      (found = strstr (from, action_text)) != NULL)
    {
      *start = found - text;
      *end = *start + strlen (action_text);
      return TRUE;
    }

  if (marker != NULL)
    {
      *start = strchr (marker, ':') + 1 - text;
      *end = strlen (text);
      return *end > *start;
    }

  return FALSE;
}

/**
 * reins_confidence_compute:
 * @response: (nullable): the model's reply
 * @action_text: (nullable): the action as it appears in a ReAct reply (its JSON)
 * @source: (out) (optional): where the number came from
 *
 * Log-probabilities that are missing, NaN, infinite, positive or the -9999 sentinel are
 * skipped; with none left the result is %REINS_CONFIDENCE_DEFAULT from source `default`.
 *
 * Returns: a confidence in [0, 1]
 */
double
reins_confidence_compute (const ReinsChatResponse *response,
                          const char              *action_text,
                          ReinsConfidenceSource   *source)
{
  GArray *lps = response != NULL ? response->logprobs : NULL;
  const char *text = response != NULL && response->text != NULL ? response->text : "";
  double sums[3] = { 0, 0, 0 };  /* tool-call tokens, action span, whole text */
  guint counts[3] = { 0, 0, 0 };
  gsize start = 0, end = 0;
  gboolean located;

  if (source != NULL)
    *source = REINS_CONFIDENCE_SOURCE_DEFAULT;
  if (lps == NULL || lps->len == 0)
    return REINS_CONFIDENCE_DEFAULT;

  located = locate_action (text, action_text, &start, &end);

  for (guint i = 0; i < lps->len; i++)
    {
      const ReinsTokenLogprob *lp = &g_array_index (lps, ReinsTokenLogprob, i);
      double v;

      if (!usable (lp, &v))
        continue;
      if (lp->in_tool_call)
        {
          sums[0] += v;
          counts[0]++;
          continue;
        }
      if (located)
        {
          gsize len = lp->token != NULL ? strlen (lp->token) : 0;

          /* A token counts when it overlaps the action's bytes. */
          if (lp->offset < end && lp->offset + MAX (len, 1) > start)
            {
              sums[1] += v;
              counts[1]++;
            }
        }
      sums[2] += v;
      counts[2]++;
    }

  for (guint k = 0; k < G_N_ELEMENTS (sums); k++)
    if (counts[k] > 0)
      {
        if (source != NULL)
          *source = REINS_CONFIDENCE_SOURCE_LOGPROBS;
        return CLAMP (exp (sums[k] / counts[k]), 0.0, 1.0);
      }

  return REINS_CONFIDENCE_DEFAULT;
}
