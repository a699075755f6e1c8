/* reins-answer-text.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The answer check's reading of text: plain forms, tokens, stems, and the numbers and dates
 * a text writes (number words, scales, numeric and named dates).
 */

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reins-answer-check-private.h"

/* ---- words that carry no content ---- */

/* Function words, and the words a person uses to frame an answer or to say that they could
 * not find one. They say how, not what. */
static const char * const stop_words[] = {
  "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any",
  "are", "as", "at", "be", "because", "been", "before", "being", "below", "between", "both",
  "but", "by", "can", "could", "did", "do", "does", "doing", "done", "down", "during", "each",
  "either", "else", "etc", "ever", "every", "few", "for", "from", "further", "had", "has",
  "have", "having", "he", "her", "here", "hers", "herself", "him", "himself", "his", "how",
  "i", "if", "in", "into", "is", "it", "its", "itself", "just", "may", "me", "might", "more",
  "most", "must", "my", "myself", "neither", "no", "nor", "not", "now", "of", "off", "on",
  "once", "only", "or", "other", "our", "ours", "ourselves", "out", "over", "own", "per",
  "same", "shall", "she", "should", "so", "some", "such", "than", "that", "the", "their",
  "theirs", "them", "themselves", "then", "there", "these", "they", "this", "those",
  "through", "thus", "to", "too", "under", "until", "up", "upon", "us", "very", "via", "was",
  "we", "were", "what", "when", "where", "whether", "which", "while", "who", "whom", "whose",
  "why", "will", "with", "within", "without", "would", "yes", "yet", "you", "your", "yours",
  "yourself", "let", "lets", "s", "t", "d", "ll", "re", "ve", "m", "n't", "nt", "don",
  "doesn", "didn", "isn", "wasn", "aren", "weren", "won", "wouldn", "couldn", "shouldn",
  "cannot", "can't", "however", "therefore", "hence", "although", "though", "since",
  "whereas", "indeed", "namely", "i.e", "e.g", "ok", "okay",
  /* Framing an answer. */
  "answer", "final", "finally", "result", "value", "output", "response", "conclusion",
  "found", "find", "finding", "locate", "located", "reach", "reached", "end", "ends",
  "ended", "ending", "start", "started", "starting", "begin", "began", "follow", "followed",
  "following", "step", "last", "first", "next", "return", "returned", "retrieve",
  "retrieved", "obtain", "obtained", "get", "got", "give", "gave", "given", "show", "shows",
  "showed", "shown", "say", "says", "said", "state", "states", "stated", "report",
  "reported", "according", "based", "indicate", "indicates", "indicated", "appear",
  "appears", "appeared", "seem", "seems", "likely", "probably", "perhaps", "maybe",
  "possibly", "approximately", "about", "around", "roughly", "exactly", "total", "overall",
  "sum", "tool", "tools", "search", "searched", "look", "looked", "lookup", "check",
  "checked", "confirm", "confirmed", "verify", "verified", "determine", "determined",
  "conclude", "concluded", "information", "data", "source", "sources", "evidence", "task",
  "question", "request", "requested", "asked", "correct", "right", "true", "false",
  "here's", "there's", "it's", "that's", "is:", "entry", "item", "record", "called",
  "named", "known", "unknown", "sure", "know", "able", "unable", "available",
  "unavailable", "exist", "exists", "existed", "nothing", "none", "anything", "something",
  "thing", "things", "one", "please", "note", "noted", "see", "seen", "use", "used",
  "using", "make", "made", "need", "needed", "want", "try", "tried", "attempt",
  "attempted", "work", "worked", "complete", "completed", "success", "successful",
  "successfully", "fail", "failed", "information", "result:", "process", "processed",
  "mean", "means", "meaning", "current", "currently", "actual", "actually", "indeed",
  /* Units: they qualify a number, which is checked. */
  "percent", "per", "cent", "%", "usd", "eur", "gbp", "dollar", "dollars", "euro", "euros",
  "pound", "pounds", "km", "m", "cm", "mm", "kg", "g", "mg", "lb", "lbs", "ms", "sec",
  "second", "seconds", "min", "minute", "minutes", "hour", "hours", "day", "days", "week",
  "weeks", "month", "months", "year", "years", "times", "kb", "mb", "gb", "tb", "byte",
  "bytes", "item", "items", "line", "lines", "file", "files",
  NULL
};
static const char * const months[] = {
  "january", "february", "march", "april", "may", "june", "july", "august", "september",
  "october", "november", "december", NULL
};

