namespace NodeOps.Functions.AzureFunctions;

/// <summary>
/// Every app setting the Function App reads in Azure: the platform's and the Functions host's, and NodeOps's own.
/// infra/bicep/modules/functionapp.bicep sets exactly these; a test holds the two lists equal.
/// </summary>
public static class AzureAppSettings
{
    public static IReadOnlyDictionary<string, string> Keys { get; } = new Dictionary<string, string>
    {
        ["FUNCTIONS_EXTENSION_VERSION"] = "Functions host: runtime version ~4",
        ["FUNCTIONS_WORKER_RUNTIME"] = "Functions host: dotnet-isolated",
        ["WEBSITES_ENABLE_APP_SERVICE_STORAGE"] = "platform: the container keeps nothing in /home",
        ["AzureWebJobsStorage__accountName"] = "Functions host and Durable extension: storage account, reached by identity",
        ["AzureWebJobsStorage__credential"] = "Functions host: managedidentity",
        ["AzureWebJobsStorage__clientId"] = "Functions host: which user-assigned identity",
        ["APPLICATIONINSIGHTS_CONNECTION_STRING"] = "Functions host: telemetry",
        ["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"] = "Functions host: telemetry sent with Entra ID",
        ["Storage__Provider"] = "NodeOps: AzureStorage",
        ["Storage__ConnectionString"] = "NodeOps: AccountName=..., signed in with the identity",
        ["Storage__ManagedIdentityClientId"] = "NodeOps: which user-assigned identity",
        ["Host__DataPath"] = "NodeOps: a writable folder for anything local",
        ["Secrets__MasterKey"] = "NodeOps: Key Vault reference",
        ["Auth__SigningKey"] = "NodeOps: Key Vault reference",
        ["Auth__BootstrapAdminPassword"] = "NodeOps: Key Vault reference",
        ["SignalR__Mode"] = "NodeOps: Serverless (progress through Azure SignalR Service's REST API)",
        ["SignalR__ConnectionString"] = "NodeOps: Key Vault reference to the service's connection string",
    };
}
