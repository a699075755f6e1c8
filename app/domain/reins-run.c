/* reins-run.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <glib/gi18n.h>

#include "reins-enums.h"
#include "reins-error.h"
#include "reins-json-util.h"
#include "reins-run.h"
#include "reins-step.h"

struct _ReinsRun
{
  GObject         parent_instance;

  char           *id;
  char           *task;
  ReinsRunStatus  status;
  char           *provider;
  char           *model;
  JsonObject     *settings;
  gint64          created_at;
  gint64          finished_at;
  char           *final_answer;
  char           *reason;
  guint64         input_tokens;
  guint64         output_tokens;
  double          cost_usd;
  guint           step_count;
  char           *parent_run_id;
  guint           fork_step;
};

G_DEFINE_FINAL_TYPE (ReinsRun, reins_run, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_TASK,
  PROP_STATUS,
  PROP_FINAL_ANSWER,
  PROP_COST_USD,
  PROP_STEP_COUNT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* g_set_str() is GLib 2.76; we target 2.74. */
static gboolean
set_str (char       **ptr,
         const char  *value)
{
  char *copy;

  if (g_strcmp0 (*ptr, value) == 0)
    return FALSE;
  copy = g_strdup (value);
  g_free (*ptr);
  *ptr = copy;
  return TRUE;
}

static void
reins_run_finalize (GObject *object)
{
  ReinsRun *self = (ReinsRun *)object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->task, g_free);
  g_clear_pointer (&self->provider, g_free);
  g_clear_pointer (&self->model, g_free);
  g_clear_pointer (&self->settings, json_object_unref);
  g_clear_pointer (&self->final_answer, g_free);
  g_clear_pointer (&self->reason, g_free);
  g_clear_pointer (&self->parent_run_id, g_free);

  G_OBJECT_CLASS (reins_run_parent_class)->finalize (object);
}

