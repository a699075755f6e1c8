/* reins-guard-tool-result.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Silent failure: the last tool call failed (the tool said so, or its result is empty or
 * reads as an error), and the model now finishes, or says it worked, without a word about
 * the failure. The first time the action does not run and the model is told what failed;
 * if it does it again, a person decides.
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "reins-guard-tool-result.h"

#define EXCERPT 160

struct _ReinsGuardToolResult
{
  GObject parent_instance;
};

static void guard_iface_init (ReinsGuardInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ReinsGuardToolResult, reins_guard_tool_result, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (REINS_TYPE_GUARD, guard_iface_init))

static const char *
reins_guard_tool_result_get_name (ReinsGuard *guard)
{
  return "tool_result";
}

static gboolean
claims_success (const char *text)
{
  static const char * const phrases[] = {
    "worked", "succeeded", "successful", "success", "went well", "it is done", "that's done",
    "is done", "completed", "the next key is", "the result is", "it returned", "as expected",
    NULL
  };
  g_autofree char *lower = NULL;

  if (text == NULL)
    return FALSE;
  lower = g_utf8_strdown (text, -1);
  for (guint i = 0; phrases[i] != NULL; i++)
    if (strstr (lower, phrases[i]) != NULL)
      return TRUE;
  return FALSE;
}

static gboolean
starts_like (const char *observation,
             const char *format_with_name_and_rest,
             const char *name)
{
  g_autofree char *text = NULL;
  char *cut;

  /* Formatted with a mark for the rest, cut there: the message's fixed beginning. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
  text = g_strdup_printf (format_with_name_and_rest, name, "\x01");
#pragma GCC diagnostic pop
  cut = strchr (text, '\x01');
  if (cut != NULL)
    *cut = '\0';
  return g_str_has_prefix (observation, text);
}

/* A call that never reached its tool — an unknown tool, arguments that failed the schema,
 * or arguments that were no JSON at all (cut off, say) — is the model's slip, told to it by
 * the loop; it is not a silent failure of the world. The loop's own messages say which (the
 * same translated texts); arguments that could not be read are marked on the action itself
 * (reins_http_tool_call_new()). */
static gboolean
never_ran (ReinsStep *step)
{
  const char *observation = reins_step_get_observation (step);
  ReinsAction *action = reins_step_get_action (step);
  JsonObject *arguments = reins_action_get_arguments (action);
  const char *name = reins_action_get_name (action);
  g_autofree char *invalid = NULL;

  if (arguments != NULL && json_object_has_member (arguments, "_invalid_arguments"))
    return TRUE;
  if (observation == NULL)
    return FALSE;

  /* The registry's words for arguments outside the schema (reins-tool-registry.c, the same
   * translated text), and the loop's for an unknown tool (reins-executor.c). */
  invalid = g_strdup_printf (_("Invalid arguments for %s: "), name);
  return g_str_has_prefix (observation, invalid) ||
         starts_like (observation, _("The arguments of “%s” are not valid: %s"), name) ||
         starts_like (observation, _("There is no tool “%s”. The tools are: %s."), name);
}

static ReinsVerdict *
reins_guard_tool_result_before_action (ReinsGuard        *guard,
                                       ReinsGuardContext *context,
                                       ReinsStep         *step)
{
  ReinsAction *action = reins_step_get_action (step);
  GPtrArray *history = context->history;
  ReinsStep *failed = NULL;
  const char *thought = reins_step_get_thought (step);
  const char *answer = NULL;
  const char *observation;
  gboolean finishing;
  guint failed_index;
  g_autofree char *excerpt = NULL;
  g_autofree char *reason = NULL;
  gint position = -1;

  if (action == NULL || history == NULL)
    return NULL;

  /* The last action that ran. */
  for (guint i = history->len; i > 0; i--)
    if (reins_step_action_ran (g_ptr_array_index (history, i - 1)))
      {
        failed = g_ptr_array_index (history, i - 1);
        position = (gint) i - 1;
        break;
      }
  if (failed == NULL)
    return NULL;

  observation = reins_step_get_observation (failed);
  if (!reins_step_get_tool_error (failed) && !reins_text_looks_like_error (observation))
    return NULL;
  if (never_ran (failed))
    return NULL;

  finishing = g_str_equal (reins_action_get_name (action), "finish");
  if (finishing)
    answer = reins_action_get_string_argument (action, "answer");
  else if (!claims_success (thought))
    return NULL;

  if (reins_text_admits_failure (thought) || reins_text_admits_failure (answer))
    return NULL;

  failed_index = reins_step_get_index (failed);
  if (observation == NULL || *observation == '\0')
    excerpt = g_strdup (_("an empty result"));
  else
    {
      g_autofree char *cut = g_utf8_substring (observation, 0,
                                               MIN (g_utf8_strlen (observation, -1), EXCERPT));

      excerpt = g_strdup_printf ("“%s%s”", g_strstrip (cut),
                                 g_utf8_strlen (observation, -1) > EXCERPT ? "…" : "");
    }

  /* Spoken since that failure already? Then a person decides. */
  {
    gint last = reins_guard_history_last (history, "tool_result", REINS_VERDICT_CORRECT);

    if (last > position)
      {
        reason = g_strdup_printf (finishing
                                    ? _("Step %u’s call of “%s” failed (%s), and the agent "
                                        "finishes again without saying so after being told. "
                                        "Check the answer before you approve it.")
                                    : _("Step %u’s call of “%s” failed (%s), and the agent "
                                        "again says it worked after being told. Decide whether "
                                        "it may go on."),
                                  failed_index, reins_action_get_name (reins_step_get_action (failed)),
                                  excerpt);
        return reins_verdict_new_with_steps ("tool_result", REINS_VERDICT_ASK, reason,
                                             &failed_index, 1);
      }
  }

  reason = g_strdup_printf (finishing
                              ? _("Step %u’s call of “%s” failed: it returned %s. Your answer "
                                  "does not say so. Fix the failure, or say in your answer "
                                  "what could not be done.")
                              : _("Step %u’s call of “%s” failed: it returned %s. It did not "
                                  "work; do not go on as if it had. Fix the call or try "
                                  "another way."),
                            failed_index, reins_action_get_name (reins_step_get_action (failed)),
                            excerpt);
  return reins_verdict_new_with_steps ("tool_result", REINS_VERDICT_CORRECT, reason,
                                       &failed_index, 1);
}

static void
guard_iface_init (ReinsGuardInterface *iface)
{
  iface->get_name = reins_guard_tool_result_get_name;
  iface->before_action = reins_guard_tool_result_before_action;
}

static void
reins_guard_tool_result_class_init (ReinsGuardToolResultClass *klass)
{
}

static void
reins_guard_tool_result_init (ReinsGuardToolResult *self)
{
}

ReinsGuard *
reins_guard_tool_result_new (void)
{
  return g_object_new (REINS_TYPE_GUARD_TOOL_RESULT, NULL);
}
