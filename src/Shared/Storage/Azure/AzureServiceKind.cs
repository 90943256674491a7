namespace NodeOps.Storage.Azure;

/// <summary>The storage service a request goes to; the Table and Queue services sign requests differently.</summary>
internal enum AzureServiceKind
{
    Table,
    Queue,
}
