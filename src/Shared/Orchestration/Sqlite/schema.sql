-- The SQLite orchestration store: one row per instance, its history, the messages waiting for it (new events and
-- timers) and the activity work items. Times are UTC ticks. A lock is free when lock_expires is in the past, so a
-- crashed process's work comes back once its lease runs out.
PRAGMA journal_mode = WAL;

CREATE TABLE IF NOT EXISTS dt_instances (
    instance_id   TEXT PRIMARY KEY,
    execution_id  TEXT NOT NULL,
    name          TEXT NOT NULL,
    status        TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    completed_at  INTEGER,
    state         TEXT NOT NULL,
    history_count INTEGER NOT NULL DEFAULT 0,
    lock_owner    TEXT,
    lock_expires  INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS ix_dt_instances_created ON dt_instances (created_at, instance_id);

CREATE TABLE IF NOT EXISTS dt_history (
    instance_id  TEXT NOT NULL,
    execution_id TEXT NOT NULL,
    seq          INTEGER NOT NULL,
    event_type   TEXT NOT NULL,
    payload      TEXT NOT NULL,
    PRIMARY KEY (instance_id, execution_id, seq)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS dt_new_events (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    instance_id  TEXT NOT NULL,
    execution_id TEXT,
    event_type   TEXT NOT NULL,
    payload      TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_dt_new_events_instance ON dt_new_events (instance_id, id);

CREATE TABLE IF NOT EXISTS dt_timers (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    instance_id  TEXT NOT NULL,
    execution_id TEXT,
    event_type   TEXT NOT NULL,
    payload      TEXT NOT NULL,
    fire_at      INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_dt_timers_due ON dt_timers (fire_at);
CREATE INDEX IF NOT EXISTS ix_dt_timers_instance ON dt_timers (instance_id, id);

CREATE TABLE IF NOT EXISTS dt_activities (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    instance_id   TEXT NOT NULL,
    execution_id  TEXT,
    event_type    TEXT NOT NULL,
    payload       TEXT NOT NULL,
    lock_owner    TEXT,
    lock_expires  INTEGER NOT NULL DEFAULT 0,
    dequeue_count INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS ix_dt_activities_free ON dt_activities (lock_expires, id);
CREATE INDEX IF NOT EXISTS ix_dt_activities_instance ON dt_activities (instance_id);
