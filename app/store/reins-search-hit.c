/* reins-search-hit.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "reins-search-hit.h"

struct _ReinsSearchHit
{
  GObject  parent_instance;

  char    *run_id;
  guint    step;
  char    *task;
  char    *snippet;
};

G_DEFINE_FINAL_TYPE (ReinsSearchHit, reins_search_hit, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_RUN_ID,
  PROP_STEP,
  PROP_TASK,
  PROP_SNIPPET,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
reins_search_hit_finalize (GObject *object)
{
  ReinsSearchHit *self = (ReinsSearchHit *)object;

  g_clear_pointer (&self->run_id, g_free);
  g_clear_pointer (&self->task, g_free);
  g_clear_pointer (&self->snippet, g_free);

  G_OBJECT_CLASS (reins_search_hit_parent_class)->finalize (object);
}

static void
reins_search_hit_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  ReinsSearchHit *self = REINS_SEARCH_HIT (object);

  switch (prop_id)
    {
    case PROP_RUN_ID:
      g_value_set_string (value, self->run_id);
      break;

    case PROP_STEP:
      g_value_set_uint (value, self->step);
      break;

    case PROP_TASK:
      g_value_set_string (value, self->task);
      break;

    case PROP_SNIPPET:
      g_value_set_string (value, self->snippet);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
reins_search_hit_class_init (ReinsSearchHitClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = reins_search_hit_finalize;
  object_class->get_property = reins_search_hit_get_property;

  properties[PROP_RUN_ID] =
    g_param_spec_string ("run-id", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_STEP] =
    g_param_spec_uint ("step", NULL, NULL, 0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_TASK] =
    g_param_spec_string ("task", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_SNIPPET] =
    g_param_spec_string ("snippet", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
reins_search_hit_init (ReinsSearchHit *self)
{
}

/**
 * reins_search_hit_new:
 * @step: the step where the words were found, from 1; 0 for the run's task or answer
 * @snippet: the text around the match
 */
ReinsSearchHit *
reins_search_hit_new (const char *run_id,
                      guint       step,
                      const char *task,
                      const char *snippet)
{
  ReinsSearchHit *self;

  g_return_val_if_fail (run_id != NULL, NULL);

  self = g_object_new (REINS_TYPE_SEARCH_HIT, NULL);
  self->run_id = g_strdup (run_id);
  self->step = step;
  self->task = g_strdup (task != NULL ? task : "");
  self->snippet = g_strdup (snippet != NULL ? snippet : "");
  return self;
}

const char *
reins_search_hit_get_run_id (ReinsSearchHit *self)
{
  g_return_val_if_fail (REINS_IS_SEARCH_HIT (self), NULL);
  return self->run_id;
}

guint
reins_search_hit_get_step (ReinsSearchHit *self)
{
  g_return_val_if_fail (REINS_IS_SEARCH_HIT (self), 0);
  return self->step;
}

const char *
reins_search_hit_get_task (ReinsSearchHit *self)
{
  g_return_val_if_fail (REINS_IS_SEARCH_HIT (self), NULL);
  return self->task;
}

const char *
reins_search_hit_get_snippet (ReinsSearchHit *self)
{
  g_return_val_if_fail (REINS_IS_SEARCH_HIT (self), NULL);
  return self->snippet;
}
