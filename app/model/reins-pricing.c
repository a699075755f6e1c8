/* reins-pricing.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The pricing table: entries match a model name by glob ("gpt-4o-mini*") and optionally a
 * provider; the most specific matching entry wins, so the file's order does not matter.
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "reins-error.h"
#include "reins-json-util.h"
#include "reins-pricing.h"

typedef struct
{
  char         *provider;  /* (nullable): any provider */
  GPatternSpec *pattern;
  guint         literal;   /* characters that are not wildcards: more is more specific */
  double        input;
  double        output;
} Entry;

struct _ReinsPricing
{
  gatomicrefcount  ref_count;
  GArray          *entries;  /* (element-type Entry) */
  double           override_input;   /* < 0: none */
  double           override_output;  /* < 0: none */
};

static void
entry_clear (gpointer data)
{
  Entry *e = data;

  g_clear_pointer (&e->provider, g_free);
  g_clear_pointer (&e->pattern, g_pattern_spec_free);
}

static ReinsPricing *
reins_pricing_new (void)
{
  ReinsPricing *self = g_new0 (ReinsPricing, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->entries = g_array_new (FALSE, TRUE, sizeof (Entry));
  g_array_set_clear_func (self->entries, entry_clear);
  self->override_input = -1;
  self->override_output = -1;
  return self;
}

static void
add_entry (ReinsPricing *self,
           const char   *provider,
           const char   *model,
           double        input,
           double        output)
{
  Entry e = { 0 };

  e.provider = g_strdup (provider);
  e.pattern = g_pattern_spec_new (model);
  for (const char *p = model; *p != '\0'; p++)
    e.literal += *p != '*' && *p != '?';
  e.input = input;
  e.output = output;
  g_array_append_val (self->entries, e);
}

static gboolean
read_price (JsonObject  *entry,
            const char  *member,
            double      *value,
            const char  *path,
            guint        index,
            GError     **error)
{
  JsonNode *node = json_object_get_member (entry, member);
  GType type = node != NULL && JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node)
                                                            : G_TYPE_INVALID;

  if (type != G_TYPE_DOUBLE && type != G_TYPE_INT64)
    {
      g_set_error (error, REINS_ERROR, REINS_ERROR_INVALID_DATA,
                   _("Pricing table “%s”, entry %u: “%s” must be a number"),
                   path, index + 1, member);
      return FALSE;
    }
  *value = json_node_get_double (node);
  if (!isfinite (*value) || *value < 0)
    {
      g_set_error (error, REINS_ERROR, REINS_ERROR_INVALID_DATA,
                   _("Pricing table “%s”, entry %u: “%s” must not be negative"),
                   path, index + 1, member);
      return FALSE;
    }
  return TRUE;
}

/**
 * reins_pricing_new_from_file:
 * @path: a pricing table, `{"models": [{"model": GLOB, "provider"?: NAME, "input": USD,
 *   "output": USD}, …]}`, prices per million tokens
 *
 * Returns: (transfer full): the table, or %NULL with @error set
 */
ReinsPricing *
reins_pricing_new_from_file (const char  *path,
                             GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  gsize length = 0;
  ReinsPricing *self;
  JsonNode *models;
  JsonArray *array;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_get_contents (path, &text, &length, &local_error) ||
      (root = reins_json_parse_bounded (text, length, REINS_JSON_MAX_DEPTH,
                                        &local_error)) == NULL)
    {
      gboolean missing = g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT);

      g_set_error (error, REINS_ERROR, missing ? REINS_ERROR_NOT_FOUND : REINS_ERROR_INVALID_DATA,
                   _("Cannot read the pricing table “%s”: %s"), path, local_error->message);
      return NULL;
    }

  models = JSON_NODE_HOLDS_OBJECT (root)
             ? json_object_get_member (json_node_get_object (root), "models") : NULL;
  if (models == NULL || !JSON_NODE_HOLDS_ARRAY (models))
    {
      g_set_error (error, REINS_ERROR, REINS_ERROR_INVALID_DATA,
                   _("Pricing table “%s”: expected an object with an array “models”"), path);
      return NULL;
    }

  self = reins_pricing_new ();
  array = json_node_get_array (models);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *entry;
      const char *model, *provider;
      double input, output;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, REINS_ERROR, REINS_ERROR_INVALID_DATA,
                       _("Pricing table “%s”, entry %u: not an object"), path, i + 1);
          reins_pricing_unref (self);
          return NULL;
        }
      entry = json_node_get_object (node);
      model = json_object_get_string_member_with_default (entry, "model", NULL);
      provider = json_object_get_string_member_with_default (entry, "provider", NULL);
      if (model == NULL || model[0] == '\0')
        {
          g_set_error (error, REINS_ERROR, REINS_ERROR_INVALID_DATA,
                       _("Pricing table “%s”, entry %u: no “model”"), path, i + 1);
          reins_pricing_unref (self);
          return NULL;
        }
      if (!read_price (entry, "input", &input, path, i, error) ||
          !read_price (entry, "output", &output, path, i, error))
        {
          reins_pricing_unref (self);
          return NULL;
        }
      add_entry (self, provider, model, input, output);
    }

  return self;
}

