/* reins-format.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * How the window writes times, costs, statuses and long texts for a person.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "reins-format.h"

char *
reins_format_relative_time (gint64 unix_usec,
                            gint64 now_usec)
{
  g_autoptr(GDateTime) then = NULL;
  g_autoptr(GDateTime) now = NULL;
  gint64 seconds;

  if (unix_usec <= 0)
    return g_strdup (_("Unknown time"));

  seconds = (now_usec - unix_usec) / G_USEC_PER_SEC;

  /* A clock that moved back shows as "just now" rather than as a negative age. */
  if (seconds < 60)
    return g_strdup (_("Just now"));
  if (seconds < 60 * 60)
    {
      int minutes = (int) (seconds / 60);
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d minute ago", "%d minutes ago",
                                           minutes), minutes);
    }
  if (seconds < 24 * 60 * 60)
    {
      int hours = (int) (seconds / (60 * 60));
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d hour ago", "%d hours ago", hours),
                              hours);
    }

  then = g_date_time_new_from_unix_local (unix_usec / G_USEC_PER_SEC);
  now = g_date_time_new_from_unix_local (now_usec / G_USEC_PER_SEC);
  if (then == NULL || now == NULL)
    return g_strdup (_("Unknown time"));

  if (seconds < 7 * 24 * 60 * 60)
    /* Translators: a weekday and a time, see g_date_time_format() */
    return g_date_time_format (then, _("%A %H:%M"));
  if (g_date_time_get_year (then) == g_date_time_get_year (now))
    /* Translators: a day and a month, see g_date_time_format() */
    return g_date_time_format (then, _("%e %B"));
  /* Translators: a full date, see g_date_time_format() */
  return g_date_time_format (then, _("%e %B %Y"));
}

char *
reins_format_cost (double cost_usd)
{
  if (cost_usd <= 0.0)
    /* Translators: the cost of a run that cost nothing (an offline model) */
    return g_strdup (_("Free"));
  if (cost_usd < 0.01)
    /* Translators: a cost in US dollars */
    return g_strdup_printf (_("$%.4f"), cost_usd);
  /* Translators: a cost in US dollars */
  return g_strdup_printf (_("$%.2f"), cost_usd);
}

char *
reins_format_tokens (guint64 input_tokens,
                     guint64 output_tokens)
{
  /* Translators: token counts of a model call, e.g. "812 in / 57 out tokens" */
  return g_strdup_printf (_("%llu in / %llu out tokens"),
                          (unsigned long long) input_tokens, (unsigned long long) output_tokens);
}

char *
reins_format_duration (gint64 duration_ms)
{
  if (duration_ms < 0)
    return g_strdup (_("Unknown duration"));
  if (duration_ms < 1000)
    /* Translators: a duration in milliseconds */
    return g_strdup_printf (_("%d ms"), (int) duration_ms);
  if (duration_ms < 60 * 1000)
    /* Translators: a duration in seconds */
    return g_strdup_printf (_("%.1f s"), duration_ms / 1000.0);
  /* Translators: a duration in minutes and seconds */
  return g_strdup_printf (_("%d min %d s"), (int) (duration_ms / 60000),
                          (int) ((duration_ms / 1000) % 60));
}

/* Returns valid UTF-8 of at most @max_chars characters from @text, with an ellipsis when cut.
 * Only the head of @text is ever read past its length, so a 20 MB text costs no more
 * than a short one: a label never receives more than this. */
