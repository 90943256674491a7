using NodeOps.Auth;

namespace NodeOps.Progress;

/// <summary>
/// Who may watch which task's progress, for every transport (the WebSocket, the SignalR hub, the Azure SignalR
/// Service upstream): any signed-in caller from viewer up, and every task that exists (viewers read every
/// execution, so they may watch every execution; an unknown task is refused by <see cref="ProgressSubscriptions"/>).
/// </summary>
public static class ProgressAccess
{
    public const Role MinimumRole = Role.Viewer;

    public static bool MayWatch(Actor? actor) => actor is not null && actor.IsAtLeast(MinimumRole);
}
