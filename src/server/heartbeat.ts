/**
 * Heartbeat: pings every client each interval and terminates any that did not answer the previous ping
 * (a dead peer whose TCP connection never closed), so its session is detached and checkpointed.
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
