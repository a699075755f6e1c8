/* reins-answer-check.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reins-answer-check-private.h"

/* Observations past this size are read up to it: a search, not a parse. */
#define MAX_EVIDENCE_BYTES (4 * 1024 * 1024)

/* Words that alone say nothing at all: articles, pronouns, auxiliaries, prepositions,
 * conjunctions. (Quantifiers such as "both" or "none", and "done", can answer a question.) */
static const char * const empty_words[] = {
  "a", "an", "the", "this", "that", "these", "those", "it", "its", "they", "them", "their",
  "he", "she", "him", "her", "his", "hers", "i", "me", "my", "we", "us", "our", "you", "your",
  "is", "are", "was", "were", "be", "been", "being", "am", "do", "does", "did", "doing",
  "have", "has", "had", "having", "will", "would", "shall", "should", "can", "could", "may",
  "might", "must", "of", "to", "in", "on", "at", "by", "for", "with", "from", "into", "as",
  "and", "or", "but", "nor", "if", "so", "than", "which", "what", "who", "whom", "whose",
  NULL
};

/* A clause with one of these says the agent does not know; it asserts nothing. */
static const char * const not_known[] = {
  "could not", "couldn't", "couldn’t", "cannot", "can't", "can’t", "unable", "not able",
  "don't know", "don’t know", "do not know", "does not know", "not sure", "no answer",
  "nothing found", "found nothing", "not found", "did not find", "didn't find",
  "didn’t find", "was not found", "were not found", "no result", "no such", "not available",
  "unavailable", "failed to", "not determine", "not be determined", "undetermined",
  "insufficient", "not enough information", "no information", "not possible to",
  "impossible to", "unknown", "no data", "not known", "not certain", "uncertain",
  "no record", "no entry", "not exist", "doesn't exist", "doesn’t exist", "gave up",
  NULL
};

/* Answers that are a judgement, not a fact to look up. */
static const char * const judgements[] = {
  "yes", "no", "true", "false", "none", "nothing", "unknown", "n/a", "correct", "incorrect",
  NULL
};

/* Members of a tool result whose value is a way to go on, not a result. */
static const char * const continuation_members[] = {
  "next", "next_key", "nextkey", "next_cursor", "nextcursor", "cursor", "next_page",
  "nextpage", "next_page_token", "nextpagetoken", "page_token", "pagetoken", "continuation",
  "continuation_token", "continue", "next_url", "next_link", "nextlink", "@odata.nextlink",
  "follow", "goto", "redirect", "see_also", "pointer", NULL
};

/* ---- clauses ---- */

static gboolean
says_not_known (const char *clause)
{
  for (guint i = 0; not_known[i] != NULL; i++)
    if (strstr (clause, not_known[i]) != NULL)
      return TRUE;
  return FALSE;
}

/* @text cut into clauses: at the end of a sentence, and before "but", "however",
 * "although", so that "I could not verify it, but it is X" still claims X. */
static GPtrArray *
split_clauses (const char *text)
{
  static const char * const turns[] = { " but ", " however", " although ", " though ",
                                        " yet ", " nevertheless", NULL };
  GPtrArray *clauses = g_ptr_array_new_with_free_func (g_free);
  const char *start = text;
  const char *p = text;

  while (*p != '\0')
    {
      gsize cut = 0;

      if ((*p == '.' || *p == '!' || *p == '?' || *p == ';' || *p == '\n') &&
          (p[1] == '\0' || g_ascii_isspace (p[1])))
        cut = 1;
      else
        for (guint i = 0; turns[i] != NULL; i++)
          if (g_ascii_strncasecmp (p, turns[i], strlen (turns[i])) == 0)
            {
              cut = 1;
              break;
            }

      if (cut > 0)
        {
          if (p > start)
            g_ptr_array_add (clauses, g_strndup (start, p - start));
          start = p + 1;
        }
      p++;
    }
  if (*start != '\0')
    g_ptr_array_add (clauses, g_strdup (start));
  return clauses;
}

/* ---- intermediate results ---- */

typedef struct
{
  char *value;
  gint  source;   /* the evidence it came from, -1: the task */
  guint at;       /* the evidence whose action used it */
} Follow;

static void
follow_clear (Follow *follow)
{
  g_free (follow->value);
}