static const char * const small_numbers[] = {
  "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
  "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
  "nineteen", "twenty", NULL
};

static const char * const tens[] = {
  "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety", NULL
};

/* ---- text ---- */

/* Lower case, without accents, typographic quotes as plain ones. */
char *
reins_answer_plain_text (const char *text,
                         gssize      len)
{
  g_autofree char *valid = g_utf8_make_valid (text, len);
  g_autofree char *decomposed = g_utf8_normalize (valid, -1, G_NORMALIZE_NFKD);
  g_autofree char *lower = NULL;
  GString *out;

  if (decomposed == NULL)
    return g_strdup ("");
  lower = g_utf8_strdown (decomposed, -1);
  out = g_string_sized_new (strlen (lower));
  for (const char *p = lower; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_ismark (c))
        continue;
      if (c == 0x2019 || c == 0x2018)
        c = '\'';
      g_string_append_unichar (out, c);
    }
  return g_string_free (out, FALSE);
}

gboolean
reins_answer_is_core (gunichar c)
{
  return g_unichar_isalnum (c);
}

static gboolean
is_connector (gunichar c)
{
  return c == '-' || c == '_' || c == '.' || c == '/' || c == ':' || c == '@' || c == '\'' ||
         c == 0x2019 || c == '+' || c == '#' || c == '~' || c == '=';
}

gboolean
reins_answer_is_currency (gunichar c)
{
  return c == '$' || c == 0x20ac || c == 0xa3 || c == 0xa5;
}

/* Calls @func for each token of @text: letters and digits with the punctuation inside them
 * (a key such as "chain-7-10/3-ab12", a path, "1,234.5", "12%", "$40", "e-mail"). */
void
reins_answer_tokenize (const char *text,
                       TokenFunc   func,
                       gpointer    data)
{
  const char *p = text;

  while (*p != '\0')
    {
      gunichar c = g_utf8_get_char (p);
      const char *start;
      gunichar prev;

      /* A currency sign or a sign just before a digit belongs to the number. */
      if ((reins_answer_is_currency (c) || c == '-' || c == '+') && g_ascii_isdigit (*g_utf8_next_char (p)))
        start = p;
      else if (reins_answer_is_core (c))
        start = p;
      else
        {
          p = g_utf8_next_char (p);
          continue;
        }

      prev = g_utf8_get_char (p);
      p = g_utf8_next_char (p);
      while (*p != '\0')
        {
          gunichar cur = g_utf8_get_char (p);
          const char *after = g_utf8_next_char (p);
          gunichar next = *after != '\0' ? g_utf8_get_char (after) : 0;

          if (reins_answer_is_core (cur))
            ;
          else if (cur == ',' && g_ascii_isdigit (prev) &&
                   g_ascii_isdigit (after[0]) && g_ascii_isdigit (after[1]) &&
                   g_ascii_isdigit (after[2]) && !g_ascii_isdigit (after[3]))
            ;
          else if (cur == '%' && g_ascii_isdigit (prev))
            {
              p = after;
              break;
            }
          else if (is_connector (cur) && reins_answer_is_core (prev) && next != 0 && reins_answer_is_core (next))
            ;
          else
            break;
          prev = cur;
          p = after;
        }

      func (start, p - start, data);
    }
}

gboolean
reins_answer_in_list (const char * const *list,
                      const char         *word)
{
  for (guint i = 0; list[i] != NULL; i++)
    if (g_str_equal (list[i], word))
      return TRUE;
  return FALSE;
}

