using System.Text.Json.Nodes;
using NodeOps.Audit;
using NodeOps.Auth;
using NodeOps.Errors;
using NodeOps.Secrets;
using NodeOps.Storage;

namespace NodeOps.Schedules;

/// <summary>
/// Schedules for the API: create, read, replace, delete, run now, and their runs. A schedule is checked whole when it
/// is saved; its target by the execute route's own validator.
/// </summary>
internal sealed class ScheduleService(
    ScheduleStore store,
    ScheduleTargets targets,
    NodeSelection selection,
    ScheduleFirer firer,
    SequenceGenerator sequences,
    ISecretProtector protector,
    AuditLog audit,
    TimeProvider time)
{
    public const int MaxNameLength = 100;

    public async Task<(int Total, IReadOnlyList<JsonObject> Items)> ListAsync(int skip, int take, CancellationToken cancellationToken = default)
    {
        var all = await store.ListAsync(cancellationToken).ConfigureAwait(false);
        var items = new List<JsonObject>();
        foreach (var schedule in all.Skip(skip).Take(take))
        {
            items.Add(await ViewAsync(schedule, cancellationToken).ConfigureAwait(false));
        }

        return (all.Count, items);
    }

    public async Task<JsonObject> GetAsync(long id, CancellationToken cancellationToken = default) =>
        await ViewAsync(await FindAsync(id, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    public async Task<JsonObject> CreateAsync(ScheduleInput input, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await CheckAsync(input, actor, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        // A blank record that the input fills, as an update fills the stored one.
        var blank = new ScheduleRecord
        {
            Id = await sequences.NextAsync(ScheduleStore.SchedulesTable, cancellationToken).ConfigureAwait(false),
            Name = "",
            Cron = "",
            Target = [],
            CreatedAt = now,
            CreatedBy = actor.DisplayName,
            ActiveSince = now,
        };
        var schedule = Edited(blank, input, actor, now);
        await store.InsertAsync(schedule, cancellationToken).ConfigureAwait(false);
        await audit.RecordAsync(ScheduleFirer.AuditArea, "create", actor.DisplayName, $"schedule {schedule.Id} ({schedule.Name}) {schedule.Cron} {schedule.Timezone}", cancellationToken).ConfigureAwait(false);
        return await ViewAsync(schedule, cancellationToken).ConfigureAwait(false);
    }

    public async Task<JsonObject> UpdateAsync(long id, ScheduleInput input, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await CheckAsync(input, actor, cancellationToken).ConfigureAwait(false);
        var (current, etag) = await store.GetAsync(id, cancellationToken).ConfigureAwait(false) ?? throw NotFound(id);
        var now = time.GetUtcNow();
        // New timing, or enabled again: due times before now are not this schedule's to fire or to count as missed.
        var restarts = current.Cron != input.Cron.Trim() || current.Timezone != input.Timezone || (!current.Enabled && input.Enabled);
        var updated = Edited(current, input, actor, now) with { ActiveSince = restarts ? now : current.ActiveSince };
        try
        {
            await store.ReplaceAsync(updated, etag, cancellationToken).ConfigureAwait(false);
        }
        catch (PreconditionFailedException)
        {
            throw NodeOpsException.Conflict($"计划 {id} 已被同时修改，请重新读取后再试");
        }

        await audit.RecordAsync(ScheduleFirer.AuditArea, "update", actor.DisplayName, $"schedule {id} ({updated.Name}) {updated.Cron} {updated.Timezone} enabled={updated.Enabled}", cancellationToken).ConfigureAwait(false);
        return await ViewAsync(updated, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The schedule with the input's fields (its target's secrets sealed), changed by the actor now.</summary>
    private ScheduleRecord Edited(ScheduleRecord schedule, ScheduleInput input, Actor actor, DateTimeOffset now)
    {
        var (target, parameters) = ScheduleSecrets.Seal(input.Target, protector);
        return schedule with
        {
            Name = input.Name.Trim(),
            Cron = input.Cron.Trim(),
            Timezone = input.Timezone,
            Enabled = input.Enabled,
            Window = input.Window,
            Concurrency = input.Concurrency,
            Target = target,
            SealedParameters = parameters,
            UpdatedAt = now,
            UpdatedById = actor.UserId,
            UpdatedBy = actor.DisplayName,
        };
    }

    public async Task DeleteAsync(long id, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!await store.DeleteAsync(id, cancellationToken).ConfigureAwait(false))
        {
            throw NotFound(id);
        }

        await audit.RecordAsync(ScheduleFirer.AuditArea, "delete", actor.DisplayName, $"schedule {id}", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Fires the schedule now, outside its window but not past its concurrency rule; 409 when it is disabled.</summary>
    public async Task<ScheduleRun> RunNowAsync(long id, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var schedule = await FindAsync(id, cancellationToken).ConfigureAwait(false);
        if (!schedule.Enabled)
        {
            throw NodeOpsException.Conflict($"计划 {id} 已停用，不能立即执行", "enabled");
        }

        var now = time.GetUtcNow();
        var due = new DateTimeOffset(now.UtcTicks - now.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
        await audit.RecordAsync(ScheduleFirer.AuditArea, "run_now", actor.DisplayName, $"schedule {id} ({schedule.Name})", cancellationToken).ConfigureAwait(false);
        return await firer.FireAsync(schedule, due, ScheduleTrigger.RunNow, windowAt: null, cancellationToken).ConfigureAwait(false)
            ?? throw NodeOpsException.Conflict($"计划 {id} 在这一秒已经执行过");
    }

    public async Task<(int Total, IReadOnlyList<ScheduleRun> Items)> ListRunsAsync(long id, int skip, int take, CancellationToken cancellationToken = default)
    {
        await FindAsync(id, cancellationToken).ConfigureAwait(false);
        var (page, total) = await store.ListRunsAsync(id, skip, take, cancellationToken).ConfigureAwait(false);
        return (total, page);
    }

    private async Task<JsonObject> ViewAsync(ScheduleRecord schedule, CancellationToken cancellationToken)
    {
        var last = await store.LatestRunAsync(schedule.Id, cancellationToken: cancellationToken).ConfigureAwait(false);
        return ScheduleViews.Schedule(schedule, last, time.GetUtcNow(), protector);
    }

    private async Task<ScheduleRecord> FindAsync(long id, CancellationToken cancellationToken) =>
        (await store.GetAsync(id, cancellationToken).ConfigureAwait(false))?.Schedule ?? throw NotFound(id);

    private static NodeOpsException NotFound(long id) => NodeOpsException.NotFound($"计划 {id} 不存在");

    /// <summary>Every field checked; the target by its type's execute validator, with its errors named under "target".</summary>
    private async Task CheckAsync(ScheduleInput input, Actor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var errors = new List<FieldError>();
        if (string.IsNullOrWhiteSpace(input.Name) || input.Name.Trim().Length > MaxNameLength)
        {
            errors.Add(new FieldError("name", $"name 不能为空，最长 {MaxNameLength} 字符"));
        }

        ScheduleTiming.TryParse(input.Cron, input.Timezone, errors);
        input.Window?.Check(errors);
        NodeOpsException.ThrowIfAny(errors);

        var target = ScheduleTarget.Parse(input.Target);
        var starter = targets.Get(target.Type);
        try
        {
            var body = target.Selector is null ? target.Body : target.BodyFor(await selection.CandidatesAsync(target, cancellationToken).ConfigureAwait(false));
            await starter.ValidateAsync(body, actor, cancellationToken).ConfigureAwait(false);
        }
        catch (NodeOpsException ex) when (ex.Kind is ErrorKind.BadRequest or ErrorKind.Validation or ErrorKind.NotFound)
        {
            throw UnderTarget(ex);
        }
    }

    /// <summary>The execute route's refusal, as a refusal of this body's "target" (a missing script or cluster is the target's fault too).</summary>
    private static NodeOpsException UnderTarget(NodeOpsException ex)
    {
        static string Prefix(string? field) => field is null ? "target" : field.StartsWith("target.", StringComparison.Ordinal) ? field : "target." + field;
        return new NodeOpsException(ex.Kind == ErrorKind.BadRequest ? ErrorKind.BadRequest : ErrorKind.Validation, ex.Message, Prefix(ex.Field), ex.Code)
        {
            Details = ex.Details.Select(d => d with { Field = Prefix(d.Field) }).ToList(),
            Title = ex.Title,
            Context = ex.Context,
        };
    }
}
