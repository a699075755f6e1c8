/* reins-guard-policy.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tools that change things — risk write, network or exec — need a person, unless the run
 * allows the tool ("always_allow" in the run's settings, which the loop stores when the
 * person says "always allow", so it survives a resume).
 *
 * Per-tool defaults in "tool_policy": {"shell": "ask", "read_file": "auto", "http_get":
 * "deny"} — `auto` runs without asking, `ask` always asks, `deny` never runs (the model is
 * told, a `correct`). "deny_tools" (a list) is the same as `deny`.
 *
 * Arguments that fail the tool's schema (fail closed): a person for tools that are not
 * read-only or set to `ask`; for read-only tools the loop's error observation names the
 * problem to the model. Unknown tools are
 * left to the loop, which answers with the list of tools (nothing can run).
 */

#include "config.h"

#include <glib/gi18n.h>

#include "reins-guard-policy.h"

struct _ReinsGuardPolicy
{
  GObject parent_instance;
};

static void guard_iface_init (ReinsGuardInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ReinsGuardPolicy, reins_guard_policy, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (REINS_TYPE_GUARD, guard_iface_init))

static const char *
reins_guard_policy_get_name (ReinsGuard *guard)
{
  return "policy";
}

static const char *
tool_policy (JsonObject *settings,
             const char *tool)
{
  JsonNode *node = settings != NULL ? json_object_get_member (settings, "tool_policy") : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return reins_settings_get_string (json_node_get_object (node), tool, NULL);
}

static ReinsVerdict *
reins_guard_policy_before_action (ReinsGuard        *guard,
                                  ReinsGuardContext *context,
                                  ReinsStep         *step)
{
  ReinsAction *action = reins_step_get_action (step);
  const char *name;
  const char *policy;
  g_autofree char *reason = NULL;

  if (action == NULL)
    return NULL;

  name = reins_action_get_name (action);
  policy = tool_policy (context->settings, name);

  if (g_strcmp0 (policy, "deny") == 0 ||
      reins_settings_list_contains (context->settings, "deny_tools", name))
    {
      reason = g_strdup_printf (_("The tool “%s” is not allowed in this run, so the call was "
                                  "not made. Do without it: use another tool, or finish with "
                                  "what you have."), name);
      return reins_verdict_new ("policy", REINS_VERDICT_CORRECT, reason);
    }

  /* An unknown tool cannot run; the loop answers with the list of tools. */
  if (!context->action_known)
    return NULL;

  /* Arguments that do not fit the tool's schema never run. For a tool that changes things a
   * person sees what was attempted and may fix it (fail closed); for a read-only one the
   * loop's error observation tells the model exactly what is wrong (and marks the step
   * failed, which the loop guard counts). */
  if (context->action_error != NULL)
    {
      if (context->action_risk != REINS_RISK_READ || g_strcmp0 (policy, "ask") == 0)
        {
          reason = g_strdup_printf (_("The arguments of “%s” do not fit its schema (%s). "
                                      "Edit the call to fix them, or reject it with a hint for "
                                      "the model; approved as it is, the model sees the "
                                      "error."), name, context->action_error);
          return reins_verdict_new ("policy", REINS_VERDICT_ASK, reason);
        }
      /* Read-only: the loop answers with an error observation naming the problem. */
      return NULL;
    }

  if (reins_settings_list_contains (context->settings, "always_allow", name) ||
      g_strcmp0 (policy, "auto") == 0)
    return NULL;

  if (g_strcmp0 (policy, "ask") == 0)
    {
      reason = g_strdup_printf (_("The tool policy says a person approves every call of “%s”."),
                                name);
      return reins_verdict_new ("policy", REINS_VERDICT_ASK, reason);
    }

  if (context->action_risk == REINS_RISK_READ)
    return NULL;

  switch (context->action_risk)
    {
    case REINS_RISK_WRITE:
      reason = g_strdup_printf (_("“%s” changes files in the workspace, so a person approves it: approve, edit or reject the call."),
                                name);
      break;

    case REINS_RISK_NETWORK:
      reason = g_strdup_printf (_("“%s” reaches the network, so a person approves it: approve, edit or reject the call."), name);
      break;

    case REINS_RISK_EXEC:
    case REINS_RISK_READ:
    default:
      reason = g_strdup_printf (_("“%s” runs a program, so a person approves it: approve, edit or reject the call."), name);
      break;
    }

  return reins_verdict_new ("policy", REINS_VERDICT_ASK, reason);
}

static void
guard_iface_init (ReinsGuardInterface *iface)
{
  iface->get_name = reins_guard_policy_get_name;
  iface->before_action = reins_guard_policy_before_action;
}

static void
reins_guard_policy_class_init (ReinsGuardPolicyClass *klass)
{
}

static void
reins_guard_policy_init (ReinsGuardPolicy *self)
{
}

ReinsGuard *
reins_guard_policy_new (void)
{
  return g_object_new (REINS_TYPE_GUARD_POLICY, NULL);
}
