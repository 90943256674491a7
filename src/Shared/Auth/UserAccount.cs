namespace NodeOps.Auth;

/// <summary>A stored user. <see cref="PasswordHash"/> never leaves the service layer.</summary>
public sealed record UserAccount(
    long Id,
    string Username,
    Role Role,
    string PasswordHash,
    bool Disabled,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <summary>A user as the API shows it.</summary>
public sealed record UserView(long Id, string Username, Role Role, bool Disabled, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static UserView From(UserAccount account)
    {
        ArgumentNullException.ThrowIfNull(account);
        return new(account.Id, account.Username, account.Role, account.Disabled, account.CreatedAt, account.UpdatedAt);
    }
}
