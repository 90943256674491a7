using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using NodeOps.Audit;
using NodeOps.Auth;
using NodeOps.Clusters;
using NodeOps.Features;
using NodeOps.Functions.Http;
using NodeOps.Functions.OpenApi;
using NodeOps.Functions.Security;
using NodeOps.Hosting;
using NodeOps.Json;
using NodeOps.Secrets;
using NodeOps.Storage;

namespace NodeOps.Functions.Hosting;

/// <summary>The ground every capability stands on: listening, JSON, errors, storage, authentication, features.</summary>
internal static class FoundationExtensions
{
    public static WebApplicationBuilder AddFoundation(this WebApplicationBuilder builder)
    {
        var hostOptions = builder.Configuration.GetSection(NodeOpsHostOptions.Section).Get<NodeOpsHostOptions>() ?? new NodeOpsHostOptions();
        ListenAddress.Configure(builder, hostOptions);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = hostOptions.MaxRequestBodyBytes;
        });

        var services = builder.Services;
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(new DataFolder(hostOptions.DataPath));
        services.ConfigureHttpJsonOptions(o =>
        {
            NodeOpsJson.Configure(o.SerializerOptions);
            // Request bodies are strict: a missing or null required field is an error that names the field.
            o.SerializerOptions.RespectNullableAnnotations = true;
            o.SerializerOptions.RespectRequiredConstructorParameters = true;
        });
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddExceptionHandler<NodeOpsExceptionHandler>();
        services.AddProblemDetails();
        services.AddNodeOpsOpenApi();
        services.AddCors(cors => cors.AddDefaultPolicy(policy => policy
            .AllowAnyOrigin()
            .WithMethods("GET", "POST", "PUT", "DELETE", "OPTIONS")
            .WithHeaders("Content-Type", "Authorization", "X-Requested-With", "X-API-Key", "X-Request-ID")
            .WithExposedHeaders(RequestIds.Header, "Retry-After")
            .SetPreflightMaxAge(TimeSpan.FromSeconds(86400))));

        services.AddNodeOpsStorage(builder.Configuration);
        services.AddSingleton<AuditLog>();
        services.AddSingleton<FeatureService>();
        services.AddSecretProtection(builder.Configuration);
        services.AddSingleton<HostKeyPinStore>();
        builder.AddAuthentication();
        return builder;
    }

    private static void AddAuthentication(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.Section)
            .Validate(o => o.TokenLifetime > TimeSpan.Zero, "Auth:TokenLifetime must be positive.")
            .Validate(o => o.PasswordIterations >= 10_000, "Auth:PasswordIterations must be at least 10000.")
            .Validate(o => o.MaxLoginFailures >= 1 && o.MaxLoginFailuresPerClient >= o.MaxLoginFailures,
                "Auth:MaxLoginFailures must be at least 1 and Auth:MaxLoginFailuresPerClient at least Auth:MaxLoginFailures.")
            .Validate(o => o.MaxConcurrentPasswordHashes >= 0 && o.MaxWaitingPasswordHashes >= 0,
                "Auth:MaxConcurrentPasswordHashes and Auth:MaxWaitingPasswordHashes must not be negative.")
            .Validate(o => o.PasswordHashWaitTimeout > TimeSpan.Zero, "Auth:PasswordHashWaitTimeout must be positive.")
            .Validate(o => o.LoginRefusalDelay >= TimeSpan.Zero && o.LoginRefusalDelay <= TimeSpan.FromSeconds(10), "Auth:LoginRefusalDelay must be between 00:00:00 and 00:00:10.")
            .Validate(o => string.IsNullOrEmpty(o.BootstrapAdminPassword) || o.BootstrapAdminPassword.Length >= o.MinPasswordLength,
                "Auth:BootstrapAdminPassword is shorter than Auth:MinPasswordLength.")
            .ValidateOnStart();
        // A configured key is checked now, so a bad one stops start-up instead of failing the first login.
        var configuredKey = ConfiguredSigningKey(builder.Configuration[$"{AuthOptions.Section}:SigningKey"]);
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<AuthOptions>>().Value;
            var key = configuredKey ?? sp.GetRequiredService<DataFolder>()
                .GetOrCreateKey("token-signing.key", 32, sp.GetRequiredService<ILoggerFactory>().CreateLogger("NodeOps.Auth"), "token signing key");
            return new TokenService(key, options.TokenLifetime, sp.GetRequiredService<TimeProvider>());
        });
        services.AddSingleton<UserService>();
        services.AddSingleton<UserDirectory>();
        services.AddSingleton<ApiKeyService>();
        services.AddSingleton<LoginRateLimiter>();
        services.AddSingleton<PasswordHashGate>();
        services.AddHostedService<BootstrapAdmin>();
        services.AddAuthentication(NodeOpsClaims.Scheme)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, NodeOpsAuthenticationHandler>(NodeOpsClaims.Scheme, null);
        services.AddAuthorizationBuilder().AddRolePolicies();
        services.AddSingleton<IAuthorizationHandler, MinimumRoleHandler>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, RoleAwareResultHandler>();
    }

    private static byte[]? ConfiguredSigningKey(string? configured)
    {
        if (string.IsNullOrEmpty(configured))
        {
            return null;
        }

        try
        {
            var key = Convert.FromBase64String(configured);
            return key.Length >= 32 ? key : throw new OptionsValidationException(AuthOptions.Section, typeof(AuthOptions), ["Auth:SigningKey must decode to at least 32 bytes."]);
        }
        catch (FormatException)
        {
            throw new OptionsValidationException(AuthOptions.Section, typeof(AuthOptions), ["Auth:SigningKey is not valid base64."]);
        }
    }

    public static WebApplication UseFoundation(this WebApplication app)
    {
        app.UseRequestIds();
        app.UseExceptionHandler();
        app.UseStatusCodeBodies();
        app.UseCors();
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(20) });
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseJsonBodyGuard();
        // The document maps the whole attack surface; like every route but login, features, health and models, it needs a caller.
        app.MapOpenApi("/openapi/{documentName}.json").RequireRole(Role.Viewer);
        return app;
    }
}
