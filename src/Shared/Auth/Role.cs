namespace NodeOps.Auth;

/// <summary>Ordered: each role may do everything the roles below it may.</summary>
public enum Role
{
    Viewer = 0,
    User = 1,
    Admin = 2,
}

/// <summary>Who is calling: a signed-in user, or a machine client holding an API key.</summary>
public sealed record Actor(long UserId, string Username, Role Role, string? ApiKeyId = null)
{
    public bool IsAtLeast(Role role) => Role >= role;

    /// <summary>How the actor appears in audit records and "who ran it" fields.</summary>
    public string DisplayName => ApiKeyId is null ? Username : $"{Username} (api key {ApiKeyId})";
}
