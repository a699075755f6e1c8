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

#include "reins-answer-check.h"

/* Observations past this size are read up to it: a search, not a parse. */
#define MAX_EVIDENCE_BYTES (4 * 1024 * 1024)

typedef enum
{
  UNIT_WORD,
  UNIT_NUMBER,
  UNIT_DATE,
} UnitKind;

typedef struct
{
  int y, m, d;        /* 0: not given */
} Date;

typedef struct
{
  UnitKind  kind;
  char     *text;     /* as the answer writes it */
  char     *plain;    /* lower case, accents removed */
  char     *stem;     /* words: the plain form without its inflection */
  gboolean  compound; /* a word with inner punctuation: an identifier, a key, a path */
  gboolean  name;     /* capitalised inside a sentence */
  double    value;    /* numbers */
  gboolean  percent;
  int       decimals; /* as written */
  double    scale;    /* 1e6 for "1.2 million" */
  Date      date[2];  /* dates; [1] is the other reading of 03/04/2024, or empty */
} Unit;

typedef struct
{
  GHashTable *stems;      /* plain words and their stems */
  GHashTable *compounds;  /* plain identifiers */
  GArray     *numbers;    /* double */
  GArray     *parts;      /* double: numbers only seen inside an identifier ("chain-52-12") */
  GArray     *dates;      /* Date */
  char       *plain;      /* the whole text, plain, for phrases */
} Index;

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
static char *
plain_text (const char *text,
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

static gboolean
is_core (gunichar c)
{
  return g_unichar_isalnum (c);
}

static gboolean
is_connector (gunichar c)
{
  return c == '-' || c == '_' || c == '.' || c == '/' || c == ':' || c == '@' || c == '\'' ||
         c == 0x2019 || c == '+' || c == '#' || c == '~' || c == '=';
}

static gboolean
is_currency (gunichar c)
{
  return c == '$' || c == 0x20ac || c == 0xa3 || c == 0xa5;
}

typedef void (*TokenFunc) (const char *start,
                           gsize       len,
                           gpointer    data);

/* Calls @func for each token of @text: letters and digits with the punctuation inside them
 * (a key such as "chain-7-10/3-ab12", a path, "1,234.5", "12%", "$40", "e-mail"). */
static void
tokenize (const char *text,
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
      if ((is_currency (c) || c == '-' || c == '+') && g_ascii_isdigit (*g_utf8_next_char (p)))
        start = p;
      else if (is_core (c))
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

          if (is_core (cur))
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
          else if (is_connector (cur) && is_core (prev) && next != 0 && is_core (next))
            ;
          else
            break;
          prev = cur;
          p = after;
        }

      func (start, p - start, data);
    }
}

static gboolean
in_list (const char * const *list,
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
static char *
stem (const char *word)
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

static GHashTable *
stop_stems (void)
{
  static GHashTable *table;

  if (g_once_init_enter (&table))
    {
      GHashTable *t = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

      for (guint i = 0; stop_words[i] != NULL; i++)
        {
          g_hash_table_add (t, g_strdup (stop_words[i]));
          g_hash_table_add (t, stem (stop_words[i]));
        }
      g_once_init_leave (&table, t);
    }
  return table;
}

static gboolean
has_letter (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (g_unichar_isalpha (g_utf8_get_char (p)))
      return TRUE;
  return FALSE;
}

static gboolean
has_digit (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    if (g_ascii_isdigit (*p))
      return TRUE;
  return FALSE;
}

static gboolean
has_inner_punctuation (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!is_core (c) && c != '\'')
        return TRUE;
    }
  return FALSE;
}

/* ---- numbers and dates ---- */

