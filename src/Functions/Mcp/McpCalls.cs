using System.Text;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using NodeOps.Auth;
using Role = NodeOps.Auth.Role;
using NodeOps.Errors;
using NodeOps.Features;
using NodeOps.Functions.Security;
using NodeOps.Json;

namespace NodeOps.Functions.Mcp;

/// <summary>
/// What every NodeOps MCP tool does around its work: find the signed-in caller (the endpoint already required one),
/// apply the REST role rules and feature switches, and turn a refusal into a tool error that names its code, the
/// field at fault and the guard's rule, as the REST error does.
/// </summary>
internal static class McpCalls
{
    /// <param name="feature">The switch that must be on, found inside the call so a bad kind is refused like any bad field.</param>
    public static async Task<string> RunAsync<T>(RequestContext<CallToolRequestParams> context, Role role, Func<Capability>? feature, Func<Actor, Task<T>> work)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(work);
        var actor = (context.User is { } user ? NodeOpsClaims.ToActor(user) : null)
            ?? throw new McpException("UNAUTHORIZED: 需要登录");
        if (!actor.IsAtLeast(role))
        {
            throw new McpException($"FORBIDDEN: 需要 {role.ToString().ToLowerInvariant()} 权限才能执行此操作");
        }

        try
        {
            if (feature is not null)
            {
                await context.Services!.GetRequiredService<FeatureService>().EnsureEnabledAsync(feature()).ConfigureAwait(false);
            }

            return NodeOpsJson.Serialize(await work(actor).ConfigureAwait(false));
        }
        catch (NodeOpsException ex)
        {
            throw new McpException(Describe(ex), ex);
        }
    }

    private static string Describe(NodeOpsException ex)
    {
        var text = new StringBuilder(ex.Code ?? ex.Kind.ToString()).Append(": ").Append(ex.Message);
        if (ex.Field is { } field)
        {
            text.Append(" (field: ").Append(field).Append(')');
        }

        if (ex.Context?.GetValueOrDefault("rule") is string rule)
        {
            text.Append(" (rule: ").Append(rule).Append(')');
        }

        foreach (var detail in ex.Details)
        {
            text.Append("; ").Append(detail.Field).Append(": ").Append(detail.Message);
        }

        return text.ToString();
    }
}
