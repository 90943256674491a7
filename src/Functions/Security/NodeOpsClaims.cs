using System.Globalization;
using System.Security.Claims;
using NodeOps.Auth;

namespace NodeOps.Functions.Security;

/// <summary>Turns an <see cref="Actor"/> into claims and back; the rest of the host speaks only Actor.</summary>
internal static class NodeOpsClaims
{
    public const string Scheme = "NodeOps";
    private const string ApiKeyClaim = "nodeops:api_key";

    public static ClaimsPrincipal ToPrincipal(Actor actor)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, actor.UserId.ToString(CultureInfo.InvariantCulture)),
            new(ClaimTypes.Name, actor.Username),
            new(ClaimTypes.Role, actor.Role.ToString()),
        };
        if (actor.ApiKeyId is not null)
        {
            claims.Add(new Claim(ApiKeyClaim, actor.ApiKeyId));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme));
    }

    public static Actor? ToActor(ClaimsPrincipal principal)
    {
        if (principal.Identity?.IsAuthenticated != true
            || !long.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            || !Enum.TryParse<Role>(principal.FindFirstValue(ClaimTypes.Role), out var role))
        {
            return null;
        }

        return new Actor(id, principal.FindFirstValue(ClaimTypes.Name) ?? "", role, principal.FindFirstValue(ApiKeyClaim));
    }

    /// <summary>The signed-in caller; endpoints behind a role policy always have one.</summary>
    public static Actor GetActor(this HttpContext context) =>
        ToActor(context.User) ?? throw new InvalidOperationException("The endpoint was reached without an authenticated caller.");
}
