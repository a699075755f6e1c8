/* reins-guard-policy.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tools that change things — risk write, network or exec — need a person, unless the run
 * allows the tool ("always_allow" in the run's settings, which the loop stores when the
 * person says "always allow", so it survives a resume).
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

static ReinsVerdict *
reins_guard_policy_before_action (ReinsGuard        *guard,
                                  ReinsGuardContext *context,
                                  ReinsStep         *step)
{
  ReinsAction *action = reins_step_get_action (step);
  const char *name;
  g_autofree char *reason = NULL;

  if (action == NULL || !context->action_known || context->action_risk == REINS_RISK_READ)
    return NULL;

  name = reins_action_get_name (action);
  if (reins_settings_list_contains (context->settings, "always_allow", name))
    return NULL;
  if (reins_settings_list_contains (context->settings, "deny_tools", name))
    {
      reason = g_strdup_printf (_("The tool “%s” is denied by policy."), name);
      return reins_verdict_new ("policy", REINS_VERDICT_CORRECT, reason);
    }

  switch (context->action_risk)
    {
    case REINS_RISK_WRITE:
      reason = g_strdup_printf (_("“%s” changes files in the workspace, so a person approves it."),
                                name);
      break;

    case REINS_RISK_NETWORK:
      reason = g_strdup_printf (_("“%s” reaches the network, so a person approves it."), name);
      break;

    case REINS_RISK_EXEC:
    case REINS_RISK_READ:
    default:
      reason = g_strdup_printf (_("“%s” runs a program, so a person approves it."), name);
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
