import http from "node:http";
import type { AddressInfo } from "node:net";

export interface LocalWebServer {
  url: string;
  port: number;
  /** Every request path this server received, in order. */
  hits: string[];
  close(): Promise<void>;
}

/** An HTTP server on a loopback address for one test; `host` may be 127.0.0.2 to play an address not allowed. */
export async function startLocalWebServer(
  handler: (request: http.IncomingMessage, response: http.ServerResponse) => void,
  host = "127.0.0.1",
): Promise<LocalWebServer> {
  const hits: string[] = [];
  const server = http.createServer((request, response) => {
    hits.push(request.url ?? "");
    handler(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    port,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export const articlePage = `<!doctype html>
<html><head><title>Foxes of the north</title></head>
<body>
<nav class="site-nav"><a href="/">Home</a> <a href="/about">About</a> NAVIGATION-MENU-TEXT</nav>
<div class="ad ad-banner" id="top-ad">BUY-NOW-ADVERTISEMENT</div>
<main><article>
<h1>Foxes of the north</h1>
<p>The arctic fox lives in the far north and changes its coat with the seasons: brown in summer, white in winter,
so that it stays hidden from the animals that hunt it and from the animals it hunts.</p>
<p>It eats lemmings, birds and eggs, and follows polar bears to eat what they leave behind. Read
<a href="/foxes/diet">more about its diet</a> in the next chapter of this article.</p>
<p>Its thick fur and short ears keep it warm at fifty degrees below zero, and it digs dens that families use for
many generations, some of them hundreds of years old, with dozens of entrances.</p>
</article></main>
<aside class="sidebar sponsored advertisement">SIDEBAR-SPONSORED-ADVERT</aside>
<footer class="site-footer">FOOTER-COPYRIGHT-NOTICE 2026</footer>
</body></html>`;
