namespace NodeOps.Orchestration.Sqlite;

/// <summary>Every statement the SQLite orchestration store runs, in one place next to schema.sql.</summary>
internal static class SqliteOrchestrationSql
{
    public const string DropSchema = """
        DROP TABLE IF EXISTS dt_activities;
        DROP TABLE IF EXISTS dt_timers;
        DROP TABLE IF EXISTS dt_new_events;
        DROP TABLE IF EXISTS dt_history;
        DROP TABLE IF EXISTS dt_instances;
        """;

    /// <summary>An instance with a message or a due timer whose lock is free (never held or expired).</summary>
    public const string FindReadyInstance = """
        SELECT i.instance_id FROM (
            SELECT instance_id FROM dt_new_events
            UNION SELECT instance_id FROM dt_timers WHERE fire_at <= @now) c
        JOIN dt_instances i ON i.instance_id = c.instance_id
        WHERE i.lock_expires <= @now
        LIMIT 1
        """;

    public const string LockInstance = """
        UPDATE dt_instances SET lock_owner = @owner, lock_expires = @until
        WHERE instance_id = @id AND lock_expires <= @now
        """;

    public const string RenewInstanceLock = "UPDATE dt_instances SET lock_expires = @until WHERE instance_id = @id AND lock_owner = @owner";

    /// <summary>Gives the instance back; a short hold-off keeps a failing orchestration from spinning.</summary>
    public const string ReleaseInstanceLock = "UPDATE dt_instances SET lock_owner = NULL, lock_expires = @until WHERE instance_id = @id AND lock_owner = @owner";

    public const string InstanceLockOwner = "SELECT lock_owner, execution_id, history_count FROM dt_instances WHERE instance_id = @id";

    public const string SelectNewEvents = "SELECT id, execution_id, event_type, payload FROM dt_new_events WHERE instance_id = @id ORDER BY id";

    public const string SelectDueTimers = "SELECT id, execution_id, event_type, payload FROM dt_timers WHERE instance_id = @id AND fire_at <= @now ORDER BY id";

    public const string SelectHistory = "SELECT event_type, payload FROM dt_history WHERE instance_id = @id AND execution_id = @execution ORDER BY seq";

    public const string DeleteNewEvents = "DELETE FROM dt_new_events WHERE id IN (SELECT value FROM json_each(@ids))";

    public const string DeleteTimers = "DELETE FROM dt_timers WHERE id IN (SELECT value FROM json_each(@ids))";

    public const string InsertHistory = """
        INSERT INTO dt_history (instance_id, execution_id, seq, event_type, payload)
        VALUES (@id, @execution, @seq, @type, @payload)
        """;

    public const string DeleteHistory = "DELETE FROM dt_history WHERE instance_id = @id";

    public const string UpdateInstance = """
        UPDATE dt_instances SET execution_id = @execution, name = @name, status = @status, updated_at = @updated,
            completed_at = @completed, state = @state, history_count = @count
        WHERE instance_id = @id
        """;

    public const string UpsertInstance = """
        INSERT INTO dt_instances (instance_id, execution_id, name, status, created_at, updated_at, completed_at, state, history_count, lock_owner, lock_expires)
        VALUES (@id, @execution, @name, @status, @created, @created, NULL, @state, 0, NULL, 0)
        ON CONFLICT (instance_id) DO UPDATE SET execution_id = excluded.execution_id, name = excluded.name,
            status = excluded.status, created_at = excluded.created_at, updated_at = excluded.updated_at,
            completed_at = NULL, state = excluded.state, history_count = 0, lock_owner = NULL, lock_expires = 0
        """;

    public const string InstanceStatus = "SELECT status FROM dt_instances WHERE instance_id = @id";

    public const string InsertNewEvent = """
        INSERT INTO dt_new_events (instance_id, execution_id, event_type, payload)
        SELECT @id, @execution, @type, @payload WHERE EXISTS (SELECT 1 FROM dt_instances WHERE instance_id = @id)
        """;