static gboolean
ends_with (const char *word,
           gsize       len,
           const char *suffix)
{
  gsize n = strlen (suffix);

  return len > n && memcmp (word + len - n, suffix, n) == 0;
}

/* A word without its English inflection: "values" and "value", "followed" and "follow". */
char *
reins_answer_stem (const char *word)
{
  gsize len = strlen (word);
  char *out;

  if (len > 2 && (ends_with (word, len, "'s")))
    len -= 2;
  out = g_strndup (word, len);
  if (len <= 3)
    return out;

  if (ends_with (out, len, "ies") && len > 4)
    strcpy (out + len - 3, "y");
  else if (ends_with (out, len, "sses"))
    out[len - 2] = '\0';
  else if (ends_with (out, len, "ing") && len > 5)
    out[len - 3] = '\0';
  else if (ends_with (out, len, "ed") && len > 4)
    out[len - 2] = '\0';
  else if (ends_with (out, len, "es") && len > 4 &&
           (strchr ("sxz", out[len - 3]) != NULL || ends_with (out, len, "ches") ||
            ends_with (out, len, "shes")))
    out[len - 2] = '\0';
  else if (out[len - 1] == 's' && !ends_with (out, len, "ss") && !ends_with (out, len, "us") &&
           !ends_with (out, len, "is"))
    out[len - 1] = '\0';
  else if (ends_with (out, len, "ly") && len > 5)
    out[len - 2] = '\0';

  /* "use" and "used" meet at "us"; drop a final e so that they do. */
  len = strlen (out);
  if (len > 3 && out[len - 1] == 'e')
    out[len - 1] = '\0';
  return out;
}

GHashTable *
reins_answer_stop_stems (void)
{
  static GHashTable *table;

  if (g_once_init_enter (&table))
    {
      GHashTable *t = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

      for (guint i = 0; stop_words[i] != NULL; i++)
        {
          g_hash_table_add (t, g_strdup (stop_words[i]));
          g_hash_table_add (t, reins_answer_stem (stop_words[i]));
        }
      g_once_init_leave (&table, t);
    }
  return table;
}

gboolean
reins_answer_has_letter (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (g_unichar_isalpha (g_utf8_get_char (p)))
      return TRUE;
  return FALSE;
}

gboolean
reins_answer_has_digit (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    if (g_ascii_isdigit (*p))
      return TRUE;
  return FALSE;
}

gboolean
reins_answer_has_inner_punctuation (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!reins_answer_is_core (c) && c != '\'')
        return TRUE;
    }
  return FALSE;
}

/* ---- numbers and dates ---- */

gboolean
reins_answer_parse_number_word (const char *word,
                                double     *value)
{
  for (guint i = 0; small_numbers[i] != NULL; i++)
    if (g_str_equal (word, small_numbers[i]))
      {
        *value = i;
        return TRUE;
      }
  for (guint i = 0; tens[i] != NULL; i++)
    if (g_str_equal (word, tens[i]))
      {
        *value = 30 + 10 * i;
        return TRUE;
      }
  if (g_str_equal (word, "hundred"))
    *value = 100;
  else if (g_str_equal (word, "thousand"))
    *value = 1e3;
  else if (g_str_equal (word, "million"))
    *value = 1e6;
  else if (g_str_equal (word, "billion"))
    *value = 1e9;
  else if (g_str_equal (word, "trillion"))
    *value = 1e12;
  else
    return FALSE;
  return TRUE;
}

double
reins_answer_scale_of (const char *word)
{
  if (g_str_equal (word, "thousand") || g_str_equal (word, "k"))
    return 1e3;
  if (g_str_equal (word, "million") || g_str_equal (word, "mn") || g_str_equal (word, "mio"))
    return 1e6;
  if (g_str_equal (word, "billion") || g_str_equal (word, "bn"))
    return 1e9;
  if (g_str_equal (word, "trillion"))
    return 1e12;
  return 0;
}

/* Parses a number as people write it: "1,000", "-3.5", "1e3", "$40", "12%", "5km", "3rd".
 * Returns FALSE for anything else. */
