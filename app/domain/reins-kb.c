/* reins-kb.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "reins-kb.h"

static const char * const words[] = {
  "amber", "basalt", "cobalt", "delta", "ember", "fjord", "garnet", "harbor",
  "indigo", "juniper", "krypton", "lagoon", "meadow", "nickel", "orchid", "pylon",
};

static guint32
kb_hash (guint        seed,
         guint        length,
         guint        index,
         const char  *salt)
{
  g_autofree char *text = g_strdup_printf ("reins-kb:%s:%u:%u:%u", salt, seed, length, index);
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize len = sizeof digest;

  g_checksum_update (sum, (const guchar *) text, -1);
  g_checksum_get_digest (sum, digest, &len);
  return ((guint32) digest[0] << 24) | ((guint32) digest[1] << 16) |
         ((guint32) digest[2] << 8) | digest[3];
}

char *
reins_kb_key (guint seed,
              guint length,
              guint index)
{
  g_return_val_if_fail (length >= 1 && length <= REINS_KB_MAX_LENGTH, NULL);
  g_return_val_if_fail (index < length, NULL);

  if (index == 0)
    return g_strdup_printf ("chain-%u-%u/0", seed, length);
  return g_strdup_printf ("chain-%u-%u/%u-%04x", seed, length, index,
                          kb_hash (seed, length, index, "key") & 0xffff);
}

/* The value at the end of a chain: a word and a number, easy to check, hard to guess. */
char *
reins_kb_value (guint seed,
                guint length)
{
  guint32 h = kb_hash (seed, length, 0, "value");

  g_return_val_if_fail (length >= 1 && length <= REINS_KB_MAX_LENGTH, NULL);

  return g_strdup_printf ("%s-%u", words[h % G_N_ELEMENTS (words)], 1000 + (h >> 8) % 9000);
}

/* Reads a decimal number without sign, leading zeros or overflow; advances @p. */
static gboolean
parse_uint (const char **p,
            guint       *value)
{
  const char *s = *p;
  guint64 v = 0;

  if (!g_ascii_isdigit (*s) || (s[0] == '0' && g_ascii_isdigit (s[1])))
    return FALSE;
  while (g_ascii_isdigit (*s))
    {
      v = v * 10 + (guint64) (*s - '0');
      if (v > G_MAXUINT)
        return FALSE;
      s++;
    }
  *value = (guint) v;
  *p = s;
  return TRUE;
}

/**
 * reins_kb_parse_key:
 *
 * Returns: %TRUE if @key is exactly a key of some chain, hash included
 */
gboolean
reins_kb_parse_key (const char *key,
                    guint      *seed,
                    guint      *length,
                    guint      *index)
{
  const char *p = key;
  guint s, l, i;
  g_autofree char *expected = NULL;

  if (key == NULL || !g_str_has_prefix (key, "chain-"))
    return FALSE;
  p += strlen ("chain-");
  if (!parse_uint (&p, &s) || *p++ != '-' || !parse_uint (&p, &l) || *p++ != '/' ||
      !parse_uint (&p, &i))
    return FALSE;
  if (l < 1 || l > REINS_KB_MAX_LENGTH || i >= l)
    return FALSE;

  expected = reins_kb_key (s, l, i);
  if (strcmp (expected, key) != 0)
    return FALSE;

  if (seed != NULL)
    *seed = s;
  if (length != NULL)
    *length = l;
  if (index != NULL)
    *index = i;
  return TRUE;
}

/**
 * reins_kb_lookup:
 *
 * Returns: (transfer full): the JSON text of the result, never %NULL
 */
char *
reins_kb_lookup (const char *key)
{
  guint seed, length, index;
  g_autofree char *text = NULL;

  if (!reins_kb_parse_key (key, &seed, &length, &index))
    return g_strdup ("{\"error\": \"unknown key\"}");

  if (index + 1 < length)
    {
      g_autofree char *next = reins_kb_key (seed, length, index + 1);
      return g_strdup_printf ("{\"next\": \"%s\"}", next);
    }

  text = reins_kb_value (seed, length);
  return g_strdup_printf ("{\"value\": \"%s\"}", text);
}

char *
reins_kb_task (guint seed,
               guint length)
{
  g_autofree char *start = reins_kb_key (seed, length, 0);

  return g_strdup_printf ("Follow the knowledge-base chain that starts at %s with kb_lookup "
                          "and report the value at its end.", start);
}

/* Finds the first chain start key `chain-<seed>-<length>/0` mentioned in @task. */
gboolean
reins_kb_parse_task (const char *task,
                     guint      *seed,
                     guint      *length)
{
  const char *p;

  if (task == NULL)
    return FALSE;

  for (p = strstr (task, "chain-"); p != NULL; p = strstr (p + 1, "chain-"))
    {
      const char *q = p + strlen ("chain-");
      guint s, l, i;

      if (p > task && (g_ascii_isalnum (p[-1]) || p[-1] == '-'))
        continue;
      if (parse_uint (&q, &s) && *q++ == '-' && parse_uint (&q, &l) && *q++ == '/' &&
          parse_uint (&q, &i) && i == 0 && !g_ascii_isalnum (*q) && *q != '-' &&
          l >= 1 && l <= REINS_KB_MAX_LENGTH)
        {
          *seed = s;
          *length = l;
          return TRUE;
        }
    }

  return FALSE;
}