static void
reins_run_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  ReinsRun *self = REINS_RUN (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_TASK:
      g_value_set_string (value, self->task);
      break;

    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;

    case PROP_FINAL_ANSWER:
      g_value_set_string (value, self->final_answer);
      break;

    case PROP_COST_USD:
      g_value_set_double (value, self->cost_usd);
      break;

    case PROP_STEP_COUNT:
      g_value_set_uint (value, self->step_count);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
reins_run_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  ReinsRun *self = REINS_RUN (object);

  switch (prop_id)
    {
    case PROP_TASK:
      reins_run_set_task (self, g_value_get_string (value));
      break;

    case PROP_STATUS:
      reins_run_set_status (self, g_value_get_enum (value));
      break;

    case PROP_FINAL_ANSWER:
      reins_run_set_final_answer (self, g_value_get_string (value));
      break;

    case PROP_COST_USD:
      reins_run_set_cost_usd (self, g_value_get_double (value));
      break;

    case PROP_STEP_COUNT:
      reins_run_set_step_count (self, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
reins_run_class_init (ReinsRunClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = reins_run_finalize;
  object_class->get_property = reins_run_get_property;
  object_class->set_property = reins_run_set_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_TASK] =
    g_param_spec_string ("task", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL,
                       REINS_TYPE_RUN_STATUS, REINS_RUN_STATUS_RUNNING,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_FINAL_ANSWER] =
    g_param_spec_string ("final-answer", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_COST_USD] =
    g_param_spec_double ("cost-usd", NULL, NULL, 0.0, G_MAXDOUBLE, 0.0,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_STEP_COUNT] =
    g_param_spec_uint ("step-count", NULL, NULL, 0, G_MAXUINT, 0,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
reins_run_init (ReinsRun *self)
{
  self->settings = json_object_new ();
  self->status = REINS_RUN_STATUS_RUNNING;
}

/* A random UUID: unique across machines, so exported runs never collide on import. */
char *
reins_run_generate_id (void)
{
  return g_uuid_string_random ();
}

ReinsRun *
reins_run_new (const char *task)
{
  ReinsRun *self = g_object_new (REINS_TYPE_RUN, NULL);

  self->id = reins_run_generate_id ();
  self->task = g_strdup (task != NULL ? task : "");
  self->created_at = g_get_real_time ();
  return self;
}

ReinsRun *
reins_run_copy (ReinsRun *self)
{
  g_autoptr(JsonNode) node = NULL;
  ReinsRun *copy;

  g_return_val_if_fail (REINS_IS_RUN (self), NULL);

  node = reins_run_to_json (self, NULL);
  copy = reins_run_new_from_json (node, NULL, NULL);
  g_assert (copy != NULL);
  return copy;
}

const char *
reins_run_get_id (ReinsRun *self)
{
  g_return_val_if_fail (REINS_IS_RUN (self), NULL);
  return self->id;
}

void
reins_run_set_id (ReinsRun   *self,
                  const char *id)
{
  g_return_if_fail (REINS_IS_RUN (self));
  g_return_if_fail (id != NULL && *id != '\0');

  if (set_str (&self->id, id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
}

const char *
reins_run_get_task (ReinsRun *self)
{
  g_return_val_if_fail (REINS_IS_RUN (self), NULL);
  return self->task;
}

void
reins_run_set_task (ReinsRun   *self,
                    const char *task)
{
  g_return_if_fail (REINS_IS_RUN (self));

  if (set_str (&self->task, task != NULL ? task : ""))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TASK]);
}

ReinsRunStatus
reins_run_get_status (ReinsRun *self)
{
  g_return_val_if_fail (REINS_IS_RUN (self), REINS_RUN_STATUS_FAILED);
  return self->status;
}

void
reins_run_set_status (ReinsRun       *self,
                      ReinsRunStatus  status)
{
  g_return_if_fail (REINS_IS_RUN (self));
  g_return_if_fail (status <= REINS_RUN_STATUS_INTERRUPTED);

  if (self->status == status)
    return;
  self->status = status;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
}

const char *
reins_run_get_provider (ReinsRun *self)
{
  g_return_val_if_fail (REINS_IS_RUN (self), NULL);
  return self->provider;
}

void
reins_run_set_provider (ReinsRun   *self,
                        const char *provider)
{
  g_return_if_fail (REINS_IS_RUN (self));
  set_str (&self->provider, provider);
}

const char *
reins_run_get_model (ReinsRun *self)
{
  g_return_val_if_fail (REINS_IS_RUN (self), NULL);
  return self->model;
}

void
reins_run_set_model (ReinsRun   *self,
                     const char *model)
{
  g_return_if_fail (REINS_IS_RUN (self));
  set_str (&self->model, model);
}

/**
 * reins_run_get_settings:
 *
 * Returns: (transfer none): the run's settings (limits, guard parameters, tools…);
 *   never %NULL
 */
JsonObject *
reins_run_get_settings (ReinsRun *self)
{
  g_return_val_if_fail (REINS_IS_RUN (self), NULL);
  return self->settings;
}

void
reins_run_set_settings (ReinsRun   *self,
                        JsonObject *settings)
{
  g_return_if_fail (REINS_IS_RUN (self));

  g_clear_pointer (&self->settings, json_object_unref);
  if (settings == NULL)
    {
      self->settings = json_object_new ();
      return;
    }

  /* A deep copy: copies of a run travel between threads. */
  self->settings = reins_json_object_deep_copy (settings);
}

gint64
reins_run_get_created_at (ReinsRun *self)
{
  g_return_val_if_fail (REINS_IS_RUN (self), 0);
  return self->created_at;
}

void
reins_run_set_created_at (ReinsRun *self,
                          gint64    unix_usec)
{
  g_return_if_fail (REINS_IS_RUN (self));
  self->created_at = unix_usec;
}

gint64
reins_run_get_finished_at (ReinsRun *self)
{
  g_return_val_if_fail (REINS_IS_RUN (self), 0);
  return self->finished_at;
}

void
reins_run_set_finished_at (ReinsRun *self,
                           gint64    unix_usec)
{
  g_return_if_fail (REINS_IS_RUN (self));
  self->finished_at = unix_usec;
}

const char *
reins_run_get_final_answer (ReinsRun *self)
{
  g_return_val_if_fail (REINS_IS_RUN (self), NULL);
  return self->final_answer;
}

void
reins_run_set_final_answer (ReinsRun   *self,
                            const char *answer)
{
  g_return_if_fail (REINS_IS_RUN (self));

  if (set_str (&self->final_answer, answer))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FINAL_ANSWER]);
}

/* Why the run ended (or, while it runs, why it is waiting), in a sentence for a person. */
const char *
reins_run_get_reason (ReinsRun *self)
{
  g_return_val_if_fail (REINS_IS_RUN (self), NULL);
  return self->reason;
}

void
reins_run_set_reason (ReinsRun   *self,
                      const char *reason)
{
  g_return_if_fail (REINS_IS_RUN (self));
  set_str (&self->reason, reason);
}

guint64
reins_run_get_input_tokens (ReinsRun *self)
{
  g_return_val_if_fail (REINS_IS_RUN (self), 0);
  return self->input_tokens;
}

guint64
reins_run_get_output_tokens (ReinsRun *self)
{
  g_return_val_if_fail (REINS_IS_RUN (self), 0);
  return self->output_tokens;
}

void
reins_run_set_tokens (ReinsRun *self,
                      guint64   input_tokens,
                      guint64   output_tokens)
{
  g_return_if_fail (REINS_IS_RUN (self));
  self->input_tokens = input_tokens;
  self->output_tokens = output_tokens;
}

double
reins_run_get_cost_usd (ReinsRun *self)
{
  g_return_val_if_fail (REINS_IS_RUN (self), 0.0);
  return self->cost_usd;
}

void
reins_run_set_cost_usd (ReinsRun *self,
                        double    cost_usd)
{
  g_return_if_fail (REINS_IS_RUN (self));

  if (self->cost_usd == cost_usd)
    return;
  self->cost_usd = cost_usd;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COST_USD]);
}