gboolean
reins_answer_parse_number_full (const char *text,
                                double     *value,
                                gboolean   *percent,
                                int        *decimals)
{
  GString *digits = g_string_new (NULL);
  const char *p = text;
  char *end = NULL;
  gboolean ok;
  int places = -1;

  *percent = FALSE;
  if (*p == '+' || *p == '-')
    g_string_append_c (digits, *p++);
  if (reins_answer_is_currency (g_utf8_get_char (p)))
    p = g_utf8_next_char (p);
  if (!g_ascii_isdigit (*p))
    {
      g_string_free (digits, TRUE);
      return FALSE;
    }

  for (; *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p))
        {
          g_string_append_c (digits, *p);
          if (places >= 0)
            places++;
        }
      else if (*p == ',' && g_ascii_isdigit (p[1]))
        continue;
      else if (*p == '.' && places < 0 && g_ascii_isdigit (p[1]))
        {
          g_string_append_c (digits, '.');
          places = 0;
        }
      else if ((*p == 'e' || *p == 'E') && (g_ascii_isdigit (p[1]) ||
               ((p[1] == '-' || p[1] == '+') && g_ascii_isdigit (p[2]))))
        {
          g_string_append_c (digits, 'e');
          p++;
          g_string_append_c (digits, *p);
          for (p++; g_ascii_isdigit (*p); p++)
            g_string_append_c (digits, *p);
          break;
        }
      else
        break;
    }

  /* What may follow: a percent sign, or a short unit or an ordinal's letters ("5km", "3rd");
   * "4521abcd" is an identifier, not a number. */
  if (*p == '%')
    {
      *percent = TRUE;
      p++;
    }
  for (const char *q = p; *q != '\0'; q++)
    if (!g_ascii_isalpha (*q) || q - p >= 3)
      {
        g_string_free (digits, TRUE);
        return FALSE;
      }

  *value = g_ascii_strtod (digits->str, &end);
  ok = end != NULL && *end == '\0' && digits->len > 0 && isfinite (*value);
  *decimals = MAX (places, 0);
  g_string_free (digits, TRUE);
  return ok;
}

gboolean
reins_answer_parse_number (const char *text,
                           double     *value)
{
  gboolean percent;
  int decimals;

  g_return_val_if_fail (text != NULL && value != NULL, FALSE);
  return reins_answer_parse_number_full (text, value, &percent, &decimals);
}

static int
month_of (const char *word)
{
  for (guint i = 0; months[i] != NULL; i++)
    if (g_str_equal (word, months[i]) ||
        (strlen (word) >= 3 && g_str_has_prefix (months[i], word) &&
         (strlen (word) == 3 || (strlen (word) == 4 && g_str_equal (word, "sept")))))
      return i + 1;
  return 0;
}

static gboolean
is_year (int n)
{
  return n >= 1000 && n <= 2999;
}

static int
small_int (const char *word,
           int         max)
{
  char *end = NULL;
  gint64 n;

  if (!g_ascii_isdigit (word[0]))
    return 0;
  n = g_ascii_strtoll (word, &end, 10);
  /* "5th" and "5" alike. */
  if (end == word || (*end != '\0' && !g_str_equal (end, "st") && !g_str_equal (end, "nd") &&
                      !g_str_equal (end, "rd") && !g_str_equal (end, "th")))
    return 0;
  return n >= 1 && n <= max ? (int) n : 0;
}

/* "2024-03-05", "2024/3/5", "05.03.2024", "3/5/2024" (both readings) in one token. */
gboolean
reins_answer_parse_numeric_date (const char *token,
                                 Date        dates[2])
{
  int a, b, c;
  char s1, s2;
  int n = 0;
  char tail;

  memset (dates, 0, 2 * sizeof (Date));
  if (sscanf (token, "%d%c%d%c%d%c", &a, &s1, &b, &s2, &c, &tail) != 5 || s1 != s2 ||
      (s1 != '-' && s1 != '/' && s1 != '.'))
    return FALSE;

  if (is_year (a) && b >= 1 && b <= 12 && c >= 1 && c <= 31)
    dates[n++] = (Date) { a, b, c };
  else if (is_year (c) && a >= 1 && a <= 31 && b >= 1 && b <= 31)
    {
      if (b <= 12)
        dates[n++] = (Date) { c, b, a };
      if (a <= 12 && a != b)
        dates[n++] = (Date) { c, a, b };
    }
  return n > 0;
}

