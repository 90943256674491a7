namespace NodeOps.Storage.Azure;

/// <summary>
/// A storage answer that the port has no meaning for (bad request, entity too large, authentication failed).
/// It carries the service's status and error code so an operator can look them up; it never carries credentials.
/// </summary>
public sealed class AzureStorageRequestException : TableStoreException
{
    internal AzureStorageRequestException(string operation, int status, string? errorCode, string? detail = null, Exception? inner = null)
        : base($"Azure storage {operation} failed: HTTP {status} {errorCode}{(string.IsNullOrEmpty(detail) ? "" : ": " + detail)}.", inner)
    {
        Status = status;
        ErrorCode = errorCode;
    }

    public int Status { get; }

    public string? ErrorCode { get; }
}