/**
 * reins_pricing_get_default_path:
 *
 * Returns: (transfer full): `$REINS_PRICING_FILE` if set, else the installed table
 */
char *
reins_pricing_get_default_path (void)
{
  const char *env = g_getenv ("REINS_PRICING_FILE");

  if (env != NULL && env[0] != '\0')
    return g_strdup (env);
  return g_build_filename (PKGDATADIR, "pricing.json", NULL);
}

/**
 * reins_pricing_new_default:
 *
 * Loads the default table. If it cannot be read (an uninstalled build), a minimal built-in
 * table keeps the offline simulator priced and local models free; other models then cost
 * nothing and reins_pricing_lookup() says they are unknown.
 *
 * Returns: (transfer full): a table, never %NULL
 */
ReinsPricing *
reins_pricing_new_default (void)
{
  g_autofree char *path = reins_pricing_get_default_path ();
  g_autoptr(GError) error = NULL;
  ReinsPricing *self = reins_pricing_new_from_file (path, &error);

  if (self != NULL)
    return self;

  g_debug ("Using the built-in pricing table: %s", error->message);
  self = reins_pricing_new ();
  /* Fictional, as in data/pricing.json: so the budget guard has something to count. */
  add_entry (self, "sim", "*", 0.15, 0.60);
  add_entry (self, "scripted", "*", 0, 0);
  add_entry (self, "ollama", "*", 0, 0);
  return self;
}

ReinsPricing *
reins_pricing_ref (ReinsPricing *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
reins_pricing_unref (ReinsPricing *self)
{
  g_return_if_fail (self != NULL);

  if (g_atomic_ref_count_dec (&self->ref_count))
    {
      g_array_unref (self->entries);
      g_free (self);
    }
}

/**
 * reins_pricing_set_override:
 * @input_per_mtok: USD per million input tokens, or a negative number for the table's
 * @output_per_mtok: USD per million output tokens, or a negative number for the table's
 *
 * A run's own prices (`--price-in`, `--price-out`); they apply to every model.
 */
void
reins_pricing_set_override (ReinsPricing *self,
                            double        input_per_mtok,
                            double        output_per_mtok)
{
  g_return_if_fail (self != NULL);

  self->override_input = isfinite (input_per_mtok) ? input_per_mtok : -1;
  self->override_output = isfinite (output_per_mtok) ? output_per_mtok : -1;
}

/**
 * reins_pricing_lookup:
 * @provider: (nullable): the provider name
 * @model: (nullable): the model name
 *
 * Returns: %TRUE if the table (or an override) prices this model; otherwise both prices
 *   are 0 and the cost of the model is unknown
 */
gboolean
reins_pricing_lookup (ReinsPricing *self,
                      const char   *provider,
                      const char   *model,
                      double       *input_per_mtok,
                      double       *output_per_mtok)
{
  const Entry *best = NULL;
  double in = 0, out = 0;
  gboolean found;

  g_return_val_if_fail (self != NULL, FALSE);

  if (model == NULL)
    model = "";

  for (guint i = 0; i < self->entries->len; i++)
    {
      const Entry *e = &g_array_index (self->entries, Entry, i);

      if (e->provider != NULL && g_strcmp0 (e->provider, provider) != 0)
        continue;
      if (!g_pattern_spec_match_string (e->pattern, model))
        continue;
      /* A provider-specific entry beats a model pattern: anything run through ollama is
       * local, whatever its name. */
      if (best == NULL ||
          (e->provider != NULL && best->provider == NULL) ||
          ((e->provider != NULL) == (best->provider != NULL) && e->literal > best->literal))
        best = e;
    }

  found = best != NULL;
  if (best != NULL)
    {
      in = best->input;
      out = best->output;
    }
  if (self->override_input >= 0)
    in = self->override_input;
  if (self->override_output >= 0)
    out = self->override_output;
  found = found || (self->override_input >= 0 && self->override_output >= 0);

  if (input_per_mtok != NULL)
    *input_per_mtok = in;
  if (output_per_mtok != NULL)
    *output_per_mtok = out;
  return found;
}

/**
 * reins_pricing_cost:
 *
 * Returns: the cost in USD of @input_tokens and @output_tokens (0 for an unknown model)
 */
double
reins_pricing_cost (ReinsPricing *self,
                    const char   *provider,
                    const char   *model,
                    guint64       input_tokens,
                    guint64       output_tokens)
{
  double in, out;

  g_return_val_if_fail (self != NULL, 0);

  reins_pricing_lookup (self, provider, model, &in, &out);
  return ((double) input_tokens * in + (double) output_tokens * out) / 1e6;
}
