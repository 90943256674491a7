namespace NodeOps.Auth;

/// <summary>Bound from the "Auth" section.</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>Base64 HMAC key of at least 32 bytes. Unset: generated once into the data folder.</summary>
    public string? SigningKey { get; set; }

    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(12);

    /// <summary>Password of the admin created on first start. Unset: a random one is printed once.</summary>
    public string? BootstrapAdminPassword { get; set; }

    public string BootstrapAdminUsername { get; set; } = "admin";

    public int PasswordIterations { get; set; } = PasswordHasher.DefaultIterations;

    /// <summary>Failed logins per client and user name within <see cref="LoginFailureWindow"/> before 429.</summary>
    public int MaxLoginFailures { get; set; } = 5;

    public TimeSpan LoginFailureWindow { get; set; } = TimeSpan.FromMinutes(15);

    public int MinPasswordLength { get; set; } = 8;
}
