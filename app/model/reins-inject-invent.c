/* reins-inject-invent.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Mistake injection, invention: words, numbers, dates, sentences and lists made from the
 * conversation's own material, never from a list a checker could learn (docs/mistakes.md).
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "reins-provider-inject-private.h"

/* Invention ----------------------------------------------------------------------------- */

gpointer
reins_inject_pick (GRand     *rand,
                   GPtrArray *array)
{
  g_return_val_if_fail (array->len > 0, NULL);
  return g_ptr_array_index (array, g_rand_int_range (rand, 0, array->len));
}


/* A pronounceable word from syllables: the alphabet of the generator, not a list of values. */
char *
reins_inject_syllable_word (GRand *rand)
{
  static const char * const onsets[] = {
    "b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "br", "kr", "st",
    "tr", "gl", "pl", "sh", "th", "dr", "fl", "h", "c", "w",
  };
  static const char * const nuclei[] = { "a", "e", "i", "o", "u", "ai", "ea", "io", "ou", "y" };
  static const char * const codas[] = {
    "", "", "", "", "n", "r", "l", "s", "m", "k", "x", "nd", "st",
  };
  GString *word = g_string_new (NULL);
  guint syllables = g_rand_int_range (rand, 2, 4);

  for (guint i = 0; i < syllables; i++)
    {
      g_string_append (word, PICK (rand, onsets));
      g_string_append (word, PICK (rand, nuclei));
      if (i + 1 == syllables || g_rand_boolean (rand))
        g_string_append (word, PICK (rand, codas));
    }
  return g_string_free (word, FALSE);
}

/* A word recombined from the conversation's own vocabulary: the head of one and the tail of
 * another, or two joined. */
static char *
recombined_word (Context *ctx,
                 GRand   *rand)
{
  const char *a, *b;
  gsize la, lb;

  if (ctx->words->len == 0)
    return reins_inject_syllable_word (rand);
  a = reins_inject_pick (rand, ctx->words);
  b = reins_inject_pick (rand, ctx->words);
  la = strlen (a);
  lb = strlen (b);
  if (g_rand_boolean (rand) && la >= 4 && lb >= 4)
    {
      gsize cut_a = g_rand_int_range (rand, 2, la - 1);
      gsize cut_b = g_rand_int_range (rand, 1, lb - 2);

      return g_strdup_printf ("%.*s%s", (int) cut_a, a, b + cut_b);
    }
  return g_strconcat (a, b, NULL);
}

/* A value from an observation before the latest: observed, but not what the run ended on. */
static char *
earlier_atom (Context  *ctx,
              GRand    *rand,
              gboolean  letters)
{
  g_autoptr(GPtrArray) candidates = g_ptr_array_new ();

  for (guint i = 0; i + 1 < ctx->observations->len; i++)
    {
      Observation *obs = g_ptr_array_index (ctx->observations, i);

      for (guint j = 0; j < obs->atoms->len; j++)
        {
          const char *atom = g_ptr_array_index (obs->atoms, j);

          if (!letters || g_ascii_isalpha (atom[0]))
            g_ptr_array_add (candidates, (gpointer) atom);
        }
    }
  return candidates->len > 0 ? g_strdup (reins_inject_pick (rand, candidates)) : NULL;
}

char *
reins_inject_capitalised (char *word)
{
  if (word != NULL && g_ascii_islower (word[0]))
    word[0] = g_ascii_toupper (word[0]);
  return word;
}

char *
reins_inject_invent_word (Context *ctx,
                          GRand   *rand)
{
  double x = g_rand_double (rand);
  char *word = NULL;

  if (x < 0.2 && (word = earlier_atom (ctx, rand, TRUE)) != NULL)
    return word;

  for (guint tries = 0; tries < 16; tries++)
    {
      g_clear_pointer (&word, g_free);
      word = x < 0.6 ? recombined_word (ctx, rand) : reins_inject_syllable_word (rand);
      if (!reins_inject_observed (ctx, word))
        break;
    }
  if (g_rand_double (rand) < 0.25)
    reins_inject_capitalised (word);
  return word;
}

