/* reins-guard-loop.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Loops, judged after each observation over the steps since the guard last spoke:
 *
 *  - exact patterns, as the best-known stuck detectors check them: repeated empty replies;
 *    3 replies in a row with no action; the same action failing 3 times; the same action
 *    with the same observation 4 times; an A-B-A-B-A-B cycle over 6 steps with repeating
 *    observations;
 *  - semantic repeats: the last 3 actions, embedded, with both consecutive cosines above
 *    "loop_threshold" (default 0.92) while their observations bring nothing new.
 *
 * A changing observation is progress: the semantic check wants the later observations to
 * add no new words (words the action itself asked for do not count), and the tools listed in
 * "polling_tools" may repeat as long as what they return changes.
 *
 * Escalation from the history: the first detection corrects the model, the second asks a
 * person, the third ends the run. After the guard spoke the window restarts, so a model that
 * complies is not flagged again for the old repeats.
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "reins-embedder.h"
#include "reins-guard-loop.h"
#include "reins-run-settings.h"

#define DEFAULT_THRESHOLD REINS_RUN_SETTINGS_DEFAULT_LOOP_THRESHOLD
#define SEMANTIC_WINDOW 3
#define SAME_OBSERVATION_COUNT 4
#define SAME_FAILURE_COUNT 3
#define NO_ACTION_COUNT 3
#define EMPTY_REPLY_COUNT 2
#define CYCLE_LENGTH 6

struct _ReinsGuardLoop
{
  GObject parent_instance;
};

static void guard_iface_init (ReinsGuardInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ReinsGuardLoop, reins_guard_loop, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (REINS_TYPE_GUARD, guard_iface_init))

static const char *
reins_guard_loop_get_name (ReinsGuard *guard)
{
  return "loop";
}

static ReinsStep *
at (GPtrArray *window,
    guint      from_end)
{
  return g_ptr_array_index (window, window->len - 1 - from_end);
}

static gboolean
reply_is_empty (ReinsStep *step)
{
  const char *reply = reins_step_get_reply (step);

  if (reins_step_get_action (step) != NULL)
    return FALSE;
  if (reply == NULL)
    return TRUE;
  while (*reply != '\0' && g_ascii_isspace (*reply))
    reply++;
  return *reply == '\0';
}

/* Compared by their canonical texts: reins_action_equal() would take references on the
 * arguments, which the main thread may be reading at the same time. */
static gboolean
same_action (ReinsStep *a,
             ReinsStep *b)
{
  g_autofree char *ta = NULL;
  g_autofree char *tb = NULL;

  if (reins_step_get_action (a) == NULL || reins_step_get_action (b) == NULL)
    return FALSE;
  if (a == b)
    return TRUE;
  ta = reins_action_canonical_text (reins_step_get_action (a));
  tb = reins_action_canonical_text (reins_step_get_action (b));
  return g_str_equal (ta, tb);
}

static gboolean
is_finish (ReinsStep *step)
{
  ReinsAction *action = reins_step_get_action (step);

  return action != NULL && g_str_equal (reins_action_get_name (action), "finish");
}

/* The words of @text, lower-cased: runs of letters, digits and - _ . / : */
static void
add_words (GHashTable *words,
           const char *text)
{
  g_autofree char *lower = NULL;
  const char *p;

  if (text == NULL)
    return;
  lower = g_utf8_strdown (text, -1);
  p = lower;
  while (*p != '\0')
    {
      const char *start;

      while (*p != '\0' && !g_ascii_isalnum (*p) && !((guchar) *p & 0x80))
        p++;
      start = p;
      while (*p != '\0' && (g_ascii_isalnum (*p) || ((guchar) *p & 0x80) ||
                            strchr ("-_./:", *p) != NULL))
        p++;
      if (p > start)
        g_hash_table_add (words, g_strndup (start, p - start));
    }
}

/* Whether the observation of @step says something the earlier ones in @window (from
 * @first) did not, beyond the words its own action asked for. */
