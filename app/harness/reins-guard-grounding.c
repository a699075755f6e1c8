/* reins-guard-grounding.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Hallucination: the specific claims of a final answer — numbers and other words with
 * digits (such as "word-1234"), quoted strings, capitalised names inside a sentence — must
 * appear somewhere in the task or in a tool's result. An answer that says it could not find
 * out is grounded. The first ungrounded answer does not end the run: the model is asked for
 * the evidence; the next one goes to a person.
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "reins-guard-grounding.h"

#define MAX_LISTED 4

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

static gboolean
is_word_char (const char *p)
{
  return g_ascii_isalnum (*p) || ((guchar) *p & 0x80) || *p == '-' || *p == '_' ||
         *p == '.' || *p == '/' || *p == ':' || *p == ',' || *p == '%' || *p == '@';
}

static void
add_claim (GPtrArray  *claims,
           const char *start,
           gsize       len)
{
  g_autofree char *claim = g_strndup (start, len);
  gsize n;

  /* Sentence punctuation is not part of the claim. */
  n = strlen (claim);
  while (n > 0 && strchr (".,:;/-_", claim[n - 1]) != NULL)
    claim[--n] = '\0';
  if (n == 0)
    return;

  for (guint i = 0; i < claims->len; i++)
    if (g_str_equal (g_ptr_array_index (claims, i), claim))
      return;
  g_ptr_array_add (claims, g_steal_pointer (&claim));
}

/* The specific claims of @answer: words with a digit, quoted strings, capitalised words
 * that do not open a sentence. */
static GPtrArray *
find_claims (const char *answer)
{
  GPtrArray *claims = g_ptr_array_new_with_free_func (g_free);
  gboolean sentence_start = TRUE;
  const char *p = answer;

  while (*p != '\0')
    {
      const char *start;
      gboolean digit = FALSE, upper;

      /* Quoted strings: "…" and “…”. */
      if (*p == '"' || g_str_has_prefix (p, "“"))
        {
          const char *close_mark = *p == '"' ? "\"" : "”";
          const char *body = *p == '"' ? p + 1 : p + strlen ("“");
          const char *end = strstr (body, close_mark);

          if (end != NULL && end > body && end - body <= 200)
            {
              add_claim (claims, body, end - body);
              p = end + strlen (close_mark);
              sentence_start = FALSE;
              continue;
            }
        }

      if (!is_word_char (p) || *p == '-' || *p == '.' || *p == ',' || *p == '/' || *p == ':')
        {
          if (*p == '.' || *p == '!' || *p == '?' || *p == '\n')
            sentence_start = TRUE;
          p = g_utf8_next_char (p);
          continue;
        }

      start = p;
      upper = g_unichar_isupper (g_utf8_get_char (p));
      while (*p != '\0' && is_word_char (p))
        {
          if (g_ascii_isdigit (*p))
            digit = TRUE;
          /* A full stop followed by a space ends the word and the sentence. */
          if ((*p == '.' || *p == ',' || *p == ':') &&
              (p[1] == '\0' || g_ascii_isspace (p[1])))
            break;
          p = g_utf8_next_char (p);
        }

      if (digit)
        add_claim (claims, start, p - start);
      else if (upper && !sentence_start && p - start >= 2)
        add_claim (claims, start, p - start);
      sentence_start = FALSE;
    }

  return claims;
}

/* @text without the thousands separators of its numbers ("1,234" → "1234"). */
static char *
strip_digit_commas (const char *text)
{
  GString *out = g_string_sized_new (strlen (text));

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == ',' && p > text && g_ascii_isdigit (p[-1]) && g_ascii_isdigit (p[1]))
        continue;
      g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

static gboolean
grounded_in (const char *claim,
             const char *evidence,
             const char *plain_evidence)
{
  g_autofree char *lower = g_utf8_strdown (claim, -1);
  g_autofree char *plain = NULL;

  if (strstr (evidence, lower) != NULL)
    return TRUE;
  /* Numbers may be written with or without thousands separators. */
  plain = strip_digit_commas (lower);
  return strstr (plain_evidence, plain) != NULL;
}

static ReinsVerdict *
reins_guard_grounding_before_action (ReinsGuard        *guard,
                                     ReinsGuardContext *context,
                                     ReinsStep         *step)
{
  ReinsAction *action = reins_step_get_action (step);
  const char *answer;
  g_autoptr(GPtrArray) claims = NULL;
  g_autoptr(GPtrArray) missing = NULL;
  GString *evidence;
  g_autofree char *lower_evidence = NULL;
  g_autofree char *plain_evidence = NULL;
  GString *listed;
  g_autofree char *list = NULL;
  g_autofree char *reason = NULL;

  if (action == NULL || !g_str_equal (reins_action_get_name (action), "finish"))
    return NULL;
  answer = reins_action_get_string_argument (action, "answer");
  if (answer == NULL || reins_text_admits_failure (answer))
    return NULL;

  claims = find_claims (answer);
  if (claims->len == 0)
    return NULL;

  evidence = g_string_new (context->run != NULL ? reins_run_get_task (context->run) : NULL);
  for (guint i = 0; context->history != NULL && i < context->history->len; i++)
    {
      ReinsStep *earlier = g_ptr_array_index (context->history, i);

      /* What a tool returned, or what a person answered; not the harness's own words. */
      if (reins_step_action_ran (earlier) && reins_step_get_observation (earlier) != NULL)
        {
          g_string_append_c (evidence, '\n');
          g_string_append (evidence, reins_step_get_observation (earlier));
        }
    }
  lower_evidence = g_utf8_strdown (evidence->str, evidence->len);
  g_string_free (evidence, TRUE);
  plain_evidence = strip_digit_commas (lower_evidence);

  missing = g_ptr_array_new ();
  for (guint i = 0; i < claims->len; i++)
    if (!grounded_in (g_ptr_array_index (claims, i), lower_evidence, plain_evidence))
      g_ptr_array_add (missing, g_ptr_array_index (claims, i));
  if (missing->len == 0)
    return NULL;

  listed = g_string_new (NULL);
  for (guint i = 0; i < MIN (missing->len, MAX_LISTED); i++)
    {
      if (i > 0)
        g_string_append (listed, ", ");
      g_string_append_printf (listed, "“%s”", (const char *) g_ptr_array_index (missing, i));
    }
  if (missing->len > MAX_LISTED)
    g_string_append (listed, ", …");
  list = g_string_free (listed, FALSE);

  if (reins_guard_history_count (context->history, "grounding", REINS_VERDICT_CORRECT) == 0)
    {
      reason = g_strdup_printf (_("Your answer states %s, which appears in no tool result and "
                                  "not in the task. Show where it comes from — look it up — "
                                  "or say that you could not find out."), list);
      return reins_verdict_new ("grounding", REINS_VERDICT_CORRECT, reason);
    }

  reason = g_strdup_printf (_("The answer states %s, which appears in no tool result and not "
                              "in the task, although the agent was asked for the evidence. "
                              "Check the answer before you approve it."), list);
  return reins_verdict_new ("grounding", REINS_VERDICT_ASK, reason);
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