static char *
format_number (GRand  *rand,
               double  value,
               int     decimals)
{
  if (decimals > 0)
    return g_strdup_printf ("%.*f", decimals, value);
  if (fabs (value) >= 1000 && fabs (value) < 1e15 && g_rand_double (rand) < 0.4)
    {
      g_autofree char *plain = g_strdup_printf ("%.0f", fabs (value));
      GString *grouped = g_string_new (value < 0 ? "-" : "");
      gsize len = strlen (plain);

      for (gsize i = 0; i < len; i++)
        {
          if (i > 0 && (len - i) % 3 == 0)
            g_string_append_c (grouped, ',');
          g_string_append_c (grouped, plain[i]);
        }
      return g_string_free (grouped, FALSE);
    }
  return g_strdup_printf ("%.0f", value);
}

/* A number near the numbers the run has seen (off by a little, by a few percent, a digit
 * changed), sometimes one of them as it was. */
char *
reins_inject_invent_number (Context *ctx,
                            GRand   *rand)
{
  char *text = NULL;

  for (guint tries = 0; tries < 16; tries++)
    {
      double base, x = g_rand_double (rand), value;
      int decimals;

      g_clear_pointer (&text, g_free);
      if (ctx->numbers->len == 0)
        return g_strdup_printf ("%d", g_rand_int_range (rand, 10, 10000));

      base = g_array_index (ctx->numbers, double, g_rand_int_range (rand, 0, ctx->numbers->len));
      decimals = base == floor (base) ? 0 : 2;
      if (x < 0.15 && tries == 0)
        return format_number (rand, base, decimals);
      if (x < 0.5)
        value = base + (g_rand_boolean (rand) ? 1 : -1) * g_rand_int_range (rand, 1, 4);
      else if (x < 0.85)
        {
          double change = g_rand_double_range (rand, 0.02, 0.15);

          value = base * (1.0 + (g_rand_boolean (rand) ? change : -change));
          if (decimals == 0)
            value = round (value);
        }
      else
        value = base * 10 + g_rand_int_range (rand, 0, 10);
      if (value == base)
        value = base + 1;
      text = format_number (rand, value, decimals);
      if (!reins_inject_observed (ctx, text))
        return text;
    }
  return text;
}

char *
reins_inject_invent_date (Context *ctx,
                          GRand   *rand)
{
  static const char * const months[] = {
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
  };
  int year = g_rand_int_range (rand, 1995, 2031);
  int month = g_rand_int_range (rand, 1, 13);
  int day = g_rand_int_range (rand, 1, 29);

  for (guint i = 0; i < ctx->numbers->len; i++)
    {
      double n = g_array_index (ctx->numbers, double, i);

      if (n >= 1900 && n <= 2099 && n == floor (n) && g_rand_boolean (rand))
        year = (int) n + g_rand_int_range (rand, -3, 4);
    }

  switch (g_rand_int_range (rand, 0, 4))
    {
    case 0:
      return g_strdup_printf ("%04d-%02d-%02d", year, month, day);
    case 1:
      return g_strdup_printf ("%d %s %d", day, months[month - 1], year);
    case 2:
      return g_strdup_printf ("%s %d, %d", months[month - 1], day, year);
    default:
      return g_strdup_printf ("%02d/%02d/%04d", month, day, year);
    }
}

/* A short noun phrase of the task's own words. */
static char *
task_phrase (Context *ctx,
             GRand   *rand)
{
  const char *a, *b;

  if (ctx->task_words->len == 0)
    return g_strdup ("result");
  a = reins_inject_pick (rand, ctx->task_words);
  b = reins_inject_pick (rand, ctx->task_words);
  if (g_str_equal (a, b) || g_rand_double (rand) < 0.7)
    return g_strdup (a);
  return g_strdup_printf ("%s %s", a, b);
}

char *
reins_inject_fill (const char *frame,
                   const char *subject,
                   const char *value)
{
  GString *text = g_string_new (NULL);

  for (const char *p = frame; *p != '\0'; p++)
    {
      if (*p == '@')
        g_string_append (text, subject);
      else if (*p == '#')
        g_string_append (text, value);
      else
        g_string_append_c (text, *p);
    }
  return g_string_free (text, FALSE);
}

/* A sentence that states @value as the result, in the task's words. The two halves word it
 * differently, so a checker tuned on one half cannot lean on the other's phrasing. */