/* The values of continuation members ("next": "…", "cursor": "…") in a tool result. */
static void
find_continuations (const char *plain,
                    GPtrArray  *out)
{
  for (const char *p = strchr (plain, '"'); p != NULL; p = strchr (p + 1, '"'))
    {
      const char *name = p + 1;
      const char *close = strchr (name, '"');
      const char *q;
      g_autofree char *member = NULL;
      GString *value;

      if (close == NULL)
        break;
      if (close - name > 32)
        continue;
      member = g_strndup (name, close - name);
      if (!reins_answer_in_list (continuation_members, member))
        continue;

      for (q = close + 1; *q == ' ' || *q == '\t'; q++)
        ;
      if (*q != ':')
        continue;
      for (q++; *q == ' ' || *q == '\t'; q++)
        ;
      if (*q != '"')
        continue;

      value = g_string_new (NULL);
      for (q++; *q != '\0' && *q != '"' && value->len < 512; q++)
        {
          if (*q == '\\' && q[1] != '\0')
            q++;
          g_string_append_c (value, *q);
        }
      g_strstrip (value->str);
      if (value->str[0] != '\0')
        g_ptr_array_add (out, g_string_free (value, FALSE));
      else
        g_string_free (value, TRUE);
      p = q > p ? q - 1 : p;
      if (*q == '\0')
        break;
    }
}

/* Fills @check->moved_past when every unit of @units (what the answer repeats of the tools'
 * results) is an intermediate result: a value that a later action used to go on, where that
 * action's result was itself followed, or a continuation link. */
static void
find_moved_past (ReinsAnswerCheck    *check,
                 GPtrArray           *units,
                 const char          *task_plain,
                 const ReinsEvidence *evidence,
                 GPtrArray           *observations)
{
  g_autoptr(GArray) follows = g_array_new (FALSE, TRUE, sizeof (Follow));
  g_autoptr(GPtrArray) links = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) link_steps = g_array_new (FALSE, FALSE, sizeof (guint));
  guint first_step = 0;

  g_array_set_clear_func (follows, (GDestroyNotify) follow_clear);

  for (guint j = 0; j < observations->len; j++)
    {
      const char *obs = g_ptr_array_index (observations, j);
      guint before = links->len;

      for (guint k = 0; evidence[j].arguments != NULL && evidence[j].arguments[k] != NULL; k++)
        {
          g_autofree char *value = reins_answer_plain_text (evidence[j].arguments[k], -1);
          Follow follow = { NULL, -2, j };

          g_strstrip (value);
          if (strlen (value) < 2)
            continue;
          for (guint i = j; i > 0; i--)
            {
              const char *earlier = g_ptr_array_index (observations, i - 1);

              if (earlier != NULL && reins_answer_find_whole (earlier, value))
                {
                  follow.source = (gint) i - 1;
                  break;
                }
            }
          if (follow.source == -2 && reins_answer_find_whole (task_plain, value))
            follow.source = -1;
          if (follow.source == -2)
            continue;
          follow.value = g_steal_pointer (&value);
          g_array_append_val (follows, follow);
        }

      if (obs != NULL)
        find_continuations (obs, links);
      for (guint k = before; k < links->len; k++)
        g_array_append_val (link_steps, evidence[j].step);
    }

  for (guint u = 0; u < units->len; u++)
    {
      Unit *unit = g_ptr_array_index (units, u);
      gboolean past = FALSE;

      for (guint f = 0; f < follows->len && !past; f++)
        {
          Follow *follow = &g_array_index (follows, Follow, f);

          if (!g_str_equal (follow->value, unit->plain))
            continue;
          /* Intermediate: what it led to was followed in turn. */
          for (guint g = 0; g < follows->len; g++)
            if (g_array_index (follows, Follow, g).source == (gint) follow->at)
              {
                past = TRUE;
                if (first_step == 0)
                  first_step = evidence[follow->at].step;
                break;
              }
        }
      for (guint l = 0; l < links->len && !past; l++)
        if (g_str_equal (g_ptr_array_index (links, l), unit->plain))
          {
            past = TRUE;
            if (first_step == 0)
              first_step = g_array_index (link_steps, guint, l);
          }

      if (!past)
        {
          g_ptr_array_set_size (check->moved_past, 0);
          check->moved_past_step = 0;
          return;
        }
      g_ptr_array_add (check->moved_past, g_strdup (unit->text));
    }
  check->moved_past_step = first_step;
}

/* ---- the check ---- */

static void
add_once (GPtrArray  *list,
          const char *text)
{
  for (guint i = 0; i < list->len; i++)
    if (g_str_equal (g_ptr_array_index (list, i), text))
      return;
  g_ptr_array_add (list, g_strdup (text));
}

