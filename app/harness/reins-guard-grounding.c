/* reins-guard-grounding.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Hallucination: every content-bearing part of a final answer — words, numbers, dates,
 * identifiers — must be supported by a tool result (reins-answer-check.c says how), and an
 * answer must not merely repeat an intermediate result the run already moved past. An answer
 * that says it could not find out is grounded.
 *
 * An unsupported answer, or one that only repeats an intermediate result, is sent back to
 * the model with what is wrong, up to "grounding_corrections" times in a row (default 3) —
 * answers sent back with no tool run in between; only then does a person decide. Insisting
 * is no evidence, and a correction is cheaper than a question. An answer made only of the
 * task's words is challenged once: if the agent gives the same answer again, it stands.
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "reins-answer-check.h"
#include "reins-guard-grounding.h"

#define MAX_LISTED 4
#define DEFAULT_CORRECTIONS 3

struct _ReinsGuardGrounding
{
  GObject parent_instance;
};

static void guard_iface_init (ReinsGuardInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ReinsGuardGrounding, reins_guard_grounding, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (REINS_TYPE_GUARD, guard_iface_init))

static const char *
reins_guard_grounding_get_name (ReinsGuard *guard)
{
  return "grounding";
}

/* “a”, “b”, “c”, … */
static char *
format_list (GPtrArray *items)
{
  GString *listed = g_string_new (NULL);

  for (guint i = 0; i < MIN (items->len, MAX_LISTED); i++)
    {
      if (i > 0)
        g_string_append (listed, ", ");
      g_string_append_printf (listed, "“%s”", (const char *) g_ptr_array_index (items, i));
    }
  if (items->len > MAX_LISTED)
    g_string_append (listed, ", …");
  return g_string_free (listed, FALSE);
}

static void
add_string_arguments (JsonObject *arguments,
                      GPtrArray  *out)
{
  JsonObjectIter iter;
  const char *member;
  JsonNode *node;

  if (arguments == NULL)
    return;
  json_object_iter_init (&iter, arguments);
  while (json_object_iter_next (&iter, &member, &node))
    if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
      g_ptr_array_add (out, (gpointer) json_node_get_string (node));
}

/* What the run saw before this step: each step's tool result (or a person's answer) and the
 * string arguments of its action. The harness's own words are not evidence. */
static GArray *
collect_evidence (GPtrArray  *history,
                  GPtrArray  *argument_lists)
{
  GArray *evidence = g_array_new (FALSE, TRUE, sizeof (ReinsEvidence));

  for (guint i = 0; history != NULL && i < history->len; i++)
    {
      ReinsStep *earlier = g_ptr_array_index (history, i);
      ReinsAction *action = reins_step_get_action (earlier);
      GPtrArray *arguments = g_ptr_array_new ();
      ReinsEvidence item = { reins_step_get_index (earlier), NULL, NULL };

      if (reins_step_action_ran (earlier))
        {
          item.observation = reins_step_get_observation (earlier);
          add_string_arguments (action != NULL ? reins_action_get_arguments (action) : NULL,
                                arguments);
        }
      g_ptr_array_add (arguments, NULL);
      item.arguments = (const char **) arguments->pdata;
      g_ptr_array_add (argument_lists, arguments);
      g_array_append_val (evidence, item);
    }
  return evidence;
}

/* Whether the agent gives an answer that was challenged, again, without having looked at
 * anything since: it stands by it. (One that went on working and then comes back with it is
 * challenged anew.) */
static gboolean
challenged_before (GPtrArray  *history,
                   const char *answer)
{
  g_autofree char *wanted = g_utf8_casefold (answer, -1);

  g_strstrip (wanted);
  for (guint i = history != NULL ? history->len : 0; i > 0; i--)
    {
      ReinsStep *earlier = g_ptr_array_index (history, i - 1);
      ReinsAction *action = reins_step_get_action (earlier);
      g_autofree char *said = NULL;

      if (action == NULL)
        continue;
      if (!g_str_equal (reins_action_get_name (action), "finish"))
        {
          if (reins_step_action_ran (earlier))
            return FALSE;
          continue;
        }

      said = g_utf8_casefold (reins_action_get_string_argument (action, "answer") != NULL
                                ? reins_action_get_string_argument (action, "answer") : "", -1);
      if (g_strcmp0 (g_strstrip (said), wanted) == 0 &&
          reins_guard_step_has_verdict (earlier, "grounding", REINS_VERDICT_CORRECT))
        return TRUE;
    }
  return FALSE;
}

/* How many of the agent's answers in a row this guard sent back, with no tool run since:
 * the agent's work in between (a lookup, even a failed one) starts the count again. */
static guint
corrections_in_a_row (GPtrArray *history)
{
  guint count = 0;

  for (guint i = history != NULL ? history->len : 0; i > 0; i--)
    {
      ReinsStep *earlier = g_ptr_array_index (history, i - 1);
      ReinsAction *action = reins_step_get_action (earlier);

      if (action != NULL && !g_str_equal (reins_action_get_name (action), "finish") &&
          reins_step_action_ran (earlier))
        break;
      if (reins_guard_step_has_verdict (earlier, "grounding", REINS_VERDICT_CORRECT))
        count++;
    }
  return count;
}

