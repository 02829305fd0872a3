/**
 * Heartbeat: pings every client each interval and terminates any that did not answer the previous ping
 * (a dead peer whose TCP connection never closed), so its session is detached and checkpointed.
 * Sockets paused for send-side backpressure are skipped (their --send-stall-ms deadline applies).
 */
import type { WebSocket, WebSocketServer } from 'ws';

const alive = new WeakMap<WebSocket, boolean>();

/** Marks a new socket alive and tracks its pongs. */
export function trackHeartbeat(ws: WebSocket): void {
  alive.set(ws, true);
  ws.on('pong', () => alive.set(ws, true));
}

/** Starts pinging every `intervalMs`; returns a function that stops it. 0 disables. */
export function startHeartbeat(wss: WebSocketServer, intervalMs: number): () => void {
  if (intervalMs <= 0) return () => {};
  const timer = setInterval(() => {
    for (const ws of wss.clients) {
      // A paused socket (its peer does not read its replies, connection.ts) cannot have its pongs read;
      // the send-stall deadline decides its fate, not the heartbeat.
      if (ws.isPaused) {
        alive.set(ws, true);
        continue;
      }
      if (alive.get(ws) === false) {
        ws.terminate();
        continue;
      }
      alive.set(ws, false);
      ws.ping();
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