static char *
trim_punctuation (const char *plain)
{
  const char *start = plain;
  const char *end = plain + strlen (plain);

  while (start < end && !reins_answer_is_core (g_utf8_get_char (start)))
    start = g_utf8_next_char (start);
  while (end > start)
    {
      const char *prev = g_utf8_find_prev_char (start, end);

      if (prev == NULL || reins_answer_is_core (g_utf8_get_char (prev)))
        break;
      end = prev;
    }
  return g_strndup (start, end - start);
}

/**
 * reins_answer_check:
 * @answer: the final answer
 * @task: (nullable): the run's task
 * @evidence: (array length=n_evidence): the steps before the answer, oldest first
 *
 * Returns: (transfer full): what in @answer no tool result supports
 */
/* Whether @whole (plain, trimmed) is nothing but words that say nothing: no fact, no
 * judgement, no word about the work — "that", "it does". */
static gboolean
says_nothing (const char *whole)
{
  g_autoptr(GPtrArray) tokens = g_ptr_array_new_with_free_func (g_free);

  reins_answer_tokenize (whole, reins_answer_collect_token, tokens);
  for (guint i = 0; i < tokens->len; i++)
    if (!reins_answer_in_list (empty_words, g_ptr_array_index (tokens, i)))
      return FALSE;
  return tokens->len > 0;
}

/* Whether a tool result is exactly @whole (plain, trimmed): the word a file held, say. */
static gboolean
is_a_result (const char *whole,
             GPtrArray  *observations)
{
  for (guint i = 0; i < observations->len; i++)
    {
      const char *obs = g_ptr_array_index (observations, i);
      g_autofree char *trimmed = obs != NULL ? trim_punctuation (obs) : NULL;

      if (trimmed != NULL && g_str_equal (trimmed, whole))
        return TRUE;
    }
  return FALSE;
}

