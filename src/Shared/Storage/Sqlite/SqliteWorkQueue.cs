using System.Globalization;
using Microsoft.Extensions.Options;

namespace NodeOps.Storage.Sqlite;

internal sealed class SqliteWorkQueue(SqliteDatabase database, TimeProvider time, IOptions<WorkQueueOptions> options) : IWorkQueue
{
    public Task EnqueueAsync(string queue, string body, TimeSpan? initialDelay = null, CancellationToken cancellationToken = default)
    {
        TableNames.EnsureValidQueue(queue);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO queue_messages (queue, body, inserted_at, visible_at) VALUES ($q, $b, $now, $visible)";
        command.Parameters.AddWithValue("$q", queue);
        command.Parameters.AddWithValue("$b", body);
        command.Parameters.AddWithValue("$now", now);
        command.Parameters.AddWithValue("$visible", now + (long)(initialDelay ?? TimeSpan.Zero).TotalMilliseconds);
        command.ExecuteNonQuery();
        return Task.CompletedTask;
    }

    public Task<QueueMessage?> LeaseAsync(string queue, TimeSpan visibilityTimeout, CancellationToken cancellationToken = default)
    {
        TableNames.EnsureValidQueue(queue);
        var maxDequeue = options.Value.MaxDequeueCount;
        using var connection = database.Open();
        using var transaction = connection.BeginTransaction(deferred: false);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        while (true)
        {
            using var select = connection.CreateCommand();
            select.CommandText = """
                SELECT id, body, dequeue_count, inserted_at FROM queue_messages
                WHERE queue = $q AND visible_at <= $now ORDER BY visible_at, id LIMIT 1
                """;
            select.Parameters.AddWithValue("$q", queue);
            select.Parameters.AddWithValue("$now", now);
            long id;
            string body;
            int dequeueCount;
            long insertedAt;
            using (var reader = select.ExecuteReader())
            {
                if (!reader.Read())
                {
                    transaction.Commit();
                    return Task.FromResult<QueueMessage?>(null);
                }

                (id, body, dequeueCount, insertedAt) = (reader.GetInt64(0), reader.GetString(1), reader.GetInt32(2), reader.GetInt64(3));
            }

            if (dequeueCount >= maxDequeue)
            {
                using var deadLetter = connection.CreateCommand();
                deadLetter.CommandText = "UPDATE queue_messages SET queue = $dlq, dequeue_count = 0, pop_receipt = NULL, visible_at = $now WHERE id = $id";
                deadLetter.Parameters.AddWithValue("$dlq", WorkQueueOptions.DeadLetterQueue(queue));
                deadLetter.Parameters.AddWithValue("$now", now);
                deadLetter.Parameters.AddWithValue("$id", id);
                deadLetter.ExecuteNonQuery();
                continue;
            }

            var receipt = Guid.NewGuid().ToString("N");
            using var lease = connection.CreateCommand();
            lease.CommandText = "UPDATE queue_messages SET visible_at = $visible, dequeue_count = dequeue_count + 1, pop_receipt = $receipt WHERE id = $id";
            lease.Parameters.AddWithValue("$visible", now + (long)visibilityTimeout.TotalMilliseconds);
            lease.Parameters.AddWithValue("$receipt", receipt);
            lease.Parameters.AddWithValue("$id", id);
            lease.ExecuteNonQuery();
            transaction.Commit();
            return Task.FromResult<QueueMessage?>(new QueueMessage(
                queue, id.ToString(CultureInfo.InvariantCulture), receipt, body, dequeueCount + 1, DateTimeOffset.FromUnixTimeMilliseconds(insertedAt)));
        }
    }

    public Task<QueueMessage> RenewAsync(QueueMessage message, TimeSpan visibilityTimeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var receipt = Guid.NewGuid().ToString("N");
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE queue_messages SET visible_at = $visible, pop_receipt = $new WHERE id = $id AND queue = $q AND pop_receipt = $old";
        command.Parameters.AddWithValue("$visible", time.GetUtcNow().ToUnixTimeMilliseconds() + (long)visibilityTimeout.TotalMilliseconds);
        command.Parameters.AddWithValue("$new", receipt);
        command.Parameters.AddWithValue("$id", long.Parse(message.Id, CultureInfo.InvariantCulture));
        command.Parameters.AddWithValue("$q", message.Queue);
        command.Parameters.AddWithValue("$old", message.PopReceipt);
        if (command.ExecuteNonQuery() == 0)
        {
            throw new LeaseLostException(message.Queue, message.Id);
        }

        return Task.FromResult(message with { PopReceipt = receipt });
    }

    public Task CompleteAsync(QueueMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM queue_messages WHERE id = $id AND queue = $q AND pop_receipt = $receipt";
        command.Parameters.AddWithValue("$id", long.Parse(message.Id, CultureInfo.InvariantCulture));
        command.Parameters.AddWithValue("$q", message.Queue);
        command.Parameters.AddWithValue("$receipt", message.PopReceipt);
        if (command.ExecuteNonQuery() == 0)
        {
            throw new LeaseLostException(message.Queue, message.Id);
        }

        return Task.CompletedTask;
    }

    public Task<int> CountAsync(string queue, CancellationToken cancellationToken = default)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM queue_messages WHERE queue = $q";
        command.Parameters.AddWithValue("$q", queue);
        return Task.FromResult(Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture));
    }
}