static ReinsVerdict *
reins_guard_grounding_before_action (ReinsGuard        *guard,
                                     ReinsGuardContext *context,
                                     ReinsStep         *step)
{
  ReinsAction *action = reins_step_get_action (step);
  g_autoptr(GPtrArray) argument_lists = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GArray) evidence = NULL;
  g_autoptr(ReinsAnswerCheck) check = NULL;
  g_autofree char *list = NULL;
  g_autofree char *reason = NULL;
  const char *answer;
  guint corrections, allowed;
  gboolean again;

  if (action == NULL || !g_str_equal (reins_action_get_name (action), "finish"))
    return NULL;
  answer = reins_action_get_string_argument (action, "answer");
  if (answer == NULL)
    return NULL;

  evidence = collect_evidence (context->history, argument_lists);
  check = reins_answer_check (answer,
                              context->run != NULL ? reins_run_get_task (context->run) : NULL,
                              (const ReinsEvidence *) (gpointer) evidence->data, evidence->len);
  if (reins_answer_check_is_clean (check))
    return NULL;

  corrections = corrections_in_a_row (context->history);
  allowed = (guint) CLAMP (reins_settings_get_int (context->settings, "grounding_corrections",
                                                   DEFAULT_CORRECTIONS), 0, 100);
  again = challenged_before (context->history, answer);

  /* A model that guesses, or insists on a guess, is sent back to look: it often complies
   * the second or third time, and a correction costs one step where a question costs a
   * person. Only an agent that keeps answering without looking goes to a person. */
  if (check->unsupported->len > 0)
    {
      list = format_list (check->unsupported);
      if (corrections < allowed)
        {
          reason = again
                     ? g_strdup_printf (_("You give this answer again, but still no tool result "
                                          "supports %s, and saying it again is no evidence. "
                                          "Look it up, or say that you could not find out."),
                                        list)
                     : g_strdup_printf (_("Your answer states %s, which no tool result supports "
                                          "(and the task does not say it). Show where it comes "
                                          "from — look it up — or say that you could not find "
                                          "out."), list);
          return reins_verdict_new ("grounding", REINS_VERDICT_CORRECT, reason);
        }
      reason = g_strdup_printf (_("The answer states %s, which no tool result supports, "
                                  "although the agent was asked for the evidence. Check the "
                                  "answer before you approve it."), list);
      return reins_verdict_new ("grounding", REINS_VERDICT_ASK, reason);
    }

  /* An intermediate result is a fact of the run, not an opinion: the run itself followed it
   * further. An agent that repeats it is sent back as for an unsupported answer. */
  if (check->moved_past->len > 0)
    {
      guint steps[1] = { check->moved_past_step };
      guint n_steps = check->moved_past_step > 0 ? 1 : 0;

      list = format_list (check->moved_past);
      if (corrections < allowed)
        {
          reason = g_strdup_printf (_("Your answer gives %s, an intermediate result: the run "
                                      "used it to go on (step %u), so it is not what the work "
                                      "ended with. Answer with the result it led to, or keep "
                                      "going if you are not done."),
                                    list, check->moved_past_step);
          return reins_verdict_new_with_steps ("grounding", REINS_VERDICT_CORRECT, reason,
                                               steps, n_steps);
        }
      reason = g_strdup_printf (_("The answer gives %s, an intermediate result the run went "
                                  "past at step %u, although the agent was told so. Check the "
                                  "answer before you approve it."),
                                list, check->moved_past_step);
      return reins_verdict_new_with_steps ("grounding", REINS_VERDICT_ASK, reason,
                                           steps, n_steps);
    }

  /* An answer made of the task's own words is a weaker concern, raised once: an agent that
   * stands by it is heard. */
  if (again)
    return reins_verdict_new ("grounding", REINS_VERDICT_ALLOW,
                              _("The answer was challenged before and the agent stands by "
                                "it; it is accepted."));

  list = format_list (check->task_only);
  reason = g_strdup_printf (_("Your answer %s only repeats words of the task; no tool result "
                              "gives it. Answer with what the tools returned, or say that you "
                              "could not find out."), list);
  return reins_verdict_new ("grounding", REINS_VERDICT_CORRECT, reason);
}

static void
guard_iface_init (ReinsGuardInterface *iface)
{
  iface->get_name = reins_guard_grounding_get_name;
  iface->before_action = reins_guard_grounding_before_action;
}

static void
reins_guard_grounding_class_init (ReinsGuardGroundingClass *klass)
{
}

static void
reins_guard_grounding_init (ReinsGuardGrounding *self)
{
}

ReinsGuard *
reins_guard_grounding_new (void)
{
  return g_object_new (REINS_TYPE_GUARD_GROUNDING, NULL);
}
