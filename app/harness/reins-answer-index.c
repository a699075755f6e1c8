/* reins-answer-index.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The answer check's units and evidence index: the content units of an answer (words,
 * numbers, dates), an index of what the tools returned, and whether the index supports a unit.
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "reins-answer-check-private.h"

/* ---- units of an answer, and an index of the evidence ---- */

void
reins_answer_unit_free (Unit *unit)
{
  g_free (unit->text);
  g_free (unit->plain);
  g_free (unit->stem);
  g_free (unit);
}

static gboolean
is_stop_word (const char *plain)
{
  g_autofree char *s = NULL;

  if (g_hash_table_contains (reins_answer_stop_stems (), plain))
    return TRUE;
  s = reins_answer_stem (plain);
  return g_hash_table_contains (reins_answer_stop_stems (), s);
}

/* Reads the number that starts at @tokens[*i] into @unit, with a scale word after it
 * ("1.2 million"); advances *i past what it took. */
static gboolean
read_number (GPtrArray *tokens,
             guint     *i,
             Unit      *unit)
{
  const char *token = g_ptr_array_index (tokens, *i);
  double value, scale = 1;
  gboolean percent;
  int decimals = 0;

  if (!reins_answer_parse_number_full (token, &value, &percent, &decimals))
    {
      g_auto(GStrv) parts = NULL;
      double sum = 0, part;

      /* "five", "twenty-five". */
      if (reins_answer_parse_number_word (token, &value))
        ;
      else if (strchr (token, '-') != NULL)
        {
          parts = g_strsplit (token, "-", -1);
          for (guint k = 0; parts[k] != NULL; k++)
            {
              if (!reins_answer_parse_number_word (parts[k], &part))
                return FALSE;
              sum += part;
            }
          value = sum;
        }
      else
        return FALSE;
      percent = FALSE;
    }

  if (*i + 1 < tokens->len)
    {
      const char *next = g_ptr_array_index (tokens, *i + 1);

      if ((scale = reins_answer_scale_of (next)) != 0)
        (*i)++;
      else if (g_str_equal (next, "percent") || g_str_equal (next, "pct"))
        {
          percent = TRUE;
          scale = 1;
          (*i)++;
        }
      else
        scale = 1;
    }

  unit->kind = UNIT_NUMBER;
  unit->value = value * scale;
  unit->percent = percent;
  unit->decimals = decimals;
  unit->scale = scale;
  (*i)++;
  return TRUE;
}

/* Adds the content units of @tokens to @units: no stop-words, no framing words. */
void
reins_answer_collect_units (GPtrArray *tokens,
                            GArray    *names,
                            GPtrArray *units)
{
  guint i = 0;

  while (i < tokens->len)
    {
      const char *token = g_ptr_array_index (tokens, i);
      Unit *unit = g_new0 (Unit, 1);
      guint taken;
      guint start = i;

      if (reins_answer_parse_numeric_date (token, unit->date))
        {
          unit->kind = UNIT_DATE;
          i++;
        }
      else if ((taken = reins_answer_parse_named_date (tokens, i, &unit->date[0])) != 0)
        {
          unit->kind = UNIT_DATE;
          i += taken;
        }
      else if (read_number (tokens, &i, unit))
        ;
      else
        {
          i++;
          if (is_stop_word (token) || !reins_answer_has_letter (token))
            {
              g_free (unit);
              continue;
            }
          unit->kind = UNIT_WORD;
          unit->name = g_array_index (names, gboolean, start);
          unit->stem = reins_answer_stem (token);
          unit->compound = reins_answer_has_inner_punctuation (token);
        }

      {
        GString *text = g_string_new (NULL);

        for (guint k = start; k < i; k++)
          {
            if (k > start)
              g_string_append_c (text, ' ');
            g_string_append (text, g_ptr_array_index (tokens, k));
          }
        unit->text = g_string_free (text, FALSE);
      }
      unit->plain = g_strdup (token);
      g_ptr_array_add (units, unit);
    }
}

void
reins_answer_index_clear (Index *index)
{
  g_clear_pointer (&index->stems, g_hash_table_unref);
  g_clear_pointer (&index->compounds, g_hash_table_unref);
  g_clear_pointer (&index->numbers, g_array_unref);
  g_clear_pointer (&index->parts, g_array_unref);
  g_clear_pointer (&index->dates, g_array_unref);
  g_clear_pointer (&index->plain, g_free);
}

static void
index_number (GArray     *numbers,
              const char *token)
{
  double value;
  gboolean percent;
  int decimals;

  if (!reins_answer_parse_number_full (token, &value, &percent, &decimals) &&
      !reins_answer_parse_number_word (token, &value))
    return;
  g_array_append_val (numbers, value);
  if (percent)
    {
      value /= 100;
      g_array_append_val (numbers, value);
    }
}

