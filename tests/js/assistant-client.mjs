// Runs the assistant API document's JavaScript clients, unchanged apart from the base URL and the credentials,
// against a running NodeOps (NODEOPS_BASE_URL, NODEOPS_TOKEN), and prints what they received as JSON.
// Run by tests/NodeOps.Tests/Assistant/JavaScriptClientTests.cs.

const BASE_URL = process.env.NODEOPS_BASE_URL;
const AUTHORIZATION = 'Bearer ' + process.env.NODEOPS_TOKEN;
const uiDeltas = [];
function updateUI(delta) { uiDeltas.push(delta); }

// ---- From the spec, "JavaScript客户端示例" (base URL and Authorization header added) ----
async function streamChat(query, sessionId) {
    const response = await fetch(BASE_URL + '/api/v1/chat/stream', {
        method: 'POST',
        headers: {
            'Content-Type': 'application/json',
            'Accept': 'text/event-stream',
            'Authorization': AUTHORIZATION
        },
        body: JSON.stringify({
            query: query,
            session_id: sessionId,
            stream: true
        })
    });

    const reader = response.body.getReader();
    const decoder = new TextDecoder();

    while (true) {
        const { done, value } = await reader.read();
        if (done) break;

        const chunk = decoder.decode(value);
        const lines = chunk.split('\n');
        
        for (const line of lines) {
            if (line.startsWith('data: ')) {
                const data = JSON.parse(line.slice(6));
                
                if (data.delta) {
                    // 处理增量数据
                    console.log('Delta:', data.delta);
                    updateUI(data.delta);
                }
                
                if (data.done) {
                    // 处理完成
                    console.log('Completed:', data.response);
                    return data;
                }
            }
        }
    }
}

// ---- From the spec, "JavaScript SDK完整示例" (unchanged) ----
class KubectlAIClient {
    constructor(baseURL = 'http://localhost:8888', options = {}) {
        this.baseURL = baseURL.replace(/\/$/, '');
        this.timeout = options.timeout || 30000;
        this.headers = {
            'Content-Type': 'application/json',
            'Accept': 'application/json',
            'User-Agent': 'kubelet-wuhrai-js-client/1.0',
            ...options.headers
        };
    }

    async chat(query, sessionId = null, context = {}) {
        const payload = {
            query,
            session_id: sessionId || `session_${Date.now()}`,
            context
        };

        const response = await fetch(`${this.baseURL}/api/v1/chat`, {
            method: 'POST',
            headers: this.headers,
            body: JSON.stringify(payload)
        });

        if (!response.ok) {
            const errorData = await response.json().catch(() => ({}));
            throw new Error(`API请求失败: ${response.status} - ${errorData.error || response.statusText}`);
        }

        return await response.json();
    }

    async streamChat(query, options = {}) {
        const { sessionId, context, onDelta, onComplete } = options;

        const payload = {
            query,
            session_id: sessionId || `stream_session_${Date.now()}`,
            stream: true,
            context: context || {}
        };

        const response = await fetch(`${this.baseURL}/api/v1/chat/stream`, {
            method: 'POST',
            headers: {
                ...this.headers,
                'Accept': 'text/event-stream'
            },
            body: JSON.stringify(payload)
        });

        if (!response.ok) {
            throw new Error(`流式请求失败: ${response.status}`);
        }

        const reader = response.body.getReader();
        const decoder = new TextDecoder();

        while (true) {
            const { done, value } = await reader.read();
            if (done) break;

            const chunk = decoder.decode(value);
            const lines = chunk.split('\n');

            for (const line of lines) {
                if (line.startsWith('data: ')) {
                    try {
                        const data = JSON.parse(line.slice(6));

                        if (data.delta && onDelta) {
                            onDelta(data.delta);
                        }

                        if (data.done) {
                            if (onComplete) onComplete(data);
                            return data;
                        }
                    } catch (e) {
                        console.warn('解析SSE数据失败:', e);
                    }
                }
            }
        }
    }

    async getHealth() {
        const response = await fetch(`${this.baseURL}/api/v1/health`, {
            headers: { Accept: 'application/json' }
        });
        return await response.json();
    }

    async waitForReady(maxWait = 60000) {
        const startTime = Date.now();

        while (Date.now() - startTime < maxWait) {
            try {
                const health = await this.getHealth();
                if (health.status === 'healthy') {
                    return true;
                }
            } catch (error) {
                // 忽略错误，继续等待
            }

            await new Promise(resolve => setTimeout(resolve, 1000));
        }

        return false;
    }
}

// ---- Harness ----
const log = console.log;
console.log = () => {};   // the spec's clients log each delta; keep stdout for the result
const client = new KubectlAIClient(BASE_URL, { headers: { Authorization: AUTHORIZATION } });
const result = {};
try {
    result.ready = await client.waitForReady(10000);
    result.health = await client.getHealth();
    result.chat = await client.chat('列出所有节点', 'js-chat-1', { cluster: 'main' });
    const sdkDeltas = [];
    let completed = null;
    result.sdkStream = await client.streamChat('查看 Pod', {
        sessionId: 'js-stream-1',
        onDelta: (delta) => sdkDeltas.push(delta),
        onComplete: (data) => { completed = data; }
    });
    result.sdkDeltas = sdkDeltas;
    result.sdkCompleted = completed;
    result.standaloneStream = await streamChat('再说一遍', 'js-stream-2');
    result.standaloneDeltas = uiDeltas;
    try {
        await client.chat('', 'js-missing');
    } catch (e) {
        result.missingQueryError = String(e.message);
    }
} catch (e) {
    result.failure = String(e && e.stack || e);
}
log(JSON.stringify(result));
