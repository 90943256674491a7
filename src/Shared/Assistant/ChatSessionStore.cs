using System.Globalization;
using System.Text.RegularExpressions;
using NodeOps.Errors;
using NodeOps.Storage;

namespace NodeOps.Assistant;

/// <summary>
/// Sessions in the table store, so they survive restarts and are shared by every instance. A header row per session
/// (partition: owner) and one row per message (partition: owner and session). A turn claims its session with an
/// ETag-guarded lease, so two requests (on any instances) never interleave in one conversation.
/// </summary>
public sealed partial class ChatSessionStore(ITableStore store, TimeProvider time)
{
    private const string Sessions = "assistantsessions";
    private const string Messages = "assistantmessages";

    // The Table service caps a string property at 32K characters; the JSON document must fit with room to spare.
    private const int MaxStoredContent = 24_000;

    public static bool IsValidSessionId(string id) => SessionIdRegex().IsMatch(id);

    /// <summary>
    /// Takes the session for one turn, creating it when <paramref name="create"/> is set. Throws 409 when another
    /// request holds it, 404 when it does not exist and may not be created.
    /// </summary>
    public async Task<(ChatSession Session, string ETag)> ClaimAsync(string owner, string ownerName, string sessionId, bool create, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var now = time.GetUtcNow();
            var entity = await store.GetAsync(Sessions, owner, sessionId, cancellationToken).ConfigureAwait(false);
            if (entity is null)
            {
                if (!create)
                {
                    throw new NodeOpsException(ErrorKind.NotFound, $"会话 {sessionId} 不存在", "session_id", "SESSION_NOT_FOUND");
                }

                var fresh = new ChatSession(sessionId, owner, ownerName, "", now, now, 0, 0, 0, null, null, null, null, null, now + lease);
                try
                {
                    var etag = await store.InsertAsync(Sessions, ToEntity(fresh), cancellationToken).ConfigureAwait(false);
                    return (fresh, etag);
                }
                catch (EntityAlreadyExistsException)
                {
                    continue;
                }
            }

            var session = DocumentTable.FromEntity<ChatSession>(entity);
            if (session.BusyUntil is { } busy && busy > now)
            {
                throw new NodeOpsException(ErrorKind.Conflict, $"会话 {sessionId} 正在处理另一个请求，请稍后重试", "session_id", "SESSION_BUSY");
            }

            var claimed = session with { BusyUntil = now + lease };
            try
            {
                var etag = await store.ReplaceAsync(Sessions, ToEntity(claimed), entity.ETag, cancellationToken).ConfigureAwait(false);
                return (claimed, etag);
            }
            catch (PreconditionFailedException)
            {
                continue;
            }
        }

