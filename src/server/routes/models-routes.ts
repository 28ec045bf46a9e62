import type { Hono } from "hono";
import type { GatewayContext } from "../gateway-context.ts";
import type { GatewayEnv } from "../gateway-env.ts";
import { NotFoundError } from "../gateway-errors.ts";
import type { ServedModel } from "../served-models.ts";

const modelObject = (model: ServedModel) => ({ id: model.id, object: "model", created: 0, owned_by: model.ownedBy });

/** Says where to look when a caller names a model the server does not serve. */
export const unknownModelError = (id: string) =>
  new NotFoundError(
    `The model \`${id}\` is not served here. GET /v1/models lists the catalog models and agents (agent:<name>) ` +
      "this server offers; the operator adds models in config (models) and agents in config (agents).",
    { code: "model_not_found", param: "model" },
  );

/** GET /v1/models (catalog models this server has keys for, then agents as `agent:<name>`) and GET /v1/models/:id, in OpenAI's list format. */
export function registerModelRoutes(app: Hono<GatewayEnv>, gateway: GatewayContext): void {
  // Only what can be called: a model whose provider has no key here would only answer model_not_configured.
  app.get("/v1/models", async (c) =>
    c.json({ object: "list", data: (await gateway.models.servable()).map(modelObject) }),
  );
  app.get("/v1/models/:id{.+}", (c) => {
    const id = c.req.param("id");
    const model = gateway.models.find(id);
    if (!model) throw unknownModelError(id);
    return c.json(modelObject(model));
  });
}
