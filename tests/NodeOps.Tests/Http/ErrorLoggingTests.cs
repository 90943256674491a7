using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NodeOps.Auth;
using NodeOps.Functions.Http;
using NodeOps.Tests.Api;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Http;

/// <summary>Item 9 of issue 16: expected conditions log a warning line without a stack; only the unexpected is an error.</summary>
public sealed class ErrorLoggingTests
{
    [Fact]
    public async Task LlmNotConfigured_503_LogsAWarningWithoutStack_AndNoError()
    {
        var logs = new CapturingLoggerProvider();
        await using var host = await TestHost.StartAsync(configureServices: services => services.AddSingleton<ILoggerProvider>(logs));
        using var viewer = await host.ClientAsync(Role.Viewer);

        var chat = await viewer.PostJsonAsync("/api/v1/chat", new { query = "hi" });
        var stream = await viewer.PostJsonAsync("/api/v1/chat/stream", new { query = "hi" });

        chat.AssertStatus(HttpStatusCode.ServiceUnavailable);
        stream.AssertStatus(HttpStatusCode.ServiceUnavailable);
        var lines = logs.Lines;
        var answered = lines.Where(l => l.Contains("/api/v1/chat", StringComparison.Ordinal) && l.Contains("503", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, answered.Count);
        Assert.All(answered, l => Assert.StartsWith("Warning ", l, StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.StartsWith("Error ", StringComparison.Ordinal) || l.StartsWith("Critical ", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("   at ", StringComparison.Ordinal) || l.Contains("Exception:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task BadInput_4xx_LogsNoWarningOrError()
    {
        var logs = new CapturingLoggerProvider();
        await using var host = await TestHost.StartAsync(configureServices: services => services.AddSingleton<ILoggerProvider>(logs));
        using var admin = await host.ClientAsync(Role.Admin);

        (await admin.PostJsonAsync("/api/v1/users", "null")).AssertStatus(HttpStatusCode.BadRequest);
        (await admin.PostJsonAsync("/api/v1/users", new { username = "x", password = "password-x", role = "root" })).AssertStatus(HttpStatusCode.BadRequest);

        Assert.DoesNotContain(logs.Lines, l => l.Contains("/api/v1/users", StringComparison.Ordinal));
    }

    [Fact]
    public void Unexpected_IsLoggedAsErrorWithItsStack_Expected5xxAsWarningWithout()
    {
        var logs = new CapturingLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
        var logger = factory.CreateLogger("test");
        var context = new DefaultHttpContext();
        context.Request.Method = "GET";
        context.Request.Path = "/api/v1/status";
        var bug = Throw(new InvalidOperationException("a bug"));
        var storeDown = new NodeOps.Storage.StoreUnavailableException("store down", null);

        HttpLog.Answered(logger, context, bug, NodeOpsExceptionHandler.Map(bug));
        HttpLog.Answered(logger, context, storeDown, NodeOpsExceptionHandler.Map(storeDown));

        var lines = logs.Lines;
        Assert.StartsWith("Error ", lines[0], StringComparison.Ordinal);
        Assert.Contains("   at ", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("Warning ", lines[1], StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", lines[1], StringComparison.Ordinal);
    }

    private static Exception Throw(Exception exception)
    {
        try
        {
            throw exception;
        }
        catch (Exception caught)
        {
            return caught;
        }
    }
}
