using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace NodeOps.Auth;

/// <summary>PBKDF2-SHA512 hashes, stored as "pbkdf2-sha512$iterations$salt$hash" so the cost can rise later.</summary>
public static class PasswordHasher
{
    private const string Scheme = "pbkdf2-sha512";
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    /// <summary>OWASP's 2023 figure for PBKDF2-HMAC-SHA512.</summary>
    public const int DefaultIterations = 210_000;

    public static string Hash(string password, int iterations = DefaultIterations)
    {
        ArgumentNullException.ThrowIfNull(password);
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA512, HashBytes);
        return string.Join('$', Scheme, iterations.ToString(CultureInfo.InvariantCulture), Convert.ToBase64String(salt), Convert.ToBase64String(hash));
    }

    /// <summary>
    /// A well-formed hash that no password matches (its hash bytes are random, not derived). Checking a password
    /// against it costs exactly what checking against a real hash of the same iterations costs, and making it costs nothing.
    /// </summary>
    public static string Decoy(int iterations = DefaultIterations) => string.Join('$',
        Scheme, iterations.ToString(CultureInfo.InvariantCulture),
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(SaltBytes)), Convert.ToBase64String(RandomNumberGenerator.GetBytes(HashBytes)));

    public static bool Verify(string password, string stored)
    {
        ArgumentNullException.ThrowIfNull(password);
        ArgumentNullException.ThrowIfNull(stored);
        var parts = stored.Split('$');
        if (parts.Length != 4 || parts[0] != Scheme || !int.TryParse(parts[1], CultureInfo.InvariantCulture, out var iterations))
        {
            return false;
        }

        var salt = Convert.FromBase64String(parts[2]);
        var expected = Convert.FromBase64String(parts[3]);
        var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA512, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }
}