char *
reins_inject_sentence_with (Context    *ctx,
                            GRand      *rand,
                            const char *value)
{
  static const char * const tuning_frames[] = {
    "The @ is #.",
    "After following the results, the @ is #.",
    "It is #: that is the @ the task asks for.",
    "The final @ I arrived at is #.",
  };
  static const char * const evaluation_frames[] = {
    "The @ turned out to be #.",
    "Based on what the tools returned, the @ is #.",
    "I found it: the @ is #, as the last result showed.",
    "#, which is the @.",
  };
  g_autofree char *subject = task_phrase (ctx, rand);
  char *text = reins_inject_fill (ctx->evaluation ? PICK (rand, evaluation_frames) : PICK (rand, tuning_frames),
                                  subject, value);

  text[0] = g_ascii_toupper (text[0]);
  return text;
}

char *
reins_inject_invent_sentence (Context *ctx,
                              GRand   *rand)
{
  double x = g_rand_double (rand);
  g_autofree char *value = NULL;

  if (x < 0.2)
    value = earlier_atom (ctx, rand, FALSE);
  if (value == NULL)
    value = x < 0.65 ? reins_inject_invent_word (ctx, rand)
            : x < 0.9 ? reins_inject_invent_number (ctx, rand) : reins_inject_invent_date (ctx, rand);
  return reins_inject_sentence_with (ctx, rand, value);
}

char *
reins_inject_invent_list (Context *ctx,
                          GRand   *rand)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_free);
  guint n = g_rand_int_range (rand, 2, 6);
  GString *text = g_string_new (NULL);
  guint style = g_rand_int_range (rand, 0, 4);

  for (guint i = 0; i < n; i++)
    {
      double x = g_rand_double (rand);
      char *item = NULL;

      /* The first item is always one that was never observed. */
      if (i > 0 && x < 0.3)
        item = earlier_atom (ctx, rand, FALSE);
      if (item == NULL && x < 0.5)
        item = reins_inject_invent_number (ctx, rand);
      if (item == NULL)
        item = reins_inject_invent_word (ctx, rand);
      if (i == 0 && reins_inject_observed (ctx, item))
        {
          g_free (item);
          item = reins_inject_syllable_word (rand);
        }
      g_ptr_array_add (items, item);
    }

  for (guint i = 0; i < items->len; i++)
    {
      const char *item = g_ptr_array_index (items, i);

      switch (style)
        {
        case 0:
          g_string_append_printf (text, "%s%s", i > 0 ? ", " : "", item);
          break;
        case 1:
          g_string_append_printf (text, "%s%s", i == 0 ? "" : i + 1 == items->len ? " and " : ", ",
                                  item);
          break;
        case 2:
          g_string_append_printf (text, "%s- %s", i > 0 ? "\n" : "", item);
          break;
        default:
          {
            g_autoptr(JsonNode) node = json_node_init_string (json_node_alloc (), item);
            g_autofree char *json = json_to_string (node, FALSE);

            g_string_append_printf (text, "%s%s%s%s", i == 0 ? "[" : ", ", json,
                                    "", i + 1 == items->len ? "]" : "");
          }
          break;
        }
    }
  return g_string_free (text, FALSE);
}

/* A value of the same shape as @value that was never observed: one run of letters or digits
 * redrawn from its own character class (hex stays hex), or a number moved by a little. */
