/* reins-embedder.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Hashed character n-grams: the text is lower-cased and its runs of white space folded to one
 * space; every 3- and 4-gram of its bytes is hashed (FNV-1a) into one of REINS_EMBEDDER_DIM
 * buckets with a sign from another bit of the hash, and so is every word (with more weight,
 * so word order matters less); the vector is L2-normalised, so the
 * cosine of two texts is the dot product of their vectors. Two paraphrases of one action
 * share most n-grams; two different actions share few.
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "reins-embedder.h"

#define WORD_WEIGHT 2.0f

struct _ReinsEmbedder
{
  GObject parent_instance;
};

G_DEFINE_FINAL_TYPE (ReinsEmbedder, reins_embedder, G_TYPE_OBJECT)

static void
reins_embedder_class_init (ReinsEmbedderClass *klass)
{
}

static void
reins_embedder_init (ReinsEmbedder *self)
{
}

ReinsEmbedder *
reins_embedder_new (void)
{
  return g_object_new (REINS_TYPE_EMBEDDER, NULL);
}

/**
 * reins_embedder_get_default:
 *
 * Returns: (transfer none): an embedder shared by the process (it has no state)
 */
ReinsEmbedder *
reins_embedder_get_default (void)
{
  static ReinsEmbedder *embedder;
  static gsize once;

  if (g_once_init_enter (&once))
    {
      embedder = reins_embedder_new ();
      g_once_init_leave (&once, 1);
    }
  return embedder;
}

static char *
normalise (const char *text)
{
  g_autofree char *lower = g_utf8_strdown (text, -1);
  GString *out = g_string_sized_new (strlen (lower) + 2);
  gboolean space = TRUE;

  /* A leading and a trailing space let the n-grams see where words begin and end. */
  g_string_append_c (out, ' ');
  for (const char *p = lower; *p != '\0'; p++)
    {
      if (g_ascii_isspace (*p))
        {
          if (!space)
            g_string_append_c (out, ' ');
          space = TRUE;
          continue;
        }
      g_string_append_c (out, *p);
      space = FALSE;
    }
  if (!space)
    g_string_append_c (out, ' ');
  return g_string_free (out, FALSE);
}

void
reins_embedder_embed_text (ReinsEmbedder *self,
                           const char    *text,
                           float         *out)
{
  g_autofree char *norm = NULL;
  gsize len;
  double norm2 = 0;

  g_return_if_fail (out != NULL);

  memset (out, 0, sizeof (float) * REINS_EMBEDDER_DIM);
  norm = normalise (text != NULL ? text : "");
  len = strlen (norm);

  for (guint n = 3; n <= 4; n++)
    {
      for (gsize i = 0; i + n <= len; i++)
        {
          guint32 h = 2166136261u ^ n;

          for (guint k = 0; k < n; k++)
            {
              h ^= (guchar) norm[i + k];
              h *= 16777619u;
            }
          out[h % REINS_EMBEDDER_DIM] += (h & 0x80000000u) ? -1.0f : 1.0f;
        }
    }

  /* Whole words too, so that the same words in another order stay close. */
  for (gsize i = 0; i < len;)
    {
      guint32 h = 2166136261u ^ 0x5bd1e995u;
      gsize start;

      while (i < len && !g_ascii_isalnum (norm[i]) && !((guchar) norm[i] & 0x80))
        i++;
      start = i;
      while (i < len && (g_ascii_isalnum (norm[i]) || ((guchar) norm[i] & 0x80)))
        {
          h ^= (guchar) norm[i++];
          h *= 16777619u;
        }
      if (i > start)
        out[h % REINS_EMBEDDER_DIM] += (h & 0x80000000u) ? -WORD_WEIGHT : WORD_WEIGHT;
    }

  for (guint d = 0; d < REINS_EMBEDDER_DIM; d++)
    norm2 += (double) out[d] * out[d];
  if (norm2 > 0)
    {
      float scale = (float) (1.0 / sqrt (norm2));

      for (guint d = 0; d < REINS_EMBEDDER_DIM; d++)
        out[d] *= scale;
    }
}

static void append_node (GString  *out,
                         JsonNode *node);

/* Never wraps the action's objects in a new node: that would take a reference, and JSON-GLib
 * counts references without atomics, while the main thread may be reading the same action
 * (a step's copy shares it) — so the guards, on the worker, only read. */
static void
append_object (GString    *out,
               JsonObject *object)
{
  g_autoptr(GList) members = json_object_get_members (object);

  members = g_list_sort (members, (GCompareFunc) strcmp);
  g_string_append_c (out, '{');
  for (GList *l = members; l != NULL; l = l->next)
    {
      if (l != members)
        g_string_append_c (out, ',');
      g_string_append_printf (out, "\"%s\":", (const char *) l->data);
      append_node (out, json_object_get_member (object, l->data));
    }
  g_string_append_c (out, '}');
}

