/* reins-compressor.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "reins-compressor.h"
#include "reins-guard.h"
#include "reins-prompt.h"
#include "reins-provider-info.h"
#include "reins-run-cost.h"

struct _ReinsCompressor
{
  /* The worker's, which outlive this. */
  ReinsStore    *store;
  ReinsProvider *provider;
  ReinsRun      *run;
  GPtrArray     *steps;
  GCancellable  *cancellable;

  guint          last_compression;
  char          *summary;           /* of steps 1 … last_compression */
  gboolean       native_summary_failed;
  ReinsPromptTally *tally;          /* of the extractive summaries */
};

/**
 * reins_compressor_new:
 * @store: where summaries are kept
 * @provider: the run's model, for model-written summaries
 * @run: the run; its settings say how to summarise, and a model call's cost is added to it
 * @steps: (element-type ReinsStep): the run's steps in order, as the worker grows them
 * @cancellable: (nullable): the worker's
 *
 * None of these is referenced: they must outlive the compressor.
 */
ReinsCompressor *
reins_compressor_new (ReinsStore    *store,
                      ReinsProvider *provider,
                      ReinsRun      *run,
                      GPtrArray     *steps,
                      GCancellable  *cancellable)
{
  ReinsCompressor *self = g_new0 (ReinsCompressor, 1);

  self->store = store;
  self->provider = provider;
  self->run = run;
  self->steps = steps;
  self->cancellable = cancellable;
  self->tally = reins_prompt_tally_new ();
  return self;
}

void
reins_compressor_free (ReinsCompressor *self)
{
  if (self == NULL)
    return;
  g_free (self->summary);
  reins_prompt_tally_free (self->tally);
  g_free (self);
}

/* Summaries are written by the model when it can (a real provider), else extracted from
 * the steps; settings "summarizer" ("model" or "extractive") decides otherwise. */
gboolean
reins_compressor_uses_model (ReinsCompressor *self)
{
  const char *summarizer = reins_settings_get_string (reins_run_get_settings (self->run),
                                                      "summarizer", NULL);
  const ReinsProviderInfo *info =
    reins_provider_info_lookup (reins_provider_get_name (self->provider));

  if (summarizer != NULL)
    return g_str_equal (summarizer, "model");
  /* A real model writes the summary; the simulator and a script would not write a useful one. */
  return info == NULL || reins_provider_info_has_endpoint (info);
}

/* Asks the model to fold steps last_compression+1 … upto into the running summary. Its
 * tokens and cost are the step's. NULL when the model could not (the caller extracts). */
static char *
model_summary (ReinsCompressor *self,
               ReinsStep       *step,
               guint            upto)
{
  g_autoptr(ReinsChatRequest) request = NULL;
  g_autoptr(ReinsChatResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  request = reins_prompt_summary_update (self->run, self->steps, self->summary,
                                         self->last_compression, upto);
  request->model = g_strdup (reins_run_get_model (self->run));
  request->native_tools = FALSE;
  request->want_logprobs = FALSE;
  request->stream = FALSE;

  response = reins_provider_chat (self->provider, request, NULL, NULL, self->cancellable,
                                  &error);
  if (response == NULL)
    {
      g_message ("The model could not summarise steps of run %s (%s); an extractive summary "
                 "is used instead.", reins_run_get_id (self->run), error->message);
      return NULL;
    }

  reins_run_cost_add_call (self->run, step, response->input_tokens, response->output_tokens);

  text = g_strstrip (g_strdup (response->text != NULL ? response->text : ""));
  if (*text == '\0')
    return NULL;
  if (strlen (text) > 4000)
    {
      const char *end = g_utf8_find_prev_char (text, text + 4000);
      text[end != NULL ? end - text : 0] = '\0';
    }
  return g_steal_pointer (&text);
}

/**
 * reins_compressor_summary_upto:
 * @step: the step being prompted for; a model summary's tokens and cost are its
 * @upto: the last step the summary covers, > 0
 *
 * The summary of steps 1 … @upto: the one already made (this run, or stored by an earlier
 * process — so a resumed run prompts as the first one did), or a new one, stored.
 *
 * Returns: (transfer none): the summary, valid until the next call
 */
const char *
reins_compressor_summary_upto (ReinsCompressor *self,
                               ReinsStep       *step,
                               guint            upto)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = NULL;
  guint stored_upto = 0;

  if (upto == self->last_compression && self->summary != NULL)
    return self->summary;

  summary = reins_store_get_compression (self->store, reins_run_get_id (self->run), upto + 1,
                                         &stored_upto, NULL);
  if (summary == NULL || stored_upto != upto)
    {
      g_clear_pointer (&summary, g_free);
      if (reins_compressor_uses_model (self) && !self->native_summary_failed)
        {
          summary = model_summary (self, step, upto);
          if (summary == NULL)
            self->native_summary_failed = TRUE;
        }
      if (summary == NULL)
        summary = reins_prompt_summarize_with (self->steps, upto, self->tally);

      if (!reins_store_add_compression (self->store, reins_run_get_id (self->run), upto,
                                        summary, &error))
        g_warning ("Could not store the summary of run %s: %s", reins_run_get_id (self->run),
                   error->message);
    }

  self->last_compression = upto;
  g_free (self->summary);
  self->summary = g_steal_pointer (&summary);
  return self->summary;
}
