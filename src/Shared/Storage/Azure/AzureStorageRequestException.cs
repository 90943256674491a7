using System.Net;

namespace NodeOps.Storage.Azure;

/// <summary>
/// A storage answer that the port has no meaning for (bad request, entity too large, authentication failed).
/// It carries the service's error code so an operator can look it up; it never carries credentials.
/// </summary>
public sealed class AzureStorageRequestException : TableStoreException
{
    internal AzureStorageRequestException(string operation, AzureError error)
        : base($"Azure storage {operation} failed: {error}.")
    {
        Status = error.Status;
        ErrorCode = error.Code;
    }

    public HttpStatusCode Status { get; }

    public string? ErrorCode { get; }
}