static gboolean
observation_is_new (GPtrArray *window,
                    guint      first,
                    guint      position)
{
  ReinsStep *step = g_ptr_array_index (window, position);
  g_autoptr(GHashTable) known = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *action_text = NULL;
  GHashTableIter iter;
  gpointer word;

  for (guint i = first; i < position; i++)
    add_words (known, reins_step_get_observation (g_ptr_array_index (window, i)));
  if (reins_step_get_action (step) != NULL)
    {
      action_text = reins_action_canonical_text (reins_step_get_action (step));
      add_words (known, action_text);
    }

  add_words (seen, reins_step_get_observation (step));
  g_hash_table_iter_init (&iter, seen);
  while (g_hash_table_iter_next (&iter, &word, NULL))
    if (!g_hash_table_contains (known, word))
      return TRUE;

  return FALSE;
}

typedef struct
{
  const char *what;   /* a sentence saying what repeats */
  guint       count;  /* how many of the last steps of the window form it */
  char       *owned;
} Finding;

static gboolean
check_exact (GPtrArray *window,
             Finding   *found)
{
  guint n = window->len;
  gboolean match;

  if (n >= EMPTY_REPLY_COUNT)
    {
      match = TRUE;
      for (guint i = 0; match && i < EMPTY_REPLY_COUNT; i++)
        match = reply_is_empty (at (window, i));
      if (match)
        {
          found->what = _("The model’s replies are empty.");
          found->count = EMPTY_REPLY_COUNT;
          return TRUE;
        }
    }

  if (n >= NO_ACTION_COUNT)
    {
      match = TRUE;
      for (guint i = 0; match && i < NO_ACTION_COUNT; i++)
        match = reins_step_get_action (at (window, i)) == NULL;
      if (match)
        {
          found->what = _("The model replied three times in a row without a usable action.");
          found->count = NO_ACTION_COUNT;
          return TRUE;
        }
    }

  if (n >= SAME_FAILURE_COUNT)
    {
      match = reins_step_get_tool_error (at (window, 0));
      for (guint i = 1; match && i < SAME_FAILURE_COUNT; i++)
        match = same_action (at (window, 0), at (window, i)) &&
                reins_step_get_tool_error (at (window, i));
      if (match)
        {
          found->owned = g_strdup_printf (_("The same call of “%s” failed three times in a row."),
                                          reins_action_get_name (reins_step_get_action (at (window, 0))));
          found->what = found->owned;
          found->count = SAME_FAILURE_COUNT;
          return TRUE;
        }
    }

  if (n >= SAME_OBSERVATION_COUNT)
    {
      const char *obs = reins_step_get_observation (at (window, 0));

      match = reins_step_get_action (at (window, 0)) != NULL;
      for (guint i = 1; match && i < SAME_OBSERVATION_COUNT; i++)
        match = same_action (at (window, 0), at (window, i)) &&
                g_strcmp0 (obs, reins_step_get_observation (at (window, i))) == 0;
      if (match)
        {
          found->owned = g_strdup_printf (_("The same call of “%s” returned the same result "
                                            "four times in a row."),
                                          reins_action_get_name (reins_step_get_action (at (window, 0))));
          found->what = found->owned;
          found->count = SAME_OBSERVATION_COUNT;
          return TRUE;
        }
    }

  if (n >= CYCLE_LENGTH)
    {
      match = !same_action (at (window, 0), at (window, 1));
      for (guint i = 2; match && i < CYCLE_LENGTH; i++)
        match = same_action (at (window, i), at (window, i - 2)) &&
                g_strcmp0 (reins_step_get_observation (at (window, i)),
                           reins_step_get_observation (at (window, i - 2))) == 0;
      if (match)
        {
          found->owned = g_strdup_printf (_("The model alternates between “%s” and “%s” with "
                                            "the same results, over and over."),
                                          reins_action_get_name (reins_step_get_action (at (window, 1))),
                                          reins_action_get_name (reins_step_get_action (at (window, 0))));
          found->what = found->owned;
          found->count = CYCLE_LENGTH;
          return TRUE;
        }
    }

  return FALSE;
}