char *
reins_inject_guess_like (Context    *ctx,
                         GRand      *rand,
                         const char *value)
{
  for (guint tries = 0; tries < 16; tries++)
    {
      g_autofree char *guess = g_strdup (value);
      gsize len = strlen (guess);
      gsize start = len, end = len;
      gboolean hex = TRUE, digits = TRUE;

      /* The last run of letters and digits (the part that differs between keys). */
      while (end > 0 && !g_ascii_isalnum (guess[end - 1]))
        end--;
      start = end;
      while (start > 0 && g_ascii_isalnum (guess[start - 1]))
        start--;
      if (start == end)
        {
          g_autofree char *word = reins_inject_syllable_word (rand);
          char *appended = g_strconcat (value, "-", word, NULL);

          return appended;
        }
      for (gsize i = start; i < end; i++)
        {
          hex &= g_ascii_isxdigit (guess[i]) && !g_ascii_isupper (guess[i]);
          digits &= g_ascii_isdigit (guess[i]);
        }
      /* Sometimes the run before it changes instead, like an index one further on. */
      if (digits && end - start <= 3)
        {
          g_autofree char *head = g_strndup (guess, start);
          guint64 n = g_ascii_strtoull (guess + start, NULL, 10) + g_rand_int_range (rand, 1, 4);
          char *moved = g_strdup_printf ("%s%" G_GUINT64_FORMAT "%s", head, n, guess + end);

          if (!reins_inject_observed (ctx, moved))
            return moved;
          g_free (moved);
          continue;
        }
      for (gsize i = start; i < end; i++)
        {
          if (g_ascii_isdigit (guess[i]) && !hex)
            guess[i] = '0' + g_rand_int_range (rand, 0, 10);
          else if (hex)
            guess[i] = "0123456789abcdef"[g_rand_int_range (rand, 0, 16)];
          else if (g_ascii_isupper (guess[i]))
            guess[i] = 'A' + g_rand_int_range (rand, 0, 26);
          else if (g_ascii_islower (guess[i]))
            guess[i] = 'a' + g_rand_int_range (rand, 0, 26);
        }
      if (!g_str_equal (guess, value) && !reins_inject_observed (ctx, guess))
        return g_steal_pointer (&guess);
    }
  return NULL;
}

/* A thought composed of an opener and a statement, so no two injected thoughts need share a
 * sentence. */
char *
reins_inject_thought_of (GRand      *rand,
                         const char *statement)
{
  static const char * const openers[] = {
    "", "", "", "OK. ", "Good. ", "Right. ", "Alright. ", "Hm. ",
  };
  char *text = g_strconcat (PICK (rand, openers), statement, NULL);

  return text;
}

char *
reins_inject_first_string_member (JsonObject *args,
                                  char      **value)
{
  g_autoptr(GList) members = args != NULL ? json_object_get_members (args) : NULL;

  for (const GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *node = json_object_get_member (args, l->data);

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING &&
          *json_node_get_string (node) != '\0')
        {
          if (value != NULL)
            *value = g_strdup (json_node_get_string (node));
          return g_strdup (l->data);
        }
    }
  return NULL;
}

/* A tool action (not `finish`) with a string argument: the intended one, else the latest. */
ReinsAction *
reins_inject_base_tool_action (Context *ctx)
{
  if (ctx->intended != NULL && !reins_inject_is_finish (ctx->intended))
    {
      JsonObject *args = reins_action_get_arguments (ctx->intended);
      g_autofree char *member = reins_inject_first_string_member (args, NULL);

      if (member != NULL)
        return ctx->intended;
    }
  for (guint i = ctx->actions->len; i > 0; i--)
    {
      ReinsAction *action = g_ptr_array_index (ctx->actions, i - 1);
      g_autofree char *member = NULL;

      if (reins_inject_is_finish (action))
        continue;
      member = reins_inject_first_string_member (reins_action_get_arguments (action), NULL);
      if (member != NULL)
        return action;
    }
  return NULL;
}

/* Values of observations that a later action used as its argument: pointers, cursors and
 * "next" keys the run already moved past, the latest first. */
GPtrArray *
reins_inject_passed_pointers (Context *ctx)
{
  GPtrArray *pointers = g_ptr_array_new_with_free_func (g_free);

  for (guint i = ctx->observations->len; i > 0; i--)
    {
      Observation *obs = g_ptr_array_index (ctx->observations, i - 1);

      if (obs->error)
        continue;
      for (guint j = 0; j < obs->atoms->len; j++)
        {
          const char *atom = g_ptr_array_index (obs->atoms, j);

          if (strlen (atom) < 3)
            continue;
          /* The wrapped reply, about to follow a pointer, counts as a later action. */
          for (guint k = obs->after; k <= ctx->actions->len; k++)
            {
              ReinsAction *action = k < ctx->actions->len ? g_ptr_array_index (ctx->actions, k)
                                                          : ctx->intended;
              g_autofree char *args = NULL;

              if (action == NULL || reins_inject_is_finish (action))
                continue;
              args = reins_action_dup_arguments_json (action);
              if (strstr (args, atom) != NULL)
                {
                  reins_inject_add_unique (pointers, atom);
                  break;
                }
            }
        }
    }
  return pointers;
}
