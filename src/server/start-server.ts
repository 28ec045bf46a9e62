import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { getRequestListener } from "@hono/node-server";
import { isActiveKey } from "./api-keys.ts";
import { isLoopbackHost, UnprotectedBindError } from "./bind-policy.ts";
import {
  answerClientError,
  answerConnectRequest,
  answerUnknownExpectation,
  requestErrorResponse,
} from "./connection-errors.ts";
import { createGateway, type Gateway, type GatewayOptions } from "./create-gateway.ts";

export interface StartServerOptions extends Omit<GatewayOptions, "bindHost"> {
  /** Default 127.0.0.1. Any other address needs at least one API key. */
  host?: string;
  /** Default 8787; 0 picks a free port. */
  port?: number;
  /** A request's headers must arrive within this; default 10 s. */
  headersTimeoutMilliseconds?: number;
  /** A request, headers and body, must arrive within this (a body trickled in byte by byte is cut off); default 30 s. */
  requestTimeoutMilliseconds?: number;
  /** An idle keep-alive connection is closed after this; default 5 s. */
  keepAliveTimeoutMilliseconds?: number;
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
  if (!isLoopbackHost(host) && !(await options.store.listApiKeys()).some(isActiveKey))
    throw new UnprotectedBindError(host);
  const gateway = createGateway({ ...options, bindHost: host });
  const requestTimeout = options.requestTimeoutMilliseconds ?? 30_000;
  const headersTimeout = Math.min(options.headersTimeoutMilliseconds ?? 10_000, requestTimeout);
  const server: Server = createServer(
    {
      headersTimeout,
      requestTimeout,
      keepAliveTimeout: options.keepAliveTimeoutMilliseconds ?? 5_000,
      // A request without Host is refused by the gateway, in OpenAI's format, rather than by Node with an empty 400.
      requireHostHeader: false,
      // Node looks for expired requests on this interval: it bounds how late a timeout may cut a slow client off.
      connectionsCheckingInterval: Math.max(100, Math.min(1_000, headersTimeout / 4)),
    },
    getRequestListener(gateway.app.fetch, { errorHandler: requestErrorResponse }),
  );
  server.on("clientError", answerClientError);
  server.on("connect", answerConnectRequest);
  server.on("checkExpectation", answerUnknownExpectation);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 8787, host, () => {
      server.off("error", reject);
      gateway.listeningOn((server.address() as AddressInfo).port);
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