guint
reins_run_get_step_count (ReinsRun *self)
{
  g_return_val_if_fail (REINS_IS_RUN (self), 0);
  return self->step_count;
}

void
reins_run_set_step_count (ReinsRun *self,
                          guint     step_count)
{
  g_return_if_fail (REINS_IS_RUN (self));

  if (self->step_count == step_count)
    return;
  self->step_count = step_count;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STEP_COUNT]);
}

const char *
reins_run_get_parent_run_id (ReinsRun *self)
{
  g_return_val_if_fail (REINS_IS_RUN (self), NULL);
  return self->parent_run_id;
}

guint
reins_run_get_fork_step (ReinsRun *self)
{
  g_return_val_if_fail (REINS_IS_RUN (self), 0);
  return self->fork_step;
}

/* A fork keeps steps 1..fork_step-1 of its parent and continues live from fork_step. */
void
reins_run_set_parent (ReinsRun   *self,
                      const char *parent_run_id,
                      guint       fork_step)
{
  g_return_if_fail (REINS_IS_RUN (self));
  set_str (&self->parent_run_id, parent_run_id);
  self->fork_step = parent_run_id != NULL ? fork_step : 0;
}

static double
round_usd (double usd)
{
  return round (usd * 1e6) / 1e6;
}

/**
 * reins_run_to_json:
 * @steps: (nullable) (element-type ReinsStep): the run's steps, added as "steps"
 *
 * The run object of `show --json` (CONTRACTS §2).
 */
JsonNode *
reins_run_to_json (ReinsRun  *self,
                   GPtrArray *steps)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *created = NULL;
  g_autofree char *finished = NULL;

  g_return_val_if_fail (REINS_IS_RUN (self), NULL);

  created = reins_time_to_iso8601 (self->created_at);
  finished = reins_time_to_iso8601 (self->finished_at);

  json_builder_begin_object (builder);
  reins_json_add_string_or_null (builder, "run_id", self->id);
  reins_json_add_string_or_null (builder, "task", self->task);
  reins_json_add_string_or_null (builder, "status", reins_run_status_to_string (self->status));
  reins_json_add_string_or_null (builder, "provider", self->provider);
  reins_json_add_string_or_null (builder, "model", self->model);
  json_builder_set_member_name (builder, "settings");
  {
    JsonNode *node = json_node_new (JSON_NODE_OBJECT);

    json_node_set_object (node, self->settings);
    json_builder_add_value (builder, node);
  }
  reins_json_add_string_or_null (builder, "created_at", created);
  reins_json_add_string_or_null (builder, "finished_at", finished);
  reins_json_add_string_or_null (builder, "final_answer", self->final_answer);
  reins_json_add_string_or_null (builder, "reason", self->reason);
  json_builder_set_member_name (builder, "step_count");
  json_builder_add_int_value (builder, self->step_count);
  json_builder_set_member_name (builder, "input_tokens");
  json_builder_add_int_value (builder, (gint64) self->input_tokens);
  json_builder_set_member_name (builder, "output_tokens");
  json_builder_add_int_value (builder, (gint64) self->output_tokens);
  json_builder_set_member_name (builder, "cost_usd");
  json_builder_add_double_value (builder, round_usd (self->cost_usd));
  reins_json_add_string_or_null (builder, "parent_run_id", self->parent_run_id);
  json_builder_set_member_name (builder, "fork_step");
  if (self->parent_run_id != NULL)
    json_builder_add_int_value (builder, self->fork_step);
  else
    json_builder_add_null_value (builder);

  if (steps != NULL)
    {
      json_builder_set_member_name (builder, "steps");
      json_builder_begin_array (builder);
      for (guint i = 0; i < steps->len; i++)
        json_builder_add_value (builder, reins_step_to_json (g_ptr_array_index (steps, i)));
      json_builder_end_array (builder);
    }

  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/**
 * reins_run_new_from_json:
 * @steps: (out) (optional) (transfer full) (element-type ReinsStep): the "steps" array
 */