ReinsAnswerCheck *
reins_answer_check (const char          *answer,
                    const char          *task,
                    const ReinsEvidence *evidence,
                    guint                n_evidence)
{
  ReinsAnswerCheck *check = g_new0 (ReinsAnswerCheck, 1);
  g_autofree char *valid = NULL;
  g_autofree char *plain = NULL;
  g_autofree char *whole = NULL;
  g_autofree char *task_plain = NULL;
  g_autoptr(GPtrArray) clauses = NULL;
  g_autoptr(GPtrArray) units = g_ptr_array_new_with_free_func ((GDestroyNotify) reins_answer_unit_free);
  g_autoptr(GPtrArray) observations = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) all = g_string_new (NULL);
  Index results = { 0 }, task_index = { 0 };
  gboolean asserted = FALSE;
  gboolean admitted = FALSE;
  guint n_tokens = 0;

  check->unsupported = g_ptr_array_new_with_free_func (g_free);
  check->task_only = g_ptr_array_new_with_free_func (g_free);
  check->moved_past = g_ptr_array_new_with_free_func (g_free);

  if (answer == NULL)
    return check;

  valid = g_utf8_make_valid (answer, -1);
  plain = reins_answer_plain_text (valid, -1);
  whole = trim_punctuation (plain);
  if (whole[0] == '\0')
    return check;

  /* A judgement ("yes", "no, it is not") is not a fact to look up. */
  {
    g_autoptr(GPtrArray) first = g_ptr_array_new_with_free_func (g_free);

    reins_answer_tokenize (whole, reins_answer_collect_token, first);
    if (first->len > 0 && reins_answer_in_list (judgements, g_ptr_array_index (first, 0)) &&
        first->len <= 4)
      return check;
  }

  clauses = split_clauses (valid);
  for (guint i = 0; i < clauses->len; i++)
    {
      g_autofree char *clause = reins_answer_plain_text (g_ptr_array_index (clauses, i), -1);
      g_autoptr(GPtrArray) written = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GPtrArray) tokens = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GArray) names = g_array_new (FALSE, FALSE, sizeof (gboolean));

      if (says_not_known (clause))
        {
          admitted = TRUE;
          continue;
        }

      /* Tokens as written, to tell a name inside a sentence from a word; then plain. */
      reins_answer_tokenize (g_ptr_array_index (clauses, i), reins_answer_collect_token, written);
      for (guint k = 0; k < written->len; k++)
        {
          const char *token = g_ptr_array_index (written, k);
          gboolean name = k > 0 && g_unichar_isupper (g_utf8_get_char (token));

          g_ptr_array_add (tokens, reins_answer_plain_text (token, -1));
          g_array_append_val (names, name);
        }
      if (tokens->len > 0)
        asserted = TRUE;
      n_tokens += tokens->len;
      reins_answer_collect_units (tokens, names, units);
    }
  if (!asserted)
    return check;

  for (guint i = 0; i < n_evidence; i++)
    {
      const char *obs = evidence[i].observation;

      if (obs == NULL || all->len >= MAX_EVIDENCE_BYTES)
        {
          g_ptr_array_add (observations, NULL);
          continue;
        }
      g_ptr_array_add (observations, reins_answer_plain_text (obs, MIN (strlen (obs), MAX_EVIDENCE_BYTES)));
      g_string_append (all, g_ptr_array_index (observations, i));
      g_string_append_c (all, '\n');
    }
  task_plain = reins_answer_plain_text (task != NULL ? task : "", -1);
  reins_answer_index_init (&results, all->str);
  reins_answer_index_init (&task_index, task_plain);

  check->n_units = units->len;

  /* An agent that saw no tool result and says it cannot do the task explains itself: its
   * other sentences are about what it can do, not findings. */
  if (admitted && results.plain[0] == '\0')
    {
      reins_answer_index_clear (&results);
      reins_answer_index_clear (&task_index);
      return check;
    }

  /* An answer of nothing but words that say nothing ("that", "it does") is no answer at
   * all: the whole of it is challenged, unless a tool returned exactly that. */
  if (units->len == 0 && !admitted && says_nothing (whole) && !is_a_result (whole, observations))
    add_once (check->unsupported, whole);

  /* An answer of nothing but framing words ("Done.") states no fact that could be made up;
   * whether the work is done is the critic's question. */
  if (units->len > 0)
    {
      g_autoptr(GPtrArray) loose = g_ptr_array_new ();
      g_autoptr(GPtrArray) found = g_ptr_array_new ();
      guint n_found = 0, n_task = 0;

      for (guint i = 0; i < units->len; i++)
        {
          Unit *unit = g_ptr_array_index (units, i);

          gboolean in_results = reins_answer_index_supports (&results, unit);
          gboolean in_task = reins_answer_index_supports (&task_index, unit);

          if (in_results && !in_task)
            {
              n_found++;
              g_ptr_array_add (found, unit);
            }
          else if (in_task)
            n_task++;
          else if ((unit->kind == UNIT_WORD && !unit->compound && !unit->name &&
                    !reins_answer_has_digit (unit->plain)) ||
                   reins_answer_index_has_part (&results, unit) || reins_answer_index_has_part (&task_index, unit))
            /* A number, a date, a name or an identifier is a specific claim; a plain word
             * (or a number seen only inside an identifier) may be the narrative around
             * one. */
            g_ptr_array_add (loose, unit->text);
          else
            add_once (check->unsupported, unit->text);
        }

      /* Plain words no result supports are let through only as the narrative of a sentence
       * that carries something the tools found ("after four lookups, the value is X"): in
       * prose (as many function words as content), at most two for each found unit. A list or
       * a name ("John Doe", "north, south and west") is checked word by word. */
      if (loose->len > 0)
        {
          gboolean prose = n_tokens >= 2 * units->len;

          if (!(prose && n_found > 0 && check->unsupported->len == 0 &&
                loose->len <= 2 * n_found))
            for (guint i = 0; i < loose->len; i++)
              add_once (check->unsupported, g_ptr_array_index (loose, i));
        }

      /* An answer made only of the task's own words found nothing — unless the run had no
       * tool results at all, and the task is all there is to answer from. */
      if (n_found == 0 && n_task > 0 && check->unsupported->len == 0 && results.plain[0] != '\0')
        for (guint i = 0; i < units->len; i++)
          add_once (check->task_only, ((Unit *) g_ptr_array_index (units, i))->text);

      /* What the tools gave that the answer repeats: is it all a step on the way? */
      if (found->len > 0)
        find_moved_past (check, found, task_plain, evidence, observations);
    }

  reins_answer_index_clear (&results);
  reins_answer_index_clear (&task_index);
  return check;
}

gboolean
reins_answer_check_is_clean (const ReinsAnswerCheck *check)
{
  g_return_val_if_fail (check != NULL, TRUE);
  return check->unsupported->len == 0 && check->task_only->len == 0 &&
         check->moved_past->len == 0;
}

void
reins_answer_check_free (ReinsAnswerCheck *check)
{
  if (check == NULL)
    return;
  g_clear_pointer (&check->unsupported, g_ptr_array_unref);
  g_clear_pointer (&check->task_only, g_ptr_array_unref);
  g_clear_pointer (&check->moved_past, g_ptr_array_unref);
  g_free (check);
}