static gboolean
check_semantic (ReinsGuardContext *context,
                GPtrArray         *window,
                Finding           *found)
{
  double threshold = reins_settings_get_double (context->settings, "loop_threshold",
                                                DEFAULT_THRESHOLD);
  g_auto(GStrv) texts = g_new0 (char *, SEMANTIC_WINDOW + 1);
  g_autoptr(GPtrArray) vectors = NULL;
  guint first;

  if (window->len < SEMANTIC_WINDOW || threshold <= 0 || threshold > 1)
    return FALSE;
  first = window->len - SEMANTIC_WINDOW;

  for (guint i = 0; i < SEMANTIC_WINDOW; i++)
    {
      ReinsStep *step = g_ptr_array_index (window, first + i);
      ReinsAction *action = reins_step_get_action (step);

      if (action == NULL || is_finish (step) || !reins_step_action_ran (step))
        return FALSE;
      /* Polling tools repeat by design; their exact repeats are still caught above. */
      if (reins_settings_list_contains (context->settings, "polling_tools",
                                        reins_action_get_name (action)))
        return FALSE;
      texts[i] = reins_action_canonical_text (action);
    }

  /* Progress: a later observation that says something new. */
  for (guint i = first + 1; i < window->len; i++)
    if (observation_is_new (window, first, i))
      return FALSE;

  vectors = reins_guard_context_embed (context, (const char * const *) texts);
  for (guint i = 0; i + 1 < SEMANTIC_WINDOW; i++)
    {
      GArray *a = g_ptr_array_index (vectors, i);
      GArray *b = g_ptr_array_index (vectors, i + 1);

      if (reins_embedding_cosine ((float *) a->data, (float *) b->data, MIN (a->len, b->len))
          <= threshold)
        return FALSE;
    }

  found->what = _("The last three actions are nearly the same and bring nothing new.");
  found->count = SEMANTIC_WINDOW;
  return TRUE;
}

static ReinsVerdict *
reins_guard_loop_after_observation (ReinsGuard        *guard,
                                    ReinsGuardContext *context,
                                    ReinsStep         *step)
{
  g_autoptr(GPtrArray) window = g_ptr_array_new ();
  Finding found = { 0 };
  g_autofree guint *steps = NULL;
  g_autofree char *step_list = NULL;
  g_autofree char *reason = NULL;
  ReinsVerdictKind kind;
  guint earlier;
  gint last;

  /* The window: the steps since the guard last spoke, and this one. */
  last = reins_guard_history_last (context->history, "loop", REINS_VERDICT_CORRECT);
  for (guint i = (guint) (last + 1); context->history != NULL && i < context->history->len; i++)
    g_ptr_array_add (window, g_ptr_array_index (context->history, i));
  g_ptr_array_add (window, step);

  if (!check_exact (window, &found) && !check_semantic (context, window, &found))
    return NULL;

  steps = g_new (guint, found.count);
  for (guint i = 0; i < found.count; i++)
    steps[i] = reins_step_get_index (g_ptr_array_index (window, window->len - found.count + i));
  step_list = reins_guard_format_steps (steps, found.count);

  earlier = reins_guard_history_count (context->history, "loop", REINS_VERDICT_CORRECT);
  if (earlier == 0)
    {
      kind = REINS_VERDICT_CORRECT;
      reason = g_strdup_printf (_("%s (steps %s) You are repeating yourself: change direction — "
                                  "use other arguments or another tool, or finish with what "
                                  "you have found."), found.what, step_list);
    }
  else if (earlier == 1)
    {
      kind = REINS_VERDICT_ASK;
      reason = g_strdup_printf (_("%s (steps %s) The agent was told it is repeating itself and "
                                  "still repeats. Decide whether it may go on, give it a hint, "
                                  "or stop the run."), found.what, step_list);
    }
  else
    {
      kind = REINS_VERDICT_TERMINATE;
      reason = g_strdup_printf (_("%s (steps %s) The agent kept repeating itself after a "
                                  "correction and a person’s decision, so the run ends here. "
                                  "Rephrase the task or give the agent other tools."),
                                found.what, step_list);
    }

  g_free (found.owned);
  return reins_verdict_new_with_steps ("loop", kind, reason, steps, found.count);
}

static void
guard_iface_init (ReinsGuardInterface *iface)
{
  iface->get_name = reins_guard_loop_get_name;
  iface->after_observation = reins_guard_loop_after_observation;
}

static void
reins_guard_loop_class_init (ReinsGuardLoopClass *klass)
{
}

static void
reins_guard_loop_init (ReinsGuardLoop *self)
{
}

ReinsGuard *
reins_guard_loop_new (void)
{
  return g_object_new (REINS_TYPE_GUARD_LOOP, NULL);
}