    public const string InsertTimer = """
        INSERT INTO dt_timers (instance_id, execution_id, event_type, payload, fire_at)
        VALUES (@id, @execution, @type, @payload, @fireAt)
        """;

    public const string InsertActivity = """
        INSERT INTO dt_activities (instance_id, execution_id, event_type, payload, lock_owner, lock_expires, dequeue_count)
        VALUES (@id, @execution, @type, @payload, @owner, @until, CASE WHEN @owner IS NULL THEN 0 ELSE 1 END)
        RETURNING id
        """;

    /// <summary>Takes up to @limit free activity work items in one statement, so two processes never take the same one.</summary>
    public const string LockActivities = """
        UPDATE dt_activities SET lock_owner = @owner, lock_expires = @until, dequeue_count = dequeue_count + 1
        WHERE id IN (SELECT id FROM dt_activities WHERE lock_expires <= @now ORDER BY id LIMIT @limit)
        RETURNING id, instance_id, execution_id, event_type, payload, dequeue_count
        """;

    public const string RenewActivityLock = "UPDATE dt_activities SET lock_expires = @until WHERE id = @id AND lock_owner = @owner";

    public const string ReleaseActivityLock = "UPDATE dt_activities SET lock_owner = NULL, lock_expires = @until WHERE id = @id AND lock_owner = @owner";

    /// <summary>Only the holder of the lock may finish an activity; a holder whose lease was taken over drops its result.</summary>
    public const string DeleteLockedActivity = "DELETE FROM dt_activities WHERE id = @id AND lock_owner = @owner";

    public const string SelectState = "SELECT state FROM dt_instances WHERE instance_id = @id";

    public const string SelectAllHistory = "SELECT event_type, payload FROM dt_history WHERE instance_id = @id AND (@execution IS NULL OR execution_id = @execution) ORDER BY execution_id, seq";

    /// <summary>Everything an instance owns, deleted together; the caller picks which instances.</summary>
    public const string PurgeInstance = """
        DELETE FROM dt_history WHERE instance_id = @id;
        DELETE FROM dt_new_events WHERE instance_id = @id;
        DELETE FROM dt_timers WHERE instance_id = @id;
        DELETE FROM dt_activities WHERE instance_id = @id;
        DELETE FROM dt_instances WHERE instance_id = @id;
        """;

    /// <summary>Work belonging to an earlier life of an instance id that is being started again.</summary>
    public const string ClearInstanceWork = """
        DELETE FROM dt_history WHERE instance_id = @id;
        DELETE FROM dt_new_events WHERE instance_id = @id;
        DELETE FROM dt_timers WHERE instance_id = @id;
        DELETE FROM dt_activities WHERE instance_id = @id;
        """;

    public const string QueryInstances = """
        SELECT instance_id, status, state FROM dt_instances
        WHERE (@statuses IS NULL OR status IN (SELECT value FROM json_each(@statuses)))
          AND (@from IS NULL OR created_at >= @from)
          AND (@to IS NULL OR created_at <= @to)
          AND (@prefix IS NULL OR substr(instance_id, 1, length(@prefix)) = @prefix)
        ORDER BY created_at, instance_id
        LIMIT @limit OFFSET @offset
        """;

    /// <summary>Finished instances older than @threshold by creation (0), completion (1) or last update (2).</summary>
    public const string FinishedInstancesBefore = """
        SELECT instance_id FROM dt_instances
        WHERE status IN ('Completed', 'Failed', 'Terminated', 'Canceled')
          AND (CASE @filter WHEN 0 THEN created_at WHEN 1 THEN completed_at ELSE updated_at END) < @threshold
        """;

    public const string FinishedInstancesCreatedBetween = """
        SELECT instance_id FROM dt_instances
        WHERE status IN (SELECT value FROM json_each(@statuses))
          AND created_at >= @from AND (@to IS NULL OR created_at <= @to)
        """;
}