char *
reins_format_excerpt (const char *text,
                      gsize       max_chars,
                      gboolean   *truncated)
{
  g_autofree char *valid = NULL;
  gsize len;
  gsize head;
  const char *end;

  if (truncated != NULL)
    *truncated = FALSE;
  if (text == NULL)
    return g_strdup ("");

  /* A UTF-8 character is at most 4 bytes; look no further than that many. */
  head = max_chars * 4;
  len = strnlen (text, head + 1);
  if (len > head)
    {
      len = head;
      /* Do not split a character: back up to the start of the one at the cut. */
      while (len > 0 && ((guchar) text[len] & 0xC0) == 0x80)
        len--;
    }

  valid = g_utf8_make_valid (text, len);

  if (g_utf8_strlen (valid, -1) <= (glong) max_chars && text[len] == '\0')
    return g_steal_pointer (&valid);

  end = g_utf8_offset_to_pointer (valid, MIN ((glong) max_chars, g_utf8_strlen (valid, -1)));
  if (truncated != NULL)
    *truncated = TRUE;
  {
    GString *out = g_string_new_len (valid, end - valid);

    g_string_append (out, "…");
    return g_string_free (out, FALSE);
  }
}

const char *
reins_format_status_label (ReinsRunStatus status)
{
  switch (status)
    {
    case REINS_RUN_STATUS_RUNNING:
      return _("Running");
    case REINS_RUN_STATUS_PAUSED:
      return _("Paused");
    case REINS_RUN_STATUS_AWAITING_APPROVAL:
      return _("Awaiting Approval");
    case REINS_RUN_STATUS_COMPLETED:
      return _("Completed");
    case REINS_RUN_STATUS_TERMINATED:
      return _("Terminated");
    case REINS_RUN_STATUS_FAILED:
      return _("Failed");
    case REINS_RUN_STATUS_CANCELLED:
      return _("Cancelled");
    case REINS_RUN_STATUS_INTERRUPTED:
      return _("Interrupted");
    default:
      return _("Unknown");
    }
}

const char *
reins_format_status_icon (ReinsRunStatus status)
{
  switch (status)
    {
    case REINS_RUN_STATUS_RUNNING:
      return "media-playback-start-symbolic";
    case REINS_RUN_STATUS_PAUSED:
      return "media-playback-pause-symbolic";
    case REINS_RUN_STATUS_AWAITING_APPROVAL:
      return "dialog-question-symbolic";
    case REINS_RUN_STATUS_COMPLETED:
      return "emblem-ok-symbolic";
    case REINS_RUN_STATUS_TERMINATED:
      return "process-stop-symbolic";
    case REINS_RUN_STATUS_FAILED:
      return "dialog-error-symbolic";
    case REINS_RUN_STATUS_CANCELLED:
      return "action-unavailable-symbolic";
    case REINS_RUN_STATUS_INTERRUPTED:
    default:
      return "dialog-warning-symbolic";
    }
}

/* A libadwaita style class that colours the status: success, warning, error or accent. */
const char *
reins_format_status_style (ReinsRunStatus status)
{
  switch (status)
    {
    case REINS_RUN_STATUS_COMPLETED:
      return "success";
    case REINS_RUN_STATUS_RUNNING:
    case REINS_RUN_STATUS_PAUSED:
      return "accent";
    case REINS_RUN_STATUS_AWAITING_APPROVAL:
    case REINS_RUN_STATUS_INTERRUPTED:
    case REINS_RUN_STATUS_CANCELLED:
      return "warning";
    case REINS_RUN_STATUS_TERMINATED:
    case REINS_RUN_STATUS_FAILED:
    default:
      return "error";
    }
}

const char *
reins_format_verdict_style (ReinsVerdictKind kind)
{
  switch (kind)
    {
    case REINS_VERDICT_ALLOW:
      return "success";
    case REINS_VERDICT_CORRECT:
      return "accent";
    case REINS_VERDICT_ASK:
      return "warning";
    case REINS_VERDICT_TERMINATE:
    default:
      return "error";
    }
}

const char *
reins_format_confidence_source (ReinsConfidenceSource source)
{
  switch (source)
    {
    case REINS_CONFIDENCE_SOURCE_LOGPROBS:
      return _("log-probs");
    case REINS_CONFIDENCE_SOURCE_SELF_REPORTED:
      return _("self-reported");
    case REINS_CONFIDENCE_SOURCE_DEFAULT:
    default:
      return _("default — no log-probabilities");
    }
}

