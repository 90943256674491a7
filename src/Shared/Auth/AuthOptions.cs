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

    /// <summary>
    /// Failed logins per client address, whatever the user names, within <see cref="LoginFailureWindow"/> before 429.
    /// Larger than <see cref="MaxLoginFailures"/>: several people behind one NAT share it.
    /// </summary>
    public int MaxLoginFailuresPerClient { get; set; } = 50;

    public TimeSpan LoginFailureWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Password hashes computed at once; 0 means half the cores (at least one), so hashing never takes every core.</summary>
    public int MaxConcurrentPasswordHashes { get; set; }

    /// <summary>Password checks that may wait for a free hash slot; more get 429 at once.</summary>
    public int MaxWaitingPasswordHashes { get; set; } = 16;

    /// <summary>How long a password check waits for a hash slot before it gets 429.</summary>
    public TimeSpan PasswordHashWaitTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long a refused login (429) waits before it is answered. A flood's connections then send about one login a
    /// second each instead of as many as the CPU can refuse, which leaves the CPU to everyone else; the wait holds no thread.
    /// </summary>
    public TimeSpan LoginRefusalDelay { get; set; } = TimeSpan.FromSeconds(1);

    public int MinPasswordLength { get; set; } = 8;
}