ReinsRun *
reins_run_new_from_json (JsonNode   *node,
                         GPtrArray **steps,
                         GError    **error)
{
  JsonObject *object;
  JsonNode *member;
  g_autoptr(ReinsRun) self = NULL;
  g_autoptr(GPtrArray) parsed_steps = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *status = NULL;
  g_autofree char *created = NULL;
  g_autofree char *finished = NULL;
  g_autofree char *parent = NULL;
  gint64 step_count = 0, in = 0, out = 0, fork_step = 0;
  double cost = 0;

  if (steps != NULL)
    *steps = NULL;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, REINS_ERROR, REINS_ERROR_INVALID_DATA,
                           _("A run must be a JSON object"));
      return NULL;
    }

  object = json_node_get_object (node);
  self = g_object_new (REINS_TYPE_RUN, NULL);

  if (!reins_json_get_string (object, "run_id", &self->id, error) ||
      !reins_json_get_string (object, "task", &self->task, error) ||
      !reins_json_get_string (object, "status", &status, error) ||
      !reins_json_get_string (object, "provider", &self->provider, error) ||
      !reins_json_get_string (object, "model", &self->model, error) ||
      !reins_json_get_string (object, "created_at", &created, error) ||
      !reins_json_get_string (object, "finished_at", &finished, error) ||
      !reins_json_get_string (object, "final_answer", &self->final_answer, error) ||
      !reins_json_get_string (object, "reason", &self->reason, error) ||
      !reins_json_get_int (object, "step_count", &step_count, error) ||
      !reins_json_get_int (object, "input_tokens", &in, error) ||
      !reins_json_get_int (object, "output_tokens", &out, error) ||
      !reins_json_get_double (object, "cost_usd", &cost, NULL, error) ||
      !reins_json_get_string (object, "parent_run_id", &parent, error) ||
      !reins_json_get_int (object, "fork_step", &fork_step, error))
    return NULL;

  if (self->id == NULL || self->id[0] == '\0')
    {
      g_set_error_literal (error, REINS_ERROR, REINS_ERROR_INVALID_DATA,
                           _("The run has no “run_id”"));
      return NULL;
    }

  if (self->task == NULL)
    self->task = g_strdup ("");

  if (!reins_run_status_from_string (status, &self->status))
    {
      g_set_error (error, REINS_ERROR, REINS_ERROR_INVALID_DATA,
                   _("Unknown run status “%s”"), status ? status : "null");
      return NULL;
    }

  if (step_count < 0 || in < 0 || out < 0 || fork_step < 0)
    {
      g_set_error_literal (error, REINS_ERROR, REINS_ERROR_INVALID_DATA,
                           _("Counts in a run cannot be negative"));
      return NULL;
    }

  member = json_object_get_member (object, "settings");
  if (member != NULL && JSON_NODE_HOLDS_OBJECT (member))
    reins_run_set_settings (self, json_node_get_object (member));

  self->created_at = reins_time_from_iso8601 (created);
  self->finished_at = reins_time_from_iso8601 (finished);
  self->step_count = (guint) MIN (step_count, G_MAXUINT);
  self->input_tokens = (guint64) in;
  self->output_tokens = (guint64) out;
  self->cost_usd = cost;
  reins_run_set_parent (self, parent, (guint) MIN (fork_step, G_MAXUINT));

  member = json_object_get_member (object, "steps");
  if (member != NULL && JSON_NODE_HOLDS_ARRAY (member))
    {
      JsonArray *array = json_node_get_array (member);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          ReinsStep *step = reins_step_new_from_json (json_array_get_element (array, i), error);

          if (step == NULL)
            return NULL;
          g_ptr_array_add (parsed_steps, step);
        }

      if (step_count == 0)
        self->step_count = parsed_steps->len;
    }

  if (steps != NULL)
    *steps = g_steal_pointer (&parsed_steps);

  return g_steal_pointer (&self);
}