static void
append_node (GString  *out,
             JsonNode *node)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      append_object (out, json_node_get_object (node));
      break;

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);

        g_string_append_c (out, '[');
        for (guint i = 0; i < json_array_get_length (array); i++)
          {
            if (i > 0)
              g_string_append_c (out, ',');
            append_node (out, json_array_get_element (array, i));
          }
        g_string_append_c (out, ']');
      }
      break;

    case JSON_NODE_VALUE:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_STRING:
          g_string_append_printf (out, "\"%s\"", json_node_get_string (node));
          break;
        case G_TYPE_BOOLEAN:
          g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
          break;
        case G_TYPE_DOUBLE:
          {
            char buffer[G_ASCII_DTOSTR_BUF_SIZE];

            g_string_append (out, g_ascii_dtostr (buffer, sizeof buffer, json_node_get_double (node)));
          }
          break;
        default:
          g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
          break;
        }
      break;

    case JSON_NODE_NULL:
    default:
      g_string_append (out, "null");
      break;
    }
}

/**
 * reins_action_canonical_text:
 *
 * The action as the guards compare it: its name and its arguments as JSON with the members
 * sorted, so two calls that differ only in member order are the same text.
 */
char *
reins_action_canonical_text (ReinsAction *action)
{
  GString *out;

  g_return_val_if_fail (REINS_IS_ACTION (action), NULL);

  out = g_string_new (reins_action_get_name (action));
  g_string_append_c (out, ' ');
  append_object (out, reins_action_get_arguments (action));
  return g_string_free (out, FALSE);
}

void
reins_embedder_embed_action (ReinsEmbedder *self,
                             ReinsAction   *action,
                             float         *out)
{
  g_autofree char *text = reins_action_canonical_text (action);

  reins_embedder_embed_text (self, text, out);
}

double
reins_embedding_cosine (const float *a,
                        const float *b,
                        guint        dim)
{
  double dot = 0, na = 0, nb = 0;

  for (guint i = 0; i < dim; i++)
    {
      dot += (double) a[i] * b[i];
      na += (double) a[i] * a[i];
      nb += (double) b[i] * b[i];
    }
  if (na <= 0 || nb <= 0)
    return 0;
  return dot / sqrt (na * nb);
}

/* The built-in vectors of recent texts: the drift and loop guards embed the same recent
 * actions, observations and task again at every step. Shared by the workers' threads;
 * emptied when full. The vectors are the embedder's own, so nothing judged changes. */
#define CACHE_MAX 512

static GMutex cache_lock;
static GHashTable *cache;   /* (owned) text → (owned) float[REINS_EMBEDDER_DIM] */

static void
embed_cached (const char *text,
              float      *out)
{
  const float *hit;

  if (text == NULL)
    text = "";

  g_mutex_lock (&cache_lock);
  if (cache == NULL)
    cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  hit = g_hash_table_lookup (cache, text);
  if (hit != NULL)
    memcpy (out, hit, sizeof (float) * REINS_EMBEDDER_DIM);
  g_mutex_unlock (&cache_lock);
  if (hit != NULL)
    return;

  reins_embedder_embed_text (reins_embedder_get_default (), text, out);

  g_mutex_lock (&cache_lock);
  if (g_hash_table_size (cache) >= CACHE_MAX)
    g_hash_table_remove_all (cache);
  g_hash_table_replace (cache, g_strdup (text),
                        g_memdup2 (out, sizeof (float) * REINS_EMBEDDER_DIM));
  g_mutex_unlock (&cache_lock);
}

GPtrArray *
reins_guard_context_embed (ReinsGuardContext  *context,
                           const char * const *texts)
{
  GPtrArray *vectors = NULL;
  guint n = texts != NULL ? g_strv_length ((char **) texts) : 0;

  if (context != NULL && context->embed != NULL &&
      g_strcmp0 (reins_settings_get_string (context->settings, "embeddings", "builtin"),
                 "provider") == 0)
    {
      vectors = context->embed (texts, context->embed_data);
      if (vectors != NULL && vectors->len == n)
        {
          guint dim = n > 0 ? ((GArray *) g_ptr_array_index (vectors, 0))->len : 0;
          gboolean ok = dim > 0;

          for (guint i = 0; ok && i < n; i++)
            ok = ((GArray *) g_ptr_array_index (vectors, i))->len == dim;
          if (ok)
            return vectors;
        }
      /* The provider could not: every text falls back, so the vectors stay comparable. */
      g_clear_pointer (&vectors, g_ptr_array_unref);
    }

  vectors = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  for (guint i = 0; i < n; i++)
    {
      GArray *v = g_array_sized_new (FALSE, TRUE, sizeof (float), REINS_EMBEDDER_DIM);

      g_array_set_size (v, REINS_EMBEDDER_DIM);
      embed_cached (texts[i], (float *) v->data);
      g_ptr_array_add (vectors, v);
    }
  return vectors;
}