static gboolean
parse_number_word (const char *word,
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

static double
scale_of (const char *word)
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
static gboolean
parse_number_full (const char *text,
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
  if (is_currency (g_utf8_get_char (p)))
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
  return parse_number_full (text, value, &percent, &decimals);
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
static gboolean
parse_numeric_date (const char *token,
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
static guint
parse_named_date (GPtrArray *tokens,
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

static void
collect_token (const char *start,
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

  plain = plain_text (text, -1);
  tokenize (plain, collect_token, tokens);
  if (tokens->len == 0)
    return NULL;
  if (!parse_numeric_date (g_ptr_array_index (tokens, 0), dates) &&
      parse_named_date (tokens, 0, &dates[0]) == 0)
    return NULL;
  if (dates[0].y == 0)
    return g_strdup_printf ("--%02d-%02d", dates[0].m, dates[0].d);
  if (dates[0].d == 0)
    return g_strdup_printf ("%04d-%02d", dates[0].y, dates[0].m);
  return g_strdup_printf ("%04d-%02d-%02d", dates[0].y, dates[0].m, dates[0].d);
}

static gboolean
date_matches (const Date *a,
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

/* ---- units of an answer, and an index of the evidence ---- */

static void
unit_free (Unit *unit)
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

  if (g_hash_table_contains (stop_stems (), plain))
    return TRUE;
  s = stem (plain);
  return g_hash_table_contains (stop_stems (), s);
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

  if (!parse_number_full (token, &value, &percent, &decimals))
    {
      g_auto(GStrv) parts = NULL;
      double sum = 0, part;

      /* "five", "twenty-five". */
      if (parse_number_word (token, &value))
        ;
      else if (strchr (token, '-') != NULL)
        {
          parts = g_strsplit (token, "-", -1);
          for (guint k = 0; parts[k] != NULL; k++)
            {
              if (!parse_number_word (parts[k], &part))
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

      if ((scale = scale_of (next)) != 0)
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
static void
collect_units (GPtrArray *tokens,
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

      if (parse_numeric_date (token, unit->date))
        {
          unit->kind = UNIT_DATE;
          i++;
        }
      else if ((taken = parse_named_date (tokens, i, &unit->date[0])) != 0)
        {
          unit->kind = UNIT_DATE;
          i += taken;
        }
      else if (read_number (tokens, &i, unit))
        ;
      else
        {
          i++;
          if (is_stop_word (token) || !has_letter (token))
            {
              g_free (unit);
              continue;
            }
          unit->kind = UNIT_WORD;
          unit->name = g_array_index (names, gboolean, start);
          unit->stem = stem (token);
          unit->compound = has_inner_punctuation (token);
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

static void
index_clear (Index *index)
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

  if (!parse_number_full (token, &value, &percent, &decimals) &&
      !parse_number_word (token, &value))
    return;
  g_array_append_val (numbers, value);
  if (percent)
    {
      value /= 100;
      g_array_append_val (numbers, value);
    }
}

/* Everything @plain (a plain text) says, as words, identifiers, numbers and dates. */
static void
index_init (Index      *index,
            const char *plain)
{
  g_autoptr(GPtrArray) tokens = g_ptr_array_new_with_free_func (g_free);

  index->stems = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  index->compounds = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  index->numbers = g_array_new (FALSE, FALSE, sizeof (double));
  index->parts = g_array_new (FALSE, FALSE, sizeof (double));
  index->dates = g_array_new (FALSE, FALSE, sizeof (Date));
  index->plain = g_strdup (plain);

  tokenize (plain, collect_token, tokens);
  for (guint i = 0; i < tokens->len; i++)
    {
      const char *token = g_ptr_array_index (tokens, i);
      Date dates[2];
      Date named;

      g_hash_table_add (index->stems, g_strdup (token));
      g_hash_table_add (index->stems, stem (token));
      index_number (index->numbers, token);

      if (parse_numeric_date (token, dates))
        {
          g_array_append_val (index->dates, dates[0]);
          if (dates[1].m != 0)
            g_array_append_val (index->dates, dates[1]);
        }
      if (parse_named_date (tokens, i, &named) != 0)
        g_array_append_val (index->dates, named);

      if (has_inner_punctuation (token))
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
                g_hash_table_add (index->stems, stem (parts[k]));
                index_number (index->parts, parts[k]);
              }
        }
    }
}

/* Whether @needle stands in @haystack as a whole: no letter or digit right before or after. */
static gboolean
find_whole (const char *haystack,
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

          before_ok = prev == NULL || !is_core (g_utf8_get_char (prev));
        }
      if (!after_ok)
        after_ok = !is_core (g_utf8_get_char (p + n));
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
static gboolean
index_has_part (const Index *index,
                const Unit  *unit)
{
  if (unit->kind != UNIT_NUMBER)
    return FALSE;
  for (guint i = 0; i < index->parts->len; i++)
    if (number_matches (unit, g_array_index (index->parts, double, i)))
      return TRUE;
  return FALSE;
}

static gboolean
index_supports (const Index *index,
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
          if (date_matches (&unit->date[k], &g_array_index (index->dates, Date, i)))
            return TRUE;
      return FALSE;

    case UNIT_WORD:
    default:
      if (unit->compound)
        return g_hash_table_contains (index->compounds, unit->plain) ||
               find_whole (index->plain, unit->plain);
      return g_hash_table_contains (index->stems, unit->plain) ||
             g_hash_table_contains (index->stems, unit->stem);
    }
}

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
      if (!in_list (continuation_members, member))
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
          g_autofree char *value = plain_text (evidence[j].arguments[k], -1);
          Follow follow = { NULL, -2, j };

          g_strstrip (value);
          if (strlen (value) < 2)
            continue;
          for (guint i = j; i > 0; i--)
            {
              const char *earlier = g_ptr_array_index (observations, i - 1);

              if (earlier != NULL && find_whole (earlier, value))
                {
                  follow.source = (gint) i - 1;
                  break;
                }
            }
          if (follow.source == -2 && find_whole (task_plain, value))
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

  while (start < end && !is_core (g_utf8_get_char (start)))
    start = g_utf8_next_char (start);
  while (end > start)
    {
      const char *prev = g_utf8_find_prev_char (start, end);

      if (prev == NULL || is_core (g_utf8_get_char (prev)))
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

  tokenize (whole, collect_token, tokens);
  for (guint i = 0; i < tokens->len; i++)
    if (!in_list (empty_words, g_ptr_array_index (tokens, i)))
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
  g_autoptr(GPtrArray) units = g_ptr_array_new_with_free_func ((GDestroyNotify) unit_free);
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
  plain = plain_text (valid, -1);
  whole = trim_punctuation (plain);
  if (whole[0] == '\0')
    return check;

  /* A judgement ("yes", "no, it is not") is not a fact to look up. */
  {
    g_autoptr(GPtrArray) first = g_ptr_array_new_with_free_func (g_free);

    tokenize (whole, collect_token, first);
    if (first->len > 0 && in_list (judgements, g_ptr_array_index (first, 0)) &&
        first->len <= 4)
      return check;
  }

  clauses = split_clauses (valid);
  for (guint i = 0; i < clauses->len; i++)
    {
      g_autofree char *clause = plain_text (g_ptr_array_index (clauses, i), -1);
      g_autoptr(GPtrArray) written = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GPtrArray) tokens = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GArray) names = g_array_new (FALSE, FALSE, sizeof (gboolean));

      if (says_not_known (clause))
        {
          admitted = TRUE;
          continue;
        }

      /* Tokens as written, to tell a name inside a sentence from a word; then plain. */
      tokenize (g_ptr_array_index (clauses, i), collect_token, written);
      for (guint k = 0; k < written->len; k++)
        {
          const char *token = g_ptr_array_index (written, k);
          gboolean name = k > 0 && g_unichar_isupper (g_utf8_get_char (token));

          g_ptr_array_add (tokens, plain_text (token, -1));
          g_array_append_val (names, name);
        }
      if (tokens->len > 0)
        asserted = TRUE;
      n_tokens += tokens->len;
      collect_units (tokens, names, units);
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
      g_ptr_array_add (observations, plain_text (obs, MIN (strlen (obs), MAX_EVIDENCE_BYTES)));
      g_string_append (all, g_ptr_array_index (observations, i));
      g_string_append_c (all, '\n');
    }
  task_plain = plain_text (task != NULL ? task : "", -1);
  index_init (&results, all->str);
  index_init (&task_index, task_plain);

  check->n_units = units->len;

  /* An agent that saw no tool result and says it cannot do the task explains itself: its
   * other sentences are about what it can do, not findings. */
  if (admitted && results.plain[0] == '\0')
    {
      index_clear (&results);
      index_clear (&task_index);
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

          gboolean in_results = index_supports (&results, unit);
          gboolean in_task = index_supports (&task_index, unit);

          if (in_results && !in_task)
            {
              n_found++;
              g_ptr_array_add (found, unit);
            }
          else if (in_task)
            n_task++;
          else if ((unit->kind == UNIT_WORD && !unit->compound && !unit->name &&
                    !has_digit (unit->plain)) ||
                   index_has_part (&results, unit) || index_has_part (&task_index, unit))
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

  index_clear (&results);
  index_clear (&task_index);
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
