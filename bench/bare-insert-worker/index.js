// One D1 INSERT per request and nothing else: the floor Helpline's intake is
// compared with (README, Benchmarks: sustained throughput >= 0.6x of this).
export default {
  async fetch(request, env) {
    if (new URL(request.url).pathname === "/healthz") return new Response("ok");
    const body = await request.text();
    await env.DB.prepare("INSERT INTO items (body, at_ms) VALUES (?1, ?2)").bind(body, Date.now()).run();
    return new Response('{"ok":true}', { status: 201, headers: { "content-type": "application/json" } });
  },
};