/**
 * reins_format_confidence:
 * @threshold: the run's confidence threshold
 *
 * A confidence as the confidence guard writes it, so the step, the dialog and the guard's
 * reason show one figure: two decimals, or three when two would round up to the threshold
 * (0.698 below 0.70 is not "0.70"); truncated, never rounded up.
 *
 * Returns: (transfer full): the figure
 */
char *
reins_format_confidence (double confidence,
                         double threshold)
{
  int digits = confidence < threshold && round (confidence * 100) / 100 >= threshold ? 3 : 2;
  double scale = pow (10, digits);

  return g_strdup_printf ("%.*f", digits, floor (confidence * scale + 1e-9) / scale);
}

/* How grave a guard's concern is, for the heading of a question about a step several
 * guards doubted: a made-up answer or a failed tool outranks low confidence. */
static int
guard_gravity (const char *guard)
{
  static const char * const gravest_first[] = {
    "grounding", "tool_result", "policy", "loop", "drift", "budget", "rate", "max_steps",
    "confidence",
  };

  for (guint i = 0; i < G_N_ELEMENTS (gravest_first); i++)
    if (g_strcmp0 (guard, gravest_first[i]) == 0)
      return (int) (G_N_ELEMENTS (gravest_first) - i);
  return 0;
}

/* The graver of two guards (@a when they weigh the same). */
const char *
reins_format_graver_guard (const char *a,
                           const char *b)
{
  return guard_gravity (b) > guard_gravity (a) ? b : a;
}

/* A guard in words ("Possible Loop" for `loop`); a guard the window does not know keeps its
 * identifier. */
const char *
reins_format_guard_name (const char *guard)
{
  const char *heading = reins_format_guard_heading (guard);

  return g_strcmp0 (heading, _("The Harness Asks")) == 0 && guard != NULL ? guard : heading;
}

/* What a verdict did, in words. */
const char *
reins_format_verdict_kind (ReinsVerdictKind kind)
{
  switch (kind)
    {
    case REINS_VERDICT_ALLOW:
      /* Translators: a harness verdict on a step */
      return C_("verdict", "allowed");
    case REINS_VERDICT_CORRECT:
      return C_("verdict", "corrected");
    case REINS_VERDICT_ASK:
      return C_("verdict", "asked you");
    case REINS_VERDICT_TERMINATE:
    default:
      return C_("verdict", "ended the run");
    }
}

/* The heading of a question the harness (or the agent) puts to a person. */
const char *
reins_format_guard_heading (const char *guard)
{
  static const struct { const char *guard; const char *heading; } headings[] = {
    { "confidence", N_("Low Confidence") },
    { "loop", N_("Possible Loop") },
    { "policy", N_("Risky Tool") },
    { "budget", N_("Budget") },
    { "grounding", N_("Unsupported Answer") },
    { "tool_result", N_("Tool Failure") },
    { "rate", N_("Tool Used Too Often") },
    { "max_steps", N_("Step Limit") },
    { "drift", N_("Drifting From the Task") },
    { "nothing_found", N_("Nothing Found") },
    { "ask_human", N_("The Agent Asks") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (headings); i++)
    if (g_strcmp0 (guard, headings[i].guard) == 0)
      return _(headings[i].heading);
  return _("The Harness Asks");
}

/* An action as a person reads it: the tool and its arguments, "kb_lookup {"key": …}", at most
 * 1,000 characters; "—" for none. */
char *
reins_format_action (ReinsAction *action)
{
  g_autofree char *arguments = NULL;
  g_autofree char *text = NULL;

  if (action == NULL)
    return g_strdup ("—");
  arguments = reins_action_dup_arguments_json (action);
  text = g_strdup_printf ("%s %s", reins_action_get_name (action), arguments ? arguments : "{}");
  return reins_format_excerpt (text, 1000, NULL);
}