        throw new NodeOpsException(ErrorKind.Conflict, $"会话 {sessionId} 正在处理另一个请求，请稍后重试", "session_id", "SESSION_BUSY");
    }

    /// <summary>The session's messages, oldest first.</summary>
    public async Task<List<AgentMessage>> LoadMessagesAsync(ChatSession session, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        var query = TableQuery.Partition(MessagePartition(session.Owner, session.SessionId)) with { RowKeyBefore = Seq(session.MessageCount) };
        var rows = await store.QueryListAsync(Messages, query, cancellationToken).ConfigureAwait(false);
        return rows.Select(DocumentTable.FromEntity<AgentMessage>).ToList();
    }

    /// <summary>Appends the turn's messages and writes the header, releasing the claim. 409 when the claim was lost.</summary>
    public async Task<ChatSession> CommitAsync(ChatSession session, string etag, IReadOnlyList<AgentMessage> appended, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(appended);
        var partition = MessagePartition(session.Owner, session.SessionId);
        var operations = appended.Select((m, i) => TableOperation.Upsert(DocumentTable.ToEntity(partition, Seq(session.MessageCount + i), ForStorage(m)))).ToList();
        // Upserts: rows a lost turn wrote past the committed count are simply overwritten.
        await store.ExecuteInChunksAsync(Messages, operations, cancellationToken).ConfigureAwait(false);
        var updated = session with { MessageCount = session.MessageCount + appended.Count, UpdatedAt = time.GetUtcNow(), BusyUntil = null };
        try
        {
            await store.ReplaceAsync(Sessions, ToEntity(updated), etag, cancellationToken).ConfigureAwait(false);
        }
        catch (PreconditionFailedException)
        {
            throw new NodeOpsException(ErrorKind.Conflict, $"会话 {session.SessionId} 已被另一个请求接管", "session_id", "SESSION_BUSY");
        }

        return updated;
    }

    /// <summary>Gives the claim back without saving the turn (it failed or the client left).</summary>
    public async Task ReleaseAsync(ChatSession session, string etag, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        try
        {
            await store.ReplaceAsync(Sessions, ToEntity(session with { BusyUntil = null }), etag, cancellationToken).ConfigureAwait(false);
        }
        catch (PreconditionFailedException)
        {
            // Someone else holds it now; their claim stands.
        }
    }

    public async Task<IReadOnlyList<ChatSession>> ListAsync(string owner, CancellationToken cancellationToken = default)
    {
        var rows = await store.QueryListAsync(Sessions, TableQuery.Partition(owner), cancellationToken).ConfigureAwait(false);
        return rows.Select(DocumentTable.FromEntity<ChatSession>).OrderByDescending(s => s.UpdatedAt).ToList();
    }

    public async Task<ChatSession?> GetAsync(string owner, string sessionId, CancellationToken cancellationToken = default)
    {
        var entity = await store.GetAsync(Sessions, owner, sessionId, cancellationToken).ConfigureAwait(false);
        return entity is null ? null : DocumentTable.FromEntity<ChatSession>(entity);
    }

    /// <summary>Deletes a session and its messages. Returns false when the owner has no such session.</summary>
    public async Task<bool> DeleteAsync(string owner, string sessionId, CancellationToken cancellationToken = default)
    {
        var entity = await store.GetAsync(Sessions, owner, sessionId, cancellationToken).ConfigureAwait(false);
        if (entity is null)
        {
            return false;
        }

        var partition = MessagePartition(owner, sessionId);
        var rows = await store.QueryListAsync(Messages, TableQuery.Partition(partition), cancellationToken).ConfigureAwait(false);
        await store.ExecuteInChunksAsync(Messages, rows.Select(r => TableOperation.Delete(r)).ToList(), cancellationToken).ConfigureAwait(false);
        try
        {
            await store.DeleteAsync(Sessions, owner, sessionId, "*", cancellationToken).ConfigureAwait(false);
        }
        catch (EntityNotFoundException)
        {
            return false;
        }

        return true;
    }

    /// <summary>Sessions, of every owner, updated since the given time.</summary>
    public async Task<int> CountActiveAsync(DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        var query = new TableQuery().Where("updated_at", FilterOperator.GreaterThanOrEqual, since);
        var count = 0;
        await foreach (var _ in store.QueryAllAsync(Sessions, query, cancellationToken).ConfigureAwait(false))
        {
            count++;
        }

        return count;
    }

    /// <summary>Reads the store once, for the health check.</summary>
    public async Task ProbeAsync(CancellationToken cancellationToken = default) =>
        await store.GetAsync(Sessions, "health", "probe", cancellationToken).ConfigureAwait(false);

    private static TableEntity ToEntity(ChatSession session) =>
        DocumentTable.ToEntity(session.Owner, session.SessionId, session, new Dictionary<string, object?> { ["updated_at"] = session.UpdatedAt });

    private static AgentMessage ForStorage(AgentMessage message) =>
        message.Content.Length <= MaxStoredContent ? message : message with { Content = message.Content[..MaxStoredContent] + "\n[truncated for storage]" };

    private static string MessagePartition(string owner, string sessionId) => owner + "|" + sessionId;

    private static string Seq(int index) => index.ToString("D9", CultureInfo.InvariantCulture);

    [GeneratedRegex("^[A-Za-z0-9._:-]{1,128}$")]
    private static partial Regex SessionIdRegex();
}