/* Everything @plain (a plain text) says, as words, identifiers, numbers and dates. */
void
reins_answer_index_init (Index      *index,
                         const char *plain)
{
  g_autoptr(GPtrArray) tokens = g_ptr_array_new_with_free_func (g_free);

  index->stems = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  index->compounds = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  index->numbers = g_array_new (FALSE, FALSE, sizeof (double));
  index->parts = g_array_new (FALSE, FALSE, sizeof (double));
  index->dates = g_array_new (FALSE, FALSE, sizeof (Date));
  index->plain = g_strdup (plain);

  reins_answer_tokenize (plain, reins_answer_collect_token, tokens);
  for (guint i = 0; i < tokens->len; i++)
    {
      const char *token = g_ptr_array_index (tokens, i);
      Date dates[2];
      Date named;

      g_hash_table_add (index->stems, g_strdup (token));
      g_hash_table_add (index->stems, reins_answer_stem (token));
      index_number (index->numbers, token);

      if (reins_answer_parse_numeric_date (token, dates))
        {
          g_array_append_val (index->dates, dates[0]);
          if (dates[1].m != 0)
            g_array_append_val (index->dates, dates[1]);
        }
      if (reins_answer_parse_named_date (tokens, i, &named) != 0)
        g_array_append_val (index->dates, named);

      if (reins_answer_has_inner_punctuation (token))
        {
          g_auto(GStrv) parts = NULL;
          g_autofree char *spaced = g_strdup (token);

          g_hash_table_add (index->compounds, g_strdup (token));
          /* Its parts count as words too: "amber" is in "amber-1234". */
          g_strdelimit (spaced, "-_./:@'+#~=", ' ');
          parts = g_strsplit (spaced, " ", -1);
          for (guint k = 0; parts[k] != NULL; k++)
            if (parts[k][0] != '\0')
              {
                g_hash_table_add (index->stems, g_strdup (parts[k]));
                g_hash_table_add (index->stems, reins_answer_stem (parts[k]));
                index_number (index->parts, parts[k]);
              }
        }
    }
}

/* Whether @needle stands in @haystack as a whole: no letter or digit right before or after. */
gboolean
reins_answer_find_whole (const char *haystack,
                         const char *needle)
{
  gsize n = strlen (needle);

  if (n == 0 || haystack == NULL)
    return FALSE;

  for (const char *p = strstr (haystack, needle); p != NULL; p = strstr (p + 1, needle))
    {
      gboolean before_ok = p == haystack;
      gboolean after_ok = p[n] == '\0';

      if (!before_ok)
        {
          const char *prev = g_utf8_find_prev_char (haystack, p);

          before_ok = prev == NULL || !reins_answer_is_core (g_utf8_get_char (prev));
        }
      if (!after_ok)
        after_ok = !reins_answer_is_core (g_utf8_get_char (p + n));
      if (before_ok && after_ok)
        return TRUE;
    }
  return FALSE;
}

static gboolean
number_matches (const Unit *unit,
                double      evidence)
{
  double candidates[2] = { unit->value, unit->value / 100 };
  guint n = unit->percent ? 2 : 1;

  for (guint i = 0; i < n; i++)
    {
      double a = candidates[i];

      if (fabs (a - evidence) <= 1e-9 * MAX (1.0, fabs (evidence)))
        return TRUE;
      /* Written rounded: "3.14" for 3.14159, "1.2 million" for 1,234,567. */
      if (i == 0 && (unit->decimals > 0 || unit->scale > 1))
        {
          double f = pow (10, unit->decimals) / unit->scale;

          if (round (evidence * f) == round (a * f))
            return TRUE;
        }
    }
  return FALSE;
}

/* A number the index holds only as a part of an identifier: "52" of "chain-52-12/3". That
 * is no quantity a result states, so it is no better than a word nothing supports. */
gboolean
reins_answer_index_has_part (const Index *index,
                             const Unit  *unit)
{
  if (unit->kind != UNIT_NUMBER)
    return FALSE;
  for (guint i = 0; i < index->parts->len; i++)
    if (number_matches (unit, g_array_index (index->parts, double, i)))
      return TRUE;
  return FALSE;
}

gboolean
reins_answer_index_supports (const Index *index,
                             const Unit  *unit)
{
  switch (unit->kind)
    {
    case UNIT_NUMBER:
      for (guint i = 0; i < index->numbers->len; i++)
        if (number_matches (unit, g_array_index (index->numbers, double, i)))
          return TRUE;
      return FALSE;

    case UNIT_DATE:
      for (guint i = 0; i < index->dates->len; i++)
        for (guint k = 0; k < 2 && unit->date[k].m != 0; k++)
          if (reins_answer_date_matches (&unit->date[k], &g_array_index (index->dates, Date, i)))
            return TRUE;
      return FALSE;

    case UNIT_WORD:
    default:
      if (unit->compound)
        return g_hash_table_contains (index->compounds, unit->plain) ||
               reins_answer_find_whole (index->plain, unit->plain);
      return g_hash_table_contains (index->stems, unit->plain) ||
             g_hash_table_contains (index->stems, unit->stem);
    }
}
