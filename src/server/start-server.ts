import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createAdaptorServer } from "@hono/node-server";
import { isActiveKey } from "./api-keys.ts";
import { isLoopbackHost, UnprotectedBindError } from "./bind-policy.ts";
import { createGateway, type Gateway, type GatewayOptions } from "./create-gateway.ts";

export interface StartServerOptions extends Omit<GatewayOptions, "bindHost"> {
  /** Default 127.0.0.1. Any other address needs at least one API key. */
  host?: string;
  /** Default 8787; 0 picks a free port. */
  port?: number;
}

export interface RunningServer {
  /** e.g. http://127.0.0.1:8787 (the OpenAI base URL is this plus /v1). */
  url: string;
  host: string;
  port: number;
  gateway: Gateway;
  /** Stops accepting, ends open connections, frees loaded models. */
  close(): Promise<void>;
}

const urlHost = (host: string) => (host.includes(":") ? `[${host}]` : host);

/** Listens with the gateway; refuses a non-loopback address while no API key exists. */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const host = options.host ?? "127.0.0.1";
  if (!isLoopbackHost(host) && !options.store.listApiKeys().some(isActiveKey)) throw new UnprotectedBindError(host);
  const gateway = createGateway({ ...options, bindHost: host });
  const server = createAdaptorServer({ fetch: gateway.app.fetch }) as Server;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 8787, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${urlHost(host)}:${port}`,
    host,
    port,
    gateway,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await gateway.close();
    },
  };
}
