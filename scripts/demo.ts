/**
 * `deno task demo`: starts the sample todos service (in-memory data) on
 * port 3000 (or a free port when 3000 is taken), calls it once through the
 * typed client, and prints where its API, docs and OpenAPI document are.
 * Ctrl-C stops it gracefully.
 *
 * @module
 */
import { defineServices } from "@netscript/sdk";
import type { RunningService } from "@netscript/service";
import { todosContract } from "../examples/todos/contract.ts";
import { createTodosService } from "../examples/todos/service.ts";

const service = createTodosService();

function serve(): RunningService {
  try {
    return service.serve({ port: 3000 });
  } catch (error) {
    if (!(error instanceof Deno.errors.AddrInUse)) throw error;
    console.log("Port 3000 is taken; using a free port instead.");
    return service.serve({ port: 0 });
  }
}

const running = serve();
const base = running.url.href.replace(/\/$/, "");
const { clients } = defineServices({ todos: { contract: todosContract, url: running.url } });
const created = await clients.todos.todos.create({ title: "Try NetScript" });
const open = await clients.todos.todos.list({ done: false, limit: 10 });

console.log(`
NetScript demo: the "todos" service is running (pid ${Deno.pid}).

  REST API      ${base}/api/todos
  RPC endpoint  ${base}/api/rpc
  API docs      ${base}/api/docs
  OpenAPI       ${base}/api/openapi.json
  Health        ${base}/health

The typed client just created todo #${created.id} ("${created.title}");
${open.total} todos are open. Try:

  curl '${base}/api/todos?done=false&limit=5'
  curl -X POST ${base}/api/todos -H 'content-type: application/json' -d '{"title":"Ship it"}'
  curl ${base}/api/todos/99        # a typed NOT_FOUND error

Press Ctrl-C to stop.
`);