/* A date written with a month's name, starting at @tokens[i]: "March 5, 2024", "5 March
 * 2024", "March 2024", "Mar 5". Returns how many tokens it takes, or 0. */
guint
reins_answer_parse_named_date (GPtrArray *tokens,
                               guint      i,
                               Date      *date)
{
  const char *t0 = g_ptr_array_index (tokens, i);
  const char *t1 = i + 1 < tokens->len ? g_ptr_array_index (tokens, i + 1) : NULL;
  const char *t2 = i + 2 < tokens->len ? g_ptr_array_index (tokens, i + 2) : NULL;
  int month, day;

  memset (date, 0, sizeof *date);

  if ((month = month_of (t0)) != 0 && t1 != NULL)
    {
      /* "may" alone is a verb far more often than a month. */
      if (g_str_equal (t0, "may") && !(t1 != NULL && (small_int (t1, 31) || is_year (atoi (t1)))))
        return 0;
      if ((day = small_int (t1, 31)) != 0 && !is_year (atoi (t1)))
        {
          *date = (Date) { 0, month, day };
          if (t2 != NULL && is_year (atoi (t2)) && strlen (t2) == 4)
            {
              date->y = atoi (t2);
              return 3;
            }
          return 2;
        }
      if (is_year (atoi (t1)) && strlen (t1) == 4)
        {
          *date = (Date) { atoi (t1), month, 0 };
          return 2;
        }
      return 0;
    }

  if ((day = small_int (t0, 31)) != 0 && t1 != NULL && (month = month_of (t1)) != 0)
    {
      *date = (Date) { 0, month, day };
      if (t2 != NULL && is_year (atoi (t2)) && strlen (t2) == 4)
        {
          date->y = atoi (t2);
          return 3;
        }
      return 2;
    }

  return 0;
}

void
reins_answer_collect_token (const char *start,
                            gsize       len,
                            gpointer    data)
{
  g_ptr_array_add (data, g_strndup (start, len));
}

char *
reins_answer_normalize_date (const char *text)
{
  g_autofree char *plain = NULL;
  g_autoptr(GPtrArray) tokens = g_ptr_array_new_with_free_func (g_free);
  Date dates[2];

  g_return_val_if_fail (text != NULL, NULL);

  plain = reins_answer_plain_text (text, -1);
  reins_answer_tokenize (plain, reins_answer_collect_token, tokens);
  if (tokens->len == 0)
    return NULL;
  if (!reins_answer_parse_numeric_date (g_ptr_array_index (tokens, 0), dates) &&
      reins_answer_parse_named_date (tokens, 0, &dates[0]) == 0)
    return NULL;
  if (dates[0].y == 0)
    return g_strdup_printf ("--%02d-%02d", dates[0].m, dates[0].d);
  if (dates[0].d == 0)
    return g_strdup_printf ("%04d-%02d", dates[0].y, dates[0].m);
  return g_strdup_printf ("%04d-%02d-%02d", dates[0].y, dates[0].m, dates[0].d);
}

gboolean
reins_answer_date_matches (const Date *a,
                           const Date *b)
{
  if (a->m == 0 || a->m != b->m)
    return FALSE;
  if (a->y != 0 && b->y != 0 && a->y != b->y)
    return FALSE;
  if (a->d != 0 && b->d != 0 && a->d != b->d)
    return FALSE;
  /* "March" alone is no date; a day or a year must agree. */
  return (a->d != 0 && a->d == b->d) || (a->y != 0 && a->y == b->y);
}
