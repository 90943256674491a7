// Drives the real @microsoft/signalr client (installed by .ci/run into .tools/signalr-client) against a running
// NodeOps progress hub, and prints what it saw as JSON. Run by tests/NodeOps.Tests/Progress/SignalRJavaScriptClientTests.cs.
// Env: NODEOPS_BASE_URL, NODEOPS_TOKEN (the watcher), NODEOPS_USER_TOKEN and NODEOPS_EXECUTE (another user starts
// this SSH execution once the watcher is connected), NODEOPS_MISSING_TASK_ID, SIGNALR_MODULE (the package folder).
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const signalR = require(process.env.SIGNALR_MODULE);
const hubUrl = process.env.NODEOPS_BASE_URL + '/api/v1/hubs/progress';
let taskId = null;
const result = {};

function connect(accessTokenFactory) {
    const options = accessTokenFactory ? { accessTokenFactory } : {};
    return new signalR.HubConnectionBuilder()
        .withUrl(hubUrl, options)
        .configureLogging(signalR.LogLevel.None)
        .build();
}

try {
    // No token: negotiate is refused before any connection exists.
    try {
        await connect(null).start();
        result.unauthenticated = 'connected';
    } catch (e) {
        result.unauthenticated = String(e && e.message);
    }

    const connection = connect(() => process.env.NODEOPS_TOKEN);
    const events = [];
    const completed = new Promise((resolve) => {
        connection.on('progress', (event) => {
            events.push(event);
            if (event.task_id === taskId && event.type === 'complete') resolve();
        });
    });
    await connection.start();
    result.transport = connection.connection.transport?.constructor?.name ?? null;

    try {
        await connection.invoke('Subscribe', process.env.NODEOPS_MISSING_TASK_ID);
        result.missingError = null;
    } catch (e) {
        result.missingError = e.message;
    }

    const started = await fetch(process.env.NODEOPS_BASE_URL + '/api/v1/automation/ssh/execute', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Authorization': 'Bearer ' + process.env.NODEOPS_USER_TOKEN },
        body: process.env.NODEOPS_EXECUTE,
    });
    taskId = (await started.json()).data.task_id;
    result.taskId = taskId;
    await connection.invoke('Subscribe', taskId);
    const timeout = new Promise((_, reject) => setTimeout(() => reject(new Error('no complete event within 90 s')), 90_000));
    await Promise.race([completed, timeout]);
    await connection.invoke('Unsubscribe', taskId);
    await connection.stop();
    result.events = events;
} catch (e) {
    result.failure = String(e && e.stack || e);
}

process.stdout.write(JSON.stringify(result));
process.exit(0);
