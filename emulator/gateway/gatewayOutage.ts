/**
 * Test hook: an outage of msg_gateway alone. The REST API stays up and every piece of state
 * (users, tokens, messages, seqs) is kept; only the gateway stops listening and cuts its
 * connections, as a gateway pod restarting would, and comes back on the same port.
 */
import type { Server } from 'node:http';
import type { ConnectionRegistry } from './registry';

export interface GatewayOutage {
  /** Cuts every gateway connection and stops listening. */
  stopGateway(): Promise<void>;
  /** Listens again on the same port. */
  startGateway(): Promise<void>;
}

export function gatewayOutage(http: Server, registry: ConnectionRegistry, host: string, port: () => number): GatewayOutage {
  return {
    stopGateway: async () => {
      for (const c of registry.all()) {
        registry.remove(c);
        c.terminate();
      }
      if (!http.listening) return;
      await new Promise<void>((resolve) => {
        http.close(() => resolve());
        http.closeAllConnections();
      });
    },
    startGateway: async () => {
      if (http.listening) return;
      await new Promise<void>((resolve, reject) => {
        http.once('error', reject);
        http.listen(port(), host, () => {
          http.off('error', reject);
          resolve();
        });
      });
    },
  };
}
